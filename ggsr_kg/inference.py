"""Inference before validation: the small OWL RL subset the shapes rely on, as SPARQL rules.

The shapes ask for ``?r a ggsr:Regisseursfunctie`` (a gezinscoördinator is one), for
``org:hasMember`` (a ggsr:kernpartner is one), for the leefgebieden a kind of organisation serves
(owl:hasValue restrictions), for ``ggsr:vanFunctie`` (inverse of ggsr:bevoegdheid) and for
``ggsr:escaleertNaar`` (transitive). These rules materialise exactly that, into a graph of its own,
until nothing new follows:

1. rdfs:subClassOf — types propagate up the class hierarchy (cax-sco);
2. rdfs:subPropertyOf — statements propagate to super-properties (prp-spo1);
3. owl:inverseOf — both directions (prp-inv1, prp-inv2);
4. owl:TransitiveProperty — transitive closure (prp-trp);
5. owl:hasValue restrictions on a superclass — the value is asserted (cls-hv1).

No rdfs:domain/range typing: a wrong domain in the data should show up as a data error, not be
"repaired" by inference. The test suite checks that these rules derive the same triples as owlrl's
full OWL-RL closure does for our vocabulary. ``--zonder-afleiding`` switches inference off.
"""

from __future__ import annotations

import pyoxigraph as ox

INFERRED_GRAPH = ox.NamedNode("https://w3id.org/ggsr/graph/afgeleid")

_RULES = [
    # 1 class hierarchy
    """CONSTRUCT { ?x a ?super } WHERE {
        ?c rdfs:subClassOf+ ?super . FILTER(isIRI(?super)) ?x a ?c .
        FILTER NOT EXISTS { ?x a ?super }
    }""",
    # 2 property hierarchy
    """CONSTRUCT { ?s ?super ?o } WHERE {
        ?p rdfs:subPropertyOf+ ?super . ?s ?p ?o . FILTER NOT EXISTS { ?s ?super ?o }
    }""",
    # 3 inverses, both ways
    """CONSTRUCT { ?o ?q ?s } WHERE {
        { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } ?s ?p ?o .
        FILTER(!isLiteral(?o)) FILTER NOT EXISTS { ?o ?q ?s }
    }""",
    # 5 hasValue restrictions
    """CONSTRUCT { ?x ?p ?v } WHERE {
        ?c rdfs:subClassOf ?r . ?r owl:onProperty ?p ; owl:hasValue ?v . ?x a ?c .
        FILTER NOT EXISTS { ?x ?p ?v }
    }""",
]
_TRANSITIVE = "SELECT ?p WHERE { ?p a owl:TransitiveProperty }"
_TRANSITIVE_RULE = (
    "CONSTRUCT {{ ?s <{p}> ?o }} WHERE {{ ?s <{p}>/<{p}>+ ?o FILTER NOT EXISTS {{ ?s <{p}> ?o }} }}"
)
_PREFIXES = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
)


def materialise(store: ox.Store, max_rounds: int = 10) -> int:
    """Add everything the rules derive to INFERRED_GRAPH; return the number of triples added."""
    if store.contains_named_graph(INFERRED_GRAPH):
        store.remove_graph(INFERRED_GRAPH)
    added = 0  # exact: every rule skips what is already there, and each rule's output is a set
    for _ in range(max_rounds):
        grew = False
        transitive = [
            s["p"].value
            for s in store.query(_PREFIXES + _TRANSITIVE, use_default_graph_as_union=True)
        ]
        rules = _RULES + [_TRANSITIVE_RULE.format(p=p) for p in transitive]
        for rule in rules:
            # written rule by rule (the rules skip what is already there), so at most one rule's
            # output is held in Python: a national graph derives about a million triples
            new = {
                ox.Quad(t.subject, t.predicate, t.object, INFERRED_GRAPH)
                for t in store.query(_PREFIXES + rule, use_default_graph_as_union=True)
            }
            if new:
                store.bulk_extend(new)
                added += len(new)
                grew = True
        if not grew:
            break
    return added
