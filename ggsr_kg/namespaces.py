"""Every IRI base of the project, defined once (the code and the tests import from here).

IRI scheme (permanent, documented in README "IRI's"):

- ``https://w3id.org/ggsr/def#``    terms of the ontology (classes, properties, code lists)
- ``https://w3id.org/ggsr/kader#``  the toetsingskader GGSR as a SKOS concept scheme
- ``https://w3id.org/ggsr/shapes#`` SHACL shapes
- ``https://w3id.org/ggsr/id/``     instances (municipalities, networks, roles, verdicts …)
- ``https://w3id.org/ggsr/bron/``   the source documents the facts come from
"""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

GGSR = Namespace("https://w3id.org/ggsr/def#")
KADER = Namespace("https://w3id.org/ggsr/kader#")
SH_GGSR = Namespace("https://w3id.org/ggsr/shapes#")
ID = Namespace("https://w3id.org/ggsr/id/")
BRON = Namespace("https://w3id.org/ggsr/bron/")
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
TOOI_GM = Namespace("https://identifier.overheid.nl/tooi/id/gemeente/")
TOOI_PV = Namespace("https://identifier.overheid.nl/tooi/id/provincie/")

PREFIXES: dict[str, str] = {
    "ggsr": str(GGSR),
    "kader": str(KADER),
    "shg": str(SH_GGSR),
    "id": str(ID),
    "bron": str(BRON),
    "org": str(ORG),
    "sh": str(SH),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dct": str(DCTERMS),
    "time": str(TIME),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "wd": str(WD),
    # code lists (ontology/codelijsten.ttl)
    **{
        p: f"https://w3id.org/ggsr/def/{name}/"
        for p, name in {
            "lg": "leefgebied",
            "nv": "niveau",
            "ow": "onderwerp",
            "vi": "verwijsindex",
            "mdl": "model",
            "tw": "toewijzing",
            "ds": "documentstatus",
            "gs": "grondslag",
            "bg": "beginsel",
            "mt": "methode",
            "ag": "afsluitgrond",
            "gv": "gevolg",
            "kp": "knelpunt",
            "ca": "actor",
        }.items()
    },
}


def sparql_prologue() -> str:
    """PREFIX lines for every project prefix, so named queries may use them without declaring."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
