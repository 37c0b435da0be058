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
    t = time.perf_counter(); store = ox.Store(); store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
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


def startup(runs: int) -> tuple[float, float]:
    """Median wall time of ``ggsr-kg doorzettingsmacht`` on the shipped data, and of
    ``python -c "import rdflib"``, both as fresh processes."""
    import time

    def wall(cmd: list[str]) -> float:
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=REPO)
        return time.perf_counter() - t

    ours = [sys.executable, "-m", "ggsr_kg.cli", "doorzettingsmacht"]
    anchor = [sys.executable, "-c", "import rdflib"]
    wall(ours)  # warm the file cache; every later run sees the same disk state
    return (
        statistics.median(wall(ours) for _ in range(runs)),
        statistics.median(wall(anchor) for _ in range(runs)),
    )


def targets(rows: dict[int, dict], start: tuple[float, float]) -> list[tuple[str, str, bool]]:
    """The issue's targets, each as (target, measured, met)."""
    out = []

    def add(name: str, measured: str, met: bool) -> None:
        out.append((name, measured, met))

    if 342 in rows:
        r = rows[342]
        add(
            "validatie N=342 ≤ 10 × ox-parse",
            f"{r['validate'] / r['parse']:.1f} ×",
            r["validate"] <= 10 * r["parse"],
        )
        if r["pyshacl"] is not None:
            ratio = r["pyshacl"] / r["validate"]
            add("≥ 25 × sneller dan pySHACL (N=342)", f"{ratio:.0f} ×", ratio >= 25)
        else:
            ratio = r["pyshacl_bound"] / r["validate"]
            add(
                "≥ 25 × sneller dan pySHACL (N=342)",
                f"> {ratio:.0f} × (pySHACL > bound)",
                ratio >= 25,
            )
        for q in ("doorzettingsmacht", "escalatiepad"):
            if r.get("rdflib_" + q):
                x = r["rdflib_" + q] / r[q]
                add(f"{q}: ≥ 10 × sneller dan rdflib (N=342)", f"{x:.0f} ×", x >= 10)
            y = r[q] / r["ox_" + q]
            add(f"{q}: ≤ 3 × pyoxigraph direct (N=342)", f"{y:.1f} ×", y <= 3)
    small, big = min(rows), max(rows)
    if big >= 10 * small:
        a, b = rows[small]["validate_one"], rows[big]["validate_one"]
        add(
            f"1 gemeente: N={big} ≤ 1.5 × N={small}, < 0.5 s",
            f"{b / a:.2f} × ({b:.3f} s)",
            b <= 1.5 * a and b < 0.5,
        )
        add(
            f"piekgeheugen N={big} ≤ 2 GB",
            f"{rows[big]['peak_mb']:.0f} MB",
            rows[big]["peak_mb"] <= 2048,
        )
    ours, anchor = start
    add(
        "opstart doorzettingsmacht ≤ 3 × import rdflib",
        f"{ours / anchor:.1f} × ({ours:.2f} s / {anchor:.2f} s)",
        ours <= 3 * anchor,
    )
    return out


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
    ap.add_argument(
        "--anchors-up-to",
        type=int,
        default=342,
        help="run the rdflib and pySHACL anchors only up to this N (rdflib holds a 3.5 M-triple "
        "graph in several GB; the targets compare at N = 342)",
    )
    ap.add_argument(
        "--per-shape",
        action="store_true",
        help="only the time of each constraint at two sizes (default 342 and 3420), flagging any "
        "that grows more than linearly (bench/scale.py)",
    )
    args = ap.parse_args()
    if args.per_shape:
        sizes = args.sizes if args.sizes != [10, 100, 342, 3420] else [342, 3420]
        cmd = [sys.executable, str(Path(__file__).with_name("scale.py")), "--per-shape-only"]
        return subprocess.call([*cmd, "--sizes", *map(str, sizes), "--runs", str(args.runs)])
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
        "ox esc",
        "peak MB",
    ]
    rows = []
    figures: dict[int, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            # N-Quads with a graph per municipality, as a file per municipality would be
            path = Path(tmp) / f"synth-{n}.nq"
            generate(n, seed=1).write(path)
            parse = [measure("parse", path) for _ in range(args.runs)]
            ours = [measure("ours", path) for _ in range(args.runs)]
            oxq = [measure("oxq", path) for _ in range(args.runs)]
            anchors = n <= args.anchors_up_to
            rdfl = [measure("rdflib", path, args.rdflib_bound)] if anchors else [{}]
            shacl = [measure("pyshacl", path, args.pyshacl_bound)] if anchors else [{}]
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
                    "–"
                    if not anchors
                    else f(p)
                    if p is not None
                    else f"> {args.pyshacl_bound:.0f}s",
                    "–"
                    if not anchors
                    else f"{p / v:.0f}×"
                    if p
                    else f"> {args.pyshacl_bound / v:.0f}×",
                    f"{v / par:.1f}×",
                    f(median(ours, "validate_one")),
                    f(median(ours, "doorzettingsmacht")),
                    f(median(ours, "escalatiepad")),
                    f(median(rdfl, "rdflib_doorzettingsmacht")) if anchors else "–",
                    f(median(rdfl, "rdflib_escalatiepad")) if anchors else "–",
                    f(median(oxq, "ox_doorzettingsmacht")),
                    f(median(oxq, "ox_escalatiepad")),
                    f"{max(r['peak_mb'] for r in ours):.0f}",
                ]
            )
            print(" | ".join(rows[-1]), flush=True)
            figures[n] = {
                "parse": par,
                "validate": v,
                "pyshacl": p,
                "pyshacl_bound": args.pyshacl_bound,
                "validate_one": median(ours, "validate_one"),
                "peak_mb": max(r["peak_mb"] for r in ours),
                **{q: median(ours, q) for q in ("doorzettingsmacht", "escalatiepad")},
                **{
                    f"ox_{q}": median(oxq, f"ox_{q}") for q in ("doorzettingsmacht", "escalatiepad")
                },
                **{
                    f"rdflib_{q}": median(rdfl, f"rdflib_{q}")
                    for q in ("doorzettingsmacht", "escalatiepad")
                },
            }
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print()
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    print()
    print("| doel / target | gemeten / measured | gehaald / met |")
    print("|---|---|---|")
    for name, measured, met in targets(figures, startup(args.runs)):
        print(f"| {name} | {measured} | {'ja / yes' if met else 'NEE / no'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
