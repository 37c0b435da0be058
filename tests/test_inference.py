"""Inference before validation (ggsr_kg/inference.py): what it derives, that it can be switched
off and matters, and that it agrees with owlrl's full OWL-RL closure on our vocabulary."""

from __future__ import annotations

from pathlib import Path

import owlrl
import pytest
import rdflib
from rdflib import RDF, BNode, URIRef

from ggsr_kg.graph import KnowledgeGraph
from ggsr_kg.inference import INFERRED_GRAPH
from ggsr_kg.scorecard import scorecard
from ggsr_kg.validation import validate

FIXTURES = Path(__file__).parent / "fixtures"
INFERENTIE = FIXTURES / "inferentie.ttl"
I322 = FIXTURES / "kader" / "I3.2.2.ttl"

OURS = "https://w3id.org/ggsr/"
GGSR = rdflib.Namespace(OURS + "def#")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
LG = rdflib.Namespace(OURS + "def/leefgebied/")
ID = rdflib.Namespace(OURS + "id/")
COMPARED = {RDF.type, GGSR.leefgebied, ORG.hasMember, GGSR.vanFunctie, GGSR.escaleertNaar}


@pytest.fixture(scope="module")
def kg_infer():
    return KnowledgeGraph.default(data=[INFERENTIE])


@pytest.fixture(scope="module")
def kg_no_infer():
    return KnowledgeGraph.default(data=[INFERENTIE], infer=False)


def holds(kg: KnowledgeGraph, s: str, p: str, o: str) -> bool:
    return kg.ask(f"PREFIX lg: <{LG}>\nASK {{ {s} {p} {o} }}")


# ---- (a) what the rules derive ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("s", "p", "o"),
    [
        # class hierarchy: a gezinscoördinator is a regisseursfunctie (and so a functie, an org:Post)
        ("id:fx-inferentie-2014-gezinscoordinator", "a", "ggsr:Regisseursfunctie"),
        ("id:fx-inferentie-2014-gezinscoordinator", "a", "org:Post"),
        ("id:doc-fx-inferentie-convenant", "a", "ggsr:Overeenkomst"),
        # owl:hasValue restrictions: the kind of organisation gives its leefgebieden
        ("id:fx-inferentie-org-politie", "ggsr:leefgebied", "lg:veiligheid"),
        ("id:fx-inferentie-org-bjz", "ggsr:leefgebied", "lg:gezin"),
        ("id:fx-inferentie-org-bjz", "ggsr:leefgebied", "lg:veiligheid"),
        ("id:fx-inferentie-org-wi", "ggsr:leefgebied", "lg:inkomen"),
        # sub-property: a kernpartner is a member
        ("id:fx-inferentie-aanpak-2014", "org:hasMember", "id:fx-inferentie-org-bjz"),
        # inverse: the authority knows its role; the network knows its posts
        (
            "id:fx-inferentie-2014-doorzettingsmacht",
            "ggsr:vanFunctie",
            "id:fx-inferentie-2014-gezinscoordinator",
        ),
        ("id:fx-inferentie-aanpak-2014", "org:hasPost", "id:fx-inferentie-2014-gezinscoordinator"),
        # sub-property + transitivity: volgendeStap chains escalate transitively
        ("id:fx-inferentie-2014-stap-1", "ggsr:escaleertNaar", "id:fx-inferentie-2014-stap-2"),
        ("id:fx-inferentie-2014-stap-2", "ggsr:escaleertNaar", "id:fx-inferentie-2014-stap-3"),
        ("id:fx-inferentie-2014-stap-1", "ggsr:escaleertNaar", "id:fx-inferentie-2014-stap-3"),
    ],
)
def test_derived_with_inference_not_without(kg_infer, kg_no_infer, s, p, o):
    assert holds(kg_infer, s, p, o), f"not derived: {s} {p} {o}"
    assert not holds(kg_no_infer, s, p, o), (
        f"already asserted, so the test proves nothing: {s} {p} {o}"
    )


@pytest.mark.parametrize(
    ("s", "p", "o"),
    [
        # no rdfs:domain/range typing, no escalation backwards, registering does not make a member
        ("id:fx-inferentie-2014-stap-3", "ggsr:escaleertNaar", "id:fx-inferentie-2014-stap-1"),
        ("id:fx-inferentie-aanpak-2014", "org:hasMember", "id:fx-inferentie-org-politie"),
        ("id:fx-inferentie-org-buurtteam", "ggsr:leefgebied", "lg:gezin"),
        ("id:fx-inferentie-org-politie", "ggsr:leefgebied", "lg:gezin"),
    ],
)
def test_not_derived(kg_infer, s, p, o):
    assert not holds(kg_infer, s, p, o), f"derived but should not be: {s} {p} {o}"


def derived(kg: KnowledgeGraph) -> list:
    return list(kg.store.quads_for_pattern(None, None, None, INFERRED_GRAPH))


def test_inference_reports_what_it_added(kg_infer, kg_no_infer):
    assert kg_no_infer.inferred == 0
    assert kg_infer.inferred == len(derived(kg_infer)) > 0
    # without inference only what each fact rests on is derived (the rules need it either way),
    # never an OWL consequence
    assert {q.predicate.value for q in derived(kg_no_infer)} <= {
        str(GGSR.grondslag),
        str(GGSR.beginsel),
    }
    asserted = len(kg_no_infer) - len(derived(kg_no_infer))
    assert len(kg_infer) == asserted + kg_infer.inferred


