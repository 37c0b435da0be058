"""Remote SPARQL: HTTP habits against a scripted local endpoint (fast, no server binary), and —
marked ``server`` — load/query/serve against a real Oxigraph server from PyPI on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
from conftest import free_port, stop_process, wait_for_sparql

from ggsr_kg import __version__, remote
from ggsr_kg.cli import main
from ggsr_kg.errors import EndpointError, InputError
from ggsr_kg.output import plain, render
from ggsr_kg.queries import find_query, named_queries, values_clause
from ggsr_kg.queries import run as run_embedded
from ggsr_kg.resources import resource_dir

EMMEN = "https://w3id.org/ggsr/id/gemeente-emmen"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


# ---- a scripted endpoint ---------------------------------------------------------------------------


def results(names: list[str], rows: list[dict]) -> bytes:
    return json.dumps({"head": {"vars": names}, "results": {"bindings": rows}}).encode()


class Scripted(ThreadingHTTPServer):
    """Answers each request with the next scripted (status, headers, body, delay); records them."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.script: list[tuple[int, dict, bytes, float]] = []
        self.seen: list[dict] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server naming
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        form = urllib.parse.parse_qs(body)
        self.server.seen.append(
            {
                "path": self.path,
                "headers": dict(self.headers),
                "query": form.get("query", [""])[0],
                "form": form,
            }
        )
        status, headers, payload, delay = (
            self.server.script.pop(0) if self.server.script else (500, {}, b"no script", 0)
        )
        time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header(
                "Content-Type", headers.pop("Content-Type", "application/sparql-results+json")
            )
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def scripted():
    server = Scripted()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def no_sleep(monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(remote, "_sleep", waits.append)
    return waits


ROW = {
    "functie": {"type": "literal", "value": "brandpuntfunctionaris", "xml:lang": "nl"},
    "jaar": {"type": "literal", "value": "2009", "datatype": XSD_INTEGER},
    "rol": {"type": "uri", "value": "https://w3id.org/ggsr/id/almere-2009-brandpunt"},
}


# ---- addresses, headers, credentials, binding --------------------------------------------------------


def test_endpoint_urls_follow_the_server_layout():
    bare = remote.endpoint_urls("http://127.0.0.1:7878")
    assert bare == remote.Endpoint(
        "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store"
    )
    fuseki = remote.endpoint_urls("https://example.org/ds/query")
    assert (fuseki.query, fuseki.update, fuseki.store) == (
        "https://example.org/ds/query",
        "https://example.org/ds/update",
        "https://example.org/ds/store",
    )
    other = remote.endpoint_urls("https://example.org/repositories/ggsr", store="https://x/s")
    assert (other.query, other.update, other.store) == (
        "https://example.org/repositories/ggsr",
        "https://example.org/repositories/ggsr",
        "https://x/s",
    )
    with pytest.raises(InputError):
        remote.endpoint_urls("ftp://example.org/sparql")


def test_headers_credentials_and_gemeente_bound_as_terms(scripted, monkeypatch):
    monkeypatch.setenv("GGSR_SPARQL_USER", "lezer")
    monkeypatch.setenv("GGSR_SPARQL_PASSWORD", "geheim-42")
    scripted.script = [
        (200, {}, results(["g"], [{"g": {"type": "uri", "value": EMMEN}}]), 0),
        (200, {}, results(["functie", "jaar", "rol"], [ROW]), 0),
    ]
    names, rows = remote.run_remote(
        scripted.url, find_query("rollen"), {"gemeente": "Emmen", "jaar": "2009"}
    )
    assert names == ["functie", "jaar", "rol"]
    assert rows[0]["functie"] == ox.Literal("brandpuntfunctionaris", language="nl")
    assert rows[0]["jaar"] == ox.Literal("2009", datatype=ox.NamedNode(XSD_INTEGER))
    assert isinstance(rows[0]["rol"], ox.NamedNode)
    assert json.loads(render(names, rows, "json"))[0]["jaar"] == 2009

    first, second = scripted.seen
    for req in (first, second):
        assert req["path"] == "/query"
        assert req["headers"]["User-Agent"] == f"ggsr-kg/{__version__} (+https://w3id.org/ggsr)"
        assert (
            req["headers"]["Authorization"]
            == "Basic " + base64.b64encode(b"lezer:geheim-42").decode()
        )
        assert req["headers"]["Prefer"] == "wait=30"
    # the name reaches the endpoint only as a literal in a VALUES block
    assert first["query"].rstrip().endswith('VALUES (?wanted) { ("emmen") }')
    # the named query is sent unchanged apart from one VALUES block of RDF terms
    text = find_query("rollen").text
    jaar = '"2009"^^<http://www.w3.org/2001/XMLSchema#integer>'
    block = values_clause({"jaar": ox.Literal("2009", datatype=ox.NamedNode(XSD_INTEGER)),
                           "gemeente": ox.NamedNode(EMMEN)})  # fmt: skip
    assert f"VALUES (?jaar ?gemeente) {{ ({jaar} <{EMMEN}>) }}" in block
    assert block in second["query"]
    assert second["query"].replace(block, "", 1) == text


def test_hostile_gemeente_stays_a_literal_and_unknown_is_input_error(scripted):
    hostile = 'Emmen" } ; DROP ALL ; {'
    known = [{"n": {"type": "literal", "value": v}} for v in ("Emmen", "Almere")]
    scripted.script = [(200, {}, results(["g"], []), 0), (200, {}, results(["n"], known), 0)]
    with pytest.raises(InputError) as info:
        remote.run_remote(scripted.url, find_query("rollen"), {"gemeente": hostile})
    assert info.value.exit_code == 2
    assert str(info.value).endswith("Bekend / known: Almere, Emmen")
    assert repr(hostile) in str(info.value)
    req, listing = scripted.seen  # the named query itself was never sent
    assert req["query"].rstrip().endswith('VALUES (?wanted) { ("emmen\\" } ; drop all ; {") }')
    assert "drop all" not in listing["query"].lower()  # the list of names: no user value in it


def test_unknown_gemeente_without_the_list_when_listing_fails(scripted):
    scripted.script = [(200, {}, results(["g"], []), 0), (500, {}, b"kapot", 0)]
    with pytest.raises(InputError) as info:
        remote.run_remote(scripted.url, find_query("rollen"), {"gemeente": "Atlantis"})
    assert info.value.exit_code == 2 and "'Atlantis'" in str(info.value)
    assert "Bekend" not in str(info.value)


def test_unknown_parameter_is_refused_before_any_request(scripted):
    with pytest.raises(InputError):
        remote.run_remote(scripted.url, find_query("rollen"), {"bestaatniet": "x"})
    assert scripted.seen == []


def test_default_graph_is_sent_when_given(scripted):
    scripted.script = [(200, {}, results(["functie", "jaar", "rol"], [ROW]), 0)]
    remote.run_remote(scripted.url, find_query("rollen"), {}, graph="https://example.org/g")
    assert scripted.seen[0]["form"]["default-graph-uri"] == ["https://example.org/g"]


# ---- retries, timeouts, failures -----------------------------------------------------------------


def test_429_and_503_are_retried_honouring_retry_after(scripted, no_sleep):
    scripted.script = [
        (429, {"Retry-After": "2", "Content-Type": "text/plain"}, b"slow down", 0),
        (503, {"Retry-After": "1", "Content-Type": "text/plain"}, b"busy", 0),
        (200, {}, results(["functie", "jaar", "rol"], [ROW]), 0),
    ]
    _, rows = remote.run_remote(scripted.url, find_query("rollen"), {})
    assert len(rows) == 1
    assert no_sleep == [2.0, 1.0]
    assert len(scripted.seen) == 3


def test_retries_are_bounded(scripted, no_sleep):
    scripted.script = [(503, {"Retry-After": "0", "Content-Type": "text/plain"}, b"busy", 0)] * 10
    with pytest.raises(EndpointError) as info:
        remote.run_remote(scripted.url, find_query("rollen"), {})
    assert len(scripted.seen) == remote.MAX_RETRIES + 1
    assert "503" in str(info.value) and "\n" not in str(info.value)


def test_a_retry_after_beyond_the_bound_is_not_waited_for(scripted, no_sleep):
    scripted.script = [(429, {"Retry-After": "3600", "Content-Type": "text/plain"}, b"", 0)]
    with pytest.raises(EndpointError):
        remote.run_remote(scripted.url, find_query("rollen"), {})
    assert no_sleep == [] and len(scripted.seen) == 1


def test_retry_after_as_http_date():
    assert remote._retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert remote._retry_after("7") == 7.0
    assert remote._retry_after("morgen") is None


def test_client_timeout(scripted):
    scripted.script = [(200, {}, results(["functie"], []), 3.0)]
    start = time.monotonic()
    with pytest.raises(EndpointError) as info:
        remote.run_remote(scripted.url, find_query("rollen"), {}, timeout=0.3)
    assert time.monotonic() - start < 2.5
    assert "timed out" in str(info.value)


def test_unauthorised_names_the_variables_never_the_password(scripted, monkeypatch, capsys):
    monkeypatch.setenv("GGSR_SPARQL_USER", "lezer")
    monkeypatch.setenv("GGSR_SPARQL_PASSWORD", "geheim-42")
    scripted.script = [(401, {"Content-Type": "text/plain"}, b"who are you", 0)]
    assert main(["query", "rollen", "--endpoint", scripted.url]) == 3
    err = capsys.readouterr().err
    assert "GGSR_SPARQL_USER" in err and "geheim-42" not in err and "lezer" not in err


def test_an_answer_that_is_not_sparql_results_is_an_endpoint_error(scripted):
    scripted.script = [(200, {"Content-Type": "text/html"}, b"<html>hallo</html>", 0)]
    with pytest.raises(EndpointError):
        remote.run_remote(scripted.url, find_query("rollen"), {})


def test_unreachable_endpoint_is_one_line_and_exit_3(capsys):
    port = free_port()  # nothing listens there
    code = main(["query", "rollen", "--endpoint", f"http://127.0.0.1:{port}"])
    err = capsys.readouterr().err
    assert code == 3
    assert err.count("\n") == 1 and "unreachable" in err


# ---- a real Oxigraph server ------------------------------------------------------------------------


def normalise(value):
    """GROUP_CONCAT order is not defined by SPARQL: compare concatenations as sorted parts."""
    if isinstance(value, str) and ("; " in value or " | " in value):
        parts = [p for chunk in value.split(" | ") for p in chunk.split("; ")]
        return tuple(sorted(parts))
    return value


def as_set(names, rows) -> set[tuple]:
    return {tuple(normalise(plain(r.get(n))) for n in names) for r in rows}


CASES = [(name, {}) for name, q in sorted(named_queries().items()) if not q.needs_results] + [
    ("rollen", {"gemeente": "Almere"}),
    ("netwerkpartners", {"gemeente": "Emmen", "jaar": "2013"}),
    ("ontwikkeling", {"gemeente": "Sittard-Geleen"}),
    ("bronnen", {"bron": "001_d7b3a60144a78fbc.txt"}),
    ("escalatiepad", {"gemeente": "GM0772"}),
]


@pytest.fixture(scope="module")
def loaded(oxigraph_server, kg):
    assert main(["load", "--endpoint", oxigraph_server]) == 0
    return oxigraph_server


@pytest.mark.server
@pytest.mark.parametrize(
    "name, params", CASES, ids=[f"{n}{'-' + '-'.join(p.values()) if p else ''}" for n, p in CASES]
)
def test_every_query_gives_the_same_rows_remotely(loaded, kg, name, params):
    query = find_query(name)
    here = run_embedded(kg, query, params)
    assert here[1] or query.is_check, "a report with no rows compares nothing"
    there = remote.run_remote(loaded, query, params)
    assert there[0] == here[0]
    assert as_set(*there) == as_set(*here)
    assert len(there[1]) == len(here[1])


# Queries that read stored validation results need a persistent store (tests/test_store.py).
JSON_CASES = [(n, {}) for n, q in sorted(named_queries().items()) if not q.needs_results] + [
    ("doorzettingsmacht", {"gemeente": "Emmen", "jaar": "2014"}),
    ("bronnen", {"bron": "STJ-bevindingen Emmen 2013"}),
    ("ontbrekende-partijen", {"gemeente": "Sittard-Geleen"}),
]


@pytest.mark.server
@pytest.mark.parametrize(
    "name, params",
    JSON_CASES,
    ids=[f"{n}{'-' + '-'.join(p.values()) if p else ''}" for n, p in JSON_CASES],
)
def test_embedded_and_served_json_are_byte_identical(loaded, capsys, name, params):
    """The same answer everywhere: ``--format json`` of every named query gives the same bytes
    from the embedded store and from the Oxigraph server — rows in the same order and every
    concatenation in the same order (each GROUP_CONCAT reads a sorted sub-select)."""
    argv = ["query", name, "--format", "json"]
    for k, v in params.items():
        argv += ["--param", f"{k}={v}"]
    assert main(argv) == 0 or named_queries()[name].is_check
    here = capsys.readouterr().out
    assert main([*argv, "--endpoint", loaded]) == 0 or named_queries()[name].is_check
    there = capsys.readouterr().out
    assert json.loads(here) or named_queries()[name].is_check, "a report with no rows"
    assert there == here


@pytest.mark.server
def test_cli_endpoint_output_matches_embedded(loaded, capsys):
    assert (
        main(["query", "bronnen", "--param", "bron=001_d7b3a60144a78fbc.txt", "--format", "csv"])
        == 0
    )
    here = capsys.readouterr().out
    assert (
        main(
            [
                "query",
                "bronnen",
                "--param",
                "bron=001_d7b3a60144a78fbc.txt",
                "--format",
                "csv",
                "--endpoint",
                loaded,
            ]
        )
        == 0
    )
    there = capsys.readouterr().out
    assert sorted(here.splitlines()) == sorted(there.splitlines())


def count(base: str, graph: str | None = None) -> int:
    text = (
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        if graph
        else "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    )
    _, rows = remote.select(base + "/query", text)
    return int(rows[0]["n"].value)


def upload_graphs(base: str) -> list[str]:
    _, rows = remote.select(
        base + "/query",
        'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/ggsr/graph/upload-")) }',
    )
    return [r["g"].value for r in rows]


DATA = resource_dir("data")
SMALL, OTHER = str(DATA / "bronnen.ttl"), str(DATA / "gebieden.ttl")  # ontology + one small file


@pytest.mark.server
def test_load_into_a_named_graph_and_query_it(loaded):
    from ggsr_kg.graph import KnowledgeGraph

    graph = "https://example.org/ggsr-test/named"
    files = [DATA / "bronnen.ttl", DATA / "gebieden.ttl", DATA / "gemeenten" / "almere.ttl"]
    assert main(["load", "--endpoint", loaded, "--graph", graph, "--data", *map(str, files)]) == 0
    small = KnowledgeGraph.default(data=files)
    assert count(loaded, graph) == len({(q.subject, q.predicate, q.object) for q in small.store})
    query = find_query("rollen")
    here = run_embedded(small, query, {"gemeente": "Almere"})
    there = remote.run_remote(loaded, query, {"gemeente": "Almere"}, graph=graph)
    assert here[1] and as_set(*there) == as_set(*here)
    assert upload_graphs(loaded) == []


def fail_move(monkeypatch, *, after_moving: bool):
    """Make the MOVE request fail — before it reaches the server, or after it was carried out."""
    real = remote.request

    def request(method, url, data=None, *args, **kwargs):
        if data and data.startswith(b"MOVE"):
            if after_moving:
                real(method, url, data, *args, **kwargs)
            raise EndpointError(f"{url}: HTTP 502: gesimuleerd / simulated")
        return real(method, url, data, *args, **kwargs)

    monkeypatch.setattr(remote, "request", request)


@pytest.mark.server
def test_failed_replace_leaves_the_old_graph_and_says_so(loaded, monkeypatch, capsys):
    graph = "https://example.org/ggsr-test/atomic-old"
    assert (
        main(
            ["load", "--endpoint", loaded, "--graph", graph, "--data", SMALL, "--zonder-afleiding"]
        )
        == 0
    )
    before = count(loaded, graph)
    fail_move(monkeypatch, after_moving=False)
    code = main(
        ["load", "--endpoint", loaded, "--graph", graph, "--data", OTHER, "--zonder-afleiding"]
    )
    err = capsys.readouterr().err
    assert code == 3
    assert "the target is unchanged (old data)" in err and err.count("\n") == 1
    assert count(loaded, graph) == before
    assert upload_graphs(loaded) == []


@pytest.mark.server
def test_a_lost_answer_to_the_replace_is_reported_as_new(loaded, monkeypatch, capsys):
    graph = "https://example.org/ggsr-test/atomic-new"
    assert (
        main(
            ["load", "--endpoint", loaded, "--graph", graph, "--data", SMALL, "--zonder-afleiding"]
        )
        == 0
    )
    before = count(loaded, graph)
    fail_move(monkeypatch, after_moving=True)
    assert (
        main(
            ["load", "--endpoint", loaded, "--graph", graph, "--data", OTHER, "--zonder-afleiding"]
        )
        == 3
    )
    assert "the target holds the new data" in capsys.readouterr().err
    assert count(loaded, graph) != before
    assert upload_graphs(loaded) == []


@pytest.mark.server
def test_count_mismatch_stops_before_the_target_is_touched(loaded, monkeypatch, capsys):
    from ggsr_kg.commands import load as load_cmd

    graph = "https://example.org/ggsr-test/count"
    assert (
        main(
            ["load", "--endpoint", loaded, "--graph", graph, "--data", SMALL, "--zonder-afleiding"]
        )
        == 0
    )
    before = count(loaded, graph)
    real = load_cmd.serialise

    def miscounted(kg):
        data, n = real(kg)
        return data, n + 1

    monkeypatch.setattr(load_cmd, "serialise", miscounted)
    assert (
        main(
            ["load", "--endpoint", loaded, "--graph", graph, "--data", OTHER, "--zonder-afleiding"]
        )
        == 3
    )
    assert "unchanged (old data)" in capsys.readouterr().err
    assert count(loaded, graph) == before
    assert upload_graphs(loaded) == []


@pytest.mark.server
def test_serve_is_read_only(oxigraph_bin, kg):
    port = free_port()
    env = dict(
        os.environ, PATH=os.path.dirname(oxigraph_bin) + os.pathsep + os.environ.get("PATH", "")
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "ggsr_kg.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_sparql(base, proc, timeout=30)
        before = count(base)
        insert = b"INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
        for url, data, ctype in [
            (base + "/update", insert, "application/sparql-update"),
            (
                base + "/query",
                b"update=" + urllib.parse.quote_from_bytes(insert).encode(),
                "application/x-www-form-urlencoded",
            ),
            (base + "/store?default", b"<urn:x:s> <urn:x:p> <urn:x:o> .", "application/n-triples"),
        ]:
            req = urllib.request.Request(
                url, data=data, headers={"Content-Type": ctype}, method="POST"
            )
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(req, timeout=5)
            assert 400 <= info.value.code < 500
        assert count(base) == before
        _, rows = remote.select(
            base + "/query", "ASK { <urn:x:s> ?p ?o }".replace("ASK", "SELECT * WHERE")
        )
        assert rows == []
        # the union default graph answers the named queries like the embedded store
        query = find_query("rollen")
        assert as_set(*remote.run_remote(base, query, {})) == as_set(*run_embedded(kg, query, {}))
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # serve stops its Oxigraph child and removes the store
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                stop_process(proc)
