"""Writing the workbook: the empty template (``ggsr-kg sjabloon``) and a filled one (``export``).

An .xlsx file gets one sheet per kind of fact (the table in mapping.py), an *Instructie* sheet in
Dutch and a hidden *Lijsten* sheet with the controlled values from the ontology, which the
drop-down lists (data validation) point to. A folder gets one CSV per sheet with the same name and
columns, plus Lijsten.csv and Instructie.txt for reference. Files are written to a temporary name
and renamed, so a half-written workbook never appears.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..errors import InputError
from .mapping import (
    BLADEN,
    INSTRUCTIE,
    LIJSTEN,
    SCHEIDER,
    SOORTEN,
    VERZONNEN_CODE,
    Blad,
    Kolom,
    lijsten,
)

MAX_RIJEN = 1000  # rows that get drop-downs and validation
VERWIJZING_BEREIK = {
    "naam": ("Organisaties", "A"),
    "namen": ("Organisaties", "A"),
    "functie": ("Functies", "A"),
    "document": ("Documenten", "A"),
    "aanpakken": ("Aanpak", "C"),
    "netwerk-aanpak": ("Aanpak", "C"),
}
VERPLICHT_KLEUR = "FFE4B5"
KOP_KLEUR = "DDEBF7"

Rij = Mapping[str, object]  # column heading → cell value


def is_map(pad: Path | str) -> bool:
    """A CSV folder is asked for: a path ending in a slash, or an existing directory."""
    text = str(pad)
    return text.endswith(("/", os.sep)) or Path(text).is_dir()


def schrijf(pad: Path | str, rijen: Mapping[str, Sequence[Rij]] | None = None) -> Path:
    """Write the workbook (empty when ``rijen`` is None) as .xlsx or as a CSV folder."""
    rijen = rijen or {}
    if is_map(pad):
        return _schrijf_csv(Path(pad), rijen)
    pad = Path(pad)
    if pad.suffix.lower() != ".xlsx":
        raise InputError(
            f"{pad}: kies een .xlsx-bestand of een map (eindigend op /) / "
            "use an .xlsx file or a folder (ending in /)"
        )
    return _schrijf_xlsx(pad, rijen)


# ---- instructions -------------------------------------------------------------------------------


def instructie_regels() -> list[str]:
    """The Instructie sheet, generated from the mapping table and the shapes so it never goes
    stale."""
    from .indicatoren import instructie_regels as indicator_regels
    from .indicatoren import per_kolom

    telt = per_kolom()
    regels = [
        "Werkboek GGSR-netwerk — invulinstructie",
        "",
        "Met dit werkboek beschrijft u het netwerk van één gemeente rond gezinnen met geringe sociale "
        "redzaamheid: wie doet mee, welke functies en bevoegdheden er zijn, bindend voor wie en "
        "vastgelegd waar. Vul feiten in, geen oordelen: het oordeel (voldoet / verbeterpunt / "
        "onbekend) leidt het programma af. Welke kolom voor welke indicator telt, staat onderaan.",
        "",
        "Zo werkt het:",
        "  1. Vul het blad Aanpak in (gemeente, aanpak, jaar).",
        "  2. Zet elke organisatie die u ergens noemt op het blad Organisaties.",
        "  3. Vul de andere bladen in; laat leeg wat u niet weet (leeg is 'onbekend', niet 'nee').",
        "  4. ggsr-kg import mijn.xlsx --out mijn.ttl   (meldt per rij wat niet klopt)",
        "  5. ggsr-kg validate --data mijn.ttl          (de scorecard; --data mijn.xlsx kan ook)",
        "",
        "Regels:",
        "  • Een kolomkop in oranje is verplicht; elke ingevulde rij moet die cel hebben.",
        f"  • Meer waarden in één cel (Soort, Netwerkrol, Houder, Partijen, Regelt …): zet er een "
        f"puntkomma tussen ('GGD{SCHEIDER} jeugdgezondheidszorg (JGZ)') of zet ze elk op een eigen "
        "regel (Alt+Enter). Een komma scheidt níet: namen en keuzes bevatten zelf komma's "
        "('Politie, team Zwolle').",
        "  • Kolommen met een uitklapmenu accepteren alleen waarden uit de lijst (het menu biedt "
        "één waarde; meer waarden typt u met een puntkomma ertussen).",
        "  • Namen (Houder, Partijen, Verklaard door …) moeten precies zo op het blad Organisaties "
        "staan (hoofdletters en spaties tellen niet). Ook toegestaan: de naam van de gemeente (of "
        "'gemeente <naam>'), 'netwerk' (= alle partners van de aanpak), 'netwerk <aanpak> <jaar>' "
        "(een ander netwerk in dit werkboek) en de naam van een functie (bijv. een wethouder als "
        "actor in een escalatiestap). Een naam op het blad Organisaties mag geen puntkomma bevatten.",
        "  • Netwerkrol op het blad Organisaties: 'partner' en 'kernpartner' zijn leden van het "
        "netwerk; 'meldt aan' betekent dat de organisatie gezinnen aanmeldt (dat maakt haar nog "
        "geen partner; wie beide is, krijgt 'partner; meldt aan'). Een organisatie die alleen "
        "ergens genoemd wordt, krijgt geen rol. De gemeente zelf hoeft niet op het blad, tenzij "
        "ze een netwerkrol heeft.",
        "  • Gemeente: een van de gemeenten van CBS; de CBS-code wordt dan opgezocht. Een "
        f"verzonnen gemeente (oefening) mag met een eigen CBS-code die CBS niet gebruikt, bijv. "
        f"{VERZONNEN_CODE}.",
        "  • Geen namen van personen, geen e-mailadressen, telefoonnummers of BSN's: functies "
        "alleen bij hun functienaam.",
        "  • Datum: JJJJ, JJJJ-MM, JJJJ-MM-DD, 1-3-2014, maart 2014 of een datumcel.",
        "  • Meer aanpakken of jaren in één werkboek: vul op de andere bladen de kolommen "
        "Aanpak en Jaar in. Met één rij op het blad Aanpak laat u die leeg.",
        "  • Elke rij wordt gelezen: wat niet klopt wordt gemeld met blad, rij en kolom, en er wordt "
        "dan niets geschreven.",
        "",
    ]
    for blad in BLADEN:
        regels.append(f"Blad {blad.naam}: {blad.uitleg}")
        for k in blad.kolommen:
            verplicht = " (verplicht)" if k.verplicht else ""
            uitleg = f" {k.uitleg}" if k.uitleg else ""
            codes = telt.get((blad.naam, k.kop))
            indicatoren = f" Telt voor {', '.join(codes)}." if codes else ""
            regels.append(f"  – {k.kop}{verplicht}: {SOORTEN[k.soort]}.{uitleg}{indicatoren}")
        if blad.alle_kolommen != blad.kolommen:
            regels.append("  – Aanpak, Jaar: alleen bij meer aanpakken of jaren (zie Regels).")
        codes = telt.get((blad.naam, None))
        if codes:
            regels.append(f"  – Elke rij telt voor {', '.join(codes)}.")
        regels.append("")
    return regels + indicator_regels()


def _kop_uitleg(blad: Blad, k: Kolom) -> str:
    from .indicatoren import per_kolom

    parts = ["Verplicht." if k.verplicht else "Optioneel.", SOORTEN[k.soort] + "."]
    if k.uitleg:
        parts.append(k.uitleg)
    codes = per_kolom().get((blad.naam, k.kop))
    if codes:
        parts.append(f"Telt voor indicator {', '.join(codes)}.")
    return " ".join(parts)


# ---- xlsx ---------------------------------------------------------------------------------------


def _lijst_bereik(kolommen: dict[str, str], naam: str) -> str:
    letter = kolommen[naam]
    n = len(lijsten()[naam].items)
    return f"{LIJSTEN}!${letter}$2:${letter}${n + 1}"


def _schrijf_xlsx(pad: Path, rijen: Mapping[str, Sequence[Rij]]) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = INSTRUCTIE
    for i, regel in enumerate(instructie_regels(), start=1):
        cell = ws.cell(row=i, column=1, value=regel)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = Font(bold=True, size=14)
        elif regel.startswith("Blad ") or regel.endswith(":"):
            cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 120

    # the lists first (as letters), so validations can point to them
    lijst_kolom: dict[str, str] = {}
    lws = wb.create_sheet(LIJSTEN)
    for j, (naam, lijst) in enumerate(lijsten().items(), start=1):
        letter = get_column_letter(j)
        lijst_kolom[naam] = letter
        lws.cell(row=1, column=j, value=naam).font = Font(bold=True)
        for i, label in enumerate(lijst.labels, start=2):
            lws.cell(row=i, column=j, value=label).data_type = "s"
        lws.column_dimensions[letter].width = max(14, max(len(x) for x in lijst.labels) + 2)
    lws.sheet_state = "hidden"

    for blad in BLADEN:
        bws = wb.create_sheet(blad.naam, index=len(wb.sheetnames) - 1)
        _vul_blad(bws, blad, rijen.get(blad.naam, ()), lijst_kolom)
    return _atomisch(pad, lambda tmp: wb.save(tmp))


def _vul_blad(ws, blad: Blad, rijen: Sequence[Rij], lijst_kolom: dict[str, str]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for j, k in enumerate(blad.alle_kolommen, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(row=1, column=j, value=k.kop)
        cell.font = Font(bold=True)
        kleur = VERPLICHT_KLEUR if k.verplicht else KOP_KLEUR
        cell.fill = PatternFill("solid", start_color=kleur, end_color=kleur)
        cell.comment = Comment(_kop_uitleg(blad, k), "ggsr-kg", width=300, height=160)
        ws.column_dimensions[letter].width = k.breedte
        bereik = f"{letter}2:{letter}{MAX_RIJEN + 1}"
        dv = None
        if k.lijst and k.soort in {"keuze", "janee"}:
            dv = DataValidation(
                type="list",
                formula1=_lijst_bereik(lijst_kolom, k.lijst),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Niet in de lijst",
                error=f"Kies een waarde uit de lijst {k.lijst}.",
            )
        elif k.lijst:  # several values allowed: offer the list, accept ';'-separated text
            dv = DataValidation(
                type="list",
                formula1=_lijst_bereik(lijst_kolom, k.lijst),
                allow_blank=True,
                showErrorMessage=False,
                showInputMessage=True,
                promptTitle="Een of meer",
                prompt=f"Kies uit de lijst. Meer waarden: typ ze met {SCHEIDER} ertussen.",
            )
        elif k.soort in VERWIJZING_BEREIK:
            sheet, col = VERWIJZING_BEREIK[k.soort]
            dv = DataValidation(
                type="list",
                formula1=f"{sheet}!${col}$2:${col}${MAX_RIJEN + 1}",
                allow_blank=True,
                showErrorMessage=False,
            )
            if k.meervoud:
                dv.showInputMessage = True
                dv.promptTitle = "Een of meer namen"
                dv.prompt = f"Meer namen: typ ze met {SCHEIDER} ertussen."
        elif k.soort in {"jaar", "netwerk-jaar"}:
            dv = DataValidation(
                type="whole",
                operator="between",
                formula1="2000",
                formula2="2030",
                allow_blank=True,
                showErrorMessage=True,
                error="Een jaartal tussen 2000 en 2030.",
            )
        elif k.soort == "geheel":
            dv = DataValidation(
                type="whole",
                operator="greaterThanOrEqual",
                formula1="1" if k.veld == "stap" else "0",
                allow_blank=True,
                showErrorMessage=True,
                error="Een geheel getal.",
            )
        if dv is not None:
            dv.add(bereik)
            ws.add_data_validation(dv)
        if k.veld in {"datum", "cbs"}:  # typed as text: Excel must not turn 2014-03 into a date
            ws.column_dimensions[letter].number_format = "@"
    for i, rij in enumerate(rijen, start=2):
        for j, k in enumerate(blad.alle_kolommen, start=1):
            waarde = rij.get(k.kop)
            if waarde is None or waarde == "":
                continue
            cell = ws.cell(row=i, column=j, value=waarde)
            if isinstance(waarde, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                if "\n" in waarde:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


# ---- CSV ----------------------------------------------------------------------------------------


def _schrijf_csv(map_: Path, rijen: Mapping[str, Sequence[Rij]]) -> Path:
    from ..output import spreadsheet_safe  # a cell '=…' is never a live formula

    map_.mkdir(parents=True, exist_ok=True)
    for blad in BLADEN:
        koppen = [k.kop for k in blad.alle_kolommen]

        def schrijf_blad(tmp: Path, blad=blad, koppen=koppen) -> None:
            with tmp.open("w", encoding="utf-8-sig", newline="") as f:
                w = csv.writer(f)
                w.writerow(koppen)
                for rij in rijen.get(blad.naam, ()):
                    w.writerow(
                        ["" if rij.get(k) is None else spreadsheet_safe(rij.get(k)) for k in koppen]
                    )

        _atomisch(map_ / f"{blad.naam}.csv", schrijf_blad)

    def schrijf_lijsten(tmp: Path) -> None:
        alle = lijsten()
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(list(alle))
            diepte = max(len(lijst.items) for lijst in alle.values())
            for i in range(diepte):
                w.writerow(
                    [lijst.labels[i] if i < len(lijst.items) else "" for lijst in alle.values()]
                )

    _atomisch(map_ / f"{LIJSTEN}.csv", schrijf_lijsten)
    _atomisch(
        map_ / f"{INSTRUCTIE}.txt",
        lambda tmp: tmp.write_text("\n".join(instructie_regels()) + "\n", encoding="utf-8"),
    )
    return map_


def _atomisch(pad: Path, schrijver) -> Path:
    """Write through a temporary file in the same folder and rename it into place."""
    pad.parent.mkdir(parents=True, exist_ok=True)
    fd, naam = tempfile.mkstemp(prefix=f".{pad.name}.", suffix=".tmp", dir=pad.parent)
    os.close(fd)
    tmp = Path(naam)
    try:
        schrijver(tmp)
        os.replace(tmp, pad)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return pad
