"""The inspector's scorecard: a status per network × indicator, rolled up to criteria and themes.

Status of an indicator for one network (see shapes/componenten.ttl):
  onbekend      the indicator's *-gegevens shape (sh:Info) reports the network — nothing relevant known;
  verbeterpunt  otherwise, its criterion shape (sh:Violation) reports it;
  voldoet       neither reports it.
Roll-up (criterion from its indicators, theme from its criteria): verbeterpunt when any part is,
voldoet when all parts are, onbekend otherwise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from . import namespaces
from .graph import KnowledgeGraph
from .validation import Result

VOLDOET, VERBETERPUNT, ONBEKEND = "voldoet", "verbeterpunt", "onbekend"


@dataclass
class FrameworkItem:
    iri: str
    code: str
    label_nl: str
    label_en: str
    parent: str | None


@dataclass
class IndicatorScore:
    gemeente: str
    aanpak: str
    jaar: int
    indicator: str
    label: str
    thema: str
    criterium: str
    status: str
    redenen: list[str] = field(default_factory=list)
    stj: str | None = None
    stj_toelichting: str | None = None
    netwerk: str = ""

    def as_json(self) -> dict:
        return asdict(self)


def _framework_rows(kg: KnowledgeGraph) -> dict[str, FrameworkItem]:
    rows = kg.select(
        """SELECT ?c ?code ?nl ?en ?parent WHERE {
             ?c skos:inScheme kader:Toetsingskader ; skos:notation ?code ;
                skos:prefLabel ?nl , ?en .
             FILTER(lang(?nl) = "nl" && lang(?en) = "en")
             OPTIONAL { ?c skos:broader ?parent }
           }"""
    )
    return {
        r["c"].value: FrameworkItem(
            r["c"].value,
            r["code"].value,
            r["nl"].value,
            r["en"].value,
            r["parent"].value if r["parent"] is not None else None,
        )
        for r in rows
    }


def framework(kg: KnowledgeGraph) -> dict[str, FrameworkItem]:
    """Every theme, criterion and indicator of the framework, by IRI."""
    cached = kg.cache.get("framework")
    if cached is None:
        cached = kg.cache["framework"] = _framework_rows(kg)
    return cached


def indicators(kg: KnowledgeGraph) -> list[FrameworkItem]:
    items = framework(kg)
    leaves = [i for i in items.values() if "#I" in i.iri]
    return sorted(leaves, key=lambda i: [int(x) for x in i.code.split(".")])


def stj_verdicts(
    kg: KnowledgeGraph, networks: list | None = None
) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(network, indicator) → (STJ outcome, explanation); of ``networks`` only when given (a
    scorecard of one municipality should not read the verdicts of the whole country)."""
    wanted = ""
    if networks is not None and len(networks) <= 64:
        wanted = " ".join(str(n["netwerk"]) for n in networks)  # RDF terms from the store
        wanted = f"VALUES ?netwerk {{ {wanted} }}" if wanted else "FILTER(false)"
    rows = kg.select(
        f"""SELECT ?netwerk ?indicator ?uitkomst ?toelichting WHERE {{ {wanted}
             ?o a ggsr:Oordeel ; ggsr:netwerk ?netwerk ; ggsr:indicator ?indicator ; ggsr:uitkomst ?u .
             ?u skos:notation ?uitkomst .
             OPTIONAL {{ ?o ggsr:toelichting ?toelichting }}
           }}"""
    )
    return {
        (r["netwerk"].value, r["indicator"].value): (
            r["uitkomst"].value,
            r["toelichting"].value if r["toelichting"] is not None else None,
        )
        for r in rows
    }


