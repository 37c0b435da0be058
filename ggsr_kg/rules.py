"""Evidence rules (shapes/regels/) and what follows from them: SHACL shapes and explanations.

Each indicator has an ordered list of rules. A rule names a kind of fact (a SPARQL group over the
network ``$this`` that binds ``?feit``) and the outcome that fact gives. The verdict on a network:

1. the facts that match some rule and *count* (have a ``ggsr:grondslag``, ggsr_kg/evidence.py);
2. the strongest of them decides: lowest ``ggsr:rang`` (document 1, practice 2, statement and
   finding 3); among facts of equal strength, the rule listed first;
3. no fact at all → onbekend.

The same rules are compiled two ways, from one source:

- :func:`shapes_turtle` writes standard SHACL-SPARQL (shapes/kader/): an *-gegevens* shape
  (sh:Info, no fact matches → onbekend) and one sh:Violation constraint per rule that gives an
  improvement point, which reports the network only when its rule decides. Any SHACL engine
  derives the verdicts from these; ``python -m ggsr_kg.rules`` rewrites them.
- :func:`decide` runs each rule's pattern as a query and orders the matches in Python, which
  gives every outcome — voldoet included — its deciding facts and grondslag. A test holds the two
  equal on the shipped data and every fixture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.term import Variable

from . import cache as disk_cache
from .errors import InputError
from .namespaces import GGSR, KADER, SH_GGSR, SKOS, sparql_prologue
from .resources import resource_dir
from .threads import map_in_order

RULE_FOLDER = "regels"
SHAPES_IRI = "https://w3id.org/ggsr/shapes"
VOLDOET, VERBETERPUNT, ONBEKEND = "voldoet", "verbeterpunt", "onbekend"
RANK = {"document": 1, "praktijk": 2, "verklaring": 3, "bevinding": 3}
_BASIS_ORDER = ("document", "praktijk", "verklaring", "bevinding")


@dataclass(frozen=True)
class Rule:
    iri: str
    indicator: str
    order: int
    outcome: str  # voldoet | verbeterpunt
    label_nl: str
    label_en: str
    pattern: str
    fixed_basis: str | None = None  # notation of a grondslag the rule fixes (e.g. praktijk)

    @property
    def code(self) -> str:
        return self.indicator.rsplit("#I", 1)[-1]

    @property
    def name(self) -> str:
        return self.iri.rsplit("#", 1)[-1]


@dataclass(frozen=True)
class Match:
    rule: Rule
    fact: str
    basis: str  # grondslag notation
    rank: int


@dataclass
class Decision:
    """The verdict on one indicator for one network, and what it rests on."""

    status: str
    basis: str = "geen"  # document | praktijk | verklaring | bevinding | geen
    rule: Rule | None = None
    facts: list[Match] = field(default_factory=list)  # the deciding facts
    overruled: list[Match] = field(default_factory=list)  # other facts that speak, weaker or later


# ---- reading -------------------------------------------------------------------------------------


def rule_files() -> list[Path]:
    return sorted((resource_dir("shapes") / RULE_FOLDER).glob("*.ttl"))


@cache
def load_rules() -> tuple[Rule, ...]:
    files = rule_files()
    if not files:  # a broken installation: without rules every indicator would read onbekend
        folder = resource_dir("shapes") / RULE_FOLDER
        raise RuntimeError(f"geen beslisregels in {folder} / no evidence rules in {folder}")
    return tuple(rules_from_graph(_parse(files)))


def _parse(files: Iterable[Path]) -> rdflib.Graph:
    g = rdflib.Graph()
    for f in files:
        g.parse(f, format="turtle")
    return g


def rules_from_graph(g: rdflib.Graph) -> list[Rule]:
    """The rules in ``g``; InputError (one line, Dutch / English) for a rule that cannot work."""
    out = [_rule(g, r) for r in g.subjects(RDF.type, SH_GGSR.Bewijsregel)]
    seen: dict[tuple[str, int], str] = {}
    for r in out:
        other = seen.setdefault((r.indicator, r.order), r.name)
        if other != r.name:
            raise InputError(
                f"beslisregels {other} en {r.name}: zelfde shg:volgorde {r.order} voor "
                f"{r.code} / evidence rules {other} and {r.name}: same shg:volgorde {r.order}"
            )
    return sorted(out, key=lambda r: (_code_key(r.code), r.order))


_OUTCOMES = {str(KADER.voldoet): VOLDOET, str(KADER.verbeterpunt): VERBETERPUNT}
_BASES = "https://w3id.org/ggsr/def/grondslag/"
# variables the compiler adds beside a pattern's own (renamed) ones: see _strength, info_query
_RESERVED = {"g", "k", "g_k", "this"}


def _rule(g: rdflib.Graph, r: rdflib.term.Node) -> Rule:
    name = str(r).rsplit("#", 1)[-1]

    def refuse(nl: str, en: str) -> InputError:
        return InputError(f"beslisregel {name}: {nl} / evidence rule {name}: {en}")

    indicator = g.value(r, GGSR.indicator)
    if not isinstance(indicator, rdflib.URIRef) or not str(indicator).startswith(str(KADER.I)):
        raise refuse("geen ggsr:indicator kader:I…", "no ggsr:indicator kader:I…")
    order = g.value(r, SH_GGSR.volgorde)
    if not isinstance(order, rdflib.Literal) or not isinstance(order.toPython(), int):
        raise refuse("shg:volgorde is geen geheel getal", "shg:volgorde is not an integer")
    outcome = g.value(r, SH_GGSR.uitkomst)
    if str(outcome) not in _OUTCOMES:
        raise refuse(
            f"onbekende shg:uitkomst {outcome} (kader:voldoet of kader:verbeterpunt)",
            f"unknown shg:uitkomst {outcome} (kader:voldoet or kader:verbeterpunt)",
        )
    basis = g.value(r, SH_GGSR.grondslag)
    fixed = str(basis).removeprefix(_BASES) if basis is not None else None
    if fixed is not None and fixed not in RANK:
        raise refuse(
            f"onbekende shg:grondslag {basis} ({', '.join(RANK)})",
            f"unknown shg:grondslag {basis} ({', '.join(RANK)})",
        )
    labels = {lbl.language: str(lbl) for lbl in g.objects(r, RDFS.label)}
    if not labels.get("nl") or not labels.get("en"):
        raise refuse(
            "rdfs:label in het Nederlands en Engels ontbreekt",
            "rdfs:label in Dutch and English missing",
        )
    pattern = g.value(r, SH_GGSR.patroon)
    if pattern is None:
        raise refuse("geen shg:patroon", "no shg:patroon")
    pattern = _dedent(str(pattern))
    _check_pattern(pattern, refuse)
    return Rule(
        iri=str(r),
        indicator=str(indicator),
        order=int(order),
        outcome=_OUTCOMES[str(outcome)],
        label_nl=labels["nl"],
        label_en=labels["en"],
        pattern=pattern,
        fixed_basis=fixed,
    )


# Part of the key of a pattern that passed the check: this module's source and rdflib's version,
# so a changed check (or parser) never trusts what an older one passed.
_CHECK_VERSION = disk_cache.source_digest(__file__) + "/" + rdflib.__version__


def _check_pattern(pattern: str, refuse) -> None:
    """A pattern must parse, be about the network ``$this`` and bind ``?feit`` in every solution;
    its own variables must not be ones the compiler adds.

    A pattern that passed is remembered on disk (``cache.py``): rdflib's parser needs about 1.3 s
    for the 76 rules, which every short command (``validate --gemeente``) would pay again. Only a
    pass is remembered; a failing pattern is checked each time, so its message is always fresh."""
    key = f"{_CHECK_VERSION}\n{sparql_prologue()}\n{pattern}"
    if disk_cache.get("regelcontrole", key) == "ok":
        return
    _check_pattern_now(pattern, refuse)
    disk_cache.put("regelcontrole", key, "ok")


def _check_pattern_now(pattern: str, refuse) -> None:
    names = {m.group(1) for m in _TOKEN.finditer(pattern) if m.group(1)}
    clash = sorted(names & _RESERVED)
    if clash:
        raise refuse(
            f"variabele ?{clash[0]} is gereserveerd (gebruik $this voor het netwerk)",
            f"variable ?{clash[0]} is reserved (use $this for the network)",
        )
    if "$this" not in _TOKEN.sub("", pattern):
        raise refuse(
            "het patroon noemt het netwerk $this niet",
            "the pattern does not mention the network $this",
        )
    try:
        query = translateQuery(parseQuery(sparql_prologue() + f"SELECT * WHERE {{\n{pattern}\n}}"))
    except Exception as exc:  # pyparsing and rdflib raise several exception types
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise refuse(
            f"het patroon is geen geldige SPARQL ({first})",
            f"the pattern is not valid SPARQL ({first})",
        ) from None
    bound = bound_variables(query.algebra)
    if "feit" not in bound:
        raise refuse(
            "het patroon bindt ?feit niet in elke oplossing (het beslissende feit)",
            "the pattern does not bind ?feit in every solution (the deciding fact)",
        )
    # The shapes group every rule's matches by network before deciding, so $this must come from
    # the pattern's own triples, not only appear in a FILTER (where it would be unbound).
    if "this" not in bound:
        raise refuse(
            "het patroon bindt $this niet met een eigen tripelpatroon (alleen in een FILTER)",
            "the pattern does not bind $this with a triple pattern of its own (only in a FILTER)",
        )


def bound_variables(node) -> set[str]:
    """Variables certainly bound in every solution of an algebra node (rdflib's ``_vars`` also
    counts those only seen inside FILTER (NOT) EXISTS, OPTIONAL or one side of a UNION)."""
    name = getattr(node, "name", None)
    if name == "BGP":
        return {str(t) for triple in node.triples for t in triple if isinstance(t, Variable)}
    if name == "Join":
        return bound_variables(node.p1) | bound_variables(node.p2)
    if name in ("LeftJoin", "Minus"):
        return bound_variables(node.p1)
    if name == "Union":
        return bound_variables(node.p1) & bound_variables(node.p2)
    if name == "Extend":
        return bound_variables(node.p) | {str(node.var)}
    if name == "Graph":
        return bound_variables(node.p) | (
            {str(node.term)} if isinstance(node.term, Variable) else set()
        )
    if name == "values":
        rows = node.res or []
        return (
            set.intersection(*({str(k) for k, v in row.items() if v is not None} for row in rows))
            if rows
            else set()
        )
    if name in (
        "Project",
        "SelectQuery",
        "Filter",
        "ToMultiSet",
        "Distinct",
        "Reduced",
        "Slice",
        "OrderBy",
    ):
        inner = bound_variables(node.p)
        if name in ("Project", "SelectQuery") and node.get("PV") is not None:
            inner &= {str(v) for v in node.PV}
        return inner
    return set()


def _code_key(code: str) -> list[int]:
    return [int(x) for x in code.split(".")]


def _dedent(text: str) -> str:
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return "\n".join(x[indent:] for x in lines).strip()


def by_indicator(rules: Iterable[Rule]) -> dict[str, list[Rule]]:
    out: dict[str, list[Rule]] = {}
    for r in rules:
        out.setdefault(r.indicator, []).append(r)
    return out


# ---- compiling to SPARQL -------------------------------------------------------------------------

# ?variables outside IRIs and string literals; $this stays the focus node
_TOKEN = re.compile(r'<[^>]*>|"(?:[^"\\]|\\.)*"|\?([A-Za-z_]\w*)')


def rename(pattern: str, suffix: str, feit: str) -> str:
    """The pattern with every variable made its own (``?x`` → ``?x_suffix``) and ?feit → ``feit``,
    so several patterns can sit in one query without sharing variables by accident."""

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name is None:
            return m.group(0)
        return feit if name == "feit" else f"?{name}_{suffix}"

    return _TOKEN.sub(sub, pattern)


def _strength(rule: Rule, feit: str, rank: str, basis: str | None = None) -> str:
    """Triples binding ``rank`` (and ``basis``, its notation) for the rule's fact."""
    if rule.fixed_basis:
        text = f"BIND ({RANK[rule.fixed_basis]} AS {rank})"
        return text + (f' BIND ("{rule.fixed_basis}" AS {basis})' if basis else "")
    g = f"?g_{rank[1:]}"
    text = f"{feit} ggsr:grondslag {g} . {g} ggsr:rang {rank} ."
    return text + (f" {g} skos:notation {basis} ." if basis else "")


