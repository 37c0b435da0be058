"""Named SPARQL queries (queries/*.rq) and how user values are bound into them.

A query file starts with a header of ``#`` lines: the question in Dutch and English, then
``# @param name: description`` lines and ``# @example ggsr-kg query …``. Values given with
``--param name=value`` are turned into RDF terms and pre-bound — never pasted into the text:
``gemeente`` is looked up by name (or CBS code) and bound as the municipality's IRI, ``jaar`` as an
xsd:integer, a value in ``<…>`` as an IRI, anything else as a plain string literal.

A query that reads only what one municipality's networks reach says so with ``# @partitie``: given
``gemeente``, it runs on that municipality's partition (:meth:`KnowledgeGraph.partition`) instead
of the whole store. Oxigraph evaluates a sub-select over the whole store even when the row it
joins is bound, so a query that orders its lists in sub-selects would otherwise take as long for
one municipality as for the country. tests/test_queries.py checks, for every such query and every
shipped municipality, that the partition gives the same rows as the whole store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, printable
from .graph import KnowledgeGraph
from .resources import resource_dir
from .sparqltext import where_group

XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
RESULTS_GRAPH = "https://w3id.org/ggsr/graph/validatie"  # ggsr_kg.store.RESULTS_GRAPH
_PARAM = re.compile(r"^#\s*@param\s+(\w+)\s*:?\s*(.*)$")
_EXAMPLE = re.compile(r"^#\s*@example\s+(.*)$")
_PARTITION = re.compile(r"^#\s*@partitie\b")
_STORED = re.compile(r"^#\s*@opgeslagen\b")
_NAME = re.compile(r"^[A-Za-z0-9_]+$")


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    description: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    partitioned: bool = False  # ``# @partitie``: one municipality's answer reads its partition
    stored: bool = False  # ``# @opgeslagen``: a store keeps its whole answer (ggsr_kg.answers)

    @property
    def is_check(self) -> bool:
        """``*-violation`` queries must return no rows."""
        return self.name.endswith("-violation")

    @property
    def needs_results(self) -> bool:
        """The query reads the stored validation results (a persistent store, ggsr_kg.store)."""
        return f"<{RESULTS_GRAPH}>" in self.text


def parse_query_file(path: Path) -> NamedQuery:
    from .rdfio import read_bytes  # refuses missing, empty, huge and non-UTF-8 files with the place

    text = read_bytes(path).decode("utf-8").removeprefix("\ufeff")
    q = NamedQuery(name=path.stem, path=path, text=text)
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        if m := _PARAM.match(line):
            q.params[m.group(1)] = m.group(2).strip()
        elif m := _EXAMPLE.match(line):
            q.examples.append(m.group(1).strip())
        elif _PARTITION.match(line):
            q.partitioned = True
        elif _STORED.match(line):
            q.stored = True
        else:
            q.description.append(line.lstrip("#").strip())
    return q


def named_queries() -> dict[str, NamedQuery]:
    root = resource_dir("queries")
    return {p.stem: parse_query_file(p) for p in sorted(root.glob("*.rq"))}


def find_query(name_or_file: str, *, allow_service: bool = False) -> NamedQuery:
    """A named query, or a .rq file given by path. A file passes :func:`ggsr_kg.sparqlguard.check`
    first: nested too deeply, a SERVICE (unless ``allow_service``) or an update (``LOAD``,
    ``DROP``, …) is refused before any engine sees it."""
    path = Path(name_or_file)
    if name_or_file.endswith(".rq"):
        from .rdfio import check_file
        from .sparqlguard import check

        check_file(path)  # missing, a folder, a FIFO or device, empty, too big: each its own line
        query = parse_query_file(path)
        if is_update(query.text):
            raise InputError(
                f"{path}: dit is een SPARQL Update; alleen SELECT-queries / this is a SPARQL "
                "Update; only SELECT queries are run"
            )
        refusal = check(query.text, allow_service)
        if refusal is not None:
            where = f"{path}:{refusal.line}:{refusal.column}" if refusal.line else str(path)
            hint = (
                "; --service-toestaan staat het toe / --allow-service permits it"
                if refusal.kind == "service"
                else ""
            )
            raise InputError(f"{where}: {refusal.message}{hint}")
        return query
    queries = named_queries()
    if name_or_file not in queries:
        raise InputError(
            f"onbekende query / unknown query: {name_or_file!r}. "
            f"Beschikbaar / available: {', '.join(sorted(queries))}"
        )
    return queries[name_or_file]


_PROLOGUE = re.compile(r"\s*(?:#[^\n]*\n?\s*|(?:PREFIX\s+[^\s:]*:\s*|BASE\s*)<[^>]*>\s*)*", re.I)
_UPDATE = re.compile(r"(?:INSERT|DELETE|DROP|CLEAR|LOAD|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)


def is_update(text: str) -> bool:
    """True when ``text`` (after comments and PREFIX/BASE lines) starts as a SPARQL Update."""
    start = _PROLOGUE.match(text.removeprefix("\ufeff"))
    return bool(_UPDATE.match(text.removeprefix("\ufeff"), start.end() if start else 0))


def parse_params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not _NAME.match(name.strip()):
            raise InputError(
                f"parameter {pair!r} heeft niet de vorm naam=waarde / is not of the form name=value"
            )
        out[name.strip()] = value
    return out


def bind_params(
    kg: KnowledgeGraph | None, query: NamedQuery, params: dict[str, str]
) -> dict[str, ox.Term]:
    """User words → RDF terms. ``kg`` resolves municipality names (None: bind the name literally)."""
    unknown = set(params) - set(query.params)
    if unknown:
        accepted = ", ".join(sorted(query.params)) or "geen / none"
        raise InputError(
            f"query '{query.name}' kent parameter(s) {', '.join(sorted(unknown))} niet / "
            f"does not accept them. Parameters: {accepted}"
        )
    return {name: to_term(kg, name, value) for name, value in params.items()}


def to_term(kg: KnowledgeGraph | None, name: str, value: str) -> ox.Term:
    if name == "gemeente" and kg is not None:
        return kg.municipality(value)
    if name == "jaar":
        if not re.fullmatch(r"[0-9]{4}", value.strip()):  # ASCII digits: \d also takes '٢٠١٤'
            raise InputError(f"jaar {value!r} is geen jaartal / is not a year (bijv. 2014)")
        if kg is not None:
            _known_year(kg, int(value.strip()))
        return ox.Literal(value.strip(), datatype=XSD_INTEGER)
    if value.startswith("<") and value.endswith(">"):
        try:
            return ox.NamedNode(value[1:-1])
        except ValueError as exc:
            raise InputError(
                f"{value!r} is geen geldige IRI / not a valid IRI: {printable(str(exc))}"
            ) from None
    try:
        return ox.Literal(value)
    except ValueError:  # e.g. undecodable bytes on the command line (lone surrogates)
        raise InputError(
            f"parameter {name}: {value!r} is geen geldige tekst (UTF-8) / not valid text"
        ) from None


def _known_year(kg: KnowledgeGraph, year: int) -> None:
    """Refuse a year in which no approach state (ggsr:Netwerk) has data, listing those that do."""
    if "peiljaren" not in kg.cache:
        rows = kg.select("SELECT DISTINCT ?j WHERE { ?n a ggsr:Netwerk ; ggsr:peiljaar ?j }")
        kg.cache["peiljaren"] = sorted(
            {int(r["j"].value) for r in rows if re.fullmatch(r"[+-]?[0-9]+", r["j"].value)}
        )
    years = kg.cache["peiljaren"]
    if year not in years:
        raise InputError(
            f"geen aanpak in {year} / no approach in {year}. "
            f"Jaren met gegevens / years with data: {', '.join(map(str, years)) or '-'}"
        )


_SPARQL_POSITION = re.compile(r"error at (\d+):(\d+)")


def values_clause(bindings: dict[str, ox.Term]) -> str:
    """A VALUES block for the bindings, each value written as an RDF term (N-Triples syntax)."""
    if not bindings:
        return ""
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(str(v) for v in bindings.values())
    return f" VALUES ({names}) {{ ({terms}) }} "


def with_values(query: str, bindings: dict[str, ox.Term]) -> str:
    """The query with a VALUES block of RDF terms at the start of its outer WHERE group, so the
    bindings are visible to every pattern and FILTER of that group."""
    if not bindings:
        return query
    group = where_group(query)  # the scanner's, so a 'WHERE {' in a comment does not count
    if group is None:
        return query + values_clause(bindings)
    at = group[0] + 1
    return query[:at] + values_clause(bindings) + query[at:]


def _scope(kg: KnowledgeGraph, query: NamedQuery, bindings: dict[str, ox.Term]) -> ox.Store:
    """The store to ask: the municipality's partition for a ``@partitie`` query given one."""
    gemeente = bindings.get("gemeente")
    if not query.partitioned or not isinstance(gemeente, ox.NamedNode):
        return kg.store
    networks = [ox.NamedNode(r["netwerk"].value) for r in kg.networks(gemeente)]
    return (kg.partition(networks) if networks else None) or kg.store


