"""Link our municipalities and provinces to an external SPARQL endpoint (Wikidata by default).

``ggsr-kg link`` asks the endpoint, one request per area, what it knows about every
``ggsr:Gemeente`` and ``ggsr:Provincie`` in the data — the CBS code (Wikidata P382, four digits
``"0114"``), the name (``rdfs:label``\\@nl), inhabitants (P1082), the province (P131) and the kind
(P31) — compares that with our own statements (``data/gebieden.ttl``) and writes what it found to a
SEPARATE linked graph (``data/gelinkt/gelinkt.ttl`` in a checkout, or ``--out``).

Model of the linked graph (documented in ``data/gelinkt/README.md``):

- each run is a ``prov:Activity`` (``id:koppeling-<UTC time>-<random>``) with
  ``prov:startedAtTime``/``prov:endedAtTime``, ``prov:used`` the endpoint's query URL as an IRI (or,
  after a fallback, the snapshot entities ``id:opendata-polder-gemeenten``/``-provincies``), the
  query text as ``schema:query`` (the action's query, schema.org — machine-findable, and not mixed
  with the human-readable ``rdfs:comment`` that describes the run), ``skos:note`` per conflict or
  area that could not be linked;
- each fetched fact is an ``rdf:Statement`` + ``prov:Entity`` node
  (``rdf:subject``/``rdf:predicate``/``rdf:object``) with ``prov:wasGeneratedBy`` the run and
  ``prov:wasDerivedFrom`` the Wikidata item (or the snapshot). The predicates are ours:
  ``ggsr:cbsCode``, ``ggsr:wikidata`` and ``ggsr:tooi`` (both ⊑ ``skos:exactMatch``, never
  ``owl:sameAs``), ``rdfs:label``, ``ggsr:inwoners``, ``ggsr:ligtIn``.

Nothing is asserted directly about a municipality: the linked file lives under ``data/`` and is
loaded with everything else, so restating a triple of ``gebieden.ttl`` would appear twice in every
query over the union of the graphs, and a fact from outside must not silently override ours. A
CONFLICT (a code, name, item or province that disagrees with ours) is printed and kept as a
``skos:note`` of the run; the disagreeing value is not recorded as a fact.

The file only grows: the new file is the old one plus this run (history of runs = provenance). It
is replaced atomically (temporary file in the same folder, read back, ``os.replace``) and only when
it holds every triple of the old file — in particular every identifier statement — else the
command refuses and says why. Any failure to reach the endpoint (refused, timed out, HTTP error
after the bounded retries of :mod:`ggsr_kg.remote`) falls back to the shipped open-data snapshot
(:mod:`ggsr_kg.opendata`), with a message; ``--offline`` does so without trying.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from . import __version__, opendata
from .errors import EndpointError, InputError
from .resources import resource_dir

__all__ = [
    "DEFAULT_ENDPOINT",
    "GEMEENTE_QUERY",
    "PROVINCIE_QUERY",
    "Area",
    "Run",
    "check_keeps",
    "default_out",
    "fetch",
    "from_snapshot",
    "link",
    "read_linked",
    "run_triples",
    "write_atomic",
]

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"

GGSR = "https://w3id.org/ggsr/def#"
ID = "https://w3id.org/ggsr/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
WD = "http://www.wikidata.org/entity/"

PREFIXES = {
    "ggsr": GGSR,
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "prov": PROV,
    "skos": SKOS,
    "schema": SCHEMA,
    "xsd": XSD,
    "wd": WD,
}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


A = _n(RDF + "type")
STATEMENT = _n(RDF + "Statement")
SUBJECT, PREDICATE, OBJECT = _n(RDF + "subject"), _n(RDF + "predicate"), _n(RDF + "object")
LABEL, COMMENT = _n(RDFS + "label"), _n(RDFS + "comment")
ACTIVITY, ENTITY = _n(PROV + "Activity"), _n(PROV + "Entity")
USED, GENERATED_BY = _n(PROV + "used"), _n(PROV + "wasGeneratedBy")
DERIVED_FROM = _n(PROV + "wasDerivedFrom")
STARTED, ENDED = _n(PROV + "startedAtTime"), _n(PROV + "endedAtTime")
NOTE, QUERY = _n(SKOS + "note"), _n(SCHEMA + "query")
CBS_CODE, WIKIDATA, TOOI = _n(GGSR + "cbsCode"), _n(GGSR + "wikidata"), _n(GGSR + "tooi")
INWONERS, LIGT_IN = _n(GGSR + "inwoners"), _n(GGSR + "ligtIn")
OFFICIELE_NAAM = _n(GGSR + "officieleNaam")
GEMEENTE, PROVINCIE = _n(GGSR + "Gemeente"), _n(GGSR + "Provincie")
XSD_INTEGER, XSD_DATETIME = _n(XSD + "integer"), _n(XSD + "dateTime")

#: Predicates whose statements count as identifiers: never lost from the linked file.
IDENTIFIERS = (CBS_CODE, WIKIDATA, TOOI)

SNAPSHOT_GEMEENTEN = _n(ID + "opendata-polder-gemeenten")
SNAPSHOT_PROVINCIES = _n(ID + "opendata-polder-provincies")
MUNICIPALITY_NL = WD + "Q2039348"  # municipality of the Netherlands
PROVINCE_NL = WD + "Q134390"  # province of the Netherlands

# Sent once per municipality, with ``VALUES (?code ?ours)`` (CBS code as four digits, our Wikidata
# item; ?ours left out when we have none) placed by ggsr_kg.queries.with_values. P382 has about a
# thousand uses, so the FILTER is cheap; it also finds a second item claiming our code.
GEMEENTE_QUERY = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?item ?itemCode ?label ?inwoners ?provincie ?isGemeente WHERE {
  ?item wdt:P382 ?itemCode .
  FILTER(?itemCode = ?code || ?item = ?ours)
  OPTIONAL { ?item rdfs:label ?label . FILTER(LANG(?label) = "nl") }
  OPTIONAL { ?item wdt:P1082 ?inwoners }
  OPTIONAL { ?item wdt:P131 ?provincie }
  OPTIONAL { ?item wdt:P31 wd:Q2039348 . BIND(true AS ?isGemeente) }
}"""

