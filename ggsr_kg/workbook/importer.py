"""Reading a filled workbook (.xlsx or a folder of CSV files) into RDF in the GGSR ontology.

Every row counts: a row becomes triples, or every problem with it is reported with sheet, row,
column and reason (:class:`Probleem`). The result is only usable when there are no problems; the
command writes nothing otherwise. The mapping itself — which column becomes which property, how a
value is looked up — is the table in mapping.py; this module walks it.

IRIs are derived from the municipality, the year and the row's content (see docs/werkboek.md):
``id:<gemeente>-<aanpak>-<jaar>`` for the network, ``id:<gemeente>-org-<naam>`` for an
organisation, ``id:doc-<titel>`` for a document, and so on; identical rows give identical IRIs, so
importing the same workbook twice gives the same graph.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ..errors import InputError
from ..namespaces import BRON, GGSR, ID, ORG
from ..resources import resource_dir
from .mapping import (
    BLADEN,
    INSTRUCTIE,
    LIJSTEN,
    NETWERK_WOORD,
    NETWERKROLLEN,
    SCHEIDER,
    VERWIJZING,
    VERZONNEN_CODE,
    Blad,
    Kolom,
    lijsten,
    norm,
    slug,
)
from .template import is_map

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000  # rows per sheet (the template validates 1,000), counted while reading
MAX_COLUMNS = 64  # columns read per row (the widest sheet has 15); more are not looked at
NIET_BEREKEND = (
    "formule zonder berekende waarde: open het werkboek in Excel en sla het op / formula not "
    "calculated: open the workbook in Excel and save it"
)
_BLAD_VOLGORDE = {b.naam: i for i, b in enumerate(BLADEN)}
_CBS = re.compile(r"^(?:GM)?(\d{4})$", re.IGNORECASE)


# ---- what goes wrong -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Probleem:
    """One reason a row (or a cell, or a heading) is not taken over."""

    blad: str
    rij: int
    kolom: str | None
    reden: str

    def __str__(self) -> str:
        kolom = f", kolom {self.kolom}" if self.kolom else ""
        return f"Blad {self.blad}, rij {self.rij}{kolom}: {self.reden}"

    @property
    def sorteer(self):
        return (
            _BLAD_VOLGORDE.get(self.blad, 99),
            self.blad,
            self.rij,
            self.kolom or "",
            self.reden,
        )


class _Fout(Exception):
    """A cell value that cannot be read; the message is the reason."""


@dataclass
class Resultaat:
    graaf: Graph
    bron: URIRef
    bestand: str
    rijen: int  # rows read
    netwerken: list[tuple[str, str, int]]  # (gemeente, aanpak, jaar)
    waarschuwingen: list[str] = field(default_factory=list)
    problemen: list[Probleem] = field(default_factory=list)


# ---- reading the tables ------------------------------------------------------------------------


@dataclass
class Tabel:
    blad: str
    rijen: list[tuple[int, dict[str, object]]]  # (row number, field → raw cell value)


def _leeg(waarde: object) -> bool:
    return waarde is None or (isinstance(waarde, str) and not waarde.strip())


def lees(pad: Path) -> tuple[dict[str, Tabel], list[Probleem], str]:
    """The sheets of an .xlsx file or a CSV folder, heading problems, and a content hash."""
    pad = Path(pad)
    if is_map(pad):
        if not pad.is_dir():
            raise InputError(f"{pad}: map bestaat niet / folder does not exist")
        return _lees_csv(pad)
    if not pad.exists() and not pad.is_symlink():
        raise InputError(f"{pad}: bestand bestaat niet / file does not exist")
    if pad.suffix.lower() != ".xlsx":
        raise InputError(
            f"{pad}: geen werkboek (verwacht .xlsx of een map met CSV-bestanden) / "
            "not a workbook (.xlsx or a folder of CSV files)"
        )
    return _lees_xlsx(pad)


def _lees_xlsx(pad: Path) -> tuple[dict[str, Tabel], list[Probleem], str]:
    """The sheets of an .xlsx file, bounded while they are read: a forged ``<dimension>`` is
    ignored (``reset_dimensions``), at most :data:`MAX_COLUMNS` columns and :data:`MAX_ROWS` rows
    a sheet. A formula without a cached value (a file written by a program, never opened in
    Excel) is a problem of its own, not an empty cell."""
    from openpyxl import load_workbook

    from ..rdfio import read_bytes_raw

    data = read_bytes_raw(pad, MAX_BYTES)
    bladen = _xlsx_bladen(pad, data, data_only=True)
    formules = _xlsx_bladen(pad, data, data_only=False)
    problemen = []
    for naam, rijen in bladen.items():
        koppen = formules[naam][0] if formules[naam] else []
        for nr, (waarden, ruw) in enumerate(zip(rijen, formules[naam], strict=False), start=1):
            for i, (w, f) in enumerate(zip(waarden, ruw, strict=False)):
                if w is None and isinstance(f, str) and f.startswith("="):
                    kop = koppen[i] if i < len(koppen) and isinstance(koppen[i], str) else None
                    problemen.append(Probleem(naam, nr, kop, NIET_BEREKEND))
    del load_workbook
    tabellen, meer = _tabellen(bladen)
    return tabellen, problemen + meer, hashlib.sha256(data).hexdigest()


def _xlsx_bladen(pad: Path, data: bytes, *, data_only: bool) -> dict[str, list[list[object]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(
            f"{pad}: geen leesbaar .xlsx-bestand ({exc.__class__.__name__}: {exc}) / "
            "not a readable .xlsx file"
        ) from None
    bladen: dict[str, list[list[object]]] = {}
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # a forged <dimension> must not size anything
            rijen: list[list[object]] = []
            for r in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                if len(rijen) >= MAX_ROWS:
                    raise InputError(
                        f"{pad}: blad {ws.title!r} heeft meer dan {MAX_ROWS} rijen / sheet has "
                        f"more than {MAX_ROWS} rows"
                    )
                rijen.append(list(r))
            while rijen and all(_leeg(v) for v in rijen[-1]):
                rijen.pop()
            bladen[ws.title] = rijen
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise InputError(
            f"{pad}: geen leesbaar .xlsx-bestand ({exc.__class__.__name__}: {exc}) / "
            "not a readable .xlsx file"
        ) from None
    finally:
        wb.close()
    return bladen


def _lees_csv(map_: Path) -> tuple[dict[str, Tabel], list[Probleem], str]:
    from ..rdfio import read_bytes_raw

    bladen: dict[str, list[list[object]]] = {}
    h = hashlib.sha256()
    for f in sorted(map_.glob("*.csv")):
        data = read_bytes_raw(f, MAX_BYTES)  # a regular file, never /dev/zero or a FIFO
        h.update(f.name.encode() + b"\0" + data + b"\0")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
        eerste = text.split("\n", 1)[0]
        scheiding = max((";", ",", "\t"), key=eerste.count)
        rows = []
        try:
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=scheiding):
                if len(rows) >= MAX_ROWS:
                    raise InputError(f"{f}: meer dan {MAX_ROWS} rijen / more than {MAX_ROWS} rows")
                rows.append([_ontwapend(v) for v in row[:MAX_COLUMNS]])
        except csv.Error as exc:
            raise InputError(f"{f}: geen geldige CSV ({exc}) / not valid CSV") from None
        bladen[f.stem] = rows
    if not bladen:
        raise InputError(
            f"{map_}: geen CSV-bestanden gevonden (verwacht Aanpak.csv, Organisaties.csv …) / "
            "no CSV files found"
        )
    tabellen, problemen = _tabellen(bladen)
    return tabellen, problemen, h.hexdigest()


def _ontwapend(waarde: str) -> str:
    """A cell the CSV export neutralised (``'=…``, see :func:`ggsr_kg.output.spreadsheet_safe`)
    reads back as it was."""
    if len(waarde) > 1 and waarde[0] == "'" and waarde[1] in "=+-@\t\r":
        return waarde[1:]
    return waarde


def _tabellen(bladen: dict[str, list[list[object]]]) -> tuple[dict[str, Tabel], list[Probleem]]:
    problemen: list[Probleem] = []
    tabellen: dict[str, Tabel] = {}
    bekend = {norm(b.naam): b for b in BLADEN}
    for naam, rows in bladen.items():
        if norm(naam) in {norm(INSTRUCTIE), norm(LIJSTEN)}:
            continue
        blad = bekend.get(norm(naam))
        gevuld = any(not _leeg(v) for r in rows[1:] for v in r)
        if blad is None:
            if gevuld:
                problemen.append(
                    Probleem(
                        naam,
                        1,
                        None,
                        "onbekend blad; de inhoud wordt niet ingelezen (bekende bladen: "
                        + ", ".join(b.naam for b in BLADEN)
                        + ")",
                    )
                )
            continue
        if blad.naam in tabellen:
            problemen.append(Probleem(naam, 1, None, f"blad {blad.naam} staat er twee keer in"))
            continue
        tabellen[blad.naam] = _tabel(blad, rows, problemen)
    return tabellen, problemen


def _tabel(blad: Blad, rows: list[list[object]], problemen: list[Probleem]) -> Tabel:
    koppen = rows[0] if rows else []
    kolommen = {norm(k.kop): k for k in blad.alle_kolommen}
    positie: dict[int, Kolom] = {}
    gezien: dict[str, int] = {}
    for j, kop in enumerate(koppen):
        data_in_kolom = any(j < len(r) and not _leeg(r[j]) for r in rows[1:])
        if _leeg(kop):
            if data_in_kolom:
                problemen.append(
                    Probleem(blad.naam, 1, f"{_letter(j)}", "kolom zonder kop maar met waarden")
                )
            continue
        tekst = str(kop).strip().rstrip("*").strip()
        k = kolommen.get(norm(tekst))
        if k is None:
            if data_in_kolom:
                problemen.append(
                    Probleem(
                        blad.naam,
                        1,
                        tekst,
                        "onbekende kolom; de waarden worden niet ingelezen (bekende kolommen: "
                        + ", ".join(k.kop for k in blad.alle_kolommen)
                        + ")",
                    )
                )
            continue
        if k.veld in gezien:
            problemen.append(Probleem(blad.naam, 1, k.kop, "kolom staat er twee keer in"))
            continue
        gezien[k.veld] = j
        positie[j] = k
    tabel = Tabel(blad.naam, [])
    for i, r in enumerate(rows[1:], start=2):
        if all(_leeg(v) for v in r):
            continue
        tabel.rijen.append((i, {k.veld: r[j] for j, k in positie.items() if j < len(r)}))
    if tabel.rijen:
        for k in blad.alle_kolommen:
            if k.verplicht and k.veld not in gezien:
                problemen.append(Probleem(blad.naam, 1, k.kop, "verplichte kolom ontbreekt"))
    return tabel


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)


# ---- reading one cell ---------------------------------------------------------------------------


def _tekst(waarde: object) -> str:
    if isinstance(waarde, bool):
        return "ja" if waarde else "nee"
    if isinstance(waarde, float) and waarde.is_integer():
        return str(int(waarde))
    if isinstance(waarde, dt.datetime):
        return waarde.date().isoformat() if waarde.time() == dt.time() else waarde.isoformat()
    if isinstance(waarde, dt.date):
        return waarde.isoformat()
    return str(waarde).strip()


def _geheel(waarde: object) -> int:
    if isinstance(waarde, bool):
        raise _Fout(f"'{_tekst(waarde)}' is geen geheel getal")
    if isinstance(waarde, int):
        return waarde
    if isinstance(waarde, float) and waarde.is_integer():
        return int(waarde)
    tekst = _tekst(waarde)
    if re.fullmatch(r"[+-]?\d+", tekst):
        return int(tekst)
    if re.fullmatch(r"[+-]?\d+[.,]0+", tekst):
        return int(re.split(r"[.,]", tekst)[0])
    raise _Fout(f"'{tekst}' is geen geheel getal")


_DATUM_PATRONEN = (
    (re.compile(r"^(\d{4})$"), "jaar"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "maand"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "dag"),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), "nl"),
    (re.compile(r"^(?:(\d{1,2})\s+)?([a-z]+)\.?\s+(\d{4})$", re.IGNORECASE), "maandnaam"),
)
_MAANDEN = {
    m: i
    for i, namen in enumerate(
        (
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt", "mar"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in namen
}


def _datum(waarde: object) -> Literal:
    if isinstance(waarde, dt.datetime):
        if waarde.time() != dt.time():
            raise _Fout(f"'{_tekst(waarde)}' is een tijdstip, geen datum")
        return Literal(waarde.date().isoformat(), datatype=XSD.date)
    if isinstance(waarde, dt.date):
        return Literal(waarde.isoformat(), datatype=XSD.date)
    if isinstance(waarde, int) and not isinstance(waarde, bool) and 1000 <= waarde <= 2999:
        return Literal(str(waarde), datatype=XSD.gYear)
    tekst = _tekst(waarde)
    for patroon, wijze in _DATUM_PATRONEN:
        m = patroon.match(tekst)
        if not m:
            continue
        try:
            if wijze == "jaar":
                return Literal(m.group(1), datatype=XSD.gYear)
            if wijze == "maand":
                jaar, maand = int(m.group(1)), int(m.group(2))
                dt.date(jaar, maand, 1)
                return Literal(f"{jaar:04d}-{maand:02d}", datatype=XSD.gYearMonth)
            if wijze == "maandnaam":  # '3 maart 2014', 'maart 2014'
                maand = _MAANDEN.get(m.group(2).lower())
                if maand is None:
                    break
                if m.group(1) is None:
                    return Literal(f"{int(m.group(3)):04d}-{maand:02d}", datatype=XSD.gYearMonth)
                d = dt.date(int(m.group(3)), maand, int(m.group(1)))
            elif wijze == "dag":
                d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            else:
                d = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            return Literal(d.isoformat(), datatype=XSD.date)
        except ValueError:
            break
    raise _Fout(
        f"'{tekst}' is geen datum (bijv. 2014, 2014-03, 2014-03-01, 1-3-2014 of maart 2014)"
    )


_JA = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
_NEE = {"nee", "n", "no", "false", "onwaar", "0"}


def _janee(waarde: object) -> bool:
    if isinstance(waarde, bool):
        return waarde
    tekst = norm(_tekst(waarde))
    if tekst in _JA:
        return True
    if tekst in _NEE:
        return False
    raise _Fout(f"'{_tekst(waarde)}' is geen ja of nee")


_SCHEIDING = re.compile(rf"[{SCHEIDER}\r\n]")


def splits(tekst: str) -> list[str]:
    """The values of a multi-valued cell: separated by semicolons or line breaks, never by commas
    (names and list labels contain commas: 'Politie, team Zwolle')."""
    return [deel.strip() for deel in _SCHEIDING.split(tekst) if deel.strip()]


def komma_hint(waarde: str, bekend: Callable[[str], bool]) -> str:
    """When an unknown value is known values joined by commas: how to write it instead."""
    delen = [d.strip() for d in waarde.split(",")]
    if len(delen) > 1 and all(d and bekend(d) for d in delen):
        return (
            f"; meer waarden scheidt u met een puntkomma, niet met een komma: "
            f"'{f'{SCHEIDER} '.join(delen)}'"
        )
    return ""


def lees_cel(kolom: Kolom, waarde: object) -> object:
    """A cell as a Python value (references stay text; they are resolved later)."""
    soort = kolom.soort
    if soort == "tekst":
        return _tekst(waarde)
    if soort == "teksten":
        return [t.strip() for t in _tekst(waarde).splitlines() if t.strip()]
    if soort == "geheel":
        n = _geheel(waarde)
        minimum = 1 if kolom.veld == "stap" else 0
        if n < minimum:
            raise _Fout(f"'{n}' moet {minimum} of meer zijn")
        return n
    if soort in {"jaar", "netwerk-jaar"}:
        try:
            n = _geheel(waarde)
        except _Fout:
            raise _Fout(f"'{_tekst(waarde)}' is geen jaartal") from None
        if not 2000 <= n <= 2030:
            raise _Fout(f"'{n}' is geen jaartal tussen 2000 en 2030")
        return n
    if soort == "datum":
        return _datum(waarde)
    if soort == "janee":
        return _janee(waarde)
    if soort in {"keuze", "keuzes", "rollen"}:
        lijst = lijsten()[kolom.lijst]
        tekst = _tekst(waarde)
        delen = [tekst] if soort == "keuze" else splits(tekst)
        uit = []
        for deel in delen:
            iri = lijst.zoek(deel)
            if iri is None:
                hint = komma_hint(deel, lambda d: lijst.zoek(d) is not None)
                if soort == "keuze" and hint:
                    hint = " (hier past één waarde)"
                raise _Fout(
                    f"'{deel}' staat niet in de lijst {kolom.lijst} (kies uit het uitklapmenu)"
                    + hint
                )
            uit.append(iri)
        if soort == "keuze":
            return uit[0]
        return list(dict.fromkeys(uit))
    return _tekst(waarde)  # references and the Aanpak column: text, resolved later


# ---- the municipalities of the CBS list -------------------------------------------------------------


@cache
def cbs_gemeenten() -> dict[str, tuple[str, str]]:
    """norm(name) → (CBS code, name), from the shipped open-data snapshot; current ones win."""
    pad = resource_dir("data") / "opendata" / "gemeenten.csv"
    uit: dict[str, tuple[str, str]] = {}
    if not pad.is_file():
        return uit
    with pad.open(encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: r.get("geldig_tot") == "")
    for r in rows:  # former municipalities first, current ones overwrite them
        code, naam = r["cbs_code"], r["naam"]
        officieel = r.get("officiele_naam") or ""
        for sleutel in {naam, officieel, re.sub(r"^gemeente\s+", "", officieel, flags=re.I)}:
            if sleutel:
                uit[norm(sleutel)] = (code, naam)
        uit[norm(code)] = (code, naam)
    return uit


# ---- the import ------------------------------------------------------------------------------------


@dataclass
class _Rij:
    blad: Blad
    nr: int
    ruw: dict[str, object]
    waarden: dict[str, object] = field(default_factory=dict)
    netwerk: _Netwerk | None = None
    iri: URIRef | None = None
    fout: bool = False
    dubbel: bool = False

    def plaats(self) -> str:  # noqa: D102
        return f"Blad {self.blad.naam}, rij {self.nr}"


@dataclass
class _Netwerk:
    iri: URIRef
    aanpak: str
    aanpak_iri: URIRef
    jaar: int
    rij: int
    functies: dict[str, URIRef] = field(default_factory=dict)

    @property
    def lokaal(self) -> str:
        return str(self.iri)[len(str(ID)) :]


class _Import:
    def __init__(self, pad: Path):
        self.pad = Path(pad)
        self.problemen: list[Probleem] = []
        self.g = Graph()
        self.herkomst: dict[URIRef, list[str]] = defaultdict(list)
        self.netwerken: list[_Netwerk] = []
        self.gemeente = ""
        self.gemeente_iri: URIRef | None = None
        self.cbs: str | None = None
        self.g_slug = ""
        self.organisaties: dict[str, URIRef] = {}
        self.documenten: dict[str, URIRef] = {}
        self.aanpakken: dict[str, URIRef] = {}
        self.iris: dict[URIRef, object] = {}  # IRI → the key it was minted for
        # triple → (sheet, row, column) of the cell it came from, to place quality findings
        self.oorsprong: dict[tuple, tuple[str, int, str]] = {}

    # -- helpers --

    def probleem(self, rij: _Rij | None, kolom: str | None, reden: str, blad: str = "") -> None:
        if rij is not None:
            rij.fout = True
            self.problemen.append(Probleem(rij.blad.naam, rij.nr, kolom, reden))
        else:
            self.problemen.append(Probleem(blad, 1, kolom, reden))

    def uniek(self, basis: str, sleutel: object) -> URIRef:
        """The IRI ``id:<basis>`` for ``sleutel``; another key with the same slug gets -2, -3 …"""
        n = 1
        while True:
            iri = URIRef(ID + (basis if n == 1 else f"{basis}-{n}"))
            if self.iris.setdefault(iri, sleutel) == sleutel:
                return iri
            n += 1

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    # -- the steps --

    def run(self, tabellen: dict[str, Tabel]) -> list[_Rij]:
        rijen = {
            b.naam: [_Rij(b, nr, ruw) for nr, ruw in tabellen.get(b.naam, Tabel(b.naam, [])).rijen]
            for b in BLADEN
        }
        for blad_rijen in rijen.values():
            for rij in blad_rijen:
                self.lees_cellen(rij)
        self.aanpak(rijen["Aanpak"])
        for naam in ("Organisaties", "Functies", "Bevoegdheden", "Escalatie", "Documenten"):
            for rij in rijen[naam]:
                self.wijs_netwerk_toe(
                    rij, verplicht=naam != "Organisaties" or bool(rij.waarden.get("rol"))
                )
        for naam in ("Doelgroep", "Verklaringen"):
            for rij in rijen[naam]:
                self.wijs_netwerk_toe(rij, verplicht=True)
        self.organisaties_(rijen["Organisaties"])
        self.documenten_(rijen["Documenten"])
        self.functies_(rijen["Functies"])
        self.bevoegdheden_(rijen["Bevoegdheden"])
        self.escalatie_(rijen["Escalatie"])
        self.per_netwerk(rijen["Doelgroep"], "doelgroep")
        self.per_netwerk(rijen["Verklaringen"], "verklaring")
        alle = [r for b in BLADEN for r in rijen[b.naam]]
        for rij in alle:
            self.triples(rij)
        return alle

    def lees_cellen(self, rij: _Rij) -> None:
        for k in rij.blad.alle_kolommen:
            waarde = rij.ruw.get(k.veld)
            if _leeg(waarde):
                if k.verplicht:
                    self.probleem(rij, k.kop, "verplichte cel is leeg")
                continue
            try:
                rij.waarden[k.veld] = lees_cel(k, waarde)
            except _Fout as exc:
                self.probleem(rij, k.kop, str(exc))
                continue
            if k.genoemd and _SCHEIDING.search(str(rij.waarden[k.veld])):
                self.probleem(
                    rij,
                    k.kop,
                    f"'{rij.waarden[k.veld]}': een naam mag geen puntkomma of regeleinde bevatten "
                    "(die scheiden namen in andere kolommen)",
                )
        for veld, als in rij.blad.verplicht_als.items():
            if _leeg(rij.ruw.get(veld)) and any(not _leeg(rij.ruw.get(v)) for v in als):
                self.probleem(rij, rij.blad.kolom(veld).kop, "verplichte cel is leeg")

    def aanpak(self, rijen: list[_Rij]) -> None:
        if not rijen:
            self.problemen.append(
                Probleem("Aanpak", 2, None, "geen aanpak ingevuld (gemeente, aanpak, jaar)")
            )
            return
        gezien: dict[tuple[str, int], int] = {}
        for rij in rijen:
            w = rij.waarden
            if "gemeente" not in w:  # reported; go on with a stand-in to check the other sheets
                w["gemeente"] = self.gemeente or "onbekend"
            lijst = cbs_gemeenten().get(norm(w["gemeente"]))
            if lijst and not _CBS.match(str(w["gemeente"]).strip()):
                w["gemeente"] = lijst[1]  # the name CBS uses: 'gemeente Zwolle' → 'Zwolle'
            if not self.gemeente:
                self.gemeente = w["gemeente"]
                self.g_slug = slug(self.gemeente)
                self.gemeente_iri = URIRef(ID + f"gemeente-{self.g_slug}")
                self.cbs = self.cbs_code(rij) if not rij.fout else None
                if self.cbs:  # the code as written into the graph: normalised or looked up
                    rij.waarden["cbs"] = self.cbs
                else:
                    rij.waarden.pop("cbs", None)
            elif norm(w["gemeente"]) != norm(self.gemeente):
                self.probleem(
                    rij,
                    "Gemeente",
                    f"'{w['gemeente']}' wijkt af van '{self.gemeente}' (rij {rijen[0].nr}); "
                    "één gemeente per werkboek",
                )
                continue
            elif w.get("cbs") and self.cbs and self.normaliseer_cbs(w["cbs"]) != self.cbs:
                self.probleem(rij, "CBS-code", f"'{w['cbs']}' wijkt af van {self.cbs}")
            else:
                w.pop("cbs", None)  # written once, from the first row
            # a missing or wrong approach or year is reported; a stand-in keeps the rows of the
            # other sheets checkable
            aanpak, jaar = w.get("aanpak", "onbekend"), w.get("jaar", 0)
            sleutel = (norm(aanpak), jaar)
            if sleutel in gezien:
                self.probleem(
                    rij,
                    "Aanpak",
                    f"aanpak '{aanpak}' in {jaar} staat al op rij {gezien[sleutel]}",
                )
                continue
            gezien[sleutel] = rij.nr
            aanpak_slug = slug(aanpak, 40)
            if not aanpak_slug.endswith("aanpak"):
                aanpak_slug += "-aanpak"
            aanpak_iri = self.uniek(f"{self.g_slug}-{aanpak_slug}", ("aanpak", norm(aanpak)))
            self.aanpakken[norm(aanpak)] = aanpak_iri
            net_iri = self.uniek(
                f"{str(aanpak_iri)[len(str(ID)) :]}-{jaar}", ("netwerk",) + sleutel
            )
            net = _Netwerk(net_iri, aanpak, aanpak_iri, jaar, rij.nr)
            self.netwerken.append(net)
            rij.netwerk, rij.iri = net, net_iri

    def normaliseer_cbs(self, tekst: str) -> str | None:
        m = _CBS.match(str(tekst).strip())
        return f"GM{m.group(1)}" if m else None

    def cbs_code(self, rij: _Rij) -> str | None:
        gegeven = rij.waarden.get("cbs")
        bekend = cbs_gemeenten().get(norm(self.gemeente))
        if gegeven:
            code = self.normaliseer_cbs(gegeven)
            if code is None:
                self.probleem(rij, "CBS-code", f"'{gegeven}' is geen CBS-gemeentecode (GMnnnn)")
                return None
            eigenaar = cbs_gemeenten().get(norm(code))
            if bekend and bekend[0] != code and not (eigenaar and eigenaar[1] == bekend[1]):
                van = f"de code van {eigenaar[1]}" if eigenaar else "geen code uit de CBS-lijst"
                self.probleem(
                    rij,
                    "CBS-code",
                    f"{code} is {van}; {bekend[1]} heeft {bekend[0]} (laat de cel leeg: de code "
                    "wordt opgezocht)",
                )
            elif bekend is None and eigenaar:
                self.probleem(
                    rij,
                    "CBS-code",
                    f"{code} is de code van {eigenaar[1]}; een gemeente die niet in de CBS-lijst "
                    f"staat, krijgt een code die CBS niet gebruikt, bijv. {VERZONNEN_CODE}",
                )
            return code
        if bekend is None:
            import difflib

            namen = sorted({naam for _, naam in cbs_gemeenten().values()})
            bijna = difflib.get_close_matches(self.gemeente, namen, n=3, cutoff=0.8)
            bedoeld = f" Bedoelt u {' of '.join(bijna)}?" if bijna else ""
            self.probleem(
                rij,
                "CBS-code",
                f"gemeente '{self.gemeente}' staat niet in de CBS-lijst van gemeenten.{bedoeld} "
                f"Een verzonnen gemeente (oefening, voorbeeld) mag: vul dan een CBS-code in die "
                f"CBS niet gebruikt, bijv. {VERZONNEN_CODE}",
            )
            return None
        return bekend[0]

    def wijs_netwerk_toe(self, rij: _Rij, verplicht: bool) -> None:
        aanpak = rij.waarden.get("_aanpak")
        jaar = rij.waarden.get("_jaar")
        if not self.netwerken:
            return
        if aanpak is None and jaar is None:
            if len(self.netwerken) == 1:
                rij.netwerk = self.netwerken[0]
            elif verplicht:
                self.probleem(
                    rij,
                    "Aanpak",
                    "het blad Aanpak heeft meer aanpakken of jaren; vul Aanpak en/of Jaar in",
                )
            return
        kandidaten = [
            n
            for n in self.netwerken
            if (aanpak is None or norm(n.aanpak) == norm(aanpak))
            and (jaar is None or n.jaar == jaar)
        ]
        if len(kandidaten) == 1:
            rij.netwerk = kandidaten[0]
        elif not kandidaten:
            wat = " ".join(str(x) for x in (aanpak, jaar) if x is not None)
            self.probleem(
                rij, "Aanpak" if aanpak else "Jaar", f"'{wat}' staat niet op het blad Aanpak"
            )
        else:
            self.probleem(
                rij,
                "Jaar" if jaar is None else "Aanpak",
                "meer dan één aanpak past; vul ook "
                + ("Jaar" if jaar is None else "Aanpak")
                + " in",
            )

    # -- identity of the row nodes --

    def dubbel(
        self, rijen: Iterable[_Rij], sleutel: Callable[[_Rij], object], kolom: str, wat: str
    ):
        gezien: dict[object, _Rij] = {}
        for rij in rijen:
            if sleutel(rij) is None:
                continue
            k = (id(rij.netwerk) if rij.netwerk else None, sleutel(rij))
            if k in gezien:
                self.probleem(rij, kolom, f"{wat} staat al op rij {gezien[k].nr}")
                rij.dubbel = True
            else:
                gezien[k] = rij

    def eens(self, rijen: list[_Rij], velden: Iterable[str], wat: str) -> None:
        """Rows that make the same node must agree on its single-valued cells."""
        for veld in velden:
            waarden = {}
            for rij in rijen:
                if veld in rij.waarden and not rij.dubbel:  # a duplicate is reported already
                    waarden.setdefault(_vergelijk(rij.waarden[veld]), rij)
            if len(waarden) > 1:
                eerste = next(iter(waarden.values()))
                for rij in list(waarden.values())[1:]:
                    kolom = rij.blad.kolom(veld).kop
                    self.probleem(
                        rij,
                        kolom,
                        f"{wat}: '{rij.ruw.get(veld)}' wijkt af van '{eerste.ruw.get(veld)}' "
                        f"op rij {eerste.nr}",
                    )

    def organisaties_(self, rijen: list[_Rij]) -> None:
        self.dubbel(rijen, lambda r: _veld(r, "naam"), "Naam", "deze organisatie")
        groepen: dict[str, list[_Rij]] = defaultdict(list)
        for rij in rijen:
            if "naam" in rij.waarden:
                groepen[norm(rij.waarden["naam"])].append(rij)
        for sleutel, groep in groepen.items():
            self.eens(groep, ("soort", "onderdeel"), f"organisatie '{groep[0].waarden['naam']}'")
            soort = groep[0].waarden.get("soort") or []
            naam = groep[0].waarden["naam"]
            if GGSR.Gemeente in soort:
                iri = URIRef(ID + f"gemeente-{slug(naam)}")
                if norm(naam) == norm(self.gemeente):
                    code = self.cbs
                else:
                    code = (cbs_gemeenten().get(norm(naam)) or (None,))[0]
                    if code is None:
                        self.probleem(
                            groep[0], "Soort", f"gemeente '{naam}' staat niet in de CBS-lijst"
                        )
                if code:
                    self.add(iri, GGSR.cbsCode, Literal(code))
            else:
                iri = self.uniek(f"{self.g_slug}-org-{slug(naam)}", ("org", sleutel))
            self.organisaties[sleutel] = iri
            for rij in groep:
                rij.iri = iri

    def documenten_(self, rijen: list[_Rij]) -> None:
        self.dubbel(rijen, lambda r: _veld(r, "titel"), "Titel", "dit document")
        groepen: dict[str, list[_Rij]] = defaultdict(list)
        for rij in rijen:
            if "titel" in rij.waarden:
                groepen[norm(rij.waarden["titel"])].append(rij)
        for sleutel, groep in groepen.items():
            self.eens(
                groep, ("soort", "datum", "betreft"), f"document '{groep[0].waarden['titel']}'"
            )
            iri = self.uniek(f"doc-{slug(groep[0].waarden['titel'])}", ("doc", sleutel))
            self.documenten[sleutel] = iri
            for rij in groep:
                rij.iri = iri

    def gedeeld(self, rijen: list[_Rij], sleutel, inhoud, basis_gedeeld, basis_eigen) -> None:
        """Rows with the same key in the same year: one node when they say the same in every
        network (a role that serves two approaches), else one node per network."""
        groepen: dict[tuple, list[_Rij]] = defaultdict(list)
        for rij in rijen:
            if rij.netwerk is not None and sleutel(rij) is not None:
                groepen[(rij.netwerk.jaar, sleutel(rij))].append(rij)
        for (jaar, k), groep in groepen.items():
            per_netwerk: dict[int, set] = defaultdict(set)
            for rij in groep:
                per_netwerk[id(rij.netwerk)].add(inhoud(rij))
            samen = len({frozenset(v) for v in per_netwerk.values()}) == 1
            for rij in groep:
                if samen:
                    rij.iri = self.uniek(basis_gedeeld(rij), (rij.blad.naam, jaar, k))
                else:
                    rij.iri = self.uniek(basis_eigen(rij), (rij.blad.naam, rij.netwerk.lokaal, k))

    def functies_(self, rijen: list[_Rij]) -> None:
        self.dubbel(rijen, lambda r: _veld(r, "functie"), "Functie", "deze functie")
        self.gedeeld(
            rijen,
            lambda r: _veld(r, "functie"),
            lambda r: self.opgelost(r, ("soort", "houder", "profiel", "taak", "caseload")),
            lambda r: f"{self.g_slug}-{r.netwerk.jaar}-{slug(r.waarden['functie'], 40)}",
            lambda r: f"{r.netwerk.lokaal}-{slug(r.waarden['functie'], 40)}",
        )
        groepen: dict[URIRef, list[_Rij]] = defaultdict(list)
        for rij in rijen:
            if rij.netwerk is not None and rij.iri is not None:
                rij.netwerk.functies.setdefault(norm(rij.waarden["functie"]), rij.iri)
                groepen[rij.iri].append(rij)
        for groep in groepen.values():
            self.eens(groep, ("soort", "caseload"), f"functie '{groep[0].waarden['functie']}'")

    def bevoegdheden_(self, rijen: list[_Rij]) -> None:
        for rij in rijen:
            if rij.netwerk is None or "functie" not in rij.waarden:
                continue
            functie = rij.netwerk.functies.get(norm(rij.waarden["functie"]))
            if functie is None:
                self.probleem(
                    rij,
                    "Functie",
                    f"'{rij.waarden['functie']}' staat niet op het blad Functies "
                    f"({rij.netwerk.aanpak} {rij.netwerk.jaar})",
                )
                continue
            rij.waarden["_functie_iri"] = functie
        geldig = [r for r in rijen if "_functie_iri" in r.waarden]
        sleutel = lambda r: (  # noqa: E731
            r.waarden["_functie_iri"],
            r.waarden.get("soort"),
            norm(r.waarden.get("omschrijving", "")),
        )
        self.dubbel(geldig, sleutel, "Omschrijving", "deze bevoegdheid van deze functie")
        groepen: dict[tuple, list[_Rij]] = defaultdict(list)
        for rij in geldig:
            groepen[sleutel(rij)].append(rij)
        for k, groep in groepen.items():
            rij = groep[0]
            naam = rij.waarden.get("omschrijving") or lijsten()["Bevoegdheidsoort"].label(
                rij.waarden.get("soort")
            )
            basis = f"{str(k[0])[len(str(ID)) :]}-{slug(naam or 'bevoegdheid', 40)}"
            iri = self.uniek(basis, ("bevoegdheid",) + k)
            self.eens(groep, ("voorwaarde", "document", "verleend"), "dezelfde bevoegdheid")
            for r in groep:
                r.iri = iri

    def escalatie_(self, rijen: list[_Rij]) -> None:
        for rij in rijen:
            if rij.netwerk is not None:
                rij.waarden.setdefault(
                    "_model",
                    rij.waarden.get("model") or f"escalatiepad {self.gemeente} {rij.netwerk.jaar}",
                )
        self.dubbel(
            rijen,
            lambda r: (
                (norm(r.waarden["_model"]), r.waarden["stap"])
                if "_model" in r.waarden and "stap" in r.waarden
                else None
            ),
            "Stap nr",
            "dit stapnummer van dit escalatiemodel",
        )
        modellen: dict[tuple, list[_Rij]] = defaultdict(list)
        for rij in rijen:
            if rij.netwerk is not None:
                modellen[(rij.netwerk.jaar, norm(rij.waarden["_model"]))].append(rij)
        for (jaar, m), groep in modellen.items():
            per_netwerk: dict[int, set] = defaultdict(set)
            for rij in groep:
                per_netwerk[id(rij.netwerk)].add(
                    self.opgelost(
                        rij,
                        (
                            "stap",
                            "niveau",
                            "actor",
                            "aanleiding",
                            "handeling",
                            "label",
                            "modeldocument",
                        ),
                    )
                )
            samen = len({frozenset(v) for v in per_netwerk.values()}) == 1
            for rij in groep:
                naam = slug(rij.waarden["_model"], 40)
                if samen:
                    basis, sleutel = f"{self.g_slug}-{jaar}-{naam}", (jaar, m)
                else:
                    basis, sleutel = f"{rij.netwerk.lokaal}-{naam}", (rij.netwerk.lokaal, m)
                model = self.uniek(basis, ("model",) + sleutel)
                rij.waarden["_model_iri"] = model
                if "stap" not in rij.waarden:  # a model without (known) steps
                    rij.waarden["_alleen_model"] = True
                    rij.iri = model
                else:
                    rij.iri = self.uniek(
                        f"{str(model)[len(str(ID)) :]}-stap-{rij.waarden['stap']}",
                        ("stap", model, rij.waarden["stap"]),
                    )
            # rows of one model must agree on where it is laid down
            per_model: dict[URIRef, list[_Rij]] = defaultdict(list)
            for rij in groep:
                per_model[rij.waarden["_model_iri"]].append(rij)
            for model_rijen in per_model.values():
                self.eens(model_rijen, ("modeldocument",), "escalatiemodel")
                stappen: dict[URIRef, list[_Rij]] = defaultdict(list)
                for rij in model_rijen:
                    if rij.iri is not None:
                        stappen[rij.iri].append(rij)
                for stap_rijen in stappen.values():
                    self.eens(
                        stap_rijen, ("niveau", "aanleiding", "handeling", "label"), "dezelfde stap"
                    )

    def per_netwerk(self, rijen: list[_Rij], wat: str) -> None:
        velden = [k.veld for k in rijen[0].blad.kolommen] if rijen else []
        self.dubbel(
            rijen,
            lambda r: _inhoud(r, velden),
            rijen[0].blad.kolommen[0].kop if rijen else "",
            f"deze {wat}",
        )
        for rij in rijen:
            if rij.netwerk is None or rij.fout:
                continue
            h = hashlib.sha1(repr(_inhoud(rij, velden)).encode()).hexdigest()[:8]
            eerste = ""
            if wat == "verklaring" and rij.waarden.get("onderwerp"):
                eerste = slug(str(rij.waarden["onderwerp"][0]).rsplit("/", 1)[-1], 30) + "-"
            rij.iri = self.uniek(
                f"{rij.netwerk.lokaal}-{wat}-{eerste}{h}", (wat, rij.netwerk.lokaal, h)
            )

    def opgelost(self, rij: _Rij, velden: Iterable[str]) -> tuple:
        """The row's content with names resolved to nodes where they resolve already ('netwerk'
        means another node in every network), for deciding whether rows are the same node."""
        uit = []
        for v in velden:
            if v not in rij.waarden:
                continue
            k = rij.blad.kolom(v)
            if k.soort in {"naam", "namen"}:
                namen = [rij.waarden[v]] if k.soort == "naam" else splits(rij.waarden[v])
                waarde = tuple(sorted(str(self.partij(n, rij.netwerk) or norm(n)) for n in namen))
                uit.append((v, waarde))
            else:
                uit.append((v, _vergelijk(rij.waarden[v])))
        return tuple(uit)

    # -- references --

    def partij(self, naam: str, netwerk: _Netwerk | None) -> URIRef | None:
        n = norm(naam)
        if n in self.organisaties:
            return self.organisaties[n]
        if self.gemeente and n in {norm(self.gemeente), "gemeente " + norm(self.gemeente)}:
            return self.gemeente_iri
        if netwerk is not None:
            if n == NETWERK_WOORD:
                return netwerk.iri
            if n in netwerk.functies:
                return netwerk.functies[n]
        if n.startswith(NETWERK_WOORD + " "):  # 'netwerk <aanpak> [<jaar>]': another network
            rest = n[len(NETWERK_WOORD) + 1 :]
            gevonden = [
                net.iri
                for net in self.netwerken
                if rest in {norm(net.aanpak), norm(f"{net.aanpak} {net.jaar}")}
            ]
            if len(gevonden) == 1:
                return gevonden[0]
        if netwerk is not None:  # a role of another network of the workbook, if the name is unique
            elders = {net.functies[n] for net in self.netwerken if n in net.functies}
            if len(elders) == 1:
                return elders.pop()
        return None

    def verwijzingen(self, rij: _Rij, k: Kolom) -> list[URIRef]:
        tekst = rij.waarden[k.veld]
        if k.soort in {"naam", "namen"}:
            namen = [tekst] if k.soort == "naam" else splits(tekst)
            uit = []
            for naam in namen:
                iri = self.partij(naam, rij.netwerk)
                if iri is None:
                    extra = (
                        ""
                        if rij.netwerk is not None
                        else " (functies en 'netwerk' alleen met Aanpak/Jaar)"
                    )
                    hint = komma_hint(naam, lambda d: self.partij(d, rij.netwerk) is not None)
                    if hint and k.soort == "naam":
                        hint = " (hier past één naam)"
                    self.probleem(
                        rij, k.kop, f"'{naam}' staat niet op het blad Organisaties{extra}{hint}"
                    )
                else:
                    uit.append(iri)
            return uit
        if k.soort == "document":
            iri = self.documenten.get(norm(tekst))
            if iri is None:
                self.probleem(rij, k.kop, f"'{tekst}' staat niet op het blad Documenten")
                return []
            return [iri]
        if k.soort == "functie":
            return [rij.waarden["_functie_iri"]] if "_functie_iri" in rij.waarden else []
        if k.soort == "aanpakken":
            uit = []
            for naam in splits(tekst):
                iri = self.aanpakken.get(norm(naam))
                if iri is None:
                    hint = komma_hint(naam, lambda d: norm(d) in self.aanpakken)
                    self.probleem(rij, k.kop, f"'{naam}' staat niet op het blad Aanpak{hint}")
                else:
                    uit.append(iri)
            return uit
        raise AssertionError(k.soort)

    def termen(self, rij: _Rij, k: Kolom) -> list:
        waarde = rij.waarden[k.veld]
        if k.soort in VERWIJZING:
            return self.verwijzingen(rij, k)
        if k.soort == "tekst":
            return [Literal(waarde, lang=k.taal) if k.taal else Literal(waarde)]
        if k.soort == "teksten":
            return [Literal(t, lang=k.taal) for t in waarde]
        if k.soort in {"geheel", "jaar"}:
            return [Literal(waarde, datatype=XSD.integer)]
        if k.soort == "datum":
            return [waarde]
        if k.soort == "janee":
            return [Literal(waarde)]
        if k.soort == "keuze":
            return [waarde]
        if k.soort == "keuzes":
            return list(waarde)
        return []

    # -- triples --

    def triples(self, rij: _Rij) -> None:
        blad, net, knoop = rij.blad, rij.netwerk, rij.iri
        if knoop is None:  # the row is rejected already; still check its names for the report
            for k in blad.kolommen:
                if k.veld in rij.waarden and k.soort in VERWIJZING - {"functie"}:
                    self.verwijzingen(rij, k)
            return
        self.herkomst[knoop].append(rij.plaats())
        if blad.naam == "Aanpak":  # the fixed structure: municipality ← approach ← network
            self.add(self.gemeente_iri, RDF.type, GGSR.Gemeente)
            self.add(net.aanpak_iri, RDF.type, GGSR.Aanpak)
            self.add(net.aanpak_iri, GGSR.gemeente, self.gemeente_iri)
            self.add(net.iri, GGSR.aanpak, net.aanpak_iri)
            self.add(
                net.iri, RDFS.label, Literal(f"{net.aanpak} {self.gemeente} {net.jaar}", lang="nl")
            )
            self.herkomst[net.aanpak_iri].append(rij.plaats())
            self.herkomst[self.gemeente_iri].append(rij.plaats())
        model = rij.waarden.get("_model_iri")
        alleen_model = bool(rij.waarden.get("_alleen_model"))
        if blad.klasse is not None and not alleen_model:
            self.add(knoop, RDF.type, blad.klasse)
        if blad.koppeling is not None and net is not None:
            self.koppel(net, blad.koppeling, knoop)
        if model is not None:
            self.add(model, RDF.type, GGSR.Escalatiemodel)
            self.add(net.iri, GGSR.escalatiemodel, model)
            if not alleen_model:
                self.add(model, GGSR.stap, knoop)
                self.herkomst[model].append(rij.plaats())
            if "model" not in rij.waarden:
                self.add(model, RDFS.label, Literal(rij.waarden["_model"], lang="nl"))
        onderwerpen = {
            "knoop": knoop,
            "netwerk": net.iri if net else None,
            "gemeente": self.gemeente_iri,
            "aanpak": net.aanpak_iri if net else None,
            "model": model,
        }
        for k in blad.alle_kolommen:
            if k.veld not in rij.waarden:
                continue
            if k.soort == "rollen":
                if net is None:
                    continue
                for rol in rij.waarden[k.veld]:
                    for koppeling in NETWERKROLLEN[lijsten()["Netwerkrol"].label(rol)]:
                        t = self.koppel(net, koppeling, knoop)
                        self.oorsprong.setdefault(t, (blad.naam, rij.nr, k.kop))
                continue
            if k.eigenschap is None:
                continue
            s = onderwerpen[k.onderwerp]
            for o in self.termen(rij, k):
                t = (o, k.eigenschap, s) if k.omgekeerd else (s, k.eigenschap, o)
                self.add(*t)
                self.oorsprong.setdefault(t, (blad.naam, rij.nr, k.kop))

    def koppel(self, net: _Netwerk, koppeling: tuple[URIRef, str], knoop: URIRef) -> tuple:
        p, richting = koppeling
        t = (net.iri, p, knoop) if richting == "netwerk→knoop" else (knoop, p, net.iri)
        self.add(*t)
        return t

    def volgende_stappen(self) -> None:
        for model in set(self.g.subjects(GGSR.stap, None)):
            stappen = sorted(
                (int(self.g.value(s, GGSR.volgnummer)), str(s), s)
                for s in self.g.objects(model, GGSR.stap)
                if self.g.value(s, GGSR.volgnummer) is not None
            )
            for (_, _, a), (_, _, b) in zip(stappen, stappen[1:], strict=False):
                self.add(a, GGSR.volgendeStap, b)

    def bron(self, inhoud_hash: str) -> URIRef:
        iri = URIRef(BRON + f"werkboek-{inhoud_hash[:16]}")
        self.add(iri, RDF.type, GGSR.Bron)
        self.add(iri, GGSR.bestandsnaam, Literal(self.pad.name or str(self.pad)))
        self.add(iri, RDFS.label, Literal(f"Werkboek {self.pad.name or self.pad}", lang="nl"))
        for knoop, plaatsen in self.herkomst.items():
            for plaats in dict.fromkeys(plaatsen):
                d = BNode()
                self.add(knoop, PROV.qualifiedDerivation, d)
                self.add(d, RDF.type, PROV.Derivation)
                self.add(d, PROV.entity, iri)
                self.add(d, GGSR.plaats, Literal(plaats))
        return iri


def _vergelijk(waarde: object) -> object:
    if isinstance(waarde, str):
        return norm(waarde)
    if isinstance(waarde, list):
        return tuple(sorted(_vergelijk(w) for w in waarde))
    return waarde


def _veld(rij: _Rij, veld: str) -> str | None:
    return norm(rij.waarden[veld]) if rij.waarden.get(veld) else None


def _inhoud(rij: _Rij, velden: Iterable[str]) -> tuple:
    """The row's content as written, for comparing rows."""
    return tuple((v, _vergelijk(rij.waarden[v])) for v in velden if v in rij.waarden)


