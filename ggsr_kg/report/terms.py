"""The ontology documentation (ontologie.html) and the anchors every other page links terms to.

Generated from the ontology files loaded in the graph (ontology/*.ttl and imports/external.ttl):
classes, properties, code lists and the framework, each with its labels in Dutch and English and
its definitions, one anchor per term (``ggsr-Gemeente``, ``kader-I3.2.2``, ``lg-gezin``). This is
what pyLODE would produce, without its dependencies or the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..graph import KnowledgeGraph
from ..namespaces import PREFIXES
from ..rdfio import GRAPH_BASE

ONTOLOGY_GRAPHS = GRAPH_BASE + "ontology/"

# Code-list prefixes (ontology/codelijsten.ttl) beside the project prefixes.
CODELIST_PREFIXES = {
    "lg": "https://w3id.org/ggsr/def/leefgebied/",
    "nv": "https://w3id.org/ggsr/def/niveau/",
    "ow": "https://w3id.org/ggsr/def/onderwerp/",
    "vi": "https://w3id.org/ggsr/def/verwijsindex/",
    "mdl": "https://w3id.org/ggsr/def/model/",
    "tw": "https://w3id.org/ggsr/def/toewijzing/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
ALL_PREFIXES = {**PREFIXES, **CODELIST_PREFIXES}
_BY_LENGTH = sorted(ALL_PREFIXES.items(), key=lambda kv: -len(kv[1]))
OWN = ("https://w3id.org/ggsr/def", "https://w3id.org/ggsr/kader")

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"

KINDS = [  # (type IRI, kind), in order of precedence
    (SKOS + "ConceptScheme", "codelijst"),
    (OWL + "Class", "klasse"),
    (RDFS + "Class", "klasse"),
    (OWL + "ObjectProperty", "eigenschap"),
    (OWL + "DatatypeProperty", "eigenschap"),
    (OWL + "AnnotationProperty", "eigenschap"),
    (SKOS + "Concept", "concept"),
]
KIND_LABEL = {
    "klasse": "klasse",
    "eigenschap": "eigenschap",
    "codelijst": "codelijst",
    "concept": "begrip",
}


def curie(iri: str) -> str | None:
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return None


def anchor(iri: str) -> str:
    """A stable HTML id for a term: its CURIE with ':' as '-' (``ggsr-Gemeente``)."""
    c = curie(iri) or "term-" + iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_.-]", "-", c.replace(":", "-", 1))


@dataclass
class Term:
    iri: str
    kind: str
    anchor: str
    curie: str
    label_nl: str = ""
    label_en: str = ""
    definition_nl: str = ""
    definition_en: str = ""
    comment: str = ""
    note: str = ""
    notation: str = ""
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    super_properties: list[str] = field(default_factory=list)
    inverse: list[str] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    scheme: str | None = None
    broader: str | None = None
    narrower: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    external: bool = False

    @property
    def label(self) -> str:
        return self.label_nl or self.label_en or self.curie

    @property
    def sort_key(self) -> tuple:
        if self.notation:
            parts = re.findall(r"\d+", self.notation)
            if parts and all(p.isdigit() for p in parts):
                return (0, [int(p) for p in parts], self.label.casefold())
        return (1, [], self.label.casefold())


@dataclass
class Ontology:
    terms: dict[str, Term]
    header: dict[str, dict[str, str]]

    def __contains__(self, iri: str) -> bool:
        return iri in self.terms

    def href(self, iri: str, page: str = "ontologie.html") -> str | None:
        term = self.terms.get(iri)
        return f"{page}#{term.anchor}" if term else None

    def label(self, iri: str) -> str:
        term = self.terms.get(iri)
        return term.label if term else (curie(iri) or iri)

    def of_kind(self, kind: str, *, external: bool = False) -> list[Term]:
        out = [t for t in self.terms.values() if t.kind == kind and t.external == external]
        return sorted(out, key=lambda t: t.sort_key)

    @property
    def external_terms(self) -> list[Term]:
        return sorted(
            (t for t in self.terms.values() if t.external), key=lambda t: t.curie.casefold()
        )

    def schemes(self) -> list[Term]:
        """Code lists (every concept scheme except the framework itself)."""
        return [t for t in self.of_kind("codelijst") if not t.iri.endswith("#Toetsingskader")]

    def framework_tree(self) -> list[tuple[Term, list[tuple[Term, list[Term]]]]]:
        """Themes → criteria → indicators of the toetsingskader, in framework order."""
        themes = [
            t
            for t in self.of_kind("concept")
            if t.scheme and t.scheme.endswith("#Toetsingskader") and not t.broader
        ]
        out = []
        for theme in themes:
            crits = sorted((self.terms[c] for c in theme.narrower), key=lambda t: t.sort_key)
            out.append(
                (
                    theme,
                    [
                        (c, sorted((self.terms[i] for i in c.narrower), key=lambda t: t.sort_key))
                        for c in crits
                    ],
                )
            )
        return out


def load_ontology(kg: KnowledgeGraph) -> Ontology:
    """Every term typed in an ontology file, with what the documentation shows of it."""
    cached = kg.cache.get("report-ontology")
    if cached is not None:
        return cached
    rows = kg.store.query(
        f"""SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
              FILTER(STRSTARTS(STR(?g), "{ONTOLOGY_GRAPHS}") && isIRI(?s)) }}"""
    )
    triples: dict[str, list[tuple[str, ox.Term]]] = {}
    for r in rows:
        triples.setdefault(r["s"].value, []).append((r["p"].value, r["o"]))

    terms: dict[str, Term] = {}
    header: dict[str, dict[str, str]] = {}
    for s, po in triples.items():
        types = {o.value for p, o in po if p == RDF_TYPE}
        if OWL + "Ontology" in types:
            header[s] = _header(po)
            continue
        in_scheme = any(p == SKOS + "inScheme" for p, _ in po)
        kind = next((k for t, k in KINDS if t in types), "concept" if in_scheme else None)
        if kind is None and OWL + "NamedIndividual" in types:
            kind = "concept"
        if kind is None:
            continue
        terms[s] = _term(s, kind, po)

    for t in terms.values():  # inverse links, only between documented terms
        for p in t.parents:
            if p in terms:
                terms[p].children.append(t.iri)
        if t.broader and t.broader in terms:
            terms[t.broader].narrower.append(t.iri)
        if t.scheme and t.scheme in terms:
            terms[t.scheme].members.append(t.iri)
    for t in terms.values():
        t.children.sort(key=lambda i: terms[i].label.casefold())
        t.members.sort(key=lambda i: terms[i].sort_key)
    onto = Ontology(terms, header)
    kg.cache["report-ontology"] = onto
    return onto


def _lit(po: list[tuple[str, ox.Term]], pred: str, lang: str | None = None) -> str:
    values = [o for p, o in po if p == pred and isinstance(o, ox.Literal)]
    if lang is not None:
        exact = [o for o in values if o.language == lang]
        values = exact or ([o for o in values if not o.language] if lang == "nl" else [])
    return values[0].value if values else ""


def _iris(po: list[tuple[str, ox.Term]], pred: str) -> list[str]:
    return sorted({o.value for p, o in po if p == pred and isinstance(o, ox.NamedNode)})


def _term(iri: str, kind: str, po: list[tuple[str, ox.Term]]) -> Term:
    label_nl = _lit(po, SKOS + "prefLabel", "nl") or _lit(po, RDFS + "label", "nl")
    label_en = _lit(po, SKOS + "prefLabel", "en") or _lit(po, RDFS + "label", "en")
    types = {o.value for p, o in po if p == RDF_TYPE}
    chars = [
        name
        for name, t in (
            ("functioneel", "FunctionalProperty"),
            ("invers functioneel", "InverseFunctionalProperty"),
            ("transitief", "TransitiveProperty"),
            ("symmetrisch", "SymmetricProperty"),
        )
        if OWL + t in types
    ]
    if kind == "eigenschap":
        chars.insert(
            0,
            "objecteigenschap"
            if OWL + "ObjectProperty" in types
            else "datatype-eigenschap"
            if OWL + "DatatypeProperty" in types
            else "annotatie-eigenschap",
        )
    broader = _iris(po, SKOS + "broader")
    schemes = _iris(po, SKOS + "inScheme") or _iris(po, SKOS + "topConceptOf")
    return Term(
        iri=iri,
        kind=kind,
        anchor=anchor(iri),
        curie=curie(iri) or iri,
        label_nl=label_nl,
        label_en=label_en,
        definition_nl=_lit(po, SKOS + "definition", "nl"),
        definition_en=_lit(po, SKOS + "definition", "en"),
        comment=_lit(po, RDFS + "comment", "nl") or _lit(po, RDFS + "comment", "en"),
        note=_lit(po, SKOS + "editorialNote", "nl") or _lit(po, SKOS + "scopeNote", "nl"),
        notation=_lit(po, SKOS + "notation"),
        parents=[p for p in _iris(po, RDFS + "subClassOf")],
        domain=_iris(po, RDFS + "domain"),
        range=_iris(po, RDFS + "range"),
        super_properties=_iris(po, RDFS + "subPropertyOf"),
        inverse=_iris(po, OWL + "inverseOf"),
        characteristics=chars,
        scheme=schemes[0] if schemes else None,
        broader=broader[0] if broader else None,
        external=not iri.startswith(OWN),
    )


def _header(po: list[tuple[str, ox.Term]]) -> dict[str, str]:
    return {
        "title_nl": _lit(po, DCT + "title", "nl") or _lit(po, RDFS + "label", "nl"),
        "title_en": _lit(po, DCT + "title", "en") or _lit(po, RDFS + "label", "en"),
        "description_nl": _lit(po, DCT + "description", "nl"),
        "description_en": _lit(po, DCT + "description", "en"),
        "version": _lit(po, OWL + "versionInfo"),
        "license": next(iter(_iris(po, DCT + "license")), ""),
    }
