"""What the rows of a workbook say about their nodes, as triples (the columns of mapping.py walked
once per row), with the provenance of every node (the workbook as a ggsr:Bron, "Blad X, rij n").
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from ..namespaces import BRON, GGSR
from .cells import meant
from .mapping import NETWORK_ROLES, NOBODY, STEP_CLASS, STJ, Column, did_you_mean, norm, value_lists
from .references import Unresolved
from .state import ImportState, Row

STJ_LABEL = "Samenwerkend Toezicht Jeugd (STJ)"


class Triples(ImportState):
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