def _indent(text: str, by: str) -> str:
    return "\n".join(by + line if line else line for line in text.splitlines())


ORDER_SLOTS = 100  # a key is rank × ORDER_SLOTS + order: strength first, then the rule's place


def violation_query(rules: list[Rule], rule: Rule) -> str:
    """SELECT reporting the network (with ?value = the deciding fact) when ``rule`` decides.

    Which rule decides is computed once per network, not per candidate fact: a sub-select groups
    every counting match of the indicator's rules by network and keeps the smallest key (rank,
    then order). The rule's own facts are reported when their key is that smallest one. Grouping
    instead of a NOT EXISTS per rival keeps validation linear in the number of networks, on any
    engine, with no rewrite needed (the sub-select projects $this, as SHACL-SPARQL requires)."""
    branches = []
    for i, other in enumerate(rules):
        s = f"s{i}"
        feit = f"?feit_{s}"
        inner = rename(other.pattern, s, feit)
        inner += f"\n{_strength(other, feit, '?k_' + s)}"
        inner += f"\nBIND (?k_{s} * {ORDER_SLOTS} + {other.order} AS ?sleutel)"
        branches.append("{\n" + _indent(inner, "    ") + "\n}")
    union = _indent("\nUNION ".join(branches), "        ")
    decided = (
        "{ SELECT $this (MIN(?sleutel) AS ?beslissend) WHERE {\n"
        + union
        + "\n    } GROUP BY $this }"
    )
    body = [
        decided,
        rename(rule.pattern, "r", "?value"),
        _strength(rule, "?value", "?k", "?grondslag"),
        f"FILTER (?k * {ORDER_SLOTS} + {rule.order} = ?beslissend)",
    ]
    where = _indent("\n".join(body), "    ")
    return f"SELECT DISTINCT $this ?value ?grondslag WHERE {{\n{where}\n}}"


