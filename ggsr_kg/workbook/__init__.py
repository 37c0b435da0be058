"""The inspector's workbook: an Excel (or CSV) template, its import into RDF and the export of an
existing network into the same workbook.

- :func:`template.write_workbook` writes the empty template or a filled workbook;
- :func:`importer.import_workbook` reads one into a graph in the GGSR ontology, reporting every
  row it cannot take over (reading.py reads the files, cells.py one cell, references.py resolves
  names, checks.py runs the quality shapes and privacy guard on the result);
- :func:`exporter.export` writes a municipality's network from a graph into the workbook;
- indicators.py says which column decides which indicator, from the evidence rules.

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
from .importer import Problem, Result, import_workbook, turtle

__all__ = ["Problem", "Result", "import_workbook", "is_workbook", "rdf_files", "turtle"]


def is_workbook(path: Path | str) -> bool:
    """An .xlsx file or a folder of CSV files — something to import rather than parse as RDF."""
    p = Path(path)
    if p.is_dir():
        return any(p.glob("*.csv")) and not any(p.glob("*.ttl")) and not any(p.glob("*.trig"))
    return p.suffix.lower() == ".xlsx"


def rdf_files(paths: Iterable[Path | str]) -> list[Path]:
    """``--data`` paths with every workbook imported on the fly into a temporary Turtle file
    (removed when the process ends). A workbook with problems raises InputError listing them."""
    out: list[Path] = []
    tmp: Path | None = None
    for path in paths:
        if not is_workbook(path):
            out.append(Path(path))
            continue
        result = import_workbook(path)
        for w in result.warnings:
            print(f"waarschuwing / warning: {path}: {w}", file=sys.stderr)
        if result.problems:
            n = len(result.problems)
            raise InputError(
                f"{path}: {n} {'probleem' if n == 1 else 'problemen'} / problem(s):\n"
                + "\n".join(str(p) for p in result.problems)
            )
        if tmp is None:
            tmp = Path(tempfile.mkdtemp(prefix="ggsr-werkboek-"))
            atexit.register(shutil.rmtree, tmp, ignore_errors=True)
        target = tmp / f"{len(out)}-{Path(str(path).rstrip('/')).stem or 'werkboek'}.ttl"
        target.write_text(turtle(result), encoding="utf-8")
        out.append(target)
    return out


# Dutch names of the first version (code on other branches calls them)
is_werkboek = is_workbook
rdf_bestanden = rdf_files
