"""Data-driven tests of the framework shapes: one fixture per indicator (tests/fixtures/kader/).

Every fixture holds one municipality, one approach and several networks (one per year). Each network
carries, in a test-only namespace, the indicator it is about (``test:indicator "3.2.2"``), the status
that indicator must get (``test:verwacht "voldoet" | "verbeterpunt" | "onbekend"``) and a short
description of the case (``test:geval``). A fixture covers at least the three outcomes, plus the
edges of the shape's logic that matter.

A case that shows a genuine bug in a shape stays honest in its fixture and is listed in
KNOWN_SHAPE_BUGS below: it runs as ``xfail(strict=True)``, so fixing the shape makes the test
fail until the entry is removed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import rdflib
from rdflib.plugins.sparql import processor

from ggsr_kg.graph import KnowledgeGraph
from ggsr_kg.scorecard import indicators, scorecard
from ggsr_kg.validation import validate, validate_pyshacl

FIXTURES = Path(__file__).parent / "fixtures" / "kader"
TEST = rdflib.Namespace("https://w3id.org/ggsr/test#")
STATUSES = {"voldoet", "verbeterpunt", "onbekend"}

# (fixture file, network local name) -> why the shape gets it wrong. See the shape files.
KNOWN_SHAPE_BUGS: dict[tuple[str, str], str] = {}


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("I*.ttl"))


def expected_cases(path: Path) -> list[tuple[str, str, str, str]]:
    """(network IRI, indicator code, expected status, case description) for every marked network."""
    g = rdflib.Graph().parse(path, format="turtle")
    out = []
    for net, status in g.subject_objects(TEST.verwacht):
        out.append(
            (
                str(net),
                str(g.value(net, TEST.indicator)),
                str(status),
                str(g.value(net, TEST.geval, default="")),
            )
        )
    return sorted(out)


def _params():
    params = []
    for path in fixture_files():
        for net, code, status, why in expected_cases(path):
            local = net.rsplit("/", 1)[-1]
            marks = []
            bug = KNOWN_SHAPE_BUGS.get((path.name, local))
            if bug:
                marks.append(pytest.mark.xfail(strict=True, reason=bug))
            params.append(
                pytest.param(path, net, code, status, why, id=f"{path.stem}:{local}", marks=marks)
            )
    return params


@cache
def checked(path: Path):
    """Graph, fast-engine results and scorecard of one fixture (built once per test session)."""
    kg = KnowledgeGraph.default(data=[path])
    results = validate(kg)
    scores = scorecard(kg, results, kg.networks())
    return kg, results, {(s.netwerk, s.indicator): s for s in scores}


@pytest.mark.parametrize(("path", "netwerk", "code", "verwacht", "geval"), _params())
def test_indicator_status(path, netwerk, code, verwacht, geval):
    assert verwacht in STATUSES, f"{path.name}: test:verwacht {verwacht!r} is not a status"
    _, results, scores = checked(path)
    score = scores.get((netwerk, code))
    assert score is not None, (
        f"{path.name}: no score for {netwerk} × {code} — is the network complete "
        "(ggsr:aanpak with a gemeente and Dutch labels, ggsr:peiljaar) and the code right?"
    )
    others = sorted(
        f"  {r.shape.rsplit('#', 1)[-1]} ({r.severity.rsplit('#', 1)[-1]}) value={r.value}"
        for r in results
        if r.focus == netwerk and r.indicator and r.indicator.endswith(f"I{code}")
    )
    assert score.status == verwacht, (
        f"{path.name} {netwerk.rsplit('/', 1)[-1]} ({geval}): indicator {code} is "
        f"{score.status!r}, expected {verwacht!r}.\nReasons: {score.redenen or '—'}\n"
        "Results of this indicator's shapes for the network:\n" + ("\n".join(others) or "  (none)")
    )


@pytest.fixture(scope="module")
def parsed_query_cache():
    """Parse each SPARQL text once while pySHACL runs.

    pySHACL (0.40) hands rdflib the same query text for every focus node, and rdflib parses it
    anew each time: ~90 % of a run goes to pyparsing (7-8 networks × 60 constraints per fixture).
    This caches the parsed and translated query per text (and base, prefixes); evaluation, and
    with it pySHACL's answer, is untouched — only the repeated parsing goes.
    """
    original = processor.SPARQLProcessor.query

    @cache
    def prepared(text, base, namespaces):
        return processor.prepareQuery(text, initNs=dict(namespaces), base=base)

    def query(self, str_or_query, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(str_or_query, str):
            namespaces = tuple(sorted((k, str(v)) for k, v in (initNs or {}).items()))
            str_or_query = prepared(str_or_query, base, namespaces)
        return original(self, str_or_query, initBindings, initNs, base, DEBUG)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(processor.SPARQLProcessor, "query", query)
        yield


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.stem)
def test_fast_engine_agrees_with_pyshacl(path, parsed_query_cache):
    kg, fast, _ = checked(path)
    reference = validate_pyshacl(kg)
    fast_keys = {r.key for r in fast}
    ref_keys = {r.key for r in reference}
    assert fast_keys == ref_keys, (
        f"{path.name}: only fast engine: {sorted(fast_keys - ref_keys)}; "
        f"only pySHACL: {sorted(ref_keys - fast_keys)}"
    )


def test_one_fixture_per_indicator():
    kg = KnowledgeGraph.default(data=[], infer=False)
    codes = [i.code for i in indicators(kg)]
    files = [p.name for p in fixture_files()]
    assert len(codes) == 30
    assert len(files) == 30, files
    assert sorted(files) == sorted(f"I{c}.ttl" for c in codes)


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.stem)
def test_fixture_covers_three_outcomes_of_its_own_indicator(path):
    cases = expected_cases(path)
    assert {code for _, code, _, _ in cases} == {path.stem[1:]}, "one indicator per fixture"
    assert {status for _, _, status, _ in cases} == STATUSES
