"""The inspector's workbook: template, import, export and the round trip between them.

What "the facts the workbook covers" means is defined here, once, by :func:`covered_facts`: the
same SPARQL CONSTRUCT queries run on the shipped data and on the re-imported workbook, instance
IRIs (``id:``) become blank nodes, and the two graphs must be isomorphic (docs/werkboek.md,
"Wat het werkboek bevat"). The definition is written here independently of
ggsr_kg/workbook/mapping.py, so a column that silently stops writing a fact fails the round trip.
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
from ggsr_kg.workbook.importer import import_workbook
from ggsr_kg.workbook.indicators import Use
from ggsr_kg.workbook.mapping import SHEETS, norm, value_lists
from ggsr_kg.workbook.template import write_workbook

FIXTURES = Path(__file__).parent / "fixtures" / "workbook"
EXAMPLE = FIXTURES / "voorbeeld.xlsx"
# Every municipality of the shipped data must round-trip; these at least (issue 15).
MUNICIPALITIES = [
    "Emmen",
    "Sittard-Geleen",
    "Bergen op Zoom",
    "Amsterdam",
    "Den Haag",
    "Utrecht",
    "Rotterdam",
    "Almere",
    "Tilburg",
    "Eindhoven",
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """The ontology, read here independently of ggsr_kg.workbook.mapping."""
    g = Graph()
    root = resource_dir("ontology")
    for name in ("ggsr.ttl", "codelijsten.ttl", "imports/external.ttl"):
        g.parse(root / name, format="turtle")
    return g


@pytest.fixture(scope="module")
def shipped() -> Graph:
    """The shipped data (no ontology, no inference)."""
    g = Graph()
    for f in sorted(resource_dir("data").rglob("*.ttl")):
        g.parse(f, format="turtle")
    return g


def municipalities_with_networks(g: Graph) -> list[str]:
    return sorted(
        {
            str(label)
            for a in g.subjects(GGSR.gemeente, None)
            for m in g.objects(a, GGSR.gemeente)
            for label in g.objects(m, RDFS.label)
            if label.language == "nl"
        }
    )


# ---- the covered facts ------------------------------------------------------------------------

PREFIXES = """PREFIX ggsr: <https://w3id.org/ggsr/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def subclasses(ont: Graph, *roots: str, leave_out: tuple[str, ...] = ()) -> set[URIRef]:
    out: set[URIRef] = set()
    for r in roots:
        out |= {
            c for c in ont.transitive_subjects(RDFS.subClassOf, GGSR[r]) if isinstance(c, URIRef)
        }
    for r in leave_out:
        out -= set(ont.transitive_subjects(RDFS.subClassOf, GGSR[r]))
    return out


def _values(var: str, terms) -> str:
    return f"VALUES ?{var} {{ {' '.join(t.n3() for t in sorted(terms))} }}"


def _kind(pattern: str, classes, default: URIRef | None) -> list[str]:
    """The node's most specific class from ``classes``, or ``default`` when it has none."""
    out = [
        f"""CONSTRUCT {{ ?x a ?t }} WHERE {{ {pattern} ?x a ?t . {_values("t", classes)}
              FILTER NOT EXISTS {{ ?x a ?u . FILTER(?u != ?t) ?u rdfs:subClassOf+ ?t }} }}"""
    ]
    if default is not None:
        out.append(
            f"""CONSTRUCT {{ ?x a {default.n3()} }} WHERE {{ {pattern}
                  FILTER NOT EXISTS {{ ?x a ?t . {_values("t", classes)} }} }}"""
        )
    return out


def _props(pattern: str, props: str) -> str:
    """Every value of these properties of ?x (labels and texts in Dutch only)."""
    p = _values("p", [_iri(x) for x in props.split()])
    return f"""CONSTRUCT {{ ?x ?p ?o }} WHERE {{ {pattern} ?x ?p ?o . {p}
                 FILTER(!isLiteral(?o) || lang(?o) = "" || lang(?o) = "nl") }}"""


def _iri(qname: str) -> URIRef:
    prefix, local = qname.split(":")
    ns = {
        "ggsr": str(GGSR),
        "org": "http://www.w3.org/ns/org#",
        "dct": "http://purl.org/dc/terms/",
        "rdfs": str(RDFS),
    }
    return URIRef(ns[prefix] + local)


EVIDENCE = "ggsr:vastgelegdIn ggsr:blijktUit"
ARRANGEMENT = (
    "rdfs:label ggsr:tekst ggsr:netwerk ggsr:bindt ggsr:bindend ggsr:voorwaarde ggsr:termijn "
    "ggsr:uitgevoerdDoor ggsr:geldigVanaf ggsr:geldigTot ggsr:beginsel ggsr:methode "
    "ggsr:meldpunt ggsr:aanmelder ggsr:geschatAantalGezinnen ggsr:perWijk ggsr:regievoerder "
    "ggsr:afsluitgrond ggsr:maximaleDuur ggsr:maximaleWachttijd ggsr:voorFunctie ggsr:profiel "
    "ggsr:maximaleCaseload ggsr:doelgroep ggsr:onderschrevenDoor ggsr:geformuleerdDoor " + EVIDENCE
)
PRACTICE = (
    "rdfs:label ggsr:tekst ggsr:netwerk ggsr:datum ggsr:frequentie ggsr:uitgevoerdDoor "
    "ggsr:deelnemer ggsr:overleg ggsr:conclusie ggsr:gevolg ggsr:verwerktIn ggsr:knelpuntsoort "
    "ggsr:bij ggsr:blijktUit"
)
ABSENCE = (
    "rdfs:label ggsr:netwerk ggsr:soort ggsr:blijktUit ggsr:beginsel ggsr:leefgebied "
    "ggsr:afsluitgrond ggsr:voorFunctie ggsr:regievoerder ggsr:geformuleerdDoor ggsr:bindt"
)
# Who may be named in a covered fact: the properties whose objects are parties.
PARTY_PROPERTIES = (
    "ggsr:kernpartner|org:hasMember|org:heldBy|ggsr:bindt|ggsr:geldtTegenover|ggsr:verleendDoor|"
    "ggsr:berustBij|ggsr:actor|ggsr:partij|ggsr:ondertekendDoor|ggsr:vastgesteldDoor|dct:creator|"
    "ggsr:gehanteerdDoor|ggsr:verklaardDoor|ggsr:toezichthouder|ggsr:uitgevoerdDoor|"
    "ggsr:deelnemer|ggsr:overleg|ggsr:bij|ggsr:meldpunt|ggsr:aanmelder|ggsr:regievoerder|"
    "ggsr:onderschrevenDoor|ggsr:geformuleerdDoor"
)


