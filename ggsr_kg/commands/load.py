"""``ggsr-kg load --endpoint URL``: put the graph into a SPARQL 1.1 store, all or nothing.

The target graph is never half-written: the triples go to a fresh temporary graph with the Graph
Store Protocol (HTTP PUT), the endpoint's count of that graph is compared with what was sent, and
only then one SPARQL Update ``MOVE <tmp> TO <target>`` replaces the target in a single request.
After any failure the message says whether the target still holds the old data or the new.
"""

from __future__ import annotations

import sys
import urllib.parse
import uuid
from datetime import UTC, datetime

import pyoxigraph as ox

from ..errors import EndpointError, InputError
from ..queries import printable
from ._common import add_data_options, load_graph

TMP_BASE = "https://w3id.org/ggsr/graph/upload-"


def add_parser(sub) -> None:
    p = sub.add_parser(
        "load",
        help="laad de graaf in een SPARQL-endpoint / upload the graph to a SPARQL endpoint",
        description="Uploadt ontologie en data (met afleidingen) naar een SPARQL 1.1-store: eerst "
        "naar een tijdelijke graaf, telling controleren, dan in één update de doelgraaf vervangen. "
        "Uploads ontology and data to a SPARQL 1.1 store via a temporary graph, atomically.",
    )
    p.add_argument("--endpoint", metavar="URL", help="SPARQL-adres / endpoint URL")
    p.add_argument(
        "--graph",
        metavar="IRI",
        help="doelgraaf (standaard: de default graph) / target graph (default: the default graph)",
    )
    p.add_argument("--update-url", metavar="URL", help="SPARQL Update-adres, als afwijkend")
    p.add_argument("--store-url", metavar="URL", help="Graph Store Protocol-adres, als afwijkend")
    p.add_argument("--timeout", type=float, default=None, metavar="S", help="seconden / seconds")
    p.add_argument(
        "--bouw",
        choices=("auto", "geheugen", "schijf"),
        default="auto",
        help="met --store: bouwen in het geheugen (snel; ongeveer 5,5× de invoer aan geheugen) of op "
        "schijf (minder geheugen, 2,5× trager); auto kiest het geheugen als dat in de helft van "
        "het vrije geheugen past / with --store: build in memory (fast; about 5.5× the input in "
        "memory) or on disk (less memory, 2.5× slower); auto picks memory when it fits in half "
        "the free memory",
    )
    add_data_options(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..remote import DEFAULT_TIMEOUT, endpoint_urls

    if not args.endpoint:
        if args.store is None:
            raise InputError("geef --endpoint URL of --store MAP / give --endpoint or --store")
        return _into_store(args)
    urls = endpoint_urls(args.endpoint, update=args.update_url, store=args.store_url)
    target = _target(args.graph)
    kg = load_graph(args)
    data, count = serialise(kg)
    n = upload(urls, data, count, target, timeout=args.timeout or max(DEFAULT_TIMEOUT, 120.0))
    nl, en = (f"<{target}>", f"<{target}>") if target else ("de default graph", "the default graph")
    print(f"{n} triples geladen in {nl} / loaded into {en} ({urls.store})")
    return 0


def _into_store(args) -> int:
    """``load --store DIR``: parse, check, infer and validate once, into a store on disk."""
    from .. import store

    data = args.data
    if data:
        from ..workbook import rdf_bestanden

        data = rdf_bestanden(data)
    from ._common import refuse_personal_data

    m = store.load(
        args.store,
        data,
        infer=not args.zonder_afleiding,
        check=refuse_personal_data if data else None,  # the privacy guard, before the switch
        in_memory={"auto": None, "geheugen": True, "schijf": False}[args.bouw],
    )
    quads = sum(m.counts.values())
    print(
        f"{quads} quads uit {len(m.counts)} bestand(en) + {m.inferred} afgeleid in / loaded "
        f"with inferences into {args.store}; {sum(len(n) for n in m.networks.values())} "
        "netwerken gevalideerd / networks validated"
    )
    return 0


def _target(graph: str | None) -> str | None:
    if graph is None:
        return None
    try:
        return ox.NamedNode(graph).value
    except ValueError as exc:
        raise InputError(
            f"--graph {graph!r} is geen geldige IRI / not a valid IRI: {printable(str(exc))}"
        ) from None


def serialise(kg) -> tuple[bytes, int]:
    """All distinct triples of the store (every named graph, inferred ones included) as N-Triples."""
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in kg.store}
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), len(triples)


def _count(urls, graph: str, timeout: float) -> int:
    from ..remote import select

    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    _, rows = select(urls.query, text, timeout=timeout)
    return int(rows[0]["n"].value) if rows and rows[0].get("n") is not None else 0


