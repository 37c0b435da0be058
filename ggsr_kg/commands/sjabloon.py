"""``ggsr-kg sjabloon``: an empty workbook an inspector fills in (Excel, or a folder of CSV files)."""

from __future__ import annotations

import sys
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser(
        "sjabloon",
        help="leeg werkboek om een netwerk in te vullen / empty workbook to describe a network",
        description="Schrijft een leeg werkboek (.xlsx, of een map met CSV-bestanden als het pad op / "
        "eindigt) met één blad per soort feit, uitklapmenu's uit de ontologie en een instructieblad.",
    )
    p.add_argument(
        "--out", required=True, metavar="BESTAND.xlsx|MAP/", help="waar het sjabloon komt"
    )
    p.set_defaults(run=run)


def run(args) -> int:
    from ..workbook.template import is_folder, write_workbook

    pad = write_workbook(args.out)
    soort = "map met CSV-bestanden" if is_folder(args.out) else "werkboek"
    print(f"Sjabloon geschreven / template written: {pad} ({soort})")
    doel = Path(str(pad).rstrip("/")).with_suffix(".ttl").name
    print(
        f"Vul het in en lees het in / fill it in, then: ggsr-kg import {args.out} --out {doel}\n"
        f"of meteen de scorecard / or straight to the scorecard: ggsr-kg validate --data "
        f"{args.out}\nUitleg / help: blad Instructie, docs/werkboek.md",
        file=sys.stderr,
    )
    return 0