def covered_facts(data: Graph, ont: Graph, networks: list[URIRef]) -> Graph:
    """THE DEFINITION of what the workbook covers, for the networks ``networks`` in ``data``.

    - network: its approach (label) and municipality, year, referral index, CJG–BJZ model,
      documents, target-group definitions, escalation models, members (org:hasMember, also for
      ggsr:kernpartner) and core partners;
    - roles (org:postIn the network): most specific class, label, holders, tasks, number of
      officers, in force from, evidence; their authorities, and the network's authorities that
      rest with organisations: class, label, binding on (or binding on no one), towards, condition,
      in force from, evidence, granted by, rests with, and the network of an authority of no role;
    - escalation models: class (escalation model or care pyramid), label, evidence, steps with
      class, position, level, actor (collective actors too), trigger, action, label, threshold,
      time limit and next step;
    - documents of the network: class, title (else label), status, status date, date, parties,
      signatories, adopting body, creator, period in force, frequency, and the approaches of these
      networks they are specific to;
    - the network's arrangements (every kind of ggsr:Regeling with all its properties in
      :data:`ARRANGEMENT`), practice (:data:`PRACTICE`; a meeting is an organisation), statements
      (stated by, text), findings (inspectorate, text) and absences (:data:`ABSENCE`), each with
      its class, its network and the approaches of these networks it is specific to;
    - target-group definitions (text, used by, evidence);
    - every party named in the above (and every meeting of the network), and recursively what it
      is a unit of, its members and its funders: class (most specific, else ggsr:Organisatie),
      Dutch label, unit of, members, funded by, explicit leefgebieden, the CBS code of a
      municipality, and of a meeting its frequency, start, evidence and network.

    Not covered: comments, provenance (the workbook gets its own), network labels, a statement's
    kenmerk (dct:identifier, a handle of the workbook), successors (ggsr:opvolgerVan), assignment
    rules, the network of an escalation model or of an authority of a role (both follow from the
    network's links), verdicts.
    """
    store = ox.Store()
    for g in (data, ont):
        nt = g.serialize(format="nt", encoding="utf-8")
        store.bulk_extend(
            ox.Quad(t.subject, t.predicate, t.object)
            for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)
        )
    nets = _values("net", networks)
    ours = [URIRef(str(n)) for n in networks]
    approaches = f"?x ggsr:betreftAanpak ?a . ?n2 ggsr:aanpak ?a . {_values('n2', ours)}"
    roles = subclasses(ont, "Functie")
    q = [
        f"""CONSTRUCT {{ ?net a ggsr:Netwerk ; ggsr:aanpak ?a ; ggsr:peiljaar ?j .
                        ?a a ggsr:Aanpak ; rdfs:label ?al ; ggsr:gemeente ?m . }}
            WHERE {{ {nets} ?net ggsr:aanpak ?a ; ggsr:peiljaar ?j .
                     ?a ggsr:gemeente ?m ; rdfs:label ?al FILTER(lang(?al) = "nl") }}""",
        _props(
            f"{nets} BIND(?net AS ?x)",
            "ggsr:verwijsindex ggsr:cjgBjzModel ggsr:document ggsr:doelgroepomschrijving "
            "ggsr:escalatiemodel ggsr:kernpartner org:hasMember",
        ),
        f"CONSTRUCT {{ ?net org:hasMember ?o }} WHERE {{ {nets} ?net ggsr:kernpartner ?o }}",
    ]
    role = f"{nets} ?x org:postIn ?net . FILTER EXISTS {{ ?x a ?ft . {_values('ft', roles)} }}"
    q.append(
        _props(
            role,
            "org:postIn rdfs:label org:heldBy ggsr:taak ggsr:aantalFunctionarissen "
            "ggsr:geldigVanaf " + EVIDENCE,
        )
    )
    q += _kind(role, roles, GGSR.Functie)
    authority = (
        f"{nets} {{ ?f org:postIn ?net ; ggsr:bevoegdheid|^ggsr:vanFunctie ?x . "
        f"FILTER EXISTS {{ ?f a ?ft . {_values('ft', roles)} }} }} UNION {{ ?x ggsr:netwerk ?net ; "
        f"a ?bt . {_values('bt', subclasses(ont, 'Bevoegdheid'))} "
        "FILTER NOT EXISTS { ?r ggsr:bevoegdheid ?x } FILTER NOT EXISTS { ?x ggsr:vanFunctie ?r } }"
    )
    q.append(
        f"""CONSTRUCT {{ ?f ggsr:bevoegdheid ?x }} WHERE {{ {nets} ?f org:postIn ?net ;
              ggsr:bevoegdheid|^ggsr:vanFunctie ?x . FILTER EXISTS {{ ?f a ?ft .
              {_values("ft", roles)} }} }}"""
    )
    q.append(
        _props(
            authority,
            "rdfs:label ggsr:bindt ggsr:bindend ggsr:geldtTegenover ggsr:voorwaarde "
            "ggsr:geldigVanaf ggsr:verleendDoor ggsr:berustBij " + EVIDENCE,
        )
    )
    q.append(
        f"""CONSTRUCT {{ ?x ggsr:netwerk ?net }} WHERE {{ {nets} ?x ggsr:netwerk ?net .
              ?x a ?bt . {_values("bt", subclasses(ont, "Bevoegdheid"))}
              FILTER NOT EXISTS {{ ?r ggsr:bevoegdheid ?x }}
              FILTER NOT EXISTS {{ ?x ggsr:vanFunctie ?r }} }}"""
    )
    q += _kind(authority, subclasses(ont, "Bevoegdheid"), GGSR.Bevoegdheid)
    model = f"{nets} ?net ggsr:escalatiemodel ?x ."
    q += _kind(model, subclasses(ont, "Escalatiemodel"), GGSR.Escalatiemodel)
    q.append(_props(model, "rdfs:label ggsr:stap " + EVIDENCE))
    step = f"{nets} ?net ggsr:escalatiemodel/ggsr:stap ?x ."
    q += _kind(step, subclasses(ont, "Escalatiestap"), GGSR.Escalatiestap)
    q.append(
        _props(
            step,
            "ggsr:volgnummer ggsr:niveau ggsr:actor ggsr:aanleiding ggsr:handeling rdfs:label "
            "ggsr:volgendeStap ggsr:drempelProfessionals ggsr:termijn",
        )
    )
    doc = f"{nets} ?net ggsr:document ?x ."
    q.append(
        f"""CONSTRUCT {{ ?x dct:title ?t }} WHERE {{ {doc} OPTIONAL {{ ?x dct:title ?t0 }}
              OPTIONAL {{ ?x rdfs:label ?l0 FILTER(lang(?l0) = "nl") }}
              BIND(COALESCE(?t0, ?l0) AS ?t) }}"""
    )
    q.append(
        _props(
            doc,
            "ggsr:status ggsr:statusdatum dct:issued ggsr:partij ggsr:ondertekendDoor "
            "ggsr:vastgesteldDoor dct:creator ggsr:geldigVanaf ggsr:geldigTot ggsr:frequentie",
        )
    )
    q += _kind(doc, subclasses(ont, "Document"), GGSR.Document)
    facts = [
        ("Regeling", (), ARRANGEMENT),
        ("Praktijk", ("Overleg",), PRACTICE),
        ("Verklaring", (), "ggsr:netwerk ggsr:verklaardDoor ggsr:tekst"),
        ("Bevinding", (), "ggsr:netwerk ggsr:toezichthouder ggsr:tekst"),
        ("Afwezigheid", (), ABSENCE),
    ]
    for root, leave_out, props in facts:
        classes = subclasses(ont, root, leave_out=leave_out)
        fact = f"{nets} ?x ggsr:netwerk ?net ; a ?k . {_values('k', classes)}"
        q.append(_props(fact, props))
        q += _kind(fact, classes, None)
        q.append(f"CONSTRUCT {{ ?x ggsr:betreftAanpak ?a }} WHERE {{ {fact} {approaches} }}")
    q.append(f"CONSTRUCT {{ ?x ggsr:betreftAanpak ?a }} WHERE {{ {doc} {approaches} }}")
    target = f"{nets} ?net ggsr:doelgroepomschrijving ?x ."
    q.append(f"CONSTRUCT {{ ?x a ggsr:Doelgroepomschrijving }} WHERE {{ {target} }}")
    q.append(_props(target, "ggsr:tekst ggsr:gehanteerdDoor " + EVIDENCE))
    parties = f"""SELECT DISTINCT ?o WHERE {{ {nets}
          {{ ?net (ggsr:kernpartner|org:hasMember) ?r }}
          UNION {{ ?net ggsr:aanpak/ggsr:gemeente ?r }}
          UNION {{ ?r ggsr:netwerk ?net ; a ggsr:Overleg }}
          UNION {{ ?x (ggsr:netwerk|org:postIn) ?net . ?x {PARTY_PROPERTIES} ?r }}
          UNION {{ ?f org:postIn ?net ; ggsr:bevoegdheid ?b . ?b {PARTY_PROPERTIES} ?r }}
          UNION {{ ?net ggsr:escalatiemodel/ggsr:stap/ggsr:actor ?r }}
          UNION {{ ?net ggsr:document ?d . ?d {PARTY_PROPERTIES} ?r }}
          UNION {{ ?net ggsr:doelgroepomschrijving/ggsr:gehanteerdDoor ?r }}
          ?r (org:unitOf|org:hasMember|^ggsr:financiert)* ?o .
          FILTER(STRSTARTS(STR(?o), "https://w3id.org/ggsr/id/"))
          FILTER NOT EXISTS {{ ?o a ggsr:Netwerk }}
          FILTER NOT EXISTS {{ ?o org:postIn ?n3 }} }}"""
    orgs = [URIRef(r["o"].value) for r in store.query(PREFIXES + parties)]
    if orgs:
        org = _values("x", orgs)
        q.append(
            _props(
                org,
                "rdfs:label org:unitOf org:hasMember ggsr:leefgebied ggsr:frequentie "
                "ggsr:geldigVanaf ggsr:blijktUit",
            )
        )
        q.append(f"CONSTRUCT {{ ?f ggsr:financiert ?x }} WHERE {{ {org} ?f ggsr:financiert ?x }}")
        q.append(
            f"CONSTRUCT {{ ?x ggsr:cbsCode ?c }} WHERE {{ {org} ?x a ggsr:Gemeente ; ggsr:cbsCode ?c }}"
        )
        q.append(
            f"CONSTRUCT {{ ?x ggsr:netwerk ?n }} WHERE {{ {org} ?x a ggsr:Overleg ; "
            f"ggsr:netwerk ?n . {_values('n', ours)} }}"
        )
        q += _kind(
            org,
            subclasses(ont, "Organisatie", "Overleg", "Overheid", "Inspectie"),
            GGSR.Organisatie,
        )
    out = Graph()
    for query in q:
        triples = list(store.query(PREFIXES + query))
        if triples:
            out.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return anonymous(out)


def anonymous(g: Graph) -> Graph:
    """Instance IRIs (id:) become blank nodes: the comparison is on structure and values."""
    nodes: dict[URIRef, BNode] = {}

    def k(t):
        if isinstance(t, URIRef) and str(t).startswith(str(ID)):
            return nodes.setdefault(t, BNode())
        return t

    out = Graph()
    for s, p, o in g:
        out.add((k(s), p, k(o)))
    return out


def networks_of(g: Graph, municipality: str, year: int | None = None) -> list[URIRef]:
    out = []
    for a, m in g.subject_objects(GGSR.gemeente):
        if norm(municipality) not in {norm(str(label)) for label in g.objects(m, RDFS.label)}:
            continue
        for net in g.subjects(GGSR.aanpak, a):
            if year is None or int(g.value(net, GGSR.peiljaar)) == year:
                out.append(net)
    return out


def assert_isomorphic(a: Graph, b: Graph) -> None:
    if not isomorphic(a, b):
        _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
        pytest.fail(
            f"niet isomorf ({len(a)} vs {len(b)} triples)\nalleen bron:\n"
            + "\n".join(map(str, sorted(only_a)[:20]))
            + "\nalleen werkboek:\n"
            + "\n".join(map(str, sorted(only_b)[:20]))
        )


# ---- round trip: export → import ---------------------------------------------------------------


def test_every_shipped_municipality_is_in_the_round_trip(shipped):
    """The round trip below runs on every municipality of the shipped data; issue 15 names ten."""
    assert set(MUNICIPALITIES) <= set(municipalities_with_networks(shipped))


def _round_trip(capsys, tmp_path: Path, municipality: str, where: str = "netwerk.xlsx"):
    out, ttl = tmp_path / where, tmp_path / "netwerk.ttl"
    code, _, err = run(capsys, "export", "--gemeente", municipality, "--out", out)
    assert code == 0, err
    code, stdout, err = run(capsys, "import", out, "--out", ttl)
    assert code == 0, err
    assert f"ggsr-kg validate --data {ttl}" in stdout
    return out, ttl


@pytest.mark.parametrize("municipality", MUNICIPALITIES)
def test_round_trip_is_isomorphic_and_a_second_export_is_the_same_file(
    capsys, tmp_path, shipped, ontology, municipality
):
    """export → import gives the covered facts back; exporting that import gives the same .xlsx,
    byte for byte (rows and multi-valued cells ordered by content, kenmerken kept)."""
    xlsx, ttl = _round_trip(capsys, tmp_path, municipality)
    back = Graph().parse(ttl, format="turtle")
    source = covered_facts(shipped, ontology, networks_of(shipped, municipality))
    assert len(source) > 100
    assert_isomorphic(source, covered_facts(back, ontology, networks_of(back, municipality)))
    again = tmp_path / "opnieuw.xlsx"
    code, _, err = run(capsys, "export", "--data", ttl, "--gemeente", municipality, "--out", again)
    assert code == 0, err
    assert again.read_bytes() == xlsx.read_bytes()


