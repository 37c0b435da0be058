"""Running the framework shapes: the fast engine on Oxigraph, and pySHACL as the reference.

The framework shapes (shapes/kader/) are compiled from the evidence rules (shapes/regels/,
:mod:`ggsr_kg.rules`): per indicator one SPARQL constraint that takes, in a grouped sub-select per
network, the strongest rule that matches. No engine evaluates that sub-select in linear time, so
the fast engine runs each rule's pattern once over all networks (decorrelated by
:mod:`ggsr_kg.sparqlopt`: ``FILTER (NOT) EXISTS`` as joins where that cannot change the answer)
and takes the same decision in Python — the results the compiled shapes give, tested equal to
pySHACL and Jena running the shapes themselves. ``validate(kg, shapes)`` with other shapes runs
their constraints as written, once over the whole store with ``$this`` bound by the target.
For some networks it validates their partition (:meth:`KnowledgeGraph.partition`: the graphs
that define them plus everything shared), so re-checking one municipality does not depend on how
many others are loaded; without partitions it runs the full validation and keeps their results.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .graph import KnowledgeGraph
from .sparqltext import where_group

if TYPE_CHECKING:  # rdflib, the shapes and the rewriter load only when a validation runs:
    import rdflib  # reading stored results should not pay for them (half a second)

    from .shapes import Constraint, ShapeSet

_PLACEHOLDER = re.compile(r"\{([?$])(\w+)\}")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_NETWERK = ox.NamedNode("https://w3id.org/ggsr/def#Netwerk")
_BASIS_IN_MESSAGE = re.compile(r"\(grondslag: (\w+)\)")  # pySHACL reports no extra bindings


@dataclass(frozen=True, order=True)
class Result:
    """One validation result, engine-independent."""

    focus: str
    shape: str
    severity: str
    value: str
    indicator: str | None = None
    message_nl: str = ""
    message_en: str = ""
    grondslag: str | None = None  # what the result rests on (rules.py); "geen" for onbekend
    # the value as an RDF term, so stored results keep its datatype (not part of equality)
    value_term: object = field(default=None, compare=False, repr=False, hash=False)

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What two engines must agree on (messages are rendered slightly differently)."""
        return (self.focus, self.shape, self.severity, self.value)


def validate(
    kg: KnowledgeGraph,
    shapes: ShapeSet | None = None,
    focus: Iterable[ox.NamedNode] | None = None,
    *,
    fresh: bool = False,
) -> list[Result]:
    """Framework validation on the embedded store; ``focus`` limits it to some networks.

    On a persistent store (:mod:`ggsr_kg.store`) the framework's results were computed when the
    data changed and are read back, unless ``fresh`` or other ``shapes`` are asked for."""
    if shapes is None and not fresh and "manifest" in kg.cache:
        from .store import stored_results

        focus = None if focus is None else list(focus)
        stored = stored_results(kg, focus)
        if stored is not None:
            return stored
    from .shapes import framework_shapes

    if shapes is None:
        # the decisions are kept for the scorecard, which explains them (scorecard._decisions)
        decided = kg.cache.setdefault("decisions", {})
        run = functools.partial(_validate_by_rules, keep=decided)
    else:
        run = _validate_all
    shapes = shapes or framework_shapes()
    if focus is None:
        return run(kg.store, shapes)
    focus = list(focus)
    wanted = {n.value for n in focus}
    # Without a partition (one file holds everything), the full run filtered is still cheaper
    # than pre-binding each focus node: Oxigraph's EXISTS scans the store for every node.
    store = kg.partition(focus) or kg.store
    return [r for r in run(store, shapes) if r.focus in wanted]


