"""Build the static report site: overview, a page per network (municipality × approach × year),
the ontology documentation, diagrams as SVG files and a copy of the data files the pages cite.

Everything lands in one folder and works offline from file:// (no CDN, fonts or scripts).
Pages are rendered with jinja2 templates (autoescaped); the diagrams come from
:mod:`ggsr_kg.report.diagrams`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .. import doorzettingsmacht
from ..errors import InputError
from ..graph import KnowledgeGraph
from ..namespaces import SH
from ..rdfio import GRAPH_BASE
from ..scorecard import (
    ONBEKEND,
    VERBETERPUNT,
    VOLDOET,
    IndicatorScore,
    compare_with_stj,
    criteria_scores,
    indicators,
    scorecard,
    theme_scores,
)
from ..validation import Result, validate
from . import diagrams
from .facts import GGSR, ORG, DataIndex, Fact, fact_anchor
from .terms import Ontology, load_ontology

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

STATUS = {
    VOLDOET: ("✓", "voldoet"),
    VERBETERPUNT: ("✗", "verbeterpunt"),
    ONBEKEND: ("?", "onbekend"),
}
FACT_GROUPS = [  # (class IRI, heading), first match wins
    (GGSR + "Netwerk", "Aanpak en netwerk"),
    (GGSR + "Aanpak", "Aanpak en netwerk"),
    (GGSR + "Oordeel", "Oordelen van STJ"),
    (GGSR + "Overheid", "Overheden"),
    (GGSR + "Functie", "Functies"),
    (GGSR + "Bevoegdheid", "Bevoegdheden"),
    (GGSR + "Escalatiemodel", "Escalatie"),
    (GGSR + "Escalatiestap", "Escalatie"),
    (GGSR + "Document", "Documenten en afspraken"),
    (GGSR + "Verklaring", "Verklaringen van partijen"),
    (GGSR + "Doelgroepomschrijving", "Doelgroep en toewijzing"),
    (GGSR + "Toewijzingsregel", "Doelgroep en toewijzing"),
    (ORG + "Organization", "Organisaties en overleggen"),
    (GGSR + "Organisatie", "Organisaties en overleggen"),
]
GROUP_ORDER = list(dict.fromkeys(h for _, h in FACT_GROUPS)) + ["Overig"]


@dataclass
class Site:
    out: Path
    index: Path
    pages: list[Path] = field(default_factory=list)
    diagrams: list[Path] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class NetworkInfo:
    iri: str
    gemeente: str
    gemeente_naam: str
    aanpak: str
    aanpak_naam: str
    jaar: int
    page: str = ""  # relative to the site root, e.g. gemeente/emmen-2014.html
    slug: str = ""


def status_badge(status: str | None) -> dict | None:
    if status is None:
        return None
    symbol, text = STATUS[status]
    return {"status": status, "symbol": symbol, "text": text}


BASES = ("document", "praktijk", "verklaring", "bevinding", "geen")


def _agreement_by_basis(cmp) -> list[dict]:
    """Per grondslag of the derived verdict: cells with an STJ verdict, judged, agreeing."""
    per, cells = cmp.per("grondslag"), cmp.cells_by_basis()
    return [
        {"basis": b, "cells": cells.get(b, 0), "agree": per.get(b, (0, 0))[0],
         "judged": per.get(b, (0, 0))[1]}
        for b in BASES
        if cells.get(b)
    ]  # fmt: skip


def agreement(status: str, stj: str | None) -> dict | None:
    if stj is None:
        return None
    if status == ONBEKEND:
        return {"key": "nvt", "symbol": "–", "text": "niet te beoordelen"}
    if status == stj:
        return {"key": "eens", "symbol": "=", "text": "eens"}
    return {"key": "oneens", "symbol": "≠", "text": "oneens"}


def change(before: str | None, after: str | None) -> dict | None:
    if before is None or after is None:
        return None
    if before == after:
        return {"key": "gelijk", "symbol": "=", "text": "gelijk"}
    if {before, after} == {VOLDOET, VERBETERPUNT}:
        if after == VOLDOET:
            return {"key": "beter", "symbol": "↑", "text": "verbeterd"}
        return {"key": "slechter", "symbol": "↓", "text": "verslechterd"}
    if after == ONBEKEND:
        return {"key": "anders", "symbol": "~", "text": "niet meer te beoordelen"}
    return {"key": "anders", "symbol": "~", "text": "nu te beoordelen"}


def duration_nl(value: str) -> str:
    """ISO 8601 durations as Dutch words (PT48H → 48 uur); anything else unchanged."""
    m = re.fullmatch(r"P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?", value or "")
    if not m or not any(m.groups()):
        return value
    units = (("week", "weken"), ("dag", "dagen"), ("uur", "uur"), ("minuut", "minuten"))
    parts = [
        f"{n} {one if int(n) == 1 else many}"
        for n, (one, many) in zip(m.groups(), units, strict=True)
        if n
    ]
    return " en ".join(parts)


# ---- the builder ---------------------------------------------------------------------------------


class ReportBuilder:
    def __init__(self, kg: KnowledgeGraph, out: Path, gemeente: ox.NamedNode | None = None):
        self.kg = kg
        self.out = Path(out)
        self.gemeente = gemeente
        self.onto: Ontology = load_ontology(kg)
        self.data = DataIndex(kg)
        self.site = Site(out=self.out, index=self.out / "index.html")
        self.env = _environment()
        self.kader_href = {  # theme and criterion labels → their place in the ontology page
            item.label: "ontologie.html#" + item.anchor
            for theme, crits in self.onto.framework_tree()
            for item in [theme, *(c for c, _ in crits)]
        }
        self.env.globals.update(term=self.term, badge=status_badge, kader=self.kader_href.get)

    # -- helpers used by the templates --

    def term(self, iri: str | None) -> dict:
        """Label and ontology anchor of a term (class, property, concept)."""
        if iri is None:
            return {"label": "", "href": None, "curie": ""}
        t = self.onto.terms.get(iri)
        if t is None:
            return {"label": self.data.label(iri), "href": None, "curie": iri}
        return {"label": t.label, "href": "ontologie.html#" + t.anchor, "curie": t.curie}

    def kind_of(self, iri: str) -> str | None:
        """The most specific asserted type of a node (its kind)."""
        types = [t for t in self.data.asserted_types(iri) if t in self.onto.terms]
        own = [t for t in types if t.startswith(GGSR)] or types
        if not own:
            return None
        parents = {p for t in own for p in self._ancestors(t)}
        specific = [t for t in own if t not in parents]
        return (specific or own)[0]

    def _ancestors(self, iri: str) -> set[str]:
        seen: set[str] = set()
        todo = list(self.onto.terms[iri].parents) if iri in self.onto.terms else []
        while todo:
            p = todo.pop()
            if p not in seen:
                seen.add(p)
                if p in self.onto.terms:
                    todo.extend(self.onto.terms[p].parents)
        return seen

    # -- the build --

    def build(self) -> Site:
        start = time.perf_counter()
        self.out.mkdir(parents=True, exist_ok=True)
        networks = self._networks()
        self.env.globals["pages"] = {n.iri: n.page for n in networks}
        focus = [ox.NamedNode(n.iri) for n in networks] if self.gemeente is not None else None
        results = validate(self.kg, focus=focus)
        rows = self.kg.networks(self.gemeente)
        scores = scorecard(self.kg, results, rows)
        by_network: dict[str, list[IndicatorScore]] = {}
        for s in scores:
            by_network.setdefault(s.netwerk, []).append(s)
        self.files = self._copy_data_files()
        self._copy_static()
        self.checks = _indicator_checks()
        ind_iri = {i.code: i.iri for i in indicators(self.kg)}
        by_result: dict[tuple[str, str], list[Result]] = {}
        for r in results:
            if r.indicator:
                by_result.setdefault((r.focus, r.indicator), []).append(r)

        for net in networks:
            ctx = self._network_context(
                net, networks, by_network.get(net.iri, []), by_result, ind_iri
            )
            self._render("gemeente.html.j2", net.page, ctx, root="../")
        self._render("index.html.j2", "index.html", self._index_context(networks, scores), root="")
        self._render("ontologie.html.j2", "ontologie.html", self._ontology_context(), root="")
        self.site.seconds = time.perf_counter() - start
        return self.site

    def _networks(self) -> list[NetworkInfo]:
        out = [
            NetworkInfo(
                iri=r["netwerk"].value,
                gemeente=r["gemeente"].value,
                gemeente_naam=r["gemeenteNaam"].value,
                aanpak=r["aanpak"].value,
                aanpak_naam=r["aanpakNaam"].value,
                jaar=int(r["jaar"].value),
            )
            for r in self.kg.networks(self.gemeente)
        ]
        if not out and self.gemeente is not None:
            have = sorted({r["gemeenteNaam"].value for r in self.kg.networks()})
            raise InputError(
                f"{self.data.label(self.gemeente.value)}: geen netwerk (aanpak × peiljaar) in de "
                "gegevens, dus geen rapport / no network in the data for this municipality. "
                f"Gemeenten met een netwerk / municipalities with one: {', '.join(have)}"
            )
        if not out:
            raise InputError(
                "geen netwerken in de gegevens / no networks in the data "
                "(is data/gebieden.ttl met de gemeenten geladen?)"
            )
        count: dict[tuple[str, int], int] = {}
        for n in out:
            count[(n.gemeente, n.jaar)] = count.get((n.gemeente, n.jaar), 0) + 1
        for n in out:
            gem = _slug(n.gemeente.rsplit("/", 1)[-1].removeprefix("gemeente-"))
            if count[(n.gemeente, n.jaar)] == 1:
                n.slug = f"{gem}-{n.jaar}"
            else:
                n.slug = _slug(n.iri.rsplit("/", 1)[-1])
            n.page = f"gemeente/{n.slug}.html"
        return out

    def _render(self, template: str, rel: str, ctx: dict, root: str) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        html = self.env.get_template(template).render(root=root, **ctx)
        path.write_text(html, encoding="utf-8")
        self.site.pages.append(path)

    def _copy_static(self) -> None:
        dest = self.out / "static"
        dest.mkdir(parents=True, exist_ok=True)
        for f in STATIC.iterdir():
            if f.is_file():
                shutil.copyfile(f, dest / f.name)

    def _copy_data_files(self) -> dict[str, str]:
        """Copy every loaded file into the site (so links to them work offline); graph → path."""
        out: dict[str, str] = {}
        for path, graph in self.kg.graphs.items():
            g = graph.value
            if g.startswith(GRAPH_BASE):
                rel = "bestanden/" + g[len(GRAPH_BASE) :]
            else:
                if path not in self.kg.checked:  # published verbatim: only after the guard
                    raise InputError(
                        f"{path}: niet door de privacycontrole gegaan, dus niet in het rapport / "
                        "not checked for personal data, so not copied into the report"
                    )
                rel = "bestanden/eigen/" + path.name
            dest = self.out / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
            out[g] = rel
        return out

    def _query_rows(
        self, name: str, params: dict[str, str] | None = None
    ) -> tuple[list[str], list[dict]]:
        """(names, rows) of a named query (``queries/<name>.rq``), values bound by queries.run,
        never pasted."""
        from ..queries import find_query, run

        query = find_query(name)  # a missing query is an error, not an empty answer
        params = {k: v for k, v in (params or {}).items() if k in query.params}
        return run(self.kg, query, params)

    # -- facts --

    def _fact_view(self, iri: str) -> dict:
        fact: Fact = self.data.fact(iri)
        kind = self.kind_of(iri)
        return {
            "fact": fact,
            "kind": kind,
            "types": [t for t in fact.types if t != kind],
            "files": [
                {"name": self.files.get(g, g).removeprefix("bestanden/"), "href": self.files.get(g)}
                for g in sorted(self.data.graphs.get(iri, ()))
            ],
            "group": self._group(iri),
        }

    def _group(self, iri: str) -> str:
        for cls, heading in FACT_GROUPS:
            if self.data.is_a(iri, cls):
                return heading
        return "Overig"

    # -- one network page --

    def _network_context(
        self,
        net: NetworkInfo,
        networks: list[NetworkInfo],
        scores: list[IndicatorScore],
        by_result: dict[tuple[str, str], list[Result]],
        ind_iri: dict[str, str],
    ) -> dict:
        d = self.data
        nodes = set(d.neighbourhood(net.iri))
        for r in (r for rs in by_result.values() for r in rs if r.focus == net.iri):
            if r.value in d.out:
                nodes.add(r.value)
        for sc in scores:  # the deciding facts are on the page, whatever their distance
            nodes.update(f["feit"] for f in sc.feiten)
        nodes.add(net.gemeente)
        dzm_names, dzm_rows = self._query_rows(
            "doorzettingsmacht", {"gemeente": net.gemeente_naam, "jaar": str(net.jaar)}
        )
        dzm_rows = [r for r in dzm_rows if r["netwerk"].value == net.iri]
        nodes.update(r["feit"].value for r in dzm_rows if r["feit"] is not None)
        facts = {n: self._fact_view(n) for n in nodes if n in d.out}
        verdict_nodes = {
            d.value(o, GGSR + "indicator"): o
            for o in d.subjects(GGSR + "netwerk", net.iri)
            if d.is_a(o, GGSR + "Oordeel")
        }
        theme_status = {t["thema"]: t["status"] for t in theme_scores(scores)}
        crit_status = {c["criterium"]: c["status"] for c in criteria_scores(scores)}
        themes: list[dict] = []
        for s in scores:
            if not themes or themes[-1]["label"] != s.thema:
                themes.append({"label": s.thema, "status": theme_status[s.thema], "criteria": []})
            crits = themes[-1]["criteria"]
            if not crits or crits[-1]["label"] != s.criterium:
                crits.append({"label": s.criterium, "status": crit_status[s.criterium], "rows": []})
            iri = ind_iri[s.indicator]
            verdict = verdict_nodes.get(iri)
            crits[-1]["rows"].append(
                {
                    "score": s,
                    "reasons": explanation(s),
                    "iri": iri,
                    "facts": [
                        {**f, "anchor": fact_anchor(f["feit"]) if f["feit"] in facts else None}
                        for f in s.feiten
                    ],
                    "verdict": {"anchor": fact_anchor(verdict), "label": d.label(verdict)}
                    if verdict in facts
                    else None,
                    "agreement": agreement(s.status, s.stj),
                }
            )
        groups: dict[str, list[dict]] = {}
        for view in sorted(facts.values(), key=lambda v: v["fact"].label.casefold()):
            groups.setdefault(view["group"], []).append(view)
        fact_groups = [(g, groups[g]) for g in GROUP_ORDER if g in groups]

        network_diagram = self._network_diagram(net)
        ladders = self._ladders(net)
        [powers] = doorzettingsmacht.group(dzm_names, dzm_rows) or [None]
        siblings = [n for n in networks if n.gemeente == net.gemeente]
        return {
            "net": net,
            "title": f"{net.gemeente_naam} — {net.aanpak_naam} — {net.jaar}",
            "themes": themes,
            "counts": {k: sum(1 for s in scores if s.status == k) for k in STATUS},
            "stj_compare": compare_with_stj(scores),
            "facts": facts,
            "fact_groups": fact_groups,
            "network_diagram": network_diagram,
            "ladders": ladders,
            "powers": powers,
            "dzm": _power_rows(powers, facts),
            "identifiers": self._identifiers(net.gemeente),
            "siblings": siblings,
            "network_fact": facts.get(net.iri),
        }

    def _identifiers(self, gemeente: str) -> dict:
        d = self.data
        provincie = d.iris(gemeente, GGSR + "ligtIn")
        graphs = sorted(d.graphs.get(gemeente, ()))
        return {
            "iri": gemeente,
            "naam": d.label(gemeente),
            "officieel": d.value(gemeente, GGSR + "officieleNaam"),
            "cbs": d.value(gemeente, GGSR + "cbsCode"),
            "tooi": d.iris(gemeente, GGSR + "tooi"),
            "wikidata": d.iris(gemeente, GGSR + "wikidata"),
            "inwoners": d.value(gemeente, GGSR + "inwoners"),
            "provincie": [
                {
                    "naam": d.label(p),
                    "cbs": d.value(p, GGSR + "cbsCode"),
                    "tooi": d.iris(p, GGSR + "tooi"),
                }
                for p in provincie
            ],
            "files": [
                {"name": self.files.get(g, g).removeprefix("bestanden/"), "href": self.files.get(g)}
                for g in graphs
            ],
            "kind": self.kind_of(gemeente),
        }

    # -- diagrams --

    def _network_diagram(self, net: NetworkInfo) -> dict:
        d = self.data
        n = net.iri
        nodes: dict[str, diagrams.Node] = {
            n: diagrams.Node(n, f"{net.aanpak_naam} {net.jaar}", "netwerk")
        }
        edges: list[diagrams.Edge] = []

        def org(iri: str) -> str:
            if iri == n:
                return n
            if iri not in nodes:
                kind = self.kind_of(iri)
                nodes[iri] = diagrams.Node(
                    iri,
                    d.label(iri),
                    "organisatie",
                    self.onto.label(kind) if kind else "organisatie",
                )
            return iri

        core = set(d.iris(n, GGSR + "kernpartner"))
        for m in sorted(set(d.iris(n, ORG + "hasMember")) | core):
            org(m)
            nodes[m].core = m in core
            edges.append(
                diagrams.Edge(
                    m,
                    n,
                    "kernpartner" if m in core else "lid",
                    "kernpartner" if m in core else "netwerkpartner",
                )
            )
        for s in d.subjects(GGSR + "meldtAan", n):
            edges.append(diagrams.Edge(org(s), n, "meldt-aan", "meldt gezinnen aan"))
        for r in d.iris(n, GGSR + "regievoerder"):
            edges.append(diagrams.Edge(org(r), n, "regie", "voert regie"))
        for r in d.iris(n, GGSR + "meldpunt"):
            edges.append(diagrams.Edge(org(r), n, "regie", "meldpunt"))
        authorities: list[dict] = []
        for role in d.subjects(ORG + "postIn", n):
            kind = self.kind_of(role)
            nodes[role] = diagrams.Node(
                role, d.label(role), "functie", self.onto.label(kind) if kind else "functie"
            )
            for h in d.iris(role, ORG + "heldBy"):
                edges.append(diagrams.Edge(org(h), role, "vervult", "vervult"))
            for b in d.iris(role, GGSR + "bevoegdheid"):
                strong = d.is_a(b, GGSR + "Doorzettingsmacht")
                bkind = self.kind_of(b)
                kind_label = self.onto.label(bkind) if bkind else "bevoegdheid"
                targets = d.iris(b, GGSR + "bindt") + d.iris(b, GGSR + "geldtTegenover")
                for t in dict.fromkeys(targets or [n]):
                    label = kind_label if targets else f"{kind_label} (op wie: niet vastgelegd)"
                    if t == n and targets:
                        label += " (alle partners)"
                    edges.append(
                        diagrams.Edge(
                            role, org(t), "doorzettingsmacht" if strong else "mandaat", label
                        )
                    )
                authorities.append({"iri": b, "anchor": fact_anchor(b), "label": d.label(b)})
        spec = diagrams.NetworkSpec(
            f"{net.gemeente_naam} — {net.aanpak_naam} {net.jaar}", list(nodes.values()), edges
        )
        rel = f"diagrammen/{net.slug}-netwerk.svg"
        rendered = diagrams.render_network(spec, self.out / rel)
        self.site.diagrams.append(rendered.path)
        for row in rendered.rows:
            row["van_anchor"] = fact_anchor(row["van_id"])
            row["naar_anchor"] = fact_anchor(row["naar_id"])
        return {"src": rel, "alt": rendered.alt, "rows": rendered.rows, "empty": len(nodes) == 1}

    def _ladders(self, net: NetworkInfo) -> list[dict]:
        d = self.data
        out = []
        for i, model in enumerate(d.iris(net.iri, GGSR + "escalatiemodel"), start=1):
            pyramid = d.is_a(model, GGSR + "Zorgpiramide")
            steps = []
            for s in d.iris(model, GGSR + "stap"):
                nr = d.value(s, GGSR + "volgnummer")
                level = d.iris(s, GGSR + "niveau")
                notation = (
                    self.onto.terms[level[0]].notation
                    if level and level[0] in self.onto.terms
                    else ""
                )
                actors = "; ".join(d.label(a) for a in d.iris(s, GGSR + "actor"))
                details = []
                if d.value(s, GGSR + "drempelProfessionals"):
                    details.append(
                        f"vanaf {d.value(s, GGSR + 'drempelProfessionals')} professionals"
                    )
                if d.value(s, GGSR + "termijn"):
                    details.append(f"binnen {duration_nl(d.value(s, GGSR + 'termijn'))}")
                if d.value(s, GGSR + "handeling"):
                    details.append(d.value(s, GGSR + "handeling"))
                steps.append(
                    diagrams.Step(
                        id=s,
                        number=int(nr) if nr and nr.isdigit() else len(steps) + 1,
                        level=self.onto.label(level[0]) if level else "",
                        level_index=int(notation) if notation.isdigit() else 0,
                        actor=actors,
                        label=d._labels.get(s, ""),
                        detail=" · ".join(details),
                        trigger=d.value(s, GGSR + "aanleiding") or "",
                    )
                )
            spec = diagrams.LadderSpec(d.label(model), steps, pyramid)
            rel, alt, rows = None, "", []
            if steps:  # a model without steps gets a sentence, not an empty picture
                rel = f"diagrammen/{net.slug}-escalatie-{i}.svg"
                rendered = diagrams.render_ladder(spec, self.out / rel)
                self.site.diagrams.append(rendered.path)
                alt, rows = rendered.alt, rendered.rows
                for row in rows:
                    row["anchor"] = fact_anchor(row["id"])
            last = spec.last
            out.append(
                {
                    "model": {"iri": model, "anchor": fact_anchor(model), "label": d.label(model)},
                    "pyramid": pyramid,
                    "src": rel,
                    "alt": alt,
                    "rows": rows,
                    "last": {"actor": last.actor, "level": last.level, "number": last.number}
                    if last
                    else None,
                }
            )
        return out

    # -- overview --

    def _index_context(self, networks: list[NetworkInfo], scores: list[IndicatorScore]) -> dict:
        by_net: dict[str, list[IndicatorScore]] = {}
        for s in scores:
            by_net.setdefault(s.netwerk, []).append(s)
        theme_status = {(t["netwerk"], t["thema"]): t["status"] for t in theme_scores(scores)}
        crit_status = {(c["netwerk"], c["criterium"]): c["status"] for c in criteria_scores(scores)}
        themes = list(dict.fromkeys(s.thema for s in scores))
        rows = []
        for n in networks:
            own = by_net.get(n.iri, [])
            cmp = compare_with_stj(own)
            cells = []
            for t in themes:
                in_theme = [s for s in own if s.thema == t]
                stj = [s.stj for s in in_theme if s.stj]
                cells.append(
                    {
                        "status": theme_status.get((n.iri, t)),
                        "stj_voldoet": stj.count(VOLDOET),
                        "stj_verbeterpunt": stj.count(VERBETERPUNT),
                    }
                )
            rows.append({"net": n, "cells": cells, "cmp": cmp})

        municipalities = []
        for gem in dict.fromkeys(n.gemeente for n in networks):
            nets = [n for n in networks if n.gemeente == gem]
            pairs = _pairs(nets, self.data)
            blocks = []
            for t in themes:
                crits: list[dict] = []
                ref = by_net.get(nets[0].iri, [])
                for s in (s for s in ref if s.thema == t):
                    if not crits or crits[-1]["label"] != s.criterium:
                        crits.append(
                            {
                                "label": s.criterium,
                                "status": [crit_status.get((n.iri, s.criterium)) for n in nets],
                                "rows": [],
                            }
                        )
                    cols = []
                    for n in nets:
                        x = next(
                            (y for y in by_net.get(n.iri, []) if y.indicator == s.indicator), None
                        )
                        cols.append(
                            {
                                "status": x.status if x else None,
                                "stj": x.stj if x else None,
                                "agreement": agreement(x.status, x.stj) if x else None,
                            }
                        )
                    changes = []
                    for before, after in pairs:
                        a = next(y for y in by_net[before.iri] if y.indicator == s.indicator)
                        b = next(y for y in by_net[after.iri] if y.indicator == s.indicator)
                        changes.append(
                            {
                                "before": before,
                                "after": after,
                                "derived": change(a.status, b.status),
                                "stj": change(a.stj, b.stj),
                                "from": a.status,
                                "to": b.status,
                                "stj_from": a.stj,
                                "stj_to": b.stj,
                            }
                        )
                    crits[-1]["rows"].append(
                        {"code": s.indicator, "label": s.label, "cols": cols, "changes": changes}
                    )
                blocks.append(
                    {
                        "theme": t,
                        "status": [theme_status.get((n.iri, t)) for n in nets],
                        "criteria": crits,
                    }
                )
            municipalities.append(
                {
                    "naam": nets[0].gemeente_naam,
                    "anchor": "gemeente-" + nets[0].slug.rsplit("-", 1)[0],
                    "nets": nets,
                    "pairs": pairs,
                    "blocks": blocks,
                }
            )
        changes = []  # the 2013 → 2014 change (any earlier → later state), per theme
        for g in municipalities:
            for before, after in g["pairs"]:
                cells = []
                for t in themes:
                    a = [s for s in by_net.get(before.iri, []) if s.thema == t]
                    b = {s.indicator: s for s in by_net.get(after.iri, []) if s.thema == t}
                    marks = [change(x.status, b[x.indicator].status) for x in a if x.indicator in b]
                    stj = [change(x.stj, b[x.indicator].stj) for x in a if x.indicator in b]
                    cells.append(
                        {
                            "from": theme_status.get((before.iri, t)),
                            "to": theme_status.get((after.iri, t)),
                            "theme": change(
                                theme_status.get((before.iri, t)), theme_status.get((after.iri, t))
                            ),
                            "counts": _count_changes(marks),
                            "stj_counts": _count_changes(stj),
                        }
                    )
                changes.append({"gemeente": g, "before": before, "after": after, "cells": cells})
        return {
            "title": "GGSR-netwerken: scorecard per gemeente",
            "changes": changes,
            "themes": themes,
            "rows": rows,
            "municipalities": municipalities,
            "cmp": compare_with_stj(scores),
            "cmp_bases": _agreement_by_basis(compare_with_stj(scores)),
            "counts": {k: sum(1 for s in scores if s.status == k) for k in STATUS},
            "n_networks": len(networks),
            "n_municipalities": len(municipalities),
        }

    def _ontology_context(self) -> dict:
        onto = self.onto
        return {
            "title": "Ontologie en toetsingskader",
            "onto": onto,
            "header": [
                (iri, h)
                for iri, h in sorted(onto.header.items())
                if iri.startswith("https://w3id.org/ggsr/")
            ],
            "classes": onto.of_kind("klasse"),
            "properties": onto.of_kind("eigenschap"),
            "schemes": onto.schemes(),
            "framework": onto.framework_tree(),
            "checks": self.checks,
            "framework_scheme": onto.terms.get("https://w3id.org/ggsr/kader#Toetsingskader"),
            "external": onto.external_terms,
            "files": sorted(v for v in self.files.values() if v.startswith("bestanden/ontology/")),
        }


# ---- module functions ----------------------------------------------------------------------------


MARKER = ".ggsr-kg-rapport"  # in every report folder: what --out may replace without --force


def check_out(out: Path, force: bool = False) -> None:
    """InputError (exit 2) unless ``out`` can become the report: a folder that does not exist yet,
    an empty one, an earlier report (it has :data:`MARKER`), or any folder with ``force``. A
    symbolic link is refused: the report is swapped in by renaming, never written through a
    link."""
    out = Path(out)
    if out.is_symlink():
        raise InputError(
            f"{out}: is een symbolische link; kies een gewone map / is a symbolic link; choose a "
            "plain folder"
        )
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: bestaat al en is geen map / exists and is not a folder")
    for parent in out.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError(
                    f"{out}: {parent} is een bestand, geen map / {parent} is a file, not a folder"
                )
            if not os.access(parent, os.W_OK | os.X_OK):
                raise InputError(f"{out}: geen schrijfrechten in / not writable: {parent}")
            break
    if out.is_dir() and not force and not (out / MARKER).is_file() and any(out.iterdir()):
        raise InputError(
            f"{out}: de map is niet leeg en bevat geen eerder rapport; kies een andere map, of "
            "--force om haar te vervangen / the folder is not empty and holds no earlier report; "
            "choose another folder, or --force to replace it"
        )


def build_site(
    kg: KnowledgeGraph, out: Path, gemeente: ox.NamedNode | None = None, *, force: bool = False
) -> Site:
    """Write the whole site to ``out`` (for all municipalities, or only ``gemeente``).

    The site is built in a fresh folder beside ``out`` and then swapped in (two renames), so
    ``out`` is the old report or the new one, never a mixture: no stale page of an earlier run
    stays, and nothing is written through a symbolic link placed in ``out``."""
    out = Path(out)
    check_out(out, force)
    parent = out.absolute().parent
    fresh = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=".ggsr-rapport-nieuw-", dir=parent))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(fresh, 0o777 & ~umask)  # mkdtemp makes it private; a report is not
        site = ReportBuilder(kg, fresh, gemeente).build()
        (fresh / MARKER).write_text(
            "Gemaakt door / made by ggsr-kg report; --out mag deze map vervangen / may replace "
            "this folder\n",
            encoding="utf-8",
        )
        _swap(fresh, out)
    except OSError as exc:  # a folder that cannot be made or written: the user's --out
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        where = exc.filename or out
        raise InputError(
            f"{out}: kan het rapport niet schrijven / cannot write the report: "
            f"{exc.strerror or exc} ({where})"
        ) from None
    except BaseException:
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        raise

    def moved(p: Path) -> Path:
        return out / p.relative_to(fresh)

    site.out, site.index = out, moved(site.index)
    site.pages = [moved(p) for p in site.pages]
    site.diagrams = [moved(p) for p in site.diagrams]
    return site


def _swap(fresh: Path, out: Path) -> None:
    """``fresh`` becomes ``out``; an old ``out`` is renamed aside first and removed afterwards."""
    if not out.exists():
        os.rename(fresh, out)
        return
    old = Path(tempfile.mkdtemp(prefix=".ggsr-rapport-oud-", dir=out.absolute().parent))
    os.rmdir(old)
    os.rename(out, old)
    try:
        os.rename(fresh, out)
    except OSError:
        os.rename(old, out)  # put the old report back
        raise
    shutil.rmtree(old)  # removes symbolic links inside, never what they point to


def is_web(iri: object) -> bool:
    """True for an http(s) IRI — the only kind the report turns into a link."""
    return isinstance(iri, str) and re.match(r"https?://[^\s\x00-\x1f]+$", iri, re.I) is not None


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["duration"] = duration_nl
    # only web addresses become links: a javascript: or data: IRI in the data stays text
    env.tests["web"] = is_web
    env.filters["thousands"] = lambda v: f"{int(v):,}".replace(",", ".") if v else v
    return env


def _indicator_checks() -> dict[str, dict[str, list[tuple[str, str]]]]:
    """Per indicator IRI: the (Dutch, English) messages of its shapes — what makes it a
    verbeterpunt (sh:Violation) and what leaves it onbekend (sh:Info)."""
    from ..shapes import framework_shapes

    out: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for c in framework_shapes().constraints:
        if not c.indicator:
            continue
        outcome = VERBETERPUNT if c.severity == str(SH.Violation) else ONBEKEND
        msgs = dict(c.messages)
        pair = (msgs.get("nl", ""), msgs.get("en", ""))
        if pair[0] or pair[1]:
            out.setdefault(c.indicator, {}).setdefault(outcome, []).append(pair)
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.-]+", "-", text.lower()).strip("-")


def explanation(score: IndicatorScore) -> list[str]:
    """The reasons of a score without the sentences of its deciding facts (the report shows those
    beside it, each linked to its fact): the rule that decides, what does not count, what would
    change the outcome."""
    from ..explain import FactView

    said = [
        FactView(f["feit"], f["label"], f["grondslag"], f["bewijs"], f["bronnen"]).sentence()
        for f in score.feiten
    ]
    return [r for r in score.redenen if not any(r == t or r.startswith(t + " (") for t in said)]


def _power_rows(powers, facts: dict[str, dict]) -> list[dict]:
    """The powers of one network for the page: the doorzettingsmacht rows first (holders, or the
    'niemand' row with its recorded absence), then the weaker powers, each linked to its fact."""
    if powers is None:
        return []
    rows = []
    for p in [*powers.decisive, *powers.weaker]:
        rows.append(
            {
                "power": p,
                "anchor": fact_anchor(p.feit) if p.feit in facts else None,
                "documents": [x for x in (p.vastgelegd_in or "").split("; ") if x],
                "evidence": [x for x in (p.blijkt_uit or "").split("; ") if x],
                "sources": [x for x in (p.bron or "").split("; ") if x],
            }
        )
    return rows


def _count_changes(marks: list[dict | None]) -> list[dict]:
    """How many indicators improved, worsened, changed otherwise (in that order; zeros left out)."""
    words = {
        "beter": ("↑", "verbeterd"),
        "slechter": ("↓", "verslechterd"),
        "anders": ("~", "van of naar onbekend"),
    }
    out = []
    for key, (symbol, text) in words.items():
        n = sum(1 for m in marks if m and m["key"] == key)
        if n:
            out.append({"key": key, "symbol": symbol, "text": text, "n": n})
    return out


def _pairs(nets: list[NetworkInfo], data: DataIndex) -> list[tuple[NetworkInfo, NetworkInfo]]:
    """(earlier, later) networks of one municipality to compare: 2013 → 2014 (any later year):
    the same approach, else the one the later state succeeds (ggsr:opvolgerVan), else the only
    earlier one."""
    years = sorted({n.jaar for n in nets})
    out = []
    for prev_year, year in zip(years, years[1:], strict=False):
        earlier = [n for n in nets if n.jaar == prev_year]
        for later in (n for n in nets if n.jaar == year):
            same = [e for e in earlier if e.aanpak == later.aanpak]
            succeeded = set(data.iris(later.iri, GGSR + "opvolgerVan"))
            follows = [e for e in earlier if e.iri in succeeded]
            match = same or follows or (earlier if len(earlier) == 1 else [])
            if match:
                out.append((match[0], later))
    return out