def info_query(rules: list[Rule]) -> str:
    """SELECT reporting the network when no fact matching any rule counts (onbekend)."""
    blocks = []
    for i, rule in enumerate(rules):
        feit = f"?feit_s{i}"
        inner = rename(rule.pattern, f"s{i}", feit)
        if not rule.fixed_basis:
            inner += f"\n{feit} ggsr:grondslag ?g_s{i} ."
        blocks.append("FILTER NOT EXISTS {\n" + _indent(inner, "    ") + "\n}")
    return "SELECT $this WHERE {\n" + _indent("\n".join(blocks), "    ") + "\n}"


def match_query(rule: Rule) -> str:
    """Every (network, fact, grondslag, rank) the rule matches — for :func:`decide`."""
    pattern = rename(rule.pattern, "r", "?feit").replace("$this", "?this")
    strength = _strength(rule, "?feit", "?rang", "?grondslag")
    return (
        "SELECT DISTINCT ?this ?feit ?grondslag ?rang WHERE {\n    ?this a ggsr:Netwerk .\n"
        + _indent(pattern, "    ")
        + "\n    "
        + strength
        + "\n}"
    )


def uncounted_query(rule: Rule) -> str:
    """Facts the rule's pattern matches that do not count (no grondslag: e.g. only a draft)."""
    pattern = rename(rule.pattern, "r", "?feit").replace("$this", "?this")
    return (
        "SELECT DISTINCT ?this ?feit WHERE {\n    ?this a ggsr:Netwerk .\n"
        + _indent(pattern, "    ")
        + "\n    FILTER NOT EXISTS { ?feit ggsr:grondslag ?grondslag }\n}"
    )


