"""Data quality: the shapes in shapes/kwaliteit.ttl (through pySHACL) and the privacy guard."""

from __future__ import annotations

import re
from dataclasses import dataclass

import rdflib

from .graph import KnowledgeGraph
from .shapes import QUALITY_FILES, ShapeSet, compile_shapes, load_graph, shape_files
from .validation import Result, results_from_report, validate

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<!\d)(?:\+31[\s-]?|0)(?:[1-9][\s-]?){1}(?:\d[\s-]?){7,8}(?!\d)")
_NINE = re.compile(r"(?<!\d)(\d{9})(?!\d)")


def check_quality(kg: KnowledgeGraph) -> list[Result]:
    """Results of the data-quality shapes on the whole graph (inference included)."""
    from pyshacl import validate as shacl

    core, sparql = quality_shapes()
    _, report, _ = shacl(kg.to_rdflib(), shacl_graph=core, inference="none")
    tag_messages(report, core)
    return sorted(results_from_report(report, core) + validate(kg, sparql))


def quality_shapes() -> tuple[rdflib.Graph, ShapeSet]:
    """The quality shapes in two parts: the SHACL-core ones as a shapes graph for pySHACL, and the
    SPARQL-based ones (shg:GeldigheidKwaliteit, shg:SoortInPeiljaarKwaliteit) compiled for the
    project's engine (ggsr_kg.validation), which runs each constraint once over the store on
    Oxigraph. pySHACL parses and runs a SPARQL constraint again for every network: on the shipped
    data that took 25 s for shg:SoortInPeiljaarKwaliteit alone, against 0.03 s here
    (tests/test_kwaliteit.py checks that both engines report the same)."""
    graph = load_graph(shape_files(QUALITY_FILES))
    sparql = compile_shapes(graph)
    core = rdflib.Graph()
    core += graph
    for shape in {c.shape for c in sparql.constraints}:
        core.remove((rdflib.URIRef(shape), None, None))
    return core, sparql


_PLACEHOLDER = re.compile(r"\{[?$]\w+\}")


def tag_messages(report, shapes_graph) -> None:
    """Give back the language tags pySHACL drops: when it fills in the ``{?var}`` of a SPARQL-based
    constraint's sh:message it writes a plain literal (even with nothing to fill in), so "nl" and
    "en" could no longer be told apart. Each untagged result message gets the language of the
    shape's message template it matches (shape or its sh:sparql constraints); the report is
    changed in place."""
    from rdflib import Literal
    from rdflib.namespace import RDF

    from .namespaces import SH

    templates: dict[object, list[tuple[re.Pattern, str]]] = {}
    for r in list(report.subjects(RDF.type, SH.ValidationResult)):
        shape = report.value(r, SH.sourceShape)
        if shape not in templates:
            nodes = [shape, *shapes_graph.objects(shape, SH.sparql)]
            templates[shape] = [
                (
                    re.compile(
                        ".*?".join(re.escape(part) for part in _PLACEHOLDER.split(str(m))), re.S
                    ),
                    m.language,
                )
                for node in nodes
                for m in shapes_graph.objects(node, SH.message)
                if isinstance(m, Literal) and m.language
            ]
        for m in list(report.objects(r, SH.resultMessage)):
            if not isinstance(m, Literal) or m.language:
                continue
            lang = next((lg for pat, lg in templates[shape] if pat.fullmatch(str(m))), None)
            if lang:
                report.remove((r, SH.resultMessage, m))
                report.add((r, SH.resultMessage, Literal(str(m), lang=lang)))


