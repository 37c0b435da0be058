"""Data-driven tests of the framework: one fixture per indicator (tests/fixtures/kader/I<code>.ttl).

Every fixture holds one invented municipality (CBS code GM9xxx), one approach and one network per
case. Each network carries, in a test-only namespace, what its indicator must give:

- ``test:indicator "3.2.2"`` — the indicator the case is about;
- ``test:verwacht "voldoet" | "verbeterpunt" | "onbekend"`` — the status;
- ``test:grondslag "document" | "praktijk" | "verklaring" | "bevinding" | "geen"`` — what it rests on;
- ``test:regel shg:R3.2.2-…`` — the evidence rule that decides (none for onbekend);
- ``test:geval "…"@nl`` — the case in words.

Together the cases let every rule decide at least once, on every kind of evidence that can decide
it, show the order of strength (a document beats a contrary statement or finding; of a statement
and a finding the rule listed first decides) and every document status (a draft, expired or
withdrawn document, or one without status, never counts; "niet vermeld" and "deels vastgesteld"
count). The tests below check each case and that the whole set covers all of that.

A case that shows a genuine bug in a rule stays honest in its fixture and is listed in
KNOWN_RULE_BUGS: it runs as ``xfail(strict=True)``, so fixing the rule makes the test fail until
the entry is removed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, RDFS

from ggsr_kg import rules
from ggsr_kg.graph import KnowledgeGraph
from ggsr_kg.namespaces import GGSR, KADER, SH, SH_GGSR
from ggsr_kg.scorecard import indicators

FIXTURES = Path(__file__).parent / "fixtures" / "kader"
TEST = rdflib.Namespace("https://w3id.org/ggsr/test#")
ID = "https://w3id.org/ggsr/id/"
STATUSES = {"voldoet", "verbeterpunt", "onbekend"}
BASES = {"document", "praktijk", "verklaring", "bevinding", "geen"}
DOCUMENT_STATUSES = {
    "vastgesteld",
    "ondertekend",
    "deels-vastgesteld",
    "niet-vermeld",
    "concept",
    "verlopen",
    "ingetrokken",
}
NO_STATUS, EXPIRED_BY_DATE = "zonder status", "geldigTot vóór het peiljaar"
ENDED_ITSELF = "feit met geldigTot vóór het peiljaar"

# (fixture file, network local name) -> why the rule gets it wrong, and the fix proposed.
KNOWN_RULE_BUGS: dict[tuple[str, str], str] = {}


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("I*.ttl"))


@cache
def fixture_graph(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def cases(path: Path) -> list[dict]:
    """Every network of the fixture marked with test:verwacht, with what it must give."""
    g = fixture_graph(path)
    out = []
    for net in sorted(g.subjects(TEST.verwacht, None)):
        regel = g.value(net, TEST.regel)
        out.append(
            {
                "netwerk": str(net),
                "local": str(net).removeprefix(ID),
                "code": str(g.value(net, TEST.indicator)),
                "verwacht": str(g.value(net, TEST.verwacht)),
                "grondslag": str(g.value(net, TEST.grondslag)),
                "regel": str(regel) if regel is not None else None,
                "geval": str(g.value(net, TEST.geval, default="")),
            }
        )
    return out


def _params():
    params = []
    for path in fixture_files():
        for case in cases(path):
            marks = []
            bug = KNOWN_RULE_BUGS.get((path.name, case["local"]))
            if bug:
                marks.append(pytest.mark.xfail(strict=True, reason=bug))
            params.append(
                pytest.param(path.name, case, id=f"{path.stem}:{case['local']}", marks=marks)
            )
    return params


def _all_params():
    return [
        pytest.param(path.name, case, id=f"{path.stem}:{case['local']}")
        for path in fixture_files()
        for case in cases(path)
    ]


@cache
def rule_by_iri() -> dict[str, rules.Rule]:
    return {r.iri: r for r in rules.load_rules()}


# ---- what the engines give ----------------------------------------------------------------------


def engine_status(kader, netwerk: str, code: str) -> tuple[str, list[str]]:
    """Status of one indicator for one network from the fast engine's results, and those results."""
    own = [r for r in kader.results if r.focus == netwerk and r.indicator == str(KADER[f"I{code}"])]
    shown = [
        f"{r.shape.rsplit('#', 1)[-1]} ({r.severity.rsplit('#', 1)[-1]}) {r.value}" for r in own
    ]
    if any(r.severity == str(SH.Info) for r in own):
        return "onbekend", shown
    return ("verbeterpunt" if own else "voldoet"), shown


