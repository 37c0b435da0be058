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

# (fact, evidence, kind of evidence, year of the fact's network, last year the evidence is valid)
_EVIDENCE = f"""SELECT DISTINCT ?f ?e ?kind ?year ?until ?counts WHERE {{
    ?f {_EVIDENCED_BY} ?e .
    OPTIONAL {{ ?f {NETWORK_PATH} ?n . ?n ggsr:peiljaar ?year }}
    {{ ?e {_IS_A} ggsr:Document . BIND ("document" AS ?kind)
       OPTIONAL {{ ?e ggsr:status/ggsr:geldend ?counts }}
       OPTIONAL {{ ?e ggsr:geldigTot ?until }} }}
    UNION {{ ?e {_IS_A} ggsr:Verklaring . BIND ("verklaring" AS ?kind) }}
    UNION {{ ?e {_IS_A} ggsr:Bevinding . BIND ("bevinding" AS ?kind) }}
    UNION {{ ?e {_IS_A} ?c . FILTER (?c IN ({", ".join(_FACT_CLASSES)})) BIND ("feit" AS ?kind) }}
}}"""

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


def materialise(store: ox.Store) -> int:
    """Add ``ggsr:grondslag`` (and method principles) to INFERRED_GRAPH; return triples added."""
    q = lambda text: store.query(_prologue() + text, use_default_graph_as_union=True)  # noqa: E731
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
    for r in q(_EVIDENCE):
        f, kind = r["f"], r["kind"].value
        if kind == "document":
            counts = r["counts"] is not None and r["counts"].value == "true"
            year, until = _year(r["year"]), _year(r["until"])
            if not counts or (year is not None and until is not None and until < year):
                continue  # a draft, withdrawn or expired document: this evidence does not count
        evidence.setdefault(f, []).append((r["e"], kind))

    best: dict[ox.Term, str | None] = {}

    def basis(f: ox.Term, seen: frozenset) -> str | None:
        if f in best:
            return best[f]
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
    for f in facts | evidence.keys():
        b = best.setdefault(f, basis(f, frozenset()))
        if b is not None:
            quads.append(ox.Quad(f, _GRONDSLAG, ox.NamedNode(_BASIS + b), INFERRED_GRAPH))
    quads = [q for q in quads if q not in store]  # run twice (a partition), it adds nothing
    store.bulk_extend(quads)
    return len(principles) + len(quads)