def scorecard(
    kg: KnowledgeGraph, results: list[Result], networks: list[dict]
) -> list[IndicatorScore]:
    """One IndicatorScore per network × indicator, in framework order."""
    items = framework(kg)
    stj = stj_verdicts(kg, networks)
    labels = _labels(kg, {r.value for r in results})
    info: dict[tuple[str, str], list[str]] = {}
    violations: dict[tuple[str, str], list[str]] = {}
    for r in results:
        if r.indicator is None:
            continue
        target = info if r.severity == _SH_INFO else violations
        reason = r.message_nl
        if r.value != r.focus:
            reason += f" [{labels.get(r.value, r.value)}]"
        target.setdefault((r.focus, r.indicator), []).append(reason)
    out = []
    for net in networks:
        n = net["netwerk"].value
        for ind in indicators(kg):
            key = (n, ind.iri)
            if key in info:
                status, reasons = ONBEKEND, info[key]
            elif key in violations:
                status, reasons = VERBETERPUNT, sorted(set(violations[key]))
            else:
                status, reasons = VOLDOET, []
            criterion = items[ind.parent]
            theme = items[criterion.parent]
            verdict = stj.get(key)
            out.append(
                IndicatorScore(
                    gemeente=net["gemeenteNaam"].value,
                    aanpak=net["aanpakNaam"].value,
                    jaar=int(net["jaar"].value),
                    indicator=ind.code,
                    label=ind.label_nl,
                    thema=theme.label_nl,
                    criterium=criterion.label_nl,
                    status=status,
                    redenen=reasons,
                    stj=verdict[0] if verdict else None,
                    stj_toelichting=verdict[1] if verdict else None,
                    netwerk=n,
                )
            )
    return out


def rollup(statuses: list[str]) -> str:
    if VERBETERPUNT in statuses:
        return VERBETERPUNT
    if statuses and all(s == VOLDOET for s in statuses):
        return VOLDOET
    return ONBEKEND


def criteria_scores(scores: list[IndicatorScore]) -> list[dict]:
    """Status per network × criterion (and theme), from the indicator statuses."""
    by: dict[tuple[str, str, str, str, int], list[str]] = {}
    for s in scores:
        by.setdefault((s.netwerk, s.thema, s.criterium, s.gemeente, s.jaar), []).append(s.status)
    return [
        {
            "netwerk": k[0],
            "thema": k[1],
            "criterium": k[2],
            "gemeente": k[3],
            "jaar": k[4],
            "status": rollup(v),
        }
        for k, v in by.items()
    ]


def theme_scores(scores: list[IndicatorScore]) -> list[dict]:
    crit = criteria_scores(scores)
    by: dict[tuple[str, str, str, int], list[str]] = {}
    for c in crit:
        by.setdefault((c["netwerk"], c["thema"], c["gemeente"], c["jaar"]), []).append(c["status"])
    return [
        {"netwerk": k[0], "thema": k[1], "gemeente": k[2], "jaar": k[3], "status": rollup(v)}
        for k, v in by.items()
    ]


@dataclass
class Comparison:
    total: int
    judged: int
    agree: int
    unknown: list[IndicatorScore]
    disagreements: list[IndicatorScore]
    judged_scores: list[IndicatorScore] = field(default_factory=list)

    def per(self, attribute: str) -> dict[str, tuple[int, int]]:
        """(agreeing, judged) per municipality or indicator."""
        out: dict[str, list[int]] = {}
        for s in self.judged_scores:
            tally = out.setdefault(getattr(s, attribute), [0, 0])
            tally[0] += s.status == s.stj
            tally[1] += 1
        return {k: (v[0], v[1]) for k, v in out.items()}

    @property
    def agreement(self) -> float:
        return self.agree / self.judged if self.judged else 0.0


def compare_with_stj(scores: list[IndicatorScore]) -> Comparison:
    """Derived verdicts beside STJ's recorded ones, where STJ recorded one."""
    recorded = [s for s in scores if s.stj is not None]
    judged = [s for s in recorded if s.status != ONBEKEND]
    agree = [s for s in judged if s.status == s.stj]
    return Comparison(
        total=len(recorded),
        judged=len(judged),
        agree=len(agree),
        unknown=[s for s in recorded if s.status == ONBEKEND],
        disagreements=[s for s in judged if s.status != s.stj],
        judged_scores=judged,
    )


def _labels(kg: KnowledgeGraph, iris: set[str]) -> dict[str, str]:
    iris = {i for i in iris if "://" in i}
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris if ">" not in i and " " not in i)
    rows = kg.select(
        f"""SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }}
              {{ ?x rdfs:label ?l }} UNION {{ ?x skos:prefLabel ?l }} FILTER(lang(?l) = "nl") }}"""
    )
    return {r["x"].value: r["l"].value for r in rows}


__all__ = ["scorecard", "compare_with_stj", "criteria_scores", "theme_scores"]
_SH_INFO = namespaces.PREFIXES["sh"] + "Info"
