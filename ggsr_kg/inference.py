"""Inference before validation: the small OWL RL subset the shapes rely on.

The shapes ask for ``?r a ggsr:Regisseursfunctie`` (a gezinscoördinator is one), for
``org:hasMember`` (a ggsr:kernpartner is one), for the leefgebieden a kind of organisation serves
(owl:hasValue restrictions), for ``ggsr:vanFunctie`` (inverse of ggsr:bevoegdheid) and for
``ggsr:escaleertNaar`` (transitive). These rules materialise exactly that, into a graph of its own
(:data:`INFERRED_GRAPH`), until nothing new follows:

1. rdfs:subClassOf — types propagate up the class hierarchy (cax-sco);
2. rdfs:subPropertyOf — statements propagate to super-properties (prp-spo1);
3. owl:inverseOf — both directions (prp-inv1, prp-inv2);
4. owl:TransitiveProperty — transitive closure (prp-trp);
5. owl:hasValue restrictions on a superclass — the value is asserted (cls-hv1).

No rdfs:domain/range typing: a wrong domain in the data should show up as a data error, not be
"repaired" by inference. A derived triple that some graph already asserts is not added again (the
store's default graph is the union of its graphs, which Oxigraph does not deduplicate).

How. The schema (class and property hierarchy, inverses, restrictions, transitive properties) is
read once from the store and compiled into Python tables; the data triples those tables mention are
then closed semi-naively: each new triple is looked up in the tables, never joined by SPARQL. Rules
1, 2, 3 and 5 have one data premise, so every triple derived from a triple about node x is about x
or (through an inverse) about the object of that triple. That makes the closure *local*:
:func:`refresh` re-derives only what is about the nodes a changed graph mentions (and the
escalation chains they are on), so replacing one municipality's file costs what that file holds,
not what the store holds. The test suite checks the derived triples against owlrl's full OWL-RL
closure for our vocabulary (``tests/test_inference.py``), and that a refresh after a change equals a
full run (``tests/test_store.py``). ``--zonder-afleiding`` switches inference off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

INFERRED_GRAPH = ox.NamedNode("https://w3id.org/ggsr/graph/afgeleid")

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
TYPE = ox.NamedNode(_RDF + "type")
_SUBCLASS = ox.NamedNode(_RDFS + "subClassOf")
_SUBPROP = ox.NamedNode(_RDFS + "subPropertyOf")
_INVERSE = ox.NamedNode(_OWL + "inverseOf")
_TRANSITIVE = ox.NamedNode(_OWL + "TransitiveProperty")
_ON_PROPERTY = ox.NamedNode(_OWL + "onProperty")
_HAS_VALUE = ox.NamedNode(_OWL + "hasValue")
SCHEMA_PREDICATES = frozenset(
    p.value for p in (_SUBCLASS, _SUBPROP, _INVERSE, _ON_PROPERTY, _HAS_VALUE)
)

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Triple = tuple[Term, ox.NamedNode, Term]


@dataclass
class Schema:
    """The rule tables: what one data triple implies, looked up instead of joined."""

    superclasses: dict[Term, set[ox.NamedNode]] = field(default_factory=dict)
    superproperties: dict[ox.NamedNode, set[ox.NamedNode]] = field(default_factory=dict)
    inverses: dict[ox.NamedNode, set[ox.NamedNode]] = field(default_factory=dict)
    values: dict[Term, list[tuple[ox.NamedNode, Term]]] = field(default_factory=dict)
    transitive: set[ox.NamedNode] = field(default_factory=set)

    @property
    def classes(self) -> set[Term]:
        """Classes whose members get something derived (a superclass or a restriction value)."""
        return set(self.superclasses) | set(self.values)

    @property
    def properties(self) -> set[ox.NamedNode]:
        """Properties whose statements get something derived."""
        return set(self.superproperties) | set(self.inverses) | self.transitive

    def consequences(self, t: Triple) -> Iterable[Triple]:
        s, p, o = t
        if p == TYPE:
            for d in self.superclasses.get(o, ()):
                yield (s, TYPE, d)
            for q, v in self.values.get(o, ()):
                yield (s, q, v)
        for q in self.superproperties.get(p, ()):
            yield (s, q, o)
        if not isinstance(o, ox.Literal):
            for q in self.inverses.get(p, ()):
                yield (o, q, s)


def _closure(edges: dict) -> dict:
    """Transitive closure of a small relation (the schema's hierarchies), without the node itself
    unless it lies on a cycle."""
    out = {}
    for start in edges:
        seen: set = set()
        todo = list(edges[start])
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo.extend(edges.get(n, ()))
        out[start] = seen
    return out


def read_schema(store: ox.Store) -> Schema:
    """The rule tables from the schema triples anywhere in ``store`` (inferred ones excluded)."""

    def pairs(p: ox.NamedNode):
        for q in store.quads_for_pattern(None, p, None):
            if q.graph_name != INFERRED_GRAPH:
                yield q.subject, q.object

    sub: dict = {}
    for c, d in pairs(_SUBCLASS):
        sub.setdefault(c, set()).add(d)
    supers = _closure(sub)
    schema = Schema()
    schema.superclasses = {
        c: {d for d in ds if isinstance(d, ox.NamedNode)} for c, ds in supers.items()
    }
    schema.superclasses = {c: ds for c, ds in schema.superclasses.items() if ds}
    subp: dict = {}
    for p, q in pairs(_SUBPROP):
        subp.setdefault(p, set()).add(q)
    schema.superproperties = {p: qs for p, qs in _closure(subp).items() if qs}
    for p, q in pairs(_INVERSE):
        schema.inverses.setdefault(p, set()).add(q)
        schema.inverses.setdefault(q, set()).add(p)
    on_property = dict(pairs(_ON_PROPERTY))
    has_value = dict(pairs(_HAS_VALUE))
    for c, ds in sub.items():  # cls-hv1 takes the restriction a class is *directly* under
        for r in ds:
            if r in on_property and r in has_value:
                schema.values.setdefault(c, []).append((on_property[r], has_value[r]))
    schema.transitive = {
        q.subject
        for q in store.quads_for_pattern(None, TYPE, _TRANSITIVE)
        if isinstance(q.subject, ox.NamedNode) and q.graph_name != INFERRED_GRAPH
    }
    return schema


def _asserted(store: ox.Store, t: Triple) -> bool:
    return any(q.graph_name != INFERRED_GRAPH for q in store.quads_for_pattern(t[0], t[1], t[2]))


def _derive(store: ox.Store, schema: Schema, seeds: Iterable[Triple], keep) -> set[Triple]:
    """Everything the rules derive from ``seeds`` (plus the transitive chains they are on) that
    no graph of the store asserts and whose subject ``keep`` accepts."""
    known: set[Triple] = set(seeds)
    derived: set[Triple] = set()
    agenda = list(known)

    def new(c: Triple) -> None:
        known.add(c)
        if not _asserted(store, c):
            derived.add(c)
        agenda.append(c)

    while True:
        while agenda:
            for c in schema.consequences(agenda.pop()):
                if c not in known:
                    new(c)
        grew = False
        for p in schema.transitive:
            edges: dict = {}
            for s, q, o in known:
                if q == p:
                    edges.setdefault(s, set()).add(o)
            if not edges:
                continue
            for s, _, o in _edges_from_store(store, p, edges):
                edges.setdefault(s, set()).add(o)
            for s, reach in _closure(edges).items():
                for o in reach:
                    if (s, p, o) not in known:
                        new((s, p, o))
                        grew = True
        if not grew:
            break
    return {t for t in derived if keep(t[0])}


def _edges_from_store(store: ox.Store, p: ox.NamedNode, edges: dict) -> list[Triple]:
    """The p-statements reachable from the nodes in ``edges`` (a chain may continue in the store)."""
    out, todo, done = [], [n for ns in edges.values() for n in ns] + list(edges), set()
    while todo:
        n = todo.pop()
        if n in done or isinstance(n, ox.Literal):
            continue
        done.add(n)
        for q in store.quads_for_pattern(n, p, None):
            out.append((q.subject, p, q.object))
            todo.append(q.object)
    return out


def _seeds_for(store: ox.Store, schema: Schema, nodes: Iterable[Term] | None) -> list[Triple]:
    """The asserted triples the rules start from: all of them, or those about ``nodes``."""
    classes, properties = schema.classes, schema.properties
    inverse_props = set(schema.inverses)
    out: list[Triple] = []

    def take(q: ox.Quad) -> None:
        if q.graph_name == INFERRED_GRAPH:
            return
        if (q.predicate == TYPE and q.object in classes) or q.predicate in properties:
            out.append((q.subject, q.predicate, q.object))

    if nodes is None:
        for c in classes:
            for q in store.quads_for_pattern(None, TYPE, c):
                take(q)
        for p in properties:
            for q in store.quads_for_pattern(None, p, None):
                take(q)
        return out
    for n in nodes:
        for q in store.quads_for_pattern(n, None, None):
            take(q)
        if not isinstance(n, ox.Literal):
            for p in inverse_props:  # an inverse derives a triple about the object
                for q in store.quads_for_pattern(None, p, n):
                    take(q)
    return out


def materialise(store: ox.Store, max_rounds: int = 10) -> int:
    """Add everything the rules derive to INFERRED_GRAPH; return the number of triples added.
    (``max_rounds`` is kept for callers of the former SPARQL rules; the closure is exact.)"""
    if store.contains_named_graph(INFERRED_GRAPH):
        store.remove_graph(INFERRED_GRAPH)
    schema = read_schema(store)
    before = len(store)

    def write(triples: Iterable[Triple]) -> None:
        # written class by class and at the end, not gathered: a national graph derives about
        # a million triples, and holding them all as Python objects cost half a gigabyte
        quads = [ox.Quad(s, p, o, INFERRED_GRAPH) for s, p, o in triples]
        if quads:
            store.bulk_extend(quads)

    _full_closure(store, schema, write)
    return len(store) - before  # a triple two rules derive is written twice, stored once


def _predicate_table(schema: Schema) -> dict:
    """Predicate → what a statement with it implies, as (q, flipped, needs_object_node) steps:
    sub-properties and inverses followed to the end (an inverse swaps subject and object, and
    needs an object that is not a literal)."""
    table = {}
    for p in schema.superproperties.keys() | schema.inverses.keys():
        seen: set = set()
        todo = [(p, False, False)]
        while todo:
            q, flipped, needs_node = todo.pop()
            for r in schema.superproperties.get(q, ()):
                state = (r, flipped, needs_node)
                if state not in seen:
                    seen.add(state)
                    todo.append(state)
            for r in schema.inverses.get(q, ()):
                state = (r, not flipped, needs_node or not flipped)
                if state not in seen:
                    seen.add(state)
                    todo.append(state)
        table[p] = [(q, f, n) for q, f, n in seen if (q, f) != (p, False)]
    return table


def _full_closure(store: ox.Store, schema: Schema, write) -> None:
    """The whole closure by set algebra over the schema tables: types in one pass (the class
    hierarchy is closed already), restriction values from them, then property statements
    through the predicate table, transitive chains, and again until nothing new follows.
    Faster than the per-triple agenda of :func:`_derive`, which serves the local refresh."""

    def asserted(p, o=None):
        return store.quads_for_pattern(None, p, o)

    members: dict = {}  # class → subjects typed with it (asserted or derived)
    for c in schema.classes:
        members[c] = {q.subject for q in asserted(TYPE, c) if q.graph_name != INFERRED_GRAPH}
    typed: dict = {}  # class → subjects that get it derived
    for c, supers in schema.superclasses.items():
        for d in supers:
            typed.setdefault(d, set()).update(members.get(c, ()))
    for d in list(typed):
        xs = typed.pop(d)
        have = members.get(d)
        if have is None:
            have = {q.subject for q in asserted(TYPE, d) if q.graph_name != INFERRED_GRAPH}
        new = xs - have
        write((x, TYPE, d) for x in new)
        if d in schema.values:
            members[d] = members[d] | new
    for c in [c for c in members if c not in schema.values]:
        del members[c]  # only the classes with restriction values are asked again
    out: set[Triple] = set()
    statements: list[Triple] = []
    for c, pairs in schema.values.items():
        for x in members.get(c, ()):
            statements.extend((x, p, v) for p, v in pairs)
    table = _predicate_table(schema)
    for p in table.keys() | schema.transitive:
        statements.extend(
            (q.subject, p, q.object) for q in asserted(p) if q.graph_name != INFERRED_GRAPH
        )
    known: dict = {}  # predicate → {(s, o)} of everything asserted or derived with it
    have: dict = {}

    def is_new(t: Triple) -> bool:
        s, p, o = t
        pairs = known.setdefault(p, set())
        if (s, o) in pairs:
            return False
        pairs.add((s, o))
        if p not in have:
            have[p] = {(q.subject, q.object) for q in asserted(p) if q.graph_name != INFERRED_GRAPH}
        written = p == TYPE and any(store.quads_for_pattern(s, TYPE, o, INFERRED_GRAPH))
        if (s, o) not in have[p] and not written:  # types were written class by class above
            out.add(t)
        return True

    todo = [t for t in statements if is_new(t) or True]
    while todo:
        fresh: list[Triple] = []
        for s, p, o in todo:
            for q, flipped, needs_node in table.get(p, ()):
                if needs_node and isinstance(o, ox.Literal):
                    continue
                t = (o, q, s) if flipped else (s, q, o)
                if is_new(t):
                    fresh.append(t)
        for p in schema.transitive:
            edges: dict = {}
            for s, o in known.get(p, ()):
                edges.setdefault(s, set()).add(o)
            for s, reach in _closure(edges).items():
                for o in reach:
                    if is_new((s, p, o)):
                        fresh.append((s, p, o))
        todo = fresh
    write(out)


def nodes_of(quads: Iterable[ox.Quad]) -> set[Term]:
    """The nodes whose derived triples a change to these quads can affect: their subjects, and
    the objects that are not literals (an inverse makes them subjects)."""
    out: set[Term] = set()
    for q in quads:
        out.add(q.subject)
        if not isinstance(q.object, ox.Literal) and q.predicate != TYPE:
            out.add(q.object)  # a class is no subject of anything these rules derive
    return out


def refresh(store: ox.Store, nodes: set[Term], schema: Schema | None = None) -> tuple[int, int]:
    """Re-derive what is about ``nodes`` after the asserted triples about them changed: drop
    their inferred triples, derive again from what the store now asserts. Escalation chains
    through these nodes are followed to their ends. Returns (removed, added).

    Exact when the schema did not change (a data file holds no subClassOf, subPropertyOf,
    inverseOf, hasValue or TransitiveProperty: the store refuses a refresh otherwise)."""
    schema = schema or read_schema(store)
    nodes = set(nodes) | _chain_nodes(store, schema, nodes)
    old = [
        q
        for n in nodes
        if not isinstance(n, ox.Literal)
        for q in store.quads_for_pattern(n, None, None, INFERRED_GRAPH)
    ]
    for q in old:
        store.remove(q)
    derived = _derive(store, schema, _seeds_for(store, schema, nodes), lambda s: s in nodes)
    store.extend(ox.Quad(s, p, o, INFERRED_GRAPH) for s, p, o in derived)
    return len(old), len(derived)


def _chain_nodes(store: ox.Store, schema: Schema, nodes: set[Term]) -> set[Term]:
    """Every node on a transitive chain (either direction) through one of ``nodes``: a derived
    ``a escaleertNaar c`` may rest on a step about ``b`` only."""
    props = set(schema.transitive)
    props |= {p for p, qs in schema.superproperties.items() if qs & schema.transitive}
    out: set[Term] = set()
    todo = [n for n in nodes if not isinstance(n, ox.Literal)]
    while todo:
        n = todo.pop()
        for p in props:
            for q in store.quads_for_pattern(n, p, None):
                if q.object not in out and not isinstance(q.object, ox.Literal):
                    out.add(q.object)
                    todo.append(q.object)
            for q in store.quads_for_pattern(None, p, n):
                if q.subject not in out:
                    out.add(q.subject)
                    todo.append(q.subject)
    return out - set(nodes)
