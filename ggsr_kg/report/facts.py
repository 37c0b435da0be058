"""The instance data as the report needs it: every node with its label, asserted types, properties,
data file and provenance (source file, ggsr:plaats, ggsr:citaat) — read from the store once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..graph import KnowledgeGraph
from ..inference import INFERRED_GRAPH
from ..namespaces import ID
from ..rdfio import GRAPH_BASE
from .terms import DCT, ONTOLOGY_GRAPHS, RDF_TYPE, RDFS, SKOS

PROV = "http://www.w3.org/ns/prov#"
GGSR = "https://w3id.org/ggsr/def#"
ORG = "http://www.w3.org/ns/org#"
INSTANCE = str(ID)
LABEL_PREDICATES = (RDFS + "label", SKOS + "prefLabel", DCT + "title")
# Shown as the text of a fact, in this order, beside its properties.
TEXT_PREDICATES = (
    GGSR + "tekst",
    GGSR + "toelichting",
    GGSR + "letOp",
    GGSR + "voorwaarde",
    GGSR + "handeling",
    GGSR + "aanleiding",
    RDFS + "comment",
    SKOS + "scopeNote",
)
HIDDEN_PREDICATES = {PROV + "qualifiedDerivation", RDF_TYPE, *LABEL_PREDICATES}


@dataclass
class Derivation:
    bron: str | None
    bestand: str | None
    titel: str | None
    plaats: str | None
    citaat: str | None


@dataclass
class Value:
    """One object of a fact's property: a node (``iri``) or a literal (``text``)."""

    iri: str | None = None
    text: str = ""
    lang: str | None = None


