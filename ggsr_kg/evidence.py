"""What each fact rests on: the ``ggsr:grondslag`` of every fact, inferred after the OWL rules.

A fact (a role, an authority, an arrangement, a practice, an absence …) names its evidence with
``ggsr:vastgelegdIn`` (a document; a sub-property of ``ggsr:blijktUit``) or ``ggsr:blijktUit``.
Its grondslag is the strongest kind among them (ontology/codelijsten.ttl, *Grondslag*):

- a document counts when its status counts (``ggsr:geldend true``) and it has not expired before
  the year of the fact's network (``ggsr:geldigTot``); then → ``document``;
- a statement → ``verklaring``; a finding → ``bevinding``;
- another fact or practice used as evidence → whatever that rests on;
- a fact or practice that names no evidence at all → ``praktijk`` (described practice).

A fact whose only evidence is a draft, expired or withdrawn document gets no grondslag: it does not
count, and the evidence rules (shapes/regels/) never see it. Written into the inferred graph, so
``--zonder-afleiding`` leaves it out too. Also here, because the rules rely on it: a principle
adopted through a method gets the method's principles (``ggsr:methode`` → ``ggsr:draagtBeginsel``).
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from .inference import INFERRED_GRAPH
from .namespaces import GGSR, sparql_prologue

_GRONDSLAG = ox.NamedNode(str(GGSR.grondslag))
_BEGINSEL = ox.NamedNode(str(GGSR.beginsel))
_EVIDENCE_PROPERTIES = (ox.NamedNode(str(GGSR.blijktUit)), ox.NamedNode(str(GGSR.vastgelegdIn)))
_BASIS = "https://w3id.org/ggsr/def/grondslag/"
_ORDER = (
    "document",
    "praktijk",
    "verklaring",
    "bevinding",
)  # strongest first; ties keep this order

# Classes whose instances are facts that can rest on evidence.
_FACT_CLASSES = (
    "ggsr:Praktijk",
    "ggsr:Regeling",
    "ggsr:Bevoegdheid",
    "ggsr:Functie",
    "ggsr:Escalatiemodel",
    "ggsr:Doelgroepomschrijving",
    "ggsr:Afwezigheid",
)

# The network a fact belongs to, by whichever link its kind uses.
NETWORK_PATH = (
    "(ggsr:netwerk|org:postIn|ggsr:vanFunctie/org:postIn|ggsr:voorFunctie/org:postIn"
    "|^ggsr:escalatiemodel|^ggsr:doelgroepomschrijving)"
)

# Paths rather than inferred triples, so the grondslag is there with or without OWL inference
# (``--zonder-afleiding``): without it nothing would count and every indicator would read onbekend.
_EVIDENCED_BY = "(ggsr:blijktUit|ggsr:vastgelegdIn)"
_IS_A = "a/rdfs:subClassOf*"

_FACTS = f"""SELECT DISTINCT ?f ?c WHERE {{
    ?f {_IS_A} ?c . FILTER (?c IN ({", ".join(_FACT_CLASSES)}))
}}"""

# (fact, evidence, year of the fact's network, and what the evidence is: a document — with the
# last year it is valid and whether its status counts —, a statement, a finding, another fact).
# Two forms of one question: over everything a UNION of the kinds is fastest; for a few facts
# (refresh) OPTIONALs anchored on their evidence, or Oxigraph lists every document, statement and
# finding of the store for each chunk (0.4 s instead of 0.006 s for a municipality at N=342).
_EVIDENCE_HEAD = f"""SELECT DISTINCT ?f ?e ?year ?document ?until ?counts ?verklaring ?bevinding ?feit
WHERE {{
    ?f {_EVIDENCED_BY} ?e .
    OPTIONAL {{ ?f {NETWORK_PATH} ?n . ?n ggsr:peiljaar ?year }}"""
_DOCUMENT = f"""{{ ?e {_IS_A} ggsr:Document . BIND (true AS ?document)
       OPTIONAL {{ ?e ggsr:status/ggsr:geldend ?counts }}
       OPTIONAL {{ ?e ggsr:geldigTot ?until }} }}"""
_KINDS = (
    _DOCUMENT,
    f"{{ ?e {_IS_A} ggsr:Verklaring . BIND (true AS ?verklaring) }}",
    f"{{ ?e {_IS_A} ggsr:Bevinding . BIND (true AS ?bevinding) }}",
    f"{{ ?e {_IS_A} ?c . FILTER (?c IN ({', '.join(_FACT_CLASSES)})) BIND (true AS ?feit) }}",
)
_EVIDENCE_ALL = _EVIDENCE_HEAD + "\n    " + "\n    UNION ".join(_KINDS) + "\n}"
_EVIDENCE_OF = _EVIDENCE_HEAD + "".join(f"\n    OPTIONAL {k}" for k in _KINDS) + "\n}"

# A fact that expired itself (ggsr:geldigTot before its network's year) counts nowhere.
_EXPIRED = f"""SELECT DISTINCT ?f WHERE {{
    ?f ggsr:geldigTot ?until ; {NETWORK_PATH} ?n . ?n ggsr:peiljaar ?year .
    FILTER (xsd:integer(SUBSTR(STR(?until), 1, 4)) < ?year)
}}"""

_METHOD_PRINCIPLES = """SELECT ?u ?b WHERE {
    ?u ggsr:methode ?m . ?m ggsr:draagtBeginsel ?b . FILTER NOT EXISTS { ?u ggsr:beginsel ?b }
}"""


@cache
def _prologue() -> str:
    return sparql_prologue()


def _year(literal: ox.Literal | None) -> int | None:
    if literal is None:
        return None
    try:
        return int(literal.value[:4])
    except ValueError:
        return None


def materialise(store: ox.Store, only: set[ox.Term] | None = None) -> int:
    """Add ``ggsr:grondslag`` (and method principles) to INFERRED_GRAPH; return triples added.

    ``only``: derive the grondslag of these facts alone (:func:`refresh`); a fact they rest on
    outside the set keeps the grondslag the store holds for it."""
    if only is not None and any(not isinstance(f, ox.NamedNode) for f in only):
        only = None  # a blank node cannot be named in VALUES: derive everything

    def q(text: str):
        if only is None:
            return store.query(_prologue() + text, use_default_graph_as_union=True)
        return (row for chunk in _chunks(only) for row in _restricted(store, text, chunk))

    # a set: two methods may carry the same principle, and the count must be what was added
    principles = {ox.Quad(r["u"], _BEGINSEL, r["b"], INFERRED_GRAPH) for r in q(_METHOD_PRINCIPLES)}
    store.bulk_extend(principles)

    facts, absences = set(), set()
    for r in q(_FACTS):
        facts.add(r["f"])
        if r["c"].value == str(GGSR.Afwezigheid):
            absences.add(r["f"])
    expired = {r["f"] for r in q(_EXPIRED)}
    evidence: dict[ox.Term, list[tuple[ox.Term, str]]] = {}
    for r in q(_EVIDENCE_ALL if only is None else _EVIDENCE_OF):
        f = r["f"]
        kinds = [k for k in ("verklaring", "bevinding", "feit") if r[k] is not None]
        if r["document"] is not None:
            counts = r["counts"] is not None and r["counts"].value == "true"
            year, until = _year(r["year"]), _year(r["until"])
            # a draft, withdrawn or expired document: this evidence does not count
            if counts and not (year is not None and until is not None and until < year):
                kinds.insert(0, "document")
        evidence.setdefault(f, []).extend((r["e"], kind) for kind in kinds)

    best: dict[ox.Term, str | None] = {}

    def basis(f: ox.Term, seen: frozenset) -> str | None:
        if f in best:
            return best[f]
        if only is not None and f not in only:  # outside the refresh: as the store holds it
            held = next(store.quads_for_pattern(f, _GRONDSLAG, None, INFERRED_GRAPH), None)
            return held.object.value.removeprefix(_BASIS) if held is not None else None
        if f in expired:
            return None
        if f not in evidence:
            # no counting evidence: described practice — unless it named evidence that does not
            # count, or is an absence (which is only ever what a statement or finding says)
            named = any(
                next(store.quads_for_pattern(f, p, None), None) is not None
                for p in _EVIDENCE_PROPERTIES
            )
            return "praktijk" if not named and f in facts and f not in absences else None
        kinds = []
        for e, kind in evidence[f]:
            if kind == "feit":
                kinds.append(basis(e, seen | {f}) if e not in seen else None)
            else:
                kinds.append(kind)
        found = [k for k in kinds if k]
        return min(found, key=_ORDER.index) if found else None

    quads = []
    for f in (facts | evidence.keys()) if only is None else (facts | evidence.keys()) & only:
        b = best.setdefault(f, basis(f, frozenset()))
        if b is not None:
            quads.append(ox.Quad(f, _GRONDSLAG, ox.NamedNode(_BASIS + b), INFERRED_GRAPH))
    quads = [q for q in quads if q not in store]  # run twice (a partition), it adds nothing
    store.bulk_extend(quads)
    return len(principles) + len(quads)


def refresh(store: ox.Store, touched: set[ox.Term]) -> int:
    """After a change to the asserted triples about ``touched``: derive again the grondslag of
    every fact it can move — the touched facts, the facts of a touched network (its year decides
    whether a document has expired), and every fact that rests on one of these, transitively —
    and leave the rest. Equal to deriving everything afresh (tests/test_store.py); linear in the
    change, not in the store. Returns the triples added."""
    affected: set[ox.Term] | None = {t for t in touched if isinstance(t, ox.NamedNode)}
    blank = {t for t in touched if isinstance(t, ox.BlankNode)}
    if any(_is_ours(store, b) for b in blank):
        affected = None  # a fact that is a blank node cannot be named in VALUES: everything
    if affected is not None:
        affected |= blank  # a blank node (a derivation, a quote) only leads to what cites it
        networks = [t for t in affected if _is_network(store, t)]
        for chunk in _chunks(set(networks)):
            rows = _restricted(store, f"SELECT ?f WHERE {{ ?f {NETWORK_PATH} ?n }}", chunk, "n")
            affected |= {r["f"] for r in rows}
        frontier = set(affected)
        while frontier:  # facts resting on an affected node, to the end of the chain
            cited = {
                q.subject
                for t in frontier
                for p in _EVIDENCE_PROPERTIES
                for q in store.quads_for_pattern(None, p, t)
            }
            frontier = cited - affected
            affected |= frontier
        affected -= blank
    stale = (
        store.quads_for_pattern(None, _GRONDSLAG, None, INFERRED_GRAPH)
        if affected is None
        else (
            q
            for f in affected
            for q in store.quads_for_pattern(f, _GRONDSLAG, None, INFERRED_GRAPH)
        )
    )
    principles = (  # a method dropped from a touched node takes its principles with it
        q
        for t in touched
        if not isinstance(t, ox.Literal)
        for q in store.quads_for_pattern(t, _BEGINSEL, None, INFERRED_GRAPH)
    )
    for quad in [*stale, *principles]:
        store.remove(quad)
    return materialise(store, affected)


_NETWERK = ox.NamedNode(str(GGSR.Netwerk))
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_CHUNK = 500  # terms per VALUES block


def _is_ours(store: ox.Store, node: ox.Term) -> bool:
    """Typed with a class of our own (a fact, evidence): not a derivation or a quote."""
    return any(
        q.object.value.startswith(str(GGSR))
        for q in store.quads_for_pattern(node, _RDF_TYPE, None)
        if isinstance(q.object, ox.NamedNode)
    )


def _is_network(store: ox.Store, node: ox.Term) -> bool:
    return next(store.quads_for_pattern(node, _RDF_TYPE, _NETWERK), None) is not None


def _chunks(terms: set[ox.Term]):
    ordered = sorted(terms, key=str)
    for i in range(0, len(ordered), _CHUNK):
        yield ordered[i : i + _CHUNK]


def _restricted(store: ox.Store, text: str, terms: list[ox.Term], var: str = "f"):
    """``text`` (a SELECT with one WHERE group) with ``?var`` limited to ``terms`` by a VALUES
    block at the start of that group."""
    at = text.index("WHERE {") + len("WHERE {")
    values = f" VALUES ?{var} {{ {' '.join(str(t) for t in terms)} }} "
    return store.query(
        _prologue() + text[:at] + values + text[at:], use_default_graph_as_union=True
    )