def import_werkboek(pad: Path | str, controle: bool = True) -> Resultaat:
    """Read the workbook at ``pad`` into RDF. ``problemen`` of the result lists every row that was
    not taken over; when it is empty the graph holds every non-empty cell. With ``controle`` the
    data-quality shapes and the privacy guard run on the result (their findings are problems too,
    warnings of the shapes are ``waarschuwingen``)."""
    pad = Path(pad)
    tabellen, problemen, inhoud_hash = lees(pad)
    imp = _Import(pad)
    imp.problemen.extend(problemen)
    alle = imp.run(tabellen)
    imp.volgende_stappen()
    bron = imp.bron(inhoud_hash)
    _bind(imp.g)
    # a formula without a value is said once, as such, not also as an empty required cell
    formules = {(p.blad, p.rij, p.kolom) for p in imp.problemen if p.reden == NIET_BEREKEND}
    imp.problemen = [
        p
        for p in imp.problemen
        if not (p.reden == "verplichte cel is leeg" and (p.blad, p.rij, p.kolom) in formules)
    ]
    resultaat = Resultaat(
        graaf=imp.g,
        bron=bron,
        bestand=pad.name or str(pad),
        rijen=len(alle),
        netwerken=[(imp.gemeente, n.aanpak, n.jaar) for n in imp.netwerken],
        problemen=sorted(set(imp.problemen), key=lambda p: p.sorteer),
    )
    if controle and not resultaat.problemen:
        _controleer(resultaat, {r.iri: r for r in reversed(alle) if r.iri is not None}, imp)
    return resultaat