@dataclass
class Fact:
    iri: str
    anchor: str
    label: str
    types: list[str]
    properties: list[tuple[str, Value]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    derivations: list[Derivation] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    attributed_to: list[str] = field(default_factory=list)


def fact_anchor(iri: str) -> str:
    local = iri[len(INSTANCE) :] if iri.startswith(INSTANCE) else iri.rsplit("/", 1)[-1]
    return "feit-" + re.sub(r"[^A-Za-z0-9_.-]", "-", local)


def file_of_graph(graph: str) -> str:
    return graph[len(GRAPH_BASE) :] if graph.startswith(GRAPH_BASE) else graph


class DataIndex:
    """Subject → triples (asserted data only), object → subjects, all types (with inference)."""

    def __init__(self, kg: KnowledgeGraph):
        self.out: dict[str, list[tuple[str, ox.Term]]] = {}
        self.inverse: dict[str, list[tuple[str, str]]] = {}
        self.graphs: dict[str, set[str]] = {}
        self.bnodes: dict[str, list[tuple[str, ox.Term]]] = {}
        rows = kg.store.query(
            f"""SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
                  FILTER(?g != {INFERRED_GRAPH} && !STRSTARTS(STR(?g), "{ONTOLOGY_GRAPHS}")) }}"""
        )
        for r in rows:
            s, p, o, g = r["s"], r["p"].value, r["o"], r["g"].value
            if isinstance(s, ox.BlankNode):
                self.bnodes.setdefault(s.value, []).append((p, o))
                continue
            self.out.setdefault(s.value, []).append((p, o))
            self.graphs.setdefault(s.value, set()).add(g)
            if isinstance(o, ox.NamedNode):
                self.inverse.setdefault(o.value, []).append((p, s.value))
        self.all_types: dict[str, set[str]] = {}
        for r in kg.store.query(
            "SELECT ?s ?t WHERE { ?s a ?t FILTER(isIRI(?s) && isIRI(?t)) }",
            use_default_graph_as_union=True,
        ):
            self.all_types.setdefault(r["s"].value, set()).add(r["t"].value)
        self._labels: dict[str, str] = {}
        self._rank: dict[str, tuple[int, int]] = {}
        self._derived: dict[str, str] = {}
        for r in kg.store.query(
            """SELECT ?s ?p ?l WHERE { ?s ?p ?l
                 VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#label>
                             <http://www.w3.org/2004/02/skos/core#prefLabel>
                             <http://purl.org/dc/terms/title> }
                 FILTER(isIRI(?s) && isLiteral(?l)) }""",
            use_default_graph_as_union=True,
        ):
            s, label = r["s"].value, r["l"]
            rank = (LABEL_PREDICATES.index(r["p"].value), 0 if label.language == "nl" else 1)
            old = self._labels.get(s)
            if old is None or rank < self._rank[s]:
                self._labels[s] = label.value
                self._rank[s] = rank

    # ---- single values ------------------------------------------------------------------------

    def label(self, iri: str) -> str:
        if iri in self._labels:
            return self._labels[iri]
        derived = self._derived.get(iri)
        if derived is None:
            derived = self._derived[iri] = self._derive_label(iri)
        return derived

    def _derive_label(self, iri: str) -> str:
        """A readable name for a node without a label (statements, verdicts, definitions)."""
        local = iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        if iri not in self.out:
            return local
        types = self.asserted_types(iri)
        own = [t for t in types if t.startswith(GGSR)] or types
        kind = self._labels.get(own[0], "") if own else ""

        def names(p: str) -> str:
            return ", ".join(self._labels.get(o, o.rsplit("/", 1)[-1]) for o in self.iris(iri, p))

        if GGSR + "Oordeel" in types:
            ind = self.value(iri, GGSR + "indicator") or ""
            return f"oordeel STJ over indicator {ind.rsplit('#I', 1)[-1]}"
        if GGSR + "Verklaring" in types and names(GGSR + "onderwerp"):
            return f"verklaring over {names(GGSR + 'onderwerp')}"
        if GGSR + "Doelgroepomschrijving" in types and names(GGSR + "gehanteerdDoor"):
            return f"doelgroepomschrijving van {names(GGSR + 'gehanteerdDoor')}"
        text = self.value(iri, GGSR + "tekst")
        if kind and text:
            short = text if len(text) <= 60 else text[:57].rsplit(" ", 1)[0] + " …"
            return f"{kind}: {short}"
        return f"{kind} ({local})" if kind else local

    def objects(self, s: str, p: str) -> list[ox.Term]:
        return [o for pp, o in self.out.get(s, ()) if pp == p]

    def iris(self, s: str, p: str) -> list[str]:
        return sorted(o.value for o in self.objects(s, p) if isinstance(o, ox.NamedNode))

    def value(self, s: str, p: str) -> str | None:
        found = self.objects(s, p)
        return found[0].value if found else None

    def subjects(self, p: str, o: str) -> list[str]:
        return sorted(s for pp, s in self.inverse.get(o, ()) if pp == p)

    def is_a(self, iri: str, cls: str) -> bool:
        return cls in self.all_types.get(iri, ())

    def asserted_types(self, iri: str) -> list[str]:
        return sorted(o.value for o in self.objects(iri, RDF_TYPE) if isinstance(o, ox.NamedNode))

    # ---- facts --------------------------------------------------------------------------------

    def fact(self, iri: str) -> Fact:
        po = self.out.get(iri, [])
        props: list[tuple[str, Value]] = []
        texts: list[tuple[str, str]] = []
        for p, o in po:
            if p in HIDDEN_PREDICATES:
                continue
            if isinstance(o, ox.Literal):
                if p in TEXT_PREDICATES:
                    texts.append((p, o.value))
                else:
                    props.append((p, Value(text=o.value, lang=o.language)))
            elif isinstance(o, ox.NamedNode):
                props.append((p, Value(iri=o.value)))
        texts.sort(key=lambda t: TEXT_PREDICATES.index(t[0]))
        props.sort(key=lambda pv: (pv[0], pv[1].iri or pv[1].text))
        derivations = []
        for p, d in po:
            if p != PROV + "qualifiedDerivation" or not isinstance(d, ox.BlankNode):
                continue
            dpo = self.bnodes.get(d.value, [])
            bron = next((o.value for pp, o in dpo if pp == PROV + "entity"), None)
            derivations.append(
                Derivation(
                    bron=bron,
                    bestand=self.value(bron, GGSR + "bestandsnaam") if bron else None,
                    titel=self.label(bron) if bron and bron in self._labels else None,
                    plaats=next((o.value for pp, o in dpo if pp == GGSR + "plaats"), None),
                    citaat=next((o.value for pp, o in dpo if pp == GGSR + "citaat"), None),
                )
            )
        derivations.sort(key=lambda d: (d.titel or "", d.plaats or "", d.citaat or ""))
        return Fact(
            iri=iri,
            anchor=fact_anchor(iri),
            label=self.label(iri),
            types=self.asserted_types(iri),
            properties=props,
            texts=texts,
            derivations=derivations,
            files=sorted(file_of_graph(g) for g in self.graphs.get(iri, ())),
            attributed_to=self.iris(iri, PROV + "wasAttributedTo"),
        )

    def neighbourhood(self, network: str) -> list[str]:
        """The instance nodes a network page shows: the network, what it links to and what links
        to it (roles, statements, verdicts, …), and one step further (holders, authorities,
        escalation steps, parties), restricted to nodes that carry data of their own."""
        first = {network}
        for _, o in self.out.get(network, ()):
            if isinstance(o, ox.NamedNode):
                first.add(o.value)
        for _, s in self.inverse.get(network, ()):
            first.add(s)
        second = set(first)
        for node in first:
            for p, o in self.out.get(node, ()):
                if isinstance(o, ox.NamedNode) and p != GGSR + "opvolgerVan":
                    second.add(o.value)
        for node in list(second):  # steps and authorities one level deeper still
            for p in (GGSR + "stap", GGSR + "bevoegdheid", ORG + "heldBy", GGSR + "actor"):
                second.update(self.iris(node, p))
        keep = [n for n in second if n.startswith(INSTANCE) and n in self.out]
        return sorted(keep)
