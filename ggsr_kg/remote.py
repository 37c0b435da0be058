"""Named queries against a remote SPARQL 1.1 endpoint, and the HTTP the ``load`` command needs.

Everything the user types reaches the endpoint as RDF terms in a ``VALUES`` block
(:func:`ggsr_kg.queries.values_clause`, placed by :func:`~ggsr_kg.queries.with_values` at the start
of the outer ``WHERE`` group), never as text pasted into the query. ``gemeente`` is first
resolved by a query of its own that binds the name as a literal.

HTTP habits, the same for queries, updates and uploads:

- a descriptive User-Agent: ``ggsr-kg/<version> (+https://w3id.org/ggsr)``;
- HTTP Basic credentials from ``GGSR_SPARQL_USER`` / ``GGSR_SPARQL_PASSWORD`` (never printed);
- a client timeout (default 30 s) and a server-side hint ``Prefer: wait=<s>`` (RFC 7240; a header,
  not a ``timeout`` parameter, because endpoints disagree on that parameter's unit);
- on 429 or 503 a bounded number of retries honouring ``Retry-After`` (up to 30 s per wait);
- every failure becomes one line in an :class:`~ggsr_kg.errors.EndpointError` (exit code 3).

Endpoint addresses: a bare server address such as ``http://127.0.0.1:7878`` is taken to be an
Oxigraph server (``/query``, ``/update``, ``/store``); an address ending in ``/query`` or
``/sparql`` gets ``/update`` and ``/store`` beside it; any other address is used for all three.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import email.utils
import http.client
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pyoxigraph as ox

from . import __version__
from .errors import EndpointError, InputError
from .queries import NamedQuery, bind_params, values_clause, with_values

USER_AGENT = f"ggsr-kg/{__version__} (+https://w3id.org/ggsr)"
DEFAULT_TIMEOUT = 30.0
MAX_RETRIES = 3
MAX_RETRY_WAIT = 30.0
MAX_ANSWER_BYTES = 128 * 1024 * 1024  # an answer beyond this is refused, not read on
ENV_USER = "GGSR_SPARQL_USER"
ENV_PASSWORD = "GGSR_SPARQL_PASSWORD"

_sleep = time.sleep  # replaced in tests
T = TypeVar("T")

_MUNICIPALITY = """PREFIX ggsr: <https://w3id.org/ggsr/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?g WHERE { ?g a ggsr:Gemeente .
  { ?g rdfs:label ?n } UNION { ?g ggsr:officieleNaam ?n } UNION { ?g ggsr:cbsCode ?n }
  BIND(LCASE(STR(?n)) AS ?wanted) }"""
# the names an "unknown municipality" message lists (as graph.KnowledgeGraph.municipality does)
_KNOWN = """PREFIX ggsr: <https://w3id.org/ggsr/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT (STR(?label) AS ?n) WHERE { ?g a ggsr:Gemeente ; rdfs:label ?label .
  FILTER(LANG(?label) = "nl") }"""
MAX_LISTED = 40


@dataclass(frozen=True)
class Endpoint:
    """The three URLs of one SPARQL service."""

    query: str
    update: str
    store: str


def endpoint_urls(url: str, update: str | None = None, store: str | None = None) -> Endpoint:
    """Query, update and Graph Store URLs for an endpoint address (see the module docstring)."""
    url = check_url(url)
    update = check_url(update) if update else None
    store = check_url(store) if store else None
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    if not path:
        base = url.rstrip("/")
        found = Endpoint(base + "/query", base + "/update", base + "/store")
    elif path.endswith(("/query", "/sparql")):
        base = urllib.parse.urlunsplit(parts._replace(path=path.rsplit("/", 1)[0]))
        found = Endpoint(url, base + "/update", base + "/store")
    else:
        found = Endpoint(url, url, url)
    return Endpoint(found.query, update or found.update, store or found.store)


_URL_SAFE = "".join(chr(c) for c in range(33, 127))  # printable ASCII stays as it is


def check_url(url: str) -> str:
    """``url`` if it is an http(s) address the HTTP client can use (non-ASCII in the path is
    percent-encoded); InputError (exit 2) with the reason otherwise, before anything is sent."""

    def refuse(why: str) -> InputError:
        return InputError(f"{url!r} is geen bruikbaar http(s)-adres / is not a usable URL: {why}")

    try:
        url.encode("utf-8")
    except UnicodeEncodeError:
        raise refuse("geen geldige tekst (UTF-8) / not valid text") from None
    if any(c.isspace() or not c.isprintable() for c in url):
        raise refuse("spatie of stuurteken / a space or control character")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError as exc:
        raise refuse(_one_line(str(exc), 80)) from None
    if parts.scheme not in ("http", "https") or not host:
        raise refuse("verwacht / expected http://host[:poort]/…")
    if port == 0:
        raise refuse("poort 0 / port 0")
    try:
        host.encode("idna")
    except UnicodeError:
        raise refuse("ongeldige hostnaam / invalid host name") from None
    if not url.isascii():
        parts = parts._replace(
            path=urllib.parse.quote(parts.path, safe=_URL_SAFE),
            query=urllib.parse.quote(parts.query, safe=_URL_SAFE),
            fragment="",
        )
        url = urllib.parse.urlunsplit(parts)
    return url


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed to http(s) addresses only, and credentials never leave the origin
    they were given for: urllib copies every header (``Authorization`` too) to the new address,
    whatever its host, and follows ``ftp://`` as well."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise EndpointError(
                f"{req.full_url}: doorverwijzing naar {newurl!r} geweigerd (alleen http/https) / "
                "redirect refused (http/https only)"
            )
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and _origin(newurl) != _origin(req.full_url):
            for name in [h for h in new.headers if h.lower() == "authorization"]:
                del new.headers[name]
            new.unredirected_hdrs.pop("Authorization", None)
        return new


OPENER = urllib.request.build_opener(_SafeRedirects)


def credentials() -> tuple[str, str] | None:
    user = os.environ.get(ENV_USER)
    if not user:
        return None
    return user, os.environ.get(ENV_PASSWORD, "")


def _headers(timeout: float) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Prefer": f"wait={max(1, int(timeout))}"}
    cred = credentials()
    if cred:
        token = base64.b64encode(f"{cred[0]}:{cred[1]}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    return headers


# ---- errors and retries ---------------------------------------------------------------------------


def _one_line(body: bytes | str | None, limit: int = 200) -> str:
    if body is None:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _http_error(url: str, code: int, body: bytes | str | None) -> EndpointError:
    detail = _one_line(body)
    hint = {
        400: "het endpoint weigert het verzoek / the endpoint rejects the request",
        401: f"niet aangemeld: zet {ENV_USER} en {ENV_PASSWORD} / not authorised",
        403: "geen toegang of alleen-lezen / forbidden or read-only",
        404: "adres niet gevonden: is dit het SPARQL-adres? / not found",
        405: "methode niet toegestaan (alleen-lezen?) / method not allowed (read-only?)",
    }.get(code, "fout van het endpoint / endpoint error")
    return EndpointError(f"{url}: HTTP {code}: {hint}" + (f" — {detail}" if detail else ""))


def with_retries(url: str, action: Callable[[], T]) -> T:
    """Run ``action``; on 429/503 wait as the server asks (bounded) and try again."""
    attempt = 0
    while True:
        try:
            return action()
        except urllib.error.HTTPError as exc:
            if exc.code in (429, 503) and attempt < MAX_RETRIES:
                wait = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
                wait = 2.0**attempt if wait is None else wait
                if wait <= MAX_RETRY_WAIT:
                    attempt += 1
                    _sleep(wait)
                    continue
            raise _http_error(url, exc.code, _read(exc)) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _timeout_error(url) from None
            error = EndpointError(
                f"{url}: SPARQL-endpoint niet bereikbaar / unreachable ({_one_line(str(exc.reason))})"
            )
            # refused or no such host: no connection, so nothing of the request arrived
            error.nothing_sent = isinstance(exc.reason, (ConnectionRefusedError, socket.gaierror))
            raise error from None
        except TimeoutError:
            raise _timeout_error(url) from None
        except ConnectionError as exc:
            raise EndpointError(
                f"{url}: verbinding verbroken / connection failed ({_one_line(str(exc))})"
            ) from None
        except http.client.IncompleteRead as exc:
            raise EndpointError(
                f"{url}: verbinding verbroken midden in het antwoord / connection closed in the "
                f"middle of the answer ({len(exc.partial or b'')} bytes ontvangen / received)"
            ) from None
        except http.client.HTTPException as exc:  # not HTTP at all (BadStatusLine, LineTooLong, …)
            raise EndpointError(
                f"{url}: geen geldig HTTP-antwoord / not a valid HTTP answer "
                f"({type(exc).__name__}: {_one_line(str(exc), 80)})"
            ) from None
        except OSError as exc:  # any other socket error
            raise EndpointError(
                f"{url}: verbinding mislukt / connection failed ({_one_line(str(exc))})"
            ) from None


def _timeout_error(url: str) -> EndpointError:
    return EndpointError(f"{url}: geen antwoord binnen de tijdslimiet / timed out")


def read_bounded(response, url: str, deadline: float, limit: int | None = None) -> bytes:
    """The body of ``response``, read in chunks: a server that trickles bytes past ``deadline``
    (a time.monotonic() value) is a timeout, one that sends more than ``limit`` bytes (default
    MAX_ANSWER_BYTES) is refused. The socket timeout alone bounds each read, not the answer."""
    limit = MAX_ANSWER_BYTES if limit is None else limit
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise _timeout_error(url)
        chunk = response.read1(64 * 1024) if hasattr(response, "read1") else response.read(65536)
        if not chunk:
            if getattr(response, "length", None):  # Content-Length promised more than came
                raise http.client.IncompleteRead(b"".join(chunks), response.length)
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise EndpointError(
                f"{url}: antwoord te groot / answer too large (meer dan / more than {limit} bytes)"
            )
        chunks.append(chunk)


def _read(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read()
    except Exception:  # noqa: BLE001 - the body is only decoration for the message
        return b""


def request(
    method: str,
    url: str,
    data: bytes | None = None,
    content_type: str | None = None,
    accept: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[int, bytes]:
    """One HTTP request with the project's headers and retries: (status, body)."""
    headers = _headers(timeout)
    if content_type:
        headers["Content-Type"] = content_type
    if accept:
        headers["Accept"] = accept

    def send() -> tuple[int, bytes]:
        deadline = time.monotonic() + timeout
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        with OPENER.open(req, timeout=timeout) as response:  # http(s) only, see _SafeRedirects
            return response.status, read_bounded(response, url, deadline)

    return with_retries(url, send)


