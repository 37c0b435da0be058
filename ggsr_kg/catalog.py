"""Loading an ontology with its owl:imports resolved through an OASIS XML catalog, offline.

``ontology/catalog-v001.xml`` is the file Protégé and the Ontology Development Kit use to map an
import IRI to a local file. This module reads the same file the same way — ``uri`` entries, their
``uri`` attribute resolved against ``xml:base`` of the enclosing elements and the catalog's own
location — and follows ``owl:imports`` through it with rdflib. An import the catalog does not map,
or maps to anything but a local file, is an error: nothing is fetched from the network.

Written by hand (some forty lines) because no maintained Python library resolves owl:imports
through an XML catalog: rdflib and owlready2 do not read catalogs, and lxml's catalog support
resolves XML entities and DTDs, not RDF imports (see docs/modelling.md, "Offline: de catalogus").
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlparse
from urllib.request import url2pathname

import rdflib
from rdflib.namespace import OWL, RDF

from .errors import InputError
from .resources import resource_dir

CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def default_catalog() -> Path:
    """The catalog shipped beside the ontology files."""
    return resource_dir("ontology") / "catalog-v001.xml"


def read_catalog(path: Path | str) -> dict[str, Path]:
    """Import IRI → local file, for every ``uri`` entry of the catalog (also inside groups)."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise InputError(
            f"{path}: geen leesbare XML-catalogus / not a readable XML catalog: {exc}"
        ) from None
    mapping: dict[str, Path] = {}

    def walk(element: ET.Element, base: str) -> None:
        base = urljoin(base, element.get(_XML_BASE, ""))
        for child in element:
            if child.tag == f"{{{CATALOG_NS}}}group":
                walk(child, base)
            elif child.tag == f"{{{CATALOG_NS}}}uri":
                target = urlparse(
                    urljoin(urljoin(base, child.get(_XML_BASE, "")), child.get("uri"))
                )
                if target.scheme != "file":
                    raise InputError(
                        f"{path}: {child.get('name')} wijst niet naar een lokaal bestand / "
                        f"does not map to a local file ({target.geturl()})"
                    )
                mapping[child.get("name")] = Path(url2pathname(target.path))

    walk(root, path.resolve().as_uri())
    return mapping


def load_with_imports(
    ontology: Path | str, catalog: Path | str | None = None
) -> tuple[rdflib.Graph, dict[str, Path]]:
    """The ontology file merged with everything it imports, directly or not, each import read from
    the file the catalog maps it to. Returns the graph and the imports that were read. Raises
    InputError for an import the catalog does not map, a missing file, or a file that does not
    declare the ontology it is mapped from (Protégé reports the same mismatch)."""
    mapping = read_catalog(catalog if catalog is not None else default_catalog())
    graph = rdflib.Graph()
    graph.parse(ontology, format="turtle")
    read: dict[str, Path] = {}
    pending = [str(o) for o in graph.objects(None, OWL.imports)]
    while pending:
        iri = pending.pop()
        if iri in read:
            continue
        if iri not in mapping:
            raise InputError(
                f"owl:imports <{iri}> staat niet in de catalogus en wordt niet opgehaald / "
                "is not in the catalog and is not fetched"
            )
        part = rdflib.Graph()
        try:
            part.parse(mapping[iri], format="turtle")
        except FileNotFoundError:
            raise InputError(
                f"{mapping[iri]}: bestand ontbreekt / file missing (for <{iri}>)"
            ) from None
        if (rdflib.URIRef(iri), RDF.type, OWL.Ontology) not in part:
            raise InputError(
                f"{mapping[iri]} declareert <{iri}> niet als owl:Ontology / "
                f"does not declare <{iri}> as owl:Ontology"
            )
        read[iri] = mapping[iri]
        graph += part
        pending.extend(str(o) for o in part.objects(None, OWL.imports))
    return graph, read