# ---- deciding (with explanations) ----------------------------------------------------------------


def _run(store: ox.Store, prologue: str, query: str, focus: list[str] | None):
    """Rows of ``query`` for every network, or only for ``focus`` (pre-bound one by one).

    The query runs with its FILTER (NOT) EXISTS decorrelated where that cannot change the answer
    (:func:`ggsr_kg.sparqlopt.prepare`): Oxigraph evaluates an EXISTS per row at a cost that grows
    with the store, so one rule over all networks would otherwise grow with their square."""
    from .sparqlopt import prepare

    text = prepare(prologue + query)
    if focus is None:
        yield from store.query(text, use_default_graph_as_union=True)
        return
    for n in focus:
        subs = {ox.Variable("this"): ox.NamedNode(n)}
        yield from store.query(text, use_default_graph_as_union=True, substitutions=subs)


def _rows_per_rule(store, prologue: str, rules: list[Rule], query, row, focus) -> list[list]:
    """For each rule (in order) the rows of ``query(rule)``, each turned into ``row(rule, r)``
    in the thread that ran the query (:mod:`ggsr_kg.threads`: the rules side by side)."""

    def one(rule: Rule) -> list:
        return [row(rule, r) for r in _run(store, prologue, query(rule), focus)]

    return map_in_order(store, one, rules)


