"""Which workbook columns feed which indicator, read from the framework shapes.

An inspector filling the workbook wants to know what a column is for: which indicators of the
toetsingskader look at it. That is not typed by hand (it would go stale whenever a shape changes);
it is derived here from the shapes themselves:

1. per indicator, every IRI its SPARQL constraints use (``shapes/kader/*.ttl`` and the components
   of ``shapes/componenten.ttl`` with their parameters, e.g. the topic ``ow:evaluatie``);
2. per column, the properties it writes (mapping.py), with their super-properties and inverses
   from the ontology (a *kernpartner* is also an ``org:hasMember``), and for a *Soort* column the
   classes of its list and what they imply (a police force serves *veiligheid*: ``ggsr:leefgebied``);
3. a column feeds an indicator when the two meet — and the column's sheet is reached by the
   indicator at all (a Verklaringen column only for an indicator that reads statements), so that
   ``ggsr:tekst`` of a statement is not mistaken for the text of a target-group definition.

List values that matter (a topic, a document type, a level) are named with the column. The result
goes into the *Instructie* sheet (:func:`instructie_regels`) and the table in docs/werkboek.md
(:func:`markdown`, checked by tests/test_workbook.py). ``python -m ggsr_kg.workbook.indicatoren``
prints that table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rdflib import OWL, RDF, RDFS, URIRef

from ..namespaces import GGSR, ORG
from .mapping import BLADEN, NETWERKROLLEN, Blad, Kolom, lijsten, ontologie

# Always there for every network, so they say nothing about which column matters.
_STRUCTUUR = {
    RDF.type,
    RDFS.label,
    GGSR.aanpak,
    GGSR.gemeente,
    GGSR.peiljaar,
    GGSR.indicator,
    GGSR.Netwerk,
    GGSR.Aanpak,
    GGSR.Gemeente,
}
# How a row of a sheet hangs in the graph beyond mapping.py's koppeling and klasse (the importer
# builds the escalation model around the steps).
_EXTRA_POORT = {
    "Escalatie": (GGSR.escalatiemodel, GGSR.stap, GGSR.Escalatiemodel),
    "Bevoegdheden": (GGSR.bevoegdheid, GGSR.vanFunctie),
    "Functies": (ORG.heldBy,),
}
# A column whose filled cell makes the row a node the shapes look for (a row with a step number is
# a ggsr:stap of the escalation model).
_RIJ_KOLOM = {("Escalatie", "Stap nr"): GGSR.stap}
_OPEN = {"Aanpak", "Organisaties"}  # reached by every indicator (the network and its parties)

_IRI = re.compile(r"<([^<>\s]+)>")
_PNAME = re.compile(r"(?<![\w<])([A-Za-z][\w-]*):([A-Za-z][\w.-]*[\w-]|[A-Za-z])")
_PREFIX = re.compile(r"PREFIX\s+([\w-]*):\s*<([^>]+)>", re.IGNORECASE)
_COMMENTAAR = re.compile(r"(?m)(^|\s)#[^\n]*")


@dataclass(frozen=True)
class Gebruik:
    """One column (or a sheet as a whole, ``kolom`` None) an indicator reads, with the list
    values that matter for it (empty: any value)."""

    blad: str
    kolom: str | None
    waarden: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.kolom is None:
            return f"{self.blad}: elke rij"
        waarden = f" ({'; '.join(self.waarden)})" if self.waarden else ""
        return f"{self.kolom}{waarden}"


@dataclass(frozen=True)
class Indicator:
    code: str  # '3.1.5'
    label: str
    gebruik: tuple[Gebruik, ...]

    def per_blad(self) -> list[tuple[str, list[Gebruik]]]:
        uit: dict[str, list[Gebruik]] = {}
        for g in self.gebruik:
            uit.setdefault(g.blad, []).append(g)
        return list(uit.items())

    def tekst(self) -> str:
        """'Documenten: Soort (evaluatie), Regelt (evaluatie) · Verklaringen: Onderwerp …'"""
        return " · ".join(
            f"{blad}: {', '.join(str(g) for g in gs)}" if gs[0].kolom is not None else str(gs[0])
            for blad, gs in self.per_blad()
        )


def _termen(tekst: str) -> set[URIRef]:
    """The IRIs a SPARQL text uses (full IRIs and prefixed names, comments left out)."""
    prefixen = dict(_PREFIX.findall(tekst))
    tekst = _PREFIX.sub(" ", tekst)
    tekst = _COMMENTAAR.sub(" ", tekst)
    uit = {URIRef(i) for i in _IRI.findall(tekst)}
    for prefix, lokaal in _PNAME.findall(tekst):
        if prefix in prefixen:
            uit.add(URIRef(prefixen[prefix] + lokaal))
    return uit


def _sluiting(eigenschappen) -> set[URIRef]:
    """Properties with their super-properties and inverses (what inference adds)."""
    g = ontologie()
    uit: set[URIRef] = set()
    for p in eigenschappen:
        for q in g.transitive_objects(p, RDFS.subPropertyOf):
            uit.add(q)
            uit |= set(g.objects(q, OWL.inverseOf)) | set(g.subjects(OWL.inverseOf, q))
    return uit


def _hasvalue_eigenschappen(klassen) -> set[URIRef]:
    """Properties an ``owl:hasValue`` restriction on one of the classes (or a superclass) sets."""
    g = ontologie()
    uit: set[URIRef] = set()
    for c in klassen:
        for sup in g.transitive_objects(c, RDFS.subClassOf):
            if (sup, OWL.hasValue, None) in g:
                p = g.value(sup, OWL.onProperty)
                if p is not None:
                    uit.add(p)
    return uit


def _eigenschappen(k: Kolom) -> set[URIRef]:
    if k.soort == "rollen":
        return _sluiting(p for koppelingen in NETWERKROLLEN.values() for p, _ in koppelingen)
    if k.eigenschap is None or k.eigenschap in _STRUCTUUR:
        return set()
    return _sluiting([k.eigenschap])


def _lijst_termen(k: Kolom) -> dict[URIRef, str]:
    return {iri: label for label, iri in lijsten()[k.lijst].items} if k.lijst else {}


def _poort(blad: Blad) -> set[URIRef]:
    """What an indicator must use to reach the rows of this sheet."""
    poort: set[URIRef] = set(_EXTRA_POORT.get(blad.naam, ()))
    if blad.koppeling is not None:
        poort.add(blad.koppeling[0])
    if blad.klasse is not None:
        poort.add(blad.klasse)
    for k in blad.kolommen:
        if k.eigenschap == RDF.type:
            poort |= set(_lijst_termen(k))
    return _sluiting(p for p in poort if (p, RDF.type, OWL.Class) not in ontologie()) | poort


def _soorten(lijst: dict[URIRef, str], termen: set[URIRef]) -> tuple[str, ...]:
    """The classes of a Soort list an indicator asks for, each with the list's classes under it
    (inference makes a gezinscoördinator a regisseursfunctie)."""
    g = ontologie()
    uit = []
    for iri, label in lijst.items():
        if iri not in termen:
            continue
        onder = sorted(
            (lijst[c] for c in g.transitive_subjects(RDFS.subClassOf, iri) if c in lijst),
            key=str.casefold,
        )
        onder = [x for x in onder if x != label]
        uit.append(f"{label} of daaronder: {', '.join(onder)}" if onder else label)
    return tuple(uit)


def _gebruik(blad: Blad, termen: set[URIRef]) -> list[Gebruik]:
    if blad.naam not in _OPEN and not (_poort(blad) & termen):
        return []
    uit: list[Gebruik] = []
    for k in blad.kolommen:
        lijst = _lijst_termen(k)
        if k.eigenschap == RDF.type:
            waarden = _soorten(lijst, termen)
            if waarden or _hasvalue_eigenschappen(lijst) & termen:
                uit.append(Gebruik(blad.naam, k.kop, waarden))
        elif _eigenschappen(k) & termen or _RIJ_KOLOM.get((blad.naam, k.kop)) in termen:
            waarden = tuple(label for iri, label in lijst.items() if iri in termen)
            uit.append(Gebruik(blad.naam, k.kop, waarden))
    if not uit and blad.naam not in _OPEN:
        uit.append(Gebruik(blad.naam, None))
    return uit


@cache
def indicatoren() -> tuple[Indicator, ...]:
    """Every indicator of the framework with the workbook columns its shapes read."""
    from ..shapes import framework_shapes

    kader = ontologie_met_kader()
    uit = []
    per_indicator = framework_shapes().indicators
    for iri in sorted(per_indicator, key=_volgorde):
        termen: set[URIRef] = set()
        for c in per_indicator[iri]:
            termen |= _termen(c.prefixes + c.select)
            termen |= {URIRef(v) for _, v in c.parameters}
        termen -= _STRUCTUUR
        gebruik = [g for blad in BLADEN for g in _gebruik(blad, termen)]
        label = next(
            (str(o) for o in kader.objects(URIRef(iri), _SKOS_PREF) if o.language == "nl"), ""
        )
        uit.append(Indicator(_code(iri), label, tuple(gebruik)))
    return tuple(uit)


_SKOS_PREF = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")


@cache
def ontologie_met_kader():
    from rdflib import Graph

    from ..resources import resource_dir

    g = Graph()
    g.parse(resource_dir("ontology") / "kader.ttl", format="turtle")
    return g


def _code(iri: str) -> str:
    return str(iri).rsplit("#", 1)[-1].lstrip("I")


def _volgorde(iri: str) -> list[int]:
    return [int(x) if x.isdigit() else 0 for x in _code(iri).split(".")]


def per_kolom() -> dict[tuple[str, str | None], list[str]]:
    """(sheet, column) → the codes of the indicators that read it."""
    uit: dict[tuple[str, str | None], list[str]] = {}
    for ind in indicatoren():
        for g in ind.gebruik:
            uit.setdefault((g.blad, g.kolom), []).append(ind.code)
    return uit


def instructie_regels() -> list[str]:
    """The section of the Instructie sheet: per indicator the columns that decide it."""
    regels = [
        "Welke kolommen tellen voor welke indicator",
        "",
        "Elke indicator is voldoet, verbeterpunt of onbekend. Onbekend betekent: geen van deze "
        "kolommen zegt er iets over. Een waarde tussen haakjes is de keuze uit de lijst die telt "
        "(bijv. onderwerp evaluatie bij Regelt of Onderwerp). Afgeleid uit de shapes van het "
        "toetsingskader.",
        "",
    ]
    for ind in indicatoren():
        regels.append(f"  {ind.code}  {ind.label}")
        regels.append(f"         {ind.tekst() or '(geen kolom van het werkboek)'}")
    regels.append("")
    return regels


BEGIN = "<!-- indicatoren: begin (gegenereerd: python -m ggsr_kg.workbook.indicatoren) -->"
EINDE = "<!-- indicatoren: einde -->"


def markdown() -> str:
    """The table of docs/werkboek.md, between the BEGIN and EINDE markers."""
    regels = [
        BEGIN,
        "",
        "| indicator | kolommen die meetellen (blad: kolom (waarde uit de lijst)) |",
    ]
    regels.append("| --- | --- |")
    for ind in indicatoren():
        tekst = ind.tekst().replace("|", "\\|") or "—"
        regels.append(f"| **{ind.code}** {ind.label} | {tekst} |")
    regels += ["", EINDE]
    return "\n".join(regels)


if __name__ == "__main__":  # pragma: no cover
    print(markdown())
