"""ontology/catalog-v001.xml: Protégé, ROBOT and ggsr_kg.catalog open the ontology offline.

Every owl:imports of the ontology files is in the catalog, every entry points (relative to the
catalog, as Protégé resolves it) to a file that declares the IRI it is mapped from, and the
ontology loaded THROUGH the catalog — with the network switched off — is what HermiT checks."""

from __future__ import annotations

import shutil
import socket

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ggsr_kg.catalog import CATALOG_NS, default_catalog, load_with_imports, read_catalog
from ggsr_kg.errors import InputError
from ggsr_kg.resources import rdf_files, resource_dir

ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
GGSR = rdflib.Namespace("https://w3id.org/ggsr/def#")
LG = rdflib.Namespace("https://w3id.org/ggsr/def/leefgebied/")


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test: loading must not touch the network."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args[:2]}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_every_owl_import_is_in_the_catalog_and_each_file_declares_its_iri():
    mapping = read_catalog(default_catalog())
    imports = {
        str(o)
        for f in rdf_files("ontology")
        for o in rdflib.Graph().parse(f).objects(None, OWL.imports)
    }
    assert imports, "the ontology imports something"
    assert imports <= set(mapping), imports - set(mapping)
    for iri, path in mapping.items():
        assert path.is_file(), (iri, path)
        assert (rdflib.URIRef(iri), RDF.type, OWL.Ontology) in rdflib.Graph().parse(path), iri


def test_entries_are_relative_to_the_catalog_as_protege_reads_them(tmp_path):
    """The uri attributes are relative paths; a copy of the folder elsewhere resolves to its own
    files (not to the checkout, not to the working directory)."""
    import xml.etree.ElementTree as ET

    root = ET.parse(default_catalog()).getroot()
    entries = root.iter(f"{{{CATALOG_NS}}}uri")
    assert all(not e.get("uri").startswith(("/", "http:", "https:", "file:")) for e in entries)
    copy = tmp_path / "elders" / "ontology"
    shutil.copytree(resource_dir("ontology"), copy)
    mapping = read_catalog(copy / "catalog-v001.xml")
    assert (
        mapping["https://w3id.org/ggsr/def/imports/external"] == copy / "imports" / "external.ttl"
    )
    assert all(copy in p.parents for p in mapping.values())


def test_xml_base_of_a_group_is_honoured(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.ttl").write_text(
        "<http://example.org/a> a <http://www.w3.org/2002/07/owl#Ontology> ."
    )
    (tmp_path / "catalog-v001.xml").write_text(
        f'<catalog xmlns="{CATALOG_NS}"><group xml:base="sub/">'
        '<uri name="http://example.org/a" uri="a.ttl"/></group></catalog>'
    )
    assert read_catalog(tmp_path / "catalog-v001.xml") == {
        "http://example.org/a": tmp_path / "sub" / "a.ttl"
    }


def test_loading_through_the_catalog_reads_every_import_without_the_network(no_network):
    ggsr = resource_dir("ontology") / "ggsr.ttl"
    graph, read = load_with_imports(ggsr)
    assert set(read) == {
        "https://w3id.org/ggsr/def/imports/external",
        "https://w3id.org/ggsr/def/imports/vertalingen",
        "https://w3id.org/ggsr/def/codelijsten",
    }
    # one fact from each imported file: the extract, the Dutch labels, the code lists
    assert (ORG.Post, RDF.type, OWL.Class) in graph
    assert (ORG.Post, RDFS.label, rdflib.Literal("positie", lang="nl")) in graph
    assert (LG.gezin, SKOS.inScheme, GGSR.Leefgebieden) in graph
    direct = rdflib.Graph()
    for path in [ggsr, *read.values()]:
        direct.parse(path)
    assert len(graph) == len(direct)


def test_an_import_the_catalog_does_not_map_is_refused_not_fetched(tmp_path, no_network):
    copy = tmp_path / "ontology"
    shutil.copytree(resource_dir("ontology"), copy)
    ggsr = copy / "ggsr.ttl"
    ggsr.write_text(
        ggsr.read_text(encoding="utf-8")
        + "\n<https://w3id.org/ggsr/def> owl:imports <http://example.org/elders> .\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="niet in de catalogus.*not fetched"):
        load_with_imports(ggsr, copy / "catalog-v001.xml")


def test_a_file_that_does_not_declare_its_iri_is_refused(tmp_path):
    copy = tmp_path / "ontology"
    shutil.copytree(resource_dir("ontology"), copy)
    external = copy / "imports" / "external.ttl"
    external.write_text(
        external.read_text(encoding="utf-8").replace(
            "<https://w3id.org/ggsr/def/imports/external> a owl:Ontology",
            "<https://w3id.org/ggsr/def/imports/anders> a owl:Ontology",
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="does not declare"):
        load_with_imports(copy / "ggsr.ttl", copy / "catalog-v001.xml")


@pytest.mark.slow
def test_hermit_finds_the_ontology_loaded_through_the_catalog_consistent(tmp_path, no_network):
    if shutil.which("java") is None:
        pytest.skip("Java is niet geïnstalleerd; HermiT (owlready2) heeft Java 17 nodig")
    import owlready2

    graph, _ = load_with_imports(resource_dir("ontology") / "ggsr.ttl")
    # the imports are merged into the graph; without the statements owlready2 fetches nothing
    graph.remove((None, OWL.imports, None))
    path = tmp_path / "ggsr-via-catalogus.nt"
    graph.serialize(path, format="nt")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    assert list(world.inconsistent_classes()) == []
    classes = {c.iri for c in onto.classes()}
    assert {str(GGSR.VeiligThuis), str(GGSR.Gezinsregisseur), str(GGSR.BureauJeugdzorg)} <= classes
    assert len(classes) >= 100