def test_round_trip_of_one_year_through_csv_and_a_second_csv_export_is_the_same(
    capsys, tmp_path, shipped, ontology
):
    folder, ttl = tmp_path / "csv", tmp_path / "netwerk.ttl"
    assert (
        run(capsys, "export", "--gemeente", "Emmen", "--jaar", 2014, "--out", f"{folder}/")[0] == 0
    )
    assert (folder / "Afspraken.csv").is_file()
    code, _, err = run(capsys, "import", f"{folder}/", "--out", ttl)
    assert code == 0, err
    back = Graph().parse(ttl, format="turtle")
    assert_isomorphic(
        covered_facts(shipped, ontology, networks_of(shipped, "Emmen", 2014)),
        covered_facts(back, ontology, networks_of(back, "Emmen", 2014)),
    )
    again = tmp_path / "opnieuw"
    code, _, err = run(
        capsys, "export", "--data", ttl, "--gemeente", "Emmen", "--jaar", 2014, "--out", f"{again}/"
    )
    assert code == 0, err
    for f in sorted(folder.glob("*.csv")):
        assert (again / f.name).read_bytes() == f.read_bytes(), f.name


def test_every_scorecard_survives_the_round_trip(capsys, tmp_path):
    """All municipalities exported and imported again give the scorecard of the shipped data: the
    same status, grondslag and facts that do not count, for every network and indicator."""
    files = []
    for i, municipality in enumerate(MUNICIPALITIES):
        xlsx, ttl = tmp_path / f"{i}.xlsx", tmp_path / f"{i}.ttl"
        assert run(capsys, "export", "--gemeente", municipality, "--out", xlsx)[0] == 0
        assert run(capsys, "import", xlsx, "--out", ttl)[0] == 0
        files.append(ttl)

    def scores(*argv) -> dict:
        code, out, err = run(capsys, "validate", *argv, "--format", "json")
        assert code in (0, 1), err
        return {
            (s["gemeente"], s["aanpak"], s["jaar"], s["indicator"]): (
                s["status"],
                s["grondslag"],
                s["niet_meegeteld"],
            )
            for s in json.loads(out)
        }

    before = scores()
    after = scores("--data", *files)
    assert len(before) >= 30 * 15
    assert after == before


def test_export_of_unknown_municipality_or_year(capsys, tmp_path):
    code, _, err = run(capsys, "export", "--gemeente", "Atlantis", "--out", tmp_path / "a.xlsx")
    assert code == 2 and "Atlantis" in err and "Bekend" in err
    code, _, err = run(
        capsys, "export", "--gemeente", "Amsterdam", "--jaar", 2001, "--out", tmp_path / "a.xlsx"
    )
    assert code == 2 and "2001" in err
    assert not (tmp_path / "a.xlsx").exists()


# ---- the template ------------------------------------------------------------------------------


def ontology_labels(ont: Graph, name: str) -> set[str]:
    """The Dutch labels a list must hold, computed straight from the ontology."""
    from rdflib import OWL

    def nl(node, *props):
        for p in props:
            for o in ont.objects(node, p):
                if isinstance(o, Literal) and o.language == "nl":
                    return str(o)
        return None

    classes = {
        "Organisatiesoort": (("Organisatie", "Overleg", "Overheid", "Inspectie"), ()),
        "Functiesoort": (("Functie",), ()),
        "Bevoegdheidsoort": (("Bevoegdheid",), ()),
        "Documentsoort": (("Document",), ()),
        "Afspraaksoort": (("Regeling",), ()),
        "Praktijksoort": (("Praktijk",), ("Overleg",)),
        "Escalatiemodelsoort": (("Escalatiemodel",), ()),
        "Ontbrekende soort": (
            (
                "Regeling",
                "Bevoegdheid",
                "Document",
                "Praktijk",
                "Functie",
                "Organisatie",
                "Overleg",
                "Overheid",
                "Escalatiemodel",
                "Doelgroepomschrijving",
            ),
            (),
        ),
    }
    schemes = {
        "Documentstatus": "Documentstatussen",
        "Escalatieniveau": "Escalatieniveaus",
        "Leefgebied": "Leefgebieden",
        "Verwijsindex": "Verwijsindexen",
        "CJG-BJZ-model": "CjgBjzModellen",
        "Beginsel": "Beginselen",
        "Methode": "Methoden",
        "Afsluitgrond": "Afsluitgronden",
        "Evaluatiegevolg": "Evaluatiegevolgen",
        "Knelpuntsoort": "Knelpuntsoorten",
        "Collectieve actor": "CollectieveActoren",
    }
    if name in classes:
        roots, leave_out = classes[name]
        # a kind that ceased (ggsr:bestaatTot) is offered marked with the year it ended; a
        # deprecated one is not offered
        return {
            nl(c, RDFS.label)
            + (
                f" (tot {str(ont.value(c, GGSR.bestaatTot))[:4]})"
                if ont.value(c, GGSR.bestaatTot)
                else ""
            )
            for c in subclasses(ont, *roots, leave_out=leave_out)
            if (c, OWL.deprecated, Literal(True)) not in ont
        }
    if name in schemes:
        return {
            nl(c, SKOS.prefLabel, RDFS.label)
            for c in ont.subjects(SKOS.inScheme, GGSR[schemes[name]])
        }
    return {
        "Netwerkrol": {"partner", "kernpartner", "overleg"},
        "Ja/nee": {"ja", "nee"},
    }[name]


def test_template_has_drop_downs_with_the_ontology_labels(capsys, tmp_path, ontology):
    path = tmp_path / "leeg.xlsx"
    code, out, err = run(capsys, "sjabloon", "--out", path)
    assert code == 0 and path.is_file()
    assert "ggsr-kg import" in err
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Instructie"
    assert wb["Lijsten"].sheet_state == "hidden"
    lists = wb["Lijsten"]
    letters = {c.value: c.column_letter for c in lists[1]}
    checked = 0
    for sheet in SHEETS:
        ws = wb[sheet.name]
        assert [c.value for c in ws[1]] == [c.heading for c in sheet.all_columns]
        assert ws.max_row == 1, "the template is empty"
        for j, c in enumerate(sheet.all_columns, start=1):
            if not c.values:
                continue
            letter = ws.cell(row=1, column=j).column_letter
            dvs = [
                dv
                for dv in ws.data_validations.dataValidation
                if f"{letter}2" in dv.sqref and dv.type == "list"
            ]
            assert len(dvs) == 1, f"{sheet.name}.{c.heading}: geen uitklapmenu"
            formula = dvs[0].formula1
            assert formula.startswith("Lijsten!$" + letters[c.values] + "$2:"), formula
            end = int(formula.rsplit("$", 1)[1])
            offered = [lists[f"{letters[c.values]}{i}"].value for i in range(2, end + 1)]
            assert None not in offered and len(offered) == len(set(offered))
            assert set(offered) == ontology_labels(ontology, c.values), c.values
            # single values: the drop-down refuses anything else; several values: it advises
            assert dvs[0].showErrorMessage == (not c.multi)
            checked += 1
    assert checked >= 20
    assert set(value_lists()) == set(letters)
    assert {c.value for c in lists[1]} >= {"Documentstatus", "Afspraaksoort", "Collectieve actor"}


def test_template_as_csv_folder(capsys, tmp_path):
    folder = tmp_path / "sjabloon"
    code, _, _ = run(capsys, "sjabloon", "--out", f"{folder}/")
    assert code == 0
    for sheet in SHEETS:
        head = (folder / f"{sheet.name}.csv").read_text(encoding="utf-8-sig").splitlines()[0]
        assert head == ",".join(c.heading for c in sheet.all_columns)
    assert (folder / "Instructie.txt").read_text(encoding="utf-8").startswith("Werkboek")


def test_template_refuses_other_extensions(capsys, tmp_path):
    code, _, err = run(capsys, "sjabloon", "--out", tmp_path / "sjabloon.ods")
    assert code == 2 and ".xlsx" in err


def test_a_workbook_carries_no_time_stamp(tmp_path):
    """openpyxl stamps the time of saving on every zip entry and in docProps/core.xml; the
    writer fixes both, so the same rows give the same bytes whenever they are written."""
    import zipfile

    from ggsr_kg.workbook.template import FIXED_TIME

    path = write_workbook(tmp_path / "a.xlsx")
    with zipfile.ZipFile(path) as z:
        assert {i.date_time for i in z.infolist()} == {FIXED_TIME}
        core = z.read("docProps/core.xml").decode()
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == [
        "2000-01-01T00:00:00Z",
        "2000-01-01T00:00:00Z",
    ]


# ---- the evidence model: workbook fixtures with their expected scorecards ----------------------

EVIDENCE_CASES = sorted(p for p in (FIXTURES / "bewijs").iterdir() if p.is_dir())


def scorecard(capsys, *data) -> dict[str, dict]:
    code, out, err = run(capsys, "validate", "--data", *data, "--format", "json")
    assert code in (0, 1), err
    return {s["indicator"]: s for s in json.loads(out)}


def test_there_are_evidence_cases():
    names = {p.name for p in EVIDENCE_CASES}
    assert {
        "concept-overeenkomst",
        "ondertekende-overeenkomst",
        "bindend-voor-niemand",
        "bevinding-geen-privacyconvenant",
        "eigen-functienaam",
    } <= names


@pytest.mark.parametrize("case", EVIDENCE_CASES, ids=lambda p: p.name)
def test_evidence_case_gives_its_expected_scorecard(capsys, case):
    """Each folder under tests/fixtures/workbook/bewijs/ is a small workbook (CSV) and the
    outcome it must give (verwacht.json): status, grondslag and the facts that do not count."""
    expected = json.loads((case / "verwacht.json").read_text(encoding="utf-8"))["indicatoren"]
    got = scorecard(capsys, case)
    for code, want in expected.items():
        assert {k: got[code][k] for k in want} == want, (code, got[code]["redenen"])


def test_without_the_signature_the_agreement_does_not_count(capsys, tmp_path):
    """The two agreement cases differ only in the document's status row: that alone moves 4.2.2."""
    draft, signed = (
        FIXTURES / "bewijs" / "concept-overeenkomst",
        FIXTURES / "bewijs" / "ondertekende-overeenkomst",
    )
    for name in ("Aanpak.csv", "Organisaties.csv", "Afspraken.csv"):
        assert (draft / name).read_bytes() == (signed / name).read_bytes()
    assert scorecard(capsys, draft)["4.2.2"]["status"] == "onbekend"
    assert scorecard(capsys, signed)["4.2.2"]["status"] == "voldoet"


