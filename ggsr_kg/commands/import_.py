"""``ggsr-kg import``: a filled workbook (.xlsx or a CSV folder) into Turtle in the GGSR ontology.

Every row becomes triples or is reported with sheet, row, column and reason; with any problem the
command exits 2 and writes nothing. Then the data-quality shapes and the privacy guard run on the
result. ``--out`` is written through a temporary file, so it is complete or not there at all.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from ..errors import InputError, printable


def add_parser(sub) -> None:
    p = sub.add_parser(
        "import",
        help="ingevuld werkboek → Turtle / filled workbook → Turtle",
        description="Leest een ingevuld werkboek (.xlsx of een map met CSV-bestanden) in als RDF in "
        "de GGSR-ontologie. Elke rij wordt triples of wordt gemeld (blad, rij, kolom, reden); bij "
        "een probleem wordt niets geschreven en is de exitcode 2.",
    )
    p.add_argument("werkboek", metavar="WERKBOEK", help="bestand.xlsx of een map met CSV-bestanden")
    p.add_argument(
        "--out", type=Path, metavar="BESTAND.ttl", help="Turtle-bestand (standaard: stdout)"
    )
    p.add_argument(
        "--zonder-controle",
        action="store_true",
        help="datakwaliteit-shapes en privacycontrole overslaan / skip quality and privacy checks",
    )
    p.set_defaults(run=run)


def run(args) -> int:
    from ..workbook.importer import import_workbook, turtle, write_atomically

    if args.out is not None and args.out.suffix.lower() not in {".ttl", ".turtle"}:
        raise InputError(f"{args.out}: kies een .ttl-bestand / use a .ttl file")
    result = import_workbook(args.werkboek, check=not args.zonder_controle)
    for w in result.warnings:
        print(printable(f"waarschuwing: {w}"), file=sys.stderr)
    if result.problems:
        for p in result.problems:
            print(printable(str(p)), file=sys.stderr)
        n = len(result.problems)
        raise InputError(
            f"{args.werkboek}: {n} {'probleem' if n == 1 else 'problemen'}; niets geschreven / "
            f"{n} problem(s); nothing written"
        )
    tekst = turtle(result)
    netwerken = ", ".join(f"{g} – {a} – {j}" for g, a, j in result.networks)
    samenvatting = (
        f"Ingelezen / imported: {result.rows} rijen, {len(result.graph)} triples ({netwerken})"
    )
    if args.out is not None:
        write_atomically(args.out, tekst)
        print(samenvatting + f"; geschreven naar / written to {args.out}")
        print(f"Volgende stap / next: ggsr-kg validate --data {shlex.quote(str(args.out))}")
    else:
        sys.stdout.write(tekst)
        print(samenvatting, file=sys.stderr)
        print(
            f"Volgende stap / next: ggsr-kg import {shlex.quote(str(args.werkboek))} --out mijn.ttl "
            "&& ggsr-kg validate --data mijn.ttl",
            file=sys.stderr,
        )
    return 0
