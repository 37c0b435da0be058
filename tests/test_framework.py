"""The toetsingskader as a SKOS scheme: 5 themes, 15 criteria, 30 indicators, one parent each."""

import pytest

from ggsr_kg.graph import KnowledgeGraph


@pytest.fixture(scope="module")
def kg():
    return KnowledgeGraph.default(data=[], infer=False)


def count(kg, cls):
    return int(kg.select(f"SELECT (COUNT(?c) AS ?n) WHERE {{ ?c a kader:{cls} }}")[0]["n"].value)


def test_five_themes_fifteen_criteria_thirty_indicators(kg):
    assert (count(kg, "Thema"), count(kg, "Criterium"), count(kg, "Indicator")) == (5, 15, 30)


def test_every_indicator_sits_under_exactly_one_criterion(kg):
    rows = kg.select(
        """SELECT ?i (COUNT(?c) AS ?n) WHERE { ?i a kader:Indicator .
             OPTIONAL { ?i skos:broader ?c . ?c a kader:Criterium } } GROUP BY ?i"""
    )
    assert len(rows) == 30
    assert all(int(r["n"].value) == 1 for r in rows)


def test_every_criterion_sits_under_one_theme_and_notations_are_unique(kg):
    rows = kg.select(
        """SELECT ?c (COUNT(?t) AS ?n) WHERE { ?c a kader:Criterium .
             OPTIONAL { ?c skos:broader ?t . ?t a kader:Thema } } GROUP BY ?c"""
    )
    assert all(int(r["n"].value) == 1 for r in rows)
    codes = [
        r["code"].value
        for r in kg.select(
            "SELECT ?code WHERE { ?c skos:inScheme kader:Toetsingskader ; skos:notation ?code }"
        )
    ]
    assert len(codes) == len(set(codes)) == 50


def test_doorzettingsmacht_indicator_has_the_exact_dutch_wording(kg):
    rows = kg.select(
        'SELECT ?l WHERE { <https://w3id.org/ggsr/kader#I3.2.2> skos:prefLabel ?l FILTER(lang(?l) = "nl") }'
    )
    assert rows[0]["l"].value == "De doorzettingsmacht voor de regisseur is geregeld"