def test_signed_by_the_municipality_and_all_partners_is_one_cell(tmp_path):
    """'gemeente; alle partners' in Ondertekend door: the municipality and the network node."""
    result = import_workbook(FIXTURES / "bewijs" / "ondertekende-overeenkomst", check=False)
    assert result.problems == []
    g = result.graph
    doc = next(g.subjects(GGSR.status, None))
    signed = set(g.objects(doc, GGSR.ondertekendDoor))
    assert signed == {ID["gemeente-gemeente-proef"], next(g.subjects(GGSR.peiljaar, None))}
    assert str(g.value(doc, GGSR.statusdatum)) == "2016-05-12"


def test_binding_on_no_one_is_explicit(tmp_path):
    g = import_workbook(FIXTURES / "bewijs" / "bindend-voor-niemand", check=False).graph
    authority = next(g.subjects(RDF.type, GGSR.Doorzettingsmacht))
    assert (authority, GGSR.bindend, Literal(False)) in g
    assert (authority, GGSR.bindt, None) not in g


def test_the_role_kind_decides_not_its_name(capsys, tmp_path):
    """Without the gezinsregisseur ('regisseur Proefwijk') only a jeugdconsulent is left, which
    is no coordinating role: 3.2.1 is unknown."""
    folder = tmp_path / "zonder"
    shutil.copytree(FIXTURES / "bewijs" / "eigen-functienaam", folder)
    lines = (folder / "Functies.csv").read_text(encoding="utf-8").splitlines()
    (folder / "Functies.csv").write_text("\n".join([lines[0], lines[2]]) + "\n", encoding="utf-8")
    assert scorecard(capsys, folder)["3.2.1"]["status"] == "onbekend"


def test_a_finding_needs_no_stated_by_and_defaults_to_stj():
    g = import_workbook(FIXTURES / "bewijs" / "bevinding-geen-privacyconvenant", check=False).graph
    finding = next(g.subjects(RDF.type, GGSR.Bevinding))
    assert g.value(finding, GGSR.toezichthouder) == ID["stj"]
    assert (ID["stj"], RDF.type, GGSR.Inspectie) in g
    assert (finding, GGSR.verklaardDoor, None) not in g
    absence = next(g.subjects(RDF.type, GGSR.Afwezigheid))
    assert g.value(absence, GGSR.blijktUit) == finding
    assert g.value(absence, GGSR.soort) == GGSR.Informatiedelingsafspraak


def _workbook(tmp_path: Path, **sheets) -> Path:
    rows = {
        "Aanpak": [
            {
                "Gemeente": "Gemeente Proef",
                "CBS-code": "GM9998",
                "Aanpak": "Proefaanpak",
                "Jaar": 2016,
            }
        ],
        "Organisaties": [
            {"Naam": "Wijkteam Proef", "Soort": "lokaal team", "Netwerkrol": "kernpartner"}
        ],
    }
    rows.update(sheets)
    return write_workbook(tmp_path / "w.xlsx", rows)


def problems(path: Path) -> list[str]:
    return [str(p) for p in import_workbook(path, check=False).problems]


def test_another_inspectorate_named_in_the_workbook(tmp_path):
    path = _workbook(
        tmp_path,
        Aanpak=[
            {"Gemeente": "Gemeente Proef", "CBS-code": "GM9998", "Aanpak": "Proefaanpak",
             "Jaar": 2016, "Toezichthouder": "Inspectie Jeugd"}
        ],
        Organisaties=[{"Naam": "Inspectie Jeugd", "Soort": "inspectie"}],
        Bevindingen=[{"Kenmerk": "B1", "Tekst": "Er is geen escalatiemodel."},
                     {"Kenmerk": "B2", "Tekst": "Er is geen visie.", "Toezichthouder": "STJ"}],
    )  # fmt: skip
    g = import_workbook(path, check=False).graph
    by_text = {
        str(g.value(f, GGSR.tekst)): g.value(f, GGSR.toezichthouder)
        for f in g.subjects(RDF.type, GGSR.Bevinding)
    }
    assert by_text["Er is geen visie."] == ID["stj"]
    inspectie = by_text["Er is geen escalatiemodel."]
    assert (inspectie, RDF.type, GGSR.Inspectie) in g and inspectie != ID["stj"]


def test_collective_actors_in_an_escalation_step(tmp_path):
    path = _workbook(
        tmp_path,
        Escalatie=[
            {"Stap nr": 1, "Actor": "betrokken professionals", "Handeling": "overleggen"},
            {"Stap nr": 2, "Actor": "de leidinggevenden van de partners; Wijkteam Proef",
             "Handeling": "besluiten"},
        ],
    )  # fmt: skip
    g = import_workbook(path, check=False).graph
    actors = {
        int(g.value(s, GGSR.volgnummer)): set(g.objects(s, GGSR.actor))
        for s in g.subjects(RDF.type, GGSR.Escalatiestap)
    }
    ca = "https://w3id.org/ggsr/def/actor/"
    assert actors[1] == {URIRef(ca + "betrokken-professionals")}
    assert URIRef(ca + "leidinggevenden-partners") in actors[2] and len(actors[2]) == 2
    assert not any(a for a in actors[1] if (a, RDF.type, GGSR.Functie) in g)


@pytest.mark.parametrize(
    ("sheets", "expected"),
    [
        ({"Afspraken": [{"Soort": "samenwerkingsafspraak", "Omschrijving": "x", "Meldpunt": "Wijkteam Proef"}]},
         "Blad Afspraken, rij 2, kolom Meldpunt: geldt alleen voor de soort 'aanmeldroute'; deze rij is 'samenwerkingsafspraak'"),
        ({"Afspraken": [{"Soort": "samenwerkingsafspraak", "Omschrijving": "x", "Bindend voor": "niemand; Wijkteam Proef"}]},
         "Blad Afspraken, rij 2, kolom Bindend voor: 'niemand' en namen tegelijk"),
        ({"Verklaringen": [{"Kenmerk": "V1", "Verklaard door": "gemeente", "Tekst": "t"}],
          "Afwezigheden": [{"Soort": "visie op de aanpak", "Omschrijving": "x", "Blijkt uit": "V2"}]},
         "Blad Afwezigheden, rij 2, kolom Blijkt uit: 'V2' is geen kenmerk op de bladen Verklaringen, Bevindingen of Praktijk en geen titel op het blad Documenten; bedoelt u 'V1'?"),
        ({"Praktijk": [{"Kenmerk": "P1", "Soort": "bijhouden van resultaten", "Omschrijving": "x"}],
          "Afwezigheden": [{"Soort": "visie op de aanpak", "Omschrijving": "x", "Blijkt uit": "P1"}]},
         "Blad Afwezigheden, rij 2, kolom Blijkt uit: 'P1' staat op het blad Praktijk; een afwezigheid blijkt uit een verklaring of bevinding"),
        ({"Verklaringen": [{"Kenmerk": "V1", "Verklaard door": "gemeente", "Tekst": "a"},
                           {"Kenmerk": "v1", "Verklaard door": "gemeente", "Tekst": "b"}]},
         "Blad Verklaringen, rij 3, kolom Kenmerk: kenmerk 'v1' staat al op blad Verklaringen, rij 2"),
        ({"Functies": [{"Functie": "wijkregisseur", "Soort": "gezinsregiseur", "Houder": "Wijkteam Proef"}]},
         "Blad Functies, rij 2, kolom Soort: 'gezinsregiseur' staat niet in de lijst Functiesoort (kies uit het uitklapmenu); bedoelt u 'gezinsregisseur'?"),
        ({"Functies": [{"Functie": "gezinsregisseur", "Soort": "gezinsregisseur", "Houder": "Wijkteam Prof"}]},
         "Blad Functies, rij 2, kolom Houder: 'Wijkteam Prof' staat niet op het blad Organisaties; bedoelt u 'Wijkteam Proef'?"),
        ({"Documenten": [{"Titel": "Convenant", "Soort": "convenant", "Status": "getekend"}]},
         "Blad Documenten, rij 2, kolom Status: 'getekend' staat niet in de lijst Documentstatus"),
        ({"Documenten": [{"Titel": "Convenant", "Soort": "convenant"}]},
         "Blad Documenten, rij 2, kolom Status: verplichte cel is leeg"),
        ({"Bevoegdheden": [{"Soort": "doorzettingsmacht", "Omschrijving": "x"}]},
         "Blad Bevoegdheden, rij 2, kolom Functie: vul Functie of Berust bij in"),
        ({"Organisaties": [{"Naam": "alle partners", "Soort": "organisatie"}]},
         "Blad Organisaties, rij 2, kolom Naam: 'alle partners' is een vast woord in naamcellen"),
        ({"Organisaties": [{"Naam": "Wijkteam Proef", "Soort": "lokaal team", "Netwerkrol": "meldt aan"}]},
         "Blad Organisaties, rij 2, kolom Netwerkrol: 'meldt aan' kan niet meer: wie gezinnen aanmeldt, staat nu bij Aanmelders op het blad Afspraken (soort aanmeldroute)"),
        ({"Organisaties": [{"Naam": "Wijkteam Proef", "Soort": "lokaal team", "Netwerkrol": "overleg"}]},
         "Blad Organisaties, rij 2, kolom Netwerkrol: netwerkrol 'overleg' past alleen bij de soort 'overleg'"),
        ({"Afspraken": [{"Soort": "afsluitingsregel", "Omschrijving": "x", "Maximale duur": "binnenkort"}]},
         "Blad Afspraken, rij 2, kolom Maximale duur: 'binnenkort' is geen duur"),
    ],
)  # fmt: skip
def test_mistakes_in_evidence_are_named_with_their_place_and_what_was_meant(
    tmp_path, sheets, expected
):
    found = problems(_workbook(tmp_path, **sheets))
    assert any(p.startswith(expected) for p in found), "\n".join(found)


