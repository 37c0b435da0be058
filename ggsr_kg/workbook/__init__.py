"""The inspector's workbook: an Excel (or CSV) template, its import into RDF and the export of an
existing network into the same workbook.

- :func:`template.schrijf` writes the empty template or a filled workbook;
- :func:`importer.import_werkboek` reads one into a graph in the GGSR ontology, reporting every
  row it cannot take over;
- :func:`exporter.exporteer` writes a municipality's network from a graph into the workbook.

The mapping between sheets and RDF is the table in :mod:`.mapping`.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError
from .importer import Probleem, Resultaat, import_werkboek, turtle

__all__ = ["Probleem", "Resultaat", "import_werkboek", "is_werkboek", "rdf_bestanden", "turtle"]


def is_werkboek(pad: Path | str) -> bool:
    """An .xlsx file or a folder of CSV files — something to import rather than parse as RDF."""
    p = Path(pad)
    if p.is_dir():
        return any(p.glob("*.csv")) and not any(p.glob("*.ttl")) and not any(p.glob("*.trig"))
    return p.suffix.lower() == ".xlsx"


def rdf_bestanden(paden: Iterable[Path | str]) -> list[Path]:
    """``--data`` paths with every workbook imported on the fly into a temporary Turtle file
    (removed when the process ends). A workbook with problems raises InputError listing them."""
    uit: list[Path] = []
    tmp: Path | None = None
    for pad in paden:
        if not is_werkboek(pad):
            uit.append(Path(pad))
            continue
        resultaat = import_werkboek(pad)
        for w in resultaat.waarschuwingen:
            print(f"waarschuwing / warning: {pad}: {w}", file=sys.stderr)
        if resultaat.problemen:
            n = len(resultaat.problemen)
            raise InputError(
                f"{pad}: {n} {'probleem' if n == 1 else 'problemen'} / problem(s):\n"
                + "\n".join(str(p) for p in resultaat.problemen)
            )
        if tmp is None:
            tmp = Path(tempfile.mkdtemp(prefix="ggsr-werkboek-"))
            atexit.register(shutil.rmtree, tmp, ignore_errors=True)
        doel = tmp / f"{len(uit)}-{Path(str(pad).rstrip('/')).stem or 'werkboek'}.ttl"
        doel.write_text(turtle(resultaat), encoding="utf-8")
        uit.append(doel)
    return uit
