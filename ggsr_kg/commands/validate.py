"""``ggsr-kg validate``: the scorecard per municipality × approach × year, derived by the shapes."""

from __future__ import annotations

import csv
import io
import json

from ..errors import EXIT_FINDINGS
from ._common import add_data_options, load_graph

SYMBOL = {"voldoet": "✓ voldoet", "verbeterpunt": "✗ verbeterpunt", "onbekend": "? onbekend"}


def add_parser(sub) -> None:
    p = sub.add_parser("validate", help="scorecard van het toetsingskader / framework scorecard")
    p.add_argument("--gemeente", metavar="NAAM")
    p.add_argument("--jaar", type=int, metavar="JJJJ")
    p.add_argument("--format", choices=["text", "json", "csv", "turtle"], default="text")
    p.add_argument("--strict", action="store_true", help="exit 1 als er een verbeterpunt is")
    p.add_argument(
        "--vergelijk-stj", action="store_true", help="afgeleide oordelen naast die van STJ"
    )
    p.add_argument(
        "--engine",
        choices=["snel", "pyshacl", "shapes"],
        default="snel",
        help="snel: de beslisregels op Oxigraph of het endpoint (standaard); pyshacl: de "
        "referentie; shapes: de gecompileerde SHACL-SPARQL-shapes zoals geschreven (met "
        "--endpoint op de server) / snel: the evidence rules (default); pyshacl: the "
        "reference; shapes: the compiled shapes as written (on the server with --endpoint)",
    )
    p.add_argument(
        "--endpoint",
        metavar="URL",
        help="valideer op een SPARQL 1.1-endpoint (gevuld met ggsr-kg load --endpoint) / "
        "validate on a SPARQL 1.1 endpoint holding the graph with its inferences",
    )
    p.add_argument("--graph", metavar="IRI", help="met --endpoint: de graaf met de data")
    p.add_argument("--timeout", type=float, default=None, metavar="S", help="met --endpoint")
    add_data_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..scorecard import compare_with_stj, scorecard
    from ..validation import report_graph, validate, validate_pyshacl

    if args.endpoint:
        from ..remote_validation import endpoint_graph

        kg = endpoint_graph(args)
    else:
        kg = load_graph(args)  # --data passes the privacy guard (exit 2, file and node named)
    gemeente = kg.municipality(args.gemeente) if args.gemeente else None
    networks = kg.networks(gemeente, args.jaar)
    focus = [n["netwerk"] for n in networks] if (gemeente or args.jaar) else None
    if args.endpoint:
        from ..remote_validation import validate_remote, validate_shapes_remote

        remote = validate_shapes_remote if args.engine == "shapes" else validate_remote
        results = remote(kg)
    elif args.engine == "shapes":
        from ..shapes import framework_shapes

        results = validate(kg, framework_shapes(), focus=focus)  # the compiled shapes as written
    elif args.engine == "pyshacl":
        results = validate_pyshacl(kg)
    else:
        results = validate(kg, focus=focus)  # on a store: the results stored with the data
    if focus is not None:
        wanted = {f.value for f in focus}
        results = [r for r in results if r.focus in wanted]
    scores = scorecard(kg, results, networks)

    if args.vergelijk_stj:
        print(format_comparison(compare_with_stj(scores)))
    elif args.format == "json":
        print(json.dumps([s.as_json() for s in scores], ensure_ascii=False, indent=2))
    elif args.format == "csv":
        print(format_csv(scores), end="")
    elif args.format == "turtle":
        # the SHACL report (verbeterpunt, onbekend) and every derived verdict with its reasons
        from ..scorecard import scorecard_graph

        print((report_graph(results) + scorecard_graph(scores)).serialize(format="turtle"))
    else:
        print(format_text(scores))
    if args.strict and any(s.status == "verbeterpunt" for s in scores):
        return EXIT_FINDINGS
    return 0


