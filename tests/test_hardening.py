"""Hardening: the command line tried the way an attacker or a tired user would.

Every bad input gets one line naming what and where (file, line, column), the documented exit code
(2 bad input, 3 endpoint failure) and no traceback; user values reach queries only as RDF terms;
faults on the way to a SPARQL server leave the target graph old or new, never a mixture; the served
endpoint is read-only; user data holds no personal data. See docs/hardening.md.

Tests marked ``server`` start local HTTP servers on 127.0.0.1 (a misbehaving one written here, and
the Oxigraph server from PyPI).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import free_port, running_oxigraph, stop_process, wait_for_sparql

from ggsr_kg import rdfio, remote, server
from ggsr_kg.cli import main
from ggsr_kg.errors import InputError
from ggsr_kg.graph import KnowledgeGraph
from ggsr_kg.queries import find_query
from ggsr_kg.queries import run as run_query

FIXTURE = Path(__file__).parent / "fixtures" / "netwerk-minimaal.ttl"
PREFIXES = (
    "@prefix ggsr: <https://w3id.org/ggsr/def#> .\n"
    "@prefix id: <https://w3id.org/ggsr/id/> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
)  # four lines: the statements of a case start on line 5


@pytest.fixture(autouse=True, scope="module")
def _shipped_graph_built_once():
    """Commands without --data answer from one shipped graph built once (speed only: loading is
    not what these tests try; with --data every command loads the user's files as usual)."""
    original = KnowledgeGraph.default.__func__
    built: dict[str, KnowledgeGraph] = {}

    def default(cls, *, data=None, infer=True):
        if data is None and infer:
            if "kg" not in built:
                built["kg"] = original(cls, data=None, infer=True)
            return built["kg"]
        return original(cls, data=data, infer=infer)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(KnowledgeGraph, "default", classmethod(default))
        yield


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run the command in-process: (exit code, stdout, stderr). argparse refusals exit 2 too."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    """The error output is exactly one non-empty line without a traceback; return it."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


# =================================================================================================
# 1. Bad input, everywhere a user can give it
# =================================================================================================

# (id, file name, content, expected (line, column) or None, words the message must contain)
BAD_DATA = [
    (
        "turtle-missing-object",
        "a.ttl",
        "id:n a ggsr:Netwerk ;\n  ggsr:peiljaar .\n",
        (6, None),
        ["syntax"],
    ),
    (
        "turtle-unterminated-iri",
        "a.ttl",
        "id:n a <https://w3id.org/ggsr/def#Netwerk .\n",
        (5, None),
        ["syntax"],
    ),
    ("trig-unclosed-graph", "a.trig", "id:g {\n  id:n a ggsr:Netwerk .\n", (7, None), ["syntax"]),
    ("trig-extra-brace", "a.trig", "id:g { id:n a ggsr:Netwerk . } }\n", (5, None), ["syntax"]),
    ("unknown-prefix", "a.ttl", "foo:bar a ggsr:Netwerk .\n", (5, 1), ["foo:"]),
    (
        "iri-with-space",
        "a.ttl",
        "<https://w3id.org/ggsr/id/a b> a ggsr:Netwerk .\n",
        (5, None),
        ["IRI"],
    ),
    (
        "undeclared-class",
        "a.ttl",
        "id:n a ggsr:Netwerkk .\n",
        (5, 8),
        ["ggsr:Netwerkk", "ontolog", "ggsr:Netwerk?"],
    ),
    (
        "undeclared-property",
        "a.ttl",
        "id:n a ggsr:Netwerk ;\n    ggsr:peiljaartje 2014 .\n",
        (6, 5),
        ["ggsr:peiljaartje", "ggsr:peiljaar?"],
    ),
    (
        "undeclared-object",
        "a.ttl",
        "id:n a ggsr:Netwerk ; ggsr:aanpak ggsr:MijnAanpak .\n",
        (5, 35),
        ["ggsr:MijnAanpak"],
    ),
    (
        "undeclared-full-iri",
        "a.ttl",
        "id:n a <https://w3id.org/ggsr/def#Netwerkk> .\n",
        (5, 8),
        ["ggsr:Netwerkk"],
    ),
    (
        "undeclared-other-prefix",
        "a.ttl",
        "@prefix g: <https://w3id.org/ggsr/def#> .\nid:n a g:Gemeentee .\n",
        (6, 8),
        ["ggsr:Gemeentee"],
    ),
    (
        "year-as-text",
        "a.ttl",
        'id:n a ggsr:Netwerk ; ggsr:peiljaar "tweeduizend" .\n',
        (5, 37),
        ["<https://w3id.org/ggsr/id/n>", "ggsr:peiljaar", "xsd:integer", "xsd:string"],
    ),
    (
        "year-as-date",
        "a.ttl",
        'id:n a ggsr:Netwerk ; ggsr:peiljaar "2014"^^xsd:date .\n',
        (5, 37),
        ["<https://w3id.org/ggsr/id/n>", "ggsr:peiljaar", "xsd:integer", "xsd:date"],
    ),
    (
        "year-not-a-number",
        "a.ttl",
        'id:n a ggsr:Netwerk ;\n ggsr:peiljaar "twintig"^^xsd:integer .\n',
        (6, 16),
        ["<https://w3id.org/ggsr/id/n>", "twintig", "xsd:integer"],
    ),
    (
        "year-as-iri",
        "a.ttl",
        "id:n a ggsr:Netwerk ; ggsr:peiljaar id:jaar-2014 .\n",
        (5, 23),
        ["ggsr:peiljaar", "literal"],
    ),
    (
        "year-before-any-state",
        "a.ttl",
        "id:n a ggsr:Netwerk ;\n  ggsr:peiljaar 1850 .\n",
        (6, 3),
        ["<https://w3id.org/ggsr/id/n>", "ggsr:peiljaar 1850", "2000–2030", "out of range"],
    ),
    (
        "year-after-any-state",
        "a.ttl",
        'id:n a ggsr:Netwerk ; ggsr:peiljaar "20140"^^xsd:integer .\n',
        (5, 23),
        ["ggsr:peiljaar 20140", "2000–2030"],
    ),
    (
        "boolean-as-text",
        "a.ttl",
        'id:v a ggsr:Verklaring ; ggsr:bevestigt "ja" .\n',
        (5, 41),
        ["<https://w3id.org/ggsr/id/v>", "ggsr:bevestigt", "xsd:boolean"],
    ),
    (
        "text-without-language",
        "a.ttl",
        'id:n ggsr:toelichting "zonder taal" .\n',
        (5, 23),
        ["ggsr:toelichting", "@nl"],
    ),
    (
        "reserved-graph",
        "a.trig",
        "<https://w3id.org/ggsr/graph/ontology/ggsr.ttl> { ggsr:Nieuw a rdfs:Class . }\n",
        (5, 2),
        ["gereserveerd", "reserved"],
    ),
    ("not-utf8", "a.trig", b'id:g { id:n rdfs:label "caf\xe9"@nl . }\n', (5, 28), ["UTF-8"]),
    ("nul-byte", "a.ttl", 'id:n rdfs:label "a" .\n\x00\n', (6, 1), ["syntax"]),
    ("unknown-extension", "a.csv", "gemeente;jaar\nAlmere;2014\n", None, ["RDF", ".csv"]),
    ("empty", "a.ttl", b"", None, ["leeg", "empty"]),
]
# the commands a user gives a data file to, in turn (bad data is refused before anything runs)
DATA_COMMANDS = [
    ["validate"],
    ["info"],
    ["query", "rollen"],
    ["doorzettingsmacht"],
    ["load", "--endpoint", "http://127.0.0.1:9"],  # refused before the endpoint is contacted
    ["serve", "--port", "9"],  # refused before anything is served
    ["link", "--offline", "--out", "{tmp}/gelinkt.ttl"],  # refused before anything is written
]
BAD_DATA_CASES = [
    pytest.param(
        *case,
        DATA_COMMANDS[i % len(DATA_COMMANDS)],
        id=f"{case[0]}-{DATA_COMMANDS[i % len(DATA_COMMANDS)][0]}",
    )
    for i, case in enumerate(BAD_DATA)
]


def _content(content: str | bytes) -> bytes:
    if isinstance(content, bytes):
        return PREFIXES.encode() + content if content else b""
    return (PREFIXES + content).encode()


@pytest.mark.parametrize(("case", "name", "content", "where", "words", "command"), BAD_DATA_CASES)
def test_bad_data_file_is_one_clear_line_with_the_place(
    capsys, tmp_path, case, name, content, where, words, command
):
    path = tmp_path / name
    path.write_bytes(_content(content))
    command = [arg.replace("{tmp}", str(tmp_path)) for arg in command]
    code, out, err = cli(capsys, *command, "--data", str(path))
    assert code == 2, err
    assert out == ""
    line = one_line(err)
    assert str(path) in line
    if where is not None:
        m = re.search(re.escape(str(path)) + r":(\d+):(\d+): ", line)
        assert m, line
        assert int(m.group(1)) == where[0], line
        if where[1] is not None:
            assert int(m.group(2)) == where[1], line
    for word in words:
        assert word in line, line
    assert not (tmp_path / "gelinkt.ttl").exists()


def test_undeclared_term_is_refused_at_the_library_level_too(tmp_path):
    path = tmp_path / "typo.ttl"
    path.write_text(PREFIXES + "id:n a ggsr:Netwerkk .\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        KnowledgeGraph.default(data=[path])
    assert info.value.exit_code == 2 and "ggsr:Netwerkk" in str(info.value)


def test_a_refused_file_adds_nothing_to_the_store(tmp_path):
    kg = KnowledgeGraph.default(data=[FIXTURE], infer=False)
    before = len(kg)
    bad = tmp_path / "typo.ttl"
    bad.write_text(
        PREFIXES + "id:eerst a ggsr:Netwerk .\nid:n a ggsr:Netwerkk .\n", encoding="utf-8"
    )
    with pytest.raises(InputError):
        kg.load_user(bad)
    assert len(kg) == before


def test_shipped_data_passes_the_user_data_checks():
    """The checks are not stricter than the project's own data: every shipped file passes."""
    from ggsr_kg.resources import rdf_files

    kg = KnowledgeGraph()
    kg.load_resource("ontology")
    declared, ranges = kg.vocabulary()
    assert "https://w3id.org/ggsr/def#Netwerk" in declared
    assert ranges["https://w3id.org/ggsr/def#peiljaar"].endswith("#integer")
    for path in rdf_files("data"):
        rdfio.check_user_quads(path, rdfio.parse_file(path), declared, ranges)
    for path in sorted((Path(__file__).parent / "fixtures").rglob("*.ttl")):
        rdfio.check_user_quads(path, rdfio.parse_file(path), declared, ranges)


def test_the_years_of_a_state_are_those_of_the_quality_shape():
    """rdfio refuses a ggsr:peiljaar outside the range shg:NetwerkKwaliteit allows: one rule."""
    from ggsr_kg.resources import resource_dir

    shapes = ox.Store()
    shapes.load(path=str(resource_dir("shapes") / "kwaliteit.ttl"), format=ox.RdfFormat.TURTLE)
    (row,) = shapes.query(
        """PREFIX sh: <http://www.w3.org/ns/shacl#>
           SELECT ?min ?max WHERE { ?p sh:path <https://w3id.org/ggsr/def#peiljaar> ;
             sh:minInclusive ?min ; sh:maxInclusive ?max }"""
    )
    assert (int(row["min"].value), int(row["max"].value)) == (rdfio.FIRST_YEAR, rdfio.LAST_YEAR)


def test_well_typed_values_are_accepted(capsys, tmp_path):
    good = tmp_path / "goed.ttl"
    good.write_text(
        PREFIXES + 'id:n ggsr:peiljaar "2014"^^xsd:int ; ggsr:cbsCode "GM0001" ;\n'
        '  ggsr:toelichting "met taal"@nl ; ggsr:bevestigt "true"^^xsd:boolean , false .\n',
        encoding="utf-8",
    )
    code, _, err = cli(capsys, "info", "--data", str(good))
    assert code == 0, err


def test_a_file_with_a_utf8_byte_order_mark_is_read(capsys, tmp_path):
    bom = tmp_path / "bom.ttl"
    bom.write_bytes(b"\xef\xbb\xbf" + FIXTURE.read_bytes())
    code, out, err = cli(capsys, "validate", "--data", str(bom), "--format", "json")
    assert code == 0, err
    assert len(json.loads(out)) == 30


def test_too_large_file_is_refused_before_it_is_read(capsys, tmp_path, monkeypatch):
    from ggsr_kg.resources import rdf_files

    limit = max(p.stat().st_size for p in rdf_files("ontology")) + 1  # the ontology still loads
    monkeypatch.setattr(rdfio, "MAX_FILE_BYTES", limit)
    big = tmp_path / "groot.ttl"
    big.write_text(PREFIXES + "# " + "x" * limit + "\nid:n a ggsr:Netwerk .\n", encoding="utf-8")
    code, _, err = cli(capsys, "validate", "--data", str(big))
    assert code == 2
    line = one_line(err)
    assert str(big) in line and "te groot" in line and f"maximum {limit}" in line


@pytest.mark.parametrize(
    ("what", "words"),
    [("missing", ["bestaat niet", "does not exist"]), ("directory", ["map", "directory"])],
)
def test_missing_file_or_directory(capsys, tmp_path, what, words):
    path = tmp_path / "data.ttl"
    if what == "directory":
        path.mkdir()
    code, _, err = cli(capsys, "validate", "--data", str(path))
    assert code == 2
    line = one_line(err)
    assert str(path) in line and all(w in line for w in words)


def test_nul_byte_in_a_file_name(capsys):
    code, _, err = cli(capsys, "info", "--data", "a\x00b.ttl")
    assert code == 2
    assert "b.ttl" in one_line(err)


# ---- query files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "content", "where", "words"),
    [
        ("not-utf8", b'SELECT ?x WHERE {\n  ?x ?p "caf\xe9" }\n', (2, 13), ["UTF-8"]),
        ("unknown-prefix", b"SELECT ?x\nWHERE {\n  ?x foo:y ?z }\nLIMIT 1", (3, None), ["syntax"]),
        ("update-not-a-query", b"DROP ALL", None, ["SPARQL Update"]),
        (
            "insert",
            b"# wis\nPREFIX a: <urn:a>\nINSERT DATA { a:b a:c a:d }",
            None,
            ["SPARQL Update"],
        ),
        ("construct", b"CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", None, ["SELECT"]),
        ("ask", b"ASK { ?s ?p ?o }", None, ["SELECT"]),
        ("empty", b"", None, ["leeg", "empty"]),
    ],
)
def test_bad_query_file(capsys, tmp_path, case, content, where, words):
    q = tmp_path / "vraag.rq"
    q.write_bytes(content)
    code, out, err = cli(capsys, "query", str(q), "--data", str(FIXTURE))
    assert code == 2 and out == ""
    line = one_line(err)
    assert str(q) in line
    if where:
        m = re.search(re.escape(str(q)) + r":(\d+):(\d+): ", line)
        assert m and int(m.group(1)) == where[0], line
        if where[1] is not None:
            assert int(m.group(2)) == where[1], line
    for word in words:
        assert word in line


def test_update_in_a_query_file_changes_nothing(kg, tmp_path):
    q = tmp_path / "wis.rq"
    q.write_text("DELETE WHERE { ?s ?p ?o }", encoding="utf-8")
    before = len(kg)
    with pytest.raises(InputError):
        run_query(kg, find_query(str(q)))
    assert len(kg) == before


def test_query_file_with_a_byte_order_mark_runs(capsys, tmp_path):
    q = tmp_path / "bom.rq"
    q.write_bytes(b"\xef\xbb\xbfSELECT ?g WHERE { ?g a <https://w3id.org/ggsr/def#Gemeente> }")
    code, out, err = cli(capsys, "query", str(q), "--data", str(FIXTURE), "--format", "csv")
    assert code == 0, err
    assert "gemeente-x" in out


# ---- names, years and parameters -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["validate", "--jaar", "1999"], ["1999", "2014", "years with data"]),
        (["validate", "--jaar", "1999", "--data", str(FIXTURE)], ["1999", "2014"]),
        (["doorzettingsmacht", "--jaar", "1999"], ["1999", "2014", "years with data"]),
        (["query", "rollen", "--param", "jaar=1999"], ["1999", "2014"]),
        (["doorzettingsmacht", "--jaar", "٢٠١٤"], ["jaartal", "not a year"]),
        (["doorzettingsmacht", "--jaar", "2014; DROP ALL"], ["not a year"]),
        (["query", "bestaat-niet"], ["unknown query", "doorzettingsmacht"]),
        (["query", "bestaat-niet.rq"], ["bestaat-niet.rq", "does not exist"]),
        (["doorzettingsmacht", "--gemeente", "Atlantis"], ["Atlantis", "Almere"]),
        (["validate", "--gemeente", "Atlantis"], ["Atlantis", "Almere"]),
        (["query", "rollen", "--param", "gemeente=GM9999"], ["GM9999", "unknown municipality"]),
        (["query", "rollen", "--param", "onbekend=1"], ["onbekend", "gemeente, jaar"]),
        (["query", "rollen", "--param", "=1"], ["naam=waarde"]),
        (["query", "bronnen", "--param", "bron=\udcff"], ["bron", "UTF-8"]),
        (["doorzettingsmacht", "--gemeente", "\udcff"], ["gemeente", "UTF-8"]),
        (["query", "bronnen", "--param", "bron=<http://a b>"], ["<http://a b>", "IRI"]),
    ],
)
def test_unknown_names_years_and_parameters(capsys, argv, words):
    code, out, err = cli(capsys, *argv)
    assert code == 2 and out == ""
    line = one_line(err)
    for word in words:
        assert word in line, line