def _validate_by_rules(
    store: ox.Store,
    shapes: ShapeSet,
    networks: list[str] | None = None,
    keep: dict | None = None,
) -> list[Result]:
    """The framework's results from the evidence rules the shapes were compiled from.

    Each rule's pattern runs once over all networks (:func:`ggsr_kg.rules.decide`) and the
    decision is taken per network in Python: the results the compiled shapes give — an sh:Info
    result for onbekend, an sh:Violation per deciding fact of an improvement point — without
    their per-network sub-select, which no engine evaluates in linear time. Equal to pySHACL
    and Jena running the shapes themselves (tests/test_validation.py, tests/test_rules.py,
    tests/test_jena.py); ``validate(kg, framework_shapes())`` runs the compiled constraints."""
    from . import rules
    from .namespaces import sparql_prologue

    if networks is None:
        networks = [
            q.subject.value
            for q in store.quads_for_pattern(None, _RDF_TYPE, _NETWERK)
            if isinstance(q.subject, ox.NamedNode)
        ]
    by_rule, info = {}, {}
    for c in shapes.constraints:
        if c.rule:
            by_rule[c.rule] = c
        elif c.severity == _SH_INFO and c.indicator:
            info[c.indicator] = c
    out = set()
    decided = rules.decide(store, sparql_prologue(), sorted(set(networks)))
    if keep is not None:
        keep.update(decided)
    for (net, indicator), d in decided.items():
        this = ox.NamedNode(net)
        if d.status == rules.ONBEKEND and indicator in info:
            c = info[indicator]
            out.update(results_of(c, [{"this": this}]))
        elif d.status == rules.VERBETERPUNT:
            c = by_rule[d.rule.iri]
            rows = [
                {"this": this, "value": _term(m.fact), "grondslag": ox.Literal(m.basis)}
                for m in d.facts
            ]
            out.update(results_of(c, rows))
    return sorted(out)


def _term(value: str) -> ox.Term:
    return ox.BlankNode(value[2:]) if value.startswith("_:") else ox.NamedNode(value)


def _validate_all(store: ox.Store, shapes: ShapeSet) -> list[Result]:
    results: list[Result] = []
    for c in shapes.constraints:
        results.extend(_run(store, _prepared(c), c))
    return sorted(set(results))


@functools.lru_cache(maxsize=4096)
def _prepared(c: Constraint) -> str:
    """The constraint as the engine runs it (target bound, EXISTS decorrelated), made once."""
    from .sparqlopt import prepare

    text = _with_parameters(c, c.prefixes + c.select.replace("$this", "?this"))
    return prepare(text, c.target_class)


def _bind_target(c: Constraint) -> str:
    """The constraint with ``?this a <target>`` written in as text, not rewritten (the plain
    form the tests compare the engine's with)."""
    select = c.select.replace("$this", "?this")
    group = where_group(select)
    if group is None:
        raise ValueError(f"{c.shape}: SELECT zonder WHERE-blok")
    at = group[0] + 1
    return select[:at] + f" ?this a <{c.target_class}> . " + select[at:]


def _with_parameters(c: Constraint, query: str) -> str:
    """A component's parameters written in as IRIs, before the rewrite sees ``$name`` as a
    variable. They come from the shapes graph, not from users; NamedNode() checks each IRI."""
    for name, value in c.parameters:
        query = query.replace(f"${name}", str(ox.NamedNode(value)))
    return query


def _run(store: ox.Store, query: str, c: Constraint) -> list[Result]:
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return results_of(c, ({n: row[n] for n in names} for row in solutions))


def results_of(c: Constraint, rows) -> list[Result]:
    """The results of one constraint from its solutions (dicts of variable name → term)."""
    out = []
    for row in rows:
        values = {n: t for n, t in row.items() if t is not None}
        this = values["this"]  # bound by the target pattern in every row
        value = values.get("value", this)
        out.append(
            Result(
                focus=this.value,
                shape=c.shape,
                severity=c.severity,
                value=_term_str(value),
                indicator=c.indicator,
                message_nl=_message(c, "nl", values, this),
                message_en=_message(c, "en", values, this),
                grondslag=_basis(c.severity, values.get("grondslag")),
                value_term=value,
            )
        )
    return out