# Sent once per province, with ``VALUES (?ours)`` (our Wikidata item). Wikidata has no CBS code for
# provinces, so the item is checked by kind (P31 province of the Netherlands) and name.
PROVINCIE_QUERY = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?item ?label ?inwoners ?isProvincie WHERE {
  BIND(?ours AS ?item)
  OPTIONAL { ?item rdfs:label ?label . FILTER(LANG(?label) = "nl") }
  OPTIONAL { ?item wdt:P1082 ?inwoners }
  OPTIONAL { ?item wdt:P31 wd:Q134390 . BIND(true AS ?isProvincie) }
}"""

_AREAS = """PREFIX ggsr: <https://w3id.org/ggsr/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?area ?kind ?naam ?officieel ?code ?wikidata ?tooi ?provincie WHERE {
  VALUES ?kind { ggsr:Gemeente ggsr:Provincie }
  ?area a ?kind .
  OPTIONAL { ?area rdfs:label ?naam . FILTER(LANG(?naam) = "nl") }
  OPTIONAL { ?area ggsr:officieleNaam ?officieel }
  OPTIONAL { ?area ggsr:cbsCode ?code }
  OPTIONAL { ?area ggsr:wikidata ?wikidata }
  OPTIONAL { ?area ggsr:tooi ?tooi }
  OPTIONAL { ?area ggsr:ligtIn ?provincie }
}"""

Progress = Callable[[str], None]


# ---- our areas ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A municipality or province of our data, with the identifiers we state for it."""

    iri: ox.NamedNode
    kind: str  # "gemeente" | "provincie"
    naam: str
    officiele_naam: str | None = None
    cbs_code: str | None = None
    wikidata: ox.NamedNode | None = None
    tooi: ox.NamedNode | None = None
    provincie: ox.NamedNode | None = None

    @property
    def local(self) -> str:
        return self.iri.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def title(self) -> str:
        return f"{self.cbs_code or '-'} {self.naam} <{self.iri.value}>"