@pytest.fixture(scope="module")
def decisions(kader):
    return kader.decisions


@pytest.fixture(scope="module")
def documents(kader):
    """Network → [(name, status as the test names it, counts?)]: the documents it names
    (ggsr:document), and its facts that ended themselves (ggsr:geldigTot) before its year."""
    rows = kader.kg.select(
        """SELECT ?n ?jaar ?doc ?titel ?status ?geldend ?tot WHERE {
             ?n a ggsr:Netwerk ; ggsr:peiljaar ?jaar ; ggsr:document ?doc . ?doc dct:title ?titel .
             OPTIONAL { ?doc ggsr:status ?st . ?st skos:notation ?status ; ggsr:geldend ?geldend }
             OPTIONAL { ?doc ggsr:geldigTot ?tot }
           }"""
    )
    out: dict[str, list[tuple[str, str, bool]]] = {}
    for r in rows:
        status = r["status"].value if r["status"] is not None else NO_STATUS
        counts = r["geldend"] is not None and r["geldend"].value == "true"
        if r["tot"] is not None and int(r["tot"].value[:4]) < int(r["jaar"].value):
            status, counts = EXPIRED_BY_DATE, False
        out.setdefault(r["n"].value, []).append((r["titel"].value, status, counts))
    ended = kader.kg.select(
        """SELECT ?n ?label WHERE {
             ?f ggsr:netwerk ?n ; ggsr:geldigTot ?tot ; rdfs:label ?label . ?n ggsr:peiljaar ?jaar .
             FILTER (xsd:integer(SUBSTR(STR(?tot), 1, 4)) < ?jaar)
           }"""
    )
    for r in ended:
        out.setdefault(r["n"].value, []).append((r["label"].value, ENDED_ITSELF, False))
    return out


# ---- each case ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("fixture", "case"), _params())
def test_indicator_status(fixture, case, kader, decisions):
    """The fast engine gives the expected status; the rules name the expected rule and basis."""
    net, code = case["netwerk"], case["code"]
    where = f"{fixture} {case['local']} ({case['geval']})"
    score = kader.scores.get((net, code))
    assert score is not None, (
        f"{where}: no score for indicator {code} — is the network complete "
        "(ggsr:aanpak with a gemeente and Dutch labels, ggsr:peiljaar) and the code right?"
    )
    status, shown = engine_status(kader, net, code)
    assert status == case["verwacht"], (
        f"{where}: indicator {code} is {status!r}, expected {case['verwacht']!r}.\n"
        f"Reasons: {score.redenen}\nResults of its shapes:\n  " + ("\n  ".join(shown) or "(none)")
    )
    assert score.grondslag == case["grondslag"], (
        f"{where}: grondslag {score.grondslag!r}, expected {case['grondslag']!r}.\n"
        f"Reasons: {score.redenen}"
    )
    decision = decisions[(net, str(KADER[f"I{code}"]))]
    decided = decision.rule.iri if decision.rule else None
    assert decided == case["regel"], f"{where}: decided by {decided}, expected {case['regel']}"
    if decision.rule is not None:
        assert score.regel == decision.rule.label_nl


@pytest.mark.parametrize(("fixture", "case"), _all_params())
def test_reasons_are_readable(fixture, case, kader, documents):
    """Reasons exist and name no IRI or query placeholder; a decided status names its facts; an
    improvement point or unknown says what would change it; whatever does not count (a document,
    a fact that ended) is named as such, and nothing else is."""
    net, code = case["netwerk"], case["code"]
    where = f"{fixture} {case['local']}"
    score = kader.scores[(net, code)]
    assert score.redenen and all(r.strip() for r in score.redenen), where
    texts = list(score.redenen) + list(score.niet_meegeteld) + list(score.wat_zou_veranderen)
    for fact in score.feiten:
        texts += [fact["label"], *fact["bewijs"], *fact["bronnen"]]
    for text in texts:
        for bad in ("http", "{?", "{$", "$this"):
            assert bad not in text, f"{where}: {bad!r} in reason {text!r}"
    if score.status != "onbekend":
        assert score.feiten, f"{where}: {score.status} without the facts that decide it"
    own = rules.by_indicator(rules.load_rules())[str(KADER[f"I{code}"])]
    if score.status != "voldoet" and any(r.outcome == rules.VOLDOET for r in own):
        assert score.wat_zou_veranderen, f"{where}: {score.status} without 'wat zou veranderen'"
    named = documents.get(net, [])
    for name, status, counts in named:
        if not counts:
            assert any(f"«{name}»" in x for x in score.niet_meegeteld), (
                f"{where}: «{name}» ({status}) does not count, but niet_meegeteld "
                f"does not say so: {score.niet_meegeteld}"
            )
    for entry in score.niet_meegeteld:
        assert any(f"«{name}»" in entry for name, _, counts in named if not counts), (
            f"{where}: niet_meegeteld names something that counts or is not the network's: {entry}"
        )