def test_argparse_refusals_exit_2(capsys):
    code, out, err = cli(capsys, "validate", "--jaar", "twintig")
    assert code == 2 and "Traceback" not in err and "--jaar" in err


def test_unknown_rdf_format_is_refused(capsys, tmp_path):
    path = tmp_path / "data.json"
    path.write_text("{}", encoding="utf-8")
    code, _, err = cli(capsys, "info", "--data", str(path))
    assert code == 2 and ".json" in one_line(err)


# =================================================================================================
# 2. Injection: every user value reaches a query as an RDF term
# =================================================================================================

HOSTILE = [
    '"',
    "'",
    "}",
    "{",
    ";",
    "DROP ALL",
    '" } ; DROP ALL ; #',
    "' } ; DROP ALL ; #",
    '"} UNION { ?s ?p ?o } #',
    '") || true || ("',
    '001_d7b3a60144a78fbc.txt" } UNION { ?feit ?p ?o } #',
    "a\nb",
    'x"\n} ; DELETE WHERE { ?s ?p ?o } #',
    '"""',
    "\\",
    "\\u0022",
    "<http://a> } DROP ALL { <http://b",
    "?s",
    "$x",
    "# comment",
    'Almere" || "1" = "1',
]
HONEST_UNKNOWN = "niet-bestaand.txt"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_param_returns_what_an_honest_unknown_value_returns(capsys, hostile):
    honest = cli(capsys, "query", "bronnen", "--param", f"bron={HONEST_UNKNOWN}", "--format", "csv")
    code, out, err = cli(
        capsys, "query", "bronnen", "--param", f"bron={hostile}", "--format", "csv"
    )
    assert honest[0] == 0 and (code, out, err) == honest


