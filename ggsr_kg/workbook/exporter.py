"""Writing an existing network from the graph into the workbook (``ggsr-kg export``).

The exporter walks the same table as the importer (mapping.py) in the other direction: per sheet
it finds the nodes of the chosen networks, and per column it reads the property and writes the
value as the importer expects to read it (labels for controlled values, names for references,
kenmerken for evidence). Importing the result gives back the facts the workbook covers
(docs/werkboek.md, "Wat het werkboek bevat"); what it cannot hold is listed in the notes
:func:`export` returns.

The export is stable: rows are ordered by their content and the values of a multi-valued cell by
name — never by IRI — and a statement, finding or practice keeps its kenmerk (``dct:identifier``)
or gets one numbered in that order, so exporting what an import of the export gives is the same
workbook, byte for byte.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from ..errors import InputError
from ..namespaces import GGSR, ID, ORG
from .mapping import (
    DEFAULT_CLASS,
    EVIDENCE_SHEETS,
    MUNICIPALITY_WORD,
    NETWORK_WORDS,
    NOBODY,
    SEPARATOR,
    SHEET,
    SHEETS,
    STJ,
    Column,
    Sheet,
    norm,
    ontology,
    slug,
    value_lists,
)
from .municipalities import cbs_municipalities

Row = dict[str, object]
_HANDLE_PREFIX = {"Verklaringen": "V", "Bevindingen": "B", "Praktijk": "P"}
_BY_NETWORK = {  # sheets whose nodes say ggsr:netwerk, with the class list their kind is from
    "Afspraken": "Afspraaksoort",
    "Praktijk": "Praktijksoort",
    "Verklaringen": None,
    "Bevindingen": None,
    "Afwezigheden": None,
}


def _join(values: Iterable[str]) -> str:
    """The values of a multi-valued cell, ordered by name, as the importer splits them again."""
    return f"{SEPARATOR} ".join(sorted(dict.fromkeys(values), key=lambda v: (norm(v), v)))


def _nl(g: Graph, node, prop=RDFS.label) -> str | None:
    values = [o for o in g.objects(node, prop) if isinstance(o, Literal)]
    for wanted in ("nl", None, ""):
        for o in sorted(values):
            if (o.language or None) == (wanted or None):
                return str(o)
    return str(sorted(values)[0]) if values else None


def _sort_key(row: Row, sheet: Sheet) -> tuple:
    """Rows in an order that comes from their content, not from IRIs."""
    out = [str(row.get("Jaar", "")), norm(str(row.get("Aanpak", "")))]
    for c in sheet.columns:
        v = row.get(c.heading)
        out.append(f"{v:09d}" if isinstance(v, int) else norm(str(v or "")))
    return tuple(out)


def _short(iri) -> str:
    text = str(iri)
    for prefix, ns in (
        ("id:", ID),
        ("ggsr:", GGSR),
        ("org:", ORG),
        ("rdfs:", RDFS),
        ("dct:", DCTERMS),
        ("skos:", SKOS),
        ("prov:", PROV),
    ):
        if text.startswith(str(ns)):
            return prefix + text[len(str(ns)) :]
    return text


class _Export:
    def __init__(self, g: Graph, municipality: URIRef, networks: list[URIRef]):
        self.g = g
        self.municipality = municipality
        self.networks = networks
        self.notes: list[str] = []
        code = g.value(municipality, GGSR.cbsCode)
        listed = cbs_municipalities().get(norm(str(code))) if code else None
        self.municipality_name = (
            _nl(g, municipality)
            or (listed[1] if listed else "")
            or slug(str(municipality).rsplit("gemeente-", 1)[-1])
        )
        self.roles: dict[URIRef, dict[URIRef, str]] = {
            net: {
                f: _nl(g, f) or ""
                for f in g.subjects(ORG.postIn, net)
                if isinstance(f, URIRef) and self._kind(f, "Functiesoort") is not None
            }
            for net in networks
        }
        self.all_roles = {f for fs in self.roles.values() for f in fs}
        self.approaches = {net: g.value(net, GGSR.aanpak) for net in networks}
        self.organisations: list[URIRef] = []
        self.handles: dict[URIRef, str] = {}
        self.evidence: dict[URIRef, str] = {}  # node → sheet (Verklaringen, Bevindingen, Praktijk)
        self.facts: dict[str, dict[URIRef, URIRef]] = {}  # sheet → node → network
        self._keying = False  # while ordering evidence rows: references are not known yet

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # -- values --

    def _kinds(self, node, values: str) -> list[URIRef]:
        """The node's most specific classes from the list (not a superclass of another)."""
        items = {iri for _, iri in value_lists()[values].items}
        types = [t for t in self.g.objects(node, RDF.type) if t in items]
        o = ontology()
        return sorted(
            t
            for t in types
            if not any(t != u and t in set(o.transitive_objects(u, RDFS.subClassOf)) for u in types)
        )

    def _kind(self, node, values: str) -> URIRef | None:
        kinds = self._kinds(node, values)
        if not kinds:
            return None
        if len(kinds) > 1:
            self.note(
                f"{_short(node)} heeft meer soorten ({', '.join(_short(t) for t in kinds)}); "
                "alleen de eerste staat in het werkboek"
            )
        return kinds[0]

    def name(self, node, net: URIRef | None, actors: bool = False) -> str | None:
        """The name the importer resolves back to ``node`` (in the row of network ``net``)."""
        if node == net:
            return NETWORK_WORDS[0]
        if node == self.municipality:
            return MUNICIPALITY_WORD
        if node == STJ:
            return "STJ"
        if actors:
            group = value_lists()["Collectieve actor"].label(node)
            if group is not None:
                return group
        if net is not None and node in self.roles.get(net, {}):
            return self.roles[net][node]
        if node in self.networks:
            a = self.approaches[node]
            return f"{NETWORK_WORDS[0]} {_nl(self.g, a)} {int(self.g.value(node, GGSR.peiljaar))}"
        if net is not None and node in self.all_roles:
            label = next(fs[node] for fs in self.roles.values() if node in fs)
            same = {
                f for fs in self.roles.values() for f, lab in fs.items() if norm(lab) == norm(label)
            }
            if same == {node}:
                return label
        if node in self.all_roles or (node, ORG.postIn, None) in self.g:
            self.note(
                f"{_short(node)} (een ander netwerk of een functie daarvan) kan op deze plaats niet "
                "in het werkboek; die verwijzing ontbreekt"
            )
            return None
        label = _nl(self.g, node)
        if label is None:
            self.note(f"{_short(node)} heeft geen naam (rdfs:label); die verwijzing ontbreekt")
            return None
        if node not in self.organisations:
            self.organisations.append(node)
        return label

    def values(self, node, c: Column) -> list:
        if c.inverse:
            return sorted(self.g.subjects(c.prop, node))
        out = sorted(self.g.objects(node, c.prop))
        if not out and c.prop == DCTERMS.title:  # a document known by its label only
            out = sorted(self.g.objects(node, RDFS.label))
        if c.kind in {"text", "texts"} and c.lang:
            nl = [o for o in out if isinstance(o, Literal) and o.language == c.lang]
            out = nl or out
        return out

    def reference(self, node, target, c: Column, net) -> str | None:
        """A document title, or the kenmerk of an evidence row."""
        if self._keying:
            return None
        if c.kind == "evidence" and target in self.handles:
            return self.handles[target]
        if (target, RDF.type, None) in self.g and any(
            t in {iri for _, iri in value_lists()["Documentsoort"].items}
            for t in self.g.objects(target, RDF.type)
        ):
            return _nl(self.g, target, DCTERMS.title) or _nl(self.g, target)
        self.note(
            f"{_short(node)}: {_short(c.prop)} {_short(target)} is geen document of verklaring, "
            "bevinding of praktijk van deze netwerken; die verwijzing ontbreekt"
        )
        return None

    def cell(self, node, c: Column, net: URIRef | None) -> object:
        if c.kind == "handle":
            return self.handles.get(node)
        if c.prop == RDF.type or (c.prop == GGSR.soort and c.values):
            if c.prop == GGSR.soort:
                kinds = sorted(self.g.objects(node, GGSR.soort))
            else:
                kinds = self._kinds(node, c.values) or [DEFAULT_CLASS[c.values]]
            labels = [value_lists()[c.values].label(k) for k in kinds]
            if None in labels:
                self.note(
                    f"{_short(node)}: een soort staat niet in de lijst {c.values}; weggelaten"
                )
            labels = [x for x in labels if x]
            if not c.multi and len(labels) > 1:
                self.note(f"{_short(node)} heeft meer soorten; kolom {c.heading} houdt er één")
                labels = labels[:1]
            return _join(labels) or None
        values = self.values(node, c)
        if c.kind == "binding" and (node, GGSR.bindend, Literal(False)) in self.g:
            if values:
                self.note(
                    f"{_short(node)} bindt niemand én {len(values)} partijen; alleen 'niemand'"
                )
            return NOBODY
        if not values:
            return None
        if not c.multi and len(values) > 1:
            self.note(
                f"{_short(node)} heeft {len(values)} waarden voor {_short(c.prop)}; "
                f"kolom {c.heading} houdt er één (de eerste)"
            )
            values = values[:1]
        k = c.kind
        if k in {"text", "date", "duration", "handle"}:
            return str(values[0])
        if k == "texts":
            return "\n".join(sorted(str(w) for w in values))
        if k in {"integer", "year"}:
            return int(values[0])
        if k == "yesno":
            return "ja" if values[0].toPython() is True else "nee"
        if k in {"choice", "choices"}:
            labels = []
            for w in values:
                label = value_lists()[c.values].label(w)
                if label is None:
                    self.note(f"{_short(w)} staat niet in de lijst {c.values}; weggelaten")
                else:
                    labels.append(label)
            return _join(labels) or None
        if k in {"name", "names", "binding", "actors"}:
            names = [n for n in (self.name(w, net, k == "actors") for w in values) if n]
            if c.field == "inspectorate" and names == ["STJ"]:
                return None  # the default toezichthouder of a finding
            return _join(names) or None
        if k == "document":
            return self.reference(node, values[0], c, net)
        if k == "documents":
            return _join(n for n in (self.reference(node, w, c, net) for w in values) if n) or None
        if k == "evidence":
            return _join(n for n in (self.reference(node, w, c, net) for w in values) if n) or None
        if k == "role":
            role = values[0]
            own = self.roles.get(net, {})
            if role in own:
                return own[role]
            self.note(
                f"{_short(node)}: functie {_short(role)} hoort niet bij dit netwerk; weggelaten"
            )
            return None
        if k == "approaches":
            names = []
            for w in values:
                if w in self.approaches.values():
                    names.append(_nl(self.g, w))
                else:
                    self.note(
                        f"{_short(node)} betreft {_short(w)}, buiten het werkboek; weggelaten"
                    )
            return _join(n for n in names if n) or None
        raise AssertionError(k)

    def row(self, sheet: Sheet, node, net: URIRef | None, **subjects) -> Row:
        row: Row = {}
        nodes = {"node": node, "network": net, **subjects}
        for c in sheet.columns:
            if (c.prop is None and c.kind != "handle") or nodes.get(c.on) is None:
                continue
            if c.field == "model_kind" and not self._kinds(nodes["model"], c.values):
                continue
            value = self.cell(nodes[c.on], c, net)
            if c.field == "model_kind" and value == value_lists()[c.values].label(
                DEFAULT_CLASS[c.values]
            ):
                continue  # a plain escalation model: the default
            if value is not None and value != "":
                row[c.heading] = value
        if net is not None and sheet.name != "Aanpak":
            row["Aanpak"] = _nl(self.g, self.approaches[net])
            row["Jaar"] = int(self.g.value(net, GGSR.peiljaar))
        return row

    # -- the sheets --

    def _by_network(self, sheet: str) -> dict[URIRef, URIRef]:
        """node → network, for the nodes of a sheet that say ggsr:netwerk."""
        g = self.g
        values = _BY_NETWORK[sheet]
        out = {}
        for net in self.networks:
            for x in g.subjects(GGSR.netwerk, net):
                if values is not None:
                    if self._kind(x, values) is None:
                        continue
                    if sheet == "Praktijk" and (x, RDF.type, GGSR.Overleg) in g:
                        continue
                elif (x, RDF.type, SHEET[sheet].cls) not in g:
                    continue
                out[x] = net
        return out

    def _assign_handles(self) -> None:
        """A kenmerk for every statement, finding and practice: its own (dct:identifier) when it is
        unique, else V1, B1, P1 … numbered in the order of their content."""
        for sheet in EVIDENCE_SHEETS:
            for node in self.facts[sheet]:
                self.evidence[node] = sheet
        own = Counter(
            norm(str(i)) for node in self.evidence for i in self.g.objects(node, DCTERMS.identifier)
        )
        used = set()
        pending = []
        self._keying = True
        for node, sheet in self.evidence.items():
            ids = sorted(str(i) for i in self.g.objects(node, DCTERMS.identifier))
            if len(ids) == 1 and own[norm(ids[0])] == 1:
                self.handles[node] = ids[0]
                used.add(norm(ids[0]))
            else:
                net = self.facts[sheet][node]
                key = _sort_key(self.row(SHEET[sheet], node, net), SHEET[sheet])
                pending.append((sheet, key, str(node), node))
        self._keying = False
        counters = Counter()
        for sheet, _, _, node in sorted(pending):
            while True:
                counters[sheet] += 1
                handle = f"{_HANDLE_PREFIX[sheet]}{counters[sheet]}"
                if norm(handle) not in used:
                    break
            used.add(norm(handle))
            self.handles[node] = handle

    def sheets(self) -> dict[str, list[Row]]:
        g = self.g
        out: dict[str, list[Row]] = {s.name: [] for s in SHEETS}
        for sheet in _BY_NETWORK:
            self.facts[sheet] = self._by_network(sheet)
        self._assign_handles()
        role_authorities = set()
        for net in self.networks:
            approach = self.approaches[net]
            out["Aanpak"].append(
                self.row(
                    SHEET["Aanpak"], net, net, municipality=self.municipality, approach=approach
                )
            )
            for f in self.roles[net]:
                out["Functies"].append(self.row(SHEET["Functies"], f, net))
                for b in set(g.objects(f, GGSR.bevoegdheid)) | set(g.subjects(GGSR.vanFunctie, f)):
                    role_authorities.add(b)
                    out["Bevoegdheden"].append(self.row(SHEET["Bevoegdheden"], b, net))
            for b in g.subjects(GGSR.netwerk, net):
                if b in role_authorities or self._kind(b, "Bevoegdheidsoort") is None:
                    continue
                if any(g.subjects(GGSR.bevoegdheid, b)) or any(g.objects(b, GGSR.vanFunctie)):
                    continue  # an authority of a role (of another network): written with the role
                out["Bevoegdheden"].append(self.row(SHEET["Bevoegdheden"], b, net))
            for m in g.objects(net, GGSR.escalatiemodel):
                steps = sorted(
                    g.objects(m, GGSR.stap),
                    key=lambda s: (int(g.value(s, GGSR.volgnummer) or 0), str(s)),
                )
                if not steps:  # a model without steps: one row with the model's columns only
                    out["Escalatie"].append(self.row(SHEET["Escalatie"], None, net, model=m))
                for s in steps:
                    out["Escalatie"].append(self.row(SHEET["Escalatie"], s, net, model=m))
                self._next(m, steps)
            for d in g.objects(net, GGSR.document):
                out["Documenten"].append(self.row(SHEET["Documenten"], d, net))
            for d in g.objects(net, GGSR.doelgroepomschrijving):
                out["Doelgroep"].append(self.row(SHEET["Doelgroep"], d, net))
        for sheet, nodes in self.facts.items():
            for node, net in nodes.items():
                out[sheet].append(self.row(SHEET[sheet], node, net))
        out["Organisaties"] = self.organisation_rows()
        self.check_names()
        for sheet in SHEETS:
            out[sheet.name].sort(key=lambda r, s=sheet: _sort_key(r, s))
        return out

    def _next(self, model, steps: list) -> None:
        expected = set(zip(steps, steps[1:], strict=False))
        actual = {(s, t) for s in steps for t in self.g.objects(s, GGSR.volgendeStap)}
        if actual != expected:
            self.note(
                f"{_short(model)}: ggsr:volgendeStap volgt niet de volgnummers; het werkboek legt de "
                "volgorde alleen met Stap nr vast"
            )

    def network_roles(self, org, net) -> list[str]:
        g = self.g
        roles = []
        if (net, GGSR.kernpartner, org) in g:
            roles.append("kernpartner")
        elif (net, ORG.hasMember, org) in g:
            roles.append("partner")
        if (org, GGSR.netwerk, net) in g and (org, RDF.type, GGSR.Overleg) in g:
            roles.append("overleg")
        if (org, GGSR.meldtAan, net) in g:
            self.note(
                f"{_short(org)} ggsr:meldtAan (verouderd): in het werkboek een aanmeldroute op het "
                "blad Afspraken; niet geëxporteerd"
            )
        return roles

    def organisation_rows(self) -> list[Row]:
        sheet = SHEET["Organisaties"]
        for net in self.networks:  # partners and the network's meetings are organisations too
            for o in sorted(
                set(self.g.objects(net, ORG.hasMember))
                | set(self.g.objects(net, GGSR.kernpartner))
                | {
                    x
                    for x in self.g.subjects(GGSR.netwerk, net)
                    if (x, RDF.type, GGSR.Overleg) in self.g
                }
            ):
                if o != self.municipality:
                    self.name(o, net)
        municipality_row = any(
            self.network_roles(self.municipality, net) for net in self.networks
        ) or any(self.cell(self.municipality, c, None) for c in sheet.columns[3:] if c.prop)
        if municipality_row and self.municipality not in self.organisations:
            self.organisations.insert(0, self.municipality)
        rows: list[Row] = []
        done: set = set()
        while len(done) < len(self.organisations):  # naming members etc. may add organisations
            for org in list(self.organisations):
                if org in done:
                    continue
                done.add(org)
                with_role = [net for net in self.networks if self.network_roles(org, net)]
                for net in with_role or [None]:
                    row = self.row(sheet, org, net)
                    if org == self.municipality:
                        row["Naam"] = self.municipality_name
                    if net is None:
                        row.pop("Aanpak", None)
                        row.pop("Jaar", None)
                    else:
                        row["Netwerkrol"] = _join(self.network_roles(org, net))
                    rows.append(row)
        return rows

    def check_names(self) -> None:
        per_name: dict[str, set] = {}
        for org in self.organisations:
            name = self.municipality_name if org == self.municipality else _nl(self.g, org)
            per_name.setdefault(norm(name or ""), set()).add(org)
        named = [*per_name, *(norm(lab) for fs in self.roles.values() for lab in fs.values())]
        named += [norm(_nl(self.g, a) or "") for a in self.approaches.values()]
        named += [norm(h) for h in self.handles.values()]
        for name in named:
            if SEPARATOR in name or "\n" in name:
                self.note(
                    f"de naam '{name}' bevat een puntkomma of regeleinde; in het werkboek scheiden "
                    "die namen, dus opnieuw inlezen lukt pas als de naam anders is"
                )
        for name, nodes in per_name.items():
            if len(nodes) > 1:
                self.note(
                    f"{len(nodes)} organisaties heten '{name}' "
                    f"({', '.join(sorted(_short(k) for k in nodes))}); in het werkboek worden ze één"
                )
        for fs in self.roles.values():
            for f, label in fs.items():
                if norm(label) in per_name:
                    self.note(f"functie {_short(f)} heet als een organisatie ('{label}')")

    def not_covered(self) -> list[str]:
        """Properties of the exported nodes the workbook has no column for."""
        covered = {c.prop for s in SHEETS for c in s.all_columns if c.prop}
        covered |= {s.link[0] for s in SHEETS if s.link}
        covered |= {
            RDF.type,
            GGSR.aanpak,
            GGSR.gemeente,
            GGSR.escalatiemodel,
            GGSR.stap,
            GGSR.volgendeStap,
            GGSR.kernpartner,
            GGSR.vanFunctie,
            GGSR.netwerk,
            GGSR.bindend,
            PROV.qualifiedDerivation,
        }
        nodes = set(self.networks) | set(self.organisations) | self.all_roles
        nodes |= {
            o
            for net in self.networks
            for p in (GGSR.document, GGSR.doelgroepomschrijving, GGSR.escalatiemodel)
            for o in self.g.objects(net, p)
        }
        for facts in self.facts.values():
            nodes |= set(facts)
        nodes |= {b for f in self.all_roles for b in self.g.objects(f, GGSR.bevoegdheid)}
        nodes |= {s for m in list(nodes) for s in self.g.objects(m, GGSR.stap)}
        count: Counter = Counter()
        for n in nodes:
            for p in self.g.predicates(n, None):
                if p not in covered:
                    count[p] += 1
        return [
            f"{_short(p)} ×{n}" for p, n in sorted(count.items(), key=lambda x: (-x[1], str(x[0])))
        ]


