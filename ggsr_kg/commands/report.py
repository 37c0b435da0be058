"""``ggsr-kg report``: a static HTML site (works offline) of scorecards, networks and ontology."""

from __future__ import annotations

from pathlib import Path

from ._common import add_data_options, load_graph


def add_parser(sub) -> None:
    p = sub.add_parser(
        "report",
        help="statische HTML-site: scorecards, netwerken, ontologie / static HTML report",
        description="Schrijft een statische HTML-site naar MAP die offline werkt: een overzicht "
        "(gemeenten × thema's), een pagina per gemeente en peiljaar met scorecard, "
        "netwerk- en escalatiediagram, doorzettingsmacht en bronnen, en de documentatie van "
        "de ontologie. / Writes a static offline HTML site.",
    )
    p.add_argument(
        "--gemeente", metavar="NAAM", help="alleen deze gemeente / only this municipality"
    )
    p.add_argument("--out", type=Path, required=True, metavar="MAP", help="doelmap / output folder")
    p.add_argument(
        "--force",
        action="store_true",
        help="vervang ook een niet-lege map die geen eerder rapport is / also replace a "
        "non-empty folder that is not an earlier report",
    )
    add_data_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..report import build_site, check_out

    check_out(args.out, args.force)  # refuse a file or a foreign folder before the loading
    kg = load_graph(args)
    gemeente = kg.municipality(args.gemeente) if args.gemeente else None
    site = build_site(kg, args.out, gemeente=gemeente, force=args.force)
    index = site.index.resolve()
    print(
        f"Rapport geschreven / report written: {len(site.pages)} pagina's, "
        f"{len(site.diagrams)} diagrammen in {site.seconds:.1f} s"
    )
    print(f"Open: {index}")
    print(f"      {index.as_uri()}")
    return 0
