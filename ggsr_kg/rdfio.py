"""Reading RDF files into the embedded store, with errors that name the file, line and column.

Every file goes into a named graph of its own, so one municipality can be replaced or
re-validated without touching the rest, and every triple keeps the file it came from.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError

GRAPH_BASE = "https://w3id.org/ggsr/graph/"
GGSR_DEF = "https://w3id.org/ggsr/def#"  # the namespace whose terms the ontology must declare
# A bigger file is almost surely a mistake. The synthetic national file (ggsr-kg synth
# --gemeenten 3420: 3.7 M quads with their evidence) is 650 MB; a file per municipality is the
# way to hold real data.
MAX_FILE_BYTES = 1024 * 1024 * 1024
MAX_FILE_QUADS = 5_000_000  # quads one user file may hold (the national data: 1.4 M in total)
LIST_QUADS = 1_000_000  # a file parsed once is held as a list up to this many, then streamed
MAX_TERM_BYTES = 16 * 1024 * 1024  # Oxigraph's parser refuses a longer literal or IRI
# the years a network state (ggsr:peiljaar) can have: those of the framework, as in the quality
# shape shg:NetwerkKwaliteit (shapes/kwaliteit.ttl) and the workbook import
FIRST_YEAR, LAST_YEAR = 2000, 2030
PEILJAAR = GGSR_DEF + "peiljaar"

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
}
_POSITION = re.compile(r"line (\d+) (?:column|between columns) (\d+)")
_BOM = b"\xef\xbb\xbf"


def graph_name(path: Path, root: Path | None = None) -> ox.NamedNode:
    """The named graph a file is loaded into: stable for shipped files, per path for others."""
    if root is not None:
        try:
            return ox.NamedNode(GRAPH_BASE + path.resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            pass
    return ox.NamedNode(path.resolve().as_uri())


def check_file(path: Path) -> int:
    """The size of a file that exists, is a regular file, not empty and not too big."""
    with open_regular(path) as f:
        return os.fstat(f.fileno()).st_size


def open_regular(path: Path):
    """``path`` opened for reading if it is a regular file that is not empty and not too big.

    Opened first and then inspected (``fstat``), so that what is checked is what is read; and
    without blocking, so that a FIFO is refused instead of waited on. A device (``/dev/zero``,
    also behind a symlink), a FIFO or a socket is "not a regular file"; a sparse file of 6 GB is
    too big by its size, before a byte is read."""
    try:
        if path.is_dir():
            raise InputError(f"{path}: is een map, geen bestand / is a directory, not a file")
        if not path.exists() and not path.is_symlink():
            raise InputError(f"{path}: bestand bestaat niet / file does not exist")
        if not stat.S_ISREG(os.stat(path).st_mode):  # a socket cannot even be opened
            raise InputError(_not_regular(path))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except (OSError, ValueError) as exc:  # e.g. a NUL byte in the name, no permission, a loop
        raise InputError(
            f"{str(path)!r}: bestand niet te lezen / cannot read file ({exc})"
        ) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # swapped since the stat: check what was opened
        os.close(fd)
        raise InputError(_not_regular(path))
    size = info.st_size
    if size == 0:
        os.close(fd)
        raise InputError(f"{path}: bestand is leeg / file is empty")
    if size > MAX_FILE_BYTES:
        os.close(fd)
        raise InputError(
            f"{path}: bestand is te groot ({size} bytes, maximum {MAX_FILE_BYTES}) / file too large"
        )
    return os.fdopen(fd, "rb")


def _not_regular(path: Path) -> str:
    return (
        f"{path}: geen gewoon bestand (apparaat, FIFO of socket) / not a regular file "
        "(a device, FIFO or socket)"
    )


def read_bytes_raw(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file (see :func:`open_regular`), at most ``limit`` of them."""
    try:
        with open_regular(path) as f:
            # read(n) allocates n bytes at once: ask for what the file holds (plus one, to see
            # a file that grew past the limit), not for the limit
            data = f.read(min(limit, os.fstat(f.fileno()).st_size) + 1)
    except OSError as exc:
        raise InputError(
            f"{path}: bestand niet te lezen / cannot read file ({exc.strerror})"
        ) from None
    if len(data) > limit:
        raise InputError(f"{path}: bestand is te groot (maximum {limit} bytes) / file too large")
    return data


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """File content, refusing what is not there, not a regular file, empty, too big or not UTF-8
    — with the place. At most ``limit`` bytes are read, whatever the file claims."""
    data = read_bytes_raw(path, limit)
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