def matches(
    store: ox.Store, prologue: str, rules: Iterable[Rule], focus: list[str] | None = None
) -> dict[tuple[str, str], list[Match]]:
    """(network, indicator) → every counting fact some rule of the indicator matches."""
    rules = list(rules)

    def row(rule: Rule, r) -> tuple[str, Match]:
        m = Match(rule, _name(r["feit"]), r["grondslag"].value, int(r["rang"].value))
        return r["this"].value, m

    out: dict[tuple[str, str], list[Match]] = {}
    for rule, rows in zip(
        rules, _rows_per_rule(store, prologue, rules, match_query, row, focus), strict=True
    ):
        for network, m in rows:
            out.setdefault((network, rule.indicator), []).append(m)
    return out


def _name(term: ox.Term) -> str:
    """An IRI as itself, a blank node as ``_:id`` (as the validation results write it)."""
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def not_counting(
    store: ox.Store, prologue: str, rules: Iterable[Rule], focus: list[str] | None = None
) -> dict[tuple[str, str], set[str]]:
    """(network, indicator) → facts a rule would read but that do not count (e.g. a draft)."""
    rules = [rule for rule in rules if not rule.fixed_basis]

    def row(rule: Rule, r) -> tuple[str, str]:
        return r["this"].value, _name(r["feit"])

    out: dict[tuple[str, str], set[str]] = {}
    for rule, rows in zip(
        rules, _rows_per_rule(store, prologue, rules, uncounted_query, row, focus), strict=True
    ):
        for network, fact in rows:
            out.setdefault((network, rule.indicator), set()).add(fact)
    return out


def decide_one(found: list[Match]) -> Decision:
    """The decision from the matches of one indicator for one network (see module docstring)."""
    if not found:
        return Decision(ONBEKEND)
    # a tie of equal strength under one rule (a statement and a finding) is broken by the kind of
    # evidence, never by the order the store returns facts in (which follows their IRIs)
    best = min(found, key=lambda m: (m.rank, m.rule.order, _BASIS_ORDER.index(m.basis)))
    deciding = sorted(
        {m for m in found if m.rule == best.rule and m.rank == best.rank}, key=lambda m: m.fact
    )
    rest = sorted(
        (m for m in set(found) if m not in deciding), key=lambda m: (m.rank, m.rule.order, m.fact)
    )
    return Decision(best.rule.outcome, best.basis, best.rule, deciding, rest)


FOCUS_ONE_BY_ONE = 20  # at most this many networks, and few of the store's: pre-bind each
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_NETWERK = ox.NamedNode(str(GGSR.Netwerk))


def one_pass(store) -> bool:
    """A store where each query is a round trip (an endpoint) asks once for all networks."""
    return getattr(store, "one_pass", False)


def focus_for(store, networks: list[str]) -> list[str] | None:
    """The networks to pre-bind one by one, or None for one pass over all: one pass is about four
    times faster per network (measured at 15 and 20 networks), so pre-binding pays only for a few
    networks in a store that holds many more (a municipality in a national store)."""
    if one_pass(store) or len(networks) > FOCUS_ONE_BY_ONE:
        return None
    total = sum(1 for _ in store.quads_for_pattern(None, _RDF_TYPE, _NETWERK))
    return networks if len(networks) * 20 <= total else None


def decide(
    store: ox.Store, prologue: str, networks: Iterable[str], rules: Iterable[Rule] | None = None
) -> dict[tuple[str, str], Decision]:
    """Decision per (network, indicator) for the given networks and every indicator with rules."""
    rules = list(rules or load_rules())
    networks = list(networks)
    found = matches(store, prologue, rules, focus_for(store, networks))
    indicators = by_indicator(rules)
    return {(n, ind): decide_one(found.get((n, ind), [])) for n in networks for ind in indicators}


