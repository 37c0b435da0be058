"""``ggsr-kg serve``: the SPARQL 1.1 Protocol in one listening process, over a read-only store.

Design (why, and the measurements, in docs/server.md):

- **uvicorn** (HTTP/1.1 with h11) runs the ASGI application :class:`.app.SparqlApp` on the address asked
  for (127.0.0.1 by default): listen backlog 2048, keep-alive, and a deadline for the *whole*
  request (:class:`.deadline.DeadlineProtocol`: headers and body within ``REQUEST_DEADLINE`` seconds however
  slowly they trickle in; uvicorn itself bounds only the idle time between requests);
- **worker processes** (a :class:`pebble.ProcessPool`) answer the queries, each with the store
  opened read-only (``pyoxigraph.Store.read_only``) and no socket of its own: there is no internal
  port to bypass the limits. pyoxigraph cannot cancel a query, so a query that outlives
  ``--timeout`` has its worker killed and replaced; a worker that crashes is replaced too, and the
  log says so. The guard (:mod:`ggsr_kg.sparqlguard`) runs in the worker as well, so parsing a
  hostile query costs a worker's time, not the server's;
- **admission**: at most one query per worker at a time; a request waits up to ``QUEUE_WAIT``
  seconds for a worker, and at most ``MAX_WAITING`` wait: beyond that ``503`` with
  ``Retry-After``. Nothing is ever refused by resetting the connection;
- **read-only**: no update route exists (``/update``, ``update=``, Graph Store writes: ``403``),
  the store is opened read-only, and the guard refuses updates in query text;
- **same origin**: the ``Host`` must be the address served, a browser's ``Origin`` (and
  ``Sec-Fetch-Site``) must be that address too — a web page elsewhere, or a DNS name rebound to
  127.0.0.1, gets ``403``;
- **the query page**: YASGUI 4.2.28 (MIT, the build Oxigraph bundles, shipped under
  ``static/``), offline, with the project's named queries as examples.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pyoxigraph as ox

from ..errors import GgsrError
from .app import (  # noqa: F401 - the server's parts, as the tests and the command use them
    MAX_QUERY_BYTES,
    MAX_URL_BYTES,
    QUEUE_WAIT,
    Settings,
    SparqlApp,
    allowed_hosts,
    default_workers,
    is_loopback,
)
from .deadline import REQUEST_DEADLINE, DeadlineProtocol  # noqa: F401


def guard_warmup() -> None:
    """Import and exercise the guard's parser once, so the first real query does not pay for it."""
    from ..sparqlguard import check

    check("SELECT * WHERE { ?s ?p ?o }")


def prepare_store(kg, directory: Path) -> Path:
    """Write the graph (every named graph, inferred triples included) into an on-disk store."""
    location = Path(directory) / "store"
    store = ox.Store(str(location))
    store.bulk_extend(kg.store)
    store.flush()
    del store  # closed: the workers open it read-only
    return location


def base_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


# ---- running it ----------------------------------------------------------------------------------------


def listen(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """The listening socket (bound before anything slow starts, so a port in use fails early)."""
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
        sock.listen(backlog)
    except OSError as exc:
        sock.close()
        raise GgsrError(
            f"{base_url(host, port)}: kan niet luisteren / cannot listen ({exc.strerror or exc}); "
            "is de poort bezet? kies --port / is the port in use? choose --port"
        ) from None
    return sock


def start_pool(location: Path, workers: int):
    """The query workers, each with the store open read-only (spawned: no threads inherited)."""
    import multiprocessing

    from pebble import ProcessPool

    from .engine import open_store

    return ProcessPool(
        max_workers=workers,
        initializer=open_store,
        initargs=(str(location),),
        context=multiprocessing.get_context("spawn"),
    )


def run(sock: socket.socket, settings: Settings, location: Path, log=None) -> None:
    """Serve on ``sock`` until SIGINT/SIGTERM; the workers are stopped afterwards."""
    import logging

    import uvicorn

    pool = start_pool(location, settings.workers)
    try:
        app = SparqlApp(settings, pool, str(location), log)
        config = uvicorn.Config(
            app,
            http=DeadlineProtocol,
            lifespan="on",
            access_log=False,
            log_level=logging.WARNING,
            server_header=False,
            timeout_keep_alive=5,
            timeout_graceful_shutdown=2,
        )
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        pool.stop()
        pool.join(timeout=5)