def elfproef(digits: str) -> bool:
    """True when nine digits pass the BSN eleven-test (so they may be a citizen service number)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0 and digits != "000000000"


PERSON_CLASSES = (
    "http://xmlns.com/foaf/0.1/Person",
    "https://schema.org/Person",
    "http://schema.org/Person",
    "http://www.w3.org/ns/prov#Person",  # as shg:GeenPersonen (shapes/kwaliteit.ttl)
)
# properties only a person (or a member of a family) has: their subject is an individual
_SCHEMA = ("https://schema.org/", "http://schema.org/")
_FOAF = "http://xmlns.com/foaf/0.1/"
PERSON_PROPERTIES = (
    *(ns + p for ns in _SCHEMA for p in ("givenName", "familyName", "birthDate", "parent",
                                         "children", "sibling", "siblings", "spouse")),
    *(_FOAF + p for p in ("givenName", "familyName", "firstName", "lastName", "birthday")),
)  # fmt: skip
FAMILY_VOCABULARY = "http://purl.org/vocab/relationship/"  # rel:childOf, rel:parentOf, …


@dataclass(frozen=True)
class PrivacyFinding:
    node: str
    value: str
    reason: str
    graph: str = ""  # the named graph holding the statement ("" when unknown)


def privacy_findings(kg: KnowledgeGraph) -> list[PrivacyFinding]:
    """Literals that look like a BSN, a personal e-mail address or a phone number, nodes typed as
    a person (foaf:Person, schema:Person, prov:Person, or a subclass: inference runs first) and
    nodes with a property only a person or family member has (a given name, a birth date, a
    parent, ``rel:childOf``): the graph describes organisations and roles, never people."""
    found = []
    persons = " ".join(f"<{c}>" for c in PERSON_CLASSES)
    for row in kg.select(
        f"""SELECT ?s ?t (MIN(STR(?g)) AS ?graph) WHERE {{
              VALUES ?t {{ {persons} }} ?s a ?t . OPTIONAL {{ GRAPH ?g {{ ?s a ?t }} }}
            }} GROUP BY ?s ?t ORDER BY ?s"""
    ):
        found.append(
            PrivacyFinding(
                row["s"].value,
                row["t"].value,
                "persoon als knoop / a node typed as a person",
                row["graph"].value if row["graph"] is not None else "",
            )
        )
    properties = " ".join(f"<{p}>" for p in PERSON_PROPERTIES)
    for row in kg.select(
        f"""SELECT ?s ?p (MIN(STR(?g)) AS ?graph) WHERE {{
              ?s ?p ?o .
              FILTER(?p IN ({properties.replace(" ", ", ")})
                     || STRSTARTS(STR(?p), "{FAMILY_VOCABULARY}"))
              OPTIONAL {{ GRAPH ?g {{ ?s ?p ?o }} }}
            }} GROUP BY ?s ?p ORDER BY ?s ?p"""
    ):
        found.append(
            PrivacyFinding(
                row["s"].value,
                row["p"].value,
                "persoon of gezinslid (persoonlijke eigenschap) / a person or family member "
                "(a personal property)",
                row["graph"].value if row["graph"] is not None else "",
            )
        )
    rows = kg.select(
        """SELECT ?s ?o (MIN(STR(?g)) AS ?graph) WHERE {
             ?s ?p ?o FILTER(isLiteral(?o)) OPTIONAL { GRAPH ?g { ?s ?p ?o } }
           } GROUP BY ?s ?o"""
    )
    for row in rows:
        text = row["o"].value
        node = row["s"].value
        graph = row["graph"].value if row["graph"] is not None else ""
        for m in _NINE.finditer(text):
            if elfproef(m.group(1)):
                found.append(
                    PrivacyFinding(
                        node, m.group(1), "lijkt op een BSN (elfproef) / looks like a BSN", graph
                    )
                )
        if _EMAIL.search(text):
            found.append(
                PrivacyFinding(
                    node, _EMAIL.search(text).group(0), "e-mailadres / e-mail address", graph
                )
            )
        if _PHONE.search(text):
            found.append(
                PrivacyFinding(
                    node, _PHONE.search(text).group(0), "telefoonnummer / phone number", graph
                )
            )
    return found