def areas(store: ox.Store) -> tuple[list[Area], list[Area]]:
    """Municipalities and provinces of a store (union of its graphs), sorted by name."""
    found: dict[str, dict] = {}
    for row in store.query(_AREAS, use_default_graph_as_union=True):
        iri = row["area"]
        if not isinstance(iri, ox.NamedNode):
            continue
        entry = found.setdefault(
            iri.value, {"iri": iri, "kind": row["kind"].value.rsplit("#", 1)[-1].lower()}
        )
        for key, var in [
            ("naam", "naam"),
            ("officiele_naam", "officieel"),
            ("cbs_code", "code"),
            ("wikidata", "wikidata"),
            ("tooi", "tooi"),
            ("provincie", "provincie"),
        ]:
            value = row[var]
            if value is None or key in entry:
                continue
            entry[key] = value.value if isinstance(value, ox.Literal) else value
    result = []
    for e in found.values():
        e.setdefault("naam", e["iri"].value.rsplit("/", 1)[-1])
        result.append(Area(**e))
    result.sort(key=lambda a: (a.naam.casefold(), a.iri.value))
    return [a for a in result if a.kind == "gemeente"], [a for a in result if a.kind == "provincie"]


# ---- a run -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    area: Area
    key: str  # local name part: cbscode, wikidata, tooi, naam, inwoners, provincie
    predicate: ox.NamedNode
    value: ox.Term
    source: ox.NamedNode  # the Wikidata item, or the snapshot entity


@dataclass(frozen=True)
class Conflict:
    area: Area
    what: str  # cbsCode, naam, wikidata, provincie, soort
    ours: str
    theirs: str

    def text(self) -> str:
        return (
            f"conflict {self.area.title()} — {self.what}: ons / ours {self.ours}; "
            f"bron / source {self.theirs}"
        )


@dataclass
class Run:
    """One ``link`` run: what was asked where, what was found, what disagreed."""

    started: datetime
    endpoint: str | None = None  # the query URL; None for the snapshot
    queries: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unlinked: list[tuple[Area, str]] = field(default_factory=list)
    fallback: str | None = None  # why the snapshot was used
    ended: datetime | None = None
    token: str = field(default_factory=lambda: secrets.token_hex(3))

    @property
    def iri(self) -> ox.NamedNode:
        return _n(f"{ID}koppeling-{self.started.strftime('%Y%m%dT%H%M%SZ')}-{self.token}")

    def add(self, area: Area, key: str, predicate: ox.NamedNode, value, source) -> None:
        self.facts.append(Fact(area, key, predicate, value, source))

    def conflict(self, area: Area, what: str, ours: str, theirs: str) -> None:
        self.conflicts.append(Conflict(area, what, ours, theirs))

    def not_linked(self, area: Area, why: str) -> None:
        self.unlinked.append((area, why))


def _now() -> datetime:
    return datetime.now(UTC)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("’", "'")
    return " ".join(text.split()).casefold()


def _same_name(area: Area, name: str) -> bool:
    wanted = _norm(name)
    ours = {_norm(area.naam)}
    if area.officiele_naam:
        ours.add(_norm(area.officiele_naam))
    ours.add(_norm(f"{area.kind} {area.naam}"))  # "Gemeente Emmen", "Provincie Drenthe"
    return wanted in ours


def _integer(term) -> ox.Literal | None:
    if not isinstance(term, ox.Literal):
        return None
    try:
        value = Decimal(term.value.strip().lstrip("+"))
    except InvalidOperation:
        return None
    if value != value.to_integral_value() or value < 0:
        return None
    return ox.Literal(str(int(value)), datatype=XSD_INTEGER)


