"""``ggsr-kg link`` against a REAL local SPARQL server (Oxigraph from PyPI on 127.0.0.1) loaded
with a small Wikidata-shaped fixture, behind a tiny proxy in a thread that records what it is sent
and can answer 429 (Retry-After), 500 or too slowly; plus the fallback to the shipped snapshot, the
never-lose-a-triple rule, the shipped linked graph and the ``gemeenten-overzicht`` query."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import free_port, stop_process, wait_for_sparql

from ggsr_kg import link, remote
from ggsr_kg.cli import main
from ggsr_kg.errors import InputError
from ggsr_kg.graph import KnowledgeGraph
from ggsr_kg.queries import find_query
from ggsr_kg.queries import run as run_query
from ggsr_kg.resources import resource_dir

FIXTURE = Path(__file__).parent / "fixtures" / "link" / "wikidata.ttl"
ID = "https://w3id.org/ggsr/id/"
WD = "http://www.wikidata.org/entity/"
GGSR = "https://w3id.org/ggsr/def#"
PREFIXES = """PREFIX ggsr: <https://w3id.org/ggsr/def#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX id: <https://w3id.org/ggsr/id/>
PREFIX wd: <http://www.wikidata.org/entity/>
"""


# ---- a Wikidata-shaped Oxigraph server and a proxy in front of it --------------------------------


@pytest.fixture(scope="module")
def wikidata(oxigraph_bin, tmp_path_factory) -> str:
    """Its own Oxigraph server (the shared one holds our data) with the fixture in the default graph."""
    port = free_port()
    location = tmp_path_factory.mktemp("wikidata-store")
    proc = subprocess_popen(oxigraph_bin, location, port)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_sparql(base, proc)
        req = urllib.request.Request(
            base + "/store?default",
            data=FIXTURE.read_bytes(),
            headers={"Content-Type": "text/turtle"},
            method="PUT",
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.status in (200, 201, 204)
        yield base
    finally:
        stop_process(proc)


def subprocess_popen(binary: str, location: Path, port: int):
    import subprocess

    return subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


class Proxy(ThreadingHTTPServer):
    """Passes SPARQL requests on to the server; records them; misbehaves as ``mode`` says:
    ``pass``, ``429-once`` (429 with Retry-After: 1, then pass), ``429`` (always), ``500``
    (always), ``slow`` (answers after 2 s), ``cut`` (closes the connection without an answer),
    ``garbage`` (200, not JSON), ``truncated`` (200, a head and then nothing) or ``fail-midway``
    (the first 5 requests pass, then 500)."""

    daemon_threads = True

    def __init__(self, upstream: str, mode: str = "pass"):
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.upstream = upstream
        self.mode = mode
        self.seen: list[dict] = []
        self.statuses: list[int] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"


class ProxyHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server naming
        length = int(self.headers.get("Content-Length") or 0)
        self.forward(self.rfile.read(length))

    def do_GET(self):  # noqa: N802
        self.forward(None)

    def forward(self, body: bytes | None) -> None:
        server: Proxy = self.server
        server.seen.append({"method": self.command, "headers": dict(self.headers), "body": body})
        mode = server.mode
        if mode == "429-once" and len(server.seen) == 1 or mode == "429":
            return self.reply(429, b"slow down", {"Retry-After": "1"})
        if mode == "500" or mode == "fail-midway" and len(server.seen) > 5:
            return self.reply(500, b"internal error", {})
        if mode == "cut":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return None
        if mode == "garbage":
            return self.reply(200, b"<html>", {"Content-Type": "application/sparql-results+json"})
        if mode == "truncated":
            head = b'{"head":{"vars":["item"]},"results":{"bindings":[{"item":'
            return self.reply(200, head, {"Content-Type": "application/sparql-results+json"})
        if mode == "slow":
            time.sleep(2)
        query = "" if "?" not in self.path else "?" + self.path.split("?", 1)[1]
        req = urllib.request.Request(
            server.upstream + "/query" + query,
            data=body,
            method=self.command,
            headers={
                k: v
                for k, v in self.headers.items()
                if k.lower() in ("content-type", "accept", "user-agent")
            },
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                payload, status = r.read(), r.status
                ctype = r.headers.get("Content-Type", "application/sparql-results+json")
        except urllib.error.HTTPError as exc:
            payload, status, ctype = exc.read(), exc.code, "text/plain"
        except OSError:  # the server was stopped while a slow answer waited (end of the module)
            payload, status, ctype = b"upstream gone", 502, "text/plain"
        self.reply(status, payload, {"Content-Type": ctype})

    def reply(self, status: int, payload: bytes, headers: dict) -> None:
        self.server.statuses.append(status)
        try:
            self.send_response(status)
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
def proxy(wikidata):
    server = Proxy(wikidata)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    """Record the waits remote.py would sleep instead of sleeping (keeps the suite fast)."""
    seen: list[float] = []
    monkeypatch.setattr(remote, "_sleep", seen.append)
    return seen


# ---- helpers -------------------------------------------------------------------------------------


def run_link(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["link", *args])
    out, err = capsys.readouterr()
    return code, out, err


def triples(path: Path) -> set[ox.Triple]:
    return set(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def store_of(path: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples(path))
    return store


def select(store: ox.Store, query: str) -> list[dict]:
    result = store.query(PREFIXES + query)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def activities(store: ox.Store) -> list[dict]:
    return select(
        store,
        """SELECT ?a ?started ?used WHERE { ?a a prov:Activity ; prov:startedAtTime ?started ;
             prov:used ?used } ORDER BY ?started ?used""",
    )


def fact(store: ox.Store, area: str, predicate: str) -> list[dict]:
    return select(
        store,
        f"""SELECT ?value ?run ?from WHERE {{
              ?f a rdf:Statement ; rdf:subject <{ID}{area}> ; rdf:predicate {predicate} ;
                 rdf:object ?value ; prov:wasGeneratedBy ?run ; prov:wasDerivedFrom ?from }}""",
    )


def notes(store: ox.Store) -> list[str]:
    return [r["n"] for r in select(store, "SELECT ?n WHERE { ?a a prov:Activity ; skos:note ?n }")]


# ---- against the server ----------------------------------------------------------------------------


@pytest.mark.server
def test_results_are_recorded_with_provenance(proxy, tmp_path, capsys):
    out = tmp_path / "gelinkt.ttl"
    code, stdout, err = run_link(capsys, "--endpoint", proxy.url, "--out", str(out))
    assert code == 0, err
    assert "3/12 gemeenten…" in err and "7/7 provincies…" in err
    assert "momentopname" not in err  # no fallback
    store = store_of(out)
    [act] = activities(store)
    assert act["used"] == proxy.url
    assert act["started"].endswith("Z") and act["started"][:4].isdigit()
    queries = [r["q"] for r in select(store, "SELECT ?q WHERE { ?a schema:query ?q }")]
    assert any("wdt:P382" in q for q in queries) and any("wd:Q134390" in q for q in queries)
    # Emmen: identifiers, name, inhabitants (xsd:decimal → integer) and province, all from the run
    assert fact(store, "gemeente-emmen", "ggsr:wikidata") == [
        {"value": WD + "Q14641", "run": act["a"], "from": WD + "Q14641"}
    ]
    assert [r["value"] for r in fact(store, "gemeente-emmen", "ggsr:cbsCode")] == ["GM0114"]
    assert [r["value"] for r in fact(store, "gemeente-emmen", "ggsr:inwoners")] == ["107024"]
    assert [r["value"] for r in fact(store, "gemeente-emmen", "ggsr:ligtIn")] == [
        ID + "provincie-drenthe"
    ]
    assert [r["value"] for r in fact(store, "provincie-limburg", "ggsr:inwoners")] == ["1120000"]
    # nothing is asserted about a municipality directly (the file is loaded with data/)
    assert not select(store, f"SELECT ?p WHERE {{ <{ID}gemeente-emmen> ?p ?o }}")


@pytest.mark.server
def test_conflicts_are_reported_and_recorded_not_overwritten(proxy, tmp_path, capsys):
    out = tmp_path / "gelinkt.ttl"
    code, stdout, _ = run_link(capsys, "--endpoint", proxy.url, "--out", str(out))
    assert code == 0
    lines = [line for line in stdout.splitlines() if line.startswith("CONFLICT")]
    assert any("GM0114" in line and "Q99900114" in line for line in lines)
    assert any("GM0109" in line and "Koevern" in line for line in lines)
    assert any("GM0855" in line and "Q775" in line for line in lines)
    assert len(lines) == 3
    assert "not linked: GM0772 Eindhoven" in stdout
    store = store_of(out)
    kept = notes(store)
    assert any(n.startswith("conflict GM0114") and "Q99900114" in n for n in kept)
    assert any("Koevern" in n for n in kept) and any("GM0772" in n for n in kept)
    # the disagreeing values are not recorded as facts
    assert fact(store, "gemeente-coevorden", "rdfs:label") == []
    assert fact(store, "gemeente-tilburg", "ggsr:ligtIn") == []
    assert not select(store, f"SELECT ?f WHERE {{ ?f rdf:object <{WD}Q99900114> }}")
    assert fact(store, "gemeente-eindhoven", "ggsr:wikidata") == []
    # --strict turns conflicts into exit code 1
    assert run_link(capsys, "--endpoint", proxy.url, "--out", str(out), "--strict")[0] == 1


@pytest.mark.server
def test_the_user_agent_is_descriptive(proxy, tmp_path, capsys):
    assert run_link(capsys, "--endpoint", proxy.url, "--out", str(tmp_path / "g.ttl"))[0] == 0
    agents = {r["headers"].get("User-Agent") for r in proxy.seen}
    assert agents == {remote.USER_AGENT}
    assert remote.USER_AGENT.startswith("ggsr-kg/") and "https://" in remote.USER_AGENT
    assert len(proxy.seen) == 12 + 7  # one request per municipality and per province


@pytest.mark.server
def test_429_is_waited_for_as_retry_after_says_then_retried(proxy, waits, tmp_path, capsys):
    proxy.mode = "429-once"
    code, _, err = run_link(capsys, "--endpoint", proxy.url, "--out", str(tmp_path / "g.ttl"))
    assert code == 0
    assert waits == [1.0]
    assert proxy.statuses[0] == 429 and proxy.statuses[1] == 200
    assert "momentopname" not in err
    store = store_of(tmp_path / "g.ttl")
    assert activities(store)[0]["used"] == proxy.url


@pytest.mark.server
def test_429_retries_are_bounded_then_the_snapshot_is_used(proxy, waits, tmp_path, capsys):
    proxy.mode = "429"
    code, _, err = run_link(capsys, "--endpoint", proxy.url, "--out", str(tmp_path / "g.ttl"))
    assert code == 0
    assert len(waits) == remote.MAX_RETRIES and len(proxy.seen) == remote.MAX_RETRIES + 1
    assert "HTTP 429" in err and "falling back to the shipped snapshot" in err


@pytest.mark.server
@pytest.mark.parametrize("mode", ["500", "slow"])
def test_a_failing_or_slow_endpoint_falls_back_to_the_snapshot(proxy, mode, tmp_path, capsys):
    proxy.mode = mode
    out = tmp_path / "g.ttl"
    args = ["--endpoint", proxy.url, "--out", str(out), "--timeout", "0.5"]
    started = time.monotonic()
    code, stdout, err = run_link(capsys, *args)
    assert code == 0
    assert time.monotonic() - started < 10
    assert "falling back to the shipped snapshot" in err
    assert ("HTTP 500" in err) if mode == "500" else ("timed out" in err)
    store = store_of(out)
    used = {a["used"] for a in activities(store)}
    assert used == {ID + "opendata-polder-gemeenten", ID + "opendata-polder-provincies"}
    assert [r["value"] for r in fact(store, "gemeente-emmen", "ggsr:tooi")] == [
        "https://identifier.overheid.nl/tooi/id/gemeente/gm0114"
    ]
    assert "CONFLICT" not in stdout  # gebieden.ttl was made from the same snapshot


@pytest.mark.server
@pytest.mark.parametrize("mode", ["cut", "garbage", "truncated", "fail-midway"])
def test_a_broken_answer_falls_back_to_the_snapshot_as_a_whole(proxy, mode, tmp_path, capsys):
    """Whatever breaks, and however late in the run: the run comes wholly from the snapshot (no
    fact of the half-finished run against the endpoint), and the command says so."""
    proxy.mode = mode
    out = tmp_path / "g.ttl"
    code, stdout, err = run_link(capsys, "--endpoint", proxy.url, "--out", str(out))
    assert code == 0 and "Traceback" not in err
    assert "falling back to the shipped snapshot" in err
    assert "momentopname / snapshot" in stdout
    why = {"cut": "connection", "garbage": "unreadable", "truncated": "unreadable"}
    assert why.get(mode, "HTTP 500") in err
    if mode == "fail-midway":
        assert proxy.statuses[:5] == [200] * 5 and proxy.statuses[5] == 500
    store = store_of(out)
    assert {a["used"] for a in activities(store)} == {
        ID + "opendata-polder-gemeenten",
        ID + "opendata-polder-provincies",
    }
    derived = {
        r["from"]
        for r in select(store, "SELECT DISTINCT ?from WHERE { ?f prov:wasDerivedFrom ?from }")
    }
    assert derived == {ID + "opendata-polder-gemeenten", ID + "opendata-polder-provincies"}


@pytest.mark.server
def test_a_second_run_against_a_failing_server_loses_no_triple(proxy, tmp_path, capsys):
    out = tmp_path / "g.ttl"
    assert run_link(capsys, "--endpoint", proxy.url, "--out", str(out))[0] == 0
    first = triples(out)
    proxy.mode = "500"
    code, stdout, err = run_link(capsys, "--endpoint", proxy.url, "--out", str(out))
    assert code == 0 and "falling back" in err
    second = triples(out)
    assert first <= second and len(second) > len(first)
    assert len({a["a"] for a in activities(store_of(out))}) == 2
    assert f"{len(first)} → {len(second)} triples" in stdout
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed, none left over


# ---- without a server -------------------------------------------------------------------------------


def test_a_closed_port_falls_back_with_a_clear_message(tmp_path, capsys):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    code, stdout, err = run_link(capsys, "--endpoint", url, "--out", str(tmp_path / "g.ttl"))
    assert code == 0
    assert "unreachable" in err and "falling back to the shipped snapshot" in err
    assert "momentopname / snapshot" in stdout
    assert fact(store_of(tmp_path / "g.ttl"), "gemeente-emmen", "ggsr:wikidata")[0]["value"] == (
        WD + "Q14641"
    )


def test_offline_never_touches_the_network(tmp_path, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("--offline sent a request")

    monkeypatch.setattr(remote, "select", refuse)
    code, stdout, err = run_link(capsys, "--offline", "--out", str(tmp_path / "g.ttl"))
    assert code == 0 and "--offline" in err
    store = store_of(tmp_path / "g.ttl")
    assert [r["value"] for r in fact(store, "gemeente-sittard-geleen", "ggsr:ligtIn")] == [
        ID + "provincie-limburg"
    ]
    assert notes(store) == []


def test_an_unreadable_linked_file_is_refused_and_left_alone(tmp_path, capsys):
    out = tmp_path / "g.ttl"
    out.write_text("@prefix x: <urn:x:> .\nx:a x:b \n", encoding="utf-8")
    before = out.read_bytes()
    code, _, err = run_link(capsys, "--offline", "--out", str(out))
    assert code == 2
    assert "refusing to replace" in err and "nothing was changed" in err
    assert out.read_bytes() == before


def test_a_graph_without_an_old_identifier_is_refused():
    s, p, o = (ox.NamedNode(link.RDF + x) for x in ("subject", "predicate", "object"))
    node = ox.NamedNode(ID + "koppeling-x-gemeente-emmen-wikidata")
    old = [
        ox.Triple(node, s, ox.NamedNode(ID + "gemeente-emmen")),
        ox.Triple(node, p, link.WIKIDATA),
        ox.Triple(node, o, ox.NamedNode(WD + "Q14641")),
    ]
    with pytest.raises(InputError, match="identifier statement"):
        link.check_keeps(old, old[:2])
    with pytest.raises(InputError, match="would be lost"):
        link.check_keeps(old + [ox.Triple(node, link.COMMENT, ox.Literal("x"))], old)
    link.check_keeps(old, old + [ox.Triple(node, link.COMMENT, ox.Literal("x"))])


def test_a_failed_write_leaves_the_old_file(tmp_path, capsys, monkeypatch):
    out = tmp_path / "g.ttl"
    assert run_link(capsys, "--offline", "--out", str(out))[0] == 0
    before = out.read_bytes()

    def broken(_triples):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(link, "serialise", broken)
    code, _, err = run_link(capsys, "--offline", "--out", str(out))
    assert code == 2 and "Traceback" not in err
    assert "disk full (simulated)" in err and "the old file is unchanged" in err
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["g.ttl"]


def test_an_out_file_that_cannot_be_written_is_one_line(tmp_path, capsys):
    not_a_folder = tmp_path / "bestand"
    not_a_folder.write_text("x", encoding="utf-8")
    code, _, err = run_link(capsys, "--offline", "--out", str(not_a_folder / "g.ttl"))
    assert code == 2
    (line,) = [x for x in err.splitlines() if x.startswith("fout")]
    assert "cannot write" in line and "Traceback" not in err


def test_out_must_be_turtle(tmp_path, capsys):
    assert run_link(capsys, "--offline", "--out", str(tmp_path / "g.json"))[0] == 2


# ---- the shipped linked graph and the joined answer ---------------------------------------------


def test_the_shipped_linked_graph_has_provenance_and_agrees_with_gebieden():
    path = resource_dir("data") / "gelinkt" / "gelinkt.ttl"
    store = store_of(path)
    acts = activities(store)
    assert acts
    orphans = select(
        store,
        """SELECT ?f WHERE { ?f a rdf:Statement .
             FILTER NOT EXISTS { ?f prov:wasGeneratedBy/prov:startedAtTime ?t } }""",
    )
    assert orphans == []
    assert not [n for n in notes(store) if n.startswith("conflict")]
    gebieden = KnowledgeGraph()
    gebieden.load(resource_dir("data") / "gebieden.ttl")
    for row in select(
        store,
        """SELECT ?s ?p ?o WHERE { ?f rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
             VALUES ?p { ggsr:cbsCode ggsr:wikidata ggsr:tooi } }""",
    ):
        p = ox.NamedNode(row["p"])
        o = ox.NamedNode(row["o"]) if row["o"].startswith("http") else ox.Literal(row["o"])
        assert list(gebieden.store.quads_for_pattern(ox.NamedNode(row["s"]), p, o)), row


def overzicht(kg, **params) -> list[dict]:
    names, rows = run_query(kg, find_query("gemeenten-overzicht"), params)
    return [{n: (r[n].value if r[n] is not None else None) for n in names} for r in rows]


def test_gemeenten_overzicht_lists_every_municipality_with_or_without_doorzettingsmacht(kg):
    rows = overzicht(kg)
    codes = {r["cbsCode"] for r in rows}
    assert len(codes) == 12 and "GM0114" in codes
    emmen = [r for r in rows if r["cbsCode"] == "GM0114"]
    assert len(emmen) == 1 and emmen[0]["functie"] is None  # no doorzettingsmacht, still listed
    assert emmen[0]["provincieNaam"] == "Drenthe" and emmen[0]["provincieCode"] == "PV22"
    assert int(emmen[0]["inwoners"]) > 100_000 and emmen[0]["inwonersBron"]
    assert emmen[0]["wikidata"] == WD + "Q14641"
    almere = [r for r in rows if r["gemeenteNaam"] == "Almere"]
    assert {(r["functie"], r["jaar"]) for r in almere} == {("brandpuntfunctionaris", "2009")}
    assert almere[0]["houder"]
    assert [r["gemeenteNaam"] for r in overzicht(kg, gemeente="GM1883")] == ["Sittard-Geleen"]


@pytest.mark.server
def test_gemeenten_overzicht_takes_inhabitants_from_the_latest_link_run(proxy, tmp_path, capsys):
    out = tmp_path / "g.ttl"
    assert run_link(capsys, "--offline", "--out", str(out))[0] == 0
    assert run_link(capsys, "--endpoint", proxy.url, "--out", str(out))[0] == 0
    [online] = [a["a"] for a in activities(store_of(out)) if a["used"] == proxy.url]
    kg = KnowledgeGraph.default(data=[resource_dir("data") / "gebieden.ttl", out], infer=False)
    emmen = overzicht(kg, gemeente="Emmen")
    assert len(emmen) == 1
    assert (emmen[0]["inwoners"], emmen[0]["inwonersBron"]) == ("107024", online)


# ---- the comparison on its own -----------------------------------------------------------------------


def _area(**kw) -> link.Area:
    base = dict(iri=ox.NamedNode(ID + "gemeente-x"), kind="gemeente", naam="X", cbs_code="GM0999")
    return link.Area(**{**base, **kw})


def _row(item: str, code: str, label: str) -> dict:
    return {
        "item": ox.NamedNode(WD + item),
        "itemCode": ox.Literal(code),
        "label": ox.Literal(label, language="nl"),
        "inwoners": ox.Literal("1000.0", datatype=ox.NamedNode(link.XSD + "decimal")),
        "provincie": None,
        "isGemeente": ox.Literal("true", datatype=ox.NamedNode(link.XSD + "boolean")),
    }


def test_our_item_with_another_cbs_code_is_a_conflict_and_gives_no_facts():
    run = link.Run(started=link._now())
    area = _area(wikidata=ox.NamedNode(WD + "Q1"))
    link._compare_gemeente(run, area, "0999", [_row("Q1", "0998", "X")], {})
    assert [(c.what, c.theirs) for c in run.conflicts] == [
        ("cbsCode", f'<{WD}Q1> heeft / has P382 "0998"')
    ]
    assert run.facts == [] and run.unlinked == []


def test_a_single_item_with_our_code_links_a_municipality_without_wikidata():
    run = link.Run(started=link._now())
    link._compare_gemeente(run, _area(), "0999", [_row("Q7", "0999", "Gemeente X")], {})
    assert run.conflicts == []
    got = {f.key: f.value for f in run.facts}
    assert got["wikidata"] == ox.NamedNode(WD + "Q7") and got["cbscode"] == ox.Literal("GM0999")
    assert got["inwoners"] == ox.Literal("1000", datatype=link.XSD_INTEGER)
    assert got["naam"] == ox.Literal("Gemeente X", language="nl")