def _basis(severity: str, bound: ox.Term | None) -> str | None:
    if bound is not None:
        return bound.value
    return "geen" if severity == _SH_INFO else None


def _term_str(t: ox.Term) -> str:
    return t.value if isinstance(t, ox.NamedNode | ox.Literal) else f"_:{t.value}"


def _message(c: Constraint, lang: str, values: dict[str, ox.Term], this: ox.Term) -> str:
    texts = [text for language, text in c.messages if language == lang] or [
        text for _, text in c.messages
    ]
    if not texts:
        return ""

    def fill(m: re.Match) -> str:
        name = m.group(2)
        term = this if name == "this" else values.get(name)
        return term.value if term is not None else m.group(0)

    return _PLACEHOLDER.sub(fill, texts[0])


# ---- the reference engine ------------------------------------------------------------------------


def validate_pyshacl(kg: KnowledgeGraph, shapes: ShapeSet | None = None) -> list[Result]:
    """The same shapes through stock pySHACL (no inference: the store already holds it)."""
    from pyshacl import validate as pyshacl_validate

    from .shapes import framework_shapes

    shapes = shapes or framework_shapes()
    _, report, _ = pyshacl_validate(
        kg.to_rdflib(), shacl_graph=shapes.graph, inference="none", advanced=False
    )
    return results_from_report(report, shapes.graph)


def results_from_report(report: rdflib.Graph, shapes_graph: rdflib.Graph) -> list[Result]:
    import rdflib
    from rdflib.namespace import RDF

    from .namespaces import GGSR, SH

    out = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(r, SH.sourceShape)
        focus = report.value(r, SH.focusNode)
        value = report.value(r, SH.value, default=focus)
        indicator = shapes_graph.value(shape, GGSR.indicator)
        msgs = {m.language: str(m) for m in report.objects(r, SH.resultMessage)}
        severity = str(report.value(r, SH.resultSeverity))
        basis = _BASIS_IN_MESSAGE.search(msgs.get("nl", ""))
        out.add(
            Result(
                focus=str(focus),
                shape=str(shape),
                severity=severity,
                value=str(value) if not isinstance(value, rdflib.BNode) else f"_:{value}",
                indicator=str(indicator) if indicator else None,
                message_nl=msgs.get("nl", ""),
                message_en=msgs.get("en", ""),
                grondslag=basis.group(1) if basis else _basis(severity, None),
            )
        )
    return sorted(out)


_BASES = "https://w3id.org/ggsr/def/grondslag/"
_SH_INFO = "http://www.w3.org/ns/shacl#Info"


def report_graph(results: list[Result]) -> rdflib.Graph:
    """A W3C SHACL validation report for the results (for ``--format turtle``); each result also
    says what it rests on (``ggsr:grondslag``)."""
    import rdflib
    from rdflib.namespace import RDF

    from .namespaces import GGSR, SH

    g = rdflib.Graph()
    g.bind("sh", SH)
    g.bind("ggsr", GGSR)
    g.bind("gs", _BASES)
    report = rdflib.BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add(
        (
            report,
            SH.conforms,
            rdflib.Literal(not any(r.severity == str(SH.Violation) for r in results)),
        )
    )
    for r in results:
        node = rdflib.BNode()
        g.add((report, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, rdflib.URIRef(r.focus)))
        g.add((node, SH.sourceShape, rdflib.URIRef(r.shape)))
        g.add((node, SH.resultSeverity, rdflib.URIRef(r.severity)))
        g.add((node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
        if not r.value.startswith("_:"):
            term = rdflib.URIRef(r.value) if "://" in r.value else rdflib.Literal(r.value)
            g.add((node, SH.value, term))
        for lang, msg in (("nl", r.message_nl), ("en", r.message_en)):
            if msg:
                g.add((node, SH.resultMessage, rdflib.Literal(msg, lang=lang)))
        if r.grondslag:
            g.add((node, GGSR.grondslag, rdflib.URIRef(_BASES + r.grondslag)))
    return g
