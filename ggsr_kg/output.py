"""Rendering rows for the terminal and for other tools (table, csv, tsv, json).

A table on a terminal is drawn by rich, wrapping long cells inside their column to the terminal's
width instead of cutting them. Anywhere else (a pipe, a file) it is plain text with every cell in
full, one line per row, no colours or escape codes, so ``grep`` and ``diff`` see whole values.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys

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


def render(names: list[str], rows: list[dict], fmt: str, *, tty: bool | None = None) -> str:
    """Rows as ``fmt`` (json, csv, tsv, table); ``tty`` (default: whether stdout is a terminal)
    picks the wrapping terminal table or the plain one."""
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
    return table(names, [[_cell(v[n]) for n in names] for v in values], tty=tty)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    text = str(value)
    return text.rsplit("/", 1)[-1] if text.startswith("https://w3id.org/ggsr/id/") else text


def is_terminal() -> bool:
    return sys.stdout.isatty()


def terminal_width() -> int:
    return max(60, shutil.get_terminal_size((120, 20)).columns)


def count_line(n: int) -> str:
    return f"({n} rij{'en' if n != 1 else ''})"


def table(
    headers: list[str], rows: list[list[str]], *, tty: bool | None = None, width: int | None = None
) -> str:
    """A table of text cells: on a terminal drawn by rich and wrapped to ``width`` (the
    terminal's), else plain text with every cell in full. Control characters in a cell (a value
    from a file or an endpoint may hold terminal escape codes) are shown, never obeyed."""
    headers = [_clean(h) for h in headers]
    rows = [[_clean(c) for c in r] for r in rows]
    if tty if tty is not None else is_terminal():
        return rich_table(headers, rows, width or terminal_width())
    return plain_table(headers, rows)


def _clean(text: str) -> str:
    return printable(text.replace("\r\n", " ").replace("\n", " "))


def plain_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    for r in rows:
        lines.append(" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    lines.append(count_line(len(rows)))
    return "\n".join(lines)


def rich_table(
    headers: list[str], rows: list[list[str]], width: int, title: str | None = None
) -> str:
    """A rich table whose cells wrap (at spaces, or inside a long word) to fit ``width``."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    t = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", expand=False, pad_edge=False)
    for h in headers:
        t.add_column(Text(h), overflow="fold")
    for r in rows:
        t.add_row(*(Text(c) for c in r))  # Text, not str: a '[' in a value is not rich markup
    return to_ansi(t, width) + count_line(len(rows))


def to_ansi(renderable, width: int) -> str:
    """What rich would draw on a terminal ``width`` columns wide, as a string with its colours."""
    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=True, color_system="standard")
    console.print(renderable)
    return buf.getvalue()
