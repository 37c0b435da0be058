"""Rendering rows for the terminal and for other tools (table, csv, tsv, json)."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pyoxigraph as ox

from .errors import printable

_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#integer": int,
    "http://www.w3.org/2001/XMLSchema#int": int,
    "http://www.w3.org/2001/XMLSchema#decimal": float,
    "http://www.w3.org/2001/XMLSchema#double": float,
}


def plain(term) -> object:
    """An RDF term as a plain Python value (JSON-friendly)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in _NUMERIC:
            try:
                return _NUMERIC[dt](term.value)
            except ValueError:
                return term.value
        if dt == "http://www.w3.org/2001/XMLSchema#boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return f"_:{term.value}" if hasattr(term, "value") else term


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that a spreadsheet would run as a formula (text starting with ``= + - @``, a tab
    or a carriage return) gets a leading ``'``, as OWASP advises for CSV injection; numbers stay
    numbers. ``ggsr-kg import`` removes the quote again."""
    if isinstance(value, str):
        if value.startswith(_FORMULA_START):
            value = "'" + value
        # the csv module does not quote a lone carriage return, and a reader starts a new row
        # there — whose first cell would then be unprotected
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def render(names: list[str], rows: list[dict], fmt: str) -> str:
    values = [{n: plain(r.get(n)) for n in names} for r in rows]
    if fmt == "json":
        return json.dumps(values, ensure_ascii=False, indent=2)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        for v in values:
            writer.writerow(["" if v[n] is None else spreadsheet_safe(v[n]) for n in names])
        return buf.getvalue()
    return table(names, [[_cell(v[n]) for n in names] for v in values])


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    text = str(value)
    return text.rsplit("/", 1)[-1] if text.startswith("https://w3id.org/ggsr/id/") else text


def table(headers: list[str], rows: list[list[str]], max_width: int | None = None) -> str:
    """A plain-text table that fits the terminal: long cells are shortened with '…'."""
    max_width = max_width or max(80, shutil.get_terminal_size((120, 20)).columns)
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    budget = max_width - 3 * (len(headers) - 1)
    while sum(widths) > budget and max(widths) > 12:
        i = widths.index(max(widths))
        widths[i] -= 1

    def fit(text: str, w: int) -> str:
        # a value from a file or an endpoint may hold terminal escape codes: shown, not obeyed
        text = printable(text.replace("\n", " "))
        return text if len(text) <= w else text[: w - 1] + "…"

    lines = [" | ".join(fit(h, w).ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("-+-".join("-" * w for w in widths))
    for r in rows:
        lines.append(" | ".join(fit(c, w).ljust(w) for c, w in zip(r, widths, strict=True)))
    lines.append(f"({len(rows)} rij{'en' if len(rows) != 1 else ''})")
    return "\n".join(lines)