def asserted(kg) -> Graph:
    """The graph of ``kg`` without what inference or the evidence step added (a grondslag, the
    principles of a method): the export writes what the data say, not what follows from it."""
    import pyoxigraph as ox

    from ..inference import INFERRED_GRAPH

    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in kg.store.quads_for_pattern(None, None, None)
        if q.graph_name != INFERRED_GRAPH
    ]
    g = Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return g


def find_municipality(g: Graph, name: str) -> URIRef:
    """The municipality called ``name`` (label, official name, CBS code, IRI slug) with a network."""
    wanted = norm(name)
    with_network = {
        m for a in g.subjects(RDF.type, GGSR.Aanpak) for m in g.objects(a, GGSR.gemeente)
    }
    candidates = set()
    listed = cbs_municipalities().get(wanted)
    for m in with_network:
        names = {
            norm(str(o))
            for p in (RDFS.label, GGSR.officieleNaam, GGSR.cbsCode)
            for o in g.objects(m, p)
        }
        if (
            wanted in names
            or str(m) == str(ID) + f"gemeente-{slug(name)}"
            or (listed and norm(listed[0]) in names)
        ):
            candidates.add(m)
    if len(candidates) == 1:
        return candidates.pop()
    known = sorted(_nl(g, m) or _short(m) for m in with_network)
    raise InputError(
        f"geen netwerk van gemeente '{name}' in de gegevens / no network of municipality '{name}'. "
        f"Bekend / known: {', '.join(known)}"
    )


