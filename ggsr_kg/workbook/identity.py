"""Which node each row of a workbook becomes: networks, organisations, documents, roles,
authorities, escalation steps, and the rows identified by their content (arrangements, practice,
statements, findings, absences, target-group definitions); the kenmerken of evidence rows.

Also the checks that need no other row: cells that cannot be read, required cells, a column that
holds only for another kind. Every IRI is minted here (ImportState.mint); triples.py writes what the
rows say about the nodes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable

from rdflib import Literal, URIRef

from ..namespaces import GGSR, ID
from .cells import CellError, has_separator, read_cell, text_of
from .mapping import is_a, local_name, norm, slug, value_lists
from .municipalities import cbs_municipalities, cbs_name, check_code, normalise_code
from .reading import Problem, is_empty
from .references import Evidence, Network, Registry, Unresolved
from .state import ImportState, Row, comparable, content, field_of, kind_label

# sheets whose rows are identified by their whole content (a hash), per network
BY_CONTENT = {
    "Afspraken": None,  # the kind's local name
    "Praktijk": None,
    "Verklaringen": "verklaring",
    "Bevindingen": "bevinding",
    "Afwezigheden": "geen",  # + the missing kind's local name
    "Doelgroep": "doelgroep",
}


class Identity(ImportState):
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
                wanted = " of ".join(f"'{kind_label(values, k)}'" for k in c.for_kinds)
                have = ", ".join(f"'{kind_label(values, k)}'" for k in kinds)
                self.problem(
                    row, c.heading, f"geldt alleen voor de soort {wanted}; deze rij is {have}"
                )
        roles = [kind_label(value_lists()["Netwerkrol"], r) for r in row.values.get("roles", [])]
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
        self.duplicates(rows, lambda r: field_of(r, "name"), "Naam", "deze organisatie")
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
        self.duplicates(rows, lambda r: field_of(r, "title"), "Titel", "dit document")
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
        self.duplicates(rows, lambda r: field_of(r, "role"), "Functie", "deze functie")
        fields = ("kind", "holders", "tasks", "count", "valid_from", "laid_down_in", "evidence")
        self.shared(
            rows,
            lambda r: field_of(r, "role"),
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
        word = BY_CONTENT[sheet.name]
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
