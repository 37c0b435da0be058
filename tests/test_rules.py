"""The evidence rules (shapes/regels/) and what is compiled from them.

- the committed shapes (shapes/kader/) and docs/beslisregels.md are a fresh compilation;
- every compiled query is SPARQL that rdflib parses with only the prefixes the shapes declare,
  and keeps to SHACL-SPARQL's restrictions (no VALUES, MINUS or SERVICE; $this never bound by
  the query itself), so any SHACL engine can run it;
- on every framework fixture the shapes and :func:`ggsr_kg.rules.decide` agree on each network ×
  indicator, and pySHACL gives the fast engine's results;
- a rule file that cannot work is refused with a clear error.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import rdflib
from pyparsing import ParseResults
from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ggsr_kg import ruledocs, rules
from ggsr_kg.errors import InputError
from ggsr_kg.namespaces import GGSR, SH, sparql_prologue
from ggsr_kg.scorecard import ONBEKEND, VOLDOET, shape_statuses
from ggsr_kg.shapes import ShapeSet, framework_shapes
from ggsr_kg.validation import validate_pyshacl

REPO = Path(__file__).resolve().parent.parent
REGENERATE = "regenerate with `python -m ggsr_kg.rules` and commit the result"


# ---- (a) the committed output is a fresh compilation --------------------------------------------


@pytest.mark.parametrize("source", rules.rule_files(), ids=lambda p: p.name)
def test_committed_shapes_are_compiled_from_the_rules(source):
    compiled = rules.shapes_turtle(
        rules.rules_from_graph(rdflib.Graph().parse(source, format="turtle")), source.name
    )
    committed = (REPO / "shapes" / "kader" / source.name).read_text(encoding="utf-8")
    assert committed == compiled, f"shapes/kader/{source.name} is stale: {REGENERATE}"


def test_committed_decision_table_is_rendered_from_the_rules():
    committed = (REPO / "docs" / ruledocs.DOC).read_text(encoding="utf-8")
    assert committed == ruledocs.render(), f"docs/{ruledocs.DOC} is stale: {REGENERATE}"
    guide = (REPO / "docs" / "modelling.md").read_text(encoding="utf-8")
    assert guide == ruledocs.with_table(guide), (
        f"the table in docs/modelling.md is stale: {REGENERATE}"
    )


def test_every_indicator_has_rules_and_a_positive_one():
    by = rules.by_indicator(rules.load_rules())
    assert len(by) == 30
    for indicator, own in by.items():
        assert any(r.outcome == VOLDOET for r in own), indicator
        assert [r.order for r in own] == sorted(r.order for r in own)


# ---- (b) every compiled query is portable SHACL-SPARQL ------------------------------------------


def _nodes(tree):
    """Every CompValue in an rdflib parse tree."""
    if isinstance(tree, CompValue):
        yield tree
        for value in tree.values():
            yield from _nodes(value)
    elif isinstance(tree, (list, ParseResults)):
        for value in tree:
            yield from _nodes(value)


def _var(term) -> str:
    return str(term).lstrip("?$")


FORBIDDEN = {
    "InlineData": "VALUES",
    "ValuesClause": "VALUES",
    "MinusGraphPattern": "MINUS",
    "ServiceGraphPattern": "SERVICE",
}


def framework_constraints():
    return [c for c in framework_shapes().constraints if c.indicator]


@cache
def constraint_names() -> dict[str, str]:
    """Compiled query → the rule it checks (or the indicator's -gegevens shape)."""
    out = {}
    for own in rules.by_indicator(rules.load_rules()).values():
        out[rules.info_query(own)] = f"I{own[0].code}-gegevens"
        for r in own:
            out[rules.violation_query(own, r)] = f"{r.name}-toets"
    return out


def constraint_name(c) -> str:
    return constraint_names().get(c.select.strip(), c.shape.rsplit("#", 1)[-1])


def portability_problems(prefixes: str, select: str) -> list[str]:
    """What keeps a SELECT from being a SHACL-SPARQL constraint any engine can run; raises when
    rdflib cannot parse it with the given prefixes."""
    tree = parseQuery(prefixes + select)  # raises on a syntax error
    processor.prepareQuery(prefixes + select)  # and on an undeclared prefix
    problems = []
    for node in _nodes(tree):
        if node.name in FORBIDDEN:
            problems.append(f"{FORBIDDEN[node.name]} is not allowed")
        if node.name == "Bind" and _var(node["var"]) == "this":
            problems.append("BIND (… AS $this)")
        if node.name == "SubSelect":
            projected = {_var(v["var"]) for v in node.get("projection") or [] if "var" in v}
            if "this" not in projected:
                problems.append("a sub-SELECT must return $this")
    if "$this" not in select:
        problems.append("the query never mentions $this")
    return problems


@pytest.mark.parametrize("constraint", framework_constraints(), ids=constraint_name)
def test_compiled_query_is_portable_shacl_sparql(constraint):
    """Parsed by rdflib with only the prefixes the shapes declare (sh:declare), as pySHACL and
    other engines see it; the restrictions of SHACL-SPARQL on pre-bound variables hold."""
    problems = portability_problems(constraint.prefixes, constraint.select)
    assert not problems, f"{constraint_name(constraint)}: {problems}"


@pytest.mark.parametrize(
    ("select", "problem"),
    [
        ("SELECT $this WHERE { $this ggsr:p ?x . VALUES ?x { 1 } }", "VALUES"),
        ("SELECT $this WHERE { $this ggsr:p ?x } VALUES ?x { 1 }", "VALUES"),
        ("SELECT $this WHERE { $this ggsr:p ?x MINUS { $this ggsr:q ?x } }", "MINUS"),
        ("SELECT $this WHERE { SERVICE <http://example.org/> { $this ggsr:p ?x } }", "SERVICE"),
        ("SELECT $this WHERE { ?x ggsr:p ?y BIND (?x AS $this) }", "AS $this"),
        ("SELECT $this WHERE { { SELECT ?x WHERE { $this ggsr:p ?x } } }", "sub-SELECT"),
        ("SELECT ?x WHERE { ?x ggsr:p ?y }", "never mentions"),
    ],
)
def test_the_portability_check_finds_what_it_looks_for(select, problem):
    prefixes = framework_constraints()[0].prefixes
    assert any(problem in p for p in portability_problems(prefixes, select))


def test_the_portability_check_refuses_an_undeclared_prefix():
    with pytest.raises(Exception, match="onbekend"):
        portability_problems("", "SELECT $this WHERE { $this onbekend:p ?x }")


def test_every_rule_pattern_uses_only_declared_prefixes():
    """The fast engine and :func:`ggsr_kg.rules.decide` read every project prefix; the shapes only
    those in sh:declare. A rule that used another would run here and fail in any other engine."""
    declared = framework_constraints()[0].prefixes
    for rule in rules.load_rules():
        try:
            processor.prepareQuery(declared + "SELECT * WHERE {\n" + rule.pattern + "\n}")
        except Exception as exc:  # rdflib raises several exception types
            pytest.fail(f"{rule.name}: {exc}")


# ---- (c) the shapes and the rules agree on every fixture ----------------------------------------


@pytest.fixture(scope="module")
def decided(kader):
    return kader.decisions


def test_shapes_and_rules_agree_on_every_fixture(kader, decided):
    shapes = shape_statuses(kader.results)
    differ = sorted(
        (net.rsplit("/", 1)[-1], ind.rsplit("#", 1)[-1], shapes.get((net, ind), VOLDOET), d.status)
        for (net, ind), d in decided.items()
        if shapes.get((net, ind), VOLDOET) != d.status
    )
    assert len(decided) == len(kader.networks) * 30
    assert not differ, f"(network, indicator, shapes, rules): {differ[:20]}"


def test_scorecard_reports_no_internal_error(kader):
    wrong = [
        (s.netwerk, s.indicator)
        for s in kader.scores.values()
        if "Interne fout" in " ".join(s.redenen)
    ]
    assert not wrong, wrong


def test_violation_value_is_the_deciding_fact(kader, decided):
    """An improvement point's sh:value is a fact the deciding rule read (the one the reasons name)."""
    for r in kader.results:
        if r.indicator and r.severity == str(SH.Violation):
            d = decided[(r.focus, r.indicator)]
            assert r.value in {m.fact for m in d.facts}, (r.focus, r.shape, r.value)


# ---- (d) pySHACL, the reference engine, gives the same results ----------------------------------


@pytest.fixture(scope="module")
def parsed_query_cache():
    """Parse each SPARQL text once while pySHACL runs.

    pySHACL (0.40) hands rdflib the same query text for every focus node, and rdflib parses it
    anew each time; most of a run went to pyparsing. This caches the parsed and translated query
    per text (and base, prefixes): evaluation, and with it pySHACL's answer, is untouched."""
    original = processor.SPARQLProcessor.query

    @cache
    def prepared(text, base, namespaces):
        return processor.prepareQuery(text, initNs=dict(namespaces), base=base)

    def query(self, str_or_query, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(str_or_query, str):
            namespaces = tuple(sorted((k, str(v)) for k, v in (initNs or {}).items()))
            str_or_query = prepared(str_or_query, base, namespaces)
        return original(self, str_or_query, initBindings, initNs, base, DEBUG)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(processor.SPARQLProcessor, "query", query)
        yield


def _focus(kader, decided) -> dict[str, set[str]]:
    """Indicator → the networks pySHACL checks it on: those of its own fixture (every case its
    rules were written for, every outcome), and every other network on which some rule of it
    decides or the fast engine reports a violation (facts of one fixture that speak to another
    indicator). Left out: networks on which both engines find nothing for the indicator — the
    same onbekend query already runs on the onbekend cases of its own fixture."""
    focus: dict[str, set[str]] = {}
    for (net, ind), d in decided.items():
        own = f"/fx-{ind.rsplit('#I', 1)[-1].replace('.', '-')}-"
        if own in net or d.status != ONBEKEND:
            focus.setdefault(ind, set()).add(net)
    for r in kader.results:
        if r.indicator and r.severity == str(SH.Violation):
            focus.setdefault(r.indicator, set()).add(r.focus)
    return focus


def test_pyshacl_gives_the_fast_engines_results(kader, decided, parsed_query_cache):
    """One pySHACL run on the graph of all fixtures, with the compiled shapes unchanged except for
    their targets: each indicator's shapes target the networks of :func:`_focus` (sh:targetNode)
    instead of every ggsr:Netwerk. All networks × all indicators took pySHACL about 160 s of CPU
    (329 networks, 2 cores, 2026-12-04), this about 13 s; the queries and thus what they decide are
    the same, and the fast engine's equality with the rules on all pairs is the test above."""
    focus = _focus(kader, decided)
    g = rdflib.Graph()
    for triple in framework_shapes().graph:
        g.add(triple)
    for shape in set(g.subjects(GGSR.indicator, None)):
        g.remove((shape, SH.targetClass, GGSR.Netwerk))
        for net in focus.get(str(g.value(shape, GGSR.indicator)), ()):
            g.add((shape, SH.targetNode, rdflib.URIRef(net)))
    reference = {r.key for r in validate_pyshacl(kader.kg, ShapeSet(graph=g))}
    fast = {r.key for r in kader.results if r.indicator and r.focus in focus.get(r.indicator, ())}
    assert sum(len(v) for v in focus.values()) >= len(kader.networks)
    assert {k[2] for k in fast} == {str(SH.Info), str(SH.Violation)}
    assert fast == reference, (
        f"only fast engine: {sorted(fast - reference)[:10]}; "
        f"only pySHACL: {sorted(reference - fast)[:10]}"
    )


# ---- (e) a rule file that cannot work is refused ------------------------------------------------

RULE = """
@prefix shg:   <https://w3id.org/ggsr/shapes#> .
@prefix ggsr:  <https://w3id.org/ggsr/def#> .
@prefix kader: <https://w3id.org/ggsr/kader#> .
@prefix gs:    <https://w3id.org/ggsr/def/grondslag/> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
shg:R9.9.9-test a shg:Bewijsregel ; ggsr:indicator kader:I3.2.2 ; shg:volgorde {order} ;
    shg:uitkomst {outcome} ; {extra}
    rdfs:label "een testregel"@nl , "a test rule"@en ;
    shg:patroon \"\"\"{pattern}\"\"\" .
"""
GOOD = "?feit a ggsr:Visie ; ggsr:netwerk $this ."


def rule_graph(
    pattern: str = GOOD, outcome: str = "kader:voldoet", order: str = "1", extra: str = ""
) -> rdflib.Graph:
    text = RULE.format(pattern=pattern, outcome=outcome, order=order, extra=extra)
    return rdflib.Graph().parse(data=text, format="turtle")


def test_a_good_rule_loads():
    [rule] = rules.rules_from_graph(rule_graph())
    assert (rule.name, rule.outcome, rule.order, rule.fixed_basis) == (
        "R9.9.9-test",
        VOLDOET,
        1,
        None,
    )
    [fixed] = rules.rules_from_graph(rule_graph(extra="shg:grondslag gs:praktijk ;"))
    assert fixed.fixed_basis == "praktijk"


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("?x a ggsr:Visie ; ggsr:netwerk $this .", "bindt ?feit niet"),
        (
            "?x ggsr:netwerk $this . FILTER NOT EXISTS { ?feit ggsr:netwerk $this }",
            "bindt ?feit niet",
        ),
        ("?x ggsr:netwerk $this . OPTIONAL { ?x ggsr:bindt ?feit }", "bindt ?feit niet"),
        ("{ ?feit ggsr:netwerk $this } UNION { ?x ggsr:netwerk $this }", "bindt ?feit niet"),
        ("?feit a ggsr:Visie .", "noemt het netwerk $this niet"),
        ('?feit ggsr:tekst "$this" .', "noemt het netwerk $this niet"),
        ("?feit ggsr:netwerk $this ; ggsr:grondslag ?g .", "?g is gereserveerd"),
        ("?feit ggsr:netwerk ?this .", "?this is gereserveerd"),
        ("?feit ggsr:netwerk $this ; onbekend:iets ?x .", "geen geldige SPARQL"),
        ("?feit ggsr:netwerk $this . FILTER (", "geen geldige SPARQL"),
    ],
)
def test_a_rule_whose_pattern_cannot_work_is_refused(pattern, why):
    with pytest.raises(InputError) as err:
        rules.rules_from_graph(rule_graph(pattern))
    message = str(err.value)
    assert why in message and "R9.9.9-test" in message and " / evidence rule " in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        ({"outcome": "kader:misschien"}, "onbekende shg:uitkomst"),
        ({"outcome": '"voldoet"'}, "onbekende shg:uitkomst"),
        ({"order": '"eerst"'}, "shg:volgorde is geen geheel getal"),
        ({"extra": "shg:grondslag gs:gerucht ;"}, "onbekende shg:grondslag"),
    ],
)
def test_a_rule_with_an_unknown_value_is_refused(kwargs, why):
    with pytest.raises(InputError, match=why):
        rules.rules_from_graph(rule_graph(**kwargs))


