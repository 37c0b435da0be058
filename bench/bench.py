"""National-scale benchmark: prints a table of load, validation, incremental validation, queries and
peak memory for N synthetic municipalities, with the anchors measured in the same run.

    python bench/bench.py                      # N = 10, 100, 342, 3420; 3 runs each
    python bench/bench.py --sizes 10 100 --runs 3 --pyshacl-bound 120

Each measurement runs in a fresh subprocess (so peak memory is that of the measured work alone);
figures are medians over --runs. Anchors: pyoxigraph's raw parse of the same file (the floor for
reading the data), stock pySHACL on the whole graph with the same shapes (stopped at a time bound),
and rdflib's own SPARQL engine on the same queries.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent  # run from a checkout without installing
sys.path.insert(0, str(REPO))

WORKER = r"""
import json, resource, sys, time
from pathlib import Path
task, path, extra = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
out = {}
if task == "parse":
    import pyoxigraph as ox
    t = time.perf_counter(); store = ox.Store(); store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    out["parse"] = time.perf_counter() - t; out["triples"] = len(store)
elif task == "ours":
    from ggsr_kg.graph import KnowledgeGraph
    from ggsr_kg.queries import find_query, run
    from ggsr_kg.validation import validate
    t = time.perf_counter(); kg = KnowledgeGraph.default(data=[path]); out["load"] = time.perf_counter() - t
    t = time.perf_counter(); results = validate(kg); out["validate"] = time.perf_counter() - t
    out["results"] = len(results)
    nets = kg.networks()
    one = [n["netwerk"] for n in nets if n["gemeente"] == nets[len(nets) // 2]["gemeente"]]
    t = time.perf_counter(); validate(kg, focus=one); out["validate_one"] = time.perf_counter() - t
    for name in ("doorzettingsmacht", "escalatiepad"):
        q = find_query(name)
        t = time.perf_counter(); _, rows = run(kg, q, {}); out[name] = time.perf_counter() - t
        out[name + "_rows"] = len(rows)
elif task == "rdflib":
    from ggsr_kg.graph import KnowledgeGraph
    from ggsr_kg.queries import find_query
    kg = KnowledgeGraph.default(data=[path]); g = kg.to_rdflib()
    for name in ("doorzettingsmacht", "escalatiepad"):
        q = find_query(name)
        t = time.perf_counter(); n = len(list(g.query(q.text))); out["rdflib_" + name] = time.perf_counter() - t
elif task == "oxq":
    import pyoxigraph as ox
    from ggsr_kg.graph import KnowledgeGraph
    from ggsr_kg.queries import find_query
    kg = KnowledgeGraph.default(data=[path])
    for name in ("doorzettingsmacht", "escalatiepad"):
        q = find_query(name)
        t = time.perf_counter(); list(kg.store.query(q.text, use_default_graph_as_union=True)); out["ox_" + name] = time.perf_counter() - t
elif task == "pyshacl":
    from ggsr_kg.graph import KnowledgeGraph
    from ggsr_kg.validation import validate_pyshacl
    kg = KnowledgeGraph.default(data=[path])
    t = time.perf_counter(); validate_pyshacl(kg); out["pyshacl"] = time.perf_counter() - t
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def measure(task: str, path: Path, timeout: float | None = None) -> dict | None:
    try:
        proc = subprocess.run(
            [sys.executable, "-c", WORKER, task, str(path), ""],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def median(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if r and key in r]
    return statistics.median(values) if values else None


def machine() -> str:
    import pyoxigraph
    import pyshacl
    import rdflib

    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {mem_gb:.0f} GiB; "
        f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, "
        f"rdflib {rdflib.__version__}, pySHACL {pyshacl.__version__}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 342, 3420])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--pyshacl-bound", type=float, default=300.0, help="seconds before pySHACL is stopped"
    )
    ap.add_argument("--rdflib-bound", type=float, default=300.0)
    args = ap.parse_args()
    from ggsr_kg.synth import generate

    print(f"Machine: {machine()}")
    header = [
        "N",
        "triples",
        "ox parse",
        "load+infer",
        "validate",
        "pySHACL",
        "×pySHACL",
        "val/parse",
        "1 gemeente",
        "dzm",
        "esc",
        "rdflib dzm",
        "rdflib esc",
        "ox dzm",
        "peak MB",
    ]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"synth-{n}.nt"
            generate(n, seed=1).write(path)
            parse = [measure("parse", path) for _ in range(args.runs)]
            ours = [measure("ours", path) for _ in range(args.runs)]
            oxq = [measure("oxq", path) for _ in range(args.runs)]
            rdfl = [measure("rdflib", path, args.rdflib_bound)]
            shacl = [measure("pyshacl", path, args.pyshacl_bound)]
            v = median(ours, "validate")
            p = median(shacl, "pyshacl")
            par = median(parse, "parse")

            def f(x, unit="s"):
                return (
                    "> bound" if x is None else (f"{x:.3f}{unit}" if x < 10 else f"{x:.1f}{unit}")
                )

            rows.append(
                [
                    str(n),
                    str(parse[0]["triples"]),
                    f(par),
                    f(median(ours, "load")),
                    f(v),
                    f(p) if p is not None else f"> {args.pyshacl_bound:.0f}s",
                    f"{p / v:.0f}×" if p else f"> {args.pyshacl_bound / v:.0f}×",
                    f"{v / par:.1f}×",
                    f(median(ours, "validate_one")),
                    f(median(ours, "doorzettingsmacht")),
                    f(median(ours, "escalatiepad")),
                    f(median(rdfl, "rdflib_doorzettingsmacht")),
                    f(median(rdfl, "rdflib_escalatiepad")),
                    f(median(oxq, "ox_doorzettingsmacht")),
                    f"{max(r['peak_mb'] for r in ours):.0f}",
                ]
            )
            print(" | ".join(rows[-1]), flush=True)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print()
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
