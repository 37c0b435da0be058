"""``ggsr-kg serve``: a local read-only SPARQL endpoint over the data (Oxigraph server behind a
bounded front, see :mod:`ggsr_kg.server`)."""

from __future__ import annotations

import ipaddress
import signal
import sys
import tempfile
from pathlib import Path

from ._common import add_data_options, load_graph


def add_parser(sub) -> None:
    from ..limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT

    p = sub.add_parser(
        "serve",
        help="lokaal SPARQL-endpoint, alleen lezen / local read-only SPARQL endpoint",
        description="Start een alleen-lezen SPARQL-endpoint (Oxigraph) over ontologie en data op "
        "127.0.0.1, met een tijdslimiet per query en een limiet op het aantal rijen. Starts a "
        "read-only SPARQL endpoint (Oxigraph) on 127.0.0.1, with a time limit per query and a "
        "limit on the number of rows. Needs the 'oxigraph' program: pip install oxigraph.",
    )
    p.add_argument("--port", type=int, default=7878, metavar="N")
    p.add_argument("--host", default="127.0.0.1", help="standaard / default 127.0.0.1")
    p.add_argument(
        "--timeout",
        type=int,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"seconden per query, daarna afgebroken / seconds per query ({DEFAULT_TIMEOUT})",
    )
    p.add_argument(
        "--max-rows",
        type=int,
        default=DEFAULT_MAX_ROWS,
        metavar="N",
        help="meer rijen (of triples) wordt geweigerd / more rows (or triples) are refused "
        f"({DEFAULT_MAX_ROWS})",
    )
    add_data_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..errors import InputError
    from ..server import oxigraph_binary, prepare_store, start, stop

    if not 0 < args.port < 65536:
        raise InputError(f"--port {args.port}: geen geldige poort / not a valid port")
    if not 0 < args.timeout <= 24 * 3600:
        raise InputError(f"--timeout {args.timeout}: 1 … 86400 seconden / seconds")
    if args.max_rows < 1:
        raise InputError(f"--max-rows {args.max_rows}: minstens / at least 1")
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
        served = start(
            location,
            args.host,
            args.port,
            timeout=args.timeout,
            max_rows=args.max_rows,
            log=_log,
        )
        url = served.url
        print(f"SPARQL-endpoint (alleen lezen / read-only): {url}/query", flush=True)
        print(
            f"  tijdslimiet / time limit {args.timeout} s, "
            f"maximaal / at most {args.max_rows} rijen / rows",
            flush=True,
        )
        print(f"  ggsr-kg query rollen --endpoint {url}   (Ctrl-C stopt / stops)", flush=True)
        # SIGTERM ends like Ctrl-C: the server is stopped and the temporary store removed
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            return served.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            stop(served)


def _log(line: str) -> None:
    print(f"serve: {line}", file=sys.stderr, flush=True)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
