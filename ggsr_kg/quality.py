"""Data quality: the shapes in shapes/kwaliteit.ttl (through pySHACL) and the privacy guard."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib

from .graph import KnowledgeGraph
from .privacy import elfproef, many_text_findings, text_findings  # noqa: F401 - elfproef: re-exported
from .shapes import QUALITY_FILES, ShapeSet, compile_shapes, load_graph, shape_files
from .validation import Result, results_from_report, validate


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


PERSON_CLASSES = (
    "http://xmlns.com/foaf/0.1/Person",
    "https://schema.org/Person",
    "http://schema.org/Person",
    "https://schema.org/Patient",
    "http://schema.org/Patient",
    "http://www.w3.org/ns/prov#Person",  # as shg:GeenPersonen (shapes/kwaliteit.ttl)
    "http://www.w3.org/2006/vcard/ns#Individual",
    "http://dbpedia.org/ontology/Person",
    "https://dbpedia.org/ontology/Person",
    "http://dbpedia.org/ontology/Patient",
    "http://www.wikidata.org/entity/Q5",  # human
)
# properties only a person (or a member of a family) has: their subject is an individual
_SCHEMA = ("https://schema.org/", "http://schema.org/")
_FOAF = "http://xmlns.com/foaf/0.1/"  # foaf:name too: our organisations have rdfs:label
_VCARD = "http://www.w3.org/2006/vcard/ns#"
PERSON_PROPERTIES = (
    *(ns + p for ns in _SCHEMA for p in ("givenName", "familyName", "birthDate", "parent",
                                         "children", "sibling", "siblings", "spouse")),
    *(ns + p for ns in _SCHEMA for p in ("birthPlace", "gender", "nationality", "deathDate",
                                         "patient")),
    *(_FOAF + p for p in ("givenName", "familyName", "firstName", "lastName", "birthday",
                          "name", "age", "nick", "mbox", "mbox_sha1sum", "phone", "surname")),
    *(_VCARD + p for p in ("given-name", "family-name", "bday")),
    "http://dbpedia.org/ontology/birthDate",
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
    found += _text_findings(kg.store)
    return found


def _text_findings(store: ox.Store) -> list[PrivacyFinding]:
    """Every literal and every IRI (subject or object): a BSN in id:client-123456782, a mailto:.

    Each distinct text is scanned once — the store lists them (in Rust) — and only a text that
    holds something is traced to the statements that carry it: building the owner of every text
    first, quad by quad in Python, cost 11 s at 342 municipalities. A finding names the node
    that states the text (for an IRI: the first statement it appears in, by subject and object)
    and the first named graph that holds that statement."""
    literals = [
        r["o"]
        for r in store.query(
            "SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }",
            use_default_graph_as_union=True,
        )
    ]
    iris = [
        r["x"]
        for r in store.query(
            "SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } FILTER(isIRI(?x)) }",
            use_default_graph_as_union=True,
        )
    ]
    terms = literals + iris
    hits: dict[int, list] = {}
    for i, f in many_text_findings([t.value for t in terms]):
        hits.setdefault(i, []).append(f)
    keyed: list[tuple[tuple[str, str, int], PrivacyFinding]] = []

    def stated(subject: ox.Term, obj: ox.Term, order: int, fs: list) -> None:
        # ordered as the statements (subject, object), a literal before the IRIs of its statement
        graph = _first_graph(store, subject, obj)
        key = (str(subject), str(obj), order)
        keyed.extend((key, PrivacyFinding(subject.value, f.value, f.reason, graph)) for f in fs)

    for i, fs in hits.items():
        term = terms[i]
        if isinstance(term, ox.Literal):
            # one finding per node that states it, as every (node, text) pair is a text of its own
            for subject in {q.subject for q in store.quads_for_pattern(None, None, term)}:
                stated(subject, term, 0, fs)
            continue
        pairs = {(q.subject, q.object) for q in store.quads_for_pattern(term, None, None)}
        pairs |= {(q.subject, q.object) for q in store.quads_for_pattern(None, None, term)}
        pairs = {p for p in pairs if not isinstance(p[1], ox.BlankNode)}
        if pairs:  # an IRI: the first statement it appears in
            subject, obj = min(pairs, key=lambda p: (str(p[0]), str(p[1])))
            stated(subject, obj, 1 if term == subject else 2, fs)
    return [f for _, f in sorted(keyed, key=lambda kf: kf[0])]


def _first_graph(store: ox.Store, subject: ox.Term, obj: ox.Term) -> str:
    """The first named graph (by name) with a statement of ``subject`` about ``obj``; "" when
    only the default graph holds one."""
    named = [
        q.graph_name.value
        for q in store.quads_for_pattern(subject, None, obj)
        if isinstance(q.graph_name, ox.NamedNode)
    ]
    return min(named) if named else ""