def _drop(urls, graph: str, timeout: float) -> bool:
    from ..remote import request

    try:
        request(
            "POST",
            urls.update,
            f"DROP SILENT GRAPH <{graph}>".encode(),
            "application/sparql-update",
            timeout=timeout,
        )
        return True
    except EndpointError:
        return False


def _cleanup(urls, tmp: str, timeout: float) -> str:
    """Drop the temporary graph; "" when done (or there was none), else a note for the message."""
    if _drop(urls, tmp, timeout):
        return ""
    return (
        f"; de tijdelijke graaf <{tmp}> is mogelijk achtergebleven (DROP mislukt) / the temporary "
        "graph may be left behind (DROP failed)"
    )


def leftovers(urls, timeout: float) -> list[str]:
    """Temporary graphs of earlier loads that never reached their MOVE (killed, or the endpoint
    went away): recognisable by their name, ``…/graph/upload-<time>-<id>``."""
    from ..remote import select

    text = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), "{TMP_BASE}")) }}'
    _, rows = select(urls.query, text, timeout=timeout)
    return sorted(r["g"].value for r in rows if isinstance(r.get("g"), ox.NamedNode))


def clean_leftovers(urls, timeout: float) -> None:
    """Drop the leftovers of earlier loads, saying so (two loads into one endpoint at the same
    time are not supported: the second would take the first's temporary graph for a leftover)."""
    try:
        found = leftovers(urls, timeout)
    except EndpointError as exc:
        raise EndpointError(
            f"upload mislukt / upload failed: {exc}; de doelgraaf is ongewijzigd (oude data) / "
            "the target is unchanged (old data)"
        ) from None
    for g in found:
        gone = _drop(urls, g, timeout)
        print(
            f"{'opgeruimd' if gone else 'NIET opgeruimd'} / {'removed' if gone else 'NOT removed'}: "
            f"tijdelijke graaf van een afgebroken load / temporary graph of an interrupted load "
            f"<{g}>",
            file=sys.stderr,
        )


def upload(urls, data: bytes, count: int, target: str | None, *, timeout: float) -> int:
    """PUT → verify → MOVE. Returns the number of triples; raises EndpointError saying the state."""
    from ..remote import request

    clean_leftovers(urls, timeout)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    tmp = f"{TMP_BASE}{stamp}-{uuid.uuid4().hex[:12]}"
    old = "de doelgraaf is ongewijzigd (oude data) / the target is unchanged (old data)"
    store = (
        f"{urls.store}{'&' if '?' in urls.store else '?'}graph={urllib.parse.quote(tmp, safe='')}"
    )
    try:
        request("PUT", store, data, "application/n-triples", timeout=timeout)
    except EndpointError as exc:
        left = "" if getattr(exc, "nothing_sent", False) else _cleanup(urls, tmp, timeout)
        raise EndpointError(f"upload mislukt / upload failed: {exc}; {old}{left}") from None
    try:
        found = _count(urls, tmp, timeout)
    except EndpointError as exc:
        left = _cleanup(urls, tmp, timeout)
        raise EndpointError(f"telling mislukt / count failed: {exc}; {old}{left}") from None
    if found != count:
        left = _cleanup(urls, tmp, timeout)
        raise EndpointError(
            f"het endpoint telt {found} triples in de tijdelijke graaf, verstuurd {count} / "
            f"the endpoint counts {found} triples, {count} were sent; {old}{left}"
        )
    move = f"MOVE <{tmp}> TO {f'<{target}>' if target else 'DEFAULT'}"
    try:
        request("POST", urls.update, move.encode(), "application/sparql-update", timeout=timeout)
    except EndpointError as exc:
        raise EndpointError(
            f"vervangen mislukt / replace failed: {exc}; {_state(urls, tmp, count, timeout)}"
        ) from None
    return count


def _state(urls, tmp: str, count: int, timeout: float) -> str:
    """After a failed MOVE: is the target old or new? The temporary graph tells."""
    try:
        left = _count(urls, tmp, timeout)
    except EndpointError:
        return (
            "toestand onbekend (endpoint antwoordt niet); controleer de doelgraaf en verwijder "
            f"zo nodig <{tmp}> / state unknown (endpoint not answering); check the target and drop <{tmp}>"
        )
    if left == count:
        return (
            "de doelgraaf is ongewijzigd (oude data) / the target is unchanged (old data)"
            + _cleanup(urls, tmp, timeout)
        )
    if left == 0:
        return "de doelgraaf bevat de nieuwe data / the target holds the new data"
    print(f"tijdelijke graaf / temporary graph <{tmp}> bevat {left} triples", file=sys.stderr)
    return f"toestand onzeker; zie <{tmp}> / state uncertain; see <{tmp}>"