# ---- (b) inference is switchable, and the verdicts depend on it --------------------------------


def status_322(kg: KnowledgeGraph, netwerk: str) -> str:
    scores = scorecard(kg, validate(kg), kg.networks())
    [score] = [s for s in scores if s.netwerk == netwerk and s.indicator == "3.2.2"]
    return score.status


def test_doorzettingsmacht_of_a_gezinscoordinator_needs_inference():
    """The only regisseur is typed ggsr:Gezinscoordinator; the evidence rule asks for a
    ggsr:Regisseursfunctie, which only inference supplies."""
    netwerk = str(ID["fx-3-2-2-regisseur-document"])
    with_inference = KnowledgeGraph.default(data=[I322])
    without = KnowledgeGraph.default(data=[I322], infer=False)
    assert not without.ask(f"ASK {{ ?r a ggsr:Regisseursfunctie ; org:postIn <{netwerk}> }}")
    assert with_inference.ask(f"ASK {{ ?r a ggsr:Regisseursfunctie ; org:postIn <{netwerk}> }}")
    assert status_322(with_inference, netwerk) == "voldoet"
    assert status_322(without, netwerk) != "voldoet"


# ---- (c) the rules against owlrl's OWL-RL closure ---------------------------------------------


def iri_triples(g: rdflib.Graph) -> set:
    """Triples without blank nodes (blank-node labels differ between two exports of the store)."""
    return {t for t in g if not isinstance(t[0], BNode) and not isinstance(t[2], BNode)}


def compared(triples: set) -> set:
    return {
        (s, p, o)
        for s, p, o in triples
        if p in COMPARED and (p != RDF.type or (isinstance(o, URIRef) and str(o).startswith(OURS)))
    }


@pytest.fixture(scope="module")
def closures(kg_infer, kg_no_infer):
    asserted = kg_no_infer.to_rdflib()
    base = iri_triples(asserted)
    full = rdflib.Graph()
    for t in asserted:
        full.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(full)
    return base, iri_triples(kg_infer.to_rdflib()), iri_triples(full)


def test_our_rules_derive_a_subset_of_owl_rl(closures):
    base, ours, owl_rl = closures
    derived = ours - base
    assert derived, "the fixture should make the rules derive something"
    missing = sorted(derived - owl_rl)
    assert not missing, f"derived by our rules but not by OWL-RL: {missing[:20]}"


def test_our_rules_match_owl_rl_on_the_vocabulary_the_shapes_use(closures):
    base, ours, owl_rl = closures
    ours_c, owl_c = compared(ours), compared(owl_rl)
    assert compared(ours - base), "nothing derived for the compared predicates"
    assert ours_c <= owl_c, f"ours only: {sorted(ours_c - owl_c)[:20]}"
    assert ours_c == owl_c, f"OWL-RL only: {sorted(owl_c - ours_c)[:20]}"
    # the headline derivations are among them
    for t in [
        (ID["fx-inferentie-2014-gezinscoordinator"], RDF.type, GGSR.Regisseursfunctie),
        (ID["fx-inferentie-org-politie"], GGSR.leefgebied, LG.veiligheid),
        (ID["fx-inferentie-aanpak-2014"], ORG.hasMember, ID["fx-inferentie-org-bjz"]),
        (
            ID["fx-inferentie-2014-doorzettingsmacht"],
            GGSR.vanFunctie,
            ID["fx-inferentie-2014-gezinscoordinator"],
        ),
        (ID["fx-inferentie-2014-stap-1"], GGSR.escaleertNaar, ID["fx-inferentie-2014-stap-3"]),
    ]:
        assert t in ours_c and t in owl_c and t not in base, t


# ---- (d) is full OWL RL needed? The verdicts with owlrl's closure equal those with our rules ----


@pytest.mark.slow
def test_full_owl_rl_gives_the_same_verdicts_as_our_rules(tmp_path):
    """The shapes rely on five rules; owlrl's full OWL-RL closure derives many more triples
    (owl:Thing typing, sameAs reflexivity, datatype facts …) but no verdict changes: the full
    rule set is not needed. (owlrl takes minutes where our rules take milliseconds.)"""
    import time

    import pyoxigraph as ox

    from ggsr_kg.synth import generate

    path = tmp_path / "synth.nq"
    generate(2, seed=4).write(path)
    ours = KnowledgeGraph.default(data=[path])
    bare = KnowledgeGraph.default(data=[path], infer=False)
    full = bare.to_rdflib()
    start = time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(full)
    took = time.perf_counter() - start
    closed = KnowledgeGraph()
    g = ox.NamedNode("https://w3id.org/ggsr/test/owlrl")
    closed.store.extend(
        ox.Quad(*(_ox(t) for t in triple), g)
        for triple in full
        if not isinstance(triple[0], rdflib.Literal)
    )
    assert len(closed.store) > len(ours.store)  # owlrl derives more
    assert {r.key for r in validate(closed)} == {r.key for r in validate(ours)}, took


def _ox(t):
    import pyoxigraph as ox

    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if t.language:
        return ox.Literal(str(t), language=t.language)
    if t.datatype:
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
    return ox.Literal(str(t))
