"""``ggsr-kg serve``: a local read-only SPARQL endpoint over the data (see :mod:`ggsr_kg.server`
and docs/server.md)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ._common import add_data_options, load_graph


def add_parser(sub) -> None:
    from ..limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT

    p = sub.add_parser(
        "serve",
        help="lokaal SPARQL-endpoint, alleen lezen / local read-only SPARQL endpoint",
        description="Start een alleen-lezen SPARQL-endpoint over ontologie en data op 127.0.0.1, "
        "met een tijdslimiet per query, een limiet op het aantal rijen en een querypagina "
        "(YASGUI, offline) met de benoemde queries als voorbeeld. Starts a read-only SPARQL "
        "endpoint on 127.0.0.1, with a time limit per query, a limit on the number of rows and "
        "a query page with the named queries as examples.",
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
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="queries tegelijk (elk een eigen proces) / queries at once, each in a process of its "
        "own (standaard / default: cores, 2 … 4)",
    )
    add_data_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..errors import InputError
    from ..server import Settings, base_url, default_workers, is_loopback, listen, prepare_store
    from ..server import run as serve

    if not 0 < args.port < 65536:
        raise InputError(f"--port {args.port}: geen geldige poort / not a valid port")
    if not 0 < args.timeout <= 24 * 3600:
        raise InputError(f"--timeout {args.timeout}: 1 … 86400 seconden / seconds")
    if args.max_rows < 1:
        raise InputError(f"--max-rows {args.max_rows}: minstens / at least 1")
    workers = args.workers if args.workers is not None else default_workers()
    if not 1 <= workers <= 64:
        raise InputError(f"--workers {workers}: 1 … 64")
    sock = listen(args.host, args.port)  # a port in use fails before the (slower) loading
    try:
        if not is_loopback(args.host):
            print(
                f"let op / note: {args.host} maakt de data zichtbaar buiten deze computer / "
                "exposes the data beyond this machine",
                file=sys.stderr,
            )
        kg = load_graph(args)  # the privacy guard runs on --data: nothing personal is served
        settings = Settings(args.host, sock.getsockname()[1], args.timeout, args.max_rows, workers)
        with tempfile.TemporaryDirectory(prefix="ggsr-kg-serve-") as tmp:
            location = prepare_store(kg, Path(tmp))
            del kg
            url = base_url(args.host, settings.port)
            print(f"SPARQL-endpoint (alleen lezen / read-only): {url}/query", flush=True)
            print(f"  querypagina / query page: {url}/", flush=True)
            print(
                f"  tijdslimiet / time limit {args.timeout} s, maximaal / at most "
                f"{args.max_rows} rijen / rows, {workers} queries tegelijk / at once",
                flush=True,
            )
            print(f"  ggsr-kg query rollen --endpoint {url}   (Ctrl-C stopt / stops)", flush=True)
            serve(sock, settings, location, log=_log)
    finally:
        sock.close()
    return 0


def _log(line: str) -> None:
    from ..errors import printable

    print(f"serve: {printable(line)}", file=sys.stderr, flush=True)
