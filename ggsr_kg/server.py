"""A local read-only SPARQL endpoint over the graph: the Oxigraph server from PyPI behind a small
bounded front.

The graph (ontology, framework, data and inferred triples, each file in its own named graph) is
written to a store directory with ``oxigraph load``; ``oxigraph serve-read-only`` then answers
SPARQL queries with the union of the named graphs as default graph, so the named queries give the
same rows as on the embedded store. It listens on a free port of 127.0.0.1 only and is started
with ``--timeout-s``: Oxigraph itself cancels a query that runs longer.

What the user reaches is :class:`Front`, a threaded HTTP server of the standard library on the
address asked for (127.0.0.1 by default). It is the only way in, and it is bounded:

- **read-only**: it passes on ``GET``/``POST /query`` (a query, never ``update=``) and ``GET /`` and
  ``GET /store``; SPARQL Update (``/update``, ``update=``) and every Graph Store write are refused
  with 403 before they reach Oxigraph (which refuses them too: two locks);
- **time**: Oxigraph cancels a query after ``timeout`` seconds; the front stops waiting a second
  later in any case. Oxigraph reports a cancellation as HTTP 200 followed by a body that breaks off
  with ``The SPARQL operation has been cancelled``; the front never passes such a body on, it
  answers ``500`` with one line instead (SPARQL 1.1 Protocol: a refused query is a 500);
- **size**: an answer is buffered (at most :data:`MAX_RESULT_BYTES`) and its rows counted with
  pyoxigraph's parsers; more than ``max_rows`` rows (or triples) is refused with ``500`` and a
  message saying to use ``LIMIT``/``OFFSET``. Nothing is truncated silently: a client gets the
  whole answer or an error, never a partial result that looks complete;
- **load**: at most :data:`MAX_CONCURRENT` queries at a time (then ``503`` with ``Retry-After``),
  a query text of at most :data:`MAX_QUERY_BYTES`, and a client that does not send its request
  within :data:`CLIENT_TIMEOUT` seconds is disconnected.

Why a front and not only Oxigraph's options: ``--timeout-s`` exists (Oxigraph 0.5) but there is no
result limit, and a timed-out query still answers HTTP 200 with a broken body; in the meantime a
simple cross product streams tens of megabytes per second (measured: 44 MB in the 2 s before the
cancellation). See docs/hardening.md for the measurements.
"""

from __future__ import annotations

import contextlib
import csv
import http.client
import io
import ipaddress
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from .errors import GgsrError
from .limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT

INSTALL_HINT = (
    "installeer de Oxigraph-server met / install the Oxigraph server with: pip install oxigraph"
)
MAX_RESULT_BYTES = 64 * 1024 * 1024  # an answer is buffered up to this size, then refused
MAX_QUERY_BYTES = 1024 * 1024  # the text of a query (POST body)
MAX_CONCURRENT = 4  # queries passed on at the same time
DRAIN_BYTES = 64 * 1024 * 1024  # a refused request body up to this size is read and dropped
CLIENT_TIMEOUT = 30.0  # seconds a client may take to send its request
GRACE = 1.0  # the front waits this long beyond the timeout for Oxigraph's own cancellation
CANCELLED = b"The SPARQL operation has been cancelled"

_RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


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


