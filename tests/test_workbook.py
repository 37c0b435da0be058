"""The inspector's workbook: template, import, export and the round trip between them.

What "the facts the workbook covers" means is defined here, once, by :func:`gedekte_feiten`: the
same SPARQL CONSTRUCT queries run on the shipped data and on the re-imported workbook, instance
IRIs (``id:``) become blank nodes, and the two graphs must be isomorphic (docs/werkboek.md,
"Wat het werkboek bevat").
"""

from __future__ import annotations

import json
import os
import re
import shutil
import string
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF, RDFS, SKOS

from ggsr_kg.cli import main
from ggsr_kg.errors import InputError
from ggsr_kg.namespaces import GGSR, ID, ORG
from ggsr_kg.resources import resource_dir
from ggsr_kg.workbook.importer import import_werkboek
from ggsr_kg.workbook.indicatoren import Gebruik
from ggsr_kg.workbook.mapping import BLADEN, lijsten, norm
from ggsr_kg.workbook.template import schrijf

FIXTURES = Path(__file__).parent / "fixtures" / "workbook"
VOORBEELD = FIXTURES / "voorbeeld.xlsx"
GEMEENTEN = ["Sittard-Geleen", "Bergen op Zoom", "Amsterdam", "Emmen", "Almere", "Eindhoven"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def ontologie() -> Graph:
    """The ontology, read here independently of ggsr_kg.workbook.mapping."""
    g = Graph()
    root = resource_dir("ontology")
    for name in ("ggsr.ttl", "codelijsten.ttl", "imports/external.ttl"):
        g.parse(root / name, format="turtle")
    return g


@pytest.fixture(scope="module")
def bron() -> Graph:
    """The shipped data (no ontology, no inference)."""
    g = Graph()
    for f in sorted(resource_dir("data").rglob("*.ttl")):
        g.parse(f, format="turtle")
    return g


def bestaande_gemeenten(bron: Graph) -> list[str]:
    namen = {
        norm(str(label))
        for a in bron.subjects(GGSR.gemeente, None)
        for gem in bron.objects(a, GGSR.gemeente)
        for label in bron.objects(gem, RDFS.label)
    }
    return [g for g in GEMEENTEN if norm(g) in namen]


# ---- the covered facts ------------------------------------------------------------------------

PREFIXES = """PREFIX ggsr: <https://w3id.org/ggsr/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def subklassen(ont: Graph, *wortels: str) -> set[URIRef]:
    uit: set[URIRef] = set()
    for w in wortels:
        uit |= {
            c for c in ont.transitive_subjects(RDFS.subClassOf, GGSR[w]) if isinstance(c, URIRef)
        }
    return uit


def _values(var: str, termen) -> str:
    return f"VALUES ?{var} {{ {' '.join(t.n3() for t in sorted(termen))} }}"


def _soort(patroon: str, lijst, standaard: URIRef) -> list[str]:
    """The node's most specific class from the list, or ``standaard`` when it has none."""
    return [
        f"""CONSTRUCT {{ ?x a ?t }} WHERE {{ {patroon} ?x a ?t . {_values("t", lijst)}
              FILTER NOT EXISTS {{ ?x a ?u . FILTER(?u != ?t) ?u rdfs:subClassOf+ ?t }} }}""",
        f"""CONSTRUCT {{ ?x a {standaard.n3()} }} WHERE {{ {patroon}
              FILTER NOT EXISTS {{ ?x a ?t . {_values("t", lijst)} }} }}""",
    ]


def _eigenschappen(patroon: str, props: str) -> str:
    """Every value of these properties of ?x (labels in Dutch only)."""
    p = _values("p", [_iri(x) for x in props.split()])
    return f"""CONSTRUCT {{ ?x ?p ?o }} WHERE {{ {patroon} ?x ?p ?o . {p}
                 FILTER(?p != rdfs:label || lang(?o) = "nl") }}"""


def _iri(qname: str) -> URIRef:
    prefix, local = qname.split(":")
    ns = {
        "ggsr": str(GGSR),
        "org": "http://www.w3.org/ns/org#",
        "dct": "http://purl.org/dc/terms/",
        "rdfs": str(RDFS),
    }
    return URIRef(ns[prefix] + local)


def gedekte_feiten(data: Graph, ont: Graph, netwerken: list[URIRef]) -> Graph:
    """THE DEFINITION of what the workbook covers, for the networks ``netwerken`` in ``data``.

    - network: its approach (label) and municipality, year, number of families, registration
      point, directing body, referral index, CJG–BJZ model, documents, target-group definitions,
      escalation models, members (org:hasMember, also for ggsr:kernpartner), core partners and who
      registers families (ggsr:meldtAan);
    - roles (org:postIn the network): most specific class, label, holders, profile, tasks,
      maximum caseload; their authorities: class, label, binding on, towards, condition, laid
      down in, granted by;
    - escalation models: label, laid down in, steps with position, level, actor, trigger, action,
      label and next step;
    - documents of the network: class, title (else label), date, parties, topics, creator, the
      approaches of these networks they are specific to;
    - target-group definitions (text, used by) and statements (topic, by, affirms, text);
    - every party named in the above, and recursively what it is a unit of, its members and its
      funders: class (most specific, else ggsr:Organisatie), Dutch label, unit of, members,
      funded by, explicit leefgebieden, and the CBS code of a municipality.

    Not covered: comments, provenance (the workbook gets its own), network labels, successors
    (ggsr:opvolgerVan), assignment rules, frequency, step thresholds and time limits, verdicts.
    """
    store = ox.Store()
    for g in (data, ont):
        nt = g.serialize(format="nt", encoding="utf-8")
        store.bulk_extend(
            ox.Quad(t.subject, t.predicate, t.object)
            for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
        )
    nets = _values("net", netwerken)
    functies = subklassen(ont, "Functie")
    q = [
        f"""CONSTRUCT {{ ?net a ggsr:Netwerk ; ggsr:aanpak ?a ; ggsr:peiljaar ?j .
                        ?a a ggsr:Aanpak ; rdfs:label ?al ; ggsr:gemeente ?gem . }}
            WHERE {{ {nets} ?net ggsr:aanpak ?a ; ggsr:peiljaar ?j .
                     ?a ggsr:gemeente ?gem ; rdfs:label ?al FILTER(lang(?al) = "nl") }}""",
        _eigenschappen(
            f"{nets} BIND(?net AS ?x)",
            "ggsr:geschatAantalGezinnen ggsr:meldpunt ggsr:regievoerder ggsr:verwijsindex "
            "ggsr:cjgBjzModel ggsr:document ggsr:doelgroepomschrijving ggsr:escalatiemodel "
            "ggsr:kernpartner org:hasMember",
        ),
        f"CONSTRUCT {{ ?net org:hasMember ?o }} WHERE {{ {nets} ?net ggsr:kernpartner ?o }}",
        f"CONSTRUCT {{ ?o ggsr:meldtAan ?net }} WHERE {{ {nets} ?o ggsr:meldtAan ?net }}",
    ]
    rol = f"{nets} ?x org:postIn ?net . FILTER EXISTS {{ ?x a ?ft . {_values('ft', functies)} }}"
    q.append(
        _eigenschappen(
            rol, "org:postIn rdfs:label org:heldBy ggsr:profiel ggsr:taak ggsr:maximaleCaseload"
        )
    )
    q += _soort(rol, functies, GGSR.Functie)
    bev = (
        f"{nets} ?f org:postIn ?net ; ggsr:bevoegdheid|^ggsr:vanFunctie ?x . "
        f"FILTER EXISTS {{ ?f a ?ft . {_values('ft', functies)} }}"
    )
    q.append(f"CONSTRUCT {{ ?f ggsr:bevoegdheid ?x }} WHERE {{ {bev} }}")
    q.append(
        _eigenschappen(
            bev,
            "rdfs:label ggsr:bindt ggsr:geldtTegenover ggsr:voorwaarde ggsr:vastgelegdIn "
            "ggsr:verleendDoor",
        )
    )
    q += _soort(bev, subklassen(ont, "Bevoegdheid"), GGSR.Bevoegdheid)
    model = f"{nets} ?net ggsr:escalatiemodel ?x ."
    q.append(f"CONSTRUCT {{ ?x a ggsr:Escalatiemodel }} WHERE {{ {model} }}")
    q.append(_eigenschappen(model, "rdfs:label ggsr:vastgelegdIn ggsr:stap"))
    stap = f"{nets} ?net ggsr:escalatiemodel/ggsr:stap ?x ."
    q.append(f"CONSTRUCT {{ ?x a ggsr:Escalatiestap }} WHERE {{ {stap} }}")
    q.append(
        _eigenschappen(
            stap,
            "ggsr:volgnummer ggsr:niveau ggsr:actor ggsr:aanleiding ggsr:handeling rdfs:label "
            "ggsr:volgendeStap",
        )
    )
    doc = f"{nets} ?net ggsr:document ?x ."
    q.append(
        f"""CONSTRUCT {{ ?x dct:title ?t }} WHERE {{ {doc} OPTIONAL {{ ?x dct:title ?t0 }}
              OPTIONAL {{ ?x rdfs:label ?l0 FILTER(lang(?l0) = "nl") }}
              BIND(COALESCE(?t0, ?l0) AS ?t) }}"""
    )
    q.append(_eigenschappen(doc, "dct:issued ggsr:partij ggsr:regelt dct:creator"))
    q.append(
        f"""CONSTRUCT {{ ?x ggsr:betreftAanpak ?a }} WHERE {{ {doc} ?x ggsr:betreftAanpak ?a .
              ?n2 ggsr:aanpak ?a . {_values("n2", netwerken)} }}"""
    )
    q += _soort(doc, subklassen(ont, "Document"), GGSR.Document)
    dg = f"{nets} ?net ggsr:doelgroepomschrijving ?x ."
    q.append(f"CONSTRUCT {{ ?x a ggsr:Doelgroepomschrijving }} WHERE {{ {dg} }}")
    q.append(_eigenschappen(dg, "ggsr:tekst ggsr:gehanteerdDoor"))
    vk = f"{nets} ?x ggsr:netwerk ?net ; a ggsr:Verklaring ."
    q.append(f"CONSTRUCT {{ ?x a ggsr:Verklaring }} WHERE {{ {vk} }}")
    q.append(
        _eigenschappen(
            vk, "ggsr:netwerk ggsr:onderwerp ggsr:verklaardDoor ggsr:bevestigt ggsr:tekst"
        )
    )
    partijen = f"""SELECT DISTINCT ?o WHERE {{ {nets}
          {{ ?net ggsr:meldpunt|ggsr:regievoerder|org:hasMember|ggsr:kernpartner ?r }}
          UNION {{ ?r ggsr:meldtAan ?net }}
          UNION {{ ?net ggsr:aanpak/ggsr:gemeente ?r }}
          UNION {{ ?f org:postIn ?net ; org:heldBy ?r }}
          UNION {{ ?f org:postIn ?net ; ggsr:bevoegdheid|^ggsr:vanFunctie ?b .
                   ?b ggsr:bindt|ggsr:geldtTegenover|ggsr:verleendDoor ?r }}
          UNION {{ ?net ggsr:escalatiemodel/ggsr:stap/ggsr:actor ?r }}
          UNION {{ ?net ggsr:document ?d . ?d ggsr:partij|dct:creator ?r }}
          UNION {{ ?net ggsr:doelgroepomschrijving/ggsr:gehanteerdDoor ?r }}
          UNION {{ ?v ggsr:netwerk ?net ; a ggsr:Verklaring ; ggsr:verklaardDoor ?r }}
          ?r (org:unitOf|org:hasMember|^ggsr:financiert)* ?o .
          FILTER(isIRI(?o))
          FILTER NOT EXISTS {{ ?o a ggsr:Netwerk }}
          FILTER NOT EXISTS {{ ?o org:postIn ?n3 . {_values("n3", netwerken)} }} }}"""
    orgs = [URIRef(r["o"].value) for r in store.query(PREFIXES + partijen)]
    if orgs:
        org = _values("x", orgs)
        q.append(_eigenschappen(org, "rdfs:label org:unitOf org:hasMember ggsr:leefgebied"))
        q.append(f"CONSTRUCT {{ ?f ggsr:financiert ?x }} WHERE {{ {org} ?f ggsr:financiert ?x }}")
        q.append(
            f"CONSTRUCT {{ ?x ggsr:cbsCode ?c }} WHERE {{ {org} ?x a ggsr:Gemeente ; ggsr:cbsCode ?c }}"
        )
        q += _soort(org, subklassen(ont, "Organisatie", "Overleg", "Overheid"), GGSR.Organisatie)
    out = Graph()
    for query in q:
        triples = list(store.query(PREFIXES + query))
        if triples:
            out.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return anoniem(out)


def anoniem(g: Graph) -> Graph:
    """Instance IRIs (id:) become blank nodes: the comparison is on structure and values."""
    knopen: dict[URIRef, BNode] = {}

    def k(t):
        if isinstance(t, URIRef) and str(t).startswith(str(ID)):
            return knopen.setdefault(t, BNode())
        return t

    uit = Graph()
    for s, p, o in g:
        uit.add((k(s), p, k(o)))
    return uit


def netwerken_van(g: Graph, gemeente: str, jaar: int | None = None) -> list[URIRef]:
    uit = []
    for a, gem in g.subject_objects(GGSR.gemeente):
        if norm(gemeente) not in {norm(str(label)) for label in g.objects(gem, RDFS.label)}:
            continue
        for net in g.subjects(GGSR.aanpak, a):
            if jaar is None or int(g.value(net, GGSR.peiljaar)) == jaar:
                uit.append(net)
    return uit


def assert_isomorf(a: Graph, b: Graph) -> None:
    if not isomorphic(a, b):
        _, alleen_a, alleen_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
        pytest.fail(
            f"niet isomorf ({len(a)} vs {len(b)} triples)\nalleen bron:\n"
            + "\n".join(map(str, sorted(alleen_a)[:20]))
            + "\nalleen werkboek:\n"
            + "\n".join(map(str, sorted(alleen_b)[:20]))
        )


# ---- the template ------------------------------------------------------------------------------


def ontologie_labels(ont: Graph, naam: str) -> set[str]:
    """The Dutch labels a list must hold, computed straight from the ontology."""

    def nl(node, *props):
        for p in props:
            for o in ont.objects(node, p):
                if isinstance(o, Literal) and o.language == "nl":
                    return str(o)
        return None

    klassen = {
        "Organisatiesoort": ("Organisatie", "Overleg", "Overheid"),
        "Functiesoort": ("Functie",),
        "Bevoegdheidsoort": ("Bevoegdheid",),
        "Documentsoort": ("Document",),
    }
    schemas = {
        "Escalatieniveau": "Escalatieniveaus",
        "Onderwerp": "Onderwerpen",
        "Leefgebied": "Leefgebieden",
        "Verwijsindex": "Verwijsindexen",
        "CJG-BJZ-model": "CjgBjzModellen",
    }
    if naam in klassen:
        # a kind that ceased (ggsr:bestaatTot) is offered marked with the year it ended
        return {
            nl(c, RDFS.label)
            + (
                f" (tot {str(ont.value(c, GGSR.bestaatTot))[:4]})"
                if ont.value(c, GGSR.bestaatTot)
                else ""
            )
            for c in subklassen(ont, *klassen[naam])
        }
    if naam in schemas:
        return {
            nl(c, SKOS.prefLabel, RDFS.label)
            for c in ont.subjects(SKOS.inScheme, GGSR[schemas[naam]])
        }
    return {"Netwerkrol": {"partner", "kernpartner", "meldt aan"}, "Ja/nee": {"ja", "nee"}}[naam]


def test_template_has_drop_downs_with_the_ontology_labels(capsys, tmp_path, ontologie):
    pad = tmp_path / "leeg.xlsx"
    code, out, err = run(capsys, "sjabloon", "--out", pad)
    assert code == 0 and pad.is_file()
    assert "ggsr-kg import" in err
    wb = load_workbook(pad)
    assert wb.sheetnames[0] == "Instructie"
    assert wb["Lijsten"].sheet_state == "hidden"
    lijst_ws = wb["Lijsten"]
    kolommen = {c.value: c.column_letter for c in lijst_ws[1]}
    gecontroleerd = 0
    for blad in BLADEN:
        ws = wb[blad.naam]
        assert [c.value for c in ws[1]] == [k.kop for k in blad.alle_kolommen]
        assert ws.max_row == 1, "the template is empty"
        for j, k in enumerate(blad.alle_kolommen, start=1):
            if not k.lijst:
                continue
            letter = ws.cell(row=1, column=j).column_letter
            dvs = [
                dv
                for dv in ws.data_validations.dataValidation
                if f"{letter}2" in dv.sqref and dv.type == "list"
            ]
            assert len(dvs) == 1, f"{blad.naam}.{k.kop}: geen uitklapmenu"
            formule = dvs[0].formula1
            assert formule.startswith("Lijsten!$" + kolommen[k.lijst] + "$2:"), formule
            eind = int(formule.rsplit("$", 1)[1])
            waarden = [lijst_ws[f"{kolommen[k.lijst]}{i}"].value for i in range(2, eind + 1)]
            assert None not in waarden and len(waarden) == len(set(waarden))
            assert set(waarden) == ontologie_labels(ontologie, k.lijst), k.lijst
            # single values: the drop-down refuses anything else; several values: it advises
            assert dvs[0].showErrorMessage == (not k.meervoud)
            gecontroleerd += 1
    assert gecontroleerd >= 12
    assert set(lijsten()) == set(kolommen)


def test_template_as_csv_folder(capsys, tmp_path):
    map_ = tmp_path / "sjabloon"
    code, _, _ = run(capsys, "sjabloon", "--out", f"{map_}/")
    assert code == 0
    for blad in BLADEN:
        kop = (map_ / f"{blad.naam}.csv").read_text(encoding="utf-8-sig").splitlines()[0]
        assert kop == ",".join(k.kop for k in blad.alle_kolommen)
    assert (map_ / "Instructie.txt").read_text(encoding="utf-8").startswith("Werkboek")


def test_template_refuses_other_extensions(capsys, tmp_path):
    code, _, err = run(capsys, "sjabloon", "--out", tmp_path / "sjabloon.ods")
    assert code == 2 and ".xlsx" in err


# ---- round trip: export → import ---------------------------------------------------------------


def test_at_least_three_municipalities_to_round_trip(bron):
    assert len(bestaande_gemeenten(bron)) >= 3, bestaande_gemeenten(bron)


@pytest.mark.parametrize("gemeente", GEMEENTEN)
def test_round_trip_is_isomorphic(capsys, tmp_path, bron, ontologie, gemeente):
    if gemeente not in bestaande_gemeenten(bron):
        pytest.skip(f"{gemeente}: no data shipped (yet)")
    xlsx, ttl = tmp_path / "netwerk.xlsx", tmp_path / "netwerk.ttl"
    code, out, err = run(capsys, "export", "--gemeente", gemeente, "--out", xlsx)
    assert code == 0, err
    code, out, err = run(capsys, "import", xlsx, "--out", ttl)
    assert code == 0, err
    assert f"ggsr-kg validate --data {ttl}" in out
    terug = Graph().parse(ttl, format="turtle")
    bron_feiten = gedekte_feiten(bron, ontologie, netwerken_van(bron, gemeente))
    assert len(bron_feiten) > 100
    assert_isomorf(bron_feiten, gedekte_feiten(terug, ontologie, netwerken_van(terug, gemeente)))


def test_round_trip_of_one_year_through_csv(capsys, tmp_path, bron, ontologie):
    gemeente = next(g for g in ("Emmen", "Sittard-Geleen") if g in bestaande_gemeenten(bron))
    map_, ttl = tmp_path / "csv", tmp_path / "netwerk.ttl"
    assert (
        run(capsys, "export", "--gemeente", gemeente, "--jaar", 2014, "--out", f"{map_}/")[0] == 0
    )
    assert (map_ / "Functies.csv").is_file()
    code, _, err = run(capsys, "import", f"{map_}/", "--out", ttl)
    assert code == 0, err
    terug = Graph().parse(ttl, format="turtle")
    assert_isomorf(
        gedekte_feiten(bron, ontologie, netwerken_van(bron, gemeente, 2014)),
        gedekte_feiten(terug, ontologie, netwerken_van(terug, gemeente, 2014)),
    )


def test_scorecard_survives_the_round_trip(capsys, tmp_path, bron):
    gemeente = next(g for g in ("Emmen", "Sittard-Geleen") if g in bestaande_gemeenten(bron))
    xlsx, ttl = tmp_path / "n.xlsx", tmp_path / "n.ttl"
    assert run(capsys, "export", "--gemeente", gemeente, "--jaar", 2014, "--out", xlsx)[0] == 0
    assert run(capsys, "import", xlsx, "--out", ttl)[0] == 0
    _, out, _ = run(capsys, "validate", "--gemeente", gemeente, "--jaar", 2014, "--format", "json")
    voor = {s["indicator"]: s["status"] for s in json.loads(out)}
    _, out, _ = run(capsys, "validate", "--data", ttl, "--format", "json")
    na = {s["indicator"]: s["status"] for s in json.loads(out)}
    assert voor == na


def test_export_of_unknown_municipality_or_year(capsys, tmp_path):
    code, _, err = run(capsys, "export", "--gemeente", "Atlantis", "--out", tmp_path / "a.xlsx")
    assert code == 2 and "Atlantis" in err and "Bekend" in err
    code, _, err = run(
        capsys, "export", "--gemeente", "Amsterdam", "--jaar", 2001, "--out", tmp_path / "a.xlsx"
    )
    assert code == 2 and "2001" in err
    assert not (tmp_path / "a.xlsx").exists()


# ---- the example a new user made ----------------------------------------------------------------

DOCS = Path(__file__).parent.parent / "docs" / "werkboek.md"
WANDELING = FIXTURES / "gemeente-voorbeeld"  # the walk-through of docs/werkboek.md, as CSV


def gedocumenteerd(begin: str) -> dict[str, str]:
    """indicator → status from the table in docs/werkboek.md after the marker ``begin``."""
    tekst = DOCS.read_text(encoding="utf-8")
    blok = tekst.split(begin, 1)[1].split("<!--", 1)[0]
    return dict(re.findall(r"^\| (\d\.\d\.\d) \| (voldoet|verbeterpunt|onbekend) \|", blok, re.M))


def scorecard(capsys, *data) -> dict[str, str]:
    code, out, err = run(capsys, "validate", "--data", *data, "--format", "json")
    assert code == 0, err
    return {s["indicator"]: s["status"] for s in json.loads(out)}


def test_walk_through_scorecard_is_as_documented(capsys):
    """The invented municipality of the walk-through, straight from its CSV folder through
    'validate --data DIR': the scorecard docs/werkboek.md shows, indicator by indicator."""
    verwacht = gedocumenteerd("<!-- scorecard gemeente-voorbeeld -->")
    assert len(verwacht) == 30
    assert scorecard(capsys, WANDELING) == verwacht
    code, out, _ = run(capsys, "validate", "--data", WANDELING, "--gemeente", "Gemeente Voorbeeld")
    assert code == 0 and "== Gemeente Voorbeeld — Voorbeeldaanpak — 2015 ==" in out
    totaal = out.strip().splitlines()[-1]
    assert totaal in DOCS.read_text(encoding="utf-8"), totaal


def test_validate_takes_the_workbook_itself(capsys, tmp_path):
    """'validate --data mijn.xlsx' (and a CSV folder) gives the same scorecard as import + validate
    on the Turtle; a workbook with a problem stops with its sheet, row and column (exit 2)."""
    ttl = tmp_path / "zwolle.ttl"
    assert run(capsys, "import", VOORBEELD, "--out", ttl)[0] == 0
    via_ttl = scorecard(capsys, ttl)
    assert scorecard(capsys, VOORBEELD) == via_ttl
    code, out, _ = run(capsys, "validate", "--data", VOORBEELD)
    assert code == 0 and out.startswith("== Zwolle — Zwolse gezinsaanpak — 2014 ==")
    assert out.strip().splitlines()[-1] in DOCS.read_text(encoding="utf-8")
    map_ = tmp_path / "csv"
    shutil.copytree(WANDELING, map_)
    (map_ / "Instructie.txt").write_text("wat sjabloon meeschrijft\n", encoding="utf-8")
    assert scorecard(capsys, map_) == scorecard(capsys, WANDELING)
    fout = kopieer_voorbeeld(tmp_path)
    wb = load_workbook(fout)
    zet(wb, "Escalatie", 3, "Niveau", "topniveau")
    wb.save(fout)
    code, out, err = run(capsys, "validate", "--data", fout)
    assert code == 2 and out == ""
    assert "Blad Escalatie, rij 3, kolom Niveau: 'topniveau' staat niet in de lijst" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("gemeente", "code", "verwacht"),
    [
        ("Gemeente Voorbeeld", None,
         "gemeente 'Gemeente Voorbeeld' staat niet in de CBS-lijst van gemeenten. Een verzonnen "
         "gemeente (oefening, voorbeeld) mag: vul dan een CBS-code in die CBS niet gebruikt, bijv. "
         "GM9999"),
        ("Zwole", None, "Bedoelt u Zwolle?"),
        ("Gemeente Voorbeeld", "GM0193",
         "GM0193 is de code van Zwolle; een gemeente die niet in de CBS-lijst staat, krijgt een "
         "code die CBS niet gebruikt, bijv. GM9999"),
        ("Zwolle", "GM9999", "GM9999 is geen code uit de CBS-lijst; Zwolle heeft GM0193"),
    ],
)  # fmt: skip
def test_municipality_and_cbs_code(capsys, tmp_path, gemeente, code, verwacht):
    map_ = tmp_path / "csv"
    shutil.copytree(WANDELING, map_)
    aanpak = (map_ / "Aanpak.csv").read_text(encoding="utf-8-sig")
    aanpak = aanpak.replace("Gemeente Voorbeeld,GM9999", f"{gemeente},{code or ''}", 1)
    (map_ / "Aanpak.csv").write_text(aanpak, encoding="utf-8")
    code_, _, err = run(capsys, "import", map_)
    assert code_ == 2
    assert "Blad Aanpak, rij 2, kolom CBS-code: " in err and verwacht in err, err


