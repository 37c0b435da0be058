"""Which workbook columns decide which indicator, read from the evidence rules.

An inspector filling the workbook wants to know what a column is for: which indicators of the
toetsingskader look at it, and what would change an outcome. That is not typed by hand (it would go
stale whenever a rule changes); it is derived here from the evidence rules themselves
(shapes/regels/, :mod:`ggsr_kg.rules` — the one source the shapes, docs/beslisregels.md and the
scorecard's reasons are compiled from):

1. per rule, every IRI its SPARQL pattern uses (classes, properties, code-list values);
2. per column, the properties it writes (mapping.py), with their super-properties and inverses
   from the ontology (a *kernpartner* is also an ``org:hasMember``), and for a *Soort* column the
   classes of its list and what they imply (a police force serves *veiligheid*: ``ggsr:leefgebied``);
3. a column records a rule's fact when the two meet — and the column's sheet is reached by the
   rule at all (the sheet Afwezigheden only by a rule about a ``ggsr:Afwezigheid``), so that the
   ``ggsr:soort`` of an absence is not mistaken for the kind of an arrangement.

List values that matter (a kind, a principle, a level) are named with the column. The result goes
into the *Instructie* sheet (:func:`instruction_lines`), the column header comments, and the table
in docs/werkboek.md (:func:`markdown`, held equal to a fresh rendering by tests/test_workbook.py).
``python -m ggsr_kg.workbook.indicators`` prints that table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rdflib import OWL, RDF, RDFS, URIRef

from .. import rules as evidence_rules
from ..namespaces import GGSR, ORG
from .mapping import NETWORK_ROLES, SHEETS, Column, Sheet, ontology, value_lists

# Always there for every fact or network, so they say nothing about which column matters.
_STRUCTURE = {
    RDF.type,
    RDFS.label,
    RDFS.subClassOf,
    GGSR.aanpak,
    GGSR.gemeente,
    GGSR.peiljaar,
    GGSR.indicator,
    GGSR.netwerk,
    GGSR.grondslag,
    GGSR.Netwerk,
    GGSR.Aanpak,
    GGSR.Gemeente,
}
# What a rule must use to reach the rows of a sheet, beyond its link and classes (mapping.py): a
# rule that uses one of these reads the sheet's rows ("elke rij" when no column of it matches).
_ROW_GATES: dict[str, tuple[URIRef, ...]] = {
    "Functies": (ORG.postIn,),
    "Bevoegdheden": (GGSR.bevoegdheid, GGSR.vanFunctie, GGSR.berustBij),
    "Escalatie": (GGSR.escalatiemodel, GGSR.stap, GGSR.Escalatiemodel, GGSR.Escalatiestap),
    "Documenten": (GGSR.document,),
    "Verklaringen": (GGSR.Verklaring,),
    "Bevindingen": (GGSR.Bevinding,),
    "Afwezigheden": (GGSR.Afwezigheid,),
    "Doelgroep": (GGSR.doelgroepomschrijving, GGSR.Doelgroepomschrijving),
}
# ... and what makes only some of its columns count (a document's parties, through the fact that
# is laid down in it).
_COLUMN_GATES: dict[str, tuple[URIRef, ...]] = {
    "Functies": (ORG.heldBy,),
    "Documenten": (GGSR.vastgelegdIn, GGSR.verwerktIn),
}
# A column whose filled cell makes the row a node the rules look for (a step number makes a step).
_ROW_COLUMN = {("Escalatie", "Stap nr"): GGSR.stap}
_OPEN = {"Aanpak", "Organisaties"}  # reached by every rule (the network and its parties)
_MANY = 8  # more list values than this: named by what they have in common

_IRI = re.compile(r"<([^<>\s]+)>")
_PNAME = re.compile(r"(?<![\w<?$])([A-Za-z][\w-]*):([A-Za-z][\w.-]*[\w-]|[A-Za-z])")
_PREFIX = re.compile(r"PREFIX\s+([\w-]*):\s*<([^>]+)>", re.IGNORECASE)
_COMMENT = re.compile(r"(?m)(^|\s)#[^\n]*")


@dataclass(frozen=True)
class Use:
    """One column (or a sheet as a whole, ``column`` None) a rule reads, with the list values
    that matter for it (empty: any value)."""

    sheet: str
    column: str | None
    values: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.column is None:
            return f"{self.sheet}: elke rij"
        values = f" ({'; '.join(self.values)})" if self.values else ""
        return f"{self.column}{values}"


def _text(uses: tuple[Use, ...]) -> str:
    """'Afspraken: Soort (uitgangspunt), Beginsel (eigen kracht) · Afwezigheden: …'"""
    per_sheet: dict[str, list[Use]] = {}
    for u in uses:
        per_sheet.setdefault(u.sheet, []).append(u)
    return " · ".join(
        f"{sheet}: {', '.join(str(u) for u in us)}" if us[0].column is not None else str(us[0])
        for sheet, us in per_sheet.items()
    )


@dataclass(frozen=True)
class RuleColumns:
    rule: evidence_rules.Rule
    uses: tuple[Use, ...]

    def text(self) -> str:
        return _text(self.uses)


@dataclass(frozen=True)
class Indicator:
    code: str  # '3.1.5'
    label: str
    rules: tuple[RuleColumns, ...]

    @property
    def uses(self) -> tuple[Use, ...]:
        return tuple(dict.fromkeys(u for r in self.rules for u in r.uses))

    def text(self) -> str:
        return _text(self.uses)


def terms(text: str) -> set[URIRef]:
    """The IRIs a SPARQL text uses (full IRIs and prefixed names, comments left out)."""
    prefixes = dict(_PREFIX.findall(text))
    text = _PREFIX.sub(" ", text)
    text = _COMMENT.sub(" ", text)
    out = {URIRef(i) for i in _IRI.findall(text)}
    for prefix, local in _PNAME.findall(text):
        if prefix in prefixes:
            out.add(URIRef(prefixes[prefix] + local))
    return out


def _closure(props) -> set[URIRef]:
    """Properties with their super-properties and inverses (what inference adds)."""
    g = ontology()
    out: set[URIRef] = set()
    for p in props:
        for q in g.transitive_objects(p, RDFS.subPropertyOf):
            out.add(q)
            out |= set(g.objects(q, OWL.inverseOf)) | set(g.subjects(OWL.inverseOf, q))
    return out


def _hasvalue_props(classes) -> set[URIRef]:
    """Properties an ``owl:hasValue`` restriction on one of the classes (or a superclass) sets."""
    g = ontology()
    out: set[URIRef] = set()
    for c in classes:
        for sup in g.transitive_objects(c, RDFS.subClassOf):
            if (sup, OWL.hasValue, None) in g:
                p = g.value(sup, OWL.onProperty)
                if p is not None:
                    out.add(p)
    return out


def _props(c: Column) -> set[URIRef]:
    if c.kind == "network-roles":
        return _closure(p for links in NETWORK_ROLES.values() for p, _ in links) - _STRUCTURE
    if c.prop is None or c.prop in _STRUCTURE:
        return set()
    if c.kind == "binding":  # 'niemand' is written as ggsr:bindend false
        return _closure([c.prop, GGSR.bindend])
    return _closure([c.prop])


def _list_terms(c: Column) -> dict[URIRef, str]:
    return {iri: label for label, iri in value_lists()[c.values].items} if c.values else {}


def _is_class_column(c: Column) -> bool:
    return c.prop in {RDF.type, GGSR.soort}


def _gate(sheet: Sheet) -> set[URIRef]:
    """What a rule must use to reach the rows of this sheet."""
    gate: set[URIRef] = set(_ROW_GATES.get(sheet.name, ()))
    if sheet.link is not None and sheet.link[0] not in _STRUCTURE:
        gate.add(sheet.link[0])
    if sheet.cls is not None:
        gate.add(sheet.cls)
    kind = sheet.kind_column
    if kind is not None and kind.prop == RDF.type:
        gate |= set(_list_terms(kind))
    classes = {t for t in gate if (t, RDF.type, OWL.Class) in ontology()}
    return _closure(gate - classes) | gate


def _class_values(values: dict[URIRef, str], wanted: set[URIRef]) -> tuple[str, ...]:
    """The classes of a Soort list a rule asks for, each with the list's classes under it
    (inference makes a gezinsregisseur a regisseursfunctie); a class outside the list that many
    list values fall under (org:Organization) is named by that."""
    g = ontology()
    out = []
    for iri in sorted(wanted, key=str):
        under = {c for c in g.transitive_subjects(RDFS.subClassOf, iri) if c in values}
        if iri in values:
            below = sorted((values[c] for c in under if c != iri), key=str.casefold)
            if len(below) > _MANY:
                out.append(f"{values[iri]} of een soort daaronder")
            elif below:
                out.append(f"{values[iri]} of daaronder: {', '.join(below)}")
            else:
                out.append(values[iri])
        elif len(under) > _MANY:
            label = next(
                (str(o) for o in g.objects(iri, RDFS.label) if getattr(o, "language", "") == "nl"),
                "soort",
            )
            out.append(f"elke soort {label}")
        elif under:
            out.extend(sorted((values[c] for c in under), key=str.casefold))
    return tuple(dict.fromkeys(out))


def _uses(sheet: Sheet, found: set[URIRef]) -> list[Use]:
    if GGSR.Afwezigheid in found and sheet.name != "Afwezigheden":
        return []  # a rule about an absence: its kinds are what is missing, recorded there only
    rows = sheet.name in _OPEN or bool(_gate(sheet) & found)
    if not rows and not (_closure(_COLUMN_GATES.get(sheet.name, ())) & found):
        return []
    out: list[Use] = []
    for c in sheet.columns:
        values = _list_terms(c)
        if _is_class_column(c):
            named = _class_values(values, found)
            if named or (c.prop == RDF.type and _hasvalue_props(values) & found):
                out.append(Use(sheet.name, c.heading, named))
            elif c.prop in found:
                out.append(Use(sheet.name, c.heading))
        elif _props(c) & found or _ROW_COLUMN.get((sheet.name, c.heading)) in found:
            out.append(
                Use(sheet.name, c.heading, tuple(lab for i, lab in values.items() if i in found))
            )
    if not out and rows and sheet.name not in _OPEN:
        out.append(Use(sheet.name, None))
    return out


@cache
def indicators() -> tuple[Indicator, ...]:
    """Every indicator with rules, each rule with the workbook columns that record its fact."""
    from ..namespaces import sparql_prologue

    prologue = sparql_prologue()
    labels = _indicator_labels()
    out = []
    for iri, own in evidence_rules.by_indicator(evidence_rules.load_rules()).items():
        per_rule = []
        for rule in own:
            found = terms(prologue + rule.pattern) - _STRUCTURE
            per_rule.append(RuleColumns(rule, tuple(u for s in SHEETS for u in _uses(s, found))))
        out.append(Indicator(own[0].code, labels.get(iri, ""), tuple(per_rule)))
    return tuple(out)


@cache
def _indicator_labels() -> dict[str, str]:
    from rdflib import Graph

    from ..resources import resource_dir

    g = Graph()
    g.parse(resource_dir("ontology") / "kader.ttl", format="turtle")
    pref = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    return {
        str(s): str(o) for s, o in g.subject_objects(pref) if getattr(o, "language", "") == "nl"
    }


def columns_per_indicator() -> dict[tuple[str, str | None], list[str]]:
    """(sheet, column) → the codes of the indicators whose rules read it."""
    out: dict[tuple[str, str | None], list[str]] = {}
    for ind in indicators():
        for u in ind.uses:
            codes = out.setdefault((u.sheet, u.column), [])
            if ind.code not in codes:
                codes.append(ind.code)
    return out


_OUTCOME = {"voldoet": "voldoet", "verbeterpunt": "verbeterpunt"}


def instruction_lines() -> list[str]:
    """The section of the Instructie sheet: per indicator the facts that decide it, in order,
    the outcome each gives and the columns that record it."""
    lines = [
        "Welke kolommen beslissen over welke indicator — en wat een uitkomst verandert",
        "",
        "Per indicator de feiten die erover beslissen, in volgorde, met de uitkomst die elk geeft "
        "en de kolommen waarin u het feit vastlegt (uit de beslisregels, docs/beslisregels.md). "
        "Van de feiten die meetellen beslist het sterkste bewijs: document (Vastgelegd in een "
        "document dat meetelt) vóór praktijk (geen bewijs genoemd, of een praktijk) vóór "
        "verklaring of bevinding (Blijkt uit). Bij gelijke sterkte beslist het eerst genoemde "
        "feit. Spreekt geen feit: onbekend. Een verbeterpunt wordt voldoet met een feit van een "
        "'voldoet'-regel dat minstens zo sterk is; een waarde tussen haakjes is de keuze uit de "
        "lijst die telt.",
        "",
    ]
    for ind in indicators():
        lines.append(f"  {ind.code}  {ind.label}")
        for i, rc in enumerate(ind.rules, 1):
            where = rc.text() or "(geen kolom van het werkboek)"
            lines.append(f"      {i}. {_OUTCOME[rc.rule.outcome]}: {rc.rule.label_nl} — {where}")
    lines.append("")
    return lines


BEGIN = "<!-- indicatoren: begin (gegenereerd: python -m ggsr_kg.workbook.indicators) -->"
END = "<!-- indicatoren: einde -->"


def markdown() -> str:
    """The table of docs/werkboek.md, between the BEGIN and END markers."""
    lines = [
        BEGIN,
        "",
        "| indicator | # | feit dat beslist | uitkomst | kolommen die het vastleggen (blad: kolom "
        "(waarde uit de lijst)) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for ind in indicators():
        for i, rc in enumerate(ind.rules, 1):
            first = f"**{ind.code}** {ind.label}" if i == 1 else ""
            where = rc.text().replace("|", "\\|") or "—"
            lines.append(f"| {first} | {i} | {rc.rule.label_nl} | {rc.rule.outcome} | {where} |")
    lines += ["", END]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(markdown())
