"""Options several commands share, and loading the graph they ask for."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ..errors import InputError
from ..graph import KnowledgeGraph


def add_data_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        nargs="+",
        type=Path,
        metavar="BESTAND",
        help="eigen instantiedata in plaats van de meegeleverde data/: Turtle/TriG, of een "
        "ingevuld werkboek (.xlsx of map met CSV, zie ggsr-kg sjabloon); ontologie en kader "
        "laden altijd / your own instance data instead of data/: Turtle/TriG or a filled "
        "workbook (.xlsx or CSV folder)",
    )
    p.add_argument(
        "--store",
        type=Path,
        metavar="MAP",
        help="een persistente store (ggsr-kg load --store MAP): niets opnieuw inlezen / a "
        "persistent store made by ggsr-kg load --store: nothing is parsed again",
    )
    p.add_argument(
        "--zonder-afleiding",
        action="store_true",
        help="geen afleiding vóór validatie (klassenhiërarchie, inversen, transitiviteit) / "
        "switch inference off",
    )


def load_graph(args: argparse.Namespace) -> KnowledgeGraph:
    """The graph a command works on: a persistent store (``--store``, read as it is), or
    ontology and the shipped data, or the user's ``--data`` (workbooks imported on the fly) —
    which passes the privacy guard before any command uses it."""
    if getattr(args, "store", None) is not None:
        if args.data:
            raise InputError(
                "--store en --data gaan niet samen; voeg bestanden toe met ggsr-kg store add / "
                "--store and --data exclude each other; add files with ggsr-kg store add"
            )
        from ..store import open_graph

        return open_graph(args.store)
    return load_user_data(args.data, infer=not getattr(args, "zonder_afleiding", False))


def load_user_data(data, *, infer: bool = True) -> KnowledgeGraph:
    """:meth:`KnowledgeGraph.default` for ``--data`` files, refusing personal data (exit 2)."""
    if data:
        # A workbook is imported on the fly; a rejected row stops here with its place.
        from ..workbook import rdf_files

        data = rdf_files(data)
    kg = KnowledgeGraph.default(data=data, infer=infer)
    if data:
        refuse_personal_data(kg)
    return kg


def refuse_personal_data(kg: KnowledgeGraph) -> None:
    """InputError (exit 2) when the user's files hold what looks like personal data.

    Runs :func:`ggsr_kg.quality.privacy_findings` and keeps the findings in the user's files
    (``kg.sources``; an inferred person type is traced to the file that states the node). The
    message names the file, line and column, the node and the reason; a BSN is shown masked.
    """
    import pyoxigraph as ox

    from ..privacy import file_findings, masked
    from ..quality import privacy_findings
    from ..rdfio import locate, read_bytes

    mine = []
    for f in privacy_findings(kg):
        path = kg.sources.get(f.graph)
        if path is None:  # e.g. an inferred foaf:Person: which user file states the node?
            rows = (
                kg.select(
                    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?n ?p ?o } }",
                    {"n": ox.NamedNode(f.node)},
                )
                if f.node.startswith(("http:", "https:", "urn:", "file:"))
                else []
            )
            path = next(
                (kg.sources[r["g"].value] for r in rows if r["g"].value in kg.sources), None
            )
        if path is not None:
            mine.append((path, f))
    files = sorted(set(kg.sources.values()), key=str)
    if mine:
        path, f = mine[0]
        local = f.node.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        prefixed = re.compile(rf"(?<![\w.:-])[A-Za-z_][\w.-]*:{re.escape(local)}(?![\w-])")
        found = locate(read_bytes(path), f.value, f"<{f.node}>", prefixed if local else "")
        where = f"{path}:{found[0]}:{found[1]}" if found else str(path)
        shown = masked(f.value, f.reason)
        node = f.node.replace(f.value, shown)  # id:client-123456782: not in full either
        what = f" bij / at <{node}>: {f.reason}: '{shown}'"
        count = len(mine)
    else:
        # what no parser keeps: a BSN or a phone number in a Turtle # comment
        raw = [x for p in files for x in file_findings(p)]
        if not raw:
            kg.checked.update(files)
            return
        first = raw[0]
        where = f"{first.path}:{first.line}:{first.column}"
        what = f": {first.reason}: '{masked(first.value, first.reason)}'"
        count = len(raw)
    more = f" (en {count - 1} meer / and {count - 1} more)" if count > 1 else ""
    raise InputError(
        f"{where}: persoonsgegevens / personal data{what}{more}. De graaf bevat geen "
        "persoonsgegevens; verwijder ze / the graph holds no personal data; remove them"
    )