@pytest.fixture(scope="module")
def label_query(tmp_path_factory) -> Path:
    """A query whose parameter is not projected, so it is joined as a VALUES block of terms."""
    rq = tmp_path_factory.mktemp("rq") / "labels.rq"
    rq.write_text(
        "# Nodes with this label\n# @param naam: a label\n# @param x: an IRI or text\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?n WHERE { ?n rdfs:label ?l . FILTER(STR(?l) = ?naam) "
        "OPTIONAL { ?n ?q ?x } }\n",
        encoding="utf-8",
    )
    return rq


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_value_in_a_values_block_matches_nothing(capsys, label_query, hostile):
    data = ["--data", str(FIXTURE), "--format", "csv"]
    honest = cli(capsys, "query", str(label_query), "--param", "naam=geen zo'n label", *data)
    code, out, err = cli(capsys, "query", str(label_query), "--param", f"naam={hostile}", *data)
    assert honest[0] == 0 and (code, out, err) == honest
    matching = cli(capsys, "query", str(label_query), "--param", "naam=CJG", *data)
    assert matching[0] == 0 and "x-cjg" in matching[1]  # the honest value does match


@pytest.mark.parametrize(
    "iri", ["<http://a b>", "<http://a>b>", "<>", "<geen-schema>", "<http://a\nb>", "<http://a{b}>"]
)
def test_invalid_iri_param_is_refused(capsys, label_query, iri):
    code, out, err = cli(capsys, "query", str(label_query), "--param", f"x={iri}")
    assert code == 2 and out == ""
    assert "IRI" in one_line(err)


