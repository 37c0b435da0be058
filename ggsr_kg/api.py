"""The Python API in three calls: load the graph, ask a named query, get a table.

>>> from ggsr_kg import api
>>> kg = api.load()
>>> rows = api.query(kg, "rollen", gemeente="Almere")
>>> sorted({r["functie"] for r in rows})[:2]  # doctest: +SKIP
['brandpuntfunctionaris', 'procescoördinator']
>>> api.query_df(kg, "verwijsindex").head()  # doctest: +SKIP

Parameters are the query's ``# @param`` names (see ``ggsr-kg query --lijst``); values may be
strings or numbers (``jaar=2014``) and are bound as RDF terms, never pasted into the query.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .graph import KnowledgeGraph
from .output import plain
from .queries import find_query, run

__all__ = ["KnowledgeGraph", "load", "query", "query_df"]


def load(data: Iterable[str | Path] | None = None, infer: bool = True) -> KnowledgeGraph:
    """Ontology and framework, plus the shipped data (or the given Turtle/TriG files).

    >>> kg = load()                                    # shipped data, with inference
    >>> kg = load(["mijn-gemeente.ttl"], infer=False)  # doctest: +SKIP
    """
    files = None if data is None else [Path(p) for p in data]
    return KnowledgeGraph.default(data=files, infer=infer)


def query(kg: KnowledgeGraph, name: str, **params: object) -> list[dict]:
    """Run a named query (or a ``.rq`` path); rows as dicts of plain Python values.

    IRIs become strings, numbers int/float, booleans bool, unbound values None.

    >>> kg = load()
    >>> [r["functie"] for r in query(kg, "doorzettingsmacht", gemeente="Almere")
    ...  if r["doorzettingsmacht"]]  # doctest: +SKIP
    ['brandpuntfunctionaris']
    """
    named = find_query(name)
    names, rows = run(kg, named, {k: str(v) for k, v in params.items()})
    return [{n: plain(r.get(n)) for n in names} for r in rows]


def query_df(kg: KnowledgeGraph, name: str, **params: object):
    """Like :func:`query`, as a pandas DataFrame (columns in the query's order).

    Needs pandas (``pip install pandas``); it is not a dependency of ggsr-kg.

    >>> df = query_df(load(), "netwerkpartners", gemeente="Emmen", jaar=2013)  # doctest: +SKIP
    >>> df.groupby("soort").size()  # doctest: +SKIP
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(
            "query_df heeft pandas nodig / needs pandas: pip install pandas "
            "(of gebruik / or use api.query for plain rows)"
        ) from exc
    named = find_query(name)
    names, rows = run(kg, named, {k: str(v) for k, v in params.items()})
    return pd.DataFrame([[plain(r.get(n)) for n in names] for r in rows], columns=names)
