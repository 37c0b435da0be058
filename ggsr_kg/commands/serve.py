"""``ggsr-kg serve``: a local read-only SPARQL endpoint over the data (Oxigraph server)."""

from __future__ import annotations

import ipaddress
import signal
import sys
import tempfile
from pathlib import Path

from ._common import add_data_options, load_graph


def add_parser(sub) -> None:
    p = sub.add_parser(
        "serve",
        help="lokaal SPARQL-endpoint, alleen lezen / local read-only SPARQL endpoint",
        description="Start een alleen-lezen SPARQL-endpoint (Oxigraph) over ontologie en data op "
        "127.0.0.1. Starts a read-only SPARQL endpoint (Oxigraph) on 127.0.0.1. Needs the "
        "'oxigraph' program: pip install oxigraph.",
    )
    p.add_argument("--port", type=int, default=7878, metavar="N")
    p.add_argument("--host", default="127.0.0.1", help="standaard / default 127.0.0.1")
    add_data_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..errors import InputError
    from ..server import base_url, oxigraph_binary, prepare_store, start, stop

    if not 0 < args.port < 65536:
        raise InputError(f"--port {args.port}: geen geldige poort / not a valid port")
    oxigraph_binary()  # fail early, with the install hint, before loading anything
    if not _is_loopback(args.host):
        print(
            f"let op / note: {args.host} maakt de data zichtbaar buiten deze computer / "
            "exposes the data beyond this machine",
            file=sys.stderr,
        )
    kg = load_graph(args)
    with tempfile.TemporaryDirectory(prefix="ggsr-kg-serve-") as tmp:
        location = prepare_store(kg, Path(tmp))
        proc = start(location, args.host, args.port)
        url = base_url(args.host, args.port)
        print(f"SPARQL-endpoint (alleen lezen / read-only): {url}/query", flush=True)
        print(f"  ggsr-kg query rollen --endpoint {url}   (Ctrl-C stopt / stops)", flush=True)
        # SIGTERM ends like Ctrl-C: the server is stopped and the temporary store removed
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            return proc.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            stop(proc)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