def _controleer(resultaat: Resultaat, rij_van: dict[URIRef, _Rij], imp: _Import) -> None:
    """Data-quality shapes and privacy guard on ontology + the imported graph, after inference.
    A finding is placed at the cell the offending triple came from when there is one (the
    shape's sh:resultPath, or the property whose objects it targets), else at the node's row."""
    import pyoxigraph as ox
    from pyshacl import validate as shacl

    from ..graph import KnowledgeGraph
    from ..namespaces import SH
    from ..quality import privacy_findings, quality_shapes, tag_messages
    from ..validation import validate
    from .mapping import ontologie

    kg = KnowledgeGraph()
    kg.load_resource("ontology")
    naam = ox.NamedNode("https://w3id.org/ggsr/graph/werkboek")
    data = resultaat.graaf.serialize(format="nt", encoding="utf-8")
    kg.store.bulk_extend(
        ox.Quad(t.subject, t.predicate, t.object, naam)
        for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    )
    kg.infer()
    eigen = {str(s) for s in resultaat.graaf.subjects()}

    def rij_plaats(focus) -> tuple[str, int]:
        rij = rij_van.get(URIRef(str(focus)))
        if rij is not None:
            return rij.blad.naam, rij.nr
        return "Aanpak", 2  # the municipality, approach and network: the sheet Aanpak

    def cellen(focus, path, richting: str) -> list[tuple[str, int, str]]:
        """The cells that wrote a triple with ``path`` on ``focus`` (as subject or object)."""
        paden = set(ontologie().transitive_subjects(RDFS.subPropertyOf, path))
        uit = []
        for (s, p, o), plaats in imp.oorsprong.items():
            if p in paden and (s if richting == "uit" else o) == focus:
                uit.append(plaats)
        return sorted(set(uit))

    core, sparql = quality_shapes()  # SHACL core through pySHACL, SPARQL-based on Oxigraph
    _, report, _ = shacl(kg.to_rdflib(), shacl_graph=core, inference="none")
    tag_messages(report, core)  # pySHACL drops the language of filled-in messages
    gezien = set()

    def meld(blad: str, nr: int, kolom: str | None, bericht: str, ernstig: bool) -> None:
        if (blad, nr, kolom, bericht) in gezien:
            return
        gezien.add((blad, nr, kolom, bericht))
        if ernstig:
            resultaat.problemen.append(Probleem(blad, nr, kolom, f"datakwaliteit: {bericht}"))
        else:
            resultaat.waarschuwingen.append(str(Probleem(blad, nr, kolom, bericht)))

    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        if str(focus) not in eigen:
            continue
        berichten = {m.language: str(m) for m in report.objects(r, SH.resultMessage)}
        bericht = berichten.get("nl") or berichten.get("en") or str(report.value(r, SH.sourceShape))
        path = report.value(r, SH.resultPath)
        bron_shape = report.value(r, SH.sourceShape)
        doel = core.value(bron_shape, SH.targetObjectsOf) if bron_shape else None
        plaatsen: list[tuple[str, int, str | None]] = []
        if isinstance(path, URIRef):
            plaatsen = cellen(focus, path, "uit")
            if not plaatsen:  # a missing value: the column of the node's row for this property
                blad, nr = rij_plaats(focus)
                kolom = next(
                    (k.kop for k in _blad(blad).alle_kolommen if k.eigenschap == path), None
                )
                plaatsen = [(blad, nr, kolom)]
        elif isinstance(doel, URIRef):
            plaatsen = cellen(focus, doel, "in")
        if not plaatsen:
            plaatsen = [(*rij_plaats(focus), None)]
        ernstig = str(report.value(r, SH.resultSeverity)).endswith("Violation")
        for blad, nr, kolom in plaatsen:
            meld(blad, nr, kolom, bericht, ernstig)
    for res in validate(kg, sparql):
        if res.focus not in eigen:
            continue
        rij = rij_van.get(URIRef(res.value))
        if rij is not None:
            # about one of the network's parties or roles (a Bureau Jeugdzorg in 2016): the cell
            # that gave that node its kind
            kolom = next((k.kop for k in rij.blad.alle_kolommen if k.eigenschap == RDF.type), None)
            blad, nr = rij.blad.naam, rij.nr
        else:
            (blad, nr), kolom = rij_plaats(res.focus), None
        meld(blad, nr, kolom, res.message_nl or res.message_en, res.severity.endswith("Violation"))
    for f in privacy_findings(kg):
        if f.node not in eigen:
            continue
        plaatsen = sorted(
            {
                plaats
                for (s, _, o), plaats in imp.oorsprong.items()
                if str(s) == f.node and isinstance(o, Literal) and f.value in str(o)
            }
        )
        if not plaatsen:
            blad, nr = rij_plaats(f.node)
            rij = rij_van.get(URIRef(f.node))
            kolom = None
            if rij is not None:
                for k in rij.blad.alle_kolommen:
                    if f.value in _tekst(rij.ruw.get(k.veld) or ""):
                        kolom = k.kop
                        break
            plaatsen = [(blad, nr, kolom)]
        getoond = f.value[:3] + "***" + f.value[-2:] if "BSN" in f.reason else f.value
        for blad, nr, kolom in plaatsen:
            resultaat.problemen.append(
                Probleem(
                    blad,
                    nr,
                    kolom,
                    f"privacy: '{getoond}' {f.reason}; geen persoonsgegevens invullen",
                )
            )
    resultaat.problemen.sort(key=lambda p: p.sorteer)


