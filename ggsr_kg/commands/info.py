"""``ggsr-kg info``: what is loaded — files, triples, municipalities, networks, indicators."""

from __future__ import annotations

import json

from ._common import add_data_options, load_graph


def add_parser(sub) -> None:
    p = sub.add_parser("info", help="wat is geladen / what is loaded")
    add_data_options(p)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(run=run)


def summary(kg) -> dict:
    from ..scorecard import indicators
    from ..shapes import framework_shapes

    counts = kg.select(
        """SELECT
             (COUNT(DISTINCT ?g) AS ?gemeenten) (COUNT(DISTINCT ?n) AS ?netwerken)
             (COUNT(DISTINCT ?o) AS ?oordelen) WHERE {
             { ?g a ggsr:Gemeente } UNION { ?n a ggsr:Netwerk } UNION { ?o a ggsr:Oordeel } }"""
    )[0]
    return {
        "bestanden": {str(p): n for p, n in kg.files.items()},
        "triples": len(kg),
        "afgeleid": kg.inferred,
        "gemeenten": int(counts["gemeenten"].value),
        "netwerken": int(counts["netwerken"].value),
        "stj_oordelen": int(counts["oordelen"].value),
        "indicatoren": len(indicators(kg)),
        "shapes": len({c.shape for c in framework_shapes().constraints}),
        "gemeenten_met_aanpak": sorted({n["gemeenteNaam"].value for n in kg.networks()}),
    }


def run(args) -> int:
    kg = load_graph(args)
    info = summary(kg)
    if args.format == "json":
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    print(f"Bestanden / files: {len(info['bestanden'])}")
    for path, n in info["bestanden"].items():
        print(f"  {n:7d}  {path}")
    print(f"Triples: {info['triples']} (waarvan afgeleid / inferred: {info['afgeleid']})")
    print(f"Gemeenten / municipalities: {info['gemeenten']}")
    print(f"Netwerken (aanpak × jaar) / networks: {info['netwerken']}")
    print(f"STJ-oordelen / verdicts: {info['stj_oordelen']}")
    print(f"Indicatoren / indicators: {info['indicatoren']}; shapes: {info['shapes']}")
    print("Gemeenten met een aanpak: " + ", ".join(info["gemeenten_met_aanpak"]))
    return 0
