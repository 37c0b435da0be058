"""Does every quotation (``ggsr:citaat``) occur in the source it names?

A quotation is checked against the text of its source (``data/bronnen/<bestandsnaam>``) after
normalising both sides the same way: typographic quotes and dashes become plain ones, a hyphen at a
line break (``man-\\ndaat``) is joined — and so, on both sides, every hyphen between letters, because
a line-break hyphen and a compound's hyphen (``OGGZ-aanpak``) cannot be told apart — white space collapses, case is ignored. A quotation made of
fragments joined by "…" (or "...", "[…]") is checked fragment by fragment, in any order, because the data
often quote two sentences of one table cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .graph import KnowledgeGraph

_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", " ": " "}
)
_BREAK_HYPHEN = re.compile(r"(\w)-\s*(?=\w)")
_SPACE = re.compile(r"\s+")
_FRAGMENTS = re.compile(r"\s*\[?\s*(?:…|\.\.\.)\s*\]?\s*")
_EDGE = " .,;:'\"()"


def normalise(text: str) -> str:
    text = text.translate(_QUOTES)
    text = _BREAK_HYPHEN.sub(r"\1", text)
    return _SPACE.sub(" ", text).strip().casefold()


def fragments(quote: str) -> list[str]:
    """The parts of a quotation that must each occur in the source (empty parts dropped)."""
    parts = (normalise(p).strip(_EDGE) for p in _FRAGMENTS.split(quote))
    return [p for p in parts if p]


@dataclass(frozen=True)
class Miss:
    node: str
    source: str
    place: str
    quote: str
    fragment: str

    def __str__(self) -> str:
        return f"{self.node} [{self.source}, {self.place}]: niet gevonden / not found: {self.fragment!r}"


def check(kg: KnowledgeGraph, source_dir: Path) -> tuple[int, list[Miss]]:
    """(number of quotations checked, the fragments not found in their source)."""
    rows = kg.select(
        """SELECT ?node ?file ?place ?quote WHERE {
             ?node prov:qualifiedDerivation ?d .
             ?d prov:entity ?bron ; ggsr:citaat ?quote .
             ?bron ggsr:bestandsnaam ?file .
             OPTIONAL { ?d ggsr:plaats ?place }
           }"""
    )
    texts: dict[str, str] = {}
    misses = []
    for r in rows:
        name = r["file"].value
        if name not in texts:
            texts[name] = normalise((source_dir / name).read_text(encoding="utf-8"))
        for frag in fragments(r["quote"].value):
            if frag not in texts[name]:
                place = r["place"].value if r["place"] is not None else "-"
                misses.append(Miss(r["node"].value, name, place, r["quote"].value, frag))
    return len(rows), misses
