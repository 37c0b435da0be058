"""Shared fixtures: the shipped graph, and a real Oxigraph server on 127.0.0.1 for server tests."""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import time
import types
import urllib.error
import urllib.request
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def kg():
    """Ontology, framework and the shipped data, with inference (built once per session)."""
    from ggsr_kg.graph import KnowledgeGraph

    return KnowledgeGraph.default()


@pytest.fixture(scope="session")
def shipped_results(kg):
    """The fast engine's results on the shipped data (validated once per session)."""
    from ggsr_kg.validation import validate

    return validate(kg)


KADER_FIXTURES = Path(__file__).parent / "fixtures" / "kader"


@pytest.fixture(scope="session")
def kader():
    """Every framework fixture (tests/fixtures/kader/I*.ttl) in one graph, validated once by the
    fast engine, decided once by the evidence rules and scored once: one load, inference and run
    instead of thirty. The fixtures share no node of their own (a test checks it), so together
    they answer as they would apart."""
    from ggsr_kg import rules
    from ggsr_kg.graph import KnowledgeGraph
    from ggsr_kg.namespaces import sparql_prologue
    from ggsr_kg.scorecard import scorecard
    from ggsr_kg.validation import validate

    files = sorted(KADER_FIXTURES.glob("I*.ttl"))
    kg = KnowledgeGraph.default(data=files)
    results = validate(kg)
    networks = kg.networks()
    names = [n["netwerk"].value for n in networks]
    return types.SimpleNamespace(
        kg=kg,
        files=files,
        results=results,
        networks=names,
        decisions=rules.decide(kg.store, sparql_prologue(), names),
        scores={(s.netwerk, s.indicator): s for s in scorecard(kg, results, networks)},
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_sparql(base: str, proc: subprocess.Popen | None = None, timeout: float = 30.0) -> None:
    """Poll ``base``/query until it answers; fail if the process ends or time runs out."""
    probe = base + "/query?query=" + urllib.request.quote("ASK {}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(probe, timeout=1.0) as r:
                r.read()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise RuntimeError(f"{base} did not answer within {timeout} s")


def stop_process(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop ``proc`` with ``sig``; kill it if it has not ended within 10 s."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def oxigraph_bin() -> str:
    """The ``oxigraph`` command of the PyPI package ``oxigraph`` (skip if it is not installed)."""
    found = shutil.which("oxigraph")
    beside = Path(sys.executable).parent / "oxigraph"
    if not found and beside.is_file():
        found = str(beside)
    if not found:
        pytest.skip("the 'oxigraph' server binary is not installed (pip install oxigraph)")
    return found


@pytest.fixture(scope="session")
def oxigraph_server(oxigraph_bin, tmp_path_factory) -> str:
    """A read-write Oxigraph server on 127.0.0.1 (empty store); yields its base URL."""
    with running_oxigraph(oxigraph_bin, tmp_path_factory.mktemp("oxigraph-store")) as base:
        yield base


@contextlib.contextmanager
def running_oxigraph(binary: str, location: Path):
    """A read-write Oxigraph server on a free 127.0.0.1 port over ``location``; its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_sparql(base, proc)
        yield base
    finally:
        stop_process(proc)
