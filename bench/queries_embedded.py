"""Time every named query on the shipped data: embedded Oxigraph (pyoxigraph) vs rdflib's engine.

Each query runs with the parameters of its ``# @example`` line, bound as RDF terms in both engines
(Oxigraph substitutions / a VALUES block; rdflib ``initBindings``). Loading, inference and the
municipality lookup are done once, outside the timings. Median of 5 runs per engine.

    python bench/queries_embedded.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import statistics
import sys
import time
from importlib.metadata import version

import pyoxigraph as ox
import rdflib

try:
    import ggsr_kg  # noqa: F401
except ModuleNotFoundError:  # run from a source checkout without installing
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))

from ggsr_kg.graph import KnowledgeGraph  # noqa: E402
from ggsr_kg.queries import bind_params, named_queries, values_clause  # noqa: E402

SLOW = 30.0  # seconds: after one run slower than this, an engine is not run again for that query


def example_params(query) -> dict[str, str]:
    """The ``--param`` values of the query's first example line."""
    if not query.examples:
        return {}
    words = shlex.split(query.examples[0])
    params = {}
    for i, w in enumerate(words):
        if w == "--param" and i + 1 < len(words):
            name, _, value = words[i + 1].partition("=")
            params[name] = value
    return params


def to_rdflib(term: ox.Term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return rdflib.Literal(term.value)  # rdflib keeps "x" and "x"^^xsd:string apart
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(term)


def timed(fn, runs: int) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        n = fn()
        times.append(time.perf_counter() - start)
        if times[-1] > SLOW:
            break
    return statistics.median(times), n


def machine() -> str:
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
        ram_text = f"{ram:.1f} GiB RAM"
    except (ValueError, OSError, AttributeError):
        ram_text = "RAM unknown"
    return (
        f"{platform.platform()}; {platform.processor() or platform.machine()}; "
        f"{os.cpu_count()} cores; {ram_text}\n"
        f"Python {platform.python_version()}; pyoxigraph {version('pyoxigraph')}; "
        f"rdflib {version('rdflib')}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)

    start = time.perf_counter()
    kg = KnowledgeGraph.default()
    load_ox = time.perf_counter() - start
    start = time.perf_counter()
    g = kg.to_rdflib()
    load_rdflib = time.perf_counter() - start

    print(machine())
    print(
        f"{len(kg)} quads in Oxigraph (incl. {kg.inferred} inferred), {len(g)} triples in rdflib; "
        f"load+infer {load_ox:.2f} s, copy to rdflib {load_rdflib:.2f} s; median of {args.runs} runs\n"
    )
    header = f"{'query':36s} {'parameters':28s} {'rows':>5s} {'oxigraph ms':>12s} {'rdflib ms':>10s} {'×':>6s}"
    print(header)
    print("-" * len(header))
    failures: dict[str, str] = {}
    for name, q in named_queries().items():
        params = example_params(q)
        bindings = bind_params(kg, q, params)
        subs = {ox.Variable(k): v for k, v in bindings.items()}
        projected = all(f"?{k}" in q.text.split("WHERE")[0] for k in bindings)
        text = q.text if projected else q.text + values_clause(bindings)

        def run_ox(text=text, subs=subs if projected else {}):
            return len(
                list(kg.store.query(text, use_default_graph_as_union=True, substitutions=subs))
            )

        init = {k: to_rdflib(v) for k, v in bindings.items()}

        def run_rdflib(text=q.text, init=init):
            return len(list(g.query(text, initBindings=init)))

        t_ox, n_ox = timed(run_ox, args.runs)
        shown = " ".join(f"{k}={v}" for k, v in params.items()) or "-"
        try:
            t_rl, n_rl = timed(run_rdflib, args.runs)
        except Exception as exc:  # noqa: BLE001 - rdflib fails on some valid queries
            failures[name] = f"{type(exc).__name__}: {exc}"
            print(f"{name:36s} {shown[:28]:28s} {n_ox:>5d} {t_ox * 1000:12.1f} {'error':>10s}")
            continue
        rows = f"{n_ox}" if n_ox == n_rl else f"{n_ox}≠{n_rl}"
        print(
            f"{name:36s} {shown[:28]:28s} {rows:>5s} {t_ox * 1000:12.1f} {t_rl * 1000:10.1f} "
            f"{t_rl / t_ox if t_ox else float('inf'):6.0f}"
        )
    print("\n≠: rdflib returned a different number of rows than Oxigraph.")
    for name, why in failures.items():
        print(f"error in rdflib, {name}: {why[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
