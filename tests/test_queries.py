"""Every named query on the shipped data, with answers checked against the sources (shared/seeds),
the ``*-violation`` checks, output formats, parameter binding (injection) and the Python API."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from ggsr_kg import api
from ggsr_kg.cli import main
from ggsr_kg.errors import InputError
from ggsr_kg.queries import find_query, named_queries, run

ID = "https://w3id.org/ggsr/id/"
CHECKS = sorted(n for n, q in named_queries().items() if q.is_check)
REPORTS = sorted(n for n, q in named_queries().items() if not q.is_check)


def ask(kg, name: str, **params) -> list[dict]:
    return api.query(kg, name, **params)


# ---- the catalogue itself ----------------------------------------------------------------------------


def test_the_catalogue_is_complete():
    expected = {
        "doorzettingsmacht", "escalatiepad", "netwerkpartners", "ontbrekende-partijen",
        "ontwikkeling", "verwijsindex", "bjz-model", "rollen", "zorgniveaus", "bronnen",
    }  # fmt: skip
    assert expected <= set(named_queries())
    assert len(CHECKS) >= 2


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_query_has_a_bilingual_header_and_an_example(name):
    q = named_queries()[name]
    assert len(q.description) >= 2, "question in Dutch and in English"
    assert q.examples and all(e.startswith(f"ggsr-kg query {name}") for e in q.examples)
    if "gemeente" in q.params:  # pre-bindable: the municipality IRI is projected
        assert re.search(r"\?gemeente\b", q.text.split("WHERE")[0]), "?gemeente is projected"


PARTITIONED = sorted(n for n, q in named_queries().items() if q.partitioned)


def test_doorzettingsmacht_reads_only_the_municipalitys_partition():
    assert "doorzettingsmacht" in PARTITIONED


@pytest.mark.parametrize("name", PARTITIONED)
def test_a_partitioned_query_answers_as_on_the_whole_store(kg, name):
    """Per municipality the partition gives exactly the rows of the whole store, in order."""
    query = named_queries()[name]
    whole = replace(query, partitioned=False)
    municipalities = sorted({r["gemeenteNaam"].value for r in kg.networks()})
    assert len(municipalities) >= 10
    for gemeente in municipalities:
        params = {"gemeente": gemeente}
        scoped, full = run(kg, query, params), run(kg, whole, params)
        assert scoped == full, gemeente
        assert full[1], f"{name} answers nothing for {gemeente}"


# ---- doorzettingsmacht (who may decide, binding on whom) ---------------------------------------------


def test_almere_brandpuntfunctionaris_holds_doorzettingsmacht(kg):
    rows = ask(kg, "doorzettingsmacht", gemeente="Almere")
    holders = [r for r in rows if r["doorzettingsmacht"]]
    assert [r["functie"] for r in holders] == ["brandpuntfunctionaris"]
    row = holders[0]
    # 004, bijlage 3.1: "alleen als dit de enige manier is om de veiligheid van een of meerdere
    # kinderen te waarborgen"; binding on all parties; laid down in the administrative agreements
    assert "veiligheid" in row["voorwaarde"]
    assert row["bindendVoor"].startswith("alle netwerkpartners")
    assert row["grondslag"] == "document"
    assert row["vastgelegdIn"].startswith("Bestuurlijke afspraken over de doorzettingsmacht")
    # the source by its title and place, never its file name
    assert (
        row["bron"]
        == "Rapport Opvoeden in de Buurt (G7, begin 2010), Bijlage 3.1, Doorzettingsmacht"
    )


def test_almere_every_power_of_a_role_is_a_row_of_its_own(kg):
    rows = ask(kg, "doorzettingsmacht", gemeente="Almere")
    mine = [r["soort"] for r in rows if r["functie"] == "brandpuntfunctionaris"]
    # 004: doorzettingsmacht, IPT inzetten, and two instructions (call in institutions, instruct)
    assert sorted(mine) == ["aanwijzen", "aanwijzen", "doorzettingsmacht", "zorg inzetten"]
    wethouder = [r for r in rows if r["soort"] == "opschalen"]
    assert wethouder and "Politie Flevoland" in wethouder[0]["geldtTegenover"]


def test_bergen_op_zoom_procesregisseur_may_deploy_care_but_has_no_doorzettingsmacht(kg):
    rows = ask(kg, "doorzettingsmacht", gemeente="Bergen op Zoom", jaar=2014)
    regisseur = [r for r in rows if "procesregisseur" in (r["functie"] or "").lower()]
    assert [r["soort"] for r in regisseur] == ["zorg inzetten"]
    nobody = [r for r in rows if r["doorzettingsmacht"]]
    assert [r["houder"] for r in nobody] == ["niemand"]
    assert nobody[0]["grondslag"] == "bevinding"  # STJ's finding that there is none
    assert nobody[0]["blijktUit"] == "bevinding van Samenwerkend Toezicht Jeugd (STJ)"


def test_emmen_2014_nobody_and_the_mandates_of_the_cjg(kg):
    # 000, 2014: "Doorzettingsmacht voor de regisseur is niet in de opdrachtformulering … opgenomen";
    # "Per 1 januari 2015 is het huidige CJG gemandateerd om besluiten te nemen over de inzet van
    # de benodigde hulp"; "Bij stagnatie kan het CJG besluiten dat opgeschaald dient te worden"
    rows = ask(kg, "doorzettingsmacht", gemeente="Emmen", jaar=2014)
    assert [(r["soort"], r["houder"]) for r in rows] == [
        ("doorzettingsmacht", "niemand"),
        ("zorg inzetten", "Centrum voor Jeugd en Gezin (CJG) Emmen"),
        ("opschalen", "Centrum voor Jeugd en Gezin (CJG) Emmen"),
    ]
    assert all(r["functie"] is None for r in rows)  # resting with the CJG, not with a role
    assert rows[2]["voorwaarde"] == "bij stagnatie"
    assert all("Opdrachtformulering" in r["vastgelegdIn"] for r in rows[1:])
    assert all(r["bron"].startswith("STJ-factsheet Emmen 2014, ") for r in rows)


def test_sittard_geleen_2014_doorzettingsmacht_rests_with_unnamed_partners(kg):
    # 002, 2014: "De doorzettingsmacht is gelegd bij een aantal partners die participeren in de
    # aanpak. De casemanager … is gemachtigd om de benodigde zorg in te zetten."
    rows = ask(kg, "doorzettingsmacht", gemeente="Sittard-Geleen", jaar=2014)
    assert [(r["soort"], r["functie"]) for r in rows] == [
        ("doorzettingsmacht", None),
        ("zorg inzetten", "casemanager"),
    ]
    assert rows[0]["houder"].startswith("netwerkpartners (")
    assert {r["grondslag"] for r in rows} == {"bevinding"}


def test_every_network_has_a_decisive_row_holder_or_nobody(kg):
    rows = ask(kg, "doorzettingsmacht")
    networks = {n["netwerk"].value for n in kg.networks()}
    decisive = {r["netwerk"] for r in rows if r["doorzettingsmacht"]}
    assert decisive == networks
    assert not any(".txt" in (r["bron"] or "") for r in rows)


FIXTURES = Path(__file__).parent / "fixtures"


def test_doorzettingsmacht_fixture_draft_binds_no_one_and_rests_with(capsys):
    """A draft covenant does not make anyone a holder; 'bindt niemand' is said; a power resting
    with an organisation is shown; two weaker powers of one role are both there."""
    data = str(FIXTURES / "bevoegdheden" / "netwerk-y.ttl")
    assert main(["doorzettingsmacht", "--data", data, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_year: dict[int, list[dict]] = {}
    for r in rows:
        by_year.setdefault(r["jaar"], []).append(r)
    y15 = {(r["soort"], r["houder"]): r for r in by_year[2015]}
    assert y15[("doorzettingsmacht", "niemand")]["feit"] is None  # no absence recorded
    draft = y15[("doorzettingsmacht", "wijkteam Y")]
    assert draft["grondslag"] is None and "(concept)" in draft["vastgelegdIn"]
    assert y15[("zorg voorstellen", "wijkteam Y")]["bindendVoor"] == "niemand"
    assert y15[("zorg inzetten", "wijkteam Y")]["functie"] is None  # ggsr:berustBij
    y16 = by_year[2016]
    assert [r["soort"] for r in y16] == ["doorzettingsmacht", "aanspreken", "opschalen"]
    assert y16[0]["bindendVoor"] == "GGZ Y; wijkteam Y"  # ordered
    assert y16[0]["bron"] == "Verslag Y, hoofdstuk 3"

    assert main(["doorzettingsmacht", "--data", data]) == 0  # not a terminal: plain text
    text = capsys.readouterr().out
    assert "Y — Aanpak Y — 2015\n  Doorzettingsmacht: niemand / nobody" in text
    assert "bindt niemand / binds no one; geldt tegenover GGZ Y" in text
    assert (
        "Doorzettingsmacht: gezinsregisseur, vervuld door wijkteam Y, bindt GGZ Y; wijkteam Y, "
        "onder voorwaarde: als de partners het na twee overleggen niet eens zijn" in text
    )
    assert "\x1b" not in text and "…" not in text  # no colours, nothing cut


def test_doorzettingsmacht_on_a_terminal_wraps_instead_of_cutting(kg, monkeypatch, capsys):
    from ggsr_kg import output

    monkeypatch.setattr(output, "is_terminal", lambda: True)
    monkeypatch.setattr(output, "terminal_width", lambda: 80)
    assert main(["doorzettingsmacht", "--gemeente", "Almere"]) == 0
    shown = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)
    assert max(len(line) for line in shown.splitlines()) <= 80
    words = " ".join(shown.split())
    for word in ("brandpuntfunctionaris", "Doorzettingsmacht:", "waarborgen", "Flevoland"):
        assert word in words
    assert "…" not in shown


# ---- escalatiepad -----------------------------------------------------------------------------------


def test_eindhoven_escalation_ends_with_the_wethouder(kg):
    rows = ask(kg, "escalatiepad", gemeente="Eindhoven")
    assert [r["stap"] for r in rows] == sorted(r["stap"] for r in rows)
    last = [r for r in rows if r["laatsteStap"]]
    assert len(last) == 1
    assert "wethouder" in last[0]["actor"].lower()
    assert last[0]["niveau"] == "bestuurlijk niveau"
    first = min(rows, key=lambda r: r["stap"])
    assert first["niveau"] == "uitvoeringsniveau" and "casusoverleg" in first["actor"].lower()


# ---- netwerkpartners / ontbrekende-partijen --------------------------------------------------------


def test_emmen_2013_partners_with_kind_and_leefgebied(kg):
    rows = ask(kg, "netwerkpartners", gemeente="Emmen", jaar=2013)
    by_name = {r["partner"]: r for r in rows}
    # 001: "samenwerkingsverbanden tussen de jeugdgezondheidszorg (Icare en GGD), Bureau
    # Jeugdzorg en maatschappelijke werk- en welzijnorganisaties"
    icare = next(r for n, r in by_name.items() if "Icare" in n)
    assert "jeugdgezondheidszorg" in icare["soort"].lower()
    assert "gezondheid" in icare["leefgebieden"]
    assert any("bureau jeugdzorg" in r["soort"].lower() for r in rows)
    assert {r["jaar"] for r in rows} == {2013}
    assert {r["gemeente"] for r in rows} == {ID + "gemeente-emmen"}


def test_emmen_2013_lacks_work_and_income(kg):
    # 001, 4.2.1: "ontbreken echter de organisaties op het leefgebied van werk en inkomen" — the
    # parties' statement about their enumerations; the recorded partners serve neither domain
    rows = ask(kg, "ontbrekende-partijen", gemeente="Emmen", jaar=2013)
    missing = {(r["soort"], r["ontbreekt"]) for r in rows}
    assert ("leefgebied", "werk") in missing
    assert ("leefgebied", "inkomen") in missing
    assert any(r["wat"] == "https://w3id.org/ggsr/def#WerkEnInkomen" for r in rows)
    assert ("leefgebied", "gezondheid") not in missing  # Icare and the GGD serve it
    # no absence of a party is recorded for Emmen 2013 (silence is not a denial)
    assert {r["hoe"] for r in rows} == {"niet onder de vastgelegde partners"}


def test_sittard_geleen_2013_unnamed_partners_serve_no_known_leefgebied(kg):
    # 002: the three partners of TASs/Mijn Zuid are not named, so no kind and no leefgebied is known;
    # the police is named only as a means of pressure, not as a partner.
    rows = ask(kg, "ontbrekende-partijen", gemeente="Sittard-Geleen", jaar=2013)
    missing = {r["ontbreekt"] for r in rows if r["soort"] == "leefgebied"}
    assert missing == {"gezin", "wonen", "werk", "inkomen", "gezondheid", "onderwijs", "veiligheid"}
    assert {r["wat"].rsplit("#")[-1] for r in rows if r["soort"] == "partij"} == {
        "Politie",
        "WerkEnInkomen",
    }


def test_ontbrekende_partijen_recorded_absences_with_basis_and_source(capsys):
    data = str(FIXTURES / "bevoegdheden" / "netwerk-y.ttl")
    argv = ["query", "ontbrekende-partijen", "--data", data, "--param", "jaar=2016"]
    assert main([*argv, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    recorded = {(r["soort"], r["ontbreekt"]): r for r in rows if r["hoe"] == "vastgesteld"}
    assert set(recorded) == {("partij", "politie"), ("leefgebied", "wonen")}
    assert recorded[("partij", "politie")]["grondslag"] == "bevinding"
    assert recorded[("partij", "politie")]["bron"] == "Verslag Y, hoofdstuk 4"
    # GGZ serves health: not missing; the police is also not among the recorded partners
    derived = {r["ontbreekt"] for r in rows if r["hoe"] == "niet onder de vastgelegde partners"}
    assert "gezondheid" not in derived and "politie" in derived


# ---- ontwikkeling (STJ verdicts 2013 → 2014, by municipality) --------------------------------------

SITTARD_CHANGED = {"3.1.6", "3.1.7", "3.2.2", "3.4.2", "4.1.2", "4.2.2", "5.1.1"}


def test_sittard_geleen_changes_across_a_change_of_approach(kg):
    rows = ask(kg, "ontwikkeling", gemeente="Sittard-Geleen")
    # 002: all 2013 improvement points except "dezelfde omschrijving van GGSR" (1.1.1) are met in 2014
    assert {r["indicator"] for r in rows} == SITTARD_CHANGED
    assert {(r["van"], r["naar"]) for r in rows} == {("verbeterpunt", "voldoet")}
    assert {(r["vanJaar"], r["jaar"]) for r in rows} == {(2013, 2014)}
    assert {r["aanpakVan"] for r in rows} == {"TASs/Mijn Zuid"}
    assert {r["aanpakNaar"] for r in rows} == {"CJG"}


def test_emmen_and_bergen_op_zoom_changes(kg):
    emmen = {r["indicator"] for r in ask(kg, "ontwikkeling", gemeente="Emmen", jaar=2014)}
    # 000: 3.2.2 and 5.1.1 stay ✗; the other five re-assessed points became ✓
    assert emmen == {"3.4.2", "4.1.2", "4.2.1", "4.2.2", "5.2.1"}
    boz = {r["indicator"] for r in ask(kg, "ontwikkeling", gemeente="Bergen op Zoom")}
    # 003: gezin centraal (3 indicators), niet loslaten, regie, duur of care became ✓
    assert boz == {"2.1.1", "2.2.1", "2.3.1", "3.4.2", "4.1.1", "5.1.1"}


def test_ontwikkeling_without_parameters_covers_every_municipality(kg):
    rows = ask(kg, "ontwikkeling")
    sittard = {r["indicator"] for r in rows if r["gemeente"] == ID + "gemeente-sittard-geleen"}
    assert sittard == SITTARD_CHANGED


# ---- time: kinds that ceased or began by law, municipalities that merged ----------------------------


def test_soorten_opvolging_is_the_succession_table_of_the_ontology(kg):
    rows = {r["soortNaam"]: r for r in ask(kg, "soorten-opvolging")}
    bjz = rows["Bureau Jeugdzorg (BJZ)"]
    assert bjz["tot"] == "2015-01-01" and bjz["vanaf"] is None
    assert set(bjz["opvolgers"].split("; ")) == {
        "gecertificeerde instelling",
        "Veilig Thuis",
        "gemeentelijke toegang",
    }
    assert "Jeugdwet" in bjz["rechtsgrond"].split("; ")
    assert "https://wetten.overheid.nl/BWBR0034925/2015-01-01" in bjz["bronnen"].split("; ")
    assert rows["Veilig Thuis"]["vanaf"] == "2015-01-01"
    assert rows["stadsregio (plusregio)"]["opvolgers"] == "jeugdregio"
    # every dated kind names its legal basis and the public text it was checked against
    assert all(r["rechtsgrond"] and r["bronnen"] for r in rows.values())


FUSIE = Path(__file__).parent / "fixtures" / "opvolging" / "friese-meren.ttl"


def test_gemeente_nu_follows_a_real_merger_to_the_municipality_of_today():
    """Skarsterlân (2013) → De Friese Meren (2014) → De Fryske Marren (2015): the 2013 network stays
    with Skarsterlân and the query follows it two steps to De Fryske Marren."""
    from ggsr_kg.graph import KnowledgeGraph

    kg = KnowledgeGraph.default(data=[FUSIE])
    (row,) = ask(kg, "gemeente-nu", gemeente="GM0051")
    assert row["gemeente"] == ID + "gemeente-skarsterlan" and row["jaar"] == 2013
    assert (row["gemeenteNuNaam"], row["cbsCodeNu"]) == ("De Fryske Marren", "GM1940")


def test_the_merger_in_the_fixture_is_the_one_in_the_open_data_snapshot():
    """The fixture's chain agrees with data/opendata/gemeenten.csv: each predecessor ends where its
    successor begins (the CSV writes either the last day or the first day after)."""
    import datetime

    import rdflib

    from ggsr_kg import opendata

    rij = {g.cbs_code: g for g in opendata.gemeenten()}
    g = rdflib.Graph().parse(FUSIE)
    ggsr = rdflib.Namespace("https://w3id.org/ggsr/def#")
    paren = [
        (str(g.value(a, ggsr.cbsCode)), str(g.value(b, ggsr.cbsCode)))
        for a, b in g.subject_objects(ggsr.opgevolgdDoor)
    ]
    assert sorted(paren) == [("GM0051", "GM1921"), ("GM0653", "GM1921"), ("GM1921", "GM1940")]
    for oud, nieuw in paren:
        einde, begin = rij[oud].geldig_tot, rij[nieuw].geldig_vanaf
        assert einde is not None, f"{oud} has ended in the snapshot"
        if begin is not None:  # GM1940: beginning unknown (1900-01-01) in the CSV
            assert datetime.timedelta(0) <= begin - einde <= datetime.timedelta(days=1)


def test_gemeente_nu_without_a_merger_is_the_municipality_itself(kg):
    rows = ask(kg, "gemeente-nu")
    assert rows and all(r["gemeenteNu"] == r["gemeente"] for r in rows)
    assert {r["gemeenteNuNaam"] for r in ask(kg, "gemeente-nu", gemeente="Emmen")} == {"Emmen"}


# ---- G7: verwijsindex, bjz-model, zorgniveaus, rollen ---------------------------------------------


@pytest.mark.parametrize(
    "gemeente, index",
    [
        ("Den Haag", "Haagse Verwijsindex"),
        ("Utrecht", "@RISK"),
        ("Rotterdam", "SISA"),
        ("Almere", "ESAR"),
        ("Tilburg", "Zorg voor Jeugd"),
        ("Eindhoven", "Zorg voor Jeugd"),
    ],
)
def test_verwijsindex_per_g7_city(kg, gemeente, index):
    assert index in {r["verwijsindex"] for r in ask(kg, "verwijsindex", gemeente=gemeente)}


def test_amsterdam_2009_uses_no_verwijsindex_yet(kg):
    # 004, bijlage 3.2: "momenteel Matchpoint aan het ontwikkelen" — in development, not in use
    assert ask(kg, "verwijsindex", gemeente="Amsterdam") == []


def test_bjz_model_den_haag_physical_almere_chain(kg):
    # 004: "de situaties in Den Haag (model 1) en Almere (model 2)"
    assert {r["modelnummer"] for r in ask(kg, "bjz-model", gemeente="Den Haag")} == {1}
    assert {r["modelnummer"] for r in ask(kg, "bjz-model", gemeente="Almere")} == {2}


def test_almere_care_pyramid_has_five_levels_with_thresholds(kg):
    rows = ask(kg, "zorgniveaus", gemeente="Almere")
    assert sorted(r["niveau"] for r in rows) == [1, 2, 3, 4, 5]
    level = {r["niveau"]: r for r in rows}
    # "niveau drie wanneer er bij een gezin vier of meer professionals betrokken zijn"
    assert level[3]["drempelProfessionals"] == 4
    assert "procescoördinator" in level[3]["actor"].lower()
    # brandpuntfunctionaris "roept alle betrokken instellingen bij elkaar, indien nodig binnen 48 uur"
    # "PT48H"^^xsd:duration; Oxigraph returns a duration in canonical form (P2D)
    assert level[4]["termijn"] in {"PT48H", "P2D"}
    assert "brandpunt" in level[4]["actor"].lower()


def test_rollen_almere_and_sittard_geleen(kg):
    almere = {r["functie"]: r for r in ask(kg, "rollen", gemeente="Almere")}
    brandpunt = almere["brandpuntfunctionaris"]
    assert "doorzettingsmacht" in brandpunt["bevoegdheden"]
    assert "aanwijzingsbevoegdheid" in brandpunt["bevoegdheden"].lower()
    sittard = {r["functie"]: r for r in ask(kg, "rollen", gemeente="Sittard-Geleen", jaar=2014)}
    # 002: "De casemanager fungeert als regisseur en is gemachtigd om de benodigde zorg in te zetten"
    assert "de benodigde zorg inzetten" in sittard["casemanager"]["bevoegdheden"]
    assert sittard["casemanager"]["soort"] == "casemanager"


# ---- bronnen (facts per source) ---------------------------------------------------------------------


def test_bronnen_001_includes_emmen_gezinscoordinator(kg):
    rows = ask(kg, "bronnen", bron="001_d7b3a60144a78fbc.txt")
    # named by its title, never its file name
    assert {r["bronNaam"] for r in rows} == {"STJ-bevindingen Emmen 2013"}
    gc = [r for r in rows if r["feit"].startswith(ID + "emmen-2013-gezinscoordinator")]
    assert gc and gc[0]["soort"] == "gezinscoördinator"
    assert any("gezinscoördinator" in (r["citaat"] or "") for r in gc)
    assert all(r["plaats"] for r in rows)
    assert not any("bestandsnaam" in r or ".txt" in str(r.values()) for r in rows)


def test_bronnen_by_name_title_or_file_name_give_the_same_rows(kg):
    by_file = ask(kg, "bronnen", bron="001_d7b3a60144a78fbc.txt")
    assert ask(kg, "bronnen", bron="STJ-bevindingen Emmen 2013") == by_file
    assert (
        ask(kg, "bronnen", bron="Bevindingen toezichtonderzoek Emmen, aanpak CJG-aanpak (2013)")
        == by_file
    )


def test_bronnen_names_statements_findings_and_absences_by_what_they_are(kg):
    rows = ask(kg, "bronnen", bron="STJ-factsheet Emmen 2014")
    names = {r["feit"].removeprefix(ID): r["naam"] for r in rows}
    # a finding without a label is named by who found it; a labelled absence by its label
    assert names["emmen-2014-bevinding-doorzettingsmacht"] == (
        "bevinding van Samenwerkend Toezicht Jeugd (STJ)"
    )
    assert names["emmen-2014-geen-doorzettingsmacht"].startswith(
        "doorzettingsmacht voor de regisseur"
    )
    grounds = {r["feit"].removeprefix(ID): r["grondslag"] for r in rows}
    assert grounds["emmen-2014-geen-doorzettingsmacht"] == "bevinding"
    assert grounds["emmen-2014-cjg-inzet-zorg"] == "document"


def test_bronnen_002_includes_the_sittard_geleen_casemanager_and_verdicts(kg):
    rows = ask(kg, "bronnen", bron="002_f5c262eac77f0a24.txt")
    feiten = {r["feit"] for r in rows}
    assert ID + "sittard-geleen-2014-casemanager" in feiten
    assert ID + "oordeel-sittard-geleen-2014-3.2.2" in feiten
    verdict = next(r for r in rows if r["feit"] == ID + "oordeel-sittard-geleen-2014-3.2.2")
    assert verdict["naam"] == "STJ-oordeel over indicator 3.2.2"
    assert not any(r["feit"].startswith(ID + "emmen-") for r in rows)


def test_bronnen_unknown_file_gives_no_rows(kg):
    assert ask(kg, "bronnen", bron="999_onbekend.txt") == []


# ---- checks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CHECKS)
def test_violation_queries_find_nothing(kg, name):
    names, rows = run(kg, find_query(name))
    assert rows == [], f"{name}: {[{n: str(r[n]) for n in names} for r in rows[:10]]}"


def test_a_violation_is_exit_code_1(tmp_path, capsys):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ggsr: <https://w3id.org/ggsr/def#> .\n"
        "<https://w3id.org/ggsr/id/x-oordeel> a ggsr:Oordeel .\n",
        encoding="utf-8",
    )
    assert main(["query", "oordeel-zonder-bron-violation", "--data", str(bad)]) == 1
    assert "violation" in capsys.readouterr().err


# ---- output formats through the CLI ---------------------------------------------------------------


def test_json_is_an_array_keyed_by_variable_names(capsys):
    assert main(["query", "rollen", "--param", "gemeente=Almere", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and data
    assert list(data[0]) == ["gemeenteNaam", "aanpakNaam", "jaar", "functie", "soort", "houder",
                             "bevoegdheden", "gemeente", "rol"]  # fmt: skip
    assert all(isinstance(r["jaar"], int) for r in data)


def test_csv_has_a_header_row(capsys):
    assert main(["query", "verwijsindex", "--format", "csv"]) == 0
    rows = [r for r in csv.reader(io.StringIO(capsys.readouterr().out)) if r]
    assert rows[0] == ["gemeenteNaam", "aanpakNaam", "jaar", "verwijsindex", "omschrijving",
                       "gemeente", "index"]  # fmt: skip
    assert len(rows) > 1 and all(len(r) == len(rows[0]) for r in rows)


def test_lijst_names_every_query(capsys):
    assert main(["query", "--lijst"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in named_queries())


# ---- parameters are RDF terms, never text ------------------------------------------------------------


HOSTILE_NAMES = ['Emmen" } ; DROP ALL ; {', "x}{", "a\nb", "Emmen> } UNION { ?s ?p ?o"]


@pytest.mark.parametrize("hostile", HOSTILE_NAMES)
def test_hostile_gemeente_is_an_unknown_municipality(kg, hostile):
    before = len(kg)
    with pytest.raises(InputError) as info:
        run(kg, find_query("rollen"), {"gemeente": hostile})
    assert info.value.exit_code == 2
    assert len(kg) == before


def test_hostile_gemeente_on_the_command_line_is_exit_code_2(capsys):
    assert main(["query", "rollen", "--param", f"gemeente={HOSTILE_NAMES[0]}"]) == 2
    captured = capsys.readouterr()
    assert "unknown municipality" in captured.err and captured.out == ""


@pytest.mark.parametrize(
    "hostile",
    [
        '001_d7b3a60144a78fbc.txt" } UNION { ?feit ?p ?o } #',
        '"} UNION { ?s ?p ?o }',
        "x}{",
        'a"\nb',
    ],
)
def test_hostile_literal_matches_like_an_honest_unknown_value(kg, hostile):
    honest = run(kg, find_query("bronnen"), {"bron": "niet-bestaand.txt"})
    names, rows = run(kg, find_query("bronnen"), {"bron": hostile})
    assert names == honest[0]
    assert rows == honest[1] == []


def test_literal_param_in_a_non_projected_position_is_joined_as_values(kg, tmp_path):
    # a query that does not project its parameter gets a VALUES block of RDF terms
    rq = tmp_path / "labels.rq"
    rq.write_text(
        "# Labels / labels\n# @param naam: a label\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?x WHERE { ?x rdfs:label ?l . FILTER(STR(?l) = ?naam) }\n",
        encoding="utf-8",
    )
    q = find_query(str(rq))
    assert run(kg, q, {"naam": '"} UNION { ?s ?p ?o }'})[1] == []
    assert run(kg, q, {"naam": "geen label dat bestaat"})[1] == []
    assert run(kg, q, {"naam": "verbeterpunt"})[1]  # kader:verbeterpunt has that label


def test_bad_year_and_unknown_parameter_are_input_errors(kg):
    with pytest.raises(InputError):
        run(kg, find_query("rollen"), {"jaar": "2014; DROP"})
    with pytest.raises(InputError):
        run(kg, find_query("rollen"), {"onbekend": "x"})
    assert main(["query", "rollen", "--param", "jaar=twintig"]) == 2


# ---- Python API -------------------------------------------------------------------------------------


def test_api_query_returns_plain_values(kg):
    rows = api.query(kg, "zorgniveaus", gemeente="Almere")
    assert rows and all(isinstance(r["niveau"], int) for r in rows)
    assert all(
        isinstance(r["gemeente"], str) and not isinstance(r["gemeente"], ox.NamedNode) for r in rows
    )


def test_api_query_df(kg):
    pd = pytest.importorskip("pandas")
    df = api.query_df(kg, "ontwikkeling", gemeente="Sittard-Geleen")
    assert isinstance(df, pd.DataFrame)
    assert set(df["indicator"]) == SITTARD_CHANGED
    assert list(df.columns)[:3] == ["gemeenteNaam", "indicator", "indicatorNaam"]


def test_api_query_df_without_pandas_says_how_to_install(kg, monkeypatch):
    import builtins

    real = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("no pandas")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match="pip install pandas"):
        api.query_df(kg, "verwijsindex")