def test_official_name_of_a_municipality_is_its_cbs_name(tmp_path):
    """'Gemeente Zwolle' is Zwolle: the same node as the shipped data would use."""
    pad = kopieer_voorbeeld(tmp_path)
    wb = load_workbook(pad)
    zet(wb, "Aanpak", 2, "Gemeente", "Gemeente Zwolle")
    wb.save(pad)
    g = import_werkboek(pad, controle=False).graaf
    assert (ID["gemeente-zwolle"], RDFS.label, Literal("Zwolle", lang="nl")) in g
    assert (ID["gemeente-zwolle"], GGSR.cbsCode, Literal("GM0193")) in g


def test_invented_municipality_round_trips(capsys, tmp_path, ontologie):
    """The walk-through's invented municipality (GM9999) survives export → import, like the
    shipped ones; a name holding the separator is noted by the export."""
    ttl, xlsx, terug = tmp_path / "v.ttl", tmp_path / "v.xlsx", tmp_path / "terug.ttl"
    assert run(capsys, "import", WANDELING, "--out", ttl)[0] == 0
    code, _, err = run(
        capsys, "export", "--data", ttl, "--gemeente", "Gemeente Voorbeeld", "--out", xlsx
    )
    assert code == 0, err
    assert run(capsys, "import", xlsx, "--out", terug)[0] == 0
    a, b = Graph().parse(ttl), Graph().parse(terug)
    assert (None, GGSR.cbsCode, Literal("GM9999")) in b
    assert_isomorf(
        gedekte_feiten(a, ontologie, netwerken_van(a, "Gemeente Voorbeeld")),
        gedekte_feiten(b, ontologie, netwerken_van(b, "Gemeente Voorbeeld")),
    )
    from ggsr_kg.workbook.exporter import exporteer

    ggd = next(s for s, o in a.subject_objects(RDFS.label) if str(o) == "GGD Voorbeeld")
    a.set((ggd, RDFS.label, Literal("GGD; Voorbeeld", lang="nl")))
    _, notities = exporteer(a, "Gemeente Voorbeeld")
    assert any("'ggd; voorbeeld' bevat een puntkomma" in n for n in notities), notities


