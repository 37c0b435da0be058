"""Data-driven tests of the data-quality shapes (shapes/kwaliteit.ttl) with fixtures in
tests/fixtures/kwaliteit/: shg:GeldigheidKwaliteit, a network state whose reference year lies
outside the validity (ggsr:geldigheid, an OWL-Time interval) of its municipality, and
shg:SoortInPeiljaarKwaliteit, a network that names an organisation or role of a kind that did not
exist in its reference year (ggsr:bestaatTot / ggsr:bestaatVanaf on the class), with the
successors or predecessors named in the message.

Each fixture is complete enough for every quality shape, so the test asserts *all* findings of
:func:`ggsr_kg.quality.check_quality` on it: those its networks announce with ``test:bevinding``
(shape and severity when not shg:GeldigheidKwaliteit's violation, value, message in Dutch and
English), and nothing else. How many findings a fixture must give
is also written here, so a fixture whose annotations went missing cannot pass by saying nothing.
"""

from __future__ import annotations

import re
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
SOORT = SHG + "SoortInPeiljaarKwaliteit"
VIOLATION = "http://www.w3.org/ns/shacl#Violation"
WARNING = "http://www.w3.org/ns/shacl#Warning"

# fixture → number of findings it must give
EXPECTED_COUNT = {
    "geldig.ttl": 0,  # first and last (half) year, a last day as end, an interval without ends
    "voor-begin.ttl": 2,  # the year before a merger; before a beginning without end
    "na-einde.ttl": 2,  # the year after an end given as first day after, and as last day
    "zonder-geldigheid.ttl": 0,  # no ggsr:geldigheid: nothing to contradict
    "soort-na-einde.ttl": 6,  # BJZ, its AMK (once), a city region, a role and its holder in 2016; BJZ in 2015
    "soort-voor-begin.ttl": 2,  # Veilig Thuis and a certified institution (as a role's holder) in 2013
}
# the lists a message ends with, in no fixed order (GROUP_CONCAT)
_LIJST = re.compile(r"((?:Opvolger|Voorganger|Successor|Predecessor)\(s\): )(.*)\.$")


def gelijk(bericht: str) -> str:
    """The message with its list of successors or predecessors sorted, so that two messages
    that differ only in the order GROUP_CONCAT gave compare equal."""
    m = _LIJST.search(bericht)
    if not m:
        return bericht
    return bericht[: m.start(2)] + ", ".join(sorted(m[2].split(", "))) + "."


@cache
def loaded(name: str) -> KnowledgeGraph:
    """The ontology plus this fixture, after inference — as ``ggsr-kg`` loads a user's file."""
    return KnowledgeGraph.default(data=[FIXTURES / name])


@cache
def findings(name: str) -> frozenset[tuple[str, str, str, str, str, str]]:
    """(shape, severity, focus, value, message nl, message en) of every quality finding."""
    kg = loaded(name)
    return frozenset(
        (r.shape, r.severity, r.focus, r.value, gelijk(r.message_nl), gelijk(r.message_en))
        for r in check_quality(kg)
    )


def expected(name: str) -> frozenset[tuple[str, str, str, str, str, str]]:
    g = rdflib.Graph().parse(FIXTURES / name, format="turtle")
    out = set()
    for net, bevinding in g.subject_objects(TEST.bevinding):
        berichten = {m.language: str(m) for m in g.objects(bevinding, TEST.bericht)}
        out.add(
            (
                str(g.value(bevinding, TEST.shape, default=rdflib.URIRef(GELDIGHEID))),
                str(g.value(bevinding, TEST.ernst, default=rdflib.URIRef(VIOLATION))),
                str(net),
                str(g.value(bevinding, TEST.waarde)),
                gelijk(berichten["nl"]),
                gelijk(berichten["en"]),
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


# ---- kinds of organisation that did not exist in the reference year ------------------------------


def test_a_2016_network_with_a_bureau_jeugdzorg_names_its_successors():
    """The case of issue 16: the warning on a 2016 network that still names a Bureau Jeugdzorg
    names the certified institution, Veilig Thuis and the municipal access point."""
    (finding,) = [
        f
        for f in findings("soort-na-einde.ttl")
        if f[2].endswith("-2016") and f[3].endswith("-bjz")
    ]
    shape, severity, _, _, nl, en = finding
    assert (shape, severity) == (SOORT, WARNING)
    assert "bestaat sinds 2015-01-01 niet meer" in nl
    for opvolger in ("gecertificeerde instelling", "Veilig Thuis", "gemeentelijke toegang"):
        assert opvolger in nl
    assert "certified institution" in en and "municipal access point" in en


def test_the_shipped_data_names_no_kind_outside_its_time(kg):
    """2009–2014 as the sources describe them: Bureaus Jeugdzorg and city regions up to 2014, the
    certified institution Bergen op Zoom names in 2014 — no warning."""
    assert [r for r in check_quality(kg) if r.shape == SOORT] == []


def test_the_shipped_data_has_dated_kinds_to_check(kg):
    """Guards the previous test against passing because nothing is dated or nothing is named:
    shipped networks name Bureaus Jeugdzorg and a certified institution, whose kinds carry dates."""
    rows = kg.select(
        """SELECT DISTINCT ?soort WHERE { ?n a ggsr:Netwerk ; org:hasMember ?o . ?o a ?soort .
             { ?soort ggsr:bestaatTot ?d } UNION { ?soort ggsr:bestaatVanaf ?d } }"""
    )
    soorten = {r["soort"].value.rsplit("#", 1)[1] for r in rows}
    assert {"BureauJeugdzorg", "GecertificeerdeInstelling"} <= soorten


# ---- the engine: SPARQL-based quality shapes run on Oxigraph, as pySHACL would ---------------------


@pytest.mark.parametrize("name", ["na-einde.ttl", "soort-na-einde.ttl", "soort-voor-begin.ttl"])
def test_the_sparql_quality_shapes_give_what_pyshacl_gives(name):
    """check_quality runs shg:GeldigheidKwaliteit and shg:SoortInPeiljaarKwaliteit on the project's
    engine (once over the store) instead of pySHACL (once per network): the same focus, shape,
    severity and value (the messages are compared with the fixtures' in the tests above)."""
    from ggsr_kg.quality import quality_shapes
    from ggsr_kg.shapes import ShapeSet
    from ggsr_kg.validation import validate, validate_pyshacl

    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

    kg = loaded(name)
    _, sparql = quality_shapes()
    shapes = {c.shape for c in sparql.constraints}
    assert shapes == {GELDIGHEID, SOORT}
    fast = {r.key for r in validate(kg, sparql)}
    assert len(fast) == EXPECTED_COUNT[name]
    # pySHACL on these two shapes only (the core shapes would only cost time here)
    only = rdflib.Graph()
    only += sparql.graph
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in set(only.subjects(rdflib.RDF.type, kind)) - {rdflib.URIRef(s) for s in shapes}:
            only.remove((shape, None, None))
    reference = validate_pyshacl(kg, ShapeSet(graph=only, constraints=sparql.constraints))
    assert fast == {r.key for r in reference}
