"""Options several commands share, and loading the graph they ask for."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..graph import KnowledgeGraph


def add_data_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        nargs="+",
        type=Path,
        metavar="BESTAND",
        help="eigen instantiedata (Turtle/TriG) in plaats van de meegeleverde data/ "
        "(ontologie en kader laden altijd) / your own instance data instead of data/",
    )
    p.add_argument(
        "--zonder-afleiding",
        action="store_true",
        help="geen afleiding vóór validatie (klassenhiërarchie, inversen, transitiviteit) / "
        "switch inference off",
    )


def load_graph(args: argparse.Namespace) -> KnowledgeGraph:
    return KnowledgeGraph.default(data=args.data, infer=not args.zonder_afleiding)