@pytest.mark.parametrize("lijst", ["Organisatiesoort", "Functiesoort"])
def test_todays_kinds_come_first_and_historical_ones_after_them_marked(ontologie, lijst):
    """Issue 16: the drop-down offers today's kinds first; the kinds that ceased (ggsr:bestaatTot
    in the ontology) follow, marked '(tot <year>)'; the plain label and alternative labels of a
    kind are accepted on import."""
    items = lijsten()[lijst].items
    historisch = [bool(ontologie.value(iri, GGSR.bestaatTot)) for _, iri in items]
    assert any(historisch) and not all(historisch)
    assert historisch == sorted(historisch), "no historical kind before a kind of today"
    for (label, iri), oud in zip(items, historisch, strict=True):
        assert label.endswith(" (tot 2015)") == oud, label
        assert lijsten()[lijst].zoek(label) == iri
        assert lijsten()[lijst].zoek(label.removesuffix(" (tot 2015)")) == iri


def test_todays_kinds_are_offered(ontologie):
    org = lijsten()["Organisatiesoort"]
    vandaag = {label for label, iri in org.items if not ontologie.value(iri, GGSR.bestaatTot)}
    assert {"lokaal team", "Veilig Thuis", "gecertificeerde instelling", "jeugdregio"} <= vandaag
    assert "Bureau Jeugdzorg (BJZ) (tot 2015)" in org.labels
    assert org.zoek("wijkteam") == GGSR.LokaalTeam  # an alternative label
    assert org.zoek("(zorg- en) veiligheidshuis") == GGSR.Veiligheidshuis  # the former label
    functies = lijsten()["Functiesoort"]
    assert "gezinsregisseur" in functies.labels
    assert functies.labels[-1] == "voorpostfunctionaris (tot 2015)"


