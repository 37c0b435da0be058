"""Load on ``ggsr-kg serve`` next to a bare ``oxigraph serve-read-only`` on the same data.

    python bench/serve_load.py [--clients 50] [--seconds 60] [--data FILE …]

Each server in turn gets ``--clients`` clients for ``--seconds`` seconds, every client cycling
through the named queries (queries/*.rq, unbound) over a kept-alive connection; a client that is
told 503 waits as ``Retry-After`` says, as ``ggsr-kg query --endpoint`` does. Printed per server:
requests by outcome (status, or the connection error: a reset is what issue 17 found), the
throughput and latency percentiles of the requests served (200), whether every refusal was a 503
with Retry-After, how long ``ASK {}`` takes right afterwards, and the triple count before and after
(with an update tried in between: both servers must stay read-only).

Issue 17's targets for ``ggsr-kg serve``: no connection reset; every refusal a 503 with
Retry-After; p99 < 2 s for served requests; ``ASK {}`` within 100 ms afterwards; read-only with an
unchanged triple count. The bare Oxigraph server is there for its throughput (it has neither row
limits nor the guard). Needs the ``oxigraph`` program (``pip install oxigraph``) for the
comparison; without it only ``ggsr-kg serve`` is measured. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from ggsr_kg.queries import named_queries  # noqa: E402

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(base: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{proc.args[:3]} stopped with {proc.returncode}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            status, _, _ = one(base, "ASK {}", timeout=1)
            if status == 200:
                return
        time.sleep(0.1)
    raise SystemExit(f"{base} did not answer within {timeout} s")


def one(base: str, text: str, timeout: float = 30, conn=None):
    """(status, headers, body) of GET /query."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    own = conn is None
    conn = conn or http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request(
            "GET",
            "/query?query=" + urllib.parse.quote(text),
            headers={"Accept": "application/sparql-results+json"},
        )
        r = conn.getresponse()
        return r.status, r.headers, r.read()
    finally:
        if own:
            conn.close()


def triples(base: str) -> int:
    status, _, body = one(base, COUNT)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def try_update(base: str) -> int:
    host, port = base.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request(
        "POST",
        "/update",
        body=b"INSERT DATA { <urn:bench:s> <urn:bench:p> <urn:bench:o> }",
        headers={"Content-Type": "application/sparql-update"},
    )
    status = conn.getresponse().status
    conn.close()
    return status