def check_utf8_stream(path: Path, chunk: int = 1 << 20) -> None:
    """Like the UTF-8 check of :func:`read_bytes`, a megabyte at a time (for big files)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    done, line, line_start = 0, 1, 0
    with path.open("rb") as f:
        while block := f.read(chunk):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                at = exc.start
                line += block.count(b"\n", 0, at)
                last = block.rfind(b"\n", 0, at)
                column = at - last if last >= 0 else done + at - line_start + 1
                raise InputError(
                    f"{path}:{line}:{column}: geen geldige UTF-8 (byte 0x{block[at]:02x}) / "
                    "not valid UTF-8"
                ) from None
            line += block.count(b"\n")
            last = block.rfind(b"\n")
            if last >= 0:
                line_start = done + last + 1
            done += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise InputError(
                f"{path}: onvolledig UTF-8-teken aan het eind / truncated UTF-8"
            ) from None


def iter_file(path: Path, verify: bool = True) -> Iterator[ox.Quad]:
    """The quads of an RDF file as a stream, never all in memory: a national file of millions of
    quads costs a second parse instead of a gigabyte. Errors as :func:`parse_file`; ``verify``
    False skips the file and UTF-8 checks for a second pass over a file already checked."""
    fmt = rdf_format(path)
    if verify:
        check_file(path)
        check_utf8_stream(path)
    with open_regular(path) as f:
        if f.read(len(_BOM)) != _BOM:
            f.seek(0)
        yield from bounded(path, ox.parse(f, format=fmt, base_iri=path.resolve().as_uri()))


def bounded(path: Path, quads: Iterator[ox.Quad]) -> Iterator[ox.Quad]:
    """The parser's quads, counted as they come: more than :data:`MAX_FILE_QUADS` (a file of 10 MB
    can hold a collection of millions), a term over :data:`MAX_TERM_BYTES` or a syntax error is an
    InputError naming the file — before memory grows, not after."""
    n = 0
    try:
        for q in quads:
            n += 1
            if n > MAX_FILE_QUADS:
                raise InputError(
                    f"{path}: meer dan {MAX_FILE_QUADS} triples in één bestand / more than "
                    f"{MAX_FILE_QUADS} triples in one file; splits het bestand / split the file"
                )
            yield q
    except SyntaxError as exc:
        raise InputError(_syntax_message(path, exc)) from None
    except MemoryError:  # Oxigraph's buffer limit for one token
        raise InputError(
            f"{path}: een literal of IRI is langer dan {MAX_TERM_BYTES} bytes (na triple {n}) / "
            f"a literal or IRI is longer than {MAX_TERM_BYTES} bytes (after triple {n})"
        ) from None


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
    return add_quads(store, parse_file(path), graph)


def parse_file(path: Path, at_most: int | None = None) -> list[ox.Quad] | None:
    """All quads of an RDF file (a UTF-8 byte-order mark is skipped); InputError with the place.
    None when there are more than ``at_most`` (the caller streams the file instead)."""
    data = read_bytes(path)
    fmt = rdf_format(path)
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    out = []
    for q in bounded(path, ox.parse(data, format=fmt, base_iri=path.resolve().as_uri())):
        out.append(q)
        if at_most is not None and len(out) > at_most:
            return None
    return out


def add_quads(store: ox.Store, quads: Iterable[ox.Quad], graph: ox.NamedNode) -> int:
    """Write parsed quads; triples of the default graph go into ``graph``."""
    count = 0

    def placed():
        nonlocal count
        for q in quads:
            count += 1
            yield (
                q
                if not isinstance(q.graph_name, ox.DefaultGraph)
                else ox.Quad(q.subject, q.predicate, q.object, graph)
            )

    store.bulk_extend(placed())
    return count


def _syntax_message(path: Path, exc: SyntaxError) -> str:
    text = " ".join(str(exc).split())  # one line, whatever the parser says
    match = _POSITION.search(text)
    if match:
        line, column = match.groups()
    else:
        line, column = (exc.lineno or 0), (exc.offset or 0)
    return f"{path}:{line}:{column}: syntaxfout / syntax error: {text}"


# ---- checks on user-supplied data ----------------------------------------------------------------

_INTEGER_TYPES = {
    "http://www.w3.org/2001/XMLSchema#" + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RDFS_LITERAL = "http://www.w3.org/2000/01/rdf-schema#Literal"
_LEXICAL = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false|1|0"),
    _XSD + "date": re.compile(r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?"),
    _XSD + "gYear": re.compile(r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?"),
}


def short(iri: str) -> str:
    """``ggsr:X`` for a term of our namespace, ``xsd:Y`` for XML Schema, else ``<iri>``."""
    if iri.startswith(GGSR_DEF):
        return "ggsr:" + iri[len(GGSR_DEF) :]
    if iri.startswith(_XSD):
        return "xsd:" + iri[len(_XSD) :]
    if iri == _RDF_LANGSTRING:
        return "rdf:langString"
    return f"<{iri}>"


def locate(data: bytes, *patterns: str | re.Pattern) -> tuple[int, int] | None:
    """Line and column (1-based) of the first of ``patterns`` (text or regex) found in the file."""
    text = data.decode("utf-8", "replace")
    for pattern in patterns:
        if not pattern:
            continue
        if isinstance(pattern, re.Pattern):
            m = pattern.search(text)
            at = m.start() if m else -1
        else:
            at = text.find(pattern)
        if at >= 0:
            line = text.count("\n", 0, at) + 1
            return line, at - (text.rfind("\n", 0, at) + 1) + 1
    return None


def _place(path: Path, data: bytes, *patterns: str | re.Pattern) -> str:
    found = locate(data, *patterns)
    return f"{path}:{found[0]}:{found[1]}" if found else str(path)


def _namespace_pattern(iri: str) -> re.Pattern:
    """Where a namespace that ``iri`` starts with is written (e.g. its ``@prefix`` line)."""
    return re.compile("|".join(f"<{re.escape(iri[:i])}>" for i in range(len(iri), 7, -1)))


def _term_pattern(iri: str) -> re.Pattern:
    """The term written as ``<iri>`` or as a prefixed name ``p:local`` (any prefix)."""
    local = re.escape(iri[len(GGSR_DEF) :])
    return re.compile(rf"<{re.escape(iri)}>|(?<![\w.:-])(?:[A-Za-z_][\w.-]*)?:{local}(?![\w-])")


def check_user_quads(
    path: Path,
    quads: Iterable[ox.Quad],
    declared: set[str] | frozenset[str],
    ranges: Mapping[str, str],
    data: bytes | None = None,
) -> None:
    """Refuse user data that the ontology does not cover, naming the file, place and node.

    - every term of our namespace (``ggsr:``) must be declared in the ontology (a typo such as
      ``ggsr:Netwerkk`` would otherwise silently produce an empty scorecard);
    - the value of a datatype property must be a literal of its ``rdfs:range``: a year is an
      ``xsd:integer`` (``"tweeduizend"`` and ``"2014"^^xsd:date`` are refused), a text with
      range ``rdf:langString`` carries a language tag, ``xsd:string`` carries none;
    - named graphs of the project (``https://w3id.org/ggsr/graph/…``: ontology, inferences) are
      reserved, so a TriG file cannot add to or overwrite them.
    """

    def text() -> bytes:  # read only to name the place of an error, not on the happy path
        return data if data is not None else read_bytes(path)

    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(GRAPH_BASE):
            raise InputError(
                f"{_place(path, text(), q.graph_name.value)}: graaf <{q.graph_name.value}> is "
                "gereserveerd voor ontologie en afleidingen / this graph name is reserved"
            )
        for term in (q.subject, q.predicate, q.object):
            if (
                isinstance(term, ox.NamedNode)
                and term.value.startswith(GGSR_DEF)
                and term.value not in declared
            ):
                raise InputError(_undeclared(path, text(), term.value, declared))
        wanted = ranges.get(q.predicate.value)
        if wanted is not None:
            problem = _range_problem(q.object, wanted)
            if problem:
                obj = q.object
                needle = f'"{obj.value}"' if isinstance(obj, ox.Literal) else obj.value
                prop = q.predicate.value
                where = _place(path, text(), needle, _term_pattern(prop), _namespace_pattern(prop))
                raise InputError(
                    f"{where}: "
                    f"verkeerd datatype / wrong datatype: {_node(q.subject)} "
                    f"{short(q.predicate.value)} {obj} — {problem}"
                )
        if q.predicate.value == PEILJAAR and isinstance(q.object, ox.Literal):
            problem = _year_problem(q.object)
            if problem:
                value = re.escape(q.object.value.strip())
                term = _term_pattern(PEILJAAR).pattern
                written = re.compile(rf"(?:{term})\s+\"?\s*{value}(?![0-9])")
                where = _place(path, text(), written, _term_pattern(PEILJAAR))
                raise InputError(
                    f"{where}: jaar buiten bereik / year out of range: "
                    f"{_node(q.subject)} ggsr:peiljaar {q.object.value.strip()} — {problem}"
                )


def check_loaded(
    store: ox.Store,
    graphs: set[str],
    declared: set[str] | frozenset[str],
    ranges: Mapping[str, str],
) -> bool:
    """True when the quads of ``graphs``, already in ``store`` (a staging store, or a store the
    caller discards), break a rule of :func:`check_user_quads`. The same rules, asked as a few
    queries instead of quad by quad in Python; the caller then reads the file again with
    :func:`check_user_quads` to name the place."""
    if any(g.startswith(GRAPH_BASE) for g in graphs):
        return True
    terms = store.query(
        f"""SELECT DISTINCT ?t WHERE {{ GRAPH ?g {{ {{ ?t ?p ?o }} UNION {{ ?s ?t ?o }} UNION
             {{ ?s ?p ?t }} }} FILTER(isIRI(?t) && STRSTARTS(STR(?t), "{GGSR_DEF}")) }}"""
    )
    if any(row["t"].value not in declared for row in terms):
        return True
    for prop, wanted in ranges.items():
        for q in store.quads_for_pattern(None, ox.NamedNode(prop), None):
            if q.graph_name.value in graphs and _range_problem(q.object, wanted):
                return True
    for q in store.quads_for_pattern(None, ox.NamedNode(PEILJAAR), None):
        in_file = q.graph_name.value in graphs
        if in_file and isinstance(q.object, ox.Literal) and _year_problem(q.object):
            return True
    return False


def _year_problem(obj: ox.Literal) -> str | None:
    """Why a ggsr:peiljaar is not a year of the framework (None when it is, or is no integer:
    that is the datatype check's to say)."""
    try:
        year = int(obj.value.strip())
    except ValueError:
        return None
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return (
        f"een toestand van een netwerk ligt in {FIRST_YEAR}–{LAST_YEAR} / a network state lies "
        f"in {FIRST_YEAR}–{LAST_YEAR}"
    )


def _node(term: ox.Term) -> str:
    return f"<{term.value}>" if isinstance(term, ox.NamedNode) else str(term)


def _undeclared(path: Path, data: bytes, iri: str, declared) -> str:
    local = iri[len(GGSR_DEF) :]
    ours = [t[len(GGSR_DEF) :] for t in declared if t.startswith(GGSR_DEF)]
    close = difflib.get_close_matches(local, ours, n=1)
    hint = f" — bedoeld / did you mean ggsr:{close[0]}?" if close else ""
    where = _place(path, data, _term_pattern(iri), _namespace_pattern(iri))
    return (
        f"{where}: onbekende term / undeclared term "
        f"{short(iri)}: niet gedeclareerd in de ontologie / not declared in the ontology{hint}"
    )


def _range_problem(obj: ox.Term, wanted: str) -> str | None:
    """Why ``obj`` does not fit the range ``wanted`` (None when it does)."""
    if not isinstance(obj, ox.Literal):
        return f"verwacht een literal ({short(wanted)}), geen IRI of knoop / expected a literal"
    if wanted == _RDFS_LITERAL:
        return None
    if wanted == _RDF_LANGSTRING:
        return (
            None
            if obj.language
            else 'verwacht tekst met taal, bijv. "…"@nl / expected a language tag'
        )
    got = obj.datatype.value
    if wanted == _XSD + "integer" and got in _INTEGER_TYPES:
        got = wanted
    if got != wanted:
        return f"verwacht / expected {short(wanted)}, gevonden / found {short(got)}"
    pattern = _LEXICAL.get(wanted)
    if pattern is not None and not pattern.fullmatch(obj.value.strip()):
        return f"'{obj.value}' is geen geldige {short(wanted)} / not a valid {short(wanted)}"
    return None