def test_a_2016_workbook_takes_marked_and_plain_labels_and_warns_at_the_cell(capsys, tmp_path):
    """A 2016 network with a Bureau Jeugdzorg (chosen from the list, with its mark) and a second
    one typed by its plain name: both become ggsr:BureauJeugdzorg, the import succeeds, and the
    quality warning names the successors at the row of each."""
    rijen = {
        "Aanpak": [
            {
                "Gemeente": "Gemeente Nu",
                "CBS-code": "GM9998",
                "Aanpak": "Gezinsaanpak",
                "Jaar": 2016,
            }
        ],
        "Organisaties": [
            {
                "Naam": "BJZ Noord",
                "Soort": "Bureau Jeugdzorg (BJZ) (tot 2015)",
                "Netwerkrol": "partner",
            },
            {"Naam": "BJZ Zuid", "Soort": "Bureau Jeugdzorg (BJZ)", "Netwerkrol": "partner"},
            {"Naam": "Wijkteam Centrum", "Soort": "wijkteam", "Netwerkrol": "partner"},
        ],
        "Functies": [
            {
                "Functie": "gezinsregisseur wijkteam",
                "Soort": "gezinsregisseur",
                "Houder": "Wijkteam Centrum",
            }
        ],
    }
    pad, ttl = schrijf(tmp_path / "nu.xlsx", rijen), tmp_path / "nu.ttl"
    code, _, err = run(capsys, "import", pad, "--out", ttl)
    assert code == 0, err
    g = Graph().parse(ttl)
    soort = {str(o): g.value(s, RDF.type) for s, o in g.subject_objects(RDFS.label)}
    assert soort["BJZ Noord"] == soort["BJZ Zuid"] == GGSR.BureauJeugdzorg
    assert soort["Wijkteam Centrum"] == GGSR.LokaalTeam
    assert soort["gezinsregisseur wijkteam"] == GGSR.Gezinsregisseur
    for rij, naam in ((2, "BJZ Noord"), (3, "BJZ Zuid")):
        (regel,) = [
            r for r in err.splitlines() if f"Blad Organisaties, rij {rij}, kolom Soort:" in r
        ]
        assert "waarschuwing" in regel and f"van {naam} bestaat sinds 2015-01-01 niet meer" in regel
        assert all(
            o in regel
            for o in ("gecertificeerde instelling", "Veilig Thuis", "gemeentelijke toegang")
        )


