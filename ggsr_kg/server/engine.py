"""The query engine of ``ggsr-kg serve``: runs in worker processes, each with the store opened
read-only.

A worker answers one query at a time: the guard first (:func:`ggsr_kg.sparqlguard.check`: nesting,
SERVICE, updates), then pyoxigraph over the union of the named graphs, the answer serialised into a
buffer that refuses to grow beyond ``max_bytes``, and its rows counted with pyoxigraph's parsers
(more than ``max_rows`` is refused, never cut short). A worker is a process of its own because
pyoxigraph cannot cancel a query: the server kills a worker whose query outlives the time limit,
and a worker that crashes takes no one else with it (see docs/server.md).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pyoxigraph as ox

_store: ox.Store | None = None

RESULT_TYPES = {  # SELECT and ASK
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {  # CONSTRUCT and DESCRIBE
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class Answer:
    """What the server sends: status, media type, body, and a note for its log line."""

    status: int
    media_type: str
    body: bytes
    note: str = ""


def open_store(location: str) -> None:
    """Worker initialiser: open the store read-only and import the parser before the first query."""
    global _store
    import signal

    from . import guard_warmup

    # pebble's own SIGTERM handler is Python and waits for the query (Rust) to return; a worker
    # whose query outlived the time limit must stop at once
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _store = ox.Store.read_only(location)
    guard_warmup()


class TooLarge(Exception):
    pass


class _Bounded(io.RawIOBase):
    """A write-only buffer that raises :class:`TooLarge` beyond ``limit`` bytes, so the
    serialiser stops as soon as an answer is too large instead of after building it whole."""

    def __init__(self, limit: int):
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.size += len(b)
        if self.size > self.limit:
            raise TooLarge
        self.parts.append(bytes(b))
        return len(b)


def _choose(accept: str, table: dict, default: str) -> str:
    """The first media type of ``accept`` (by q-value, then order) that ``table`` knows."""
    wanted = []
    for i, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        wanted.append((-q, i, media.lower()))
    for _, _, media in sorted(wanted):
        if media in table:
            return media
    return default


def answer(
    text: str,
    accept: str,
    default_graphs: list[str],
    max_rows: int,
    max_bytes: int,
    timeout: int,
) -> Answer:
    """Run one query (in a worker) and give the answer or a refusal of one line."""
    from ..sparqlguard import check

    refusal = check(text)
    if refusal is not None:
        where = (
            f" (regel / line {refusal.line}, kolom / column {refusal.column})"
            if refusal.line
            else ""
        )
        return _line(refusal.status, refusal.message + where)
    kwargs: dict = {"use_default_graph_as_union": True}
    if default_graphs:
        kwargs = {"default_graph": [ox.NamedNode(g) for g in default_graphs]}
    try:
        result = _store.query(text, **kwargs)
        if isinstance(result, ox.QueryTriples):
            media = _choose(accept, GRAPH_TYPES, "text/turtle")
            fmt = GRAPH_TYPES[media]
        else:
            media = _choose(accept, RESULT_TYPES, "application/sparql-results+json")
            fmt = RESULT_TYPES[media]
        out = _Bounded(max_bytes)
        result.serialize(out, format=fmt)
    except SyntaxError as exc:
        return _line(400, "SPARQL-syntaxfout / SPARQL syntax error: " + " ".join(str(exc).split()))
    except TooLarge:
        return _line(
            500,
            f"antwoord groter dan {max_bytes} bytes / answer larger than {max_bytes} bytes (de "
            "resultaatlimiet van deze server / this server's result limit); gebruik LIMIT (en "
            "OFFSET) / use LIMIT (and OFFSET)",
        )
    except (OSError, RuntimeError, ValueError) as exc:
        return _line(500, "fout van de query-engine / engine error: " + " ".join(str(exc).split()))
    body = b"".join(out.parts)
    rows = count_rows(body, media, max_rows)
    if rows > max_rows:
        return _line(
            500,
            f"meer dan {max_rows} rijen / more than {max_rows} rows (de resultaatlimiet van deze "
            "server / this server's result limit); gebruik LIMIT (en OFFSET) / use LIMIT (and "
            "OFFSET)",
        )
    charset = "; charset=utf-8" if media.startswith("text/") or "json" in media else ""
    return Answer(200, media + charset, body, f"{rows} rijen / rows")


def _line(status: int, text: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (text + "\n").encode("utf-8"), text)


def count_rows(payload: bytes, media: str, limit: int) -> int:
    """Rows of a SPARQL result (or triples of a graph), counted up to ``limit`` + 1."""
    if media in RESULT_TYPES and media not in ("text/csv",):
        solutions = ox.parse_query_results(payload, format=RESULT_TYPES[media])
        if isinstance(solutions, (bool, ox.QueryBoolean)):
            return 1
        return _upto(solutions, limit)
    if media == "text/csv":
        text = io.StringIO(payload.decode("utf-8"), newline="")
        return max(0, _upto(csv.reader(text), limit + 1) - 1)  # minus the header
    return _upto(ox.parse(payload, format=GRAPH_TYPES[media]), limit)


def _upto(items, limit: int) -> int:
    n = 0
    for _ in items:
        n += 1
        if n > limit:
            break
    return n
