"""The ontology itself: it parses, it is consistent for HermiT, every term is labelled and defined
in Dutch and English, and no term of our namespace is used without being declared."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.sparql import prepareQuery

from ggsr_kg.namespaces import ORG
from ggsr_kg.rdfio import GRAPH_BASE
from ggsr_kg.resources import rdf_files, resource_dir

OURS = "https://w3id.org/ggsr/def"
TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,  # ggsr:bestaatTot, ggsr:opgevolgdDoor … are terms like any other
    OWL.NamedIndividual,
    SKOS.ConceptScheme,
)


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    g = rdflib.Graph()
    for f in rdf_files("ontology"):
        g.parse(f)
    return g


def our_terms(g: rdflib.Graph) -> set[rdflib.URIRef]:
    return {
        s
        for t in TERM_TYPES
        for s in g.subjects(RDF.type, t)
        if isinstance(s, rdflib.URIRef) and str(s).startswith(OURS)
    }


def test_header_has_version_title_licence(ontology):
    onto = rdflib.URIRef(OURS)
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert str(ontology.value(onto, OWL.versionIRI)).startswith(OURS + "/releases/")
    assert ontology.value(onto, OWL.versionInfo) is not None
    assert ontology.value(onto, rdflib.URIRef("http://purl.org/dc/terms/license")) is not None
    titles = {
        t.language for t in ontology.objects(onto, rdflib.URIRef("http://purl.org/dc/terms/title"))
    }
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
                    if (
                        isinstance(term, rdflib.URIRef)
                        and str(term).startswith(OURS)
                        and term not in declared
                    ):
                        problems.append(f"{f.name}: {term}")
    for q in sorted(resource_dir("queries").glob("*.rq")):
        import re

        for local in re.findall(r"\bggsr:([A-Za-z][\w-]*)", q.read_text(encoding="utf-8")):
            if rdflib.URIRef(OURS + "#" + local) not in declared:
                problems.append(f"{q.name}: ggsr:{local}")
    assert not sorted(set(problems)), "\n".join(sorted(set(problems)))


def test_counts_of_classes_and_properties(ontology):
    classes = {t for t in our_terms(ontology) if (t, RDF.type, OWL.Class) in ontology}
    props = {
        t
        for t in our_terms(ontology)
        if (t, RDF.type, OWL.ObjectProperty) in ontology
        or (t, RDF.type, OWL.DatatypeProperty) in ontology
    }
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


# ---- reused (external) terms: Dutch and English like our own -----------------------------------
# Every term of another vocabulary (ORG, PROV-O, SKOS, DCTERMS, OWL-Time, FOAF, schema.org …) that
# the ontology, the shapes or the shipped data use needs a label and a definition in Dutch and in
# English in the loaded ontology: the report shows its Dutch label (fact lists, ontologie.html).
# The W3C extract is ontology/imports/external.ttl, our translations are in
# ontology/imports/vertalingen.ttl.

NOT_TERMS = (str(RDF), str(RDFS), str(OWL), str(XSD), str(SH), "https://w3id.org/ggsr/")
# Predicates whose object names a class or property (not an instance): the term positions.
TERM_VALUED = frozenset(
    [RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range]
    + [
        OWL[p]
        for p in (
            "onProperty",
            "inverseOf",
            "someValuesFrom",
            "allValuesFrom",
            "onClass",
            "equivalentClass",
            "equivalentProperty",
            "disjointWith",
            "unionOf",
            "intersectionOf",
            "complementOf",
            "propertyChainAxiom",
            "members",
            "annotatedProperty",
            "onProperties",
        )
    ]
    + [
        SH[p]
        for p in (
            "path",
            "class",
            "targetClass",
            "targetSubjectsOf",
            "targetObjectsOf",
            "inversePath",
            "alternativePath",
            "zeroOrMorePath",
            "oneOrMorePath",
            "zeroOrOnePath",
            "datatype",
            "disjoint",
            "equals",
            "lessThan",
            "lessThanOrEquals",
        )
    ]
)
SPARQL_TEXT = (SH.select, SH.ask, SH.construct)
ONTOLOGY_GRAPHS = GRAPH_BASE + "ontology/"


def _terms_in(g: rdflib.Graph, node) -> Iterator[rdflib.URIRef]:
    """IRIs named by ``node``: itself, the members of a list, the parts of a SHACL path."""
    if isinstance(node, rdflib.URIRef):
        yield node
    elif isinstance(node, rdflib.BNode):
        if (node, RDF.first, None) in g:
            for item in Collection(g, node):
                yield from _terms_in(g, item)
        else:
            for p, o in g.predicate_objects(node):
                if p in TERM_VALUED:
                    yield from _terms_in(g, o)


def _terms_in_query(value) -> Iterator[rdflib.URIRef]:
    """Every IRI in a parsed SPARQL algebra (triple patterns, property paths, VALUES …)."""
    if isinstance(value, rdflib.URIRef):
        yield value
    elif isinstance(value, PropertyPath):
        for part in vars(value).values():
            yield from _terms_in_query(part)
    elif isinstance(value, Mapping):
        for part in value.values():
            yield from _terms_in_query(part)
        # rdflib keeps the translated group of a FILTER (NOT) EXISTS as an attribute, not an item;
        # the item's copy has lost its own FILTERs (and with them any EXISTS nested in them)
        for part in vars(value).values():
            yield from _terms_in_query(part)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for part in value:
            yield from _terms_in_query(part)


def used_terms() -> dict[rdflib.URIRef, set[str]]:
    """External terms (outside rdf, rdfs, owl, xsd, sh and our own IRIs) that the ontology, the
    shapes (also inside their SPARQL) and the shipped data use as class or property → files."""
    where: dict[rdflib.URIRef, set[str]] = {}
    shapes = rdflib.Graph()
    for folder in ("ontology", "shapes", "data"):
        root = resource_dir(folder).parent
        for f in rdf_files(folder):
            g = rdflib.Graph().parse(f)
            if folder == "shapes":
                shapes += g
            found = set(g.predicates())
            for s, p, o in g:
                if p in TERM_VALUED:
                    found.update(_terms_in(g, o))
                if p == RDF.type and o in TERM_TYPES + (OWL.AnnotationProperty,):
                    found.add(s)  # declared in the ontology (e.g. only there as an inverse)
            for t in found:
                if isinstance(t, rdflib.URIRef) and not str(t).startswith(NOT_TERMS):
                    where.setdefault(t, set()).add(f.relative_to(root).as_posix())
    for s, p, text in shapes.triples((None, None, None)):
        if p in SPARQL_TEXT:
            prefixes = {  # the sh:declare of the node(s) its sh:prefixes names, as SHACL reads them
                str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
                for source in shapes.objects(s, SH.prefixes)
                for d in shapes.objects(source, SH.declare)
            }
            query = prepareQuery(str(text), initNs=prefixes)
            for t in _terms_in_query(query.algebra):
                if not str(t).startswith(NOT_TERMS):
                    where.setdefault(t, set()).add(f"shapes (SPARQL of {s})")
    return where


def annotations(kg, terms) -> dict[rdflib.URIRef, list[tuple[str, str]]]:
    """(label|definition, language) of each term, as loaded in the ontology graphs of ``kg``."""
    values = " ".join(f"<{t}>" for t in terms)
    rows = kg.store.query(
        f"""SELECT ?t ?p ?o WHERE {{
              VALUES ?t {{ {values} }}
              VALUES ?p {{ <{RDFS.label}> <{SKOS.definition}> }}
              GRAPH ?g {{ ?t ?p ?o }} FILTER(STRSTARTS(STR(?g), "{ONTOLOGY_GRAPHS}")) }}"""
    )
    out: dict[rdflib.URIRef, list[tuple[str, str]]] = {t: [] for t in terms}
    for r in rows:
        kind = "label" if r["p"].value == str(RDFS.label) else "definition"
        language = r["o"].language if isinstance(r["o"], ox.Literal) else None
        out[rdflib.URIRef(r["t"].value)].append((kind, language or "-"))
    return out


def missing_dutch_or_english(
    found: dict[rdflib.URIRef, list[tuple[str, str]]],
) -> list[tuple[rdflib.URIRef, str]]:
    """(term, what is wrong) for every term without exactly one label and one definition in each
    of Dutch and English."""
    problems = []
    for term, pairs in sorted(found.items()):
        for kind in ("label", "definition"):
            for lang in ("nl", "en"):
                n = pairs.count((kind, lang))
                if n != 1:
                    problems.append((term, f"{n} × {kind}@{lang}"))
    return problems


@pytest.fixture(scope="module")
def external_terms() -> dict[rdflib.URIRef, set[str]]:
    return used_terms()


def test_the_scan_finds_external_terms_in_ontology_shapes_and_data(external_terms):
    """Guards the next test against passing on an empty list: terms known to come from the
    ontology (a range), the data, a SHACL target, and only from the shapes' SPARQL."""
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    expected = {
        ORG.Post: "ontology/ggsr.ttl",
        ORG.hasMember: "data/",
        prov.endedAtTime: "data/gelinkt/gelinkt.ttl",
        rdflib.URIRef("http://xmlns.com/foaf/0.1/Person"): "shapes/kwaliteit.ttl",
        ORG.unitOf: "shapes (SPARQL",
    }
    for term, where in expected.items():
        assert any(w.startswith(where) for w in external_terms.get(term, ())), (term, where)
    assert len(external_terms) >= 60
    assert not any(str(t).startswith(NOT_TERMS) for t in external_terms)


def test_every_reused_term_has_dutch_and_english_label_and_definition(kg, external_terms):
    """After KnowledgeGraph.default(): a missing one belongs in ontology/imports/vertalingen.ttl
    (and, if the term is new, its declaration in ontology/imports/external.ttl)."""
    problems = missing_dutch_or_english(annotations(kg, external_terms))
    assert not problems, "\n".join(
        f"{term}: {what} (used in {', '.join(sorted(external_terms[term])[:3])})"
        for term, what in problems
    )


def test_a_removed_dutch_label_is_reported(kg, external_terms):
    """The check itself: drop one Dutch label of org:hasMember and it is named."""
    found = annotations(kg, external_terms)
    found[ORG.hasMember].remove(("label", "nl"))
    assert missing_dutch_or_english(found) == [(ORG.hasMember, "0 × label@nl")]
