"""``ggsr-kg export``: a municipality's network from the data into the inspector's workbook."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser(
        "export",
        help="netwerk van een gemeente → werkboek / a municipality's network → workbook",
        description="Schrijft de netwerken van een gemeente (optioneel één jaar) uit de gegevens in "
        "hetzelfde werkboek als 'sjabloon'. Opnieuw inlezen met 'import' geeft dezelfde feiten "
        "terug voor alles wat het werkboek bevat (zie docs/werkboek.md).",
    )
    p.add_argument("--gemeente", required=True, metavar="NAAM")
    p.add_argument("--jaar", type=int, metavar="JJJJ")
    p.add_argument("--out", required=True, metavar="BESTAND.xlsx|MAP/")
    p.add_argument(
        "--data",
        nargs="+",
        type=Path,
        metavar="BESTAND",
        help="eigen gegevens (Turtle/TriG) in plaats van de meegeleverde data/",
    )
    p.set_defaults(run=run)


def run(args) -> int:
    from ..workbook.exporter import asserted, export
    from ..workbook.template import write_workbook
    from ._common import load_user_data

    g = asserted(load_user_data(args.data, infer=False))  # --data: privacy guard first
    rijen, notities = export(g, args.gemeente, args.jaar)
    pad = write_workbook(args.out, rijen)
    for n in notities:
        print(f"let op / note: {n}", file=sys.stderr)
    telling = ", ".join(f"{blad} {len(r)}" for blad, r in rijen.items() if r)
    print(f"Geëxporteerd / exported: {pad} ({telling})")
    print(
        f"Opnieuw inlezen / re-import: ggsr-kg import {shlex.quote(str(args.out))} --out mijn.ttl"
    )
    return 0