# ---- SELECT via SPARQLWrapper -----------------------------------------------------------------------


def select(
    url: str, text: str, *, graph: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> tuple[list[str], list[dict]]:
    """Run a SELECT on ``url`` (the query URL): (variable names, rows of pyoxigraph terms)."""
    import SPARQLWrapper.Wrapper as wrapper_module
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import (
        EndPointInternalError,
        EndPointNotFound,
        QueryBadFormed,
        SPARQLWrapperException,
        Unauthorized,
        URITooLong,
    )

    # SPARQLWrapper opens URLs with urllib's urlopen (a module global): ours instead, so that its
    # redirects keep the credentials at their origin too
    wrapper_module.urlopener = OPENER.open
    sw = SPARQLWrapper(url, agent=USER_AGENT)
    sw.setMethod(POST)
    sw.setReturnFormat(JSON)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SPARQLWrapper guesses the query form from the text …
        sw.setQuery(text)
    sw.queryType = "SELECT"  # … and can misread a word in a comment ("address" → ADD)
    sw.timeout = timeout  # setTimeout() would round to whole seconds
    sw.addCustomHttpHeader("Prefer", f"wait={max(1, int(timeout))}")
    cred = credentials()
    if cred:
        sw.setCredentials(*cred)
    if graph:
        sw.addDefaultGraph(graph)
    codes = {
        QueryBadFormed: 400,
        Unauthorized: 401,
        EndPointNotFound: 404,
        URITooLong: 414,
        EndPointInternalError: 500,
    }

    def send() -> tuple[bytes, str]:
        deadline = time.monotonic() + timeout
        try:
            result = sw.query()
        except tuple(codes) as exc:
            body = str(exc).split("Response:", 1)[1].strip() if "Response:" in str(exc) else ""
            if body[:2] in ("b'", 'b"'):  # SPARQLWrapper shows the body as a bytes literal
                with contextlib.suppress(ValueError, SyntaxError):
                    body = ast.literal_eval(body).decode("utf-8", "replace")
            raise _http_error(url, codes[type(exc)], body) from None
        except SPARQLWrapperException as exc:
            raise EndpointError(f"{url}: {_one_line(str(exc))}") from None
        with result.response as response:
            return read_bounded(response, url, deadline), response.headers.get("Content-Type", "")

    body, media = with_retries(url, send)
    return parse_results(url, body, media)


CANCELLED = "The SPARQL operation has been cancelled"  # what Oxigraph appends when it cuts off


def parse_results(url: str, body: bytes, media_type: str) -> tuple[list[str], list[dict]]:
    """SPARQL results (JSON, XML or TSV, by media type) → names and rows of pyoxigraph terms.

    The whole answer is parsed inside the ``try``: the rows are read lazily, so an answer that
    breaks off after a valid head (Oxigraph's own ``--timeout-s`` sends HTTP 200, a head, some
    rows and then ``The SPARQL operation has been cancelled``) is an EndpointError like any other
    unreadable answer, never a traceback and never a partial result.
    """
    fmt = ox.QueryResultsFormat.from_media_type(media_type.split(";")[0].strip()) or (
        ox.QueryResultsFormat.JSON
    )
    try:
        solutions = ox.parse_query_results(body, format=fmt)
        if isinstance(solutions, (bool, ox.QueryBoolean)):
            raise EndpointError(f"{url}: geen SELECT-resultaat / not a SELECT result")
        names = [v.value for v in solutions.variables]
        rows = [{n: row[n] for n in names} for row in solutions]
    except (SyntaxError, ValueError, TypeError, OSError) as exc:
        if CANCELLED.encode() in body[-4096:]:
            raise EndpointError(
                f"{url}: het endpoint brak de query af (tijdslimiet van de server?) / the endpoint "
                "cancelled the query (server time limit?); geen (gedeeltelijk) resultaat getoond "
                "/ no (partial) result shown"
            ) from None
        raise EndpointError(
            f"{url}: onleesbaar antwoord / unreadable answer ({_one_line(str(exc))})"
        ) from None
    return names, rows


# ---- named queries ---------------------------------------------------------------------------------


def resolve_municipality(
    url: str, name: str, *, graph: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> ox.NamedNode:
    """The IRI of the municipality called ``name`` on the endpoint (name bound as a literal)."""
    # joined on ?wanted by the trailing VALUES block (a FILTER would run before that join)
    wanted = {"wanted": ox.Literal(name.strip().lower())}
    _, rows = select(url, _MUNICIPALITY + values_clause(wanted), graph=graph, timeout=timeout)
    found = [r["g"] for r in rows if isinstance(r.get("g"), ox.NamedNode)]
    if not found:
        message = f"onbekende gemeente / unknown municipality: {name!r} (op / at {url})"
        try:
            known = known_municipalities(url, graph=graph, timeout=timeout)
        except EndpointError:  # the list is a courtesy; the error is the unknown name
            raise InputError(message) from None
        listed = ", ".join(known[:MAX_LISTED]) + (" …" if len(known) > MAX_LISTED else "")
        raise InputError(
            f"{message}. "
            + (
                f"Bekend / known: {listed}"
                if known
                else "Het endpoint kent geen gemeenten / "
                "the endpoint knows no municipalities (andere --graph? / another --graph?)"
            )
        )
    return found[0]


def known_municipalities(
    url: str, *, graph: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> list[str]:
    """The Dutch names of the municipalities on the endpoint, sorted (for a message)."""
    _, rows = select(url, _KNOWN, graph=graph, timeout=timeout)
    names = {r["n"].value for r in rows if isinstance(r.get("n"), ox.Literal)}
    return sorted(names, key=lambda n: (n.casefold(), n))


def run_remote(
    endpoint: str,
    query: NamedQuery,
    params: dict[str, str] | None = None,
    *,
    graph: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[list[str], list[dict]]:
    """Run a named query on a SPARQL 1.1 endpoint: (variable names, rows of pyoxigraph terms).

    The rows look exactly like :func:`ggsr_kg.queries.run`'s, so ``ggsr_kg.output.render`` works
    the same. ``graph`` is sent as ``default-graph-uri`` (for data loaded with ``--graph``).

    >>> from ggsr_kg.queries import find_query
    >>> names, rows = run_remote("http://127.0.0.1:7878", find_query("rollen"),
    ...                          {"gemeente": "Almere"})  # doctest: +SKIP
    """
    url = endpoint_urls(endpoint).query
    params = dict(params or {})
    gemeente = params.pop("gemeente", None)
    bindings = bind_params(None, query, params)
    if gemeente is not None:
        bind_params(None, query, {"gemeente": gemeente})  # same check of the parameter name
        bindings["gemeente"] = resolve_municipality(url, gemeente, graph=graph, timeout=timeout)
    return select(url, with_values(query.text, bindings), graph=graph, timeout=timeout)