def test_a_column_of_the_first_workbook_says_where_it_went(capsys, tmp_path):
    pad = _workbook(tmp_path)
    wb = load_workbook(pad)
    set_cell(wb, "Aanpak", 2, "Meldpunt", "Wijkteam Proef")
    set_cell(wb, "Documenten", 2, "Titel", "Convenant")
    set_cell(wb, "Documenten", 2, "Soort", "convenant")
    set_cell(wb, "Documenten", 2, "Status", "ondertekend")
    set_cell(wb, "Documenten", 2, "Regelt", "samenwerkingsafspraken")
    wb.save(pad)
    found = problems(pad)
    assert (
        "Blad Aanpak, rij 1, kolom Meldpunt: kolom uit het vorige werkboek: staat nu op het blad "
        "Afspraken: soort 'aanmeldroute', kolom Meldpunt; de waarden worden niet ingelezen"
    ) in found
    assert any(
        p.startswith("Blad Documenten, rij 1, kolom Regelt: kolom uit het vorige werkboek")
        for p in found
    )


# ---- the example a new user made ----------------------------------------------------------------

DOCS = Path(__file__).parent.parent / "docs" / "werkboek.md"
EXAMPLE_2016 = Path(__file__).parent.parent / "examples" / "gemeente-voorbeeld-2016"
WALK = EXAMPLE_2016 / "csv"  # the walk-through of docs/werkboek.md, as CSV


def documented(begin: str) -> dict[str, tuple[str, str]]:
    """indicator → (status, grondslag) from the table in docs/werkboek.md after ``begin``."""
    text = DOCS.read_text(encoding="utf-8")
    block = text.split(begin, 1)[1].split("<!--", 1)[0]
    return {
        code: (status, basis)
        for code, status, basis in re.findall(
            r"^\| (\d\.\d\.\d) \| (voldoet|verbeterpunt|onbekend) \| (\w+) \|", block, re.M
        )
    }


def test_walk_through_scorecard_is_as_documented(capsys):
    """The invented municipality of the walk-through, straight from its CSV folder through
    'validate --data DIR': the scorecard docs/werkboek.md shows, indicator by indicator."""
    expected = documented("<!-- scorecard gemeente-voorbeeld -->")
    assert len(expected) == 30
    got = scorecard(capsys, WALK)
    assert {k: (s["status"], s["grondslag"]) for k, s in got.items()} == expected
    code, out, _ = run(capsys, "validate", "--data", WALK, "--gemeente", "Gemeente Voorbeeld")
    assert code in (0, 1) and "== Gemeente Voorbeeld — Voorbeeldaanpak — 2016 ==" in out
    total = out.strip().splitlines()[-1]
    assert total in DOCS.read_text(encoding="utf-8"), total


def test_the_2016_example_workbook_gives_the_documented_scorecard(capsys):
    """examples/gemeente-voorbeeld-2016: the workbook (.xlsx) and its CSV form give the same
    scorecard, the one docs/werkboek.md shows — outcome and grondslag per indicator."""
    expected = documented("<!-- scorecard gemeente-voorbeeld -->")
    got = scorecard(capsys, EXAMPLE_2016 / "gemeente-voorbeeld-2016.xlsx")
    assert {k: (s["status"], s["grondslag"]) for k, s in got.items()} == expected
    assert got["3.2.2"]["status"] == "voldoet" and got["3.2.2"]["grondslag"] == "document"
    assert got["4.3.1"]["status"] == "onbekend"  # the privacy protocol is a draft
    assert any("concept" in n for n in got["4.3.1"]["niet_meegeteld"])


def test_the_2016_example_is_described_with_todays_kinds(tmp_path):
    """The wijkteam, Veilig Thuis and the gecertificeerde instelling are kinds of after 2015; the
    gezinsregisseur's doorzettingsmacht rests on the signed covenant; no kind is out of its time."""
    from ggsr_kg.graph import KnowledgeGraph
    from ggsr_kg.quality import check_quality

    ttl = tmp_path / "voorbeeld.ttl"
    assert (
        main(["import", str(EXAMPLE_2016 / "gemeente-voorbeeld-2016.xlsx"), "--out", str(ttl)]) == 0
    )
    kg = KnowledgeGraph.default(data=[ttl])
    kinds = {
        r["kind"].value.rsplit("#", 1)[1]
        for r in kg.select(
            """SELECT DISTINCT ?kind WHERE { ?n a ggsr:Netwerk ; org:hasMember ?o .
                 ?o a ?kind . FILTER(STRSTARTS(STR(?kind), STR(ggsr:))) }"""
        )
    }
    assert {"LokaalTeam", "VeiligThuis", "GecertificeerdeInstelling"} <= kinds
    assert "BureauJeugdzorg" not in kinds
    [row] = kg.select(
        """SELECT ?g ?status WHERE { ?f a ggsr:Gezinsregisseur ; ggsr:bevoegdheid ?d .
             ?d a ggsr:Doorzettingsmacht ; ggsr:grondslag ?g ; ggsr:vastgelegdIn/ggsr:status ?status }"""
    )
    assert row["g"].value.endswith("/document") and row["status"].value.endswith("/ondertekend")
    assert not [r for r in check_quality(kg) if "SoortInPeiljaar" in r.shape]


def test_validate_takes_the_workbook_itself(capsys, tmp_path):
    """'validate --data mijn.xlsx' (and a CSV folder) gives the same scorecard as import + validate
    on the Turtle; a workbook with a problem stops with its sheet, row and column (exit 2)."""
    ttl = tmp_path / "zwolle.ttl"
    assert run(capsys, "import", EXAMPLE, "--out", ttl)[0] == 0
    via_ttl = scorecard(capsys, ttl)
    assert scorecard(capsys, EXAMPLE) == via_ttl
    code, out, _ = run(capsys, "validate", "--data", EXAMPLE)
    assert code in (0, 1) and out.startswith("== Zwolle — Zwolse gezinsaanpak — 2014 ==")
    assert out.strip().splitlines()[-1] in DOCS.read_text(encoding="utf-8")
    folder = tmp_path / "csv"
    shutil.copytree(WALK, folder)
    (folder / "Instructie.txt").write_text("wat sjabloon meeschrijft\n", encoding="utf-8")
    essence = lambda card: {  # noqa: E731 - reasons name the folder the workbook came from
        k: (v["status"], v["grondslag"], v["niet_meegeteld"]) for k, v in card.items()
    }
    assert essence(scorecard(capsys, folder)) == essence(scorecard(capsys, WALK))
    wrong = copy_example(tmp_path)
    wb = load_workbook(wrong)
    set_cell(wb, "Escalatie", 3, "Niveau", "topniveau")
    wb.save(wrong)
    code, out, err = run(capsys, "validate", "--data", wrong)
    assert code == 2 and out == ""
    assert "Blad Escalatie, rij 3, kolom Niveau: 'topniveau' staat niet in de lijst" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("municipality", "code", "expected"),
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
def test_municipality_and_cbs_code(capsys, tmp_path, municipality, code, expected):
    folder = tmp_path / "csv"
    shutil.copytree(WALK, folder)
    text = (folder / "Aanpak.csv").read_text(encoding="utf-8-sig")
    assert "Gemeente Voorbeeld,GM9999" in text
    text = text.replace("Gemeente Voorbeeld,GM9999", f"{municipality},{code or ''}", 1)
    (folder / "Aanpak.csv").write_text(text, encoding="utf-8")
    code_, _, err = run(capsys, "import", folder)
    assert code_ == 2
    assert "Blad Aanpak, rij 2, kolom CBS-code: " in err and expected in err, err


def test_official_name_of_a_municipality_is_its_cbs_name(tmp_path):
    """'Gemeente Zwolle' is Zwolle: the same node as the shipped data would use."""
    path = copy_example(tmp_path)
    wb = load_workbook(path)
    set_cell(wb, "Aanpak", 2, "Gemeente", "Gemeente Zwolle")
    wb.save(path)
    g = import_workbook(path, check=False).graph
    assert (ID["gemeente-zwolle"], RDFS.label, Literal("Zwolle", lang="nl")) in g
    assert (ID["gemeente-zwolle"], GGSR.cbsCode, Literal("GM0193")) in g


def test_invented_municipality_round_trips(capsys, tmp_path, ontology):
    """The walk-through's invented municipality (GM9999) survives export → import, like the
    shipped ones; a name holding the separator is noted by the export."""
    ttl, xlsx, back = tmp_path / "v.ttl", tmp_path / "v.xlsx", tmp_path / "terug.ttl"
    assert run(capsys, "import", WALK, "--out", ttl)[0] == 0
    code, _, err = run(
        capsys, "export", "--data", ttl, "--gemeente", "Gemeente Voorbeeld", "--out", xlsx
    )
    assert code == 0, err
    assert run(capsys, "import", xlsx, "--out", back)[0] == 0
    a, b = Graph().parse(ttl), Graph().parse(back)
    assert (None, GGSR.cbsCode, Literal("GM9999")) in b
    assert_isomorphic(
        covered_facts(a, ontology, networks_of(a, "Gemeente Voorbeeld")),
        covered_facts(b, ontology, networks_of(b, "Gemeente Voorbeeld")),
    )
    from ggsr_kg.workbook.exporter import export

    ggd = next(s for s, o in a.subject_objects(RDFS.label) if str(o) == "GGD Voorbeeld")
    a.set((ggd, RDFS.label, Literal("GGD; Voorbeeld", lang="nl")))
    _, notes = export(a, "Gemeente Voorbeeld")
    assert any("'ggd; voorbeeld' bevat een puntkomma" in n for n in notes), notes


@pytest.mark.parametrize("name", ["Organisatiesoort", "Functiesoort"])
def test_todays_kinds_come_first_and_historical_ones_after_them_marked(ontology, name):
    """Issue 16: the drop-down offers today's kinds first; the kinds that ceased (ggsr:bestaatTot
    in the ontology) follow, marked '(tot <year>)'; the plain label and alternative labels of a
    kind are accepted on import."""
    items = value_lists()[name].items
    historical = [bool(ontology.value(iri, GGSR.bestaatTot)) for _, iri in items]
    assert any(historical) and not all(historical)
    assert historical == sorted(historical), "no historical kind before a kind of today"
    for (label, iri), old in zip(items, historical, strict=True):
        assert label.endswith(" (tot 2015)") == old, label
        assert value_lists()[name].find(label) == iri
        assert value_lists()[name].find(label.removesuffix(" (tot 2015)")) == iri


