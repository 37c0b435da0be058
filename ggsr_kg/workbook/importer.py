"""Reading a filled workbook (.xlsx or a folder of CSV files) into RDF in the GGSR ontology.

Every row counts: a row becomes triples, or every problem with it is reported with sheet, row,
column and reason (:class:`~.reading.Problem`). The result is only usable when there are no
problems; the command writes nothing otherwise. The mapping itself — which column becomes which
property, how a value is looked up — is the table in mapping.py; this module walks it. The other
steps have modules of their own: reading.py (files → tables), cells.py (one cell), references.py
(names → nodes), municipalities.py (the CBS list) and checks.py (quality shapes and privacy on the
result).

IRIs are derived from the municipality, the year and the row's content (docs/werkboek.md):
``id:<gemeente>-<aanpak>-<jaar>`` for the network, ``id:<gemeente>-org-<naam>`` for an
organisation, ``id:doc-<titel>`` for a document, ``id:<netwerk>-<soort>-<hash>`` for an
arrangement, practice, statement, finding or absence (a hash of all its cells, multi-valued cells
sorted — never of the first of several values). Identical rows give identical IRIs, so importing the
same workbook twice gives the same graph.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ..namespaces import BRON, GGSR, ID, ORG
from .cells import CellError, has_separator, read_cell, text_of
from .mapping import (
    EVIDENCE_SHEETS,
    NETWORK_ROLES,
    NOBODY,
    SHEETS,
    STEP_CLASS,
    STJ,
    Column,
    Sheet,
    is_a,
    local_name,
    norm,
    ontology,
    slug,
    value_lists,
)
from .municipalities import cbs_municipalities, cbs_name, check_code, normalise_code
from .reading import Problem, Table, is_empty, read_tables
from .references import Evidence, Network, Registry, Unresolved

STJ_LABEL = "Samenwerkend Toezicht Jeugd (STJ)"
# sheets whose rows are identified by their whole content (a hash), per network
_BY_CONTENT = {
    "Afspraken": None,  # the kind's local name
    "Praktijk": None,
    "Verklaringen": "verklaring",
    "Bevindingen": "bevinding",
    "Afwezigheden": "geen",  # + the missing kind's local name
    "Doelgroep": "doelgroep",
}


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


def _field(row: Row, name: str) -> str | None:
    return norm(row.values[name]) if row.values.get(name) else None


class _Import:
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

    def run(self, tables: dict[str, Table]) -> list[Row]:
        rows = {
            s.name: [Row(s, n, raw) for n, raw in tables.get(s.name, Table(s.name, [])).rows]
            for s in SHEETS
        }
        every = [r for s in SHEETS for r in rows[s.name]]
        for row in every:
            self.read_cells(row)
        self.approach_rows(rows["Aanpak"])
        for s in SHEETS[1:]:
            for row in rows[s.name]:
                required = s.name != "Organisaties" or bool(row.values.get("roles"))
                self.assign_network(row, required)
        for row in every:
            self.check_kind_columns(row)
        self.organisations(rows["Organisaties"])
        self.documents(rows["Documenten"])
        self.roles(rows["Functies"])
        self.authorities(rows["Bevoegdheden"])
        self.escalation(rows["Escalatie"])
        for name in _BY_CONTENT:
            self.by_content(rows[name])
        self.register_handles([r for name in EVIDENCE_SHEETS for r in rows[name]])
        self.default_inspectorates(rows["Aanpak"])
        for row in every:
            self.emit(row)
        if self.reg.used_stj:
            self.add(STJ, RDF.type, GGSR.Inspectie)
            self.add(STJ, RDFS.label, Literal(STJ_LABEL, lang="nl"))
        return every

    def read_cells(self, row: Row) -> None:
        for c in row.sheet.all_columns:
            value = row.raw.get(c.field)
            if is_empty(value):
                if c.required:
                    self.problem(row, c.heading, "verplichte cel is leeg")
                continue
            try:
                row.values[c.field] = read_cell(c, value)
            except CellError as exc:
                self.problem(row, c.heading, str(exc))
                continue
            if c.named and has_separator(str(row.values[c.field])):
                self.problem(
                    row,
                    c.heading,
                    f"'{row.values[c.field]}': een naam mag geen puntkomma of regeleinde bevatten "
                    "(die scheiden namen in andere kolommen)",
                )
        for name, with_ in row.sheet.required_with.items():
            if is_empty(row.raw.get(name)) and any(not is_empty(row.raw.get(v)) for v in with_):
                self.problem(row, row.sheet.column(name).heading, "verplichte cel is leeg")
        if row.sheet.one_of and all(is_empty(row.raw.get(f)) for f in row.sheet.one_of):
            headings = [row.sheet.column(f).heading for f in row.sheet.one_of]
            self.problem(row, headings[0], f"vul {' of '.join(headings)} in")
        name = row.values.get("name") if row.sheet.name == "Organisaties" else None
        if name is not None and Registry.reserved(name):
            self.problem(
                row,
                "Naam",
                f"'{row.values['name']}' is een vast woord in naamcellen ('gemeente', "
                "'netwerk', 'alle partners', 'STJ'); kies een andere naam",
            )

    def check_kind_columns(self, row: Row) -> None:
        """A kind-specific column on a row of another kind is refused: it would say nothing."""
        kinds = row.kinds()
        if not kinds:
            return
        values = value_lists()[row.sheet.kind_column.values]
        for c in row.sheet.columns:
            if not c.for_kinds or c.field not in row.values:
                continue
            if not any(is_a(k, c.for_kinds) for k in kinds):
                wanted = " of ".join(f"'{_label(values, k)}'" for k in c.for_kinds)
                have = ", ".join(f"'{_label(values, k)}'" for k in kinds)
                self.problem(
                    row, c.heading, f"geldt alleen voor de soort {wanted}; deze rij is {have}"
                )
        roles = [_label(value_lists()["Netwerkrol"], r) for r in row.values.get("roles", [])]
        if "overleg" in roles and not any(is_a(k, (GGSR.Overleg,)) for k in kinds):
            self.problem(
                row,
                "Netwerkrol",
                "netwerkrol 'overleg' past alleen bij de soort 'overleg' (of een soort daaronder)",
            )

    def approach_rows(self, rows: list[Row]) -> None:
        if not rows:
            self.problems.append(
                Problem("Aanpak", 2, None, "geen aanpak ingevuld (gemeente, aanpak, jaar)")
            )
            return
        reg = self.reg
        seen: dict[tuple[str, int], int] = {}
        for row in rows:
            v = row.values
            if "municipality" not in v:  # reported; go on with a stand-in to check the rest
                v["municipality"] = reg.municipality or "onbekend"
            v["municipality"] = cbs_name(v["municipality"])
            if not reg.municipality:
                reg.municipality = v["municipality"]
                self.m_slug = slug(reg.municipality)
                reg.municipality_iri = URIRef(ID + f"gemeente-{self.m_slug}")
                code, problem = check_code(reg.municipality, v.get("cbs"))
                if problem:
                    self.problem(row, "CBS-code", problem)
                self.cbs = None if row.failed else code
                if self.cbs:  # the code as written into the graph: normalised or looked up
                    v["cbs"] = self.cbs
                else:
                    v.pop("cbs", None)
            elif norm(v["municipality"]) != norm(reg.municipality):
                self.problem(
                    row,
                    "Gemeente",
                    f"'{v['municipality']}' wijkt af van '{reg.municipality}' (rij {rows[0].number}); "
                    "één gemeente per werkboek",
                )
                continue
            elif v.get("cbs") and self.cbs and normalise_code(v["cbs"]) != self.cbs:
                self.problem(row, "CBS-code", f"'{v['cbs']}' wijkt af van {self.cbs}")
            else:
                v.pop("cbs", None)  # written once, from the first row
            # a missing or wrong approach or year is reported; a stand-in keeps the rows of the
            # other sheets checkable
            approach, year = v.get("approach", "onbekend"), v.get("year", 0)
            key = (norm(approach), year)
            if key in seen:
                self.problem(
                    row, "Aanpak", f"aanpak '{approach}' in {year} staat al op rij {seen[key]}"
                )
                continue
            seen[key] = row.number
            approach_slug = slug(approach, 40)
            if not approach_slug.endswith("aanpak"):
                approach_slug += "-aanpak"
            approach_iri = self.mint(f"{self.m_slug}-{approach_slug}", ("aanpak", norm(approach)))
            reg.approaches[norm(approach)] = approach_iri
            net_iri = self.mint(f"{str(approach_iri)[len(str(ID)) :]}-{year}", ("netwerk",) + key)
            net = Network(net_iri, approach, approach_iri, year, row.number)
            reg.networks.append(net)
            row.network, row.iri = net, net_iri

    def assign_network(self, row: Row, required: bool) -> None:
        approach = row.values.get("_approach")
        year = row.values.get("_year")
        networks = self.reg.networks
        if not networks:
            return
        if approach is None and year is None:
            if len(networks) == 1:
                row.network = networks[0]
            elif required:
                self.problem(
                    row,
                    "Aanpak",
                    "het blad Aanpak heeft meer aanpakken of jaren; vul Aanpak en/of Jaar in",
                )
            return
        fits = [
            n
            for n in networks
            if (approach is None or norm(n.approach) == norm(approach))
            and (year is None or n.year == year)
        ]
        if len(fits) == 1:
            row.network = fits[0]
        elif not fits:
            what = " ".join(str(x) for x in (approach, year) if x is not None)
            self.problem(
                row, "Aanpak" if approach else "Jaar", f"'{what}' staat niet op het blad Aanpak"
            )
        else:
            self.problem(
                row,
                "Jaar" if year is None else "Aanpak",
                "meer dan één aanpak past; vul ook "
                + ("Jaar" if year is None else "Aanpak")
                + " in",
            )

    # -- identity of the row nodes --

    def duplicates(self, rows: Iterable[Row], key: Callable[[Row], object], column: str, what: str):
        seen: dict[object, Row] = {}
        for row in rows:
            if key(row) is None:
                continue
            k = (id(row.network) if row.network else None, key(row))
            if k in seen:
                self.problem(row, column, f"{what} staat al op rij {seen[k].number}")
                row.duplicate = True
            else:
                seen[k] = row

    def agree(self, rows: list[Row], fields: Iterable[str], what: str) -> None:
        """Rows that make the same node must agree on its single-valued cells."""
        for f in fields:
            values: dict[object, Row] = {}
            for row in rows:
                if f in row.values and not row.duplicate:  # a duplicate is reported already
                    values.setdefault(comparable(row.values[f]), row)
            if len(values) > 1:
                first = next(iter(values.values()))
                for row in list(values.values())[1:]:
                    self.problem(
                        row,
                        row.sheet.column(f).heading,
                        f"{what}: '{text_of(row.raw.get(f))}' wijkt af van "
                        f"'{text_of(first.raw.get(f))}' op rij {first.number}",
                    )

    def organisations(self, rows: list[Row]) -> None:
        self.duplicates(rows, lambda r: _field(r, "name"), "Naam", "deze organisatie")
        groups: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            if "name" in row.values:
                groups[norm(row.values["name"])].append(row)
        overleg = value_lists()["Netwerkrol"].find("overleg")
        for key, group in groups.items():
            name = group[0].values["name"]
            self.agree(
                group, ("kind", "unit_of", "frequency", "valid_from", "evidence"), f"'{name}'"
            )
            in_networks = [r for r in group if overleg in r.values.get("roles", [])]
            for r in in_networks[1:]:
                self.problem(
                    r,
                    "Netwerkrol",
                    f"overleg '{name}' hoort al bij het netwerk van rij {in_networks[0].number}; "
                    "een overleg hoort bij één netwerk (één jaar)",
                )
            kinds = group[0].values.get("kind") or []
            if GGSR.Gemeente in kinds:
                iri = URIRef(ID + f"gemeente-{slug(name)}")
                if norm(name) == norm(self.reg.municipality):
                    code = self.cbs
                else:
                    code = (cbs_municipalities().get(norm(name)) or (None,))[0]
                    if code is None:
                        self.problem(
                            group[0], "Soort", f"gemeente '{name}' staat niet in de CBS-lijst"
                        )
                if code:
                    self.add(iri, GGSR.cbsCode, Literal(code))
            else:
                iri = self.mint(f"{self.m_slug}-org-{slug(name)}", ("org", key))
            self.reg.organisations[key] = iri
            self.reg.organisation_names[key] = name
            for row in group:
                row.iri = iri

    def documents(self, rows: list[Row]) -> None:
        self.duplicates(rows, lambda r: _field(r, "title"), "Titel", "dit document")
        groups: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            if "title" in row.values:
                groups[norm(row.values["title"])].append(row)
        single = ("kind", "status", "status_date", "issued", "valid_from", "valid_until")
        for key, group in groups.items():
            title = group[0].values["title"]
            self.agree(group, (*single, "approach_of", "frequency"), f"document '{title}'")
            iri = self.mint(f"doc-{slug(title)}", ("doc", key))
            self.reg.documents[key] = iri
            self.reg.document_titles[key] = title
            for row in group:
                row.iri = iri

    def shared(self, rows: list[Row], key, what, shared_base, own_base) -> None:
        """Rows with the same key in the same year: one node when they say the same in every
        network (a role that serves two approaches), else one node per network."""
        groups: dict[tuple, list[Row]] = defaultdict(list)
        for row in rows:
            if row.network is not None and key(row) is not None:
                groups[(row.network.year, key(row))].append(row)
        for (year, k), group in groups.items():
            per_network: dict[int, set] = defaultdict(set)
            for row in group:
                per_network[id(row.network)].add(what(row))
            together = len({frozenset(v) for v in per_network.values()}) == 1
            for row in group:
                if together:
                    row.iri = self.mint(shared_base(row), (row.sheet.name, year, k))
                else:
                    row.iri = self.mint(own_base(row), (row.sheet.name, row.network.local, k))

    def resolved(self, row: Row, fields: Iterable[str]) -> tuple:
        """The row's content with names resolved to nodes where they resolve already ('netwerk'
        means another node in every network), for deciding whether rows are the same node."""
        out = []
        for f in fields:
            if f not in row.values:
                continue
            c = row.sheet.column(f)
            if c.kind in {"name", "names", "actors", "binding"}:
                names = [row.values[f]] if c.kind == "name" else row.values[f]
                value = tuple(sorted(str(self.reg.party(n, row.network) or norm(n)) for n in names))
                out.append((f, value))
            else:
                out.append((f, comparable(row.values[f])))
        return tuple(out)

    def roles(self, rows: list[Row]) -> None:
        self.duplicates(rows, lambda r: _field(r, "role"), "Functie", "deze functie")
        fields = ("kind", "holders", "tasks", "count", "valid_from", "laid_down_in", "evidence")
        self.shared(
            rows,
            lambda r: _field(r, "role"),
            lambda r: self.resolved(r, fields),
            lambda r: f"{self.m_slug}-{r.network.year}-{slug(r.values['role'], 40)}",
            lambda r: f"{r.network.local}-{slug(r.values['role'], 40)}",
        )
        groups: dict[URIRef, list[Row]] = defaultdict(list)
        for row in rows:
            if row.network is not None and row.iri is not None:
                row.network.roles.setdefault(norm(row.values["role"]), row.iri)
                groups[row.iri].append(row)
        for group in groups.values():
            self.agree(
                group, ("kind", "count", "valid_from"), f"functie '{group[0].values['role']}'"
            )

    def authorities(self, rows: list[Row]) -> None:
        kinds = value_lists()["Bevoegdheidsoort"]
        for row in rows:
            if row.network is None or "role" not in row.values:
                continue
            role = row.network.roles.get(norm(row.values["role"]))
            if role is None:
                self.problem(
                    row,
                    "Functie",
                    f"'{row.values['role']}' staat niet op het blad Functies "
                    f"({row.network.approach} {row.network.year})",
                )
                continue
            row.values["_role_iri"] = role

        def key(r: Row):
            if r.network is None or r.failed and "_role_iri" not in r.values:
                return None
            holder = r.values.get("_role_iri") or (
                r.network.local,
                self.resolved(r, ("rests_with",)),
            )
            return (holder, r.values.get("kind"), norm(r.values.get("label", "")))

        usable = [r for r in rows if key(r) is not None]
        self.duplicates(usable, key, "Omschrijving", "deze bevoegdheid")
        groups: dict[tuple, list[Row]] = defaultdict(list)
        for row in usable:
            groups[key(row)].append(row)
        for k, group in groups.items():
            row = group[0]
            name = row.values.get("label") or kinds.label(row.values.get("kind")) or "bevoegdheid"
            owner = row.values.get("_role_iri") or row.network.iri
            base = f"{str(owner)[len(str(ID)) :]}-{slug(name, 40)}"
            iri = self.mint(base, ("bevoegdheid",) + tuple(map(str, k)))
            self.agree(
                group,
                ("condition", "laid_down_in", "granted_by", "valid_from"),
                "dezelfde bevoegdheid",
            )
            for r in group:
                r.iri = iri

    def escalation(self, rows: list[Row]) -> None:
        for row in rows:
            if row.network is not None:
                row.values.setdefault(
                    "_model",
                    row.values.get("model")
                    or f"escalatiepad {self.reg.municipality} {row.network.year}",
                )
        self.duplicates(
            rows,
            lambda r: (
                (norm(r.values["_model"]), r.values["step"])
                if "_model" in r.values and "step" in r.values
                else None
            ),
            "Stap nr",
            "dit stapnummer van dit escalatiemodel",
        )
        step_fields = (
            "step",
            "level",
            "actors",
            "trigger",
            "action",
            "label",
            "threshold",
            "time_limit",
            "model_kind",
            "model_document",
            "model_evidence",
        )
        models: dict[tuple, list[Row]] = defaultdict(list)
        for row in rows:
            if row.network is not None:
                models[(row.network.year, norm(row.values["_model"]))].append(row)
        for (year, m), group in models.items():
            per_network: dict[int, set] = defaultdict(set)
            for row in group:
                per_network[id(row.network)].add(self.resolved(row, step_fields))
            together = len({frozenset(v) for v in per_network.values()}) == 1
            for row in group:
                name = slug(row.values["_model"], 40)
                if together:
                    base, key = f"{self.m_slug}-{year}-{name}", (year, m)
                else:
                    base, key = f"{row.network.local}-{name}", (row.network.local, m)
                model = self.mint(base, ("model",) + key)
                row.values["_model_iri"] = model
                if "step" not in row.values:  # a model without (known) steps
                    row.values["_model_only"] = True
                    row.iri = model
                else:
                    row.iri = self.mint(
                        f"{str(model)[len(str(ID)) :]}-stap-{row.values['step']}",
                        ("stap", model, row.values["step"]),
                    )
            # rows of one model must agree on what they say of the model
            per_model: dict[URIRef, list[Row]] = defaultdict(list)
            for row in group:
                per_model[row.values["_model_iri"]].append(row)
            for model_rows in per_model.values():
                self.agree(
                    model_rows, ("model_kind", "model_document", "model_evidence"), "escalatiemodel"
                )
                steps: dict[URIRef, list[Row]] = defaultdict(list)
                for row in model_rows:
                    if row.iri is not None:
                        steps[row.iri].append(row)
                for step_rows in steps.values():
                    self.agree(
                        step_rows,
                        ("level", "trigger", "action", "label", "threshold", "time_limit"),
                        "dezelfde stap",
                    )

    def by_content(self, rows: list[Row]) -> None:
        """Arrangements, practice, statements, findings, absences and target-group definitions:
        a node per distinct row of a network, its IRI a hash of all its cells."""
        if not rows:
            return
        sheet = rows[0].sheet
        first = sheet.columns[0]
        self.duplicates(rows, lambda r: content(r) or None, first.heading, "deze rij")
        word = _BY_CONTENT[sheet.name]
        for row in rows:
            if row.network is None or row.failed:
                continue
            h = hashlib.sha1(repr(content(row)).encode()).hexdigest()[:8]
            kind = row.values.get("kind")
            if word is None:
                word_ = slug(local_name(kind) if kind else sheet.name, 30)
            elif word == "geen":
                word_ = "geen-" + slug(local_name(kind) if kind else "x", 30)
            else:
                word_ = word
            row.iri = self.mint(
                f"{row.network.local}-{word_}-{h}", (sheet.name, row.network.local, h)
            )

    def register_handles(self, rows: list[Row]) -> None:
        reg = self.reg
        first: dict[str, Row] = {}
        for row in rows:
            handle = row.values.get("handle")
            if handle is None or row.iri is None:
                continue
            n = norm(handle)
            if n in first:
                self.problem(
                    row,
                    "Kenmerk",
                    f"kenmerk '{handle}' staat al op blad {first[n].sheet.name}, rij "
                    f"{first[n].number}; een kenmerk is uniek in het werkboek",
                )
                continue
            if n in reg.documents:
                self.problem(
                    row,
                    "Kenmerk",
                    f"'{handle}' is ook de titel van een document; kies een ander kenmerk",
                )
                continue
            first[n] = row
            reg.handles[n] = Evidence(row.iri, row.sheet.name)
            reg.handle_names[n] = handle

    def default_inspectorates(self, rows: list[Row]) -> None:
        for row in rows:
            if row.network is None:
                continue
            name = row.values.get("inspectorate")
            if name is None:
                continue
            try:
                self.inspectorates[row.network.iri] = self.reg.resolve_party(
                    name, row.network, one=True
                )
            except Unresolved as exc:
                self.problem(row, "Toezichthouder", str(exc))

    # -- triples --

    def emit(self, row: Row) -> None:
        sheet, net, node = row.sheet, row.network, row.iri
        if node is None:  # the row is rejected already; still check its names for the report
            for c in sheet.columns:
                if c.field in row.values and c.kind in {
                    "name",
                    "names",
                    "actors",
                    "document",
                    "documents",
                }:
                    self.terms(row, c)
            return
        self.places[node].append(row.place())
        if sheet.name == "Aanpak":  # the fixed structure: municipality ← approach ← network
            m = self.reg.municipality_iri
            self.add(m, RDF.type, GGSR.Gemeente)
            self.add(net.approach_iri, RDF.type, GGSR.Aanpak)
            self.add(net.approach_iri, GGSR.gemeente, m)
            self.add(net.iri, GGSR.aanpak, net.approach_iri)
            label = f"{net.approach} {self.reg.municipality} {net.year}"
            self.add(net.iri, RDFS.label, Literal(label, lang="nl"))
            self.places[net.approach_iri].append(row.place())
            self.places[m].append(row.place())
        model = row.values.get("_model_iri")
        model_only = bool(row.values.get("_model_only"))
        if model is not None:
            model_class = row.values.get("model_kind") or GGSR.Escalatiemodel
            self.add(model, RDF.type, model_class)
            self.add(net.iri, GGSR.escalatiemodel, model)
            if not model_only:
                self.add(model, GGSR.stap, node)
                self.add(node, RDF.type, STEP_CLASS.get(model_class, GGSR.Escalatiestap))
                self.places[model].append(row.place())
            if "model" not in row.values:
                self.add(model, RDFS.label, Literal(row.values["_model"], lang="nl"))
        elif sheet.cls is not None:
            self.add(node, RDF.type, sheet.cls)
        if sheet.link is not None and net is not None:
            self.link(net, sheet.link, node)
        if sheet.name == "Bevoegdheden" and "_role_iri" not in row.values and net is not None:
            self.add(node, GGSR.netwerk, net.iri)  # an authority of organisations, not of a role
        if sheet.name == "Bevindingen" and "inspectorate" not in row.values and net is not None:
            inspectorate = self.inspectorates.get(net.iri)
            if inspectorate is None:
                self.reg.used_stj = True
                inspectorate = STJ
            self.add(node, GGSR.toezichthouder, inspectorate)
        subjects = {
            "node": node,
            "network": net.iri if net else None,
            "municipality": self.reg.municipality_iri,
            "approach": net.approach_iri if net else None,
            "model": model,
        }
        for c in sheet.all_columns:
            if c.field not in row.values:
                continue
            if c.kind == "network-roles":
                if net is None:
                    continue
                roles = value_lists()["Netwerkrol"]
                for role in row.values[c.field]:
                    for link in NETWORK_ROLES[roles.label(role)]:
                        t = self.link(net, link, node)
                        self.origin.setdefault(t, (sheet.name, row.number, c.heading))
                continue
            if c.prop is None or (c.field == "model_kind"):
                continue  # the model's class is written above
            if c.kind == "binding" and any(norm(v) == NOBODY for v in row.values[c.field]):
                if len(row.values[c.field]) > 1:
                    self.problem(
                        row, c.heading, f"'{NOBODY}' en namen tegelijk: kies één van beide"
                    )
                else:
                    self.add(node, GGSR.bindend, Literal(False), row, c)
                continue
            s = subjects[c.on]
            for o in self.terms(row, c):
                t = (o, c.prop, s) if c.inverse else (s, c.prop, o)
                self.add(*t, row, c)

    def link(self, net: Network, link: tuple[URIRef, str], node: URIRef) -> tuple:
        p, direction = link
        t = (net.iri, p, node) if direction == "network→node" else (node, p, net.iri)
        self.graph.add(t)
        return t

    def terms(self, row: Row, c: Column) -> list:
        value = row.values[c.field]
        kind = c.kind
        if kind == "text":
            return [Literal(value, lang=c.lang) if c.lang else Literal(value)]
        if kind == "handle":
            return [Literal(value)]
        if kind == "texts":
            return [Literal(t, lang=c.lang) for t in value]
        if kind in {"integer", "year"}:
            return [Literal(value, datatype=XSD.integer)]
        if kind in {"date", "duration", "choice"}:
            return [value]
        if kind == "yesno":
            return [Literal(value)]
        if kind == "choices":
            return list(value)
        out = []
        names = [value] if isinstance(value, str) else value
        for name in names:
            try:
                if kind in {"name", "names", "binding", "actors"}:
                    out.append(
                        self.reg.resolve_party(
                            name, row.network, one=kind == "name", actors=kind == "actors"
                        )
                    )
                elif kind in {"document", "documents"}:
                    out.append(self.reg.resolve_document(name))
                elif kind == "approaches":
                    out.append(self.reg.resolve_approach(name))
                elif kind == "role":
                    out.append(self.role(row, name))
                elif kind == "evidence":
                    out.append(self.evidence(row, name))
            except Unresolved as exc:
                self.problem(row, c.heading, str(exc))
        return out

    def role(self, row: Row, name: str) -> URIRef:
        if "_role_iri" in row.values and row.sheet.name == "Bevoegdheden":
            return row.values["_role_iri"]
        roles = row.network.roles if row.network else {}
        if norm(name) in roles:
            return roles[norm(name)]
        from .cells import meant
        from .mapping import did_you_mean

        where = f" ({row.network.approach} {row.network.year})" if row.network else ""
        raise Unresolved(
            f"'{name}' staat niet op het blad Functies{where}"
            + meant(did_you_mean(name, [n for n in roles]))
        )

    def evidence(self, row: Row, name: str) -> URIRef:
        found = self.reg.resolve_evidence(name)
        if row.sheet.name == "Afwezigheden" and found.sheet not in {"Verklaringen", "Bevindingen"}:
            raise Unresolved(
                f"'{name}' staat op het blad {found.sheet}; een afwezigheid blijkt uit een "
                "verklaring of bevinding (bladen Verklaringen, Bevindingen)"
            )
        if found.iri == row.iri:
            raise Unresolved(f"'{name}' is deze rij zelf")
        return found.iri

    def next_steps(self) -> None:
        for model in set(self.graph.subjects(GGSR.stap, None)):
            steps = sorted(
                (int(self.graph.value(s, GGSR.volgnummer)), str(s), s)
                for s in self.graph.objects(model, GGSR.stap)
                if self.graph.value(s, GGSR.volgnummer) is not None
            )
            for (_, _, a), (_, _, b) in zip(steps, steps[1:], strict=False):
                self.graph.add((a, GGSR.volgendeStap, b))

    def source(self, content_hash: str) -> URIRef:
        iri = URIRef(BRON + f"werkboek-{content_hash[:16]}")
        name = self.path.name or str(self.path)
        self.graph.add((iri, RDF.type, GGSR.Bron))
        self.graph.add((iri, GGSR.bestandsnaam, Literal(name)))
        self.graph.add((iri, RDFS.label, Literal(f"Werkboek {name}", lang="nl")))
        for node, places in self.places.items():
            for place in dict.fromkeys(places):
                d = BNode()
                self.graph.add((node, PROV.qualifiedDerivation, d))
                self.graph.add((d, RDF.type, PROV.Derivation))
                self.graph.add((d, PROV.entity, iri))
                self.graph.add((d, GGSR.plaats, Literal(place)))
        return iri


def _label(values, iri: URIRef) -> str:
    label = values.label(iri)
    if label is None:
        for lit in ontology().objects(iri, RDFS.label):
            if isinstance(lit, Literal) and lit.language == "nl":
                return str(lit)
        return local_name(iri)
    return label


def import_workbook(path: Path | str, check: bool = True) -> Result:
    """Read the workbook at ``path`` into RDF. ``problems`` of the result lists every row that was
    not taken over; when it is empty the graph holds every non-empty cell. With ``check`` the
    data-quality shapes and the privacy guard run on the result (their findings are problems too,
    warnings of the shapes are ``warnings``)."""
    path = Path(path)
    tables, problems, content_hash = read_tables(path)
    imp = _Import(path)
    imp.problems.extend(problems)
    every = imp.run(tables)
    imp.next_steps()
    source = imp.source(content_hash)
    _bind(imp.graph)
    result = Result(
        graph=imp.graph,
        source=source,
        file=path.name or str(path),
        rows=len(every),
        networks=[(imp.reg.municipality, n.approach, n.year) for n in imp.reg.networks],
        problems=sorted(set(imp.problems), key=lambda p: p.sort_key),
    )
    if check and not result.problems:
        from .checks import check_result

        check_result(result, {r.iri: r for r in reversed(every) if r.iri is not None}, imp.origin)
    return result


def _bind(g: Graph) -> None:
    for prefix, ns in {
        "ggsr": GGSR,
        "id": ID,
        "bron": BRON,
        "org": ORG,
        "prov": PROV,
        "dct": DCTERMS,
        "rdfs": RDFS,
        "xsd": XSD,
        "lg": "https://w3id.org/ggsr/def/leefgebied/",
        "nv": "https://w3id.org/ggsr/def/niveau/",
        "vi": "https://w3id.org/ggsr/def/verwijsindex/",
        "mdl": "https://w3id.org/ggsr/def/model/",
        "ds": "https://w3id.org/ggsr/def/documentstatus/",
        "bg": "https://w3id.org/ggsr/def/beginsel/",
        "mt": "https://w3id.org/ggsr/def/methode/",
        "ag": "https://w3id.org/ggsr/def/afsluitgrond/",
        "gv": "https://w3id.org/ggsr/def/gevolg/",
        "kp": "https://w3id.org/ggsr/def/knelpunt/",
        "ca": "https://w3id.org/ggsr/def/actor/",
    }.items():
        g.bind(prefix, ns, override=True)


def write_atomically(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename (never half a file)."""
    from .template import atomic

    return atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def turtle(result: Result) -> str:
    head = (
        f"# Gegenereerd door ggsr-kg import uit {result.file} "
        f"({', '.join(f'{a} {j}' for _, a, j in result.networks)}).\n"
        "# Generated by ggsr-kg import; edit the workbook, not this file.\n"
    )
    return head + result.graph.serialize(format="turtle")


# Dutch names of the first version (the CLI of other branches and their tests call them)
def import_werkboek(pad: Path | str, controle: bool = True) -> Result:
    return import_workbook(pad, check=controle)


Resultaat = Result
Probleem = Problem
lees = read_tables
atomisch_schrijven = write_atomically

__all__ = [
    "Problem",
    "Result",
    "import_workbook",
    "read_tables",
    "turtle",
    "write_atomically",
    "import_werkboek",
    "lees",
]
