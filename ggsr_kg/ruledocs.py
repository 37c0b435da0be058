"""docs/beslisregels.md: per indicator, the facts that decide it and the outcome each gives.

Written from the evidence rules (shapes/regels/) — the same source the shapes, the scorecard's
"what would change this" and the workbook's instruction sheet use — so the table cannot drift
from what the shapes do (a test compares it with a fresh rendering).
"""

from __future__ import annotations

from pathlib import Path

from .resources import resource_dir
from .rules import VOLDOET, Rule, by_indicator, load_rules

DOC = "beslisregels.md"

_INTRO = """\
# Beslisregels — welke feiten beslissen over een indicator / which facts decide an indicator

*Gegenereerd uit `shapes/regels/` door `python -m ggsr_kg.rules` — niet met de hand bewerken.*
*Generated from `shapes/regels/` by `python -m ggsr_kg.rules` — do not edit by hand.*

Hoe een oordeel volgt / how a verdict follows: van de feiten die bij een regel passen en
meetellen, beslist het **sterkste bewijs** — document (1) vóór praktijk (2) vóór verklaring of
bevinding (3) — en bij gelijke sterkte de **eerst genoemde regel**. Spreekt geen enkel feit, dan
is de indicator **onbekend**. Een concept, verlopen of ingetrokken document telt nooit mee.
The strongest evidence that speaks decides — document before practice before statement or
finding — and among equally strong facts the rule listed first; no fact at all: unknown. A
draft, expired or withdrawn document never counts.

"""


def _basis(rule: Rule) -> str:
    return rule.fixed_basis or "van het feit / of the fact"


def table(rules: tuple[Rule, ...] | None = None) -> str:
    """The markdown table alone: indicator, order, deciding fact, outcome, grondslag."""
    rules = rules or load_rules()
    rows = [
        "| indicator | # | feit dat beslist / deciding fact | uitkomst / outcome | grondslag |",
        "| --- | --- | --- | --- | --- |",
    ]
    for own in by_indicator(rules).values():
        for i, r in enumerate(own, 1):
            outcome = "voldoet" if r.outcome == VOLDOET else "verbeterpunt"
            first = f"{r.code}" if i == 1 else ""
            rows.append(
                f"| {first} | {i} | {r.label_nl} / *{r.label_en}* | {outcome} | {_basis(r)} |"
            )
    return "\n".join(rows) + "\n"


def render(rules: tuple[Rule, ...] | None = None) -> str:
    return _INTRO + table(rules)


# docs/modelling.md carries the same table between these markers (issue 14: the modelling guide
# says which facts decide each indicator); write_docs() refreshes it, a test checks it.
BEGIN, END = "<!-- beslisregels:begin -->", "<!-- beslisregels:end -->"


def with_table(text: str, rules: tuple[Rule, ...] | None = None) -> str:
    """``text`` with the part between the markers replaced by the current table."""
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{table(rules)}{END}{tail}"


def doc_path() -> Path:
    return resource_dir("shapes").parent / "docs" / DOC


def modelling_path() -> Path:
    return doc_path().with_name("modelling.md")


def write_docs() -> Path:
    path = doc_path()
    path.write_text(render(), encoding="utf-8")
    guide = modelling_path()
    guide.write_text(with_table(guide.read_text(encoding="utf-8")), encoding="utf-8")
    return path
