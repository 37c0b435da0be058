"""Dutch municipalities and provinces from the shipped open-data snapshot (no network).

The snapshot is ``data/opendata/gemeenten.csv`` and ``provincies.csv``, copied unchanged from the
CC0 dataset of the repository ``anneschuth/polder`` (commit :data:`POLDER_COMMIT`, May 2026), which
draws on the Register van Overheidsorganisaties, the TOOI value lists and Wikidata; see
``data/opendata/README.md``. Installed, the files are package data of
``ggsr_kg.bundled.data.opendata``; in a source checkout they are read from ``data/opendata``.

>>> find_gemeente("Emmen").cbs_code
'GM0114'
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = [
    "PACKAGE",
    "POLDER_COMMIT",
    "POLDER_REPO",
    "PROVINCIE_AANVULLINGEN",
    "Gemeente",
    "Provincie",
    "find_gemeente",
    "gemeenten",
    "provincies",
]

PACKAGE = "ggsr_kg.bundled.data.opendata"
POLDER_REPO = "https://github.com/anneschuth/polder"
POLDER_COMMIT = "82b2d3b07f6d8ec2cfc2efe79e60856e56008227"

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
TOOI_PROVINCIE = "https://identifier.overheid.nl/tooi/id/provincie/"

# In the CSV "1900-01-01" stands for "unknown, long ago"; it is read as None.
_UNKNOWN_START = date(1900, 1, 1)

#: Province links the snapshot lacks, supplied here (the CSV stays unchanged). The snapshot has no
#: province for the current municipalities of Zeeland and (but for Landgraaf) Limburg; only the one
#: this project uses is supplied: Sittard-Geleen lies in Limburg (PV31), as the README of the
#: snapshot states. ``Gemeente.provincie_aangevuld`` tells a supplied link from a CSV one.
PROVINCIE_AANVULLINGEN: dict[str, str] = {
    "GM1883": TOOI_PROVINCIE + "pv31",  # Sittard-Geleen → Limburg
}

# Names in use that are neither ``naam`` nor ``officiele_naam`` in the snapshot.
_ALIASSEN: dict[str, str] = {
    "'s-gravenhage": "GM0518",
    "’s-gravenhage": "GM0518",
    "the hague": "GM0518",
    "'s-hertogenbosch": "GM0796",
    "’s-hertogenbosch": "GM0796",
}


@dataclass(frozen=True)
class Gemeente:
    """One row of ``gemeenten.csv``: a municipality, current or dissolved.

    ``tooi``, ``wikidata`` (a Q-number such as ``Q14641``) and ``provincie_tooi`` are None where the
    snapshot has no value. ``geldig_vanaf`` is None when the snapshot gives 1900-01-01 ("unknown,
    long ago"); ``geldig_tot`` is None while the municipality exists.
    """

    cbs_code: str
    naam: str
    officiele_naam: str
    tooi: str | None
    wikidata: str | None
    provincie_tooi: str | None
    inwoners: int | None
    geldig_vanaf: date | None
    geldig_tot: date | None
    provincie_aangevuld: bool = False

    @property
    def huidig(self) -> bool:
        """True for a municipality that still exists (no end date)."""
        return self.geldig_tot is None

    @property
    def wikidata_iri(self) -> str | None:
        """The Wikidata entity IRI (``http://www.wikidata.org/entity/Q…``), if any."""
        return WIKIDATA_ENTITY + self.wikidata if self.wikidata else None


@dataclass(frozen=True)
class Provincie:
    """One row of ``provincies.csv``: a province with its CBS code (``PV22``) and identifiers."""

    cbs_code: str
    naam: str
    officiele_naam: str
    tooi: str | None
    wikidata: str | None

    @property
    def wikidata_iri(self) -> str | None:
        """The Wikidata entity IRI (``http://www.wikidata.org/entity/Q…``), if any."""
        return WIKIDATA_ENTITY + self.wikidata if self.wikidata else None


# ---- reading ------------------------------------------------------------------------------------


def _read_text(name: str) -> str:
    """Text of a snapshot file: package data when installed, else ``data/opendata`` of the checkout."""
    try:
        resource = resources.files(PACKAGE).joinpath(name)
        if resource.is_file():
            return resource.read_text(encoding="utf-8")
    except (ImportError, TypeError, OSError):
        # Source checkout: ggsr_kg/resources.py is a module, so ggsr_kg.bundled.* cannot be
        # imported and the files are read from the repository instead.
        pass
    path = Path(__file__).parent.parent / "data" / "opendata" / name
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:  # pragma: no cover - broken installation
        raise RuntimeError(f"open-data snapshot '{name}' is missing ({PACKAGE})") from exc


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_read_text(name), newline="")))


