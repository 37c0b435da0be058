"""``ggsr-kg serve``: read-only, bounded, same-origin, and alive whatever a query does.

The command is started as a process of its own (this Python, ``-m ggsr_kg.cli serve``) on
127.0.0.1 with a 2 s time limit and at most 1000 rows over the test fixture; the tests talk HTTP
to it. Issue 17's cases (deep nesting, SERVICE, Host/Origin, load, slow clients, a dying engine)
are here next to the first round's (writes refused, limits). The load benchmark is
``bench/serve_load.py``; the short smoke version at the end checks only the kind of answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port, stop_process, wait_for_sparql

from ggsr_kg import server
from ggsr_kg.cli import build_parser, main

pytestmark = pytest.mark.server

FIXTURE = Path(__file__).parent / "fixtures" / "netwerk-minimaal.ttl"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # no row for long
FLOOD = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # millions of rows
ALL = "SELECT * WHERE { ?s ?p ?o }"  # the fixture graph: 2760 rows
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SERVE_TIMEOUT = 2
SERVE_MAX_ROWS = 1000


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


class Served:
    def __init__(self, base: str, proc: subprocess.Popen, log: Path):
        self.base, self.proc, self.log = base, proc, log
        self.port = int(base.rsplit(":", 1)[1])

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("serve-log") / "serve.err"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [
                *[sys.executable, "-m", "ggsr_kg.cli", "serve", "--port", str(port)],
                *["--timeout", str(SERVE_TIMEOUT), "--max-rows", str(SERVE_MAX_ROWS)],
                *["--data", str(FIXTURE)],
            ],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_sparql(base, proc, timeout=90)
        yield Served(base, proc, log)
    finally:
        stop_process(proc)


def request(
    base: str,
    path: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict | None = None,
    timeout: float = 20,
) -> tuple[int, http.client.HTTPMessage, bytes, float]:
    """(status, headers, body, seconds) of one request, HTTP errors included."""
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read(), time.monotonic() - start
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read(), time.monotonic() - start


def get(base: str, text: str, accept: str = "application/sparql-results+json", **kw):
    return request(
        base, "/query?query=" + urllib.parse.quote(text), headers={"Accept": accept}, **kw
    )


def select(base: str, text: str, timeout: float = 10) -> list[dict]:
    status, _, body, _ = get(base, text, timeout=timeout)
    assert status == 200, body
    return json.loads(body)["results"]["bindings"]


def ask(base: str, timeout: float = 10) -> bool:
    status, _, body, _ = get(base, "ASK {}", timeout=timeout)
    assert status == 200, body
    return json.loads(body)["boolean"]


def triples(base: str) -> int:
    return int(select(base, COUNT)[0]["n"]["value"])


# ---- options -------------------------------------------------------------------------------------


def test_serve_defaults_to_loopback_with_a_time_and_a_row_limit():
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.timeout, args.max_rows) == ("127.0.0.1", 30, 100_000)
    assert 2 <= server.default_workers() <= 4


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--port", "0"], ["--port"]),
        (["--timeout", "0"], ["--timeout"]),
        (["--max-rows", "0"], ["--max-rows"]),
        (["--timeout", "1.5"], ["--timeout"]),  # argparse: whole seconds
        (["--workers", "0"], ["--workers"]),
    ],
)
def test_serve_refuses_bad_limits(capsys, argv, words):
    code, out, err = cli(capsys, "serve", *argv)
    assert code == 2 and out == "" and "Traceback" not in err
    assert all(w in err for w in words)


def test_serve_port_in_use_is_one_line(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = cli(capsys, "serve", "--port", str(port), "--data", str(FIXTURE))
    assert code == 2
    line = one_line(err)
    assert f"127.0.0.1:{port}" in line and "--port" in line


def test_serve_refuses_a_file_with_personal_data(capsys, tmp_path):
    bad = tmp_path / "p.ttl"
    bad.write_text(
        FIXTURE.read_text(encoding="utf-8") + "\n<https://w3id.org/ggsr/id/x-cjg> "
        '<http://www.w3.org/2000/01/rdf-schema#comment> "bel 06-12345678"@nl .\n',
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "serve", "--port", str(free_port()), "--data", str(bad))
    assert code == 2 and "personal data" in one_line(err)


# ---- one listening socket, on loopback -----------------------------------------------------------


def _listening(pid: int) -> set[tuple[str, int]]:
    """(address, port) of the TCP sockets process ``pid`` and its children listen on."""
    pids = {pid}
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            pids |= {int(c) for c in (task / "children").read_text().split()}
    inodes = set()
    for p in pids:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{p}/fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    if target.startswith("socket:["):
                        inodes.add(target[8:-1])
    found = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(name).read_text().splitlines()[1:]:
                cols = line.split()
                if cols[3] == "0A" and cols[9] in inodes:  # 0A = LISTEN
                    addr, port = cols[1].split(":")
                    if len(addr) == 8:
                        ip = socket.inet_ntop(socket.AF_INET, bytes.fromhex(addr)[::-1])
                    else:
                        raw = b"".join(
                            bytes.fromhex(addr[i : i + 8])[::-1] for i in range(0, 32, 8)
                        )
                        ip = socket.inet_ntop(socket.AF_INET6, raw)
                    found.add((ip, int(port, 16)))
    return found


def test_serve_listens_on_one_loopback_port_and_nothing_else(served):
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp to inspect")
    # the workers have no socket: no internal port to bypass the limits
    assert _listening(served.proc.pid) == {("127.0.0.1", served.port)}


# ---- read-only -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "ctype"),
    [
        ("POST", "/update", b"DROP ALL", "application/sparql-update"),
        ("POST", "/update", b"update=DROP%20ALL", "application/x-www-form-urlencoded"),
        ("POST", "/query", b"update=DROP%20ALL", "application/x-www-form-urlencoded"),
        ("POST", "/query", b"DROP ALL", "application/sparql-update"),
        ("POST", "/query", b"CLEAR DEFAULT", "application/sparql-query"),  # an update as a query
        ("POST", "/query", b"LOAD <http://127.0.0.1:1/x>", "application/sparql-query"),
        ("GET", "/query?update=DROP%20ALL", None, None),
        ("GET", "/query?query=" + urllib.parse.quote("DROP ALL"), None, None),
        ("PUT", "/store?default", b"<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
        ("POST", "/store?default", b"<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
        ("PUT", "/store?graph=urn:g", b"<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
        ("DELETE", "/store?default", None, None),
        ("PATCH", "/store?default", b"x", "text/plain"),
    ],
)
def test_serve_refuses_writes(served, method, path, body, ctype):
    before = triples(served.base)
    status, _, text, _ = request(
        served.base,
        path,
        method=method,
        body=body,
        headers={"Content-Type": ctype} if ctype else {},
    )
    assert status == 403, text
    assert b"read-only" in text
    assert triples(served.base) == before


def test_load_into_the_served_endpoint_is_refused(capsys, served):
    code, out, err = cli(capsys, "load", "--endpoint", served.base)  # the shipped graph: 2 MB
    assert code == 3
    line = one_line(err)
    assert "403" in line and "read-only" in line and "unchanged" in line


# ---- issue 17: deep nesting, SERVICE, Host and Origin --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE " + "{ " * 1000 + "?s ?p ?o " + "} " * 1000,  # 2 KB: killed Oxigraph
        "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * 10000) + ") }",
    ],
    ids=["nesting-1000", "chain-10000"],
)
def test_a_deep_query_is_400_and_the_server_lives_on(served, text):
    status, _, body, took = request(
        served.base,
        "/query",
        method="POST",
        body=text.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 400, body
    assert b"nested too deeply" in body or b"chained too long" in body
    assert body.count(b"\n") == 1 and took < 5
    assert ask(served.base)
    assert served.proc.poll() is None


@pytest.fixture
def target():
    """An address a SERVICE would make the server fetch; it must see no request."""
    from test_attacks import Recorder

    with Recorder(200, b"") as srv:
        yield srv


@pytest.mark.parametrize(
    "form",
    [
        "SELECT * WHERE {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{url}/x> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}/x> {{ ?s ?p ?o }} }}",
        "PREFIX e: <{url}/> ASK {{ SERVICE e:x {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_400_and_nothing_is_fetched(served, target, form):
    status, _, body, _ = get(served.base, form.format(url=target.url))
    assert status == 400 and b"SERVICE is refused" in body
    time.sleep(0.2)
    assert target.seen == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "evil.example:7878"},  # a DNS name rebound to 127.0.0.1
        {"Host": "127.0.0.1.nip.io"},
        {"Origin": "http://evil.example"},  # a web page elsewhere, in the user's browser
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # another port of localhost is another site
    ],
)
def test_a_foreign_host_or_origin_is_403(served, headers):
    status, _, body, _ = request(
        served.base, "/query?query=" + urllib.parse.quote("ASK {}"), headers=headers
    )
    assert status == 403 and body.count(b"\n") == 1, body


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Host": "localhost:{port}"},
        {"Origin": "http://127.0.0.1:{port}"},
        {"Sec-Fetch-Site": "same-origin"},
    ],
)
def test_the_own_address_is_served(served, headers):
    headers = {k: v.format(port=served.port) for k, v in headers.items()}
    status, _, body, _ = request(
        served.base, "/query?query=" + urllib.parse.quote("ASK {}"), headers=headers
    )
    assert status == 200, body


def test_a_url_over_8_kb_is_one_line(served):
    status, _, body, _ = request(served.base, "/query?query=" + "x" * 9000)
    assert status == 414 and body.count(b"\n") == 1 and b"POST" in body


# ---- limits: time, rows, size --------------------------------------------------------------------


def test_serve_cuts_an_expensive_query_off_and_keeps_answering(served):
    status, _, body, took = get(served.base, EXPENSIVE)
    assert status == 500, body
    assert took < SERVE_TIMEOUT + 3
    assert f"cancelled after {SERVE_TIMEOUT} s" in body.decode()
    assert body.count(b"\n") == 1
    assert select(served.base, "SELECT * WHERE {}", timeout=5) == [{}]
    assert served.proc.poll() is None


@pytest.mark.parametrize(
    ("text", "accept"),
    [
        (ALL, "application/sparql-results+json"),
        (ALL, "application/sparql-results+xml"),
        (ALL, "text/tab-separated-values"),
        (ALL, "text/csv"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle"),
    ],
)
def test_serve_refuses_more_rows_than_its_limit(served, text, accept):
    status, _, body, _ = get(served.base, text, accept)
    assert status == 500
    assert f"more than {SERVE_MAX_ROWS} rows" in body.decode() and "LIMIT" in body.decode()
    status, headers, body, _ = get(served.base, text + f" LIMIT {SERVE_MAX_ROWS}", accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    if accept.endswith("json"):
        assert len(json.loads(body)["results"]["bindings"]) == SERVE_MAX_ROWS


def test_serve_refuses_a_flood_quickly_and_keeps_answering(served):
    status, _, body, took = get(served.base, FLOOD)
    assert status == 500 and "limit" in body.decode()
    assert took < SERVE_TIMEOUT + 3
    assert select(served.base, "SELECT * WHERE {}", timeout=5) == [{}]


@pytest.mark.parametrize(
    ("text", "words"),
    [(EXPENSIVE, ["HTTP 500", "time limit"]), (ALL, ["HTTP 500", "result limit", "LIMIT"])],
    ids=["expensive", "too-many-rows"],
)
def test_query_against_the_served_limits_is_exit_3_and_one_line(
    capsys, tmp_path, served, text, words
):
    q = tmp_path / "vraag.rq"
    q.write_text(text, encoding="utf-8")
    code, out, err = cli(capsys, "query", str(q), "--endpoint", served.base)
    assert code == 3 and out == ""
    line = one_line(err)
    for word in words:
        assert word in line, line


def test_the_refusals_of_what_cannot_be_bounded(served):
    big = b"query=" + b"x" * (server.MAX_QUERY_BYTES + 1)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert request(served.base, "/query", method="POST", body=big, headers=form)[0] == 413
    plain = {"Content-Type": "text/plain"}
    assert request(served.base, "/query", method="POST", body=b"ASK {}", headers=plain)[0] == 415
    assert request(served.base, "/query", method="POST", body=b"x=1", headers=form)[0] == 400
    assert request(served.base, "/query")[0] == 400


# ---- the protocol: named queries, the page, the store ----------------------------------------------


def test_serve_answers_the_named_queries_like_the_embedded_store(capsys, served):
    for name in ("netwerkpartners", "doorzettingsmacht"):
        remote = cli(capsys, "query", name, "--endpoint", served.base, "--format", "csv")
        embedded = cli(capsys, "query", name, "--data", str(FIXTURE), "--format", "csv")
        assert remote[0] == 0, remote[2]
        assert sorted(remote[1].splitlines()) == sorted(embedded[1].splitlines())
    assert "x-cjg" in cli(capsys, "query", "netwerkpartners", "--endpoint", served.base)[1]


def test_the_query_page_offers_yasgui_and_the_named_queries_offline(served):
    from ggsr_kg.queries import named_queries

    status, headers, page, _ = request(served.base, "/")
    assert status == 200 and b"yasgui.min.js" in page
    assert "connect-src 'self'" in headers["Content-Security-Policy"]
    for name in named_queries():
        assert f'"name": "{name}"'.encode() in page
    assert b"<script" not in page.split(b"const examples = ", 1)[1].split(b";\n", 1)[0]
    assert not re.search(rb"(src|href)=\"?(https?:)?//", page)  # nothing fetched from elsewhere
    for asset in ("/yasgui.min.js", "/yasgui.min.css"):
        status, _, body, _ = request(served.base, asset)
        assert status == 200 and len(body) > 10_000


def test_the_graph_store_can_be_read(served):
    import pyoxigraph as ox

    graph = FIXTURE.resolve().as_uri()
    status, _, body, _ = request(
        served.base,
        "/store?graph=" + urllib.parse.quote(graph),
        headers={"Accept": "application/n-triples"},
    )
    assert status == 200, body
    rows = select(
        served.base, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    )
    assert len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))) == int(rows[0]["n"]["value"])
    assert request(served.base, "/store")[0] == 500  # the union: more than 1000 triples


# ---- a dying engine is replaced, and the log says so ---------------------------------------------


def _cpu_ticks(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11])


def test_a_worker_that_dies_is_replaced_and_the_log_says_so(served):
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc")
    answers = []
    t = threading.Thread(target=lambda: answers.append(get(served.base, EXPENSIVE)), daemon=True)
    t.start()
    time.sleep(0.6)
    children = {
        int(c)
        for task in Path(f"/proc/{served.proc.pid}/task").iterdir()
        for c in (task / "children").read_text().split()
    }
    before = {p: _cpu_ticks(p) for p in children}
    time.sleep(0.4)
    busy = max(children, key=lambda p: _cpu_ticks(p) - before[p])
    os.kill(busy, 11)  # as a segmentation fault in the engine would
    t.join(10)
    status, _, body, _ = answers[0]
    assert status == 500 and b"engine died" in body and b"keeps running" in body
    assert ask(served.base)
    assert "query engine died (exitcode -11); a new one was started" in served.log_text()
    assert served.proc.poll() is None


# ---- slow clients: a deadline for the whole request -------------------------------------------------


@contextlib.contextmanager
def deadline_server(seconds: float):
    """uvicorn with :class:`ggsr_kg.server.DeadlineProtocol` (deadline ``seconds``) and an app
    that answers 200, in a thread of this process."""
    import uvicorn

    class Quick(server.DeadlineProtocol):
        request_deadline = seconds

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    sock = server.listen("127.0.0.1", 0)
    config = uvicorn.Config(app, http=Quick, lifespan="off", log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(srv.serve(sockets=[sock])), daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.01)
    try:
        yield sock.getsockname()[1]
    finally:
        srv.should_exit = True
        thread.join(5)
        sock.close()


def test_a_client_trickling_its_headers_is_cut_off_at_the_deadline():
    with deadline_server(1.5) as port, socket.create_connection(("127.0.0.1", port)) as c:
        start = time.monotonic()
        c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        got = b""
        with contextlib.suppress(OSError):
            for i in range(20):  # one header line every 0.3 s, never the end
                c.sendall(f"X-{i}: y\r\n".encode())
                c.settimeout(0.3)
                with contextlib.suppress(TimeoutError):
                    chunk = c.recv(1000)
                    if not chunk:
                        break
                    got += chunk
        took = time.monotonic() - start
    assert took < 3.5, took  # each line came well within any per-read timeout
    assert got.startswith(b"HTTP/1.1 408"), got


def test_a_kept_alive_connection_gets_the_deadline_again():
    with deadline_server(1.0) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/")
        assert conn.getresponse().read() == b"ok"
        time.sleep(0.5)
        conn.request("GET", "/")  # quick enough: answered
        assert conn.getresponse().read() == b"ok"
        conn.close()


# ---- load: the smoke version of bench/serve_load.py ------------------------------------------------


def test_fifty_clients_get_answers_or_503_with_retry_after_never_a_reset(served):
    """50 clients for 2 s: each request is answered 200, or refused 503 with Retry-After; no
    connection is reset or refused (the figures of the 60-s run are in docs/hardening.md)."""
    before = triples(served.base)
    stop = time.monotonic() + 2.0
    seen: dict[str, int] = {}
    lock = threading.Lock()
    query = "/query?query=" + urllib.parse.quote("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50")

    def client():
        while time.monotonic() < stop:
            try:
                status, headers, _, _ = request(served.base, query, timeout=30)
                kind = str(status)
                if status == 503 and "Retry-After" not in headers:
                    kind = "503-without-retry-after"
            except Exception as exc:  # noqa: BLE001 - a reset is what this test looks for
                kind = type(exc).__name__
            with lock:
                seen[kind] = seen.get(kind, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert set(seen) <= {"200", "503"}, seen
    assert seen.get("200", 0) > 0
    start = time.monotonic()
    assert ask(served.base, timeout=5)
    assert time.monotonic() - start < 1.0
    assert triples(served.base) == before


# ---- the query page in a real browser ---------------------------------------------------------------


@pytest.mark.browser
def test_the_query_page_runs_a_named_example_offline(served, tmp_path):
    """Headless Chromium opens the page, picks a named query from the examples, runs it with
    YASGUI and shows the rows; every request stays on this server (the page works offline)."""
    import test_report

    binary = test_report.find_chromium()
    if binary is None:
        pytest.skip("no chromium here (tests/test_report.py installs it when it runs first)")
    browser = test_report.Chromium(binary, tmp_path / "profiel")
    try:
        tab = test_report.Tab(browser)
        tab.open(served.base + "/")
        for _ in range(100):
            if tab.evaluate("typeof yasgui !== 'undefined' && !!yasgui.getTab().getYasqe()"):
                break
            time.sleep(0.1)
        names = tab.evaluate(
            "Array.from(document.querySelectorAll('#voorbeeld option')).map(o => o.textContent)"
        )
        assert any(n.startswith("netwerkpartners — ") for n in names)
        tab.evaluate(
            "(() => { const s = document.getElementById('voorbeeld');"
            " s.value = String(examples.findIndex(q => q.name === 'netwerkpartners'));"
            " s.dispatchEvent(new Event('change')); yasgui.getTab().query(); })()"
        )
        text = ""
        for _ in range(150):
            text = tab.evaluate(
                "document.querySelector('.yasr') ? document.querySelector('.yasr').innerText : ''"
            )
            if "x-cjg" in text:
                break
            time.sleep(0.1)
        shot = tab.screenshot(Path("build/screenshots/serve-querypagina.png"))
        assert "x-cjg" in text, text[:500]
        events = tab.close()
        urls = [
            e["params"]["request"]["url"]
            for e in events
            if e.get("method") == "Network.requestWillBeSent"
        ]
        assert urls and all(u.startswith(served.base) or u.startswith("data:") for u in urls), urls
        assert shot.stat().st_size > 10_000
    finally:
        browser.close()