def test_no_list_label_holds_the_separator():
    """The separator can never clash with a value from a drop-down."""
    for lijst in lijsten().values():
        for label in lijst.labels:
            assert ";" not in label and "\n" not in label, (lijst.naam, label)


# ---- which column feeds which indicator ----------------------------------------------------------


def test_the_indicator_table_in_the_docs_is_derived_from_the_shapes():
    from ggsr_kg.workbook.indicatoren import BEGIN, EINDE, markdown

    tekst = DOCS.read_text(encoding="utf-8")
    assert BEGIN in tekst and EINDE in tekst
    huidig = BEGIN + tekst.split(BEGIN, 1)[1].split(EINDE, 1)[0] + EINDE
    assert huidig == markdown(), (
        "docs/werkboek.md is out of date with the shapes; regenerate the table with "
        "'python -m ggsr_kg.workbook.indicatoren' and paste it between the markers"
    )


def test_every_indicator_is_fed_by_some_column():
    from ggsr_kg.workbook.indicatoren import indicatoren, per_kolom

    alle = indicatoren()
    assert len(alle) == 30
    for ind in alle:
        assert ind.gebruik, f"{ind.code}: no column of the workbook feeds it"
    telt = per_kolom()
    # spot checks of the derivation against what the shapes say
    assert "1.2.2" in telt[("Organisaties", "Netwerkrol")]  # who registers families
    assert "1.2.2" in telt[("Organisaties", "Soort")]  # a police force serves veiligheid
    assert "4.2.2" in telt[("Documenten", "Betreft aanpak")]
    assert "3.2.3" in telt[("Functies", "Maximale caseload")]
    assert "1.1.1" in telt[("Doelgroep", None)]
    assert "1.1.1" not in telt.get(("Verklaringen", "Tekst"), [])  # ggsr:tekst of a statement
    i315 = next(i for i in alle if i.code == "3.1.5")
    assert Gebruik("Documenten", "Soort", ("evaluatie",)) in i315.gebruik
    # every topic of the list is asked for by some indicator (so the list has no dead entries)
    onderwerpen = {w for i in alle for g in i.gebruik if g.kolom == "Onderwerp" for w in g.waarden}
    assert onderwerpen == set(lijsten()["Onderwerp"].labels)


def test_instruction_sheet_says_what_each_column_counts_for(tmp_path):
    from ggsr_kg.workbook.template import instructie_regels

    regels = instructie_regels()
    tekst = "\n".join(regels)
    assert "Welke kolommen tellen voor welke indicator" in tekst
    assert any(r.startswith("  – Betreft aanpak:") and "Telt voor 4.2.2" in r for r in regels)
    assert "puntkomma" in tekst and "GM9999" in tekst
    pad = schrijf(tmp_path / "leeg.xlsx")
    ws = load_workbook(pad)["Documenten"]
    kop = next(c for c in ws[1] if c.value == "Betreft aanpak")
    assert "Telt voor indicator 4.2.2" in kop.comment.text


def test_example_workbook_gets_a_scorecard(capsys, tmp_path):
    ttl = tmp_path / "zwolle.ttl"
    code, out, err = run(capsys, "import", VOORBEELD, "--out", ttl)
    assert code == 0, err
    assert "Volgende stap / next: ggsr-kg validate --data" in out
    g = Graph().parse(ttl, format="turtle")
    gemeente = ID["gemeente-zwolle"]
    assert (gemeente, GGSR.cbsCode, Literal("GM0193")) in g  # looked up in the CBS list
    code, out, _ = run(capsys, "validate", "--data", ttl, "--format", "json")
    assert code == 0
    statussen = {s["status"] for s in json.loads(out)}
    assert {"voldoet", "verbeterpunt"} <= statussen
    # every node that carries facts points at its row in the workbook
    plaatsen = {str(p) for p in g.objects(None, GGSR.plaats)}
    assert "Blad Functies, rij 2" in plaatsen and "Blad Escalatie, rij 4" in plaatsen


def test_import_without_out_writes_turtle_to_stdout(capsys):
    code, out, err = run(capsys, "import", VOORBEELD)
    assert code == 0
    assert len(Graph().parse(data=out, format="turtle")) > 100
    assert "ggsr-kg validate --data" in err