def test_valid_but_foreign_iri_param_matches_like_an_honest_one(capsys, label_query):
    data = ["--data", str(FIXTURE), "--format", "csv", "--param", "naam=CJG"]
    honest = cli(
        capsys, "query", str(label_query), "--param", "x=<http://example.org/niets>", *data
    )
    code, out, err = cli(
        capsys, "query", str(label_query), "--param", "x=<javascript:alert(1)>", *data
    )
    assert honest[0] == 0 and (code, out, err) == honest


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("command", ["doorzettingsmacht", "validate"])
def test_hostile_gemeente_is_an_unknown_municipality_like_an_honest_one(capsys, command, hostile):
    honest = cli(capsys, command, "--gemeente", "Atlantis")
    code, out, err = cli(capsys, command, "--gemeente", hostile)
    assert code == honest[0] == 2 and out == honest[1] == ""
    line = one_line(err)
    assert repr(hostile) in line
    # the same message, word for word, apart from the name
    assert line.split(". Bekend", 1)[1] == one_line(honest[2]).split(". Bekend", 1)[1]


def test_hostile_values_leave_the_store_unchanged(kg):
    before = len(kg)
    for hostile in HOSTILE:
        run_query(kg, find_query("bronnen"), {"bron": hostile})
        with pytest.raises(InputError):
            run_query(kg, find_query("rollen"), {"gemeente": hostile})
    assert len(kg) == before


# =================================================================================================
# 5. Privacy guard: validate refuses user data that looks like personal data
# =================================================================================================

PERSONAL = [
    ("bsn", 'id:x-cjg rdfs:comment "Contactpersoon heeft BSN 111222333." .\n', ["BSN", "111***33"]),
    ("bsn-in-language-text", 'id:x-pol ggsr:toelichting "zie 111222333"@nl .\n', ["BSN"]),
    ("email", 'id:x-cjg rdfs:comment "mail j.jansen@example.nl" .\n', ["j.jansen@example.nl"]),
    ("phone", 'id:x-cjg rdfs:comment "bel 06-12345678" .\n', ["06-12345678"]),
    ("phone-international", 'id:x-pol rdfs:comment "+31 20 123 4567" .\n', ["telefoon"]),
    ("foaf-person", "id:jan a <http://xmlns.com/foaf/0.1/Person> .\n", ["foaf", "id/jan"]),
    ("schema-person", "id:jan a <https://schema.org/Person> .\n", ["schema.org", "id/jan"]),
    ("prov-person", "id:jan a <http://www.w3.org/ns/prov#Person> .\n", ["prov#Person", "id/jan"]),
    (
        "given-name",
        'id:jan <https://schema.org/givenName> "Jan" .\n',
        ["givenName", "family member", "id/jan"],
    ),
    (
        "family-member",
        "id:kind <http://purl.org/vocab/relationship/childOf> id:moeder .\n",
        ["relationship/childOf", "id/kind"],
    ),
    (
        "inferred-person",
        "<urn:x:Medewerker> rdfs:subClassOf <http://xmlns.com/foaf/0.1/Person> .\n"
        "id:piet a <urn:x:Medewerker> .\n",
        ["id/piet"],
    ),
]


