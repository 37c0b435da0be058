"""``ggsr-kg store add|replace|remove|info --store DIR``: change one file of a persistent store.

The store is made once with ``ggsr-kg load --store DIR [--data FILE…]``; every command that reads
the graph then takes ``--store DIR``. A change is all or nothing (see ``ggsr_kg/store.py``).
"""

from __future__ import annotations

import json
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser(
        "store",
        help="één bestand van een persistente store toevoegen, vervangen of verwijderen / "
        "add, replace or remove one file of a persistent store",
    )
    p.add_argument(
        "actie", choices=["add", "replace", "remove", "info"], metavar="add|replace|remove|info"
    )
    p.add_argument("bestand", nargs="?", metavar="BESTAND|GRAAF")
    p.add_argument("--store", type=Path, required=True, metavar="MAP")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(run=run)


def run(args) -> int:
    from .. import store
    from ..errors import InputError

    if args.actie == "info":
        gen = store.live(args.store)
        m = store.read_manifest(gen)
        info = {
            "generatie": gen.name,
            "bestanden": m.counts,
            "grafen": len(m.sources),
            "netwerken": sum(len(n) for n in m.networks.values()),
            "afgeleid": m.inferred,
            "resultaten_bij_huidige_shapes": m.shapes == store.shapes_digest(),
        }
        print(
            json.dumps(info, ensure_ascii=False, indent=1)
            if args.format == "json"
            else "\n".join(f"{k}: {v}" for k, v in info.items() if k != "bestanden")
        )
        return 0
    if not args.bestand:
        raise InputError(f"store {args.actie}: geef een bestand / give a file")
    if args.actie == "remove":
        change = store.remove(args.store, args.bestand)
    else:
        from ._common import load_user_data

        load_user_data([Path(args.bestand)])  # the file alone: checks and the privacy guard
        change = getattr(store, args.actie)(args.store, Path(args.bestand))
    if args.format == "json":
        print(json.dumps(change.__dict__, ensure_ascii=False, indent=1))
    else:
        print(
            f"{args.actie}: {change.quads_removed} quads weg / removed, {change.quads_added} "
            f"erbij / added; afgeleid / inferred −{change.inferred[0]} +{change.inferred[1]}; "
            f"opnieuw gevalideerd / re-validated: {len(change.revalidated)} netwerk(en)"
        )
    return 0