def _show(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return f'"{term.value}"'
    return "-" if term is None else str(term)


# ---- asking the endpoint -----------------------------------------------------------------------


def fetch(
    url: str,
    gemeenten: list[Area],
    provincies: list[Area],
    *,
    timeout: float,
    progress: Progress = lambda _: None,
) -> Run:
    """Ask ``url`` (a query URL) about every area; raises EndpointError on any failure."""
    from .queries import with_values
    from .remote import select

    run = Run(started=_now(), endpoint=url, queries=[GEMEENTE_QUERY, PROVINCIE_QUERY])
    by_item = {p.wikidata.value: p for p in provincies if p.wikidata is not None}
    for i, area in enumerate(gemeenten, 1):
        progress(f"{i}/{len(gemeenten)} gemeenten… {area.naam}")
        code = (area.cbs_code or "")[2:]
        if not (area.cbs_code or "").startswith("GM") or not code.isdigit():
            run.not_linked(area, "geen CBS-code in onze data / no CBS code in our data")
            continue
        bindings: dict[str, ox.Term] = {"code": ox.Literal(code)}
        if area.wikidata is not None:
            bindings["ours"] = area.wikidata
        _, rows = select(url, with_values(GEMEENTE_QUERY, bindings), timeout=timeout)
        _compare_gemeente(run, area, code, rows, by_item)
    for i, area in enumerate(provincies, 1):
        progress(f"{i}/{len(provincies)} provincies… {area.naam}")
        if area.wikidata is None:
            run.not_linked(area, "geen Wikidata-item in onze data / no Wikidata item in our data")
            continue
        _, rows = select(
            url, with_values(PROVINCIE_QUERY, {"ours": area.wikidata}), timeout=timeout
        )
        _compare_provincie(run, area, rows)
    run.ended = _now()
    return run


def _group(rows: list[dict]) -> dict[str, dict[str, set]]:
    items: dict[str, dict[str, set]] = {}
    for row in rows:
        item = row.get("item")
        if not isinstance(item, ox.NamedNode):
            continue
        entry = items.setdefault(item.value, {})
        for name, value in row.items():
            if name != "item" and value is not None:
                entry.setdefault(name, set()).add(value)
    return items


def _codes(entry: dict[str, set]) -> set[str]:
    return {t.value for t in entry.get("itemCode", set()) if isinstance(t, ox.Literal)}


def _labels(entry: dict[str, set]) -> list[ox.Literal]:
    return sorted((t for t in entry.get("label", set()) if isinstance(t, ox.Literal)), key=str)


def _population(entry: dict[str, set]) -> ox.Literal | None:
    values = [v for v in (_integer(t) for t in entry.get("inwoners", set())) if v is not None]
    # several best-ranked values are rare; the largest is taken (documented)
    return max(values, key=lambda v: int(v.value)) if values else None


def _compare_name(run: Run, area: Area, item: ox.NamedNode, entry: dict[str, set]) -> None:
    labels = _labels(entry)
    if not labels:
        return
    if any(_same_name(area, lbl.value) for lbl in labels):
        match = next(lbl for lbl in labels if _same_name(area, lbl.value))
        run.add(area, "naam", LABEL, ox.Literal(match.value, language="nl"), item)
    else:
        shown = ", ".join(f'"{lbl.value}"@nl' for lbl in labels)
        run.conflict(area, "naam", f'"{area.naam}"@nl', f"{shown} (<{item.value}>)")


def _compare_gemeente(
    run: Run, area: Area, code: str, rows: list[dict], by_item: dict[str, Area]
) -> None:
    items = _group(rows)
    ours = area.wikidata.value if area.wikidata is not None else None
    claimants = sorted(i for i, e in items.items() if code in _codes(e))
    subject: str | None = None
    if ours is not None and ours in items:
        if code in _codes(items[ours]):
            subject = ours
        else:
            found = ", ".join(f'"{c}"' for c in sorted(_codes(items[ours]))) or "-"
            run.conflict(
                area, "cbsCode", f'"{area.cbs_code}"', f"<{ours}> heeft / has P382 {found}"
            )
    elif ours is None and len(claimants) == 1:
        subject = claimants[0]
    for other in claimants:
        if other in (subject, ours):
            continue
        described = " ".join(
            [f"<{other}>"]
            + [f'"{lbl.value}"@nl' for lbl in _labels(items[other])]
            + [f'heeft ook / also has P382 "{code}"']
            + (
                []
                if items[other].get("isGemeente")
                else ["(geen gemeente volgens P31 / not a municipality per P31)"]
            )
        )
        run.conflict(area, "wikidata", f"<{ours}>" if ours else "-", described)
    if subject is None:
        if not claimants and (ours is None or ours not in items):
            run.not_linked(
                area,
                f'geen item met P382 "{code}" op het endpoint / no item with P382 "{code}"'
                + (f"; <{ours}> heeft geen P382 / has no P382" if ours else ""),
            )
        return
    item = _n(subject)
    entry = items[subject]
    run.add(area, "cbscode", CBS_CODE, ox.Literal("GM" + code), item)
    run.add(area, "wikidata", WIKIDATA, item, item)
    _compare_name(run, area, item, entry)
    population = _population(entry)
    if population is not None:
        run.add(area, "inwoners", INWONERS, population, item)
    provinces = sorted(
        t.value for t in entry.get("provincie", set()) if isinstance(t, ox.NamedNode)
    )
    if provinces:
        ours_prov = next((p for p in by_item.values() if p.iri == area.provincie), None)
        if ours_prov is not None and ours_prov.wikidata.value in provinces:
            run.add(area, "provincie", LIGT_IN, ours_prov.iri, item)
        elif area.provincie is not None:
            shown = f"<{ours_prov.wikidata.value}>" if ours_prov else "-"
            named = [by_item[p].naam for p in provinces if p in by_item]
            run.conflict(
                area,
                "provincie",
                f"<{area.provincie.value}> ({shown})",
                "P131 "
                + ", ".join(f"<{p}>" for p in provinces)
                + (f" ({', '.join(named)})" if named else ""),
            )
        else:
            matched = [by_item[p] for p in provinces if p in by_item]
            if len(matched) == 1:
                run.add(area, "provincie", LIGT_IN, matched[0].iri, item)


def _compare_provincie(run: Run, area: Area, rows: list[dict]) -> None:
    items = _group(rows)
    ours = area.wikidata.value
    entry = items.get(ours, {})
    if not entry:
        run.not_linked(area, f"<{ours}> niet gevonden op het endpoint / not found")
        return
    if not entry.get("isProvincie"):
        run.conflict(
            area,
            "soort",
            "ggsr:Provincie",
            f"<{ours}> is geen provincie volgens P31 / not a province per P31",
        )
        return
    item = _n(ours)
    run.add(area, "wikidata", WIKIDATA, item, item)
    _compare_name(run, area, item, entry)
    population = _population(entry)
    if population is not None:
        run.add(area, "inwoners", INWONERS, population, item)


# ---- the snapshot ------------------------------------------------------------------------------


def from_snapshot(
    gemeenten: list[Area],
    provincies: list[Area],
    *,
    reason: str,
    progress: Progress = lambda _: None,
) -> Run:
    """The same comparison against the shipped open-data snapshot (no network)."""
    run = Run(started=_now(), fallback=reason)
    rows = {g.cbs_code: g for g in opendata.gemeenten() if g.huidig}
    for g in opendata.gemeenten():
        rows.setdefault(g.cbs_code, g)
    prov_rows = {p.cbs_code: p for p in opendata.provincies()}
    by_tooi = {p.tooi.value: p for p in provincies if p.tooi is not None}
    src = SNAPSHOT_GEMEENTEN
    for i, area in enumerate(gemeenten, 1):
        progress(f"{i}/{len(gemeenten)} gemeenten… {area.naam} (momentopname / snapshot)")
        row = rows.get(area.cbs_code or "")
        if row is None:
            run.not_linked(area, "niet in de momentopname / not in the snapshot")
            continue
        run.add(area, "cbscode", CBS_CODE, ox.Literal(row.cbs_code), src)
        _snapshot_ids(run, area, row.wikidata_iri, row.tooi, src)
        if _same_name(area, row.naam) or _same_name(area, row.officiele_naam):
            run.add(area, "naam", LABEL, ox.Literal(row.naam, language="nl"), src)
        else:
            run.conflict(area, "naam", f'"{area.naam}"@nl', f'"{row.naam}" (gemeenten.csv)')
        if row.inwoners is not None:
            run.add(
                area, "inwoners", INWONERS, ox.Literal(str(row.inwoners), datatype=XSD_INTEGER), src
            )
        if row.provincie_tooi:
            prov = by_tooi.get(row.provincie_tooi)
            if prov is not None and (area.provincie is None or prov.iri == area.provincie):
                run.add(area, "provincie", LIGT_IN, prov.iri, src)
            elif area.provincie is not None:
                run.conflict(
                    area,
                    "provincie",
                    f"<{area.provincie.value}>",
                    f"<{row.provincie_tooi}> (gemeenten.csv)",
                )
    src = SNAPSHOT_PROVINCIES
    for i, area in enumerate(provincies, 1):
        progress(f"{i}/{len(provincies)} provincies… {area.naam} (momentopname / snapshot)")
        row = prov_rows.get(area.cbs_code or "")
        if row is None:
            run.not_linked(area, "niet in de momentopname / not in the snapshot")
            continue
        run.add(area, "cbscode", CBS_CODE, ox.Literal(row.cbs_code), src)
        _snapshot_ids(run, area, row.wikidata_iri, row.tooi, src)
        if _same_name(area, row.naam) or _same_name(area, row.officiele_naam):
            run.add(area, "naam", LABEL, ox.Literal(row.naam, language="nl"), src)
        else:
            run.conflict(area, "naam", f'"{area.naam}"@nl', f'"{row.naam}" (provincies.csv)')
    run.ended = _now()
    return run


def _snapshot_ids(run: Run, area: Area, wikidata: str | None, tooi: str | None, src) -> None:
    for key, pred, theirs, ours in [
        ("wikidata", WIKIDATA, wikidata, area.wikidata),
        ("tooi", TOOI, tooi, area.tooi),
    ]:
        if not theirs:
            continue
        if ours is None or ours.value == theirs:
            run.add(area, key, pred, _n(theirs), src)
        else:
            run.conflict(area, key, f"<{ours.value}>", f"<{theirs}> (momentopname / snapshot)")


# ---- the linked graph --------------------------------------------------------------------------


def _time(when: datetime) -> ox.Literal:
    # microseconds: two runs within one second still have an order (the latest run counts);
    # written canonically (no trailing zeros), as a store would give it back
    text = when.strftime("%Y-%m-%dT%H:%M:%S.%f").rstrip("0").rstrip(".")
    return ox.Literal(text + "Z", datatype=XSD_DATETIME)


def run_triples(run: Run) -> list[ox.Triple]:
    """The run as triples: the activity, its notes and one statement node per fact."""
    act = run.iri
    t = [
        ox.Triple(act, A, ACTIVITY),
        ox.Triple(
            act,
            LABEL,
            ox.Literal(f"ggsr-kg link {run.started:%Y-%m-%d %H:%M:%S} UTC", language="nl"),
        ),
        ox.Triple(act, STARTED, _time(run.started)),
    ]
    if run.ended is not None:
        t.append(ox.Triple(act, ENDED, _time(run.ended)))
    if run.endpoint is not None:
        t.append(ox.Triple(act, USED, _n(run.endpoint)))
        t.append(
            ox.Triple(
                act,
                COMMENT,
                ox.Literal(
                    f"Koppeling door ggsr-kg {__version__}: per gemeente één SELECT (schema:query) "
                    "met VALUES (?code ?ours) = CBS-code in vier cijfers en ons Wikidata-item, per "
                    f"provincie één met VALUES (?ours); {len(run.facts)} feiten, "
                    f"{len(run.conflicts)} conflicten. / Linking by ggsr-kg {__version__}: one "
                    "SELECT per municipality with VALUES (?code ?ours), one per province with "
                    f"VALUES (?ours); {len(run.facts)} facts, {len(run.conflicts)} conflicts."
                ),
            )
        )
        t.extend(ox.Triple(act, QUERY, ox.Literal(q)) for q in run.queries)
    else:
        t.append(ox.Triple(act, USED, SNAPSHOT_GEMEENTEN))
        t.append(ox.Triple(act, USED, SNAPSHOT_PROVINCIES))
        t.append(
            ox.Triple(
                act,
                COMMENT,
                ox.Literal(
                    f"Terugval op de meegeleverde momentopname (data/opendata) / fallback to the "
                    f"shipped snapshot: {run.fallback}. {len(run.facts)} feiten / facts, "
                    f"{len(run.conflicts)} conflicten / conflicts."
                ),
            )
        )
    t.extend(ox.Triple(act, NOTE, ox.Literal(c.text())) for c in run.conflicts)
    t.extend(
        ox.Triple(act, NOTE, ox.Literal(f"niet gekoppeld / not linked: {a.title()} — {why}"))
        for a, why in run.unlinked
    )
    for f in run.facts:
        node = _n(f"{act.value}-{f.area.local}-{f.key}")
        t += [
            ox.Triple(node, A, STATEMENT),
            ox.Triple(node, A, ENTITY),
            ox.Triple(node, SUBJECT, f.area.iri),
            ox.Triple(node, PREDICATE, f.predicate),
            ox.Triple(node, OBJECT, f.value),
            ox.Triple(node, GENERATED_BY, act),
            ox.Triple(node, DERIVED_FROM, f.source),
        ]
    return t


def read_linked(path: Path) -> list[ox.Triple]:
    """The triples of an existing linked file ([] when there is none); InputError if unreadable.

    Parsed, not loaded into a Store: a store keeps values, not lexical forms (it would write
    ``.50Z`` back as ``.5Z``), and the comparison with the new file is triple by triple."""
    from .rdfio import read_bytes

    if not path.exists():
        return []
    try:
        data = read_bytes(path)
        quads = list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))
    except (InputError, SyntaxError) as exc:
        raise InputError(
            f"weigert {path} te vervangen: het bestaande bestand is niet te lezen, er is niets "
            f"veranderd / refusing to replace it: the existing file cannot be read, nothing was "
            f"changed ({exc})"
        ) from None
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


