"""The ontology itself: it parses, it is consistent for HermiT, every term is labelled and defined
in Dutch and English, and no term of our namespace is used without being declared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ggsr_kg.resources import rdf_files, resource_dir

OURS = "https://w3id.org/ggsr/def"
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual,
              SKOS.ConceptScheme)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in rdf_files("ontology"):
        g.parse(f)
    return g


def our_terms(g: rdflib.Graph) -> set[rdflib.URIRef]:
    return {
        s for t in TERM_TYPES for s in g.subjects(RDF.type, t)
        if isinstance(s, rdflib.URIRef) and str(s).startswith(OURS)
    }


def test_header_has_version_title_licence(ontology):
    onto = rdflib.URIRef(OURS)
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert str(ontology.value(onto, OWL.versionIRI)).startswith(OURS + "/releases/")
    assert ontology.value(onto, OWL.versionInfo) is not None
    assert ontology.value(onto, rdflib.URIRef("http://purl.org/dc/terms/license")) is not None
    titles = {t.language for t in ontology.objects(onto, rdflib.URIRef("http://purl.org/dc/terms/title"))}
    assert titles == {"nl", "en"}


def test_every_term_has_one_label_per_language_and_a_definition(ontology):
    problems = []
    for term in sorted(our_terms(ontology)):
        labels = [lbl for lbl in ontology.objects(term, RDFS.label)]
        for lang in ("nl", "en"):
            n = sum(1 for lbl in labels if lbl.language == lang)
            if n != 1:
                problems.append(f"{term}: {n} rdfs:label@{lang}")
        defs = {d.language for d in ontology.objects(term, SKOS.definition)}
        if not {"nl", "en"} <= defs:
            problems.append(f"{term}: definition languages {defs}")
    assert not problems, "\n".join(problems)


def test_no_undeclared_term_of_our_namespace_anywhere():
    """The typo check: every ggsr: IRI used in ontology, shapes, data or queries is declared."""
    onto = rdflib.Graph()
    for f in rdf_files("ontology"):
        onto.parse(f)
    declared = {s for s in onto.subjects() if isinstance(s, rdflib.URIRef)}
    problems = []
    for folder in ("ontology", "shapes", "data"):
        for f in rdf_files(folder):
            g = rdflib.Graph().parse(f)
            for _s, p, o in g:
                if p == OWL.versionIRI:
                    continue
                for term in (p, o if p == RDF.type or isinstance(o, rdflib.URIRef) else None):
                    if isinstance(term, rdflib.URIRef) and str(term).startswith(OURS) \
                            and term not in declared:
                        problems.append(f"{f.name}: {term}")
    for q in sorted(resource_dir("queries").glob("*.rq")):
        import re

        for local in re.findall(r"\bggsr:([A-Za-z][\w-]*)", q.read_text(encoding="utf-8")):
            if rdflib.URIRef(OURS + "#" + local) not in declared:
                problems.append(f"{q.name}: ggsr:{local}")
    assert not sorted(set(problems)), "\n".join(sorted(set(problems)))


def test_counts_of_classes_and_properties(ontology):
    classes = {t for t in our_terms(ontology) if (t, RDF.type, OWL.Class) in ontology}
    props = {t for t in our_terms(ontology)
             if (t, RDF.type, OWL.ObjectProperty) in ontology or (t, RDF.type, OWL.DatatypeProperty) in ontology}
    # Figures for the README; the test guards against accidentally dropping part of the ontology.
    assert len(classes) >= 80
    assert len(props) >= 60


@pytest.mark.slow
def test_hermit_finds_the_ontology_consistent(tmp_path: Path, ontology):
    if shutil.which("java") is None:
        pytest.skip("Java is niet geïnstalleerd; HermiT (owlready2) heeft Java 17 nodig")
    import owlready2

    g = rdflib.Graph()
    for t in ontology:
        if t[1] != OWL.imports:  # the import is merged here; owlready2 must not fetch it
            g.add(t)
    path = tmp_path / "ggsr.nt"
    g.serialize(path, format="nt")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    unsatisfiable = list(world.inconsistent_classes())
    assert unsatisfiable == []
    assert len(list(onto.classes())) >= 80
