"""Reading one cell: text, numbers, dates, durations, yes/no and values from a list.

A cell that cannot be read raises :class:`CellError` with the reason in Dutch, which the importer
reports with the cell's sheet, row and column. References (names, titles, kenmerken) stay text
here; references.py resolves them once every sheet is read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from rdflib import Literal
from rdflib.namespace import XSD

from .mapping import SEPARATOR, Column, norm, value_lists


class CellError(Exception):
    """A cell value that cannot be read; the message is the reason."""


def text_of(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def integer_of(value: object) -> int:
    if isinstance(value, bool):
        raise CellError(f"'{text_of(value)}' is geen geheel getal")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = text_of(value)
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+[.,]0+", text):
        return int(re.split(r"[.,]", text)[0])
    raise CellError(f"'{text}' is geen geheel getal")


_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "day"),
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"), "dutch"),
    (re.compile(r"^(?:(\d{1,2})\s+)?([a-z]+)\.?\s+(\d{4})$", re.IGNORECASE), "month-name"),
)
_MONTHS = {
    m: i
    for i, names in enumerate(
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
    for m in names
}


def date_of(value: object) -> Literal:
    """xsd:date, xsd:gYearMonth or xsd:gYear — as precise as the cell."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise CellError(f"'{text_of(value)}' is een tijdstip, geen datum")
        return Literal(value.date().isoformat(), datatype=XSD.date)
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 2999:
        return Literal(str(value), datatype=XSD.gYear)
    text = text_of(value)
    for pattern, how in _DATE_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        try:
            if how == "year":
                return Literal(m.group(1), datatype=XSD.gYear)
            if how == "month":
                year, month = int(m.group(1)), int(m.group(2))
                dt.date(year, month, 1)
                return Literal(f"{year:04d}-{month:02d}", datatype=XSD.gYearMonth)
            if how == "month-name":  # '3 maart 2014', 'maart 2014'
                month = _MONTHS.get(m.group(2).lower())
                if month is None:
                    break
                if m.group(1) is None:
                    return Literal(f"{int(m.group(3)):04d}-{month:02d}", datatype=XSD.gYearMonth)
                d = dt.date(int(m.group(3)), month, int(m.group(1)))
            elif how == "day":
                d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            else:
                d = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            return Literal(d.isoformat(), datatype=XSD.date)
        except ValueError:
            break
    raise CellError(
        f"'{text}' is geen datum (bijv. 2014, 2014-03, 2014-03-01, 1-3-2014 of maart 2014)"
    )


# 'n unit' in Dutch → the part of an xsd:duration; weeks become days (xsd:duration has no W)
_UNITS = {
    "jaar": ("Y", 1),
    "jaren": ("Y", 1),
    "maand": ("M", 1),
    "maanden": ("M", 1),
    "week": ("D", 7),
    "weken": ("D", 7),
    "dag": ("D", 1),
    "dagen": ("D", 1),
    "werkdag": ("D", 1),
    "werkdagen": ("D", 1),
    "uur": ("H", 1),
    "u": ("H", 1),
    "uren": ("H", 1),
    "minuut": ("MIN", 1),
    "minuten": ("MIN", 1),
}
_XSD_DURATION = re.compile(
    r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)
_PART = re.compile(r"(\d+)\s*([a-z]+)")


def duration_of(value: object) -> Literal:
    """An xsd:duration from 'P14D' / 'PT48H' or Dutch words: '48 uur', '6 weken', '1 jaar'."""
    text = text_of(value)
    if _XSD_DURATION.match(text.upper()):
        return Literal(text.upper(), datatype=XSD.duration, normalize=False)
    rest = re.sub(r"\b(en|,)\b|,", " ", text.lower())
    parts = _PART.findall(rest)
    if parts and not _PART.sub("", rest).strip():
        amount = {"Y": 0, "M": 0, "D": 0, "H": 0, "MIN": 0}
        for n, unit in parts:
            if unit not in _UNITS:
                break
            key, factor = _UNITS[unit]
            amount[key] += int(n) * factor
        else:
            date = "".join(f"{amount[k]}{k}" for k in ("Y", "M", "D") if amount[k])
            time = "".join(
                f"{amount[k]}{'M' if k == 'MIN' else k}" for k in ("H", "MIN") if amount[k]
            )
            if date or time:
                return Literal(
                    "P" + date + (f"T{time}" if time else ""),
                    datatype=XSD.duration,
                    normalize=False,
                )
    raise CellError(
        f"'{text}' is geen duur (bijv. 48 uur, 14 dagen, 6 weken, 3 maanden, 1 jaar of P14D)"
    )