def _identifier_statements(triples: Iterable[ox.Triple]) -> set[tuple[str, str, str]]:
    by_node: dict[str, dict[str, str]] = {}
    for t in triples:
        if t.predicate in (SUBJECT, PREDICATE, OBJECT) and not isinstance(t.object, ox.BlankNode):
            by_node.setdefault(str(t.subject), {})[t.predicate.value] = str(t.object)
    found = set()
    for parts in by_node.values():
        s, p, o = (parts.get(x.value) for x in (SUBJECT, PREDICATE, OBJECT))
        if s and o and p in {str(i) for i in IDENTIFIERS}:
            found.add((s, p, o))
    return found


def check_keeps(old: Iterable[ox.Triple], new: Iterable[ox.Triple]) -> None:
    """Refuse (InputError) unless ``new`` holds every identifier statement and triple of ``old``."""
    old, new = list(old), list(new)
    lost_ids = _identifier_statements(old) - _identifier_statements(new)
    if lost_ids:
        shown = "; ".join(" ".join(x) for x in sorted(lost_ids)[:5])
        raise InputError(
            f"weigert te vervangen: de nieuwe koppeling mist {len(lost_ids)} identificatie(s) uit "
            f"het bestaande bestand / refusing to replace: the new graph lacks {len(lost_ids)} "
            f"identifier statement(s) of the existing file: {shown}"
        )

    def ground(ts):
        return {
            t
            for t in ts
            if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
        }

    lost = ground(old) - ground(new)
    if lost:
        raise InputError(
            f"weigert te vervangen: {len(lost)} triple(s) van het bestaande bestand zouden verloren "
            f"gaan / refusing to replace: {len(lost)} triple(s) of the existing file would be lost"
        )


