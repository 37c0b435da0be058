"""Stored answers: the whole-store answer of a named query marked ``# @opgeslagen``, kept with a
persistent store (ggsr_kg/store.py) and brought up to date on every change.

The answer for the whole country of ``doorzettingsmacht`` takes Oxigraph about 12 s on a store of
3,420 municipalities; one municipality, on its partition, well under a second. So the store
computes the whole answer once when it is built, and on every change computes again only the
networks the change can reach — the same networks whose validation results it renews — on their
partition, as ``--gemeente`` does, and puts their rows in their place. A query without
parameters on a store then reads the stored answer (in the generation's folder, so it changes
with the store in the same atomic switch). Tests hold the stored answer equal to the query run
afresh, after a build and after every kind of change.

A stored query projects ``?netwerk`` and orders its rows by network first: its final ORDER BY
starts with variables that are the same for all rows of a network, up to ``?netwerk``.

Kept as SPARQL 1.1 Query Results JSON (``antwoorden/<name>.srj``), with the digest of the query
text: an answer of another version of the query is never used.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .queries import NamedQuery, named_queries

FOLDER = "antwoorden"
_NETWORK = "netwerk"
_ORDER = re.compile(r"ORDER\s+BY\s+((?:\?\w+\s*)+)\s*$", re.I)
_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#" + t
    for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte")
}


def stored_queries() -> list[NamedQuery]:
    return [q for q in named_queries().values() if q.stored]


def _path(gen: Path, query: NamedQuery) -> Path:
    return gen / FOLDER / f"{query.name}.srj"


def _digest(query: NamedQuery) -> str:
    return hashlib.sha256(query.text.encode("utf-8")).hexdigest()[:32]


def network_order(query: NamedQuery) -> list[str]:
    """The variables that order the networks: the final ORDER BY up to ``?netwerk``."""
    m = _ORDER.search(query.text.strip())
    names = [v.lstrip("?") for v in m.group(1).split()] if m else []
    if _NETWORK not in names:
        raise ValueError(f"{query.path}: @opgeslagen zonder ORDER BY … ?{_NETWORK}")
    return names[: names.index(_NETWORK) + 1]


def _sort_key(binding: dict, names: list[str]) -> tuple:
    """SPARQL's order for the values stored queries order by, on a row of SPARQL JSON results:
    unbound first, numbers by value, other terms by their text (all one kind per variable)."""
    key = []
    for n in names:
        t = binding.get(n)
        if t is None:
            key.append((0, 0.0, ""))
            continue
        if t.get("datatype") in _NUMERIC:
            try:
                key.append((1, float(t["value"]), ""))
                continue
            except ValueError:
                pass
        key.append((2, 0.0, t["value"]))
    return tuple(key)


def _answer(store: ox.Store, query: NamedQuery) -> tuple[list[str], list[dict]]:
    """The query's answer on ``store`` as SPARQL JSON (variables, bindings), in Oxigraph's own
    serialisation."""
    result = store.query(query.text, use_default_graph_as_union=True)
    body = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
    return body["head"]["vars"], body["results"]["bindings"]


def compute(store: ox.Store, gen: Path) -> None:
    """Every stored query's whole answer on ``store``, written into the generation ``gen``."""
    for query in stored_queries():
        _write(gen, query, *_answer(store, query))


def refresh(
    kg, old_gen: Path, gen: Path, affected: Iterable[str], alive: list[ox.NamedNode]
) -> None:
    """The stored answers of ``old_gen`` carried into ``gen`` with the rows of the ``affected``
    networks computed again (``alive``: those still in the store) on their partition. Worked on
    as JSON rows, not as RDF terms: a change re-reads and re-writes the country's answer (14,323
    rows at 3,420 municipalities)."""
    affected = set(affected)
    wanted = {n.value for n in alive}
    scope = None
    for query in stored_queries():
        kept = _kept(old_gen, query)
        if kept is None:  # none stored (an older store) or another version of the query
            _write(gen, query, *_answer(kg.store, query))
            continue
        body = json.loads(kept.read_text(encoding="utf-8"))
        names, rows = body["head"]["vars"], body["results"]["bindings"]
        rows = [r for r in rows if _network(r) not in affected]
        if alive:
            scope = scope or kg.partition(alive) or kg.store
            new_names, fresh = _answer(scope, query)
            if new_names != names:
                raise ValueError(f"{query.path}: andere variabelen / other variables")
            rows += [r for r in fresh if _network(r) in wanted]
        order = network_order(query)
        rows.sort(key=lambda r: _sort_key(r, order))  # stable: within a network, as queried
        _write(gen, query, names, rows)


def _network(row: dict) -> str | None:
    return row.get(_NETWORK, {}).get("value")


def _kept(gen: Path, query: NamedQuery) -> Path | None:
    """The file of the stored answer of ``query`` in generation ``gen``, when it is of this
    version of the query."""
    path = _path(gen, query)
    try:
        head = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return path if head.get("digest") == _digest(query) else None


def read(gen: Path, query: NamedQuery) -> tuple[list[str], list[dict]] | None:
    """The stored answer of ``query`` in generation ``gen`` as RDF terms (as
    :func:`ggsr_kg.queries.run` gives them); None when there is none for this version of the
    query."""
    path = _kept(gen, query)
    if path is None:
        return None
    result = ox.parse_query_results(path=str(path), format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in result.variables]
    return names, [{n: row[n] for n in names} for row in result]


def _write(gen: Path, query: NamedQuery, names: list[str], rows: list[dict]) -> None:
    folder = gen / FOLDER
    folder.mkdir(exist_ok=True)
    path = _path(gen, query)
    body = {"head": {"vars": names}, "results": {"bindings": rows}}
    # written into a generation that is not live yet: the switch of the store makes it visible
    path.write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    path.with_suffix(".json").write_text(
        json.dumps({"query": query.name, "digest": _digest(query), "rows": len(rows)}),
        encoding="utf-8",
    )
