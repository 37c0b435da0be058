"""The targets of issue 18 (national scale, persistent store), measured in one run.

    python bench/scale.py                       # N = 10, 342, 3420; 3 runs each
    python bench/scale.py --sizes 10 342 --runs 3
    python bench/bench.py --per-shape           # only the per-constraint table (two sizes)

Every figure is a fresh subprocess, median of --runs with min–max; the anchors are measured in the
same run: pyoxigraph's raw parse of the same file (in memory) and ``python -c "import pyoxigraph"``.
Printed with the date, machine and load average, since the machine may be shared.

- load+infer: KnowledgeGraph.default on the national file (ontology, checks, inference), in memory;
- store load: ``ggsr-kg load --store`` as a whole process (parse, infer, validate, write to disk),
  built in memory (``--bouw geheugen``, what auto picks on this machine) and on disk (``--bouw
  schijf``), each with its own peak memory (wait4);
- validate: the fast engine (the evidence rules over all networks, decided per network); per
  indicator too (the time of its rules' patterns), flagged when it grows more than linearly (its time ratio between two sizes above the size ratio × 1.25, and above 20 ms);
- dzm / validate 1: ``ggsr-kg doorzettingsmacht --store`` and ``ggsr-kg validate --store
  --gemeente X``, fresh processes (whole wall time);
- replace: ``store.replace`` of one municipality's file (a changed copy of its graph) and its
  results read back, in a process that has the store open;
- endpoint: ``validate --endpoint`` against an Oxigraph server on 127.0.0.1 vs embedded, at 342.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

WORKER = r"""
import json, resource, sys, time
from pathlib import Path
task, path, extra = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
out = {}
if task == "parse":
    import pyoxigraph as ox
    t = time.perf_counter(); s = ox.Store(); s.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    out["parse"] = time.perf_counter() - t; out["triples"] = len(s)
elif task == "memory":
    from ggsr_kg import rules
    from ggsr_kg.graph import KnowledgeGraph
    from ggsr_kg.namespaces import sparql_prologue
    from ggsr_kg.shapes import framework_shapes
    from ggsr_kg.validation import validate
    framework_shapes(); rule_list = rules.load_rules()  # parsed before the clock starts
    # as KnowledgeGraph.default(data=[path]) does it, in two timed steps (default(infer=False)
    # would derive what each fact rests on once without and again with the inferred types)
    t = time.perf_counter(); kg = KnowledgeGraph(_owns_store=True); kg.load_sources([path]); out["load"] = time.perf_counter() - t
    t = time.perf_counter(); kg.infer(); out["infer"] = time.perf_counter() - t
    t = time.perf_counter(); validate(kg); out["validate"] = time.perf_counter() - t
    per, prologue = {}, sparql_prologue()
    for rule in rule_list:  # per indicator: the time of its rules' patterns over all networks
        t = time.perf_counter(); list(rules._run(kg.store, prologue, rules.match_query(rule), None))
        key = rule.indicator.rsplit("#", 1)[-1]
        per[key] = per.get(key, 0) + time.perf_counter() - t
    out["per_shape"] = per
elif task == "replace":
    from ggsr_kg import store
    import pyoxigraph as ox
    st, newfile = Path(extra.split("|")[0]), Path(extra.split("|")[1])
    t = time.perf_counter(); change = store.replace(st, newfile)
    kg = store.open_graph(st)
    nets = [ox.NamedNode(n) for n in change.revalidated]
    res = store.stored_results(kg, nets)
    out["replace"] = time.perf_counter() - t; out["results"] = len(res)
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def work(task: str, path: Path, extra: str = "") -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, task, str(path), extra],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def wall(cmd: list[str]) -> float:
    return wall_peak(cmd)[0]


