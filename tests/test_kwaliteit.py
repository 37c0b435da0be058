"""Data-driven tests of the data-quality shapes (shapes/kwaliteit.ttl) with fixtures in
tests/fixtures/kwaliteit/: so far shg:GeldigheidKwaliteit, a network state whose reference year
lies outside the validity (ggsr:geldigheid, an OWL-Time interval) of its municipality.

Each fixture is complete enough for every quality shape, so the test asserts *all* findings of
:func:`ggsr_kg.quality.check_quality` on it: those its networks announce with ``test:bevinding``
(value and message in Dutch and English), and nothing else. How many findings a fixture must give
is also written here, so a fixture whose annotations went missing cannot pass by saying nothing.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import rdflib

from ggsr_kg.graph import KnowledgeGraph
from ggsr_kg.quality import check_quality

FIXTURES = Path(__file__).parent / "fixtures" / "kwaliteit"
TEST = rdflib.Namespace("https://w3id.org/ggsr/test#")
SHG = "https://w3id.org/ggsr/shapes#"
GELDIGHEID = SHG + "GeldigheidKwaliteit"
VIOLATION = "http://www.w3.org/ns/shacl#Violation"

# fixture → number of findings it must give
EXPECTED_COUNT = {
    "geldig.ttl": 0,  # first and last (half) year, a last day as end, an interval without ends
    "voor-begin.ttl": 2,  # the year before a merger; before a beginning without end
    "na-einde.ttl": 2,  # the year after an end given as first day after, and as last day
    "zonder-geldigheid.ttl": 0,  # no ggsr:geldigheid: nothing to contradict
}


@cache
def findings(name: str) -> frozenset[tuple[str, str, str, str, str, str]]:
    """(shape, severity, focus, value, message nl, message en) of every quality finding on the
    ontology plus this fixture, after inference — as ``ggsr-kg`` loads a user's file."""
    kg = KnowledgeGraph.default(data=[FIXTURES / name])
    return frozenset(
        (r.shape, r.severity, r.focus, r.value, r.message_nl, r.message_en)
        for r in check_quality(kg)
    )


def expected(name: str) -> frozenset[tuple[str, str, str, str, str, str]]:
    g = rdflib.Graph().parse(FIXTURES / name, format="turtle")
    out = set()
    for net, bevinding in g.subject_objects(TEST.bevinding):
        berichten = {m.language: str(m) for m in g.objects(bevinding, TEST.bericht)}
        out.add(
            (
                GELDIGHEID,
                VIOLATION,
                str(net),
                str(g.value(bevinding, TEST.waarde)),
                berichten["nl"],
                berichten["en"],
            )
        )
    return frozenset(out)


def test_every_fixture_has_an_expected_count():
    assert {p.name for p in FIXTURES.glob("*.ttl")} == set(EXPECTED_COUNT)


@pytest.mark.parametrize("name", sorted(EXPECTED_COUNT))
def test_fixture_gives_exactly_the_announced_findings(name):
    assert len(expected(name)) == EXPECTED_COUNT[name], "test:bevinding annotations"
    assert findings(name) == expected(name)


def test_a_finding_names_year_municipality_and_validity_in_both_languages():
    (finding,) = [f for f in findings("voor-begin.ttl") if f[2].endswith("-2013")]
    shape, severity, focus, value, nl, en = finding
    assert (shape, severity) == (GELDIGHEID, VIOLATION)
    assert focus == "https://w3id.org/ggsr/id/de-friese-meren-aanpak-2013"
    assert value == "https://w3id.org/ggsr/id/gemeente-de-friese-meren"
    assert nl.startswith("Peiljaar 2013 valt buiten de geldigheid van gemeente De Friese Meren ")
    assert "(geldig van 2014-01-01 tot 2015-06-30)" in nl
    assert en.startswith("Reference year 2013 lies outside the validity of municipality ")
    assert "(valid from 2014-01-01 until 2015-06-30)" in en


def test_quality_messages_keep_their_language():
    """pySHACL drops the language of a SPARQL constraint's message when it fills in {?var};
    check_quality gives it back, so message_nl is Dutch and message_en English."""
    for _, _, _, _, nl, en in findings("na-einde.ttl"):
        assert nl.startswith("Peiljaar ") and en.startswith("Reference year ")


def test_the_shipped_data_has_no_year_outside_a_validity(kg):
    assert [r for r in check_quality(kg) if r.shape == GELDIGHEID] == []


def test_the_shipped_municipalities_with_networks_have_a_validity(kg):
    """Guards the previous test against passing because the check has nothing to look at."""
    rows = kg.select(
        """SELECT DISTINCT ?g WHERE { ?n a ggsr:Netwerk ; ggsr:aanpak/ggsr:gemeente ?g .
             FILTER NOT EXISTS { ?g ggsr:geldigheid ?i } }"""
    )
    assert rows == []