def _sort_key(t: ox.Triple) -> tuple:
    order = {A.value: 0, LABEL.value: 1}
    return (str(t.subject.value), order.get(t.predicate.value, 2), t.predicate.value, str(t.object))


HEADER = """# =================================================================================================
# Gekoppelde gegevens: wat `ggsr-kg link` bij een extern SPARQL-endpoint (standaard Wikidata) of, als
# terugval, in de meegeleverde momentopname (data/opendata) vond over onze gemeenten en provincies.
# Linked data: what `ggsr-kg link` found about our municipalities and provinces.
#
# GEGENEREERD door `ggsr-kg link`; niet met de hand bewerken. Elke run is een prov:Activity; elk
# gevonden feit een rdf:Statement met prov:wasGeneratedBy die run. Conflicten staan als skos:note
# bij de run. Het bestand groeit alleen: een run voegt toe en verwijdert niets. Zie README.md hier.
# GENERATED by `ggsr-kg link`; do not edit by hand. See README.md in this folder.
# =================================================================================================

"""


def serialise(triples: Iterable[ox.Triple]) -> bytes:
    body = ox.serialize(
        sorted(set(triples), key=_sort_key), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES
    )
    return HEADER.encode() + body


def write_atomic(path: Path, triples: list[ox.Triple], old: list[ox.Triple]) -> None:
    """Write ``triples`` to ``path`` via a temporary file in the same folder, read back and checked
    against ``old`` before the rename; on any failure the old file stays as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(serialise(triples))
            fh.flush()
            os.fsync(fh.fileno())
        back = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(path=str(tmp), format=ox.RdfFormat.TURTLE)
        ]
        check_keeps(old, back)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# ---- the whole command -------------------------------------------------------------------------


def default_out() -> Path:
    """``data/gelinkt/gelinkt.ttl`` of the checkout; installed, ``--out`` is required."""
    data = resource_dir("data")
    if (data.parent / "pyproject.toml").is_file():
        return data / "gelinkt" / "gelinkt.ttl"
    raise InputError(
        "geen checkout: geef --out BESTAND (het meegeleverde pakket wordt niet overschreven) / "
        "not a source checkout: give --out FILE (the installed package is never written to)"
    )


@dataclass
class Outcome:
    run: Run
    path: Path
    before: int
    after: int


def link(
    store: ox.Store,
    out: Path,
    *,
    endpoint: str = DEFAULT_ENDPOINT,
    offline: bool = False,
    timeout: float = 30.0,
    progress: Progress = lambda _: None,
    notice: Progress = lambda _: None,
) -> Outcome:
    """Link every area of ``store`` and merge the run into ``out`` (see the module docstring)."""
    from .remote import endpoint_urls

    if out.suffix.lower() != ".ttl":
        raise InputError(f"{out}: --out moet een .ttl-bestand zijn / must be a .ttl file")
    old = read_linked(out)  # refuse early, before any request, if the old file is unreadable
    gemeenten, provincies = areas(store)
    if not gemeenten and not provincies:
        raise InputError("geen gemeenten of provincies in de data / no municipalities or provinces")
    if offline:
        run = from_snapshot(gemeenten, provincies, reason="--offline", progress=progress)
    else:
        url = endpoint_urls(endpoint).query
        try:
            run = fetch(url, gemeenten, provincies, timeout=timeout, progress=progress)
        except EndpointError as exc:
            notice(
                f"endpoint niet bruikbaar, terugval op de meegeleverde momentopname (data/opendata) "
                f"/ endpoint failed, falling back to the shipped snapshot: {exc}"
            )
            run = from_snapshot(gemeenten, provincies, reason=str(exc), progress=progress)
    merged = list(dict.fromkeys([*old, *run_triples(run)]))
    check_keeps(old, merged)
    write_atomic(out, merged, old)
    return Outcome(run=run, path=out, before=len(set(old)), after=len(set(merged)))