def serve_command(
    location: Path, host: str = "127.0.0.1", port: int = 7878, timeout: int = DEFAULT_TIMEOUT
) -> list[str]:
    """The Oxigraph server behind the front: read-only, union default graph, ``--timeout-s``."""
    return [
        oxigraph_binary(),
        "serve-read-only",
        "--location",
        str(location),
        "--bind",
        f"{host}:{port}",
        "--union-default-graph",
        "--timeout-s",
        str(int(timeout)),
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


# ---- the bounded front ----------------------------------------------------------------------------


class Refusal(Exception):
    """An answer of the front itself: status and one line of text."""

    def __init__(self, status: int, text: str, headers: dict[str, str] | None = None):
        super().__init__(text)
        self.status = status
        self.text = text
        self.headers = headers or {}


class Front(ThreadingHTTPServer):
    """The HTTP server users reach; passes read requests on to Oxigraph at ``upstream``."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        host: str,
        port: int,
        upstream: tuple[str, int],
        *,
        timeout: int = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        max_bytes: int = MAX_RESULT_BYTES,
        max_concurrent: int = MAX_CONCURRENT,
        log=None,
    ):
        self.address_family = socket.AF_INET6 if _is_ipv6(host) else socket.AF_INET
        super().__init__((host, port), _FrontHandler)
        self.upstream = upstream
        self.query_timeout = timeout
        self.max_rows = max_rows
        # buffered per answer: 16 KiB a row (long texts), never more than MAX_RESULT_BYTES
        self.max_bytes = min(max_bytes, 64 * 1024 + 16 * 1024 * max_rows)
        self.slots = threading.BoundedSemaphore(max_concurrent)
        self.log = log  # a callable taking one line, or None


def _is_ipv6(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).version == 6
    except ValueError:
        return False


class _FrontHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ggsr-kg-serve"
    sys_version = ""
    timeout = CLIENT_TIMEOUT  # socket timeout while reading the request (slow clients)

    def do_GET(self):  # noqa: N802 - http.server naming
        self._handle()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET  # noqa: N815

    # ---- routing -----------------------------------------------------------------------------

    def _handle(self) -> None:
        started = time.monotonic()
        path, _, query_string = self.path.partition("?")
        note = ""
        try:
            writes = self.command in ("PUT", "DELETE", "PATCH")
            if writes or (self.command == "POST" and path in ("/update", "/store")):
                self._discard_body()  # unread, never passed on
                raise _read_only()
            body = self._request_body()
            if path == "/query" and self.command in ("GET", "POST"):
                fields = self._query_fields(query_string, body)
                if "update" in fields:
                    raise _read_only()
                if "query" not in fields and self.command == "GET":
                    raise Refusal(400, "geen query / no query: /query?query=…")
                status, ctype, payload, note = self._pass_on(body, count=True)
            elif self.command == "GET" and path != "/update":  # the page, its files, /store
                if "update" in urllib.parse.parse_qs(query_string):
                    raise _read_only()
                status, ctype, payload, note = self._pass_on(None, count=path == "/store")
            elif path == "/update":
                raise _read_only()
            elif self.command == "POST":
                raise Refusal(404, f"niet gevonden / not found: {path!r}; SPARQL: /query")
            else:
                raise Refusal(405, f"methode niet toegestaan / method not allowed: {self.command}")
        except Refusal as refusal:
            status, ctype = refusal.status, "text/plain; charset=utf-8"
            payload = (refusal.text + "\n").encode("utf-8")
            note = refusal.text
            self._send(status, ctype, payload, refusal.headers)
        else:
            self._send(status, ctype, payload)
        if self.server.log is not None:
            took = time.monotonic() - started
            self.server.log(
                f"{self.command} {path} → {status} ({took:.2f} s){' ' + note if note else ''}"
            )

    def _request_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise Refusal(411, "Content-Length vereist / required (geen chunked / no chunked)")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise Refusal(400, "ongeldige Content-Length / invalid Content-Length") from None
        if length < 0 or length > MAX_QUERY_BYTES:
            self._discard_body()
            raise Refusal(
                413, f"verzoek te groot / request too large (maximum {MAX_QUERY_BYTES} bytes)"
            )
        if not length:
            return None
        try:
            body = self.rfile.read(length)
        except (TimeoutError, OSError):
            self.close_connection = True
            raise Refusal(408, "verzoek niet op tijd ontvangen / request timeout") from None
        if len(body) < length:
            self.close_connection = True
            raise Refusal(400, "verzoek onvolledig / incomplete request")
        return body

    def _discard_body(self) -> None:
        """Read a refused request's body (at most DRAIN_BYTES) and drop it, so that the client,
        still sending, gets the answer rather than a broken pipe; beyond that, hang up."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if self.headers.get("Transfer-Encoding") or not 0 <= length <= DRAIN_BYTES:
            self.close_connection = True
            return
        try:
            while length > 0:
                chunk = self.rfile.read(min(length, 64 * 1024))
                if not chunk:  # the client stopped sending
                    self.close_connection = True
                    return
                length -= len(chunk)
        except OSError:
            self.close_connection = True

    def _query_fields(self, query_string: str, body: bytes | None) -> dict[str, list[str]]:
        fields = urllib.parse.parse_qs(query_string, keep_blank_values=True)
        if self.command == "POST":
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/x-www-form-urlencoded":
                text = (body or b"").decode("utf-8", "replace")
                for key, values in urllib.parse.parse_qs(text, keep_blank_values=True).items():
                    fields.setdefault(key, []).extend(values)
            elif ctype == "application/sparql-update":
                raise _read_only()
            elif ctype == "application/sparql-query":
                fields.setdefault("query", []).append("")
            else:
                raise Refusal(
                    415,
                    f"Content-Type {ctype!r} niet ondersteund / not supported "
                    "(application/sparql-query of / or application/x-www-form-urlencoded)",
                )
            if "query" not in fields and "update" not in fields:
                raise Refusal(400, "geen query / no query")
        return fields

    # ---- passing on ---------------------------------------------------------------------------

    def _pass_on(self, body: bytes | None, *, count: bool) -> tuple[int, str, bytes, str]:
        srv: Front = self.server
        if not srv.slots.acquire(timeout=1.0):
            raise Refusal(
                503,
                f"bezet: al {MAX_CONCURRENT} queries tegelijk / busy: {MAX_CONCURRENT} queries "
                "running; probeer het zo opnieuw / try again shortly",
                {"Retry-After": "1"},
            )
        try:
            return self._exchange(body, count=count)
        finally:
            srv.slots.release()

    def _exchange(self, body: bytes | None, *, count: bool) -> tuple[int, str, bytes, str]:
        srv: Front = self.server
        limit = srv.query_timeout
        deadline = time.monotonic() + limit + GRACE
        headers = {
            k: v
            for k, v in self.headers.items()
            if k.lower() in ("accept", "content-type", "accept-language")
        }
        conn = http.client.HTTPConnection(*srv.upstream, timeout=limit + GRACE)
        try:
            conn.request(self.command, self.path, body=body, headers=headers)
            response = conn.getresponse()
            status = response.status
            ctype = response.getheader("Content-Type", "application/octet-stream")
            chunks, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise _timed_out(limit)
                chunk = response.read1(64 * 1024)
                if not chunk:
                    if response.length:  # Content-Length promised more than came
                        raise Refusal(500, "onvolledig antwoord van Oxigraph / incomplete answer")
                    break
                size += len(chunk)
                if size > srv.max_bytes:
                    raise Refusal(
                        500,
                        f"antwoord groter dan {srv.max_bytes} bytes / answer larger than "
                        f"{srv.max_bytes} bytes (de resultaatlimiet van deze server / this "
                        "server's result limit); gebruik LIMIT (en OFFSET) / use LIMIT (and OFFSET)",
                    )
                chunks.append(chunk)
        except TimeoutError:
            raise _timed_out(limit) from None
        except (OSError, http.client.HTTPException) as exc:
            raise Refusal(
                502, f"de Oxigraph-server antwoordt niet / is not answering ({exc})"
            ) from None
        finally:
            conn.close()  # stops the answer at the source when it is refused
        payload = b"".join(chunks)
        if status != 200 or not count:
            return status, ctype, payload, ""
        rows = _count(payload, ctype, srv.max_rows)
        if rows is None:
            if CANCELLED in payload[-4096:]:
                raise _timed_out(limit)
            raise Refusal(500, "onvolledig antwoord van Oxigraph / incomplete answer from Oxigraph")
        if rows > srv.max_rows:
            raise Refusal(
                500,
                f"meer dan {srv.max_rows} rijen / more than {srv.max_rows} rows (de "
                "resultaatlimiet van deze server / this server's result limit); gebruik LIMIT "
                "(en OFFSET) / use LIMIT (and OFFSET)",
            )
        return status, ctype, payload, f"{rows} rijen / rows"

    def _send(self, status: int, ctype: str, payload: bytes, headers=None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Cache-Control", "no-store")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except OSError:
            self.close_connection = True  # the client went away

    def log_message(self, *args) -> None:  # the front logs one line per request itself
        pass


def _read_only() -> Refusal:
    return Refusal(
        403,
        "alleen lezen: SPARQL Update en schrijven in de Graph Store zijn niet toegestaan / "
        "read-only: SPARQL Update and Graph Store writes are refused",
    )


def _timed_out(limit: int) -> Refusal:
    return Refusal(
        500,
        f"query afgebroken na {limit} s (de tijdslimiet van deze server) / query cancelled after "
        f"{limit} s (this server's time limit)",
    )


def _count(payload: bytes, content_type: str, limit: int) -> int | None:
    """Rows of a SPARQL result (or triples of a graph), counted up to ``limit`` + 1; None when the
    answer does not parse (Oxigraph broke it off). Unknown media types count as 0."""
    media = content_type.split(";")[0].strip().lower()
    try:
        if media in _RESULT_TYPES:
            solutions = ox.parse_query_results(payload, format=_RESULT_TYPES[media])
            if isinstance(solutions, (bool, ox.QueryBoolean)):
                return 1
            return _upto(solutions, limit)
        if media == "text/csv":
            if payload.rstrip().endswith(CANCELLED):
                return None
            text = io.StringIO(payload.decode("utf-8"), newline="")
            return max(0, _upto(csv.reader(text), limit + 1) - 1)  # minus the header
        fmt = ox.RdfFormat.from_media_type(media)
        if fmt is not None:
            return _upto(ox.parse(payload, format=fmt), limit)
    except (SyntaxError, ValueError, UnicodeDecodeError, csv.Error):
        return None
    return 0


def _upto(items, limit: int) -> int:
    n = 0
    for _ in items:
        n += 1
        if n > limit:
            break
    return n


# ---- the whole: Oxigraph behind the front -----------------------------------------------------------


@dataclass
class Served:
    """A running endpoint: the Oxigraph process and the front users reach at ``url``."""

    proc: subprocess.Popen
    front: Front
    url: str
    thread: threading.Thread

    def wait(self) -> int:
        return self.proc.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(
    location: Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    timeout: int = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    log=None,
) -> Served:
    """Start Oxigraph on a free port of 127.0.0.1 and the front on ``host:port``; wait for both."""
    try:
        front = Front(host, port, ("127.0.0.1", 0), timeout=timeout, max_rows=max_rows, log=log)
    except OSError as exc:
        raise GgsrError(
            f"{base_url(host, port)}: kan niet luisteren / cannot listen ({exc.strerror or exc}); "
            "is de poort bezet? kies --port / is the port in use? choose --port"
        ) from None
    proc = None
    try:
        for attempt in range(3):  # the free port may be taken between choosing and binding it
            inner = _free_port()
            proc = subprocess.Popen(  # noqa: S603 - fixed argv
                serve_command(location, "127.0.0.1", inner, timeout),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                wait_until_ready(base_url("127.0.0.1", inner), proc)
                break
            except GgsrError:
                if proc.poll() is None or attempt == 2:
                    raise
        front.upstream = ("127.0.0.1", inner)
        thread = threading.Thread(target=front.serve_forever, args=(0.1,), daemon=True)
        thread.start()
        url = base_url(host, front.server_address[1])  # the port chosen when 0 was asked
        return Served(proc, front, url, thread)
    except BaseException:
        front.server_close()
        if proc is not None:
            _stop_process(proc)
        raise


def stop(served: Served | subprocess.Popen) -> None:
    """Stop the front (if any) and the Oxigraph process."""
    if isinstance(served, Served):
        with contextlib.suppress(Exception):
            served.front.shutdown()
            served.front.server_close()
        _stop_process(served.proc)
    else:
        _stop_process(served)


def _stop_process(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
