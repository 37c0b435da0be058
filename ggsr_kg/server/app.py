"""The ASGI application of ``ggsr-kg serve``: routes, same-origin checks, admission, and the hop
to the query workers (see :mod:`ggsr_kg.server` and docs/server.md)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ipaddress
import json
import os
import socket
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from .engine import Answer

STATIC = Path(__file__).resolve().parent / "static"
MAX_QUERY_BYTES = 1024 * 1024  # the text of a query (body or URL)
MAX_URL_BYTES = 8 * 1024  # a longer request target gets 414
MAX_RESULT_BYTES = 64 * 1024 * 1024  # an answer is never larger
QUEUE_WAIT = 0.5  # seconds a request waits for a free worker before 503
MAX_WAITING = 256  # requests waiting for a worker at once; more get 503 at once
RETRY_AFTER = "1"
GRACE = 1.0  # seconds beyond --timeout before a worker is killed (the answer must travel too)


def default_workers() -> int:
    """Query workers: one per core, at least 2 (one long query must not block the rest), at most 4."""
    return max(2, min(4, os.cpu_count() or 2))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: int = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    workers: int = field(default_factory=default_workers)

    @property
    def max_bytes(self) -> int:
        # buffered per answer: 16 KiB a row (long texts), never more than MAX_RESULT_BYTES
        return min(MAX_RESULT_BYTES, 64 * 1024 + 16 * 1024 * self.max_rows)


class Refusal(Exception):
    def __init__(self, status: int, text: str, headers: dict[str, str] | None = None):
        super().__init__(text)
        self.status, self.text, self.headers = status, text, headers or {}


def _read_only() -> Refusal:
    return Refusal(
        403,
        "alleen lezen: SPARQL Update en schrijven in de Graph Store zijn niet toegestaan / "
        "read-only: SPARQL Update and Graph Store writes are refused",
    )


def _busy(why: str) -> Refusal:
    return Refusal(
        503,
        f"bezet / busy: {why}; probeer het zo opnieuw / try again shortly",
        {"Retry-After": RETRY_AFTER},
    )


class SparqlApp:
    """The ASGI application: ``/query`` (and ``/sparql``), the query page, nothing that writes."""

    def __init__(self, settings: Settings, pool, location: str, log=None):
        self.settings = settings
        self.pool = pool
        self.location = location
        self.log = log
        self.slots = asyncio.Semaphore(settings.workers)
        self.waiting = 0
        self.hosts = allowed_hosts(settings.host, settings.port)
        self.page = _page(settings)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        started = time.monotonic()
        method, path = scope["method"], scope["path"]
        try:
            answer = await self._route(scope, receive)
            headers = {}
        except Refusal as refusal:
            answer = Answer(
                refusal.status,
                "text/plain; charset=utf-8",
                (refusal.text + "\n").encode("utf-8"),
                refusal.text,
            )
            headers = refusal.headers
        await _send(send, answer, headers, head=method == "HEAD")
        if self.log is not None:
            took = time.monotonic() - started
            note = f" {answer.note}" if answer.note else ""
            self.log(f"{method} {path} → {answer.status} ({took:.2f} s){note}")

    async def _route(self, scope, receive) -> Answer:
        method, path = scope["method"], scope["path"]
        target = len(scope.get("raw_path", b"")) + len(scope.get("query_string", b""))
        if target > MAX_URL_BYTES:
            raise Refusal(
                414,
                f"adres te lang ({target} bytes, maximum {MAX_URL_BYTES}); stuur de query met "
                f"POST / request target too long; send the query with POST",
            )
        self._same_origin(scope)
        params = urllib.parse.parse_qs(
            scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True
        )
        if (
            method in ("PUT", "DELETE", "PATCH")
            or path in ("/update", "/store")
            and method != "GET"
        ):
            await _drain(receive)
            raise _read_only()
        if "update" in params or path == "/update":
            raise _read_only()
        if path in ("/query", "/sparql"):
            if method == "GET":
                texts = params.get("query")
                if not texts:
                    raise Refusal(400, "geen query / no query: /query?query=…")
            elif method == "POST":
                body = await _body(receive)
                texts = _posted_query(_header(scope, b"content-type"), body, params)
            else:
                raise Refusal(405, f"methode niet toegestaan / method not allowed: {method}")
            graphs = params.get("default-graph-uri", [])
            return await self._query(texts[0], _header(scope, b"accept") or "*/*", graphs)
        if path == "/store" and method in ("GET", "HEAD"):
            return await self._store(params, _header(scope, b"accept") or "text/turtle")
        if method in ("GET", "HEAD") and path in ("/", "/index.html"):
            return Answer(200, "text/html; charset=utf-8", self.page)
        if method in ("GET", "HEAD") and path == "/prefixes.json":
            from ..namespaces import PREFIXES

            return Answer(200, "application/json", json.dumps(PREFIXES).encode("utf-8"))
        if method in ("GET", "HEAD") and path in ("/yasgui.min.js", "/yasgui.min.css"):
            kind = "text/javascript" if path.endswith(".js") else "text/css"
            return Answer(200, kind + "; charset=utf-8", (STATIC / path[1:]).read_bytes())
        if method not in ("GET", "HEAD", "POST"):
            raise Refusal(405, f"methode niet toegestaan / method not allowed: {method}")
        raise Refusal(404, f"niet gevonden / not found: {path!r}; SPARQL: /query")

    def _same_origin(self, scope) -> None:
        host = _header(scope, b"host")
        if host is not None and host.lower() not in self.hosts:
            raise Refusal(
                403,
                f"onbekende Host {host!r}: deze server antwoordt alleen op zijn eigen adres / "
                "unknown Host: this server answers on its own address only",
            )
        origin = _header(scope, b"origin")
        if origin is not None and origin.lower() not in {f"http://{h}" for h in self.hosts}:
            raise Refusal(
                403,
                f"verzoek van een andere site ({origin!r}) geweigerd / cross-site request refused",
            )
        if (_header(scope, b"sec-fetch-site") or "none").lower() not in ("same-origin", "none"):
            raise Refusal(403, "verzoek van een andere site geweigerd / cross-site request refused")

    async def _query(self, text: str, accept: str, graphs: list[str]) -> Answer:
        if len(text.encode("utf-8", "surrogatepass")) > MAX_QUERY_BYTES:
            raise Refusal(
                413, f"query te groot / query too large (maximum {MAX_QUERY_BYTES} bytes)"
            )
        for g in graphs:
            try:
                ox.NamedNode(g)
            except ValueError:
                raise Refusal(400, f"default-graph-uri {g!r} is geen IRI / not an IRI") from None
        from .engine import answer

        s = self.settings
        return await self._run(answer, text, accept, graphs, s.max_rows, s.max_bytes, s.timeout)

    async def _store(self, params, accept: str) -> Answer:
        """Graph Store Protocol, reading only: the default graph (the union) or one graph."""
        if "graph" in params:
            g = params["graph"][0]
            try:
                node = ox.NamedNode(g)
            except ValueError:
                raise Refusal(400, f"graph {g!r} is geen IRI / not an IRI") from None
            text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }}"
        else:
            text = "CONSTRUCT WHERE { ?s ?p ?o }"
        return await self._query(text, accept, [])

    async def _run(self, fn, *args) -> Answer:
        if self.waiting >= MAX_WAITING:
            raise _busy(f"al {MAX_WAITING} verzoeken wachten / {MAX_WAITING} requests waiting")
        self.waiting += 1
        try:
            await asyncio.wait_for(self.slots.acquire(), QUEUE_WAIT)
        except TimeoutError:
            raise _busy(
                f"alle {self.settings.workers} query-processen zijn bezig / all "
                f"{self.settings.workers} query workers are busy"
            ) from None
        finally:
            self.waiting -= 1
        try:
            future = self.pool.schedule(fn, args=args, timeout=self.settings.timeout + GRACE)
            return await asyncio.wrap_future(future)
        except concurrent.futures.TimeoutError:
            limit = self.settings.timeout
            return _refused(
                500,
                f"query afgebroken na {limit} s (de tijdslimiet van deze server) / query "
                f"cancelled after {limit} s (this server's time limit)",
            )
        except Exception as exc:  # noqa: BLE001 - the worker died (ProcessExpired) or broke
            why = getattr(exc, "exitcode", None)
            what = f"exitcode {why}" if why is not None else type(exc).__name__
            if self.log is not None:
                self.log(
                    f"query-engine gestopt ({what}); een nieuwe is gestart / query engine died "
                    f"({what}); a new one was started"
                )
            return _refused(
                500,
                f"de query-engine stopte bij deze query ({what}); de server draait door / the "
                f"query engine died on this query ({what}); the server keeps running",
            )
        finally:
            self.slots.release()


def _refused(status: int, text: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (text + "\n").encode("utf-8"), text)


def allowed_hosts(host: str, port: int) -> set[str]:
    """The ``Host`` values of this server: the address served, and the loopback names when it is
    a loopback address (a browser on this machine may call it localhost)."""
    names = {host.strip("[]")}
    if is_loopback(host):
        names |= {"localhost", "127.0.0.1", "::1"}
    if host in ("0.0.0.0", "::"):  # every address of this machine: the names it has
        names |= {"localhost", "127.0.0.1", "::1", socket.gethostname()}
        with contextlib.suppress(OSError):
            names |= {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None)}
    out = set()
    for n in names:
        shown = f"[{n}]" if ":" in n else n
        out |= {f"{shown}:{port}".lower()}
        if port == 80:
            out.add(shown.lower())
    return out


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


async def _body(receive) -> bytes:
    parts, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Refusal(400, "verzoek onvolledig / incomplete request")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_QUERY_BYTES:
            raise Refusal(
                413, f"verzoek te groot / request too large (maximum {MAX_QUERY_BYTES} bytes)"
            )
        parts.append(chunk)
        if not message.get("more_body"):
            return b"".join(parts)


async def _drain(receive, limit: int = 64 * 1024 * 1024) -> None:
    """Read a refused request's body (up to ``limit``), so the client gets the answer rather than
    a broken pipe while it is still sending."""
    size = 0
    while size <= limit:
        message = await receive()
        size += len(message.get("body", b""))
        if message["type"] == "http.disconnect" or not message.get("more_body"):
            return


def _posted_query(ctype: str | None, body: bytes, params) -> list[str]:
    media = (ctype or "").split(";")[0].strip().lower()
    if media == "application/x-www-form-urlencoded":
        fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        if "update" in fields:
            raise _read_only()
        if "query" not in fields:
            raise Refusal(400, "geen query / no query")
        return fields["query"]
    if media == "application/sparql-update":
        raise _read_only()
    if media == "application/sparql-query":
        return [body.decode("utf-8", "replace")]
    raise Refusal(
        415,
        f"Content-Type {media!r} niet ondersteund / not supported (application/sparql-query "
        "of / or application/x-www-form-urlencoded)",
    )


async def _send(send, answer: Answer, headers: dict[str, str], head: bool = False) -> None:
    raw = [
        (b"content-type", answer.media_type.encode()),
        (b"content-length", str(len(answer.body)).encode()),
        (b"cache-control", b"no-store"),
        (b"x-content-type-options", b"nosniff"),
    ]
    if answer.media_type.startswith("text/html"):
        raw.append((b"content-security-policy", CSP.encode()))
    raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": answer.status, "headers": raw})
    await send({"type": "http.response.body", "body": b"" if head else answer.body})


# the page runs YASGUI from this server only; it may talk to this server only
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)


def _page(settings: Settings) -> bytes:
    """The query page: YASGUI on /query, with the named queries as examples (offline)."""
    from ..queries import named_queries

    examples = [
        {"name": q.name, "title": (q.description[0] if q.description else q.name), "query": q.text}
        for q in named_queries().values()
    ]
    data = json.dumps(examples, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    return html.replace("/*EXAMPLES*/[]", data).encode("utf-8")
