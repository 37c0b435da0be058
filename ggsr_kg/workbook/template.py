"""Writing the workbook: the empty template (``ggsr-kg sjabloon``) and a filled one (``export``).

An .xlsx file gets one sheet per kind of fact (the table in mapping.py), an *Instructie* sheet in
Dutch and a hidden *Lijsten* sheet with the controlled values from the ontology, which the
drop-down lists (data validation) point to. A folder gets one CSV per sheet with the same name and
columns, plus Lijsten.csv and Instructie.txt for reference. Files are written to a temporary name
and renamed, so a half-written workbook never appears; an .xlsx carries no time stamp (fixed
dates inside the zip), so the same rows give the same bytes.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..errors import InputError
from .mapping import (
    CELL_KINDS,
    CELL_KINDS_SHORT,
    INSTRUCTIONS,
    INVENTED_CODE,
    LISTS,
    NOBODY,
    SEPARATOR,
    SHEETS,
    Column,
    Sheet,
    value_lists,
)

MAX_ROWS = 1000  # rows that get drop-downs and validation
REFERENCE_RANGE = {
    "name": ("Organisaties", "A"),
    "names": ("Organisaties", "A"),
    "binding": ("Organisaties", "A"),
    "actors": ("Organisaties", "A"),
    "role": ("Functies", "A"),
    "document": ("Documenten", "A"),
    "documents": ("Documenten", "A"),
    "approaches": ("Aanpak", "C"),
    "row-approach": ("Aanpak", "C"),
}
REQUIRED_COLOUR = "FFE4B5"
HEADING_COLOUR = "DDEBF7"
FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # inside the .xlsx zip: no time stamp, the same bytes

Row = Mapping[str, object]  # column heading → cell value


def is_folder(path: Path | str) -> bool:
    """A CSV folder is asked for: a path ending in a slash, or an existing directory."""
    text = str(path)
    return text.endswith(("/", os.sep)) or Path(text).is_dir()


def write_workbook(path: Path | str, rows: Mapping[str, Sequence[Row]] | None = None) -> Path:
    """Write the workbook (empty when ``rows`` is None) as .xlsx or as a CSV folder."""
    rows = rows or {}
    if is_folder(path):
        return _write_csv(Path(path), rows)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(
            f"{path}: kies een .xlsx-bestand of een map (eindigend op /) / "
            "use an .xlsx file or a folder (ending in /)"
        )
    return _write_xlsx(path, rows)


# ---- instructions -------------------------------------------------------------------------------

_GENERAL = [
    "Werkboek GGSR-netwerk — invulinstructie",
    "",
    "Met dit werkboek beschrijft u het netwerk van één gemeente rond gezinnen met geringe sociale "
    "redzaamheid: wie doet mee, welke functies en bevoegdheden er zijn, bindend voor wie, wat er "
    "is afgesproken en waar dat staat. Vul feiten in, geen oordelen: het oordeel (voldoet / "
    "verbeterpunt / onbekend) leidt het programma af uit de beslisregels. Welke kolom voor welke "
    "indicator telt en wat een uitkomst zou veranderen, staat onderaan.",
    "",
    "Zo werkt het:",
    "  1. Vul het blad Aanpak in (gemeente, aanpak, jaar).",
    "  2. Zet elke organisatie die u ergens noemt op het blad Organisaties.",
    "  3. Zet elk document op het blad Documenten, met zijn status (concept, vastgesteld, "
    "ondertekend …).",
    "  4. Zet wat partijen zeiden op Verklaringen en wat de inspectie vaststelde op Bevindingen, "
    "elk met een kort kenmerk (V1, B1 …).",
    "  5. Vul de feiten in: Functies, Bevoegdheden, Afspraken, Praktijk, Escalatie, Doelgroep, "
    "Afwezigheden — elk met waar het op rust (Vastgelegd in een document, of Blijkt uit een "
    "kenmerk).",
    "  6. ggsr-kg import mijn.xlsx --out mijn.ttl   (meldt per rij wat niet klopt)",
    "  7. ggsr-kg validate --data mijn.ttl          (de scorecard; --data mijn.xlsx kan ook)",
    "",
    "Waar een feit op rust (de grondslag):",
    "  • Vastgelegd in <titel>: een bepaling van dat document. Telt alleen als de status van het "
    "document meetelt: vastgesteld, ondertekend, deels vastgesteld of 'status niet vermeld'. Een "
    "concept, verlopen of ingetrokken document telt nooit mee (de scorecard zegt dan 'telt niet "
    "mee').",
    "  • Blijkt uit <kenmerk>: uit een verklaring (wat een met name genoemde partij zei), een "
    "bevinding (wat de inspectie vaststelde) of een praktijk (een gehouden evaluatie …).",
    "  • Geen van beide: beschreven praktijk.",
    "  • Het sterkste bewijs beslist: document vóór praktijk vóór verklaring of bevinding.",
    "  • Iets ontbreekt ('er is geen privacyconvenant')? Een rij op Afwezigheden met de soort die "
    "ontbreekt en het kenmerk van de verklaring of bevinding die het zegt.",
    "",
    "Regels:",
    "  • Een kolomkop in oranje is verplicht; elke ingevulde rij moet die cel hebben.",
    "  • Leeg is onbekend, niet 'nee'. Wat u niet weet, laat u leeg; de scorecard zegt dan "
    "onbekend. 'Bindend voor: niemand' zegt uitdrukkelijk dat iets niemand bindt.",
    f"  • Meer waarden in één cel (Soort, Netwerkrol, Houder, Blijkt uit …): zet er een "
    f"puntkomma tussen ('GGD{SEPARATOR} jeugdgezondheidszorg (JGZ)') of zet ze elk op een eigen "
    "regel (Alt+Enter). Een komma scheidt níet: namen en keuzes bevatten zelf komma's "
    "('Politie, team Zwolle').",
    "  • Kolommen met een uitklapmenu accepteren alleen waarden uit de lijst (het menu biedt "
    "één waarde; meer waarden typt u met een puntkomma ertussen). Een tikfout krijgt een "
    "suggestie.",
    "  • Namen (Houder, Ondertekend door, Verklaard door …) moeten zo op het blad Organisaties "
    "staan (hoofdletters en spaties tellen niet). Ook toegestaan: 'gemeente' (of de naam van de "
    "gemeente), 'netwerk' of 'alle partners' (= alle partners van de aanpak), 'netwerk <aanpak> "
    "<jaar>' (een ander netwerk in dit werkboek), 'STJ', en de naam van een functie (bijv. een "
    "wethouder als actor in een escalatiestap). Een document ondertekend door de gemeente en alle "
    "partners: 'gemeente; alle partners'.",
    "  • Functies: in de kolom Functie de naam die de gemeente gebruikt (gezinsregisseur, "
    "casusregisseur, jeugdconsulent …), in de kolom Soort de soort uit de lijst die past. Een "
    "regisseursfunctie telt als de regisseur van het toetsingskader.",
    "  • Escalatie: een actor die geen één organisatie is, kiest u uit de lijst: de betrokken "
    "professionals, de leidinggevenden van de partners, de directies van de partners, de "
    "bestuurders.",
    "  • Netwerkrol op het blad Organisaties: 'partner' en 'kernpartner' zijn leden van het "
    "netwerk; 'overleg' is een overleg van het netwerk (stuurgroep, MDT). Wie gezinnen aanmeldt, "
    "staat bij Aanmelders op het blad Afspraken (soort aanmeldroute). De gemeente zelf hoeft niet "
    "op het blad, tenzij ze een netwerkrol heeft.",
    "  • Gemeente: een van de gemeenten van CBS; de CBS-code wordt dan opgezocht. Een "
    f"verzonnen gemeente (oefening) mag met een eigen CBS-code die CBS niet gebruikt, bijv. "
    f"{INVENTED_CODE}.",
    "  • Geen namen van personen, geen e-mailadressen, telefoonnummers of BSN's: functies "
    "alleen bij hun functienaam.",
    "  • Datum: JJJJ, JJJJ-MM, JJJJ-MM-DD, 1-3-2014, maart 2014 of een datumcel. Duur: 48 uur, "
    "14 dagen, 6 weken, 3 maanden, 1 jaar.",
    "  • Meer aanpakken of jaren in één werkboek: vul op de andere bladen de kolommen "
    "Aanpak en Jaar in. Met één rij op het blad Aanpak laat u die leeg.",
    "  • Elke rij wordt gelezen: wat niet klopt wordt gemeld met blad, rij en kolom, en er wordt "
    "dan niets geschreven.",
    "",
]


def _only_for(sheet: Sheet, c: Column) -> str:
    if not c.for_kinds or sheet.kind_column is None:
        return ""
    values = value_lists()[sheet.kind_column.values]
    return " Alleen bij de soort " + " of ".join(f"'{values.label(k)}'" for k in c.for_kinds) + "."


def instruction_lines() -> list[str]:
    """The Instructie sheet, generated from the mapping table and the evidence rules so it never
    goes stale."""
    from .indicators import columns_per_indicator
    from .indicators import instruction_lines as indicator_lines

    counts = columns_per_indicator()
    lines = list(_GENERAL)
    for sheet in SHEETS:
        lines.append(f"Blad {sheet.name}: {sheet.help}")
        for c in sheet.columns:
            required = " (verplicht)" if c.required else ""
            help_ = f" {c.help}" if c.help else ""
            codes = counts.get((sheet.name, c.heading))
            indicators = f" Telt voor {', '.join(codes)}." if codes else ""
            lines.append(
                f"  – {c.heading}{required} ({CELL_KINDS_SHORT[c.kind]}).{help_}"
                f"{_only_for(sheet, c)}{indicators}"
            )
        if sheet.all_columns != sheet.columns:
            lines.append("  – Aanpak, Jaar: alleen bij meer aanpakken of jaren (zie Regels).")
        lines.append("")
    return lines + indicator_lines()


def _heading_help(sheet: Sheet, c: Column) -> str:
    from .indicators import columns_per_indicator

    parts = ["Verplicht." if c.required else "Optioneel.", CELL_KINDS[c.kind] + "."]
    if c.help:
        parts.append(c.help)
    if _only_for(sheet, c):
        parts.append(_only_for(sheet, c).strip())
    codes = columns_per_indicator().get((sheet.name, c.heading))
    if codes:
        parts.append(f"Telt voor indicator {', '.join(codes)}.")
    return " ".join(parts)


# ---- xlsx ---------------------------------------------------------------------------------------


def _list_range(letters: dict[str, str], name: str) -> str:
    letter = letters[name]
    n = len(value_lists()[name].items)
    return f"{LISTS}!${letter}$2:${letter}${n + 1}"


def _write_xlsx(path: Path, rows: Mapping[str, Sequence[Row]]) -> Path:
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.properties.created = wb.properties.modified = dt.datetime(*FIXED_TIME)
    ws = wb.active
    ws.title = INSTRUCTIONS
    for i, line in enumerate(instruction_lines(), start=1):
        cell = ws.cell(row=i, column=1, value=line)
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = Font(bold=True, size=14)
        elif line.startswith("Blad ") or line.endswith(":"):
            cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 120

    # the lists first (as letters), so validations can point to them
    letters: dict[str, str] = {}
    lws = wb.create_sheet(LISTS)
    for j, (name, values) in enumerate(value_lists().items(), start=1):
        letter = get_column_letter(j)
        letters[name] = letter
        lws.cell(row=1, column=j, value=name).font = Font(bold=True)
        for i, label in enumerate(values.labels, start=2):
            lws.cell(row=i, column=j, value=label).data_type = "s"
        lws.column_dimensions[letter].width = max(14, max(len(x) for x in values.labels) + 2)
    lws.sheet_state = "hidden"

    for sheet in SHEETS:
        sws = wb.create_sheet(sheet.name, index=len(wb.sheetnames) - 1)
        _fill_sheet(sws, sheet, rows.get(sheet.name, ()), letters)
    buffer = io.BytesIO()
    wb.save(buffer)
    return atomic(path, lambda tmp: tmp.write_bytes(_without_time(buffer.getvalue())))


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _without_time(data: bytes) -> bytes:
    """The .xlsx with fixed dates on its zip entries and in docProps/core.xml (openpyxl stamps
    the time of saving), so an export of the same rows is the same file."""
    y, mo, d, h, mi, se = FIXED_TIME
    stamp = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{se:02d}Z"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            dst.writestr(info, content)
    return out.getvalue()


def _fill_sheet(ws, sheet: Sheet, rows: Sequence[Row], letters: dict[str, str]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for j, c in enumerate(sheet.all_columns, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(row=1, column=j, value=c.heading)
        cell.font = Font(bold=True)
        colour = REQUIRED_COLOUR if c.required else HEADING_COLOUR
        cell.fill = PatternFill("solid", start_color=colour, end_color=colour)
        cell.comment = Comment(_heading_help(sheet, c), "ggsr-kg", width=300, height=160)
        ws.column_dimensions[letter].width = c.width
        cells = f"{letter}2:{letter}{MAX_ROWS + 1}"
        dv = None
        if c.values and c.kind in {"choice", "yesno"}:
            dv = DataValidation(
                type="list",
                formula1=_list_range(letters, c.values),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Niet in de lijst",
                error=f"Kies een waarde uit de lijst {c.values}.",
            )
        elif c.values:  # several values allowed: offer the list, accept ';'-separated text
            dv = DataValidation(
                type="list",
                formula1=_list_range(letters, c.values),
                allow_blank=True,
                showErrorMessage=False,
                showInputMessage=True,
                promptTitle="Een of meer",
                prompt=f"Kies uit de lijst. Meer waarden: typ ze met {SEPARATOR} ertussen.",
            )
        elif c.kind in REFERENCE_RANGE:
            target, col = REFERENCE_RANGE[c.kind]
            dv = DataValidation(
                type="list",
                formula1=f"{target}!${col}$2:${col}${MAX_ROWS + 1}",
                allow_blank=True,
                showErrorMessage=False,
            )
            if c.multi:
                dv.showInputMessage = True
                dv.promptTitle = "Een of meer namen"
                dv.prompt = f"Meer namen: typ ze met {SEPARATOR} ertussen." + (
                    f" Of '{NOBODY}'." if c.kind == "binding" else ""
                )
        elif c.kind in {"year", "row-year"}:
            dv = DataValidation(
                type="whole",
                operator="between",
                formula1="2000",
                formula2="2030",
                allow_blank=True,
                showErrorMessage=True,
                error="Een jaartal tussen 2000 en 2030.",
            )
        elif c.kind == "integer":
            dv = DataValidation(
                type="whole",
                operator="greaterThanOrEqual",
                formula1="1" if c.field == "step" else "0",
                allow_blank=True,
                showErrorMessage=True,
                error="Een geheel getal.",
            )
        if dv is not None:
            dv.add(cells)
            ws.add_data_validation(dv)
        if c.kind in {"date", "duration"} or c.field == "cbs":
            # typed as text: Excel must not turn 2014-03 into a date
            ws.column_dimensions[letter].number_format = "@"
    for i, row in enumerate(rows, start=2):
        for j, c in enumerate(sheet.all_columns, start=1):
            value = row.get(c.heading)
            if value is None or value == "":
                continue
            cell = ws.cell(row=i, column=j, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                if "\n" in value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


# ---- CSV ----------------------------------------------------------------------------------------


def _write_csv(folder: Path, rows: Mapping[str, Sequence[Row]]) -> Path:
    from ..output import spreadsheet_safe  # a cell '=…' is never a live formula

    folder.mkdir(parents=True, exist_ok=True)
    for sheet in SHEETS:
        headings = [c.heading for c in sheet.all_columns]

        def write_sheet(tmp: Path, sheet=sheet, headings=headings) -> None:
            with tmp.open("w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f)
                w.writerow(headings)
                for row in rows.get(sheet.name, ()):
                    w.writerow(
                        [
                            "" if row.get(h) is None else spreadsheet_safe(row.get(h))
                            for h in headings
                        ]
                    )

        atomic(folder / f"{sheet.name}.csv", write_sheet)

    def write_lists(tmp: Path) -> None:
        every = value_lists()
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(list(every))
            depth = max(len(v.items) for v in every.values())
            for i in range(depth):
                w.writerow([v.labels[i] if i < len(v.items) else "" for v in every.values()])

    atomic(folder / f"{LISTS}.csv", write_lists)
    atomic(
        folder / f"{INSTRUCTIONS}.txt",
        lambda tmp: tmp.write_text("\n".join(instruction_lines()) + "\n", encoding="utf-8"),
    )
    return folder


def atomic(path: Path, writer) -> Path:
    """Write through a temporary file in the same folder and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        writer(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


# Dutch names of the first version (the CLI and tests of other branches call them)
schrijf = write_workbook
is_map = is_folder
_schrijf_csv = _write_csv
_atomisch = atomic
instructie_regels = instruction_lines
