"""Named cases from the sources: what the facts give, with the evidence they rest on.

Each case says the status and grondslag the re-recorded facts lead to and a phrase the reasons
must contain (a fact by its label, or why a document does not count). STJ's own verdict is beside
the point here: where it differs, the difference is a finding (test_validation.py)."""

from __future__ import annotations

import pytest

from ggsr_kg.scorecard import scorecard


@pytest.fixture(scope="module")
def scores(kg, shipped_results):
    return {
        (s.gemeente, s.jaar, s.indicator): s for s in scorecard(kg, shipped_results, kg.networks())
    }


@pytest.mark.parametrize(
    ("gemeente", "jaar", "indicator", "status", "grondslag", "phrase"),
    [
        # the document gives the gezinscoördinator only a mandate to address care workers
        ("Emmen", 2013, "3.2.2", "verbeterpunt", "document", "ondersteuners aanspreken"),
        # STJ's finding: doorzettingsmacht lies with partners, not with the casemanager
        ("Sittard-Geleen", 2014, "3.2.2", "verbeterpunt", "bevinding", "een aantal partners"),
        # the procesregisseur may decide which help is deployed, nothing binding
        ("Bergen op Zoom", 2014, "3.2.2", "verbeterpunt", "bevinding", "welke hulp ingezet"),
        # G7, never assessed by STJ: the brandpuntfunctionaris's decision binds all parties
        ("Almere", 2009, "3.2.2", "voldoet", "document", "voor alle partijen bindend"),
        # the municipality says no escalation options are arranged
        ("Emmen", 2013, "4.1.2", "verbeterpunt", "verklaring", "opschalingsmogelijkheden"),
        # the CJG's mandate to escalate, in the Opdrachtformulering CJG 2015
        ("Emmen", 2014, "4.1.2", "voldoet", "document", "Opdrachtformulering"),
        # the signed privacy covenant of the MDT partners
        ("Emmen", 2013, "4.3.1", "voldoet", "document", "privacyconvenant"),
        # only a draft of the new stelsel speaks of the family's control: it does not count
        ("Bergen op Zoom", 2013, "2.3.1", "onbekend", "geen", "alleen een concept"),
        # STJ found no specific policy for these families
        ("Bergen op Zoom", 2013, "3.1.1", "verbeterpunt", "bevinding", "specifiek beleid"),
        # closing is left to the experts' judgement: no agreement that care continues
        (
            "Sittard-Geleen",
            2014,
            "5.1.1",
            "verbeterpunt",
            "bevinding",
            "oordeel van de deskundigen",
        ),
    ],
)
def test_named_case(scores, gemeente, jaar, indicator, status, grondslag, phrase):
    s = scores[(gemeente, jaar, indicator)]
    assert (s.status, s.grondslag) == (status, grondslag)
    assert any(phrase in r for r in s.redenen), s.redenen
    assert not any("http" in r or "{?" in r or "$this" in r for r in s.redenen)