# ---- one error of each kind ----------------------------------------------------------------------


def kopieer_voorbeeld(tmp_path: Path) -> Path:
    pad = tmp_path / "fout.xlsx"
    shutil.copy(VOORBEELD, pad)
    return pad


def zet(wb, blad: str, rij: int, kop: str, waarde) -> None:
    ws = wb[blad]
    koppen = [c.value for c in ws[1]]
    if kop not in koppen:
        ws.cell(row=1, column=len(koppen) + 1, value=kop)
        koppen.append(kop)
    ws.cell(row=rij, column=koppen.index(kop) + 1).value = waarde  # also None


FOUTEN = [
    # (sheet, row, heading, value, expected line)
    ("Organisaties", 3, "Soort", "bakkerij",
     "Blad Organisaties, rij 3, kolom Soort: 'bakkerij' staat niet in de lijst Organisatiesoort"),
    ("Functies", 2, "Houder", "Stichting Onbekend",
     "Blad Functies, rij 2, kolom Houder: 'Stichting Onbekend' staat niet op het blad Organisaties"),
    ("Escalatie", 4, "Stap nr", 1,
     "Blad Escalatie, rij 4, kolom Stap nr: dit stapnummer van dit escalatiemodel staat al op rij 2"),
    ("Documenten", 2, "Datum", "binnenkort",
     "Blad Documenten, rij 2, kolom Datum: 'binnenkort' is geen datum"),
    ("Documenten", 3, "Datum", "2014-02-30",
     "Blad Documenten, rij 3, kolom Datum: '2014-02-30' is geen datum"),
    ("Verklaringen", 2, "Bevestigt", "misschien",
     "Blad Verklaringen, rij 2, kolom Bevestigt: 'misschien' is geen ja of nee"),
    ("Bevoegdheden", 2, "Soort", "superkracht",
     "Blad Bevoegdheden, rij 2, kolom Soort: 'superkracht' staat niet in de lijst Bevoegdheidsoort"),
    ("Verklaringen", 3, "Onderwerp", "evaluatie; koffie",
     "Blad Verklaringen, rij 3, kolom Onderwerp: 'koffie' staat niet in de lijst Onderwerp"),
    ("Organisaties", 5, "Soort", "politie, onderwijsinstelling",
     "Blad Organisaties, rij 5, kolom Soort: 'politie, onderwijsinstelling' staat niet in de lijst "
     "Organisatiesoort (kies uit het uitklapmenu); meer waarden scheidt u met een puntkomma, niet "
     "met een komma: 'politie; onderwijsinstelling'"),
    ("Organisaties", 6, "Naam", "Samenwerkingsverband; passend onderwijs",
     "Blad Organisaties, rij 6, kolom Naam: 'Samenwerkingsverband; passend onderwijs': een naam "
     "mag geen puntkomma of regeleinde bevatten"),
    ("Doelgroep", 2, "Omschrijving", None,
     "Blad Doelgroep, rij 2, kolom Omschrijving: verplichte cel is leeg"),
    ("Bevoegdheden", 3, "Vastgelegd in", "Convenant dat niet bestaat",
     "Blad Bevoegdheden, rij 3, kolom Vastgelegd in: 'Convenant dat niet bestaat' staat niet op het blad Documenten"),
    ("Bevoegdheden", 3, "Functie", "regisseur",
     "Blad Bevoegdheden, rij 3, kolom Functie: 'regisseur' staat niet op het blad Functies"),
    ("Organisaties", 9, "Naam", "Sociaal wijkteam Zwolle",
     "Blad Organisaties, rij 9, kolom Naam: deze organisatie staat al op rij 2"),
    ("Organisaties", 9, "Soort", "overleg", None),
    ("Aanpak", 2, "Jaar", 1999,
     "Blad Aanpak, rij 2, kolom Jaar: '1999' is geen jaartal tussen 2000 en 2030"),
    ("Functies", 2, "Maximale caseload", "twaalf",
     "Blad Functies, rij 2, kolom Maximale caseload: 'twaalf' is geen geheel getal"),
    ("Escalatie", 5, "Handeling", "zonder stapnummer",
     "Blad Escalatie, rij 5, kolom Stap nr: verplichte cel is leeg"),
    ("Documenten", 2, "Opmerking", "een kolom die niet bestaat",
     "Blad Documenten, rij 1, kolom Opmerking: onbekende kolom"),
]  # fmt: skip


def test_every_kind_of_error_is_reported_with_its_place(capsys, tmp_path):
    pad = kopieer_voorbeeld(tmp_path)
    wb = load_workbook(pad)
    for blad, rij, kop, waarde, _ in FOUTEN:
        zet(wb, blad, rij, kop, waarde)
    wb.create_sheet("Notities")["A2"] = "een blad dat niet bestaat"
    wb.save(pad)
    out_pad = tmp_path / "uit.ttl"
    code, out, err = run(capsys, "import", pad, "--out", out_pad)
    assert code == 2
    assert not out_pad.exists()
    assert out == ""
    regels = err.splitlines()
    for *_, verwacht in filter(lambda f: f[-1], FOUTEN):
        assert any(r.startswith(verwacht) for r in regels), f"{verwacht}\n---\n{err}"
    assert any(r.startswith("Blad Notities, rij 1: onbekend blad") for r in regels)
    assert "niets geschreven" in regels[-1]
    assert "Traceback" not in err


def test_failed_import_leaves_an_existing_out_file_alone(capsys, tmp_path):
    pad = kopieer_voorbeeld(tmp_path)
    wb = load_workbook(pad)
    zet(wb, "Functies", 2, "Soort", "tovenaar")
    wb.save(pad)
    out_pad = tmp_path / "uit.ttl"
    out_pad.write_text("# vorige versie\n", encoding="utf-8")
    code, _, err = run(capsys, "import", pad, "--out", out_pad)
    assert code == 2 and "tovenaar" in err
    assert out_pad.read_text(encoding="utf-8") == "# vorige versie\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("blad", "rij", "kop", "waarde", "verwacht"),
    [
        ("Verklaringen", 2, "Tekst", "volgens j.jansen@zwolle.nl is er geen evaluatie",
         "Blad Verklaringen, rij 2, kolom Tekst: privacy: 'j.jansen@zwolle.nl' e-mailadres"),
        ("Functies", 3, "Taak", "bereikbaar op 06-12345678",
         "Blad Functies, rij 3, kolom Taak: privacy: '06-12345678' telefoonnummer"),
        ("Doelgroep", 3, "Omschrijving", "gezin met BSN 111222333",
         "Blad Doelgroep, rij 3, kolom Omschrijving: privacy: '111***33' lijkt op een BSN"),
        ("Organisaties", 7, "Naam", "Welzijn (contact: info@welzijn.nl)",
         "Blad Organisaties, rij 7, kolom Naam: privacy: 'info@welzijn.nl'"),
    ],
)  # fmt: skip
def test_privacy_guard_rejects_personal_data(capsys, tmp_path, blad, rij, kop, waarde, verwacht):
    pad = kopieer_voorbeeld(tmp_path)
    wb = load_workbook(pad)
    zet(wb, blad, rij, kop, waarde)
    wb.save(pad)
    code, _, err = run(capsys, "import", pad, "--out", tmp_path / "uit.ttl")
    assert code == 2 and not (tmp_path / "uit.ttl").exists()
    assert verwacht in err, err
    assert "111222333" not in err  # a BSN is never echoed in full


