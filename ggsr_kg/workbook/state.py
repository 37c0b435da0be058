"""The shared state of one workbook import: its rows, the graph it builds and what went wrong.

:class:`ImportState` holds what every step needs — the problems found, the graph, the registry of
names (references.py), the IRIs minted so far and where each triple came from; identity.py and
triples.py add the two steps that use it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from ..namespaces import ID
from .mapping import Column, Sheet, local_name, norm, ontology
from .reading import Problem
from .references import Network, Registry


@dataclass
class Row:
    sheet: Sheet
    number: int
    raw: dict[str, object]
    values: dict[str, object] = field(default_factory=dict)
    network: Network | None = None
    iri: URIRef | None = None
    failed: bool = False
    duplicate: bool = False

    def place(self) -> str:
        return f"Blad {self.sheet.name}, rij {self.number}"

    def kinds(self) -> list[URIRef]:
        """The classes the row's Soort column gives (none when it is fixed or unreadable)."""
        c = self.sheet.kind_column
        value = self.values.get(c.field) if c is not None else None
        if value is None:
            return []
        return list(value) if isinstance(value, list) else [value]


@dataclass
class Result:
    graph: Graph
    source: URIRef
    file: str
    rows: int  # rows read
    networks: list[tuple[str, str, int]]  # (gemeente, aanpak, jaar)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    # Dutch names of the first version (code on other branches reads them)
    graaf = property(lambda self: self.graph)
    waarschuwingen = property(lambda self: self.warnings)
    problemen = property(lambda self: self.problems)


def comparable(value: object) -> object:
    """A cell value in the form rows are compared by: names case-folded, lists sorted."""
    if isinstance(value, str):
        return norm(value)
    if isinstance(value, list):
        return tuple(sorted(str(comparable(v)) for v in value))
    return value


def content(row: Row, fields: Iterable[str] | None = None) -> tuple:
    """The row's cells as written (Aanpak and Jaar left out), in a fixed order."""
    if fields is None:
        fields = [c.field for c in row.sheet.columns]
    return tuple(sorted((f, str(comparable(row.values[f]))) for f in fields if f in row.values))


def field_of(row: Row, name: str) -> str | None:
    return norm(row.values[name]) if row.values.get(name) else None


class ImportState:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.problems: list[Problem] = []
        self.graph = Graph()
        self.places: dict[URIRef, list[str]] = defaultdict(list)
        self.reg = Registry()
        self.cbs: str | None = None
        self.m_slug = ""
        self.minted: dict[URIRef, object] = {}  # IRI → the key it was minted for
        self.inspectorates: dict[URIRef, URIRef] = {}  # network → default toezichthouder
        # triple → (sheet, row, column) of the cell it came from, to place quality findings
        self.origin: dict[tuple, tuple[str, int, str]] = {}

    # -- helpers --

    def problem(self, row: Row | None, column: str | None, reason: str, sheet: str = "") -> None:
        if row is not None:
            row.failed = True
            self.problems.append(Problem(row.sheet.name, row.number, column, reason))
        else:
            self.problems.append(Problem(sheet, 1, column, reason))

    def mint(self, base: str, key: object) -> URIRef:
        """The IRI ``id:<base>`` for ``key``; another key with the same slug gets -2, -3 …"""
        n = 1
        while True:
            iri = URIRef(ID + (base if n == 1 else f"{base}-{n}"))
            if self.minted.setdefault(iri, key) == key:
                return iri
            n += 1

    def add(self, s, p, o, row: Row | None = None, column: Column | None = None) -> tuple:
        t = (s, p, o)
        self.graph.add(t)
        if row is not None and column is not None:
            self.origin.setdefault(t, (row.sheet.name, row.number, column.heading))
        return t

    # -- the steps --

    def link(self, net: Network, link: tuple[URIRef, str], node: URIRef) -> tuple:
        p, direction = link
        t = (net.iri, p, node) if direction == "network→node" else (node, p, net.iri)
        self.graph.add(t)
        return t


def kind_label(values, iri: URIRef) -> str:
    """The label of a kind in its list, else its Dutch label in the ontology."""
    label = values.label(iri)
    if label is None:
        for lit in ontology().objects(iri, RDFS.label):
            if isinstance(lit, Literal) and lit.language == "nl":
                return str(lit)
        return local_name(iri)
    return label