def _text(value: str) -> str | None:
    value = value.strip()
    return value or None


def _date(value: str) -> date | None:
    value = value.strip()
    return date.fromisoformat(value) if value else None


def _gemeente(row: dict[str, str]) -> Gemeente:
    code = row["cbs_code"].strip()
    provincie = _text(row["provincie_tooi"])
    aangevuld = provincie is None and code in PROVINCIE_AANVULLINGEN
    if aangevuld:
        provincie = PROVINCIE_AANVULLINGEN[code]
    vanaf = _date(row["geldig_vanaf"])
    inwoners = _text(row["inwoners"])
    return Gemeente(
        cbs_code=code,
        naam=row["naam"].strip(),
        officiele_naam=row["officiele_naam"].strip(),
        tooi=_text(row["tooi"]),
        wikidata=_text(row["wikidata"]),
        provincie_tooi=provincie,
        inwoners=int(inwoners) if inwoners else None,
        geldig_vanaf=None if vanaf == _UNKNOWN_START else vanaf,
        geldig_tot=_date(row["geldig_tot"]),
        provincie_aangevuld=aangevuld,
    )


@cache
def _gemeenten() -> tuple[Gemeente, ...]:
    return tuple(_gemeente(r) for r in _rows("gemeenten.csv"))


@cache
def _provincies() -> tuple[Provincie, ...]:
    return tuple(
        Provincie(
            cbs_code=r["cbs_code"].strip(),
            naam=r["naam"].strip(),
            officiele_naam=r["officiele_naam"].strip(),
            tooi=_text(r["tooi"]),
            wikidata=_text(r["wikidata"]),
        )
        for r in _rows("provincies.csv")
    )


# ---- public API ---------------------------------------------------------------------------------


def gemeenten(current_only: bool = False) -> list[Gemeente]:
    """All 606 municipalities of the snapshot in file order, or only the current ones (342)."""
    return [g for g in _gemeenten() if g.huidig or not current_only]


def provincies() -> list[Provincie]:
    """The 12 provinces of the snapshot (PV20 … PV31)."""
    return list(_provincies())


def _keys(g: Gemeente) -> Iterable[str]:
    yield g.cbs_code
    yield g.naam
    yield g.officiele_naam
    if g.tooi:
        yield g.tooi.rsplit("/", 1)[-1]


def _preference(g: Gemeente) -> tuple[bool, date]:
    """Current first, then the most recently dissolved (for a code or name used twice)."""
    return (g.huidig, g.geldig_tot or date.max)


def find_gemeente(name_or_code: str) -> Gemeente:
    """The municipality with this CBS code (``GM0114``, ``gm0114``), name or official name.

    Case-insensitive; a few names in common use (``'s-Gravenhage``) are accepted too. When several
    rows match (``GM0079`` occurs twice) the current one wins, else the one dissolved last.
    Raises ``KeyError`` naming the closest known names when nothing matches.
    """
    wanted = " ".join(name_or_code.split()).casefold()
    if not wanted:
        raise KeyError("lege gemeentenaam / empty municipality name")
    wanted = _ALIASSEN.get(wanted, wanted).casefold()
    found = [g for g in _gemeenten() if any(k.casefold() == wanted for k in _keys(g))]
    if found:
        return max(found, key=_preference)
    names = sorted({g.naam for g in _gemeenten()} | {g.officiele_naam for g in _gemeenten()})
    by_fold = {n.casefold(): n for n in names}
    close = [by_fold[m] for m in difflib.get_close_matches(wanted, list(by_fold), n=5, cutoff=0.6)]
    hint = f" Bedoelde u / did you mean: {', '.join(close)}?" if close else ""
    raise KeyError(f"onbekende gemeente / unknown municipality: '{name_or_code}'.{hint}")
