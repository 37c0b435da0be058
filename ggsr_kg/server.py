"""A local read-only SPARQL endpoint over the graph, using the Oxigraph server from PyPI.

The graph (ontology, framework, data and inferred triples, each file in its own named graph) is
written to a store directory with ``oxigraph load``; ``oxigraph serve-read-only`` then answers
SPARQL queries on ``/query`` with the union of the named graphs as default graph, so the named
queries give the same rows as on the embedded store. Updates are refused by the server itself.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph as ox

from .errors import GgsrError

INSTALL_HINT = (
    "installeer de Oxigraph-server met / install the Oxigraph server with: pip install oxigraph"
)


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` command (PATH, or beside this Python), or a clear error."""
    found = shutil.which("oxigraph")
    if found:
        return found
    for name in ("oxigraph", "oxigraph.exe"):
        beside = Path(sys.executable).parent / name
        if beside.is_file():
            return str(beside)
    raise GgsrError(
        f"het programma 'oxigraph' is niet gevonden / 'oxigraph' not found; {INSTALL_HINT}"
    )


def prepare_store(kg, directory: Path) -> Path:
    """Write the graph as N-Quads and load it into an Oxigraph store under ``directory``."""
    directory = Path(directory)
    dump = directory / "graaf.nq"
    location = directory / "store"
    kg.store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
    cmd = [oxigraph_binary(), "load", "--location", str(location), "--file", str(dump)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
        raise GgsrError(f"oxigraph load mislukt / failed: {last[0]}")
    dump.unlink()
    return location


def serve_command(location: Path, host: str = "127.0.0.1", port: int = 7878) -> list[str]:
    return [
        oxigraph_binary(),
        "serve-read-only",
        "--location",
        str(location),
        "--bind",
        f"{host}:{port}",
        "--union-default-graph",
    ]


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def wait_until_ready(url: str, proc: subprocess.Popen | None = None, timeout: float = 15.0) -> None:
    """Poll ``url`` + ``/query`` until the server answers (or the process ends, or time is up)."""
    probe = url + "/query?query=" + urllib.request.quote("ASK {}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise GgsrError(
                f"de Oxigraph-server stopte direct (exitcode {proc.returncode}) / exited"
            )
        try:
            with urllib.request.urlopen(probe, timeout=1.0) as r:  # noqa: S310 - local http
                r.read()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise GgsrError(f"{url}: de server antwoordt niet binnen {timeout:.0f} s / not answering")


def start(location: Path, host: str = "127.0.0.1", port: int = 7878) -> subprocess.Popen:
    """Start ``oxigraph serve-read-only`` on the store and wait until it answers."""
    proc = subprocess.Popen(serve_command(location, host, port))  # noqa: S603 - fixed argv
    try:
        wait_until_ready(base_url(host, port), proc)
    except BaseException:
        stop(proc)
        raise
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
