"""The municipality of a workbook: its name as CBS uses it and its CBS code.

The code is looked up in the shipped open-data snapshot (data/opendata/gemeenten.csv). An invented
municipality (an exercise) gets a code CBS does not use; the code of a real municipality is refused
for another name, so an invented municipality never coincides with a real one.
"""

from __future__ import annotations

import csv
import re
from functools import cache

from ..resources import resource_dir
from .mapping import INVENTED_CODE, norm

CBS_CODE = re.compile(r"^(?:GM)?(\d{4})$", re.IGNORECASE)


@cache
def cbs_municipalities() -> dict[str, tuple[str, str]]:
    """norm(name) → (CBS code, name), from the shipped open-data snapshot; current ones win."""
    path = resource_dir("data") / "opendata" / "gemeenten.csv"
    out: dict[str, tuple[str, str]] = {}
    if not path.is_file():
        return out
    with path.open(encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: r.get("geldig_tot") == "")
    for r in rows:  # former municipalities first, current ones overwrite them
        code, name = r["cbs_code"], r["naam"]
        official = r.get("officiele_naam") or ""
        for key in {name, official, re.sub(r"^gemeente\s+", "", official, flags=re.I)}:
            if key:
                out[norm(key)] = (code, name)
        out[norm(code)] = (code, name)
    return out


def normalise_code(text: str) -> str | None:
    m = CBS_CODE.match(str(text).strip())
    return f"GM{m.group(1)}" if m else None


def cbs_name(name: str) -> str:
    """The name CBS uses ('gemeente Zwolle' → 'Zwolle'); an unknown name as it is."""
    found = cbs_municipalities().get(norm(name))
    if found and not CBS_CODE.match(str(name).strip()):
        return found[1]
    return name


def check_code(name: str, given: str | None) -> tuple[str | None, str | None]:
    """(code, problem): the code for municipality ``name`` — the given one checked against the CBS
    list, or the one looked up — or a problem in Dutch saying what to do."""
    known = cbs_municipalities().get(norm(name))
    if given:
        code = normalise_code(given)
        if code is None:
            return None, f"'{given}' is geen CBS-gemeentecode (GMnnnn)"
        owner = cbs_municipalities().get(norm(code))
        if known and known[0] != code and not (owner and owner[1] == known[1]):
            of = f"de code van {owner[1]}" if owner else "geen code uit de CBS-lijst"
            return code, (
                f"{code} is {of}; {known[1]} heeft {known[0]} (laat de cel leeg: de code wordt "
                "opgezocht)"
            )
        if known is None and owner:
            return code, (
                f"{code} is de code van {owner[1]}; een gemeente die niet in de CBS-lijst staat, "
                f"krijgt een code die CBS niet gebruikt, bijv. {INVENTED_CODE}"
            )
        return code, None
    if known is None:
        import difflib

        names = sorted({n for _, n in cbs_municipalities().values()})
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.8)
        meant = f" Bedoelt u {' of '.join(close)}?" if close else ""
        return None, (
            f"gemeente '{name}' staat niet in de CBS-lijst van gemeenten.{meant} Een verzonnen "
            f"gemeente (oefening, voorbeeld) mag: vul dan een CBS-code in die CBS niet gebruikt, "
            f"bijv. {INVENTED_CODE}"
        )
    return known[0], None