@pytest.mark.parametrize(("case", "extra", "words"), PERSONAL, ids=[p[0] for p in PERSONAL])
def test_validate_refuses_personal_data_naming_file_and_node(capsys, tmp_path, case, extra, words):
    data = tmp_path / "met-persoon.ttl"
    data.write_text(FIXTURE.read_text(encoding="utf-8") + "\n" + PREFIXES + extra, encoding="utf-8")
    code, out, err = cli(capsys, "validate", "--data", str(data))
    assert code == 2 and out == ""
    line = one_line(err)
    assert re.search(re.escape(str(data)) + r":\d+:\d+: ", line), line
    assert "persoonsgegevens" in line and "personal data" in line
    assert "https://w3id.org/ggsr/id/" in line  # the node
    for word in words:
        assert word in line, line
    if case == "bsn":
        assert "111222333" not in line  # a BSN is not repeated in full


def test_privacy_guard_has_no_false_alarm_on_ordinary_numbers(capsys, tmp_path):
    data = tmp_path / "getallen.ttl"
    data.write_text(
        FIXTURE.read_text(encoding="utf-8")
        + '\nid:x-cjg <http://www.w3.org/2000/01/rdf-schema#comment> "dossier 123456789, 2014" .\n',
        encoding="utf-8",
    )  # 123456789 fails the elfproef
    code, _, err = cli(capsys, "validate", "--data", str(data))
    assert code == 0, err


def test_privacy_findings_name_the_graph_and_person_types(tmp_path):
    from ggsr_kg.quality import privacy_findings

    data = tmp_path / "p.ttl"
    data.write_text(PREFIXES + "id:jan a <https://schema.org/Person> .\n", encoding="utf-8")
    kg = KnowledgeGraph.default(data=[data])
    found = privacy_findings(kg)
    assert [(f.node, f.value) for f in found] == [
        ("https://w3id.org/ggsr/id/jan", "https://schema.org/Person")
    ]
    assert kg.sources[found[0].graph] == data


# =================================================================================================
# 3. Faults on the way to a server
# =================================================================================================

G = "https://example.org/hardening/doel"
EXTRA = PREFIXES + 'id:gemeente-y a ggsr:Gemeente ; rdfs:label "Y"@nl ; ggsr:cbsCode "GM9998" .\n'


def _oxigraph() -> str:
    found = shutil.which("oxigraph")
    beside = Path(sys.executable).parent / "oxigraph"
    if not found and beside.is_file():
        found = str(beside)
    if not found:
        pytest.skip("the 'oxigraph' server is not installed (pip install oxigraph)")
    return found


def _select(base: str, text: str, timeout: float = 10.0) -> list[dict]:
    url = base + "/query?query=" + urllib.parse.quote(text)
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())["results"]["bindings"]


