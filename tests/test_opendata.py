"""The open-data snapshot (data/opendata/*.csv) and data/gebieden.ttl, which is generated from it:
the module reads the snapshot right, and the two cannot drift apart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, RDFS, TIME

from ggsr_kg import opendata
from ggsr_kg.namespaces import GGSR, ID, ORG, PROV, TOOI_GM, TOOI_PV, WD

ROOT = Path(__file__).resolve().parent.parent
GEBIEDEN = ROOT / "data" / "gebieden.ttl"


@pytest.fixture(scope="module")
def gebieden() -> rdflib.Graph:
    return rdflib.Graph().parse(GEBIEDEN)


# ---- the snapshot -------------------------------------------------------------------------------


def test_snapshot_has_606_municipalities_342_current_and_12_provinces():
    assert len(opendata.gemeenten()) == 606
    assert len(opendata.gemeenten(current_only=True)) == 342
    assert all(g.geldig_tot is None for g in opendata.gemeenten(current_only=True))
    assert len(opendata.provincies()) == 12
    assert {p.cbs_code for p in opendata.provincies()} == {f"PV{n}" for n in range(20, 32)}


def test_emmen_is_gm0114_with_its_tooi_identifier():
    emmen = opendata.find_gemeente("Emmen")
    assert emmen.cbs_code == "GM0114"
    assert emmen.tooi == str(TOOI_GM["gm0114"])
    assert emmen.provincie_tooi == str(TOOI_PV["pv22"])
    assert emmen.huidig and isinstance(emmen.inwoners, int)
    assert opendata.find_gemeente("gm0114") == emmen == opendata.find_gemeente("Gemeente Emmen")


def test_unknown_start_date_1900_is_read_as_none_and_end_dates_are_dates():
    assert opendata.find_gemeente("Emmen").geldig_vanaf is None
    sittard = opendata.find_gemeente("GM0968")
    assert sittard.naam == "Sittard" and sittard.geldig_tot == date(2000, 12, 31)
    assert not sittard.huidig


def test_sittard_geleen_lies_in_limburg_pv31():
    sg = opendata.find_gemeente("Sittard-Geleen")
    assert sg.cbs_code == "GM1883"
    assert sg.provincie_tooi == str(TOOI_PV["pv31"])
    # the CSV row has no province: the link is the documented supplement, marked as such
    assert sg.provincie_aangevuld
    assert not opendata.find_gemeente("Emmen").provincie_aangevuld


def test_den_haag_is_found_by_its_official_names_too():
    assert opendata.find_gemeente("'s-Gravenhage").cbs_code == "GM0518"
    assert opendata.find_gemeente("den haag").cbs_code == "GM0518"


def test_unknown_name_raises_keyerror_naming_a_close_match():
    with pytest.raises(KeyError, match="Emmen"):
        opendata.find_gemeente("Emen")
    with pytest.raises(KeyError, match="Sittard-Geleen"):
        opendata.find_gemeente("Sitard-Geleen")
    with pytest.raises(KeyError):
        opendata.find_gemeente("")


def test_results_are_copies_callers_cannot_spoil_the_cache():
    first = opendata.gemeenten()
    first.clear()
    assert len(opendata.gemeenten()) == 606


# ---- data/gebieden.ttl against the snapshot -----------------------------------------------------


def test_gebieden_parses_and_has_our_municipalities_provinces_and_regions(gebieden):
    gemeenten = set(gebieden.subjects(RDF.type, GGSR.Gemeente))
    assert ID["gemeente-emmen"] in gemeenten and ID["gemeente-den-haag"] in gemeenten
    assert len(gemeenten) == 12
    assert len(set(gebieden.subjects(RDF.type, GGSR.Provincie))) == 7
    # the three former city regions are typed with the subclass that dates their end (2015)
    assert len(set(gebieden.subjects(RDF.type, GGSR.Regioverband))) == 1
    assert len(set(gebieden.subjects(RDF.type, GGSR.Stadsregio))) == 3


@pytest.mark.parametrize("cls", [GGSR.Gemeente, GGSR.Provincie], ids=["gemeente", "provincie"])
def test_every_municipality_and_province_has_cbs_code_tooi_and_wikidata(gebieden, cls):
    nodes = set(gebieden.subjects(RDF.type, cls))
    assert nodes
    for node in nodes:
        for prop in (GGSR.cbsCode, GGSR.tooi, GGSR.wikidata):
            assert len(list(gebieden.objects(node, prop))) == 1, f"{node} lacks exactly one {prop}"


def test_municipality_identifiers_equal_the_snapshot(gebieden):
    provincie_by_tooi = {
        gebieden.value(p, GGSR.tooi): p for p in gebieden.subjects(RDF.type, GGSR.Provincie)
    }
    for node in gebieden.subjects(RDF.type, GGSR.Gemeente):
        code = str(gebieden.value(node, GGSR.cbsCode))
        g = opendata.find_gemeente(code)
        assert g.huidig, code
        assert gebieden.value(node, GGSR.tooi) == rdflib.URIRef(g.tooi), code
        assert gebieden.value(node, GGSR.wikidata) == rdflib.URIRef(g.wikidata_iri), code
        assert str(gebieden.value(node, GGSR.officieleNaam)) == g.officiele_naam, code
        assert rdflib.Literal(g.naam, lang="nl") in set(gebieden.objects(node, RDFS.label)), code
        assert gebieden.value(node, GGSR.inwoners).toPython() == g.inwoners, code
        assert (
            gebieden.value(node, GGSR.ligtIn) == provincie_by_tooi[rdflib.URIRef(g.provincie_tooi)]
        ), code
        derivation = gebieden.value(node, PROV.qualifiedDerivation)
        assert gebieden.value(derivation, PROV.entity) == ID["opendata-polder-gemeenten"]
        assert str(gebieden.value(derivation, GGSR.plaats)) == f"gemeenten.csv, rij {code}"
        interval = gebieden.value(node, GGSR.geldigheid)
        assert (interval, RDF.type, TIME.Interval) in gebieden
        # all have geldig_vanaf 1900-01-01 ("unknown"): no beginning, but a comment saying so
        assert g.geldig_vanaf is None and gebieden.value(interval, TIME.hasBeginning) is None
        assert gebieden.value(interval, RDFS.comment) is not None


def test_province_identifiers_equal_the_snapshot(gebieden):
    by_code = {p.cbs_code: p for p in opendata.provincies()}
    for node in gebieden.subjects(RDF.type, GGSR.Provincie):
        p = by_code[str(gebieden.value(node, GGSR.cbsCode))]
        assert gebieden.value(node, GGSR.tooi) == rdflib.URIRef(p.tooi)
        assert gebieden.value(node, GGSR.wikidata) == WD[p.wikidata]
        assert str(gebieden.value(node, GGSR.officieleNaam)) == p.officiele_naam


def test_city_regions_end_in_2015_and_have_their_member(gebieden):
    members = {
        "regio-stadsregio-amsterdam": {"gemeente-amsterdam"},
        "regio-stadsgewest-haaglanden": {"gemeente-den-haag"},
        "regio-stadsregio-rotterdam": {"gemeente-rotterdam"},
        "regio-zuidoost-drenthe": {
            "gemeente-borger-odoorn",
            "gemeente-coevorden",
            "gemeente-emmen",
        },
    }
    for local, expected in members.items():
        regio = ID[local]
        assert set(gebieden.objects(regio, ORG.hasMember)) == {ID[m] for m in expected}
        assert gebieden.value(regio, GGSR.tooi) is None
        assert gebieden.value(regio, PROV.qualifiedDerivation) is not None
        end = gebieden.value(gebieden.value(regio, GGSR.geldigheid), TIME.hasEnd)
        if local == "regio-zuidoost-drenthe":
            assert end is None
        else:
            assert gebieden.value(end, TIME.inXSDDate).toPython() == date(2015, 1, 1)


def test_gebieden_is_what_the_script_makes():
    """data/gebieden.ttl is generated; a hand edit (or a new snapshot) without re-running shows here."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_gebieden", ROOT / "scripts" / "make_gebieden.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert GEBIEDEN.read_text(encoding="utf-8") == module.build()