def format_text(scores) -> str:
    from ..scorecard import criteria_scores, theme_scores

    themes = {(t["netwerk"], t["thema"]): t["status"] for t in theme_scores(scores)}
    crits = {(c["netwerk"], c["criterium"]): c["status"] for c in criteria_scores(scores)}
    lines: list[str] = []
    current = None
    theme = criterion = None
    for s in scores:
        if s.netwerk != current:
            current, theme, criterion = s.netwerk, None, None
            lines += ["", f"== {s.gemeente} — {s.aanpak} — {s.jaar} =="]
        if s.thema != theme:
            theme = s.thema
            lines.append(f"\n{s.thema}  [{SYMBOL[themes[(s.netwerk, s.thema)]]}]")
        if s.criterium != criterion:
            criterion = s.criterium
            lines.append(f"  {s.criterium}  [{SYMBOL[crits[(s.netwerk, s.criterium)]]}]")
        stj = f"  (STJ: {s.stj})" if s.stj else ""
        lines.append(f"    {s.indicator:6s} {SYMBOL[s.status]:15s} [{s.grondslag}] {s.label}{stj}")
        for reason in s.redenen:
            lines.append(f"           – {reason}")
    counts = {k: sum(1 for s in scores if s.status == k) for k in SYMBOL}
    lines.append(
        f"\nTotaal: {counts['voldoet']} voldoet, {counts['verbeterpunt']} verbeterpunt, "
        f"{counts['onbekend']} onbekend"
    )
    return "\n".join(lines).lstrip()


def format_csv(scores) -> str:
    from ..output import spreadsheet_safe

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = [
        "gemeente",
        "aanpak",
        "jaar",
        "indicator",
        "label",
        "thema",
        "criterium",
        "status",
        "grondslag",
        "regel",
        "redenen",
        "feiten",
        "niet_meegeteld",
        "wat_zou_veranderen",
        "stj",
    ]
    w.writerow(cols)
    for s in scores:
        d = s.as_json()
        d["redenen"] = " | ".join(d["redenen"])
        # the deciding facts by label, evidence and source place (never an IRI)
        d["feiten"] = " | ".join(_fact_sentence(f) for f in d["feiten"])
        d["niet_meegeteld"] = " | ".join(d["niet_meegeteld"])
        d["wat_zou_veranderen"] = " | ".join(d["wat_zou_veranderen"])
        w.writerow([spreadsheet_safe(d[c]) if d[c] is not None else "" for c in cols])
    return buf.getvalue()


def _fact_sentence(fact: dict) -> str:
    from ..explain import FactView

    return FactView(
        fact["feit"], fact["label"], fact["grondslag"], fact["bewijs"], fact["bronnen"]
    ).sentence()


BASES = ("document", "praktijk", "verklaring", "bevinding")


def format_comparison(cmp) -> str:
    cells = cmp.cells_by_basis()
    per_basis = cmp.per("grondslag")
    lines = [
        f"STJ-oordelen / recorded verdicts: {cmp.total}",
        f"Te beoordelen uit de gegevens / judgeable: {cmp.judged}; onbekend: {len(cmp.unknown)}",
        f"Overeenstemming / agreement: {cmp.agree}/{cmp.judged} = {cmp.agreement:.1%}",
        "",
        "Per grondslag van het afgeleide oordeel / per basis of the derived verdict:",
    ]
    for basis in BASES:
        agree, judged = per_basis.get(basis, (0, 0))
        share = f" = {agree / judged:.0%}" if judged else ""
        lines.append(f"  {basis:11s} {agree}/{judged}{share}")
    lines.append(f"  {'geen':11s} {len(cmp.unknown)} onbekend")
    lines.append(
        "Cellen met een STJ-oordeel naar grondslag / cells with an STJ verdict by basis: "
        + ", ".join(f"{b} {cells.get(b, 0)}" for b in (*BASES, "geen"))
    )
    firm = cells.get("document", 0) + cells.get("praktijk", 0)
    lines.append(
        f"Rust op documenten of praktijk / rest on documents or practice: {firm} van {cmp.total}"
    )
    lines += ["", "Per gemeente / per municipality:"]
    for name, (agree, judged) in sorted(cmp.per("gemeente").items()):
        lines.append(f"  {name:20s} {agree}/{judged}")
    lines.append("Per indicator:")
    for code, (agree, judged) in sorted(
        cmp.per("indicator").items(), key=lambda kv: [int(x) for x in kv[0].split(".")]
    ):
        lines.append(f"  {code:7s} {agree}/{judged}")
    lines.append("\nAfwijkingen / disagreements:")
    for s in cmp.disagreements:
        lines.append(
            f"  {s.gemeente} {s.jaar} {s.indicator}: afgeleid {s.status} ({s.grondslag}), "
            f"STJ {s.stj} — {s.label}"
        )
        lines.extend(f"      – {r}" for r in s.redenen)
    if cmp.unknown:
        lines.append("\nOnbekend terwijl STJ oordeelde / unknown where STJ judged:")
        for s in cmp.unknown:
            lines.append(
                f"  {s.gemeente} {s.jaar} {s.indicator} (STJ {s.stj}): {'; '.join(s.redenen)}"
            )
    return "\n".join(lines)