def count(base: str, graph: str = G) -> int:
    rows = _select(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"]["value"])


def upload_graphs(base: str) -> list[str]:
    rows = _select(
        base,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        'FILTER(STRSTARTS(STR(?g), "https://w3id.org/ggsr/graph/upload-")) }',
    )
    return [r["g"]["value"] for r in rows]


Plan = Callable[[str, str, "bytes | None"], str]


class FaultServer(ThreadingHTTPServer):
    """A misbehaving HTTP server on 127.0.0.1: per request, ``plan(method, path, body)`` says what
    to do — ``forward`` to the upstream server, ``500``, ``429`` (Retry-After: 1), ``slow``
    (sleep, then forward or 500), ``cut`` (read half the body, then drop the connection),
    ``lose-answer`` (forward, then drop the connection instead of answering), ``garbage`` (200
    with a JSON media type and a body that is not JSON), ``truncated`` (a SELECT answer that breaks
    off after its head) or ``html``. ``plan`` is called with ``body=None`` before the
    body is read (only ``cut`` is decided then), and again with the body."""

    daemon_threads = True
    slow_seconds = 3.0

    def __init__(self, plan: Plan, upstream: str | None = None):
        super().__init__(("127.0.0.1", 0), _FaultHandler)
        self.plan = plan
        self.upstream = urllib.parse.urlsplit(upstream) if upstream else None
        self.seen: list[tuple[str, str, str]] = []  # (method, path, action)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class _FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - http.server naming
        self.handle_fault()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_GET  # noqa: N815

    def handle_fault(self):
        srv: FaultServer = self.server
        length = int(self.headers.get("Content-Length") or 0)
        if srv.plan(self.command, self.path, None) == "cut":
            srv.seen.append((self.command, self.path, "cut"))
            self.rfile.read(max(1, length // 2))
            self.drop()
            return
        body = self.rfile.read(length) if length else b""
        action = srv.plan(self.command, self.path, body)
        srv.seen.append((self.command, self.path, action))
        if action == "slow":
            time.sleep(srv.slow_seconds)
            action = "forward" if srv.upstream else "500"
        if action == "500":
            self.answer(500, b"interne fout", "text/plain")
        elif action == "429":
            self.answer(429, b"te veel verzoeken", "text/plain", {"Retry-After": "1"})
        elif action == "garbage":
            self.answer(200, b"<html>Service Unavailable</html>", "application/sparql-results+json")
        elif action == "truncated":  # a valid head, then the rows break off
            body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"uri","val'
            self.answer(200, body, "application/sparql-results+json")
        elif action == "html":
            self.answer(200, b"<html><body>Inloggen</body></html>", "text/html")
        elif action == "incomplete":  # promises 1000 bytes, sends 20, hangs up
            self.raw(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                b'Content-Length: 1000\r\n\r\n{"head":{"vars":["x"]'
            )
        elif action == "not-http":  # some other service on that port
            self.raw(b"SSH-2.0-OpenSSH_9.6\r\n")
        elif action == "trickle":  # a valid start, then one byte every 0.1 s (each read is quick)
            self.trickle(b'{"head":{"vars":["x"]},"results":{"bindings":[' + b" " * 100, 0.1)
        elif action == "flood":  # a valid start, then rows as fast as the client reads them
            self.flood()
        elif action in ("forward", "lose-answer"):
            status, ctype, payload = self.forward(body)
            if action == "lose-answer":
                self.drop()
            else:
                self.answer(status, payload, ctype)
        else:  # pragma: no cover - a mistake in a plan
            raise AssertionError(action)

    def forward(self, body: bytes) -> tuple[int, str, bytes]:
        up = self.server.upstream
        conn = http.client.HTTPConnection(up.hostname, up.port, timeout=60)
        skip = {"host", "connection", "content-length", "transfer-encoding"}
        headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
        conn.request(self.command, self.path, body=body or None, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        conn.close()
        return resp.status, resp.getheader("Content-Type", "text/plain"), payload

    def answer(self, status: int, payload: bytes, ctype: str, headers: dict | None = None):
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass
        self.close_connection = True

    def raw(self, data: bytes):
        with contextlib.suppress(OSError):
            self.wfile.write(data)
            self.wfile.flush()
        self.drop()

    def trickle(self, payload: bytes, pause: float):
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
            f"Content-Length: {len(payload) + 10}\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            self.wfile.write(head.encode())
            for i in range(len(payload)):
                self.wfile.write(payload[i : i + 1])
                self.wfile.flush()
                time.sleep(pause)
        self.drop()

    def flood(self, limit: int = 64 * 1024 * 1024):
        row = b'{"x":{"type":"literal","value":"' + b"x" * 1000 + b'"}},'
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
            f"Content-Length: {limit}\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            self.wfile.write(head.encode() + b'{"head":{"vars":["x"]},"results":{"bindings":[')
            for _ in range(limit // len(row)):
                self.wfile.write(row)
        self.drop()

    def drop(self):
        """Close the connection without a word (the client sees a reset or an early EOF)."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, *args):
        pass


def always(action: str) -> Plan:
    return lambda method, path, body: action


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    """Retry waits are recorded instead of slept."""
    found: list[float] = []
    monkeypatch.setattr(remote, "_sleep", found.append)
    return found


# ---- query --endpoint against a misbehaving server -----------------------------------------------


def closed_port_url() -> str:
    return f"http://127.0.0.1:{free_port()}"  # nothing listens there once the socket is closed


@pytest.mark.server
@pytest.mark.parametrize(
    ("action", "extra", "words"),
    [
        ("down", [], ["niet bereikbaar", "unreachable"]),
        ("slow", ["--timeout", "0.5"], ["tijdslimiet", "timed out"]),
        ("500", [], ["HTTP 500"]),
        ("429", [], ["HTTP 429"]),
        ("cut", [], []),
        ("garbage", [], ["onleesbaar", "unreadable"]),
        ("html", [], ["onleesbaar", "unreadable"]),
        ("truncated", [], ["onleesbaar", "unreadable"]),
        ("incomplete", [], ["connection closed in the middle of the answer"]),
        ("not-http", [], ["not a valid HTTP answer"]),
        ("trickle", ["--timeout", "1"], ["tijdslimiet", "timed out"]),
        ("flood", [], ["antwoord te groot", "answer too large"]),
    ],
)
@pytest.mark.parametrize(
    "argv",
    [["query", "rollen"], ["doorzettingsmacht", "--gemeente", "Almere"]],
    ids=["query", "doorzettingsmacht-gemeente"],
)
def test_query_endpoint_fault_is_exit_3_and_one_line(
    capsys, waits, monkeypatch, argv, action, extra, words
):
    monkeypatch.setattr(remote, "MAX_ANSWER_BYTES", 1024 * 1024)  # the flood stops at 1 MB
    started = time.monotonic()
    if action == "down":
        code, out, err = cli(capsys, *argv, "--endpoint", closed_port_url(), *extra)
    else:
        with FaultServer(always(action)) as fault:
            fault.slow_seconds = 2.0
            code, out, err = cli(capsys, *argv, "--endpoint", fault.url, *extra)
    assert code == 3, err
    assert out == ""
    line = one_line(err)
    for word in words:
        assert word in line, line
    if action == "429":
        assert waits == [1.0, 1.0, 1.0]  # Retry-After honoured, bounded number of retries
    if action == "trickle":
        assert time.monotonic() - started < 3  # the whole answer is bounded, not each read


# ---- load --endpoint: old or new, never a mixture ------------------------------------------------


@pytest.fixture(scope="module")
def store_server(tmp_path_factory):
    """A read-write Oxigraph server of our own (the target graph is ours alone)."""
    with running_oxigraph(_oxigraph(), tmp_path_factory.mktemp("oxigraph-hardening")) as base:
        yield base


@pytest.fixture(scope="module")
def second_data(tmp_path_factory) -> Path:
    extra = tmp_path_factory.mktemp("tweede") / "gemeente-y.ttl"
    extra.write_text(EXTRA, encoding="utf-8")
    return extra


@pytest.fixture
def first_load(store_server, capsys) -> int:
    """The target graph holds the first load (fixture only); returns its triple count."""
    code, _, err = cli(
        capsys, "load", "--endpoint", store_server, "--graph", G, "--data", str(FIXTURE)
    )
    assert code == 0, err
    n = count(store_server)
    assert n > 0 and upload_graphs(store_server) == []
    return n


def second_load(capsys, endpoint: str, second_data: Path, *extra: str) -> tuple[int, str, str]:
    return cli(
        capsys,
        "load",
        "--endpoint",
        endpoint,
        "--graph",
        G,
        "--data",
        str(FIXTURE),
        str(second_data),
        *extra,
    )


def _is_put(method, path, body):
    return method == "PUT"


def _is_count(method, path, body):
    return body is not None and method == "POST" and b"COUNT" in body


def _is_move(method, path, body):
    return body is not None and body.startswith(b"MOVE")


def _first_update_cut() -> Plan:
    """Cut the connection in the middle of the first update sent (the MOVE: the upload is a PUT),
    pass on the rest (the clean-up)."""
    done: list[str] = []

    def plan(method, path, body):
        if method == "POST" and "/update" in path and not done:
            done.append(path)
            return "cut"
        return "forward"

    return plan


LOAD_FAULTS = [
    # (id, plan, extra args, words in the message, target afterwards: "old" or "new")
    (
        "cut-mid-upload",
        lambda m, p, b: "cut" if _is_put(m, p, b) else "forward",
        [],
        ["upload", "unchanged"],
        "old",
    ),
    (
        "500-on-upload",
        lambda m, p, b: "500" if _is_put(m, p, b) else "forward",
        [],
        ["HTTP 500", "unchanged"],
        "old",
    ),
    (
        "429-on-upload",
        lambda m, p, b: "429" if _is_put(m, p, b) else "forward",
        [],
        ["HTTP 429", "unchanged"],
        "old",
    ),
    (
        "slow-count",
        lambda m, p, b: "slow" if _is_count(m, p, b) else "forward",
        ["--timeout", "1"],
        ["timed out", "unchanged"],
        "old",
    ),
    (
        "garbage-count",
        lambda m, p, b: "garbage" if _is_count(m, p, b) else "forward",
        [],
        ["unreadable", "unchanged"],
        "old",
    ),
    (
        "500-on-replace",
        lambda m, p, b: "500" if _is_move(m, p, b) else "forward",
        [],
        ["HTTP 500", "unchanged"],
        "old",
    ),
    (
        "not-http-on-upload",
        lambda m, p, b: "not-http" if _is_put(m, p, b) else "forward",
        [],
        ["not a valid HTTP answer", "unchanged"],
        "old",
    ),
    (
        "trickled-count",
        lambda m, p, b: "trickle" if _is_count(m, p, b) else "forward",
        ["--timeout", "1"],
        ["timed out", "unchanged"],
        "old",
    ),
    (
        "incomplete-count",
        lambda m, p, b: "incomplete" if _is_count(m, p, b) else "forward",
        [],
        ["connection closed in the middle", "unchanged"],
        "old",
    ),
    (
        "cut-mid-replace",
        _first_update_cut(),
        [],
        ["replace failed", "unchanged"],
        "old",
    ),
    (
        "429-on-replace",
        lambda m, p, b: "429" if _is_move(m, p, b) else "forward",
        [],
        ["HTTP 429", "replace failed", "unchanged"],
        "old",
    ),
    (
        "lost-answer-to-replace",
        lambda m, p, b: "lose-answer" if _is_move(m, p, b) else "forward",
        [],
        ["new data"],
        "new",
    ),
]


@pytest.mark.server
@pytest.mark.parametrize(
    ("case", "plan", "extra", "words", "after"), LOAD_FAULTS, ids=[f[0] for f in LOAD_FAULTS]
)
def test_load_fault_leaves_the_old_graph_or_the_new_never_a_mixture(
    capsys, waits, store_server, first_load, second_data, case, plan, extra, words, after
):
    # what the second load would give, measured on a graph of its own
    code, _, err = cli(
        capsys,
        "load",
        "--endpoint",
        store_server,
        "--graph",
        G + "-nieuw",
        "--data",
        str(FIXTURE),
        str(second_data),
    )
    assert code == 0, err
    new = count(store_server, G + "-nieuw")
    assert new != first_load

    with FaultServer(plan, upstream=store_server) as fault:
        code, out, err = second_load(capsys, fault.url, second_data, *extra)
    assert any(action != "forward" for _, _, action in fault.seen)  # the fault did happen
    assert code == 3, err
    line = one_line(err)
    for word in words:
        assert word in line, line
    assert count(store_server) == (first_load if after == "old" else new)
    assert upload_graphs(store_server) == []  # no temporary graph left behind


@pytest.mark.server
def test_load_to_a_server_that_is_down(capsys, store_server, first_load, second_data):
    code, out, err = second_load(capsys, closed_port_url(), second_data)
    assert code == 3
    line = one_line(err)
    assert "unreachable" in line and "unchanged" in line
    assert count(store_server) == first_load


@pytest.mark.server
def test_load_to_a_server_that_goes_down_after_the_upload_names_the_leftover(
    capsys, store_server, first_load, second_data
):
    """The PUT arrives, then every request is cut (the count and the clean-up): the target is
    old, and the message names the temporary graph that may be left behind."""

    put = []

    def plan(method, path, body):  # the question for leftovers before the upload goes through
        if method == "PUT":
            put.append(path)
            return "forward"
        return "cut" if put else "forward"

    with FaultServer(plan, upstream=store_server) as fault:
        code, out, err = second_load(capsys, fault.url, second_data)
    assert code == 3
    line = one_line(err)
    assert "count failed" in line and "unchanged (old data)" in line
    (left,) = upload_graphs(store_server)
    assert f"<{left}>" in line and "may be left behind" in line
    assert count(store_server) == first_load
    drop = urllib.request.Request(
        store_server + "/update",
        data=f"DROP GRAPH <{left}>".encode(),
        headers={"Content-Type": "application/sparql-update"},
    )
    urllib.request.urlopen(drop, timeout=10).close()  # as the message says to


@pytest.mark.server
def test_load_retries_a_429_once_and_succeeds(capsys, waits, store_server, first_load, second_data):
    told = []

    def plan(method, path, body):
        if method == "PUT" and body is not None and not told:
            told.append(path)
            return "429"
        return "forward"

    with FaultServer(plan, upstream=store_server) as fault:
        code, out, err = second_load(capsys, fault.url, second_data)
    assert code == 0, err
    assert waits == [1.0]
    assert count(store_server) > first_load


@pytest.mark.server
def test_hostile_values_on_a_remote_endpoint(capsys, store_server, first_load, label_query):
    """User values reach a remote endpoint as terms: the rows of an honest value, no change."""
    args = ["--endpoint", store_server, "--graph", G, "--format", "csv"]
    honest = cli(capsys, "query", str(label_query), "--param", "naam=geen label", *args)
    assert honest[0] == 0
    for hostile in HOSTILE:
        assert cli(capsys, "query", str(label_query), "--param", f"naam={hostile}", *args) == honest
        code, out, err = cli(capsys, "doorzettingsmacht", "--gemeente", hostile, *args)
        assert code == 2 and "unknown municipality" in err and "Traceback" not in err
    assert "x-cjg" in cli(capsys, "query", str(label_query), "--param", "naam=CJG", *args)[1]
    assert count(store_server) == first_load


@pytest.mark.server
def test_remote_unknown_municipality_is_one_line(capsys, store_server, first_load):
    code, _, err = cli(
        capsys, "doorzettingsmacht", "--gemeente", "a\nb", "--endpoint", store_server
    )
    assert code == 2
    line = one_line(err)
    assert "'a\\nb'" in line  # quoted with repr: the newline is shown, not obeyed
    assert "another --graph?" in line  # the default graph of this server holds no municipality
    code, _, err = cli(
        capsys, "doorzettingsmacht", "--gemeente", "a\nb", "--endpoint", store_server, "--graph", G
    )
    assert code == 2
    assert one_line(err).endswith("Bekend / known: X")  # what the endpoint does know


@pytest.mark.parametrize("hostile", [f"{G}> }} ; DROP ALL ; <{G}", f"{G}\n", "a b", "<x>", ""])
@pytest.mark.parametrize("command", [["load", "--data", str(FIXTURE)], ["query", "rollen"]])
def test_a_hostile_graph_name_is_refused_before_anything_is_sent(capsys, command, hostile):
    """``load --graph`` is the one user value written into an update (``MOVE … TO <graph>``):
    it must be an IRI, checked before the endpoint is contacted."""
    with FaultServer(always("500")) as fault:
        code, out, err = cli(capsys, *command, "--endpoint", fault.url, "--graph", hostile)
    assert code == 2 and out == ""
    assert "IRI" in one_line(err)
    assert fault.seen == []


@pytest.mark.parametrize(
    "url",
    ["http://\udcff", "http://[::1", "http://a:99999", "http://a b/", "http://", "ftp://x",
     "http://" + "a" * 300 + "/", "http://127.0.0.1:1/\udcff", "http://a\nb", "http://h:0"],
)  # fmt: skip
@pytest.mark.parametrize("command", [["query", "rollen"], ["load"], ["link"]])
def test_an_unusable_endpoint_address_is_bad_input(capsys, tmp_path, command, url):
    extra = ["--out", str(tmp_path / "l.ttl")] if command == ["link"] else []
    code, out, err = cli(capsys, *command, "--endpoint", url, *extra)
    assert code == 2 and out == ""
    assert "URL" in one_line(err)
    assert not (tmp_path / "l.ttl").exists()


@pytest.mark.server
def test_an_update_in_a_query_file_is_never_sent_to_an_endpoint(
    capsys, store_server, first_load, tmp_path
):
    q = tmp_path / "wis.rq"
    q.write_text(f"DROP GRAPH <{G}>", encoding="utf-8")
    code, out, err = cli(capsys, "query", str(q), "--endpoint", store_server)
    assert code == 2 and "SPARQL Update" in one_line(err)  # refused before anything is sent
    assert count(store_server) == first_load


# =================================================================================================
# 4. The served endpoint: tests/test_serve.py
# =================================================================================================

EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # no row for long


# ---- the Oxigraph server on its own: what --timeout-s does ---------------------------------------


@pytest.fixture(scope="module")
def oxigraph_with_timeout(tmp_path_factory):
    """A bare Oxigraph server with a time limit (``--timeout-s 2``): what a client of such a
    server sees (``query --endpoint``)."""
    _oxigraph()
    kg = KnowledgeGraph.default(data=[FIXTURE])
    location = server.prepare_store(kg, tmp_path_factory.mktemp("served-timeout"))
    port = free_port()
    proc = subprocess.Popen(
        [
            *[_oxigraph(), "serve-read-only", "--location", str(location)],
            *["--bind", f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", "2"],
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_sparql(base, proc)
        yield base, proc
    finally:
        stop_process(proc)


@pytest.mark.server
def test_oxigraph_timeout_cuts_an_expensive_query_off(oxigraph_with_timeout):
    """With --timeout-s the Oxigraph server stops the query itself and stays up — but answers
    HTTP 200 with a body that breaks off (which ``query --endpoint`` must not take for a result)."""
    base, proc = oxigraph_with_timeout
    url = base + "/query?query=" + urllib.parse.quote(EXPENSIVE)
    start = time.monotonic()
    with urllib.request.urlopen(url, timeout=20) as r:
        status, body = r.status, r.read()
    assert time.monotonic() - start < 10
    assert status == 200 and b"cancelled" in body
    assert _select(base, "SELECT * WHERE {}", timeout=5) == [{}]
    assert proc.poll() is None


@pytest.mark.server
def test_query_endpoint_on_a_query_the_server_cut_off(capsys, tmp_path, oxigraph_with_timeout):
    base, _ = oxigraph_with_timeout
    q = tmp_path / "duur.rq"
    q.write_text(EXPENSIVE, encoding="utf-8")
    code, out, err = cli(capsys, "query", str(q), "--endpoint", base, "--timeout", "30")
    assert code == 3 and out == ""
    line = one_line(err)
    assert "cancelled" in line and "no (partial) result" in line


# ---- big files go through the bulk loader and are checked there; same graph, same messages ---------------------


@pytest.fixture
def stream_everything(monkeypatch):
    import ggsr_kg.graph as graph_module

    monkeypatch.setattr(graph_module, "FAST_ABOVE_BYTES", 0)


def test_streamed_load_gives_the_same_graph(tmp_path, stream_everything):
    from ggsr_kg.synth import generate

    path = tmp_path / "synth.nq"
    generate(3, seed=2).write(path)
    streamed = KnowledgeGraph.default(data=[path], infer=False)
    parsed = list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    assert streamed.files[path] == len(set(parsed))  # the distinct quads the store holds
    assert {q.graph_name.value for q in parsed} <= set(streamed.sources)  # each graph traced back


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (b'<urn:a> <urn:b> "\xff" .\n', "geen geldige UTF-8"),
        (b"<urn:a> <urn:b> .\n", "syntaxfout"),
        (b'<urn:a> <https://w3id.org/ggsr/def#bestaatNiet> "x" .\n', "bestaatNiet"),
    ],
)
def test_streamed_load_names_the_place_and_adds_nothing(
    tmp_path, stream_everything, tail, expected
):
    path = tmp_path / "bad.nt"
    good = b'<urn:x> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n' * 3
    path.write_bytes(good + tail)
    kg = KnowledgeGraph.default(infer=False)
    before = len(kg)
    with pytest.raises(InputError) as err:
        kg.load_user(path)
    assert f"{path}:4:" in str(err.value) and expected in str(err.value)
    assert len(kg) == before