def test_quality_shapes_run_on_import_and_name_the_cell(capsys, tmp_path):
    """A function named as a member of a body: the importer resolves the name, the quality shape
    (members are organisations) rejects it — at the cell that made the triple. A step without a
    level is a warning of the shapes: shown with its cell, the import still succeeds."""
    pad = kopieer_voorbeeld(tmp_path)
    wb = load_workbook(pad)
    zet(wb, "Escalatie", 3, "Niveau", None)
    wb.save(pad)
    code, _, err = run(capsys, "import", pad, "--out", tmp_path / "goed.ttl")
    assert code == 0, err
    assert "waarschuwing: Blad Escalatie, rij 3, kolom Niveau: Escalatiestap zonder niveau" in err
    zet(wb, "Organisaties", 8, "Leden", "Sociaal wijkteam Zwolle; gezinscoach")
    wb.save(pad)
    code, _, err = run(capsys, "import", pad, "--out", tmp_path / "fout.ttl")
    assert code == 2 and not (tmp_path / "fout.ttl").exists()
    assert (
        "Blad Organisaties, rij 8, kolom Leden: datakwaliteit: Een netwerkpartner heeft geen soort"
        in err
    ), err
    code, _, err = run(capsys, "import", pad, "--zonder-controle", "--out", tmp_path / "fout.ttl")
    assert code == 0, err


def test_unreadable_inputs(capsys, tmp_path):
    kapot = tmp_path / "kapot.xlsx"
    kapot.write_bytes(b"geen zip")
    code, _, err = run(capsys, "import", kapot)
    assert code == 2 and "xlsx" in err and "Traceback" not in err
    code, _, err = run(capsys, "import", tmp_path / "bestaat-niet.xlsx")
    assert code == 2 and "bestaat niet" in err
    code, _, err = run(capsys, "import", f"{tmp_path}/")
    assert code == 2 and "CSV" in err
    code, _, err = run(capsys, "import", VOORBEELD, "--out", tmp_path / "x.xlsx")
    assert code == 2 and ".ttl" in err


def test_csv_with_semicolons_and_windows_encoding(capsys, tmp_path):
    """What Excel on a Dutch Windows machine saves as 'CSV': ';' and cp1252."""
    map_ = tmp_path / "csv"
    map_.mkdir()
    bestanden = {
        "Aanpak": "Gemeente;Aanpak;Jaar\nZwolle;Gezinsaanpak;2014\n",
        "Organisaties": "Naam;Soort;Netwerkrol\nWijkteam;welzijnsorganisatie;partner\n",
        "Functies": "Functie;Soort;Houder\ngezinscoördinator;gezinscoördinator;Wijkteam\n",
    }
    for naam, inhoud in bestanden.items():
        (map_ / f"{naam}.csv").write_bytes(inhoud.encode("cp1252"))
    ttl = tmp_path / "uit.ttl"
    code, _, err = run(capsys, "import", map_, "--out", ttl)
    assert code == 0, err
    g = Graph().parse(ttl, format="turtle")
    assert (None, RDFS.label, Literal("gezinscoördinator", lang="nl")) in g


def test_workbooks_as_data_files(tmp_path):
    """The helper behind 'validate --data mijn.xlsx': workbooks become temporary Turtle files."""
    from ggsr_kg.workbook import rdf_bestanden

    paden = rdf_bestanden([VOORBEELD, resource_dir("data") / "bronnen.ttl"])
    assert paden[0].suffix == ".ttl" and paden[1].name == "bronnen.ttl"
    assert (ID["gemeente-zwolle"], None, None) in Graph().parse(paden[0], format="turtle")
    fout = kopieer_voorbeeld(tmp_path)
    wb = load_workbook(fout)
    zet(wb, "Functies", 2, "Soort", "tovenaar")
    wb.save(fout)
    with pytest.raises(InputError, match="Blad Functies, rij 2, kolom Soort"):
        rdf_bestanden([fout])


def test_empty_template_is_refused(capsys, tmp_path):
    pad = tmp_path / "leeg.xlsx"
    run(capsys, "sjabloon", "--out", pad)
    code, _, err = run(capsys, "import", pad)
    assert code == 2 and "Blad Aanpak, rij 2: geen aanpak ingevuld" in err


# ---- property-based: random workbooks ----------------------------------------------------------

# The budget: 30 examples per property by default (a few seconds); more locally with
# GGSR_WERKBOEK_EXAMPLES=500 python -m pytest tests/test_workbook.py -k random
VOORBEELDEN = int(os.environ.get("GGSR_WERKBOEK_EXAMPLES", "30"))
LETTERS = string.ascii_letters + "áéëïóöüç'-()& "
# Names may hold commas and full stops ('Politie, team Zwolle'): only ';' and line breaks separate
# the values of a cell, and a name that other cells refer to may not hold those.
naam = (
    st.text(alphabet=LETTERS + ",.", min_size=2, max_size=18)
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: len(s) >= 2 and norm(s) not in {"netwerk", "zwolle", "gemeente zwolle"})
    .filter(lambda s: not norm(s).startswith("netwerk "))
)
tekst = st.text(alphabet=LETTERS + ",.;:", min_size=1, max_size=40).map(str.strip).filter(bool)


# 'gemeente' is left out: an organisation of that kind must be a municipality of the CBS list
ORGANISATIESOORTEN = [x for x in lijsten()["Organisatiesoort"].labels if x != "gemeente"]


def uit(lijst: str):
    return st.sampled_from(lijsten()[lijst].labels)


def deelverz(elementen, min_size=0):
    return st.lists(st.sampled_from(elementen), min_size=min_size, max_size=3, unique=True)


