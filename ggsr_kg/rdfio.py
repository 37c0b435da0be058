"""Reading RDF files into the embedded store, with errors that name the file, line and column.

Every file goes into a named graph of its own, so one municipality can be replaced or
re-validated without touching the rest, and every triple keeps the file it came from.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError

GRAPH_BASE = "https://w3id.org/ggsr/graph/"
MAX_FILE_BYTES = 512 * 1024 * 1024  # a bigger file is almost surely a mistake (and would not fit)

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
}
_POSITION = re.compile(r"line (\d+) column (\d+)")


def graph_name(path: Path, root: Path | None = None) -> ox.NamedNode:
    """The named graph a file is loaded into: stable for shipped files, per path for others."""
    if root is not None:
        try:
            return ox.NamedNode(GRAPH_BASE + path.resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            pass
    return ox.NamedNode(path.resolve().as_uri())


def read_bytes(path: Path) -> bytes:
    """File content, refusing what is not there, empty, too big or not UTF-8 — with the place."""
    if not path.is_file():
        raise InputError(f"{path}: bestand bestaat niet / file does not exist")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path}: bestand is leeg / file is empty")
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"{path}: bestand is te groot ({size} bytes, maximum {MAX_FILE_BYTES}) / file too large"
        )
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"{path}:{line}:{column}: geen geldige UTF-8 (byte 0x{data[exc.start]:02x}) / "
            "not valid UTF-8"
        ) from None
    return data


def rdf_format(path: Path) -> ox.RdfFormat:
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise InputError(
            f"{path}: onbekend RDF-formaat '{path.suffix}' (bekend: {known}) / unknown RDF format"
        ) from None


def load_file(store: ox.Store, path: Path, graph: ox.NamedNode) -> int:
    """Parse ``path`` into ``graph`` of ``store``; return the number of quads added.

    The file is parsed completely before anything is written, so a syntax error leaves the store
    as it was.
    """
    data = read_bytes(path)
    fmt = rdf_format(path)
    try:
        quads = list(ox.parse(data, format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        raise InputError(_syntax_message(path, exc)) from None
    store.bulk_extend(
        ox.Quad(
            q.subject,
            q.predicate,
            q.object,
            graph if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name,
        )
        for q in quads
    )
    return len(quads)


def _syntax_message(path: Path, exc: SyntaxError) -> str:
    text = str(exc)
    match = _POSITION.search(text)
    if match:
        line, column = match.groups()
    else:
        line, column = (exc.lineno or 0), (exc.offset or 0)
    return f"{path}:{line}:{column}: syntaxfout / syntax error: {text}"
