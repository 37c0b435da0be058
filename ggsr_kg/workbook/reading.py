"""Reading a workbook file (.xlsx or a folder of CSV files) into tables of raw cells.

Only the files: which sheets and columns there are, and the raw value of every cell. What a cell
means is cells.py's job; what a row becomes, importer.py's. Every heading that cannot be placed is
a :class:`Problem` (sheet, row 1, column); nothing is dropped silently.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .mapping import INSTRUCTIONS, LISTS, MOVED, SHEETS, Column, Sheet, norm
from .template import is_folder

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000  # rows per sheet (the template validates 1,000), counted while reading
MAX_COLUMNS = 64  # columns read per row (the widest sheet has 28); more are not looked at
NOT_CALCULATED = (
    "formule zonder berekende waarde: open het werkboek in Excel en sla het op / formula not "
    "calculated: open the workbook in Excel and save it"
)
_SHEET_ORDER = {s.name: i for i, s in enumerate(SHEETS)}


@dataclass(frozen=True)
class Problem:
    """One reason a row (or a cell, or a heading) is not taken over."""

    sheet: str
    row: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        column = f", kolom {self.column}" if self.column else ""
        return f"Blad {self.sheet}, rij {self.row}{column}: {self.reason}"

    @property
    def sort_key(self):
        return (
            _SHEET_ORDER.get(self.sheet, 99),
            self.sheet,
            self.row,
            self.column or "",
            self.reason,
        )

    # Dutch names of the first version (code on other branches reads them)
    blad = property(lambda self: self.sheet)
    rij = property(lambda self: self.row)
    kolom = property(lambda self: self.column)
    reden = property(lambda self: self.reason)


@dataclass
class Table:
    sheet: str
    rows: list[tuple[int, dict[str, object]]]  # (row number, field → raw cell value)

    @property
    def rijen(self):  # the Dutch name of the first version
        return self.rows


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_tables(path: Path) -> tuple[dict[str, Table], list[Problem], str]:
    """The sheets of an .xlsx file or a CSV folder, heading problems, and a content hash."""
    path = Path(path)
    if is_folder(path):
        if not path.is_dir():
            raise InputError(f"{path}: map bestaat niet / folder does not exist")
        return _read_csv(path)
    if not path.exists() and not path.is_symlink():
        raise InputError(f"{path}: bestand bestaat niet / file does not exist")
    if path.suffix.lower() != ".xlsx":
        raise InputError(
            f"{path}: geen werkboek (verwacht .xlsx of een map met CSV-bestanden) / "
            "not a workbook (.xlsx or a folder of CSV files)"
        )
    return _read_xlsx(path)


def _read_xlsx(path: Path) -> tuple[dict[str, Table], list[Problem], str]:
    """The sheets of an .xlsx file, bounded while they are read: a forged ``<dimension>`` is
    ignored (``reset_dimensions``), at most :data:`MAX_COLUMNS` columns and :data:`MAX_ROWS` rows
    a sheet. A formula without a cached value (a file written by a program, never opened in
    Excel) is a problem of its own, not an empty cell."""
    from ..rdfio import read_bytes_raw

    data = read_bytes_raw(path, MAX_BYTES)
    sheets = _xlsx_sheets(path, data, data_only=True)
    formulas = _xlsx_sheets(path, data, data_only=False)
    problems = []
    for name, rows in sheets.items():
        headings = formulas[name][0] if formulas[name] else []
        for number, (values, raw) in enumerate(zip(rows, formulas[name], strict=False), start=1):
            for i, (v, f) in enumerate(zip(values, raw, strict=False)):
                if v is None and isinstance(f, str) and f.startswith("="):
                    heading = (
                        headings[i] if i < len(headings) and isinstance(headings[i], str) else None
                    )
                    problems.append(Problem(name, number, heading, NOT_CALCULATED))
    tables, more = _tables(sheets)
    return tables, problems + more, hashlib.sha256(data).hexdigest()


def _xlsx_sheets(path: Path, data: bytes, *, data_only: bool) -> dict[str, list[list[object]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(
            f"{path}: geen leesbaar .xlsx-bestand ({exc.__class__.__name__}: {exc}) / "
            "not a readable .xlsx file"
        ) from None
    sheets: dict[str, list[list[object]]] = {}
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # a forged <dimension> must not size anything
            rows: list[list[object]] = []
            for r in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                if len(rows) >= MAX_ROWS:
                    raise InputError(
                        f"{path}: blad {ws.title!r} heeft meer dan {MAX_ROWS} rijen / sheet has "
                        f"more than {MAX_ROWS} rows"
                    )
                rows.append(list(r))
            while rows and all(is_empty(v) for v in rows[-1]):
                rows.pop()
            sheets[ws.title] = rows
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise InputError(
            f"{path}: geen leesbaar .xlsx-bestand ({exc.__class__.__name__}: {exc}) / "
            "not a readable .xlsx file"
        ) from None
    finally:
        wb.close()
    return sheets


def _read_csv(folder: Path) -> tuple[dict[str, Table], list[Problem], str]:
    sheets: dict[str, list[list[object]]] = {}
    h = hashlib.sha256()
    from ..rdfio import read_bytes_raw

    for f in sorted(folder.glob("*.csv")):
        data = read_bytes_raw(f, MAX_BYTES)  # a regular file, never /dev/zero or a FIFO
        h.update(f.name.encode() + b"\0" + data + b"\0")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
        first = text.split("\n", 1)[0]
        delimiter = max((";", ",", "\t"), key=first.count)
        rows = []
        try:
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
                if len(rows) >= MAX_ROWS:
                    raise InputError(f"{f}: meer dan {MAX_ROWS} rijen / more than {MAX_ROWS} rows")
                rows.append([_disarmed(v) for v in row[:MAX_COLUMNS]])
        except csv.Error as exc:
            raise InputError(f"{f}: geen geldige CSV ({exc}) / not valid CSV") from None
        sheets[f.stem] = rows
    if not sheets:
        raise InputError(
            f"{folder}: geen CSV-bestanden gevonden (verwacht Aanpak.csv, Organisaties.csv …) / "
            "no CSV files found"
        )
    tables, problems = _tables(sheets)
    return tables, problems, h.hexdigest()


def _disarmed(value: str) -> str:
    """A cell the CSV export neutralised (``'=…``, see :func:`ggsr_kg.output.spreadsheet_safe`)
    reads back as it was."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def _tables(sheets: dict[str, list[list[object]]]) -> tuple[dict[str, Table], list[Problem]]:
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    known = {norm(s.name): s for s in SHEETS}
    for name, rows in sheets.items():
        if norm(name) in {norm(INSTRUCTIONS), norm(LISTS)}:
            continue
        sheet = known.get(norm(name))
        filled = any(not is_empty(v) for r in rows[1:] for v in r)
        if sheet is None:
            if filled:
                problems.append(
                    Problem(
                        name,
                        1,
                        None,
                        "onbekend blad; de inhoud wordt niet ingelezen (bekende bladen: "
                        + ", ".join(s.name for s in SHEETS)
                        + ")",
                    )
                )
            continue
        if sheet.name in tables:
            problems.append(Problem(name, 1, None, f"blad {sheet.name} staat er twee keer in"))
            continue
        tables[sheet.name] = _table(sheet, rows, problems)
    return tables, problems


def _table(sheet: Sheet, rows: list[list[object]], problems: list[Problem]) -> Table:
    headings = rows[0] if rows else []
    columns = {norm(c.heading): c for c in sheet.all_columns}
    position: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for j, heading in enumerate(headings):
        data_in_column = any(j < len(r) and not is_empty(r[j]) for r in rows[1:])
        if is_empty(heading):
            if data_in_column:
                problems.append(
                    Problem(sheet.name, 1, _letter(j), "kolom zonder kop maar met waarden")
                )
            continue
        text = str(heading).strip().rstrip("*").strip()
        c = columns.get(norm(text))
        if c is None:
            if data_in_column:
                moved = next(
                    (m for (s, h), m in MOVED.items() if s == sheet.name and norm(h) == norm(text)),
                    None,
                )
                reason = (
                    f"kolom uit het vorige werkboek: {moved}; de waarden worden niet ingelezen"
                    if moved
                    else "onbekende kolom; de waarden worden niet ingelezen (bekende kolommen: "
                    + ", ".join(c.heading for c in sheet.all_columns)
                    + ")"
                )
                problems.append(Problem(sheet.name, 1, text, reason))
            continue
        if c.field in seen:
            problems.append(Problem(sheet.name, 1, c.heading, "kolom staat er twee keer in"))
            continue
        seen[c.field] = j
        position[j] = c
    table = Table(sheet.name, [])
    for i, r in enumerate(rows[1:], start=2):
        if all(is_empty(v) for v in r):
            continue
        table.rows.append((i, {c.field: r[j] for j, c in position.items() if j < len(r)}))
    if table.rows:
        for c in sheet.all_columns:
            if c.required and c.field not in seen:
                problems.append(Problem(sheet.name, 1, c.heading, "verplichte kolom ontbreekt"))
    return table


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j + 1)


lees = read_tables  # the Dutch name of the first version (code on other branches calls it)