_YES = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
_NO = {"nee", "n", "no", "false", "onwaar", "0"}


def yesno_of(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = norm(text_of(value))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"'{text_of(value)}' is geen ja of nee")


_SPLIT = re.compile(rf"[{SEPARATOR}\r\n]")


def split_values(text: str) -> list[str]:
    """The values of a multi-valued cell: separated by semicolons or line breaks, never by commas
    (names and list labels contain commas: 'Politie, team Zwolle')."""
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


def has_separator(text: str) -> bool:
    return bool(_SPLIT.search(text))


def comma_hint(value: str, known: Callable[[str], bool]) -> str:
    """When an unknown value is known values joined by commas: how to write it instead."""
    parts = [d.strip() for d in value.split(",")]
    if len(parts) > 1 and all(d and known(d) for d in parts):
        return (
            f"; meer waarden scheidt u met een puntkomma, niet met een komma: "
            f"'{f'{SEPARATOR} '.join(parts)}'"
        )
    return ""


def meant(suggestions: list[str]) -> str:
    """'; bedoelt u X of Y?' — or nothing."""
    if not suggestions:
        return ""
    return "; bedoelt u " + " of ".join(f"'{s}'" for s in suggestions) + "?"


def read_cell(column: Column, value: object) -> object:
    """A cell as a Python value (references stay text; they are resolved later)."""
    kind = column.kind
    if kind == "text":
        return text_of(value)
    if kind == "texts":
        return [t.strip() for t in text_of(value).splitlines() if t.strip()]
    if kind == "integer":
        n = integer_of(value)
        minimum = 1 if column.field == "step" else 0
        if n < minimum:
            raise CellError(f"'{n}' moet {minimum} of meer zijn")
        return n
    if kind in {"year", "row-year"}:
        try:
            n = integer_of(value)
        except CellError:
            raise CellError(f"'{text_of(value)}' is geen jaartal") from None
        if not 2000 <= n <= 2030:
            raise CellError(f"'{n}' is geen jaartal tussen 2000 en 2030")
        return n
    if kind == "date":
        return date_of(value)
    if kind == "duration":
        return duration_of(value)
    if kind == "yesno":
        return yesno_of(value)
    if kind in {"choice", "choices", "network-roles"}:
        return _from_list(column, value)
    if kind in {"names", "binding", "actors", "approaches", "evidence", "documents"}:
        return split_values(text_of(value))
    return text_of(value)  # name, document, role, handle, row-approach: text, resolved later


def _from_list(column: Column, value: object):
    from .mapping import MOVED_VALUES

    values = value_lists()[column.values]
    text = text_of(value)
    parts = [text] if column.kind == "choice" else split_values(text)
    out = []
    for part in parts:
        iri = values.find(part)
        if iri is None:
            moved = MOVED_VALUES.get((column.values, norm(part)))
            if moved:
                raise CellError(f"'{part}' kan niet meer: {moved}")
            hint = comma_hint(part, lambda d: values.find(d) is not None)
            if column.kind == "choice" and hint:
                hint = " (hier past één waarde)"
            raise CellError(
                f"'{part}' staat niet in de lijst {column.values} (kies uit het uitklapmenu)"
                + (hint or meant(values.suggest(part)))
            )
        out.append(iri)
    if column.kind == "choice":
        return out[0]
    return list(dict.fromkeys(out))