def _blad(naam: str) -> Blad:
    return next(b for b in BLADEN if b.naam == naam)


def _bind(g: Graph) -> None:
    for prefix, ns in {
        "ggsr": GGSR,
        "id": ID,
        "bron": BRON,
        "org": ORG,
        "prov": PROV,
        "dct": DCTERMS,
        "rdfs": RDFS,
        "xsd": XSD,
        "lg": "https://w3id.org/ggsr/def/leefgebied/",
        "nv": "https://w3id.org/ggsr/def/niveau/",
        "ow": "https://w3id.org/ggsr/def/onderwerp/",
        "vi": "https://w3id.org/ggsr/def/verwijsindex/",
        "mdl": "https://w3id.org/ggsr/def/model/",
    }.items():
        g.bind(prefix, ns, override=True)


def atomisch_schrijven(pad: Path, tekst: str) -> Path:
    """Write ``tekst`` to ``pad`` through a temporary file and a rename (never half a file)."""
    from .template import _atomisch

    return _atomisch(Path(pad), lambda tmp: tmp.write_text(tekst, encoding="utf-8"))


def turtle(resultaat: Resultaat) -> str:
    kop = (
        f"# Gegenereerd door ggsr-kg import uit {resultaat.bestand} "
        f"({', '.join(f'{a} {j}' for _, a, j in resultaat.netwerken)}).\n"
        "# Generated by ggsr-kg import; edit the workbook, not this file.\n"
    )
    return kop + resultaat.graaf.serialize(format="turtle")


__all__ = [
    "Probleem",
    "Resultaat",
    "import_werkboek",
    "lees",
    "lees_cel",
    "splits",
    "turtle",
]