def load(base: str, clients: int, seconds: float, texts: list[str]) -> dict:
    stop = time.monotonic() + seconds
    outcomes: dict[str, int] = {}
    served: list[float] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        host, port = base.removeprefix("http://").rsplit(":", 1)
        conn = None
        i = k
        while time.monotonic() < stop:
            text = texts[i % len(texts)]
            i += 1
            conn = conn or http.client.HTTPConnection(host, int(port), timeout=60)
            start = time.monotonic()
            retry = None
            try:
                status, headers, _ = one(base, text, conn=conn)
                took = time.monotonic() - start
                kind = str(status)
                if status == 503:
                    retry = headers.get("Retry-After")
                    kind = "503+Retry-After" if retry else "503 without Retry-After"
                if headers.get("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (ConnectionResetError, BrokenPipeError) as exc:
                kind, took = type(exc).__name__, None
                conn = None
            except (OSError, http.client.HTTPException) as exc:
                kind, took = type(exc).__name__, None
                conn = None
            with lock:
                outcomes[kind] = outcomes.get(kind, 0) + 1
                if kind == "200":
                    served.append(took)
            if retry:
                time.sleep(min(float(retry), max(0.0, stop - time.monotonic())))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    served.sort()

    def pct(p: float) -> float:
        return served[min(len(served) - 1, int(p * len(served)))] * 1000 if served else float("nan")

    return {
        "outcomes": dict(sorted(outcomes.items())),
        "served_per_s": len(served) / elapsed,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": served[-1] * 1000 if served else float("nan"),
        "mean_ms": statistics.fmean(served) * 1000 if served else float("nan"),
    }


def measure(name: str, base: str, proc, clients: int, seconds: float, texts: list[str]) -> dict:
    wait(base, proc)
    for text in texts:  # every query once, so a cold start is not part of the figures
        one(base, text, timeout=60)
    before = triples(base)
    update = try_update(base)
    figures = load(base, clients, seconds, texts)
    time.sleep(0.05)
    start = time.monotonic()
    status, _, _ = one(base, "ASK {}", timeout=10)
    figures["ask_after_ms"] = (time.monotonic() - start) * 1000
    figures["ask_after_status"] = status
    figures["update_status"] = update
    figures["triples_before"], figures["triples_after"] = before, triples(base)
    figures["alive"] = proc.poll() is None
    print(f"\n== {name} ({base})", flush=True)
    for key, value in figures.items():
        shown = f"{value:.1f}" if isinstance(value, float) else value
        print(f"  {key:18s} {shown}", flush=True)
    return figures


def verdict(f: dict) -> list[str]:
    bad = [k for k in f["outcomes"] if k not in ("200", "503+Retry-After")]
    return [
        f"no connection reset / error: {'yes' if not bad else 'NO ' + str(bad)}",
        f"every refusal a 503 with Retry-After: {'yes' if '503 without Retry-After' not in f['outcomes'] and not bad else 'NO'}",
        f"p99 of served < 2 s: {'yes' if f['p99_ms'] < 2000 else 'NO'} ({f['p99_ms']:.0f} ms)",
        f"ASK {{}} within 100 ms afterwards: {'yes' if f['ask_after_ms'] < 100 and f['ask_after_status'] == 200 else 'NO'} ({f['ask_after_ms']:.1f} ms)",
        f"read-only, triple count unchanged: {'yes' if f['update_status'] >= 400 and f['triples_before'] == f['triples_after'] else 'NO'} (update → {f['update_status']}; {f['triples_before']} → {f['triples_after']})",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--data", nargs="+", type=Path, help="instead of the shipped data")
    args = parser.parse_args()

    texts = [q.text for q in named_queries().values()]
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.node()} · {platform.processor() or platform.machine()}"
        f" · {os.cpu_count()} cores · load average {os.getloadavg()[0]:.2f} · "
        f"{args.clients} clients × {args.seconds:g} s · {len(texts)} named queries",
        flush=True,
    )
    data = [str(p) for p in args.data] if args.data else []
    results = {}
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "ggsr_kg.cli", "serve", "--port", str(port)]
        + (["--data", *data] if data else []),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        results["ggsr-kg serve"] = measure(
            "ggsr-kg serve", f"http://127.0.0.1:{port}", serve, args.clients, args.seconds, texts
        )
    finally:
        serve.terminate()
        serve.wait(30)

    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if Path(oxigraph).is_file():
        from ggsr_kg.graph import KnowledgeGraph
        from ggsr_kg.server import prepare_store

        kg = KnowledgeGraph.default(data=[Path(p) for p in data] if data else None)
        with tempfile.TemporaryDirectory(prefix="bench-oxigraph-") as tmp:
            location = prepare_store(kg, Path(tmp))
            port = free_port()
            bare = subprocess.Popen(
                [oxigraph, "serve-read-only", "--location", str(location)]
                + ["--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                results["oxigraph serve-read-only"] = measure(
                    "oxigraph serve-read-only (bare)",
                    f"http://127.0.0.1:{port}",
                    bare,
                    args.clients,
                    args.seconds,
                    texts,
                )
            finally:
                bare.terminate()
                bare.wait(30)
    else:
        print("\n(no 'oxigraph' program: pip install oxigraph for the comparison)")

    print("\n== targets (ggsr-kg serve)")
    for line in verdict(results["ggsr-kg serve"]):
        print("  " + line)
    if "oxigraph serve-read-only" in results:
        a, b = results["ggsr-kg serve"], results["oxigraph serve-read-only"]
        print(
            f"\nthroughput: ggsr-kg serve {a['served_per_s']:.0f} served/s, bare Oxigraph "
            f"{b['served_per_s']:.0f} served/s ({a['served_per_s'] / b['served_per_s']:.0%})"
        )


if __name__ == "__main__":
    main()
