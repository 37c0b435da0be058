"""The privacy guard (issue 17, case 4): every form the attacker used is found, in a value, an IRI
or a comment; every command that reads user data runs the guard; and ordinary numbers of the
domain (CBS codes, years, dates, page numbers, Wikidata items) do not trip it."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_attacks import Recorder, cli, one_line

from ggsr_kg.privacy import BSN_REASON, EMAIL_REASON, PHONE_REASON, file_findings, text_findings

FIXTURE = Path(__file__).parent / "fixtures" / "netwerk-minimaal.ttl"
REPO = Path(__file__).resolve().parent.parent
PREFIXES = (
    "@prefix id: <https://w3id.org/ggsr/id/> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
)

# 111222333 passes the elfproef; so do 123456782 and (with its leading zero) 12345672
HITS = [
    ("111222333", BSN_REASON),
    ("123456782", BSN_REASON),
    ("1234.56.782", BSN_REASON),
    ("123 456 782", BSN_REASON),
    ("123.456.782", BSN_REASON),
    ("12345672", BSN_REASON),  # eight digits: 012345672
    ("client-123456782", BSN_REASON),
    ("urn:bsn:123456782", BSN_REASON),
    ("jan@example.nl", EMAIL_REASON),
    ("jan (at) example.nl", EMAIL_REASON),
    ("jan[at]example[dot]nl", EMAIL_REASON),
    ("mailto:jan", EMAIL_REASON),
    ("06 12345678", PHONE_REASON),
    ("06-12345678", PHONE_REASON),
    ("06 - 123 456 78", PHONE_REASON),
    ("020-1234567", PHONE_REASON),
    ("+31 6 12345678", PHONE_REASON),
    ("0031 6 12345678", PHONE_REASON),
    ("+31 (0)6 12345678", PHONE_REASON),
    ("+31(0)20-1234567", PHONE_REASON),
    ("tel:+31612345678", PHONE_REASON),
]

NON_HITS = [
    "GM0114",  # CBS code
    "gemeente GM0114 en PV22",
    "2014",
    "2013-2014",
    "12-03-2014",
    "2014-03-12",
    "20141231",  # a date of eight digits (passes the elfproef with a leading zero)
    "20261122T101500Z",
    "p. 12",
    "pagina's 123-456",
    "blz. 12, 13 en 145",
    "123456789",  # nine digits failing the elfproef
    "dossier 123456789, 2014",
    "Q2711042",  # a Wikidata item
    "http://www.wikidata.org/entity/Q123456782",  # passes the elfproef, but glued to Q
    "https://identifier.overheid.nl/tooi/id/gemeente/gm0114",
    "KvK 12345672",  # an organisation's number
    "RSIN 123456782",
    "€ 1.234.567",
    "1.234.567,89",
    "3420 gemeenten, 17.000.000 inwoners",
    "inwoners: 123456",
    '"tekst"@nl',
    "@prefix ggsr: <https://w3id.org/ggsr/def#> .",
    "versie 1.2.3",
    "0,5 fte",
]


@pytest.mark.parametrize(("text", "reason"), HITS, ids=[h[0] for h in HITS])
def test_each_form_is_found(text, reason):
    found = text_findings(f"zie {text} voor meer")
    assert [f.reason for f in found] == [reason], found
    assert found[0].value.strip() in text or text in found[0].value


@pytest.mark.parametrize("text", NON_HITS)
def test_ordinary_numbers_are_not_personal_data(text):
    assert text_findings(text) == []


def test_the_shipped_files_pass_the_raw_text_scan():
    files = [p for d in ("data", "ontology", "shapes", "queries") for p in (REPO / d).rglob("*")]
    files = [p for p in files if p.suffix in {".ttl", ".trig", ".rq", ".nq", ".nt"}]
    assert len(files) > 20
    found = [f for p in files for f in file_findings(p)]
    assert found == []


# ---- in the graph: values, IRIs, types and properties ---------------------------------------------

CASES = {
    "bsn-with-dots": 'id:x-cjg rdfs:comment "cliënt 1234.56.782"@nl .\n',
    "bsn-with-spaces": 'id:x-cjg rdfs:comment "bsn 123 456 782"@nl .\n',
    "bsn-eight-digits": 'id:x-cjg rdfs:comment "nummer 12345672"@nl .\n',
    "bsn-in-an-iri": 'id:client-123456782 rdfs:label "cliënt"@nl .\n',
    "bsn-in-a-urn": "id:x-cjg rdfs:seeAlso <urn:bsn:123456782> .\n",
    "mailto-iri": "id:x-cjg rdfs:seeAlso <mailto:jan@example.nl> .\n",
    "tel-iri": "id:x-cjg rdfs:seeAlso <tel:+31612345678> .\n",
    "at-email": 'id:x-cjg rdfs:comment "mail jan (at) example.nl"@nl .\n',
    "phone-0031": 'id:x-cjg rdfs:comment "bel 0031 6 12345678"@nl .\n',
    "phone-plus31-0": 'id:x-cjg rdfs:comment "bel +31 (0)6 12345678"@nl .\n',
    "phone-dashes": 'id:x-cjg rdfs:comment "bel 06 - 123 456 78"@nl .\n',
    "vcard-individual": "id:p a <http://www.w3.org/2006/vcard/ns#Individual> .\n",
    "dbo-person": "id:p a <http://dbpedia.org/ontology/Person> .\n",
    "schema-patient": "id:p a <https://schema.org/Patient> .\n",
    "foaf-name": 'id:p <http://xmlns.com/foaf/0.1/name> "Jan" .\n',
    "foaf-age": "id:p <http://xmlns.com/foaf/0.1/age> 7 .\n",
    "bsn-in-a-comment": "# cliënt 111222333 besproken in het MDO\n",
    "phone-in-a-comment": "# terugbellen: 06-12345678\n",
}


@pytest.fixture
def personal(tmp_path):
    def make(case: str) -> Path:
        data = tmp_path / f"{case}.ttl"
        data.write_text(
            FIXTURE.read_text(encoding="utf-8") + "\n" + PREFIXES + CASES[case], encoding="utf-8"
        )
        return data

    return make


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_refuses_each_form_naming_the_place(capsys, personal, case):
    data = personal(case)
    code, out, err = cli(capsys, "validate", "--data", str(data))
    assert code == 2 and out == ""
    line = one_line(err)
    assert f"{data}:" in line and "personal data" in line, line
    assert "111222333" not in line and "123456782" not in line  # a BSN is masked


def test_a_bsn_in_a_comment_is_placed_on_its_line(capsys, personal):
    data = personal("bsn-in-a-comment")
    line = one_line(cli(capsys, "validate", "--data", str(data))[2])
    expected = len(data.read_text(encoding="utf-8").splitlines())  # the last line
    assert f"{data}:{expected}:10:" in line and "111***33" in line, line


@pytest.mark.parametrize(
    "comment",
    [
        "# cliënt 111222333 besproken in het MDO\n",
        '<https://w3id.org/ggsr/id/x-cjg> <http://www.w3.org/2000/01/rdf-schema#label> "CJG"@nl '
        "<https://example.org/graaf/x> . # cliënt 111222333\n",
    ],
    ids=["own-line", "after-a-statement"],
)
def test_a_bsn_in_an_n_quads_comment_is_found(capsys, tmp_path, comment):
    """In N-Quads only the comments are read as raw text (the rest is in the graph, scanned
    apart), on a line of their own and after a statement."""
    import pyoxigraph as ox

    quads = ox.parse(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)
    graph = ox.NamedNode("https://example.org/graaf/x")
    body = ox.serialize(
        [ox.Quad(t.subject, t.predicate, t.object, graph) for t in quads],
        format=ox.RdfFormat.N_QUADS,
    ).decode("utf-8")
    data = tmp_path / "netwerk.nq"
    data.write_text(body + comment, encoding="utf-8")
    code, _, err = cli(capsys, "validate", "--data", str(data))
    line = one_line(err)
    assert code == 2 and "personal data" in line and "111***33" in line, line
    assert f"{data}:{len(data.read_text(encoding='utf-8').splitlines())}:" in line


def test_each_finding_names_the_node_that_states_it(tmp_path):
    """The graph's texts are scanned once each and every hit is traced to its statements: a
    literal gives a finding per node that states it, an IRI one at the first statement it is in
    (by subject, then object), in that order, each with the graph that holds it."""
    from ggsr_kg.graph import KnowledgeGraph
    from ggsr_kg.quality import privacy_findings

    data = tmp_path / "p.ttl"
    data.write_text(
        "@prefix id: <https://w3id.org/ggsr/id/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'id:client-123456782 rdfs:label "bel 06 12345678"@nl .\n'
        'id:x rdfs:seeAlso id:client-123456782 ; rdfs:comment "BSN 123456782" .\n'
        'id:y rdfs:comment "BSN 123456782" ; rdfs:seeAlso <mailto:jan@voorbeeld.nl> .\n',
        encoding="utf-8",
    )
    kg = KnowledgeGraph.default(data=[data])
    found = [(f.node.rsplit("/", 1)[-1], f.value, f.graph) for f in privacy_findings(kg)]
    graph = next(g for g, p in kg.sources.items() if p == data)
    assert found == [
        ("client-123456782", "06 12345678", graph),
        ("client-123456782", "123456782", graph),  # the IRI, at its own first statement
        ("x", "123456782", graph),
        ("y", "123456782", graph),
        ("y", "mailto:jan@voorbeeld.nl", graph),
    ]


# ---- every command that reads user data runs it -------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],
        ["info"],
        ["doorzettingsmacht"],
        ["query", "rollen"],
        ["report", "--out", "{tmp}/rapport"],
        ["export", "--gemeente", "X", "--out", "{tmp}/x.xlsx"],
        ["link", "--offline", "--out", "{tmp}/gelinkt.ttl"],
    ],
    ids=lambda a: a[0],
)
def test_every_command_reading_user_data_refuses_personal_data(capsys, tmp_path, personal, argv):
    data = personal("bsn-in-a-comment")
    argv = [a.format(tmp=tmp_path) for a in argv]
    code, out, err = cli(capsys, *argv, "--data", str(data))
    assert code == 2, err
    assert "personal data" in one_line(err)
    assert not (tmp_path / "rapport").exists()  # nothing published
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "gelinkt.ttl").exists()


def test_load_refuses_personal_data_before_anything_is_sent(capsys, personal):
    with Recorder(204) as endpoint:
        code, _, err = cli(
            capsys, "load", "--endpoint", endpoint.url, "--data", str(personal("tel-iri"))
        )
    assert code == 2 and "personal data" in one_line(err)
    assert endpoint.seen == []


def test_the_report_never_copies_a_file_the_guard_has_not_passed(tmp_path):
    from ggsr_kg.errors import InputError
    from ggsr_kg.graph import KnowledgeGraph
    from ggsr_kg.report import build_site

    kg = KnowledgeGraph.default(data=[FIXTURE])  # loaded without the command's guard
    with pytest.raises(InputError, match="not checked for personal data"):
        build_site(kg, tmp_path / "rapport")


def test_clean_user_data_still_passes_every_command(capsys, tmp_path):
    for argv in (["validate"], ["info"], ["report", "--out", str(tmp_path / "r")]):
        code, _, err = cli(capsys, *argv, "--data", str(FIXTURE))
        assert code == 0, err
    assert (tmp_path / "r" / "bestanden" / "eigen" / FIXTURE.name).is_file()