@st.composite
def werkboeken(draw):
    """A random well-formed workbook for one network of Zwolle. Multi-valued cells are joined
    with a semicolon or a line break, as the instruction sheet says."""
    scheider = draw(st.sampled_from(["; ", ";", "\n", " ;\n"]))

    def samen(waarden) -> str:
        return scheider.join(waarden)

    orgs = draw(st.lists(naam, min_size=1, max_size=5, unique_by=norm))
    partijen = [*orgs, "Zwolle", "netwerk"]
    rijen: dict[str, list[dict]] = {
        "Aanpak": [
            {
                "Gemeente": "Zwolle",
                "Aanpak": draw(naam),
                "Jaar": draw(st.integers(2000, 2030)),
                "Meldpunt": draw(st.sampled_from(orgs)),
                "Geschat aantal gezinnen": draw(st.none() | st.integers(0, 5000)),
                "Verwijsindex": samen(draw(deelverz(lijsten()["Verwijsindex"].labels))),
            }
        ],
        "Organisaties": [
            {
                "Naam": o,
                "Soort": samen(draw(deelverz(ORGANISATIESOORTEN, 1))),
                "Netwerkrol": samen(draw(deelverz(["partner", "kernpartner", "meldt aan"]))),
                "Leefgebieden": samen(draw(deelverz(lijsten()["Leefgebied"].labels))),
            }
            for o in orgs
        ],
    }
    functies = draw(
        st.lists(naam, max_size=3, unique_by=norm).filter(
            lambda fs: not {norm(f) for f in fs} & {norm(o) for o in orgs}
        )
    )
    rijen["Functies"] = [
        {
            "Functie": f,
            "Soort": draw(uit("Functiesoort")),
            "Houder": samen(draw(deelverz(partijen, 1))),
            "Profiel": "\n".join(draw(st.lists(tekst, max_size=2))),
            "Maximale caseload": draw(st.none() | st.integers(1, 40)),
        }
        for f in functies
    ]
    titels = draw(st.lists(naam, max_size=3, unique_by=norm))
    rijen["Documenten"] = [
        {
            "Titel": t,
            "Soort": draw(uit("Documentsoort")),
            "Datum": draw(
                st.none()
                | st.integers(2000, 2030).map(str)
                | st.dates().filter(lambda d: d.year >= 1000).map(lambda d: d.isoformat())
            ),
            "Partijen": samen(draw(deelverz(partijen))),
            "Regelt": samen(draw(deelverz(lijsten()["Onderwerp"].labels))),
        }
        for t in titels
    ]
    rijen["Bevoegdheden"] = [
        {
            "Functie": f,
            "Soort": draw(uit("Bevoegdheidsoort")),
            "Omschrijving": draw(tekst),
            "Bindend voor": samen(draw(deelverz(partijen))),
            "Vastgelegd in": draw(st.sampled_from(titels)) if titels else None,
        }
        for f in functies
    ]
    stappen = draw(st.lists(st.integers(1, 9), max_size=4, unique=True))
    rijen["Escalatie"] = [
        {
            "Stap nr": n,
            "Niveau": draw(uit("Escalatieniveau")),
            "Actor": samen(draw(deelverz([*partijen, *functies]))),
            "Handeling": draw(tekst),
        }
        for n in stappen
    ]
    rijen["Doelgroep"] = [
        {"Omschrijving": t, "Gehanteerd door": samen(draw(deelverz(partijen, 1)))}
        for t in draw(st.lists(tekst, max_size=2, unique_by=norm))
    ]
    rijen["Verklaringen"] = [
        {
            "Onderwerp": samen(draw(deelverz(lijsten()["Onderwerp"].labels, 1))),
            "Verklaard door": samen(draw(deelverz(partijen, 1))),
            "Bevestigt": draw(st.sampled_from(["ja", "nee"])),
            "Tekst": t,
        }
        for t in draw(st.lists(tekst, max_size=3, unique_by=norm))
    ]
    return rijen


def vindbaar(g: Graph) -> set[str]:
    """Every literal of the graph, and every label of a term it uses (ontology included)."""
    uit: set[str] = set()
    termen = set()
    for s, _, o in g:
        for t in (s, o):
            if isinstance(t, Literal):
                uit.add(norm(str(t)))
                if t.datatype is not None and str(t.datatype).endswith("boolean"):
                    uit.add("ja" if t.toPython() else "nee")
            else:
                termen.add(t)
    for lijst in lijsten().values():
        for label, iri in lijst.items:
            if iri in termen:
                uit.add(norm(label))
    if (None, GGSR.peiljaar, None) in g:
        uit.add(norm("netwerk"))  # 'netwerk' is the network node itself
    return uit


def cellen(rijen: dict[str, list[dict]]):
    for blad, rs in rijen.items():
        for r in rs:
            for kop, waarde in r.items():
                if waarde is None or waarde == "":
                    continue
                yield blad, kop, waarde


def stukken(kop: str, waarde) -> list[str]:
    """The values in a cell as the generator put them there: multi-valued cells are split at
    semicolons and line breaks only, so a comma in a name or list label is just a character."""
    if isinstance(waarde, int):
        return [str(waarde)]
    if kop in {"Omschrijving", "Tekst", "Handeling", "Aanleiding", "Voorwaarde", "Titel"}:
        return [waarde]
    if kop in {"Profiel", "Taak"}:
        return [t.strip() for t in waarde.splitlines() if t.strip()]
    return [t.strip() for t in re.split(r"[;\n]", waarde) if t.strip()]


@settings(
    max_examples=VOORBEELDEN,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rijen=werkboeken(), als_csv=st.booleans())
def test_random_well_formed_workbooks_import_without_loss(tmp_path_factory, rijen, als_csv):
    map_ = tmp_path_factory.mktemp("wb")
    pad = schrijf(f"{map_}/csv/" if als_csv else map_ / "w.xlsx", rijen)
    resultaat = import_werkboek(pad, controle=False)
    assert resultaat.problemen == [], [str(p) for p in resultaat.problemen]
    g = resultaat.graaf
    gevonden = vindbaar(g)
    for blad, kop, waarde in cellen(rijen):
        if kop == "Netwerkrol":
            continue  # relations, not values: checked below
        for stuk in stukken(kop, waarde):
            assert norm(stuk) in gevonden, f"{blad}.{kop}: '{stuk}' ontbreekt in de graaf"
    net = next(g.subjects(GGSR.peiljaar, None))
    for r in rijen["Organisaties"]:
        org = next(
            s for s, o in g.subject_objects(RDFS.label) if str(o) == r["Naam"] and "-org-" in s
        )
        for rol in stukken("Netwerkrol", r["Netwerkrol"]):
            if rol == "meldt aan":
                assert (org, GGSR.meldtAan, net) in g
            else:
                assert (net, ORG.hasMember, org) in g
                assert rol == "partner" or (net, GGSR.kernpartner, org) in g


MUTATIES = st.sampled_from(
    [
        ("Organisaties", "Soort"),
        ("Organisaties", "Naam"),
        ("Organisaties", "Netwerkrol"),
        ("Functies", "Soort"),
        ("Functies", "Houder"),
        ("Bevoegdheden", "Soort"),
        ("Bevoegdheden", "Functie"),
        ("Escalatie", "Stap nr"),
        ("Escalatie", "Niveau"),
        ("Documenten", "Datum"),
        ("Documenten", "Regelt"),
        ("Verklaringen", "Bevestigt"),
        ("Verklaringen", "Onderwerp"),
        ("Aanpak", "Jaar"),
        ("Aanpak", "Gemeente"),
        ("Aanpak", "CBS-code"),
        ("Doelgroep", "Gehanteerd door"),
    ]
)
rommel = st.one_of(
    st.text(max_size=12).filter(lambda s: not any(c in s for c in "\x00\x0b\x0c")),
    st.integers(-5, 100000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just(""),
    st.just("2014-13-45"),
)


@settings(
    max_examples=VOORBEELDEN,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rijen=werkboeken(),
    mutaties=st.lists(st.tuples(MUTATIES, rommel), min_size=1, max_size=4),
    dubbel=st.sampled_from(["Organisaties", "Functies", "Escalatie", "Documenten", None]),
)
def test_random_malformed_workbooks_never_crash(tmp_path_factory, rijen, mutaties, dubbel):
    import math

    for (blad, kop), waarde in mutaties:
        if rijen.get(blad):
            if isinstance(waarde, float) and not math.isfinite(waarde):
                continue
            rijen[blad][0][kop] = waarde
    if dubbel and rijen.get(dubbel):
        rijen[dubbel].append(dict(rijen[dubbel][0]))
    map_ = tmp_path_factory.mktemp("wb")
    try:
        pad = schrijf(map_ / "w.xlsx", rijen)
    except Exception:  # openpyxl refuses some control characters: then try CSV
        pad = schrijf(f"{map_}/csv/", rijen)
    try:
        resultaat = import_werkboek(pad, controle=False)
    except InputError:
        return
    for p in resultaat.problemen:
        assert str(p).startswith(f"Blad {p.blad}, rij {p.rij}")
    if dubbel in {"Organisaties", "Functies", "Escalatie", "Documenten"} and rijen.get(dubbel):
        assert resultaat.problemen, "a duplicated row must be reported"