def test_todays_kinds_are_offered(ontology):
    org = value_lists()["Organisatiesoort"]
    today = {label for label, iri in org.items if not ontology.value(iri, GGSR.bestaatTot)}
    assert {"lokaal team", "Veilig Thuis", "gecertificeerde instelling", "jeugdregio"} <= today
    assert "Bureau Jeugdzorg (BJZ) (tot 2015)" in org.labels
    assert org.find("wijkteam") == GGSR.LokaalTeam  # an alternative label
    assert org.find("(zorg- en) veiligheidshuis") == GGSR.Veiligheidshuis  # the former label
    roles = value_lists()["Functiesoort"]
    assert "gezinsregisseur" in roles.labels
    assert roles.labels[-1] == "voorpostfunctionaris (tot 2015)"
    assert "evaluatie (verouderd)" not in value_lists()["Documentsoort"].labels  # deprecated
    assert value_lists()["Documentstatus"].find("niet vermeld") is not None


def test_a_2016_workbook_takes_marked_and_plain_labels_and_warns_at_the_cell(capsys, tmp_path):
    """A 2016 network with a Bureau Jeugdzorg (chosen from the list, with its mark) and a second
    one typed by its plain name: both become ggsr:BureauJeugdzorg, the import succeeds, and the
    quality warning names the successors at the row of each."""
    rows = {
        "Aanpak": [
            {"Gemeente": "Gemeente Nu", "CBS-code": "GM9998", "Aanpak": "Gezinsaanpak", "Jaar": 2016}
        ],
        "Organisaties": [
            {"Naam": "BJZ Noord", "Soort": "Bureau Jeugdzorg (BJZ) (tot 2015)", "Netwerkrol": "partner"},
            {"Naam": "BJZ Zuid", "Soort": "Bureau Jeugdzorg (BJZ)", "Netwerkrol": "partner"},
            {"Naam": "Wijkteam Centrum", "Soort": "wijkteam", "Netwerkrol": "partner"},
        ],
        "Functies": [
            {"Functie": "gezinsregisseur wijkteam", "Soort": "gezinsregisseur", "Houder": "Wijkteam Centrum"}
        ],
    }  # fmt: skip
    path, ttl = write_workbook(tmp_path / "nu.xlsx", rows), tmp_path / "nu.ttl"
    code, _, err = run(capsys, "import", path, "--out", ttl)
    assert code == 0, err
    g = Graph().parse(ttl)
    kind = {str(o): g.value(s, RDF.type) for s, o in g.subject_objects(RDFS.label)}
    assert kind["BJZ Noord"] == kind["BJZ Zuid"] == GGSR.BureauJeugdzorg
    assert kind["Wijkteam Centrum"] == GGSR.LokaalTeam
    assert kind["gezinsregisseur wijkteam"] == GGSR.Gezinsregisseur
    for row, name in ((2, "BJZ Noord"), (3, "BJZ Zuid")):
        (line,) = [
            r for r in err.splitlines() if f"Blad Organisaties, rij {row}, kolom Soort:" in r
        ]
        assert "waarschuwing" in line and f"van {name} bestaat sinds 2015-01-01 niet meer" in line
        assert all(
            o in line
            for o in ("gecertificeerde instelling", "Veilig Thuis", "gemeentelijke toegang")
        )


def test_no_list_label_holds_the_separator_and_every_list_is_unambiguous():
    """The separator can never clash with a value from a drop-down, and no two values of a list
    read the same."""
    for values in value_lists().values():
        seen = set()
        for label in values.labels:
            assert ";" not in label and "\n" not in label, (values.name, label)
            assert norm(label) not in seen, (values.name, label)
            seen.add(norm(label))


def test_kind_specific_columns_agree_with_the_ontology_domains():
    """A column for some kinds only (Meldpunt for an aanmeldroute) names the kinds its property's
    rdfs:domain names, where the ontology gives one."""
    from ggsr_kg.workbook.mapping import domain_of, is_a

    for sheet in SHEETS:
        for c in sheet.columns:
            if c.for_kinds and c.prop is not None and domain_of(c.prop):
                assert all(is_a(k, domain_of(c.prop)) for k in c.for_kinds), (sheet.name, c.heading)


# ---- which column decides which indicator ----------------------------------------------------------


def test_the_indicator_table_in_the_docs_is_derived_from_the_rules():
    from ggsr_kg.workbook.indicators import BEGIN, END, markdown

    text = DOCS.read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    current = BEGIN + text.split(BEGIN, 1)[1].split(END, 1)[0] + END
    assert current == markdown(), (
        "docs/werkboek.md is out of date with the evidence rules; regenerate the table with "
        "'python -m ggsr_kg.workbook.indicators' and paste it between the markers"
    )


def test_every_rule_of_every_indicator_is_recorded_by_some_column():
    from ggsr_kg.rules import load_rules
    from ggsr_kg.workbook.indicators import columns_per_indicator, indicators

    every = indicators()
    assert len(every) == 30
    assert sum(len(i.rules) for i in every) == len(load_rules())
    for ind in every:
        for rc in ind.rules:
            assert rc.uses, f"{ind.code} {rc.rule.name}: no column of the workbook records it"
    counts = columns_per_indicator()
    # spot checks of the derivation against what the rules say
    assert "1.2.2" in counts[("Afspraken", "Aanmelders")]
    assert "1.2.2" in counts[("Organisaties", "Soort")]  # a police force serves veiligheid
    assert "4.2.2" in counts[("Documenten", "Betreft aanpak")]
    assert "4.2.2" in counts[("Documenten", "Ondertekend door")]
    assert "3.2.3" in counts[("Afspraken", "Voor functie")]
    assert "3.2.2" in counts[("Bevoegdheden", "Bindend voor")]
    assert "4.3.1" in counts[("Afwezigheden", "Soort")]
    assert (
        "1.1.1" in counts[("Doelgroep", None)]
        or "1.1.1" in counts[("Doelgroep", "Gehanteerd door")]
    )
    assert (
        "Verklaringen",
        "Tekst",
    ) not in counts  # a statement's words decide nothing by themselves
    i431 = next(i for i in every if i.code == "4.3.1")
    assert Use("Afwezigheden", "Soort", ("afspraak over informatiedeling",)) in i431.rules[0].uses
    # an absence rule is recorded on Afwezigheden only, never as an arrangement of that kind
    assert all(u.sheet == "Afwezigheden" for u in i431.rules[0].uses)
    # every principle and kind of arrangement the rules ask for is in the lists
    principles = {
        w
        for i in every
        for r in i.rules
        for u in r.uses
        if u.column == "Beginsel"
        for w in u.values
    }
    assert {"eigen kracht", "één gezin, één plan", "outreachend"} <= principles


def test_instruction_sheet_says_what_each_column_decides(tmp_path):
    from ggsr_kg.workbook.template import instruction_lines

    lines = instruction_lines()
    text = "\n".join(lines)
    assert "Welke kolommen beslissen over welke indicator" in text
    assert any(
        r.startswith("  – Betreft aanpak (") and "Telt voor" in r and "4.2.2" in r for r in lines
    )
    assert "puntkomma" in text and "GM9999" in text and "niemand" in text
    assert (
        "      1. verbeterpunt: er zijn geen afspraken over het delen van informatie — Afwezigheden: Soort (afspraak over informatiedeling)"
        in lines
    )
    path = write_workbook(tmp_path / "leeg.xlsx")
    ws = load_workbook(path)["Documenten"]
    head = next(c for c in ws[1] if c.value == "Ondertekend door")
    assert "4.2.2" in head.comment.text and "gemeente; alle partners" in head.comment.text


def test_example_workbook_gets_a_scorecard(capsys, tmp_path):
    ttl = tmp_path / "zwolle.ttl"
    code, out, err = run(capsys, "import", EXAMPLE, "--out", ttl)
    assert code == 0, err
    assert "Volgende stap / next: ggsr-kg validate --data" in out
    g = Graph().parse(ttl, format="turtle")
    municipality = ID["gemeente-zwolle"]
    assert (municipality, GGSR.cbsCode, Literal("GM0193")) in g  # looked up in the CBS list
    got = scorecard(capsys, ttl)
    assert got["4.2.2"]["status"] == "voldoet" and got["4.2.2"]["grondslag"] == "document"
    assert got["4.3.1"]["status"] == "onbekend"  # the privacy protocol is only a draft
    assert got["4.3.1"]["niet_meegeteld"] == [
        "«Privacyprotocol» telt niet mee (alleen een concept)"
    ]
    assert got["3.1.5"]["grondslag"] == "bevinding"
    # every node that carries facts points at its row in the workbook
    places = {str(p) for p in g.objects(None, GGSR.plaats)}
    assert "Blad Functies, rij 2" in places and "Blad Escalatie, rij 4" in places


def test_import_without_out_writes_turtle_to_stdout(capsys):
    code, out, err = run(capsys, "import", EXAMPLE)
    assert code == 0
    assert len(Graph().parse(data=out, format="turtle")) > 100
    assert "ggsr-kg validate --data" in err


# ---- one error of each kind ----------------------------------------------------------------------


def copy_example(tmp_path: Path) -> Path:
    path = tmp_path / "fout.xlsx"
    shutil.copy(EXAMPLE, path)
    return path


def set_cell(wb, sheet: str, row: int, heading: str, value) -> None:
    ws = wb[sheet]
    headings = [c.value for c in ws[1]]
    if heading not in headings:
        ws.cell(row=1, column=len(headings) + 1, value=heading)
        headings.append(heading)
    ws.cell(row=row, column=headings.index(heading) + 1).value = value  # also None