# ---- the set of fixtures -------------------------------------------------------------------------


def test_one_fixture_per_indicator():
    kg = KnowledgeGraph.default(data=[], infer=False)
    codes = [i.code for i in indicators(kg)]
    assert len(codes) == 30
    assert sorted(p.name for p in fixture_files()) == sorted(f"I{c}.ttl" for c in codes)


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.stem)
def test_fixture_is_well_formed(path):
    """One indicator, three outcomes, a complete description of every case, the rule that decides
    belonging to the indicator and giving the expected outcome; one invented municipality."""
    code = path.stem[1:]
    g = fixture_graph(path)
    own = {r.iri: r for r in rule_by_iri().values() if r.code == code}
    found = cases(path)
    assert {c["code"] for c in found} == {code}, "one indicator per fixture"
    assert {c["verwacht"] for c in found} == STATUSES
    for c in found:
        where = f"{path.name} {c['local']}"
        assert c["verwacht"] in STATUSES and c["grondslag"] in BASES, where
        assert c["geval"], f"{where}: test:geval missing"
        assert (c["verwacht"] == "onbekend") == (c["grondslag"] == "geen"), where
        assert (c["verwacht"] == "onbekend") == (c["regel"] is None), where
        if c["regel"] is not None:
            assert c["regel"] in own, f"{where}: {c['regel']} is not a rule of {code}"
            assert own[c["regel"]].outcome == c["verwacht"], f"{where}: rule gives another outcome"
    municipalities = set(g.subjects(RDF.type, GGSR.Gemeente))
    assert len(municipalities) == 1
    cbs = str(g.value(next(iter(municipalities)), GGSR.cbsCode))
    assert cbs == "GM9" + code.replace(".", ""), cbs
    labels = {r.label_nl for r in own.values()}
    assert len(labels) == len(own), (
        "rule labels of one indicator must differ (the scorecard names the rule by it)"
    )
    assert all(g.value(n, RDFS.label) for n in g.subjects(TEST.verwacht, None))


def test_fixtures_share_no_node():
    """The fixtures are loaded together (conftest ``kader``): that equals loading them apart only
    if no node of one is described in another."""
    owner: dict[rdflib.term.Node, str] = {}
    for path in fixture_files():
        for s in set(fixture_graph(path).subjects()):
            if isinstance(s, rdflib.URIRef) and str(s).startswith(ID):
                assert s not in owner, f"{s} is described in {owner[s]} and {path.name}"
                owner[s] = path.name


def test_every_rule_decides_a_case():
    decided = {
        c["regel"]
        for path in fixture_files()
        for c in cases(path)
        if c["regel"] and (path.name, c["local"]) not in KNOWN_RULE_BUGS
    }
    missing = sorted(set(rule_by_iri()) - decided)
    assert not missing, f"rules that decide no fixture case: {missing}"


def test_every_basis_and_document_status_is_covered(documents):
    """Across all fixtures: every grondslag is expected somewhere, and every document status (and
    a document without one, and one expired by its date) is named by some case's network."""
    bases = {c["grondslag"] for p in fixture_files() for c in cases(p)}
    assert bases == BASES
    case_networks = {c["netwerk"] for p in fixture_files() for c in cases(p)}
    statuses = {s for n in case_networks for _, s, _ in documents.get(n, [])}
    assert statuses >= DOCUMENT_STATUSES | {NO_STATUS, EXPIRED_BY_DATE}, sorted(statuses)


def test_shapes_name_their_rules():
    """Every improvement-point rule has a constraint in the compiled shapes that points back to it
    (shg:regel), so a result can be traced to its rule."""
    g = rdflib.Graph()
    for f in sorted((Path(__file__).parent.parent / "shapes" / "kader").glob("*.ttl")):
        g.parse(f, format="turtle")
    named = {str(o) for o in g.objects(None, SH_GGSR.regel)}
    negative = {r.iri for r in rules.load_rules() if r.outcome == rules.VERBETERPUNT}
    assert named == negative
