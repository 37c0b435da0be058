"""Every IRI base of the project, defined once (the code and the tests import from here).

IRI scheme (permanent, documented in README "IRI's"):

- ``https://w3id.org/ggsr/def#``    terms of the ontology (classes, properties, code lists)
- ``https://w3id.org/ggsr/kader#``  the toetsingskader GGSR as a SKOS concept scheme
- ``https://w3id.org/ggsr/shapes#`` SHACL shapes
- ``https://w3id.org/ggsr/id/``     instances (municipalities, networks, roles, verdicts …)
- ``https://w3id.org/ggsr/bron/``   the source documents the facts come from
"""

from typing import Any

# The rdflib Namespace objects are made on first use (module __getattr__): a command that only
# asks the store a question should not pay for importing rdflib (a third of its start-up).
_OURS = {
    "GGSR": "https://w3id.org/ggsr/def#",
    "KADER": "https://w3id.org/ggsr/kader#",
    "SH_GGSR": "https://w3id.org/ggsr/shapes#",
    "ID": "https://w3id.org/ggsr/id/",
    "BRON": "https://w3id.org/ggsr/bron/",
    "ORG": "http://www.w3.org/ns/org#",
    "SH": "http://www.w3.org/ns/shacl#",
    "SCHEMA": "https://schema.org/",
    "WD": "http://www.wikidata.org/entity/",
    "TOOI_GM": "https://identifier.overheid.nl/tooi/id/gemeente/",
    "TOOI_PV": "https://identifier.overheid.nl/tooi/id/provincie/",
}
_RDFLIB = {"DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "TIME", "XSD"}

PREFIXES: dict[str, str] = {
    "ggsr": _OURS["GGSR"],
    "kader": _OURS["KADER"],
    "shg": _OURS["SH_GGSR"],
    "id": _OURS["ID"],
    "bron": _OURS["BRON"],
    "org": _OURS["ORG"],
    "sh": _OURS["SH"],
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": _OURS["WD"],
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


def __getattr__(name: str) -> Any:
    if name in _OURS:
        from rdflib import Namespace

        value = Namespace(_OURS[name])
    elif name in _RDFLIB:
        import rdflib.namespace

        value = getattr(rdflib.namespace, name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def sparql_prologue() -> str:
    """PREFIX lines for every project prefix, so named queries may use them without declaring."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
