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

import base64
import email.utils
import os
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
ENV_USER = "GGSR_SPARQL_USER"
ENV_PASSWORD = "GGSR_SPARQL_PASSWORD"

_sleep = time.sleep  # replaced in tests
T = TypeVar("T")

_MUNICIPALITY = """PREFIX ggsr: <https://w3id.org/ggsr/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?g WHERE { ?g a ggsr:Gemeente .
  { ?g rdfs:label ?n } UNION { ?g ggsr:officieleNaam ?n } UNION { ?g ggsr:cbsCode ?n }
  BIND(LCASE(STR(?n)) AS ?wanted) }"""


@dataclass(frozen=True)
class Endpoint:
    """The three URLs of one SPARQL service."""

    query: str
    update: str
    store: str


def endpoint_urls(url: str, update: str | None = None, store: str | None = None) -> Endpoint:
    """Query, update and Graph Store URLs for an endpoint address (see the module docstring)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"'{url}' is geen http(s)-adres / is not an http(s) URL")
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
            raise EndpointError(
                f"{url}: SPARQL-endpoint niet bereikbaar / unreachable ({_one_line(str(exc.reason))})"
            ) from None
        except TimeoutError:
            raise _timeout_error(url) from None
        except ConnectionError as exc:
            raise EndpointError(
                f"{url}: verbinding verbroken / connection failed ({_one_line(str(exc))})"
            ) from None


def _timeout_error(url: str) -> EndpointError:
    return EndpointError(f"{url}: geen antwoord binnen de tijdslimiet / timed out")


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
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 - http(s) only
            return response.status, response.read()

    return with_retries(url, send)


# ---- SELECT via SPARQLWrapper -----------------------------------------------------------------------


def select(
    url: str, text: str, *, graph: str | None = None, timeout: float = DEFAULT_TIMEOUT
) -> tuple[list[str], list[dict]]:
    """Run a SELECT on ``url`` (the query URL): (variable names, rows of pyoxigraph terms)."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import (
        EndPointInternalError,
        EndPointNotFound,
        QueryBadFormed,
        SPARQLWrapperException,
        Unauthorized,
        URITooLong,
    )

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
        try:
            result = sw.query()
        except tuple(codes) as exc:
            body = str(exc).split("Response:", 1)[1] if "Response:" in str(exc) else ""
            raise _http_error(url, codes[type(exc)], body) from None
        except SPARQLWrapperException as exc:
            raise EndpointError(f"{url}: {_one_line(str(exc))}") from None
        with result.response as response:
            return response.read(), response.headers.get("Content-Type", "")

    body, media = with_retries(url, send)
    return parse_results(url, body, media)


def parse_results(url: str, body: bytes, media_type: str) -> tuple[list[str], list[dict]]:
    """SPARQL results (JSON, XML or TSV, by media type) → names and rows of pyoxigraph terms."""
    fmt = ox.QueryResultsFormat.from_media_type(media_type.split(";")[0].strip()) or (
        ox.QueryResultsFormat.JSON
    )
    try:
        solutions = ox.parse_query_results(body, format=fmt)
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(
            f"{url}: onleesbaar antwoord / unreadable answer ({_one_line(str(exc))})"
        ) from None
    if isinstance(solutions, (bool, ox.QueryBoolean)):
        raise EndpointError(f"{url}: geen SELECT-resultaat / not a SELECT result")
    names = [v.value for v in solutions.variables]
    return names, [{n: row[n] for n in names} for row in solutions]


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
        raise InputError(f"onbekende gemeente / unknown municipality: '{name}' (op / at {url})")
    return found[0]


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
