"""Reading a filled workbook (.xlsx or a folder of CSV files) into RDF in the GGSR ontology.

Every row counts: a row becomes triples, or every problem with it is reported with sheet, row,
column and reason (:class:`~.reading.Problem`). The result is only usable when there are no
problems; the command writes nothing otherwise. The mapping itself — which column becomes which
property, how a value is looked up — is the table in mapping.py; this module walks it. Each step has a
module of its own: reading.py (files → tables), cells.py (one cell), identity.py (rows → nodes and
IRIs), references.py (names → nodes), municipalities.py (the CBS list), triples.py (rows →
triples) and checks.py (quality shapes and privacy on the result); this module runs them.

IRIs are derived from the municipality, the year and the row's content (docs/werkboek.md):
``id:<gemeente>-<aanpak>-<jaar>`` for the network, ``id:<gemeente>-org-<naam>`` for an
organisation, ``id:doc-<titel>`` for a document, ``id:<netwerk>-<soort>-<hash>`` for an
arrangement, practice, statement, finding or absence (a hash of all its cells, multi-valued cells
sorted — never of the first of several values). Identical rows give identical IRIs, so importing the
same workbook twice gives the same graph.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from ..namespaces import BRON, GGSR, ID, ORG
from .identity import BY_CONTENT, Identity
from .mapping import EVIDENCE_SHEETS, SHEETS, STJ
from .reading import NOT_CALCULATED, Problem, Table, read_tables
from .state import Result, Row
from .triples import STJ_LABEL, Triples


class _Import(Identity, Triples):
    """One import: the steps of identity.py and triples.py over the same state."""

    def run(self, tables: dict[str, Table]) -> list[Row]:
        rows = {
            s.name: [Row(s, n, raw) for n, raw in tables.get(s.name, Table(s.name, [])).rows]
            for s in SHEETS
        }
        every = [r for s in SHEETS for r in rows[s.name]]
        for row in every:
            self.read_cells(row)
        self.approach_rows(rows["Aanpak"])
        for s in SHEETS[1:]:
            for row in rows[s.name]:
                required = s.name != "Organisaties" or bool(row.values.get("roles"))
                self.assign_network(row, required)
        for row in every:
            self.check_kind_columns(row)
        self.organisations(rows["Organisaties"])
        self.documents(rows["Documenten"])
        self.roles(rows["Functies"])
        self.authorities(rows["Bevoegdheden"])
        self.escalation(rows["Escalatie"])
        for name in BY_CONTENT:
            self.by_content(rows[name])
        self.register_handles([r for name in EVIDENCE_SHEETS for r in rows[name]])
        self.default_inspectorates(rows["Aanpak"])
        for row in every:
            self.emit(row)
        if self.reg.used_stj:
            self.add(STJ, RDF.type, GGSR.Inspectie)
            self.add(STJ, RDFS.label, Literal(STJ_LABEL, lang="nl"))
        return every


def import_workbook(path: Path | str, check: bool = True) -> Result:
    """Read the workbook at ``path`` into RDF. ``problems`` of the result lists every row that was
    not taken over; when it is empty the graph holds every non-empty cell. With ``check`` the
    data-quality shapes and the privacy guard run on the result (their findings are problems too,
    warnings of the shapes are ``warnings``)."""
    path = Path(path)
    tables, problems, content_hash = read_tables(path)
    imp = _Import(path)
    imp.problems.extend(problems)
    every = imp.run(tables)
    imp.next_steps()
    source = imp.source(content_hash)
    # a formula without a value is said once, as such, not also as an empty required cell
    formulas = {(p.sheet, p.row, p.column) for p in imp.problems if p.reason == NOT_CALCULATED}
    imp.problems = [
        p
        for p in imp.problems
        if not (p.reason == "verplichte cel is leeg" and (p.sheet, p.row, p.column) in formulas)
    ]
    _bind(imp.graph)
    result = Result(
        graph=imp.graph,
        source=source,
        file=path.name or str(path),
        rows=len(every),
        networks=[(imp.reg.municipality, n.approach, n.year) for n in imp.reg.networks],
        problems=sorted(set(imp.problems), key=lambda p: p.sort_key),
    )
    if check and not result.problems:
        from .checks import check_result

        check_result(result, {r.iri: r for r in reversed(every) if r.iri is not None}, imp.origin)
    return result


def _bind(g: Graph) -> None:
    for prefix, ns in {
        "ggsr": GGSR,
        "id": ID,
        "bron": BRON,
        "org": ORG,
        "prov": PROV,
        "dct": DCTERMS,
        "rdfs": RDFS,
        "xsd": XSD,
        "lg": "https://w3id.org/ggsr/def/leefgebied/",
        "nv": "https://w3id.org/ggsr/def/niveau/",
        "vi": "https://w3id.org/ggsr/def/verwijsindex/",
        "mdl": "https://w3id.org/ggsr/def/model/",
        "ds": "https://w3id.org/ggsr/def/documentstatus/",
        "bg": "https://w3id.org/ggsr/def/beginsel/",
        "mt": "https://w3id.org/ggsr/def/methode/",
        "ag": "https://w3id.org/ggsr/def/afsluitgrond/",
        "gv": "https://w3id.org/ggsr/def/gevolg/",
        "kp": "https://w3id.org/ggsr/def/knelpunt/",
        "ca": "https://w3id.org/ggsr/def/actor/",
    }.items():
        g.bind(prefix, ns, override=True)


def write_atomically(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename (never half a file)."""
    from .template import atomic

    return atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def turtle(result: Result) -> str:
    head = (
        f"# Gegenereerd door ggsr-kg import uit {result.file} "
        f"({', '.join(f'{a} {j}' for _, a, j in result.networks)}).\n"
        "# Generated by ggsr-kg import; edit the workbook, not this file.\n"
    )
    return head + result.graph.serialize(format="turtle")


# Dutch names of the first version (the CLI of other branches and their tests call them)
def import_werkboek(pad: Path | str, controle: bool = True) -> Result:
    return import_workbook(pad, check=controle)


Resultaat = Result
Probleem = Problem
lees = read_tables
atomisch_schrijven = write_atomically

__all__ = [
    "Problem",
    "Result",
    "import_workbook",
    "read_tables",
    "turtle",
    "write_atomically",
    "import_werkboek",
    "lees",
]