# ---- compiling to SHACL (shapes/kader/) ----------------------------------------------------------

THEME_FILES = {
    "1": "1-toeleiding.ttl",
    "2": "2-gezin-centraal.ttl",
    "3": "3-aanpak.ttl",
    "4": "4-samenwerking.ttl",
    "5": "5-continu.ttl",
}

_HEADER = """\
# GEGENEREERD — niet met de hand bewerken. / GENERATED — do not edit by hand.
# Compiled from shapes/regels/{source} by `python -m ggsr_kg.rules`; the rules say which facts
# decide each indicator and in which order (shapes/regels/README.md, docs/beslisregels.md).
@prefix sh:    <http://www.w3.org/ns/shacl#> .
@prefix shg:   <https://w3id.org/ggsr/shapes#> .
@prefix ggsr:  <https://w3id.org/ggsr/def#> .
@prefix kader: <https://w3id.org/ggsr/kader#> .
"""


def _lit(text: str) -> str:
    return '"""' + text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') + '"""'


def _str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def shapes_turtle(rules: list[Rule], source: str) -> str:
    """The SHACL shapes of the indicators in ``rules`` as Turtle."""
    parts = [_HEADER.format(source=source)]
    for _indicator, own in by_indicator(rules).items():
        code = own[0].code
        positive = "; ".join(r.label_nl for r in own if r.outcome == VOLDOET)
        positive_en = "; ".join(r.label_en for r in own if r.outcome == VOLDOET)
        parts.append(f"# ---- {code} " + "-" * (90 - len(code)))
        parts.append(
            f"shg:I{code}-gegevens a sh:NodeShape ; ggsr:indicator kader:I{code} ;\n"
            f"    sh:targetClass ggsr:Netwerk ; sh:severity sh:Info ;\n"
            f"    sh:sparql [ sh:prefixes <{SHAPES_IRI}> ;\n"
            f"        sh:message {_str('Onbekend: geen document, praktijk, verklaring of bevinding spreekt over deze indicator. Beslissend zou zijn: ' + positive + '.')}@nl ,\n"
            f"            {_str('Unknown: no document, practice, statement or finding speaks to this indicator. Deciding would be: ' + positive_en + '.')}@en ;\n"
            f"        sh:select {_lit(info_query(own))} ] ."
        )
        negatives = [r for r in own if r.outcome == VERBETERPUNT]
        if negatives:
            names = " , ".join(f"shg:{r.name}-toets" for r in negatives)
            parts.append(
                f"shg:I{code} a sh:NodeShape ; ggsr:indicator kader:I{code} ;\n"
                f"    sh:targetClass ggsr:Netwerk ; sh:severity sh:Violation ;\n"
                f"    sh:sparql {names} ."
            )
        for r in negatives:
            parts.append(
                f"shg:{r.name}-toets a sh:SPARQLConstraint ; shg:regel shg:{r.name} ;\n"
                f"    sh:prefixes <{SHAPES_IRI}> ;\n"
                f"    sh:message {_str('Verbeterpunt: ' + r.label_nl + ' (grondslag: {?grondslag}).')}@nl ,\n"
                f"        {_str('Improvement point: ' + r.label_en + ' (basis: {?grondslag}).')}@en ;\n"
                f"    sh:select {_lit(violation_query(own, r))} ."
            )
    return "\n\n".join(parts) + "\n"


def write_shapes(out_dir: Path | None = None) -> list[Path]:
    """(Re)write shapes/kader/*.ttl from shapes/regels/*.ttl; returns the files written."""
    out_dir = out_dir or resource_dir("shapes") / "kader"
    written = []
    for src in rule_files():
        rules = rules_from_graph(_parse([src]))
        target = out_dir / src.name
        target.write_text(shapes_turtle(rules, src.name), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    for path in write_shapes():
        print(path)
    from .ruledocs import write_docs

    print(write_docs())


__all__ = ["Rule", "Decision", "load_rules", "decide", "shapes_turtle", "KADER", "SKOS"]
