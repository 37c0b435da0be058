"""After a clean import: the data-quality shapes and the privacy guard on the result.

Their findings are placed at the cell the offending triple came from when there is one (the
shape's sh:resultPath, or the property whose objects it targets), else at the node's row. A
violation is a problem (nothing is written), a warning is shown.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from .cells import text_of
from .mapping import SHEET, ontology
from .reading import Problem


def check_result(result, row_of: dict, origin: dict) -> None:
    """Data-quality shapes and privacy guard on ontology + the imported graph, after inference;
    findings go into ``result.problems`` and ``result.warnings``."""
    import pyoxigraph as ox
    from pyshacl import validate as shacl

    from ..graph import KnowledgeGraph
    from ..namespaces import SH
    from ..quality import privacy_findings, quality_shapes, tag_messages
    from ..validation import validate

    kg = KnowledgeGraph()
    kg.load_resource("ontology")
    name = ox.NamedNode("https://w3id.org/ggsr/graph/werkboek")
    data = result.graph.serialize(format="nt", encoding="utf-8")
    kg.store.bulk_extend(
        ox.Quad(t.subject, t.predicate, t.object, name)
        for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    )
    kg.infer()
    own = {str(s) for s in result.graph.subjects()}

    def row_place(focus) -> tuple[str, int]:
        row = row_of.get(URIRef(str(focus)))
        if row is not None:
            return row.sheet.name, row.number
        return "Aanpak", 2  # the municipality, approach and network: the sheet Aanpak

    def cells(focus, path, direction: str) -> list[tuple[str, int, str]]:
        """The cells that wrote a triple with ``path`` on ``focus`` (as subject or object)."""
        paths = set(ontology().transitive_subjects(RDFS.subPropertyOf, path))
        out = []
        for (s, p, o), place in origin.items():
            if p in paths and (s if direction == "out" else o) == focus:
                out.append(place)
        return sorted(set(out))

    core, sparql = quality_shapes()  # SHACL core through pySHACL, SPARQL-based on Oxigraph
    _, report, _ = shacl(kg.to_rdflib(), shacl_graph=core, inference="none")
    tag_messages(report, core)  # pySHACL drops the language of filled-in messages
    seen = set()

    def say(sheet: str, number: int, column: str | None, message: str, serious: bool) -> None:
        if (sheet, number, column, message) in seen:
            return
        seen.add((sheet, number, column, message))
        if serious:
            result.problems.append(Problem(sheet, number, column, f"datakwaliteit: {message}"))
        else:
            result.warnings.append(str(Problem(sheet, number, column, message)))

    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        if str(focus) not in own:
            continue
        messages = {m.language: str(m) for m in report.objects(r, SH.resultMessage)}
        message = messages.get("nl") or messages.get("en") or str(report.value(r, SH.sourceShape))
        path = report.value(r, SH.resultPath)
        source_shape = report.value(r, SH.sourceShape)
        target = core.value(source_shape, SH.targetObjectsOf) if source_shape else None
        places: list[tuple[str, int, str | None]] = []
        if isinstance(path, URIRef):
            places = cells(focus, path, "out")
            if not places:  # a missing value: the column of the node's row for this property
                sheet, number = row_place(focus)
                column = next((c.heading for c in SHEET[sheet].all_columns if c.prop == path), None)
                places = [(sheet, number, column)]
        elif isinstance(target, URIRef):
            places = cells(focus, target, "in")
        if not places:
            places = [(*row_place(focus), None)]
        serious = str(report.value(r, SH.resultSeverity)).endswith("Violation")
        for sheet, number, column in places:
            say(sheet, number, column, message, serious)
    for res in validate(kg, sparql):
        if res.focus not in own:
            continue
        row = row_of.get(URIRef(res.value))
        if row is not None:
            # about one of the network's parties or roles (a Bureau Jeugdzorg in 2016): the cell
            # that gave that node its kind
            column = next((c.heading for c in row.sheet.all_columns if c.prop == RDF.type), None)
            sheet, number = row.sheet.name, row.number
        else:
            (sheet, number), column = row_place(res.focus), None
        say(
            sheet,
            number,
            column,
            res.message_nl or res.message_en,
            res.severity.endswith("Violation"),
        )
    for f in privacy_findings(kg):
        if f.node not in own:
            continue
        places = sorted(
            {
                place
                for (s, _, o), place in origin.items()
                if str(s) == f.node and isinstance(o, Literal) and f.value in str(o)
            }
        )
        if not places:
            sheet, number = row_place(f.node)
            row = row_of.get(URIRef(f.node))
            column = None
            if row is not None:
                for c in row.sheet.all_columns:
                    if f.value in text_of(row.raw.get(c.field) or ""):
                        column = c.heading
                        break
            places = [(sheet, number, column)]
        shown = f.value[:3] + "***" + f.value[-2:] if "BSN" in f.reason else f.value
        for sheet, number, column in places:
            result.problems.append(
                Problem(
                    sheet,
                    number,
                    column,
                    f"privacy: '{shown}' {f.reason}; geen persoonsgegevens invullen",
                )
            )
    result.problems.sort(key=lambda p: p.sort_key)
