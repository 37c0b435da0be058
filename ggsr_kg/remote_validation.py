"""``ggsr-kg validate --endpoint URL``: the framework, judged on a remote SPARQL 1.1 server that
holds the graph with its inferred triples (``ggsr-kg load --endpoint``).

The evidence rules' patterns go to the server as the embedded engine runs them (EXISTS
decorrelated: plain SPARQL 1.1, nothing Oxigraph-specific), once for all networks, and the
decision is taken as the embedded engine takes it; the scorecard's own questions go there too —
networks, municipalities, the framework, and how each verdict is explained (grondslag, deciding
facts, what does not count) through :class:`RemoteRuleStore`. The scorecard equals the embedded
one in every field, and the compiled shapes run there as written give the same SHACL results
(``tests/test_store.py``, on Oxigraph's server). An inspectorate that keeps its graph in a
triplestore validates there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from .graph import KnowledgeGraph
from .namespaces import sparql_prologue


class EndpointGraph(KnowledgeGraph):
    """A KnowledgeGraph whose questions go to a SPARQL endpoint instead of the embedded store."""

    def __init__(self, url: str, graph: str | None, timeout: float) -> None:
        super().__init__()
        self.url, self.graph, self.timeout = url, graph, timeout

    def query_rows(self, text: str) -> tuple[list[str], list[dict]]:
        from .remote import select

        return select(self.url, text, graph=self.graph, timeout=self.timeout)

    def select(self, query: str, bindings: Mapping[str, ox.Term] | None = None) -> list[dict]:
        from .queries import with_values

        text = with_values(sparql_prologue() + query, dict(bindings or {}))
        names, rows = self.query_rows(text)
        return [{n: row.get(n) for n in names} for row in rows]

    def ask(self, query: str, bindings: Mapping[str, ox.Term] | None = None) -> bool:
        raise NotImplementedError("ASK on an endpoint graph")

    def rule_store(self) -> RemoteRuleStore:
        return RemoteRuleStore(self)


class RemoteRuleStore:
    """What :mod:`ggsr_kg.rules` asks of a store — ``query`` with pre-bound variables — answered
    by the endpoint. A pre-binding becomes a VALUES block of RDF terms (never pasted text)."""

    one_pass = True  # each query is a round trip: one for all networks (ggsr_kg.rules)

    def __init__(self, kg: EndpointGraph) -> None:
        self.kg = kg

    def query(
        self,
        text: str,
        *,
        use_default_graph_as_union: bool = True,
        substitutions: Mapping[ox.Variable, ox.Term] | None = None,
    ) -> list[dict]:
        from .queries import with_values

        bindings = {v.value: t for v, t in (substitutions or {}).items()}
        names, rows = self.kg.query_rows(with_values(text, bindings) if bindings else text)
        return [{n: row.get(n) for n in names} for row in rows]

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"].value)


def endpoint_graph(args) -> EndpointGraph:
    from .commands.load import _target
    from .remote import DEFAULT_TIMEOUT, endpoint_urls

    urls = endpoint_urls(args.endpoint)
    return EndpointGraph(
        urls.query, _target(getattr(args, "graph", None)), args.timeout or DEFAULT_TIMEOUT
    )


def validate_remote(kg: EndpointGraph, focus: Iterable[ox.NamedNode] | None = None) -> list:
    """The framework's results on the endpoint, for ``focus`` (all networks when None): the
    evidence rules' patterns run there, once for all networks, and the decision is taken as the
    embedded engine takes it (:func:`ggsr_kg.validation._validate_by_rules`) — the compiled
    shapes' per-network sub-select would make the server's work grow with the square of N."""
    from .shapes import framework_shapes
    from .validation import _validate_by_rules

    networks = sorted({n["netwerk"].value for n in kg.networks()})
    results = _validate_by_rules(kg.rule_store(), framework_shapes(), networks)
    if focus is not None:
        wanted = {f.value for f in focus}
        results = [r for r in results if r.focus in wanted]
    return sorted(results)


def validate_shapes_remote(kg: EndpointGraph) -> list:
    """Every compiled framework constraint as written, on the endpoint (for comparison: what a
    SHACL-SPARQL engine computes there; tests/test_store.py holds it equal)."""
    from .shapes import framework_shapes
    from .validation import _prepared, results_of

    results = set()
    for c in framework_shapes().constraints:
        names, rows = kg.query_rows(_prepared(c))
        results.update(results_of(c, ({n: row.get(n) for n in names} for row in rows)))
    return sorted(results)
