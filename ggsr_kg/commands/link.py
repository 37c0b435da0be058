"""``ggsr-kg link``: check our municipalities and provinces against Wikidata (or another SPARQL
endpoint) and record what was found, with provenance, in a separate linked graph.

Exit codes: 0 linked (also after a fallback to the shipped snapshot, which is announced on stderr)
· 1 only with ``--strict``: there were conflicts · 2 bad input, or the existing linked file cannot
be read, would lose triples or cannot be written (it is then left unchanged).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_FINDINGS, InputError, printable


def add_parser(sub) -> None:
    from ..link import DEFAULT_ENDPOINT
    from ..remote import DEFAULT_TIMEOUT

    p = sub.add_parser(
        "link",
        help="koppel gemeenten en provincies aan Wikidata / link municipalities and provinces",
        description="Vraagt per gemeente en provincie een SPARQL-endpoint (standaard Wikidata) om "
        "CBS-code, naam, inwoners en provincie, vergelijkt dat met data/gebieden.ttl en schrijft "
        "het met herkomst naar een aparte gekoppelde graaf. Conflicten worden gemeld, niet "
        "overschreven. Is het endpoint onbereikbaar, dan volgt een terugval op de meegeleverde "
        "momentopname (exitcode 0, met melding). / Asks a SPARQL endpoint about every "
        "municipality and province, compares with our data and writes a separate linked graph "
        "with provenance; conflicts are reported, never overwritten; falls back to the shipped "
        "snapshot when the endpoint cannot be used.",
        epilog="Exitcodes: 0 gekoppeld (ook na terugval) · 1 conflicten (alleen met --strict) · "
        "2 invoerfout, bestaand bestand onleesbaar / zou triples verliezen, of niet te schrijven "
        "(niets veranderd)",
    )
    p.add_argument(
        "--endpoint",
        default=DEFAULT_ENDPOINT,
        metavar="URL",
        help=f"SPARQL-endpoint (standaard / default {DEFAULT_ENDPOINT})",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="niet het netwerk op: de meegeleverde momentopname / use the shipped snapshot",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="BESTAND.ttl",
        help="de gekoppelde graaf (standaard in een checkout: data/gelinkt/gelinkt.ttl); wordt "
        "aangevuld, nooit ingekort / the linked graph; extended, never shortened",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"seconden per verzoek / seconds per request ({DEFAULT_TIMEOUT:g})",
    )
    p.add_argument(
        "--data",
        nargs="+",
        type=Path,
        metavar="BESTAND",
        help="eigen data in plaats van de meegeleverde data/ / your own data instead of data/",
    )
    p.add_argument(
        "--strict", action="store_true", help="exitcode 1 bij conflicten / exit 1 on conflicts"
    )
    p.set_defaults(run=run)


def _err(message: str) -> None:
    print(printable(message), file=sys.stderr, flush=True)  # may quote the endpoint's words


def run(args) -> int:
    from ..link import default_out, link
    from ._common import load_user_data

    out = args.out if args.out is not None else default_out()
    kg = load_user_data(args.data, infer=False)  # --data: privacy guard first
    if args.offline:
        _err("--offline: de meegeleverde momentopname wordt gebruikt / using the shipped snapshot")
    try:
        result = link(
            kg.store,
            out,
            endpoint=args.endpoint,
            offline=args.offline,
            timeout=args.timeout,
            progress=_err,
            notice=_err,
        )
    except OSError as exc:  # the folder cannot be made, the disk is full, no permission, …
        raise InputError(
            f"{out}: kan niet schrijven / cannot write ({exc.strerror or exc}); het oude bestand "
            "is ongewijzigd / the old file is unchanged"
        ) from None
    r = result.run
    source = r.endpoint or "momentopname / snapshot (data/opendata)"
    for c in r.conflicts:
        print(c.text().replace("conflict ", "CONFLICT ", 1))
    for area, why in r.unlinked:
        print(f"niet gekoppeld / not linked: {area.title()} — {why}")
    print(
        f"{len(r.facts)} feiten / facts van / from {source}; {len(r.conflicts)} conflict(en), "
        f"{len(r.unlinked)} niet gekoppeld / not linked; run <{r.iri.value}>; "
        f"{result.path}: {result.before} → {result.after} triples"
    )
    if args.strict and r.conflicts:
        return EXIT_FINDINGS
    return 0