MISTAKES = [
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
    ("Documenten", 3, "Status", "misschien",
     "Blad Documenten, rij 3, kolom Status: 'misschien' staat niet in de lijst Documentstatus"),
    ("Bevoegdheden", 2, "Soort", "superkracht",
     "Blad Bevoegdheden, rij 2, kolom Soort: 'superkracht' staat niet in de lijst Bevoegdheidsoort"),
    ("Afspraken", 3, "Beginsel", "eigen kracht; koffie",
     "Blad Afspraken, rij 3, kolom Beginsel: 'koffie' staat niet in de lijst Beginsel"),
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
    ("Afspraken", 7, "Maximale caseload", "twaalf",
     "Blad Afspraken, rij 7, kolom Maximale caseload: 'twaalf' is geen geheel getal"),
    ("Escalatie", 5, "Handeling", "zonder stapnummer",
     "Blad Escalatie, rij 5, kolom Stap nr: verplichte cel is leeg"),
    ("Verklaringen", 3, "Verklaard door", None,
     "Blad Verklaringen, rij 3, kolom Verklaard door: verplichte cel is leeg"),
    ("Afspraken", 6, "Blijkt uit", "V9",
     "Blad Afspraken, rij 6, kolom Blijkt uit: 'V9' is geen kenmerk"),
    ("Documenten", 2, "Opmerking", "een kolom die niet bestaat",
     "Blad Documenten, rij 1, kolom Opmerking: onbekende kolom"),
]  # fmt: skip


def test_every_kind_of_error_is_reported_with_its_place(capsys, tmp_path):
    path = copy_example(tmp_path)
    wb = load_workbook(path)
    for sheet, row, heading, value, _ in MISTAKES:
        set_cell(wb, sheet, row, heading, value)
    wb.create_sheet("Notities")["A2"] = "een blad dat niet bestaat"
    wb.save(path)
    out_path = tmp_path / "uit.ttl"
    code, out, err = run(capsys, "import", path, "--out", out_path)
    assert code == 2
    assert not out_path.exists()
    assert out == ""
    lines = err.splitlines()
    for *_, expected in filter(lambda f: f[-1], MISTAKES):
        assert any(r.startswith(expected) for r in lines), f"{expected}\n---\n{err}"
    assert any(r.startswith("Blad Notities, rij 1: onbekend blad") for r in lines)
    assert "niets geschreven" in lines[-1]
    assert "Traceback" not in err


def test_failed_import_leaves_an_existing_out_file_alone(capsys, tmp_path):
    path = copy_example(tmp_path)
    wb = load_workbook(path)
    set_cell(wb, "Functies", 2, "Soort", "tovenaar")
    wb.save(path)
    out_path = tmp_path / "uit.ttl"
    out_path.write_text("# vorige versie\n", encoding="utf-8")
    code, _, err = run(capsys, "import", path, "--out", out_path)
    assert code == 2 and "tovenaar" in err
    assert out_path.read_text(encoding="utf-8") == "# vorige versie\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("sheet", "row", "heading", "value", "expected"),
    [
        ("Verklaringen", 2, "Tekst", "volgens j.jansen@zwolle.nl stuurt de gemeente de aanpak aan",
         "Blad Verklaringen, rij 2, kolom Tekst: privacy: 'j.jansen@zwolle.nl' e-mailadres"),
        ("Functies", 3, "Taak", "bereikbaar op 06-12345678",
         "Blad Functies, rij 3, kolom Taak: privacy: '06-12345678' telefoonnummer"),
        ("Doelgroep", 3, "Omschrijving", "gezin met BSN 111222333",
         "Blad Doelgroep, rij 3, kolom Omschrijving: privacy: '111***33' lijkt op een BSN"),
        ("Organisaties", 7, "Naam", "Welzijn (contact: info@welzijn.nl)",
         "Blad Organisaties, rij 7, kolom Naam: privacy: 'info@welzijn.nl'"),
        ("Bevindingen", 2, "Tekst", "de evaluator is bereikbaar op 06-12345678",
         "Blad Bevindingen, rij 2, kolom Tekst: privacy: '06-12345678' telefoonnummer"),
    ],
)  # fmt: skip
def test_privacy_guard_rejects_personal_data(
    capsys, tmp_path, sheet, row, heading, value, expected
):
    path = copy_example(tmp_path)
    wb = load_workbook(path)
    set_cell(wb, sheet, row, heading, value)
    wb.save(path)
    code, _, err = run(capsys, "import", path, "--out", tmp_path / "uit.ttl")
    assert code == 2 and not (tmp_path / "uit.ttl").exists()
    assert expected in err, err
    assert "111222333" not in err  # a BSN is never echoed in full


def test_quality_shapes_run_on_import_and_name_the_cell(capsys, tmp_path):
    """A function named as a member of a body: the importer resolves the name, the quality shape
    (members are organisations) rejects it — at the cell that made the triple. A step without a
    level is a warning of the shapes: shown with its cell, the import still succeeds. A statement
    'made' by the inspectorate is refused where it says so."""
    path = copy_example(tmp_path)
    wb = load_workbook(path)
    set_cell(wb, "Escalatie", 3, "Niveau", None)
    wb.save(path)
    code, _, err = run(capsys, "import", path, "--out", tmp_path / "goed.ttl")
    assert code == 0, err
    assert "waarschuwing: Blad Escalatie, rij 3, kolom Niveau: Escalatiestap zonder niveau" in err
    set_cell(wb, "Organisaties", 8, "Leden", "Sociaal wijkteam Zwolle; gezinscoach")
    set_cell(wb, "Verklaringen", 3, "Verklaard door", "STJ")
    wb.save(path)
    code, _, err = run(capsys, "import", path, "--out", tmp_path / "fout.ttl")
    assert code == 2 and not (tmp_path / "fout.ttl").exists()
    assert (
        "Blad Organisaties, rij 8, kolom Leden: datakwaliteit: Een netwerkpartner heeft geen soort"
        in err
    ), err
    assert (
        "Blad Verklaringen, rij 3, kolom Verklaard door: datakwaliteit: Een toezichthouder legt "
        "geen verklaring af"
    ) in err, err
    code, _, err = run(capsys, "import", path, "--zonder-controle", "--out", tmp_path / "fout.ttl")
    assert code == 0, err


def test_unreadable_inputs(capsys, tmp_path):
    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(b"geen zip")
    code, _, err = run(capsys, "import", broken)
    assert code == 2 and "xlsx" in err and "Traceback" not in err
    code, _, err = run(capsys, "import", tmp_path / "bestaat-niet.xlsx")
    assert code == 2 and "bestaat niet" in err
    code, _, err = run(capsys, "import", f"{tmp_path}/")
    assert code == 2 and "CSV" in err
    code, _, err = run(capsys, "import", EXAMPLE, "--out", tmp_path / "x.xlsx")
    assert code == 2 and ".ttl" in err


def test_csv_with_semicolons_and_windows_encoding(capsys, tmp_path):
    """What Excel on a Dutch Windows machine saves as 'CSV': ';' and cp1252."""
    folder = tmp_path / "csv"
    folder.mkdir()
    files = {
        "Aanpak": "Gemeente;Aanpak;Jaar\nZwolle;Gezinsaanpak;2014\n",
        "Organisaties": "Naam;Soort;Netwerkrol\nWijkteam;welzijnsorganisatie;partner\n",
        "Functies": "Functie;Soort;Houder\ngezinscoördinator;gezinscoördinator;Wijkteam\n",
    }
    for name, text in files.items():
        (folder / f"{name}.csv").write_bytes(text.encode("cp1252"))
    ttl = tmp_path / "uit.ttl"
    code, _, err = run(capsys, "import", folder, "--out", ttl)
    assert code == 0, err
    g = Graph().parse(ttl, format="turtle")
    assert (None, RDFS.label, Literal("gezinscoördinator", lang="nl")) in g


def test_workbooks_as_data_files(tmp_path):
    """The helper behind 'validate --data mijn.xlsx': workbooks become temporary Turtle files."""
    from ggsr_kg.workbook import rdf_files

    paths = rdf_files([EXAMPLE, resource_dir("data") / "bronnen.ttl"])
    assert paths[0].suffix == ".ttl" and paths[1].name == "bronnen.ttl"
    assert (ID["gemeente-zwolle"], None, None) in Graph().parse(paths[0], format="turtle")
    wrong = copy_example(tmp_path)
    wb = load_workbook(wrong)
    set_cell(wb, "Functies", 2, "Soort", "tovenaar")
    wb.save(wrong)
    with pytest.raises(InputError, match="Blad Functies, rij 2, kolom Soort"):
        rdf_files([wrong])


def test_empty_template_is_refused(capsys, tmp_path):
    path = tmp_path / "leeg.xlsx"
    run(capsys, "sjabloon", "--out", path)
    code, _, err = run(capsys, "import", path)
    assert code == 2 and "Blad Aanpak, rij 2: geen aanpak ingevuld" in err


# ---- property-based: random workbooks ----------------------------------------------------------

# The budget: 30 examples per property by default (a few seconds); more locally with
# GGSR_WERKBOEK_EXAMPLES=500 python -m pytest tests/test_workbook.py -k random
EXAMPLES = int(os.environ.get("GGSR_WERKBOEK_EXAMPLES", "30"))
LETTERS = string.ascii_letters + "áéëïóöüç'-()& "
RESERVED = {"netwerk", "zwolle", "gemeente zwolle", "gemeente", "alle partners",
            "alle netwerkpartners", "stj", "samenwerkend toezicht jeugd",
            "samenwerkend toezicht jeugd (stj)", "niemand"}  # fmt: skip
# Names may hold commas and full stops ('Politie, team Zwolle'): only ';' and line breaks separate
# the values of a cell, and a name that other cells refer to may not hold those.
name = (
    st.text(alphabet=LETTERS + ",.", min_size=2, max_size=18)
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: len(s) >= 2 and norm(s) not in RESERVED)
    .filter(lambda s: not norm(s).startswith("netwerk "))
    .filter(lambda s: value_lists()["Collectieve actor"].find(s) is None)
    .filter(lambda s: value_lists()["Collectieve actor"].find("de " + s) is None)
)
text = st.text(alphabet=LETTERS + ",.;:", min_size=1, max_size=40).map(str.strip).filter(bool)

# 'gemeente' and 'inspectie' are left out: an organisation of that kind must be a municipality of
# the CBS list, or would be the default inspectorate's double
ORGANISATION_KINDS = [x for x in value_lists()["Organisatiesoort"].labels if x not in {"gemeente"}]
# kind-specific columns of Afspraken: written only on a row of their kind
ARRANGEMENT_KINDS = [x for x in value_lists()["Afspraaksoort"].labels if x != "eis aan de functie"]


def labels(values: str):
    return st.sampled_from(value_lists()[values].labels)


