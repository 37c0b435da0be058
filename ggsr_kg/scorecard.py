"""The inspector's scorecard: a status per network × indicator, rolled up to criteria and themes.

Status of an indicator for one network, from the shapes compiled from the evidence rules
(shapes/regels/, docs/beslisregels.md):
  onbekend      the indicator's *-gegevens shape (sh:Info) reports the network — no fact speaks;
  verbeterpunt  otherwise, one of its rule constraints (sh:Violation) reports it;
  voldoet       neither reports it.
Every status comes with its grondslag (document, praktijk, verklaring, bevinding, geen), the
deciding facts by label and source place, the facts that do not count (a draft …), and for an
improvement point or unknown the facts that would decide otherwise.
Roll-up (criterion from its indicators, theme from its criteria): verbeterpunt when any part is,
voldoet when all parts are, onbekend otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import pyoxigraph as ox

from . import explain, rules
from .graph import KnowledgeGraph
from .namespaces import KADER, SH, sparql_prologue
from .rules import ONBEKEND, VERBETERPUNT, VOLDOET
from .validation import Result


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
    grondslag: str = "geen"  # document | praktijk | verklaring | bevinding | geen
    regel: str | None = None  # the deciding rule, in words
    redenen: list[str] = field(default_factory=list)  # one line per reason, never empty
    feiten: list[dict] = field(default_factory=list)  # the deciding facts (label, bewijs, bronnen)
    niet_meegeteld: list[str] = field(
        default_factory=list
    )  # facts that would speak but do not count
    wat_zou_veranderen: list[str] = field(default_factory=list)  # facts that would decide otherwise
    stj: str | None = None
    stj_toelichting: str | None = None
    netwerk: str = ""

    def as_json(self) -> dict:
        # a new dict of the fields as they are (strings, and lists of strings and of plain dicts,
        # which a caller replaces but never changes): dataclasses.asdict's deep copy took 2.4 s
        # for the 20,520 scores of 342 municipalities
        return {f.name: getattr(self, f.name) for f in fields(self)}


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


def shape_statuses(results) -> dict[tuple[str, str], str]:
    """(network, indicator) → onbekend or verbeterpunt, as the framework shapes' results say (an
    sh:Info result is onbekend; no result, voldoet, is left out)."""
    out: dict[tuple[str, str], str] = {}
    for r in results:
        if r.indicator is None:
            continue
        key = (r.focus, r.indicator)
        if r.severity == str(SH.Info):
            out[key] = ONBEKEND
        elif out.get(key) != ONBEKEND:
            out[key] = VERBETERPUNT
    return out


def scorecard(
    kg: KnowledgeGraph, results: list[Result], networks: list[dict]
) -> list[IndicatorScore]:
    """One IndicatorScore per network × indicator, in framework order.

    The status comes from the shapes' results; what it rests on (grondslag, deciding facts, what
    would change it) from the same evidence rules the shapes were compiled from. They must agree:
    tests/test_rules.py holds them equal on all data."""
    items = framework(kg)
    stj = stj_verdicts(kg, networks)
    shacl = shape_statuses(results)
    names = [n["netwerk"].value for n in networks]
    decisions, silent = _decisions(kg, names)
    facts = {m.fact for d in decisions.values() for m in d.facts}
    views = explain.describe(kg, facts)
    why_not = explain.uncounted(kg, {f for fs in silent.values() for f in fs})
    out = []
    for net in networks:
        n = net["netwerk"].value
        for ind in indicators(kg):
            key = (n, ind.iri)
            status = shacl.get(key, VOLDOET)
            decision = decisions.get(key) or rules.Decision(ONBEKEND)
            criterion = items[ind.parent]
            theme = items[criterion.parent]
            verdict = stj.get(key)
            score = IndicatorScore(
                gemeente=net["gemeenteNaam"].value,
                aanpak=net["aanpakNaam"].value,
                jaar=int(net["jaar"].value),
                indicator=ind.code,
                label=ind.label_nl,
                thema=theme.label_nl,
                criterium=criterion.label_nl,
                status=status,
                stj=verdict[0] if verdict else None,
                stj_toelichting=verdict[1] if verdict else None,
                netwerk=n,
            )
            not_counted = sorted({w for f in silent.get(key, ()) for w in why_not.get(f, [])})
            _explain(score, decision, views, not_counted)
            out.append(score)
    return out


def _decisions(kg: KnowledgeGraph, networks: list[str]):
    prologue = sparql_prologue()
    store = kg.rule_store()
    if store is kg.store and rules.focus_for(store, networks) is not None:
        # a few networks of a big store (validate --gemeente on a national store): their
        # partition, as validation does — one pass over it instead of a query per network that
        # scans the whole store
        store = kg.partition([ox.NamedNode(n) for n in networks]) or store
    kept = kg.cache.get("decisions", {})  # taken by validate() on the same data
    indicators = rules.by_indicator(rules.load_rules())
    if kept and all((n, i) in kept for n in networks for i in indicators):
        decided = {(n, i): kept[(n, i)] for n in networks for i in indicators}
    else:
        decided = rules.decide(store, prologue, networks)
    silent = rules.not_counting(
        store, prologue, rules.load_rules(), rules.focus_for(store, networks)
    )
    return decided, silent


def _explain(score: IndicatorScore, d: rules.Decision, views: dict, not_counted: list[str]) -> None:
    """Fill the reasons of one score from its decision (labels and sources, never IRIs)."""
    own = rules.by_indicator(rules.load_rules()).get(str(KADER[f"I{score.indicator}"]), [])
    if d.status != score.status:  # the shapes and the rules disagree: say so, never hide it
        score.redenen.append(
            f"Interne fout: de shapes geven {score.status}, de beslisregels {d.status}."
        )
    if d.rule is not None:
        score.grondslag = d.basis
        score.regel = d.rule.label_nl
        head = "Voldoet" if d.status == VOLDOET else "Verbeterpunt"
        score.redenen.append(f"{head} (grondslag: {d.basis}): {d.rule.label_nl}.")
        sentences: dict[str, int] = {}
        for m in d.facts:
            view = views.get(m.fact)
            if view is not None:
                score.feiten.append(view.as_json())
                sentences[view.sentence()] = sentences.get(view.sentence(), 0) + 1
        # facts that read alike (e.g. the same arrangement in two provisions) are one sentence
        score.redenen.extend(f"{t} ({n}×)" if n > 1 else t for t, n in sentences.items())
    else:
        score.redenen.append(
            "Onbekend: geen document, praktijk, verklaring of bevinding spreekt over deze indicator."
        )
    score.niet_meegeteld = not_counted
    score.redenen.extend(f"Telt niet mee: {x}." for x in not_counted)
    if d.status != VOLDOET:
        rank = d.facts[0].rank if d.facts else 9
        score.wat_zou_veranderen = [
            r.label_nl
            for r in own
            if r.outcome == VOLDOET and rules.RANK.get(r.fixed_basis or "document", 1) <= rank
        ]
        if score.wat_zou_veranderen:
            score.redenen.append(
                "Wat het zou veranderen: " + "; of ".join(score.wat_zou_veranderen) + "."
            )


def scorecard_graph(scores: list[IndicatorScore]):
    """The derived verdicts as RDF (``ggsr:AfgeleidOordeel``), one per score — voldoet included,
    which a SHACL report cannot carry: outcome, grondslag, the deciding facts
    (``prov:wasDerivedFrom``) and every reason in words (``ggsr:reden``)."""
    import rdflib
    from rdflib.namespace import PROV, RDF

    from .namespaces import GGSR

    g = rdflib.Graph()
    g.bind("ggsr", GGSR)
    g.bind("kader", KADER)
    g.bind("prov", PROV)
    g.bind("gs", _BASES)
    for sc in scores:
        node = rdflib.BNode()
        g.add((node, RDF.type, GGSR.AfgeleidOordeel))
        g.add((node, GGSR.netwerk, rdflib.URIRef(sc.netwerk)))
        g.add((node, GGSR.indicator, KADER[f"I{sc.indicator}"]))
        g.add((node, GGSR.uitkomst, KADER[sc.status]))
        g.add((node, GGSR.grondslag, rdflib.URIRef(_BASES + sc.grondslag)))
        for f in sc.feiten:
            g.add((node, PROV.wasDerivedFrom, rdflib.URIRef(f["feit"])))
        for reason in sc.redenen:
            g.add((node, GGSR.reden, rdflib.Literal(reason, lang="nl")))
    return g


_BASES = "https://w3id.org/ggsr/def/grondslag/"


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
        """(agreeing, judged) per municipality, indicator or grondslag."""
        out: dict[str, list[int]] = {}
        for s in self.judged_scores:
            tally = out.setdefault(getattr(s, attribute), [0, 0])
            tally[0] += s.status == s.stj
            tally[1] += 1
        return {k: (v[0], v[1]) for k, v in out.items()}

    def cells_by_basis(self) -> dict[str, int]:
        """Number of cells with an STJ verdict per grondslag of the derived one (geen = onbekend)."""
        out: dict[str, int] = {}
        for s in self.judged_scores + self.unknown:
            out[s.grondslag] = out.get(s.grondslag, 0) + 1
        return out

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


__all__ = ["KADER", "scorecard", "compare_with_stj", "criteria_scores", "theme_scores"]