def run(
    kg: KnowledgeGraph, query: NamedQuery, params: dict[str, str] | None = None
) -> tuple[list[str], list[dict]]:
    """Run a named query on the embedded store: (variable names, rows of RDF terms).

    Parameters are joined as a VALUES block of RDF terms at the start of the WHERE group (or
    pre-bound by Oxigraph when there is no such group) — never pasted as text.
    """
    bindings = bind_params(kg, query, params or {})
    if query.needs_results and not kg.store.contains_named_graph(ox.NamedNode(RESULTS_GRAPH)):
        raise InputError(
            f"query '{query.name}' leest opgeslagen validatieresultaten: gebruik --store (ggsr-kg "
            "load --store) / reads stored validation results: use --store"
        )
    if query.stored and not bindings and "generation" in kg.cache:
        from .answers import read

        kept = read(kg.cache["generation"], query)  # the whole answer, kept with the store
        if kept is not None:
            return kept
    subs = {ox.Variable(k): v for k, v in bindings.items()}
    store = _scope(kg, query, bindings)
    try:
        if bindings and where_group(query.text) is not None:
            # a VALUES block at the start of the WHERE group: Oxigraph's planner starts from
            # it, where a pre-binding is applied after the plan is made (one municipality of a
            # national store: 0.04 s instead of 0.9 s)
            result = store.query(with_values(query.text, bindings), use_default_graph_as_union=True)
        else:
            result = store.query(query.text, use_default_graph_as_union=True, substitutions=subs)
    except SyntaxError as exc:
        at = _SPARQL_POSITION.search(str(exc))
        where = f"{query.path}:{at.group(1)}:{at.group(2)}" if at else str(query.path)
        detail = " ".join(str(exc).split())  # Oxigraph may list expected tokens over lines
        detail = detail if len(detail) <= 300 else detail[:299] + "…"
        raise InputError(f"{where}: SPARQL-syntaxfout / SPARQL syntax error: {detail}") from None
    except RuntimeError as exc:
        raise InputError(f"{query.path}: {exc}") from None
    if isinstance(result, bool) or not hasattr(result, "variables"):
        raise InputError(f"{query.path}: alleen SELECT-queries / only SELECT queries are supported")
    names = [v.value for v in result.variables]
    return names, [{n: row[n] for n in names} for row in result]