def test_two_rules_of_one_indicator_in_the_same_place_are_refused():
    g = rule_graph()
    g += (
        rule_graph()
        .query(
            """CONSTRUCT { <https://w3id.org/ggsr/shapes#R9.9.9-twee> ?p ?o } WHERE { ?s ?p ?o }"""
        )
        .graph
    )
    with pytest.raises(InputError, match="zelfde shg:volgorde 1"):
        rules.rules_from_graph(g)


def test_a_rule_without_labels_is_refused():
    g = rule_graph()
    g.remove((None, rdflib.RDFS.label, None))
    with pytest.raises(InputError, match="rdfs:label"):
        rules.rules_from_graph(g)


def test_every_shipped_rule_binds_its_fact():
    """What the loader checks, on the shipped rules: ?feit bound in every solution."""
    for rule in rules.load_rules():
        query = rdflib.plugins.sparql.algebra.translateQuery(
            parseQuery(sparql_prologue() + "SELECT * WHERE {\n" + rule.pattern + "\n}")
        )
        assert "feit" in rules.bound_variables(query.algebra), rule.name


def test_no_rules_at_all_is_an_error_not_a_scorecard_of_unknowns(monkeypatch):
    """An installation without shapes/regels/ must not quietly give onbekend everywhere."""
    monkeypatch.setattr(rules, "rule_files", lambda: [])
    with pytest.raises(RuntimeError, match="no evidence rules"):
        rules.load_rules.__wrapped__()