def export(
    g: Graph, municipality: str, year: int | None = None
) -> tuple[dict[str, list[Row]], list[str]]:
    """The workbook rows of the networks of ``municipality`` (in ``year``), and notes on what the
    workbook does not hold."""
    m = find_municipality(g, municipality)
    networks = []
    for a in g.subjects(GGSR.gemeente, m):
        for net in g.subjects(GGSR.aanpak, a):
            j = g.value(net, GGSR.peiljaar)
            if j is not None and (year is None or int(j) == year):
                networks.append((int(j), _nl(g, a) or "", str(net), net))
    if not networks:
        years = sorted(
            {
                int(j)
                for a in g.subjects(GGSR.gemeente, m)
                for net in g.subjects(GGSR.aanpak, a)
                for j in g.objects(net, GGSR.peiljaar)
            }
        )
        raise InputError(
            f"geen aanpak in {year} / no approach in {year}. Jaren met gegevens / years with data: "
            f"{', '.join(map(str, years)) or '-'}"
        )
    networks.sort()
    exp = _Export(g, m, [n for *_, n in networks])
    rows = exp.sheets()
    notes = list(exp.notes)
    rest = exp.not_covered()
    if rest:
        notes.append("zonder kolom in het werkboek (niet geëxporteerd): " + ", ".join(rest))
    return rows, notes


exporteer = export  # the Dutch name of the first version
