"""``ggsr-kg query`` and ``ggsr-kg doorzettingsmacht``: named SPARQL queries, embedded or remote."""

from __future__ import annotations

import sys

from ..errors import EXIT_FINDINGS
from ._common import add_data_options, load_graph

FORMATS = ["table", "csv", "tsv", "json"]


def add_parser(sub) -> None:
    p = sub.add_parser("query", help="een benoemde query of .rq-bestand / a named query or file")
    p.add_argument("naam", nargs="?", metavar="NAAM|BESTAND.rq")
    p.add_argument("--param", action="append", default=[], metavar="naam=waarde")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument(
        "--endpoint",
        metavar="URL",
        help="een SPARQL 1.1-endpoint in plaats van de ingebouwde store",
    )
    add_endpoint_options(p)
    p.add_argument(
        "--lijst", action="store_true", help="toon de benoemde queries / list named queries"
    )
    p.add_argument(
        "--service-toestaan",
        "--allow-service",
        dest="allow_service",
        action="store_true",
        help="een .rq-bestand mag SERVICE gebruiken (de query haalt dan andere adressen op) / "
        "let a .rq file use SERVICE (the query then fetches other addresses)",
    )
    add_data_options(p)
    p.set_defaults(run=run)

    d = sub.add_parser(
        "doorzettingsmacht", help="wie heeft waar doorzettingsmacht / who holds decisive authority"
    )
    d.add_argument("--gemeente", metavar="NAAM")
    d.add_argument("--jaar", metavar="JJJJ")
    d.add_argument("--format", choices=FORMATS, default="table")
    d.add_argument("--endpoint", metavar="URL")
    add_endpoint_options(d)
    add_data_options(d)
    d.set_defaults(run=run_doorzettingsmacht)


def add_endpoint_options(p) -> None:
    p.add_argument(
        "--graph",
        metavar="IRI",
        help="met --endpoint: de graaf waarin de data staat (ggsr-kg load --graph) / "
        "with --endpoint: the graph holding the data",
    )
    p.add_argument(
        "--timeout", type=float, default=None, metavar="S", help="met --endpoint: seconden (30)"
    )


def run(args) -> int:
    from ..queries import find_query, named_queries, parse_params

    if args.lijst or not args.naam:
        for q in named_queries().values():
            params = ", ".join(q.params) or "-"
            first = q.description[0] if q.description else ""
            print(f"{q.name:28s} {first}  [parameters: {params}]")
        return 0
    query = find_query(args.naam, allow_service=args.allow_service)
    params = parse_params(args.param)
    return execute(args, query, params)


def run_doorzettingsmacht(args) -> int:
    from ..queries import find_query

    params = {}
    if args.gemeente:
        params["gemeente"] = args.gemeente
    if args.jaar:
        params["jaar"] = args.jaar
    return execute(args, find_query("doorzettingsmacht"), params)


def execute(args, query, params: dict[str, str]) -> int:
    from ..output import render

    if getattr(args, "endpoint", None):
        from ..remote import DEFAULT_TIMEOUT, run_remote
        from .load import _target

        names, rows = run_remote(
            args.endpoint,
            query,
            params,
            graph=_target(getattr(args, "graph", None)),  # an IRI, or refused before sending
            timeout=getattr(args, "timeout", None) or DEFAULT_TIMEOUT,
        )
    else:
        from ..queries import run as run_query

        kg = load_graph(args)
        names, rows = run_query(kg, query, params)
    text = render(names, rows, args.format)
    print(text, end="" if text.endswith("\n") else "\n")
    if query.is_check and rows:
        print(f"{query.name}: {len(rows)} overtreding(en) / violation(s)", file=sys.stderr)
        return EXIT_FINDINGS
    return 0