def wall_peak(cmd: list[str]) -> tuple[float, float]:
    """Wall time of ``cmd`` as a whole process, and its peak resident memory in MB (its own, read
    with wait4, not the maximum over every child this script ran)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)}: exit {proc.returncode}: {proc.stderr.read().decode()}"
        )
    return elapsed, usage.ru_maxrss / 1024


def stats(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def fmt(v: tuple[float, float, float] | None, unit: str = "s") -> str:
    if v is None:
        return "–"
    med, lo, hi = v
    f = (lambda x: f"{x:.3f}") if med < 10 else (lambda x: f"{x:.1f}")
    return f"{f(med)}{unit} ({f(lo)}–{f(hi)})"


def header() -> str:
    import pyoxigraph
    import rdflib

    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{datetime.datetime.now().isoformat(timespec='minutes')}; "
        f"{platform.machine()}, {os.cpu_count()} cores, {mem_gb:.0f} GiB; load average {load}; "
        f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, "
        f"rdflib {rdflib.__version__}"
    )


def one_municipality(national: Path, out: Path) -> Path:
    """A changed copy of the middle municipality's graph (its label edited), as its own file."""
    import pyoxigraph as ox

    quads = list(ox.parse(path=str(national), format=ox.RdfFormat.N_QUADS))
    graphs = sorted({q.graph_name.value for q in quads if "synth-" in q.graph_name.value})
    g = graphs[len(graphs) // 2]
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    mine = [
        ox.Quad(
            q.subject, q.predicate, ox.Literal(q.object.value + " *", language="nl"), q.graph_name
        )
        if q.predicate == label and isinstance(q.object, ox.Literal) and q.object.language == "nl"
        else q
        for q in quads
        if q.graph_name.value == g
    ]
    out.write_bytes(ox.serialize(mine, format=ox.RdfFormat.N_QUADS))
    return out


def per_shape_table(per: dict[int, dict[str, list[float]]], parse: dict[int, float]) -> list[str]:
    """Per-constraint medians (min–max) at the two largest sizes. A constraint is flagged
    when its growth (of the fastest run, the least disturbed by a shared machine) exceeds 1.25×
    the growth of the data itself — measured as the growth of the raw parse, which takes in the
    memory and cache effects of a ten times bigger store — and it takes more than 20 ms."""
    small, big = sorted(per)[-2:] if len(per) > 1 else (min(per), max(per))  # the two largest
    reference = parse[big] / parse[small] if parse.get(small) and parse.get(big) else big / small
    rows = []
    for shape in sorted(per[big], key=lambda s: -statistics.median(per[big][s])):
        a, b = per[small][shape], per[big][shape]
        grow = min(b) / min(a) if min(a) > 0 else float("inf")
        flag = "ABOVE LINEAR" if grow > 1.25 * reference and min(b) > 0.02 else ""
        rows.append(
            f"| {shape.rsplit('#', 1)[-1]} | {fmt(stats(a))} | {fmt(stats(b))} | {grow:.1f}× | {flag} |"
        )
    head = f"| constraint | N={small} | N={big} | growth (min) | data growth (parse) {reference:.1f}× |"
    return [head, "|---|---|---|---|---|", *rows]


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 342, 3420])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--per-shape-only", action="store_true")
    ap.add_argument("--endpoint-at", type=int, default=342)
    ap.add_argument("--een-gemeente", nargs=2, metavar=("NATIONAL", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.een_gemeente:  # a step of the run, in a process of its own
        one_municipality(Path(args.een_gemeente[0]), Path(args.een_gemeente[1]))
        return 0

    print(f"Run: {header()}", flush=True)
    ggsr = [sys.executable, "-m", "ggsr_kg.cli"]
    fig: dict[int, dict] = {}
    per: dict[int, dict[str, list[float]]] = {}
    tmp = Path(tempfile.mkdtemp(prefix="ggsr-scale-"))
    try:
        for n in args.sizes:
            path = tmp / f"synth-{n}.nq"
            # in a process of its own, as every step that holds the data: a child's peak memory
            # (wait4) counts what it shared with this process when it started, so this process
            # must stay small (generating 3,420 municipalities here made it 1.7 GB)
            subprocess.run(
                [*ggsr, "synth", "--gemeenten", str(n), "--seed", "1", "--out", str(path)],
                check=True,
                capture_output=True,
                cwd=REPO,
            )
            f: dict = {}
            mem = [work("memory", path) for _ in range(args.runs)]
            per[n] = {s: [m["per_shape"][s] for m in mem] for s in mem[0]["per_shape"]}
            f["validate"] = stats([m["validate"] for m in mem])
            parse = [work("parse", path) for _ in range(args.runs)]
            f["triples"] = parse[0]["triples"]
            f["parse"] = stats([p["parse"] for p in parse])
            if not args.per_shape_only:
                f["load_infer"] = stats([m["load"] + m["infer"] for m in mem])
                f["infer"] = stats([m["infer"] for m in mem])
                f["peak_mb"] = max(m["peak_mb"] for m in mem)
                st = tmp / f"store-{n}"
                disk = tmp / f"store-{n}-schijf"
                t_disk, f["peak_disk_mb"] = wall_peak(
                    [*ggsr, "load", "--store", str(disk), "--data", str(path), "--bouw", "schijf"]
                )
                shutil.rmtree(disk, ignore_errors=True)
                f["store_load_disk"] = stats([t_disk])
                t_mem, f["peak_build_mb"] = wall_peak(
                    [*ggsr, "load", "--store", str(st), "--data", str(path), "--bouw", "geheugen"]
                )
                f["store_load"] = stats([t_mem])
                name = json.loads(
                    subprocess.run(
                        [*ggsr, "info", "--store", str(st), "--format", "json"],
                        capture_output=True,
                        text=True,
                        check=True,
                        cwd=REPO,
                    ).stdout
                )["gemeenten_met_aanpak"][0]
                wall([*ggsr, "doorzettingsmacht", "--store", str(st)])  # warm the file cache
                dzm = [
                    wall_peak([*ggsr, "doorzettingsmacht", "--store", str(st)])
                    for _ in range(args.runs)
                ]
                f["dzm"] = stats([d[0] for d in dzm])
                f["peak_query_mb"] = max(d[1] for d in dzm)
                f["dzm1"] = stats(
                    [
                        wall([*ggsr, "doorzettingsmacht", "--store", str(st), "--gemeente", name])
                        for _ in range(args.runs)
                    ]
                )
                f["val1"] = stats(
                    [
                        wall([*ggsr, "validate", "--store", str(st), "--gemeente", name])
                        for _ in range(args.runs)
                    ]
                )
                newfile = tmp / f"een-{n}.nq"
                subprocess.run(
                    [
                        sys.executable,
                        str(Path(__file__)),
                        "--een-gemeente",
                        str(path),
                        str(newfile),
                    ],
                    check=True,
                    cwd=REPO,
                )
                rep = [work("replace", path, f"{st}|{newfile}") for _ in range(args.runs)]
                f["replace"] = stats([r["replace"] for r in rep])
                if n == args.endpoint_at:
                    f["endpoint"] = endpoint(path, ggsr, args.runs)
                shutil.rmtree(st, ignore_errors=True)
            fig[n] = f
            print(f"N={n}: " + json.dumps({k: v for k, v in f.items()}), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print("\n".join(per_shape_table(per, {n: fig[n]["parse"][1] for n in fig})))
    if not args.per_shape_only:
        print()
        print_tables(fig)
    return 0


def endpoint(path: Path, ggsr: list[str], runs: int) -> dict | None:
    """validate --endpoint on a local Oxigraph server vs embedded (whole processes)."""
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(exe).exists():
        return None
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import running_oxigraph

    with tempfile.TemporaryDirectory() as loc, running_oxigraph(exe, Path(loc)) as url:
        subprocess.run(
            [*ggsr, "load", "--endpoint", url, "--data", str(path)],
            check=True,
            capture_output=True,
            cwd=REPO,
        )
        remote = [
            wall([*ggsr, "validate", "--endpoint", url, "--format", "json"]) for _ in range(runs)
        ]
        embedded = [
            wall([*ggsr, "validate", "--data", str(path), "--format", "json"]) for _ in range(runs)
        ]
        a = subprocess.run(
            [*ggsr, "validate", "--endpoint", url, "--format", "json"],
            capture_output=True,
            cwd=REPO,
        ).stdout
        b = subprocess.run(
            [*ggsr, "validate", "--data", str(path), "--format", "json"],
            capture_output=True,
            cwd=REPO,
        ).stdout
    return {"remote": stats(remote), "embedded": stats(embedded), "same": a == b}


def print_tables(fig: dict[int, dict]) -> None:
    cols = [
        "N",
        "triples",
        "ox parse",
        "load+infer",
        "(infer)",
        "validate",
        "store load (memory)",
        "store load (disk)",
        "dzm (store)",
        "dzm 1 gem.",
        "validate 1 gem.",
        "replace+recheck",
        "peak MB: in memory / build / build on disk / dzm on store",
    ]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for n, f in fig.items():
        print(
            "| "
            + " | ".join(
                [
                    str(n),
                    str(f["triples"]),
                    fmt(f["parse"]),
                    fmt(f["load_infer"]),
                    fmt(f["infer"]),
                    fmt(f["validate"]),
                    fmt(f["store_load"]),
                    fmt(f["store_load_disk"]),
                    fmt(f["dzm"]),
                    fmt(f["dzm1"]),
                    fmt(f["val1"]),
                    fmt(f["replace"]),
                    f"{f['peak_mb']:.0f} / {f['peak_build_mb']:.0f} / {f['peak_disk_mb']:.0f}"
                    f" / {f['peak_query_mb']:.0f}",
                ]
            )
            + " |"
        )
    print()
    print("| doel / target | gemeten / measured | gehaald / met |")
    print("|---|---|---|")
    sizes = sorted(fig)
    big, small = max(sizes), min(sizes)

    def row(name: str, measured: str, met: bool) -> None:
        print(f"| {name} | {measured} | {'ja / yes' if met else 'NEE / no'} |")

    for n in sizes:
        if n >= 342:
            r = fig[n]["load_infer"][0] / fig[n]["parse"][0]
            row(f"load+inference ≤ 2× raw parse (N={n})", f"{r:.1f}×", r <= 2)
    for n in sizes:
        r = fig[n]["validate"][0] / fig[n]["parse"][0]
        row(f"validation ≤ 1× raw parse (N={n})", f"{r:.2f}×", r <= 1)
    if 342 in fig and big > 342:
        g = fig[big]["validate"][0] / fig[342]["validate"][0]
        row(f"validation grows ≤ 11× from 342 to {big}", f"{g:.1f}×", g <= 11)
    row(
        f"doorzettingsmacht, fresh process on a store of {big}, ≤ 1 s",
        f"{fmt(fig[big]['dzm'])}; one municipality {fmt(fig[big]['dzm1'])}",
        fig[big]["dzm"][0] <= 1,
    )
    row(
        f"validate --gemeente, fresh process on a store of {big}, ≤ 1.5 s",
        fmt(fig[big]["val1"]),
        fig[big]["val1"][0] <= 1.5,
    )
    r = fig[big]["replace"][0] / fig[small]["replace"][0]
    row(
        f"replace + re-check: N={big} ≤ 1.5× N={small}",
        f"{r:.2f}× ({fig[big]['replace'][0]:.3f}s / {fig[small]['replace'][0]:.3f}s)",
        r <= 1.5,
    )
    peaks = {
        "load+infer+validate in memory": fig[big]["peak_mb"],
        "store build in memory": fig[big]["peak_build_mb"],
        "store build on disk": fig[big]["peak_disk_mb"],
        "doorzettingsmacht on the store": fig[big]["peak_query_mb"],
    }
    row(
        f"peak memory N={big} ≤ 1.5 GB",
        "; ".join(f"{k} {v:.0f} MB" for k, v in peaks.items()),
        max(peaks.values()) <= 1536,
    )
    for n in sizes:
        e = fig[n].get("endpoint")
        if e:
            r = e["remote"][0] / e["embedded"][0]
            row(
                f"validate --endpoint = embedded, ≤ 3× (N={n})",
                f"{'same' if e['same'] else 'DIFFERENT'}; {r:.2f}× ({fmt(e['remote'])} / {fmt(e['embedded'])})",
                e["same"] and r <= 3,
            )


if __name__ == "__main__":
    sys.exit(main())