def subset(elements, min_size=0):
    return st.lists(st.sampled_from(elements), min_size=min_size, max_size=3, unique=True)


@st.composite
def workbooks(draw):
    """A random well-formed workbook for one network of Zwolle. Multi-valued cells are joined
    with a semicolon or a line break, as the instruction sheet says."""
    separator = draw(st.sampled_from(["; ", ";", "\n", " ;\n"]))

    def joined(values) -> str:
        return separator.join(values)

    orgs = draw(st.lists(name, min_size=1, max_size=5, unique_by=norm))
    parties = [*orgs, "Zwolle", "gemeente", "netwerk", "alle partners"]
    rows: dict[str, list[dict]] = {
        "Aanpak": [
            {
                "Gemeente": "Zwolle",
                "Aanpak": draw(name),
                "Jaar": draw(st.integers(2000, 2030)),
                "Verwijsindex": joined(draw(subset(value_lists()["Verwijsindex"].labels))),
            }
        ],
        "Organisaties": [
            {
                "Naam": o,
                "Soort": joined(draw(subset(ORGANISATION_KINDS, 1))),
                "Netwerkrol": joined(draw(subset(["partner", "kernpartner"]))),
                "Leefgebieden": joined(draw(subset(value_lists()["Leefgebied"].labels))),
            }
            for o in orgs
        ],
    }
    roles = draw(
        st.lists(name, max_size=3, unique_by=norm).filter(
            lambda fs: not {norm(f) for f in fs} & {norm(o) for o in orgs}
        )
    )
    rows["Functies"] = [
        {
            "Functie": f,
            "Soort": draw(labels("Functiesoort")),
            "Houder": joined(draw(subset(parties, 1))),
            "Taak": "\n".join(draw(st.lists(text, max_size=2))),
            "Aantal": draw(st.none() | st.integers(1, 40)),
        }
        for f in roles
    ]
    titles = draw(
        st.lists(name, max_size=3, unique_by=norm).filter(
            lambda ts: not {norm(t) for t in ts} & {"v1", "b1"}
        )
    )
    rows["Documenten"] = [
        {
            "Titel": t,
            "Soort": draw(labels("Documentsoort")),
            "Status": draw(labels("Documentstatus")),
            "Statusdatum": draw(
                st.none()
                | st.integers(2000, 2030).map(str)
                | st.dates().filter(lambda d: d.year >= 1000).map(lambda d: d.isoformat())
            ),
            "Ondertekend door": joined(draw(subset(parties))),
            "Partijen": joined(draw(subset(parties))),
        }
        for t in titles
    ]
    rows["Verklaringen"] = [
        {"Kenmerk": "V1", "Verklaard door": joined(draw(subset(parties, 1))), "Tekst": draw(text)}
    ]
    rows["Bevindingen"] = [{"Kenmerk": "B1", "Tekst": draw(text)}]
    evidence = ["V1", "B1", *titles]
    rows["Bevoegdheden"] = [
        {
            "Functie": f,
            "Soort": draw(labels("Bevoegdheidsoort")),
            "Omschrijving": draw(text),
            "Bindend voor": draw(
                st.just("niemand")
                | st.lists(st.sampled_from(parties), max_size=3, unique=True).map(joined)
            ),
            "Vastgelegd in": draw(st.sampled_from(titles)) if titles else None,
            "Blijkt uit": joined(draw(subset(evidence))),
        }
        for f in roles
    ]
    # identical rows are one fact written twice, which the import reports: descriptions differ
    rows["Afspraken"] = [
        {
            "Soort": draw(st.sampled_from(ARRANGEMENT_KINDS)),
            "Omschrijving": description,
            "Tekst": draw(st.none() | text),
            "Bindend voor": joined(draw(subset(parties))),
            "Voorwaarde": draw(st.none() | text),
            "Termijn": draw(st.sampled_from([None, "48 uur", "2 weken", "P1Y"])),
            "Uitgevoerd door": joined(draw(subset(parties))),
            "Blijkt uit": joined(draw(subset(evidence))),
        }
        for description in draw(st.lists(text, max_size=3, unique_by=norm))
    ]
    rows["Afwezigheden"] = [
        {
            "Soort": draw(labels("Ontbrekende soort")),
            "Omschrijving": description,
            "Blijkt uit": joined(draw(subset(["V1", "B1"], 1))),
            "Beginsel": joined(draw(subset(value_lists()["Beginsel"].labels))),
        }
        for description in draw(st.lists(text, max_size=2, unique_by=norm))
    ]
    steps = draw(st.lists(st.integers(1, 9), max_size=4, unique=True))
    groups = value_lists()["Collectieve actor"].labels
    rows["Escalatie"] = [
        {
            "Stap nr": n,
            "Niveau": draw(labels("Escalatieniveau")),
            "Actor": joined(draw(subset([*parties, *roles, *groups]))),
            "Handeling": draw(text),
        }
        for n in steps
    ]
    rows["Doelgroep"] = [
        {"Omschrijving": t, "Gehanteerd door": joined(draw(subset(parties, 1)))}
        for t in draw(st.lists(text, max_size=2, unique_by=norm))
    ]
    return rows


def findable(g: Graph) -> set[str]:
    """Every literal of the graph, and every label of a term it uses (ontology included)."""
    out: set[str] = set()
    terms = set()
    for s, _, o in g:
        for t in (s, o):
            if isinstance(t, Literal):
                out.add(norm(str(t)))
                if t.datatype is not None and str(t.datatype).endswith("boolean"):
                    out.add("ja" if t.toPython() else "nee")
            else:
                terms.add(t)
    for values in value_lists().values():
        for label, iri in values.items:
            if iri in terms:
                out.add(norm(label))
    if (None, GGSR.peiljaar, None) in g:
        out |= {"netwerk", "alle partners", "gemeente"}  # the network and municipality nodes
    if (None, GGSR.bindend, Literal(False)) in g:
        out.add("niemand")
    return out


def cells(rows: dict[str, list[dict]]):
    for sheet, rs in rows.items():
        for r in rs:
            for heading, value in r.items():
                if value is None or value == "":
                    continue
                yield sheet, heading, value


def pieces(heading: str, value) -> list[str]:
    """The values in a cell as the generator put them there: multi-valued cells are split at
    semicolons and line breaks only, so a comma in a name or list label is just a character."""
    if isinstance(value, int):
        return [str(value)]
    if heading in {"Omschrijving", "Tekst", "Handeling", "Aanleiding", "Voorwaarde", "Titel"}:
        return [value]
    if heading in {"Taak", "Profiel"}:
        return [t.strip() for t in value.splitlines() if t.strip()]
    if heading in {"Statusdatum", "Termijn"}:
        return []  # normalised (a date, a duration): checked by the round-trip tests
    return [t.strip() for t in re.split(r"[;\n]", value) if t.strip()]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=workbooks(), as_csv=st.booleans())
def test_random_well_formed_workbooks_import_without_loss(tmp_path_factory, rows, as_csv):
    folder = tmp_path_factory.mktemp("wb")
    path = write_workbook(f"{folder}/csv/" if as_csv else folder / "w.xlsx", rows)
    result = import_workbook(path, check=False)
    assert result.problems == [], [str(p) for p in result.problems]
    g = result.graph
    found = findable(g)
    for sheet, heading, value in cells(rows):
        if heading == "Netwerkrol":
            continue  # relations, not values: checked below
        for piece in pieces(heading, value):
            assert norm(piece) in found, f"{sheet}.{heading}: '{piece}' ontbreekt in de graaf"
    net = next(g.subjects(GGSR.peiljaar, None))
    for r in rows["Organisaties"]:
        org = next(
            s for s, o in g.subject_objects(RDFS.label) if str(o) == r["Naam"] and "-org-" in s
        )
        for role in pieces("Netwerkrol", r["Netwerkrol"]):
            assert (net, ORG.hasMember, org) in g
            assert role == "partner" or (net, GGSR.kernpartner, org) in g


MUTATIONS = st.sampled_from(
    [
        ("Organisaties", "Soort"),
        ("Organisaties", "Naam"),
        ("Organisaties", "Netwerkrol"),
        ("Functies", "Soort"),
        ("Functies", "Houder"),
        ("Bevoegdheden", "Soort"),
        ("Bevoegdheden", "Functie"),
        ("Bevoegdheden", "Bindend voor"),
        ("Escalatie", "Stap nr"),
        ("Escalatie", "Niveau"),
        ("Escalatie", "Actor"),
        ("Documenten", "Statusdatum"),
        ("Documenten", "Status"),
        ("Afspraken", "Soort"),
        ("Afspraken", "Blijkt uit"),
        ("Afspraken", "Termijn"),
        ("Afwezigheden", "Blijkt uit"),
        ("Verklaringen", "Kenmerk"),
        ("Aanpak", "Jaar"),
        ("Aanpak", "Gemeente"),
        ("Aanpak", "CBS-code"),
        ("Doelgroep", "Gehanteerd door"),
    ]
)
junk = st.one_of(
    st.text(max_size=12).filter(lambda s: not any(c in s for c in "\x00\x0b\x0c")),
    st.integers(-5, 100000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just(""),
    st.just("2014-13-45"),
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=workbooks(),
    mutations=st.lists(st.tuples(MUTATIONS, junk), min_size=1, max_size=4),
    twice=st.sampled_from(
        ["Organisaties", "Functies", "Escalatie", "Documenten", "Verklaringen", None]
    ),
)
def test_random_malformed_workbooks_never_crash(tmp_path_factory, rows, mutations, twice):
    import math

    for (sheet, heading), value in mutations:
        if rows.get(sheet):
            if isinstance(value, float) and not math.isfinite(value):
                continue
            rows[sheet][0][heading] = value
    if twice and rows.get(twice):
        rows[twice].append(dict(rows[twice][0]))
    folder = tmp_path_factory.mktemp("wb")
    try:
        path = write_workbook(folder / "w.xlsx", rows)
    except Exception:  # openpyxl refuses some control characters: then try CSV
        path = write_workbook(f"{folder}/csv/", rows)
    try:
        result = import_workbook(path, check=False)
    except InputError:
        return
    for p in result.problems:
        assert str(p).startswith(f"Blad {p.sheet}, rij {p.row}")
    if twice and rows.get(twice):
        assert result.problems, "a duplicated row must be reported"
