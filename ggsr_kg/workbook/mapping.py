"""The sheet → RDF mapping of the workbook, in one declarative table.

Every sheet (:class:`Blad`) says which node a row becomes (its class, or the column that holds the
class), how that node is linked to the network of the row, and per column (:class:`Kolom`):

- ``kop``        the Dutch column heading (also the CSV heading);
- ``soort``      how a cell is read and how its value is looked up (see :data:`SOORTEN`);
- ``eigenschap`` the RDF property the value becomes, ``omgekeerd`` when the value is the subject
                 (``value --p--> node``) and ``onderwerp`` when the triple hangs on another node of
                 the row than the row's own node (the network, the municipality, the approach,
                 the escalation model);
- ``lijst``      for controlled values, the name of the list on the hidden sheet *Lijsten*; the
                 lists themselves are read from the ontology at run time (:func:`lijsten`).

The importer (importer.py) and the exporter (exporter.py) both walk this table, so a column means
the same thing in both directions. Why a table in Python and not RML/morph-kgc: see
docs/werkboek.md ("Waarom geen RML").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..namespaces import GGSR, ID, ORG
from ..resources import resource_dir

# ---- how a cell is read -----------------------------------------------------------------------

SCHEIDER = ";"
"""Between the values of a multi-valued cell: a semicolon (or a line break, Alt+Enter in Excel).
Never a comma: names and list labels contain commas ('Politie, team Zwolle', 'gezin niet loslaten
(drang en dwang, afsluiting)'); a name that other cells refer to may not contain a semicolon."""
VERZONNEN_CODE = "GM9999"
"""A CBS code no municipality has: suggested for an invented municipality (an exercise)."""
MEER = "gescheiden door een puntkomma (;) of elk op een eigen regel"

SOORTEN = {
    "tekst": "vrije tekst (één waarde)",
    "teksten": "vrije tekst, één waarde per regel (Alt+Enter in Excel)",
    "geheel": "een geheel getal",
    "jaar": "een jaartal (2000–2030)",
    "datum": "een datum: JJJJ, JJJJ-MM of JJJJ-MM-DD (of een datumcel)",
    "janee": "ja of nee",
    "keuze": "één waarde uit het uitklapmenu",
    "keuzes": f"een of meer waarden uit het uitklapmenu, {MEER}",
    "naam": "een naam van het blad Organisaties, de naam van de gemeente, 'netwerk' of een functie",
    "namen": "een of meer namen (blad Organisaties, de gemeente, 'netwerk' of een functie), "
    + MEER,
    "document": "de titel van een document op het blad Documenten",
    "functie": "de naam van een functie op het blad Functies (zelfde aanpak en jaar)",
    "aanpakken": f"de naam van een of meer aanpakken op het blad Aanpak, {MEER}",
    "rollen": f"partner, kernpartner en/of meldt aan, {MEER}",
    "netwerk-aanpak": "de aanpak waar de rij bij hoort (leeg laten als er maar één aanpak is)",
    "netwerk-jaar": "het jaar waar de rij bij hoort (leeg laten als er maar één jaar is)",
}
MEERVOUD = {"teksten", "keuzes", "namen", "rollen", "aanpakken"}
VERWIJZING = {"naam", "namen", "document", "functie", "aanpakken"}

NETWERK_WOORD = "netwerk"
"""In a name column, 'netwerk' means the network of the row itself (all its partners);
'netwerk <aanpak> <jaar>' another network of the same workbook."""


@dataclass(frozen=True)
class Kolom:
    kop: str
    veld: str
    soort: str
    eigenschap: URIRef | None = None
    verplicht: bool = False
    lijst: str | None = None
    omgekeerd: bool = False
    onderwerp: str = "knoop"  # knoop | netwerk | gemeente | aanpak | model
    taal: str | None = "nl"  # language tag of a text literal (None: plain string)
    genoemd: bool = False  # a name other cells refer to (so it may not hold the separator)
    uitleg: str = ""
    breedte: int = 24

    def __post_init__(self):
        assert self.soort in SOORTEN, self.soort

    @property
    def meervoud(self) -> bool:
        return self.soort in MEERVOUD


AANPAK_KOLOM = Kolom(
    "Aanpak",
    "_aanpak",
    "netwerk-aanpak",
    uitleg="Bij welke aanpak de rij hoort. Leeg laten als het blad Aanpak maar één aanpak heeft.",
    breedte=18,
)
JAAR_KOLOM = Kolom(
    "Jaar",
    "_jaar",
    "netwerk-jaar",
    uitleg="Bij welk jaar de rij hoort. Leeg laten als het blad Aanpak maar één jaar heeft.",
    breedte=8,
)


@dataclass(frozen=True, eq=False)
class Blad:
    naam: str
    uitleg: str
    kolommen: tuple[Kolom, ...]
    klasse: URIRef | None = None  # fixed class of the row's node (else the column with RDF.type)
    # how the row's node hangs on the row's network: (property, "netwerk→knoop" | "knoop→netwerk")
    koppeling: tuple[URIRef, str] | None = None
    sleutel: tuple[str, ...] = ()  # fields that identify a row within one network
    netwerk: bool = True  # rows belong to a network (have the Aanpak/Jaar columns)
    # a column that is required as soon as one of these columns is filled
    verplicht_als: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def alle_kolommen(self) -> tuple[Kolom, ...]:
        extra = (AANPAK_KOLOM, JAAR_KOLOM) if self.netwerk and self.naam != "Aanpak" else ()
        return self.kolommen + extra

    def kolom(self, veld: str) -> Kolom:
        for k in self.alle_kolommen:
            if k.veld == veld:
                return k
        raise KeyError(veld)


# ---- the table ---------------------------------------------------------------------------------

BLADEN: tuple[Blad, ...] = (
    Blad(
        "Aanpak",
        "Eén rij per aanpak per jaar (een 'netwerk'). Meestal is dat één rij.",
        (
            Kolom(
                "Gemeente",
                "gemeente",
                "tekst",
                RDFS.label,
                verplicht=True,
                onderwerp="gemeente",
                genoemd=True,
                uitleg="Naam van de gemeente, bijv. Zwolle (een van de gemeenten van CBS). Een "
                "verzonnen gemeente mag, met een eigen CBS-code (zie CBS-code).",
                breedte=18,
            ),
            Kolom(
                "CBS-code",
                "cbs",
                "tekst",
                GGSR.cbsCode,
                onderwerp="gemeente",
                taal=None,
                uitleg="CBS-gemeentecode, bijv. GM0193. Leeg: wordt opgezocht in de CBS-lijst. "
                f"Verplicht voor een gemeente die niet in die lijst staat (een verzonnen gemeente): "
                f"kies een code die CBS niet gebruikt, bijv. {VERZONNEN_CODE}.",
                breedte=11,
            ),
            Kolom(
                "Aanpak",
                "aanpak",
                "tekst",
                RDFS.label,
                verplicht=True,
                onderwerp="aanpak",
                genoemd=True,
                uitleg="Naam van de aanpak, bijv. CJG-aanpak of MPG-aanpak.",
            ),
            Kolom(
                "Jaar",
                "jaar",
                "jaar",
                GGSR.peiljaar,
                verplicht=True,
                onderwerp="netwerk",
                uitleg="Peiljaar: het jaar waarop de beschreven toestand betrekking heeft.",
                breedte=8,
            ),
            Kolom(
                "Meldpunt",
                "meldpunt",
                "naam",
                GGSR.meldpunt,
                onderwerp="netwerk",
                uitleg="Waar partners gezinnen aanmelden: een organisatie of overleg.",
            ),
            Kolom(
                "Regievoerder",
                "regievoerder",
                "naam",
                GGSR.regievoerder,
                onderwerp="netwerk",
                uitleg="Wie regie voert op de aanpak als geheel (vaak de gemeente).",
            ),
            Kolom(
                "Geschat aantal gezinnen",
                "gezinnen",
                "geheel",
                GGSR.geschatAantalGezinnen,
                onderwerp="netwerk",
                uitleg="Aantal gezinnen met geringe sociale redzaamheid dat de gemeente in beeld heeft.",
                breedte=12,
            ),
            Kolom(
                "Verwijsindex",
                "verwijsindex",
                "keuzes",
                GGSR.verwijsindex,
                lijst="Verwijsindex",
                onderwerp="netwerk",
            ),
            Kolom(
                "CJG-BJZ-model",
                "cjgbjz",
                "keuze",
                GGSR.cjgBjzModel,
                lijst="CJG-BJZ-model",
                onderwerp="netwerk",
            ),
        ),
        klasse=GGSR.Netwerk,
        sleutel=("aanpak", "jaar"),
    ),
    Blad(
        "Organisaties",
        "Elke organisatie, elk overleg en elke overheid die op een ander blad genoemd wordt. "
        "Netwerkrol: partner, kernpartner en/of meldt aan.",
        (
            Kolom(
                "Naam",
                "naam",
                "tekst",
                RDFS.label,
                verplicht=True,
                genoemd=True,
                uitleg="Naam van de organisatie (geen personen). Een komma mag, een puntkomma "
                "niet (die scheidt namen in andere kolommen).",
                breedte=36,
            ),
            Kolom(
                "Soort",
                "soort",
                "keuzes",
                RDF.type,
                verplicht=True,
                lijst="Organisatiesoort",
                uitleg="Soort organisatie; 'organisatie' als geen soort past. Doet een organisatie "
                "twee dingen (GGD en JGZ), noem beide: 'GGD; jeugdgezondheidszorg (JGZ)'.",
            ),
            Kolom(
                "Netwerkrol",
                "rol",
                "rollen",
                uitleg="partner en kernpartner zijn leden van het netwerk; meldt aan: meldt "
                "gezinnen aan (maakt nog geen partner); beide: 'partner; meldt aan'. Leeg als de "
                "organisatie alleen genoemd wordt.",
                lijst="Netwerkrol",
                breedte=16,
            ),
            Kolom(
                "Onderdeel van",
                "onderdeel",
                "naam",
                ORG.unitOf,
                uitleg="Moederorganisatie (bijv. een overleg van het CJG).",
            ),
            Kolom(
                "Leden",
                "leden",
                "namen",
                ORG.hasMember,
                uitleg="Voor een overleg of samenwerkingsverband: wie eraan deelneemt.",
            ),
            Kolom(
                "Gefinancierd door",
                "financier",
                "namen",
                GGSR.financiert,
                omgekeerd=True,
                uitleg="Overheid die de organisatie financiert of subsidieert.",
            ),
            Kolom(
                "Leefgebieden",
                "leefgebied",
                "keuzes",
                GGSR.leefgebied,
                lijst="Leefgebied",
                uitleg="Alleen leefgebieden die niet al uit de soort volgen.",
                breedte=18,
            ),
        ),
        sleutel=("naam",),
    ),
    Blad(
        "Functies",
        "Functies (rollen) in het netwerk en wie ze vervult. Nooit namen van personen.",
        (
            Kolom(
                "Functie",
                "functie",
                "tekst",
                RDFS.label,
                verplicht=True,
                genoemd=True,
                uitleg="Naam van de functie, bijv. gezinscoördinator.",
            ),
            Kolom(
                "Soort",
                "soort",
                "keuze",
                RDF.type,
                verplicht=True,
                lijst="Functiesoort",
            ),
            Kolom(
                "Houder",
                "houder",
                "namen",
                ORG.heldBy,
                verplicht=True,
                uitleg="Organisatie(s) die de functie vervullen (blad Organisaties), de gemeente "
                "of 'netwerk'.",
            ),
            Kolom(
                "Profiel",
                "profiel",
                "teksten",
                GGSR.profiel,
                uitleg="Eisen aan de functie; één per regel.",
                breedte=36,
            ),
            Kolom(
                "Taak",
                "taak",
                "teksten",
                GGSR.taak,
                uitleg="Taken; één per regel.",
                breedte=36,
            ),
            Kolom(
                "Maximale caseload",
                "caseload",
                "geheel",
                GGSR.maximaleCaseload,
                breedte=12,
            ),
        ),
        koppeling=(ORG.postIn, "knoop→netwerk"),
        sleutel=("functie",),
    ),
    Blad(
        "Bevoegdheden",
        "Wat een functie mag beslissen, bindend voor wie, vastgelegd waar.",
        (
            Kolom(
                "Functie",
                "functie",
                "functie",
                GGSR.bevoegdheid,
                verplicht=True,
                omgekeerd=True,
                uitleg="Functie van het blad Functies die de bevoegdheid heeft.",
            ),
            Kolom(
                "Soort",
                "soort",
                "keuze",
                RDF.type,
                verplicht=True,
                lijst="Bevoegdheidsoort",
            ),
            Kolom(
                "Omschrijving",
                "omschrijving",
                "tekst",
                RDFS.label,
                uitleg="Wat de bevoegdheid inhoudt.",
                breedte=36,
            ),
            Kolom(
                "Bindend voor",
                "bindt",
                "namen",
                GGSR.bindt,
                uitleg="Organisaties waarvoor besluiten bindend zijn, of 'netwerk' (alle partners).",
            ),
            Kolom(
                "Geldt tegenover",
                "tegenover",
                "namen",
                GGSR.geldtTegenover,
                uitleg="Niet-bindend: tegenover wie de bevoegdheid geldt.",
            ),
            Kolom("Voorwaarde", "voorwaarde", "tekst", GGSR.voorwaarde, breedte=30),
            Kolom(
                "Vastgelegd in",
                "document",
                "document",
                GGSR.vastgelegdIn,
                uitleg="Titel van het document (blad Documenten) waarin het is vastgelegd.",
                breedte=30,
            ),
            Kolom("Verleend door", "verleend", "naam", GGSR.verleendDoor),
        ),
        sleutel=("functie", "soort", "omschrijving"),
    ),
    Blad(
        "Escalatie",
        "De stappen van het escalatiepad (opschaling), één rij per stap.",
        (
            Kolom(
                "Stap nr",
                "stap",
                "geheel",
                GGSR.volgnummer,
                uitleg="Volgnummer 1, 2, 3 … (elk nummer één keer per escalatiemodel). Verplicht "
                "als de rij een stap beschrijft; een rij met alleen Escalatiemodel en Model "
                "vastgelegd in beschrijft een model zonder (bekende) stappen.",
                breedte=8,
            ),
            Kolom(
                "Niveau",
                "niveau",
                "keuze",
                GGSR.niveau,
                lijst="Escalatieniveau",
                breedte=20,
            ),
            Kolom(
                "Actor",
                "actor",
                "namen",
                GGSR.actor,
                uitleg="Wie in deze stap handelt: organisatie, overleg, functie of de gemeente.",
            ),
            Kolom("Aanleiding", "aanleiding", "tekst", GGSR.aanleiding, breedte=30),
            Kolom("Handeling", "handeling", "tekst", GGSR.handeling, breedte=30),
            Kolom("Stap", "label", "tekst", RDFS.label, uitleg="Korte naam van de stap."),
            Kolom(
                "Escalatiemodel",
                "model",
                "tekst",
                RDFS.label,
                onderwerp="model",
                uitleg="Naam van het escalatiemodel; leeg: 'escalatiepad <gemeente> <jaar>'.",
            ),
            Kolom(
                "Model vastgelegd in",
                "modeldocument",
                "document",
                GGSR.vastgelegdIn,
                onderwerp="model",
                uitleg="Document waarin het escalatiemodel is vastgelegd.",
            ),
        ),
        klasse=GGSR.Escalatiestap,
        sleutel=("model", "stap"),
        verplicht_als={"stap": ("niveau", "actor", "aanleiding", "handeling", "label")},
    ),
    Blad(
        "Documenten",
        "Convenanten, besluiten, beleidsplannen … die in het netwerk gelden.",
        (
            Kolom(
                "Titel",
                "titel",
                "tekst",
                DCTERMS.title,
                verplicht=True,
                breedte=40,
            ),
            Kolom(
                "Soort",
                "soort",
                "keuze",
                RDF.type,
                verplicht=True,
                lijst="Documentsoort",
            ),
            Kolom("Datum", "datum", "datum", DCTERMS.issued, breedte=12),
            Kolom(
                "Partijen",
                "partijen",
                "namen",
                GGSR.partij,
                uitleg="Wie het document is aangegaan of ondertekende.",
            ),
            Kolom(
                "Regelt",
                "regelt",
                "keuzes",
                GGSR.regelt,
                lijst="Onderwerp",
                uitleg="Onderwerpen waarover het document afspraken vastlegt.",
                breedte=30,
            ),
            Kolom("Opgesteld door", "opsteller", "namen", DCTERMS.creator),
            Kolom(
                "Betreft aanpak",
                "betreft",
                "aanpakken",
                GGSR.betreftAanpak,
                uitleg="Alleen als het document specifiek over deze aanpak (of aanpakken) gaat.",
                breedte=18,
            ),
        ),
        koppeling=(GGSR.document, "netwerk→knoop"),
        sleutel=("titel",),
    ),
    Blad(
        "Doelgroep",
        "Doelgroepomschrijvingen en wie ze hanteert. Verschillende omschrijvingen: "
        "verschillende rijen.",
        (
            Kolom(
                "Omschrijving",
                "tekst",
                "tekst",
                GGSR.tekst,
                verplicht=True,
                breedte=50,
            ),
            Kolom(
                "Gehanteerd door",
                "door",
                "namen",
                GGSR.gehanteerdDoor,
                verplicht=True,
            ),
        ),
        klasse=GGSR.Doelgroepomschrijving,
        koppeling=(GGSR.doelgroepomschrijving, "netwerk→knoop"),
        sleutel=("tekst", "door"),
    ),
    Blad(
        "Verklaringen",
        "Wat partijen verklaarden (vragenlijst, interview) over een onderwerp. Feiten over "
        "uitspraken, geen oordeel.",
        (
            Kolom(
                "Onderwerp",
                "onderwerp",
                "keuzes",
                GGSR.onderwerp,
                verplicht=True,
                lijst="Onderwerp",
                breedte=28,
            ),
            Kolom(
                "Verklaard door",
                "door",
                "namen",
                GGSR.verklaardDoor,
                verplicht=True,
            ),
            Kolom(
                "Bevestigt",
                "bevestigt",
                "janee",
                GGSR.bevestigt,
                verplicht=True,
                lijst="Ja/nee",
                uitleg="ja: het onderwerp is volgens de partij geregeld; nee: niet geregeld.",
                breedte=10,
            ),
            Kolom("Tekst", "tekst", "tekst", GGSR.tekst, verplicht=True, breedte=60),
        ),
        klasse=GGSR.Verklaring,
        koppeling=(GGSR.netwerk, "knoop→netwerk"),
        sleutel=("onderwerp", "door", "bevestigt", "tekst"),
    ),
)
BLAD = {b.naam: b for b in BLADEN}
INSTRUCTIE = "Instructie"
LIJSTEN = "Lijsten"

# Organisaties: the network roles and the triples they become (the row's organisation ↔ network).
NETWERKROLLEN: dict[str, tuple[tuple[URIRef, str], ...]] = {
    "partner": ((ORG.hasMember, "netwerk→knoop"),),
    "kernpartner": ((GGSR.kernpartner, "netwerk→knoop"), (ORG.hasMember, "netwerk→knoop")),
    "meldt aan": ((GGSR.meldtAan, "knoop→netwerk"),),
}
JA_NEE = {"ja": True, "nee": False}

# ---- the controlled lists, read from the ontology -----------------------------------------------

# list name → ("klassen", root classes) or ("schema", concept scheme)
LIJST_BRONNEN: dict[str, tuple[str, tuple[URIRef, ...]]] = {
    "Organisatiesoort": ("klassen", (GGSR.Organisatie, GGSR.Overleg, GGSR.Overheid)),
    "Functiesoort": ("klassen", (GGSR.Functie,)),
    "Bevoegdheidsoort": ("klassen", (GGSR.Bevoegdheid,)),
    "Documentsoort": ("klassen", (GGSR.Document,)),
    "Escalatieniveau": ("schema", (GGSR.Escalatieniveaus,)),
    "Onderwerp": ("schema", (GGSR.Onderwerpen,)),
    "Leefgebied": ("schema", (GGSR.Leefgebieden,)),
    "Verwijsindex": ("schema", (GGSR.Verwijsindexen,)),
    "CJG-BJZ-model": ("schema", (GGSR.CjgBjzModellen,)),
}
# Default class when a node has none of the list's classes (export) — the list's first root.
STANDAARDKLASSE = {
    "Organisatiesoort": GGSR.Organisatie,
    "Functiesoort": GGSR.Functie,
    "Bevoegdheidsoort": GGSR.Bevoegdheid,
    "Documentsoort": GGSR.Document,
}


@dataclass(frozen=True)
class Lijst:
    naam: str
    items: tuple[tuple[str, URIRef], ...]  # (Dutch label, IRI), in drop-down order
    # other accepted spellings, not offered: the plain label of a marked historical kind, the
    # skos:altLabel@nl of a class ('wijkteam' for lokaal team)
    aliassen: tuple[tuple[str, URIRef], ...] = ()
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.items]

    def zoek(self, waarde: str) -> URIRef | None:
        """The IRI for a cell value: its Dutch label as offered (any case/spacing), an alias (the
        plain label of a historical kind, an alternative label) or the IRI's local name."""
        if not self._index:
            for label, iri in self.items:
                self._index[norm(label)] = iri
            for label, iri in self.aliassen:
                self._index.setdefault(norm(label), iri)
            for _, iri in self.items:
                self._index.setdefault(norm(lokale_naam(iri)), iri)
        return self._index.get(norm(waarde))

    def label(self, iri: URIRef) -> str | None:
        for label, i in self.items:
            if i == iri:
                return label
        return None


@cache
def ontologie() -> Graph:
    """ggsr.ttl + codelijsten.ttl (+ the imported external terms), parsed once."""
    g = Graph()
    root = resource_dir("ontology")
    for name in ("ggsr.ttl", "codelijsten.ttl", "imports/external.ttl"):
        path = root / name
        if path.is_file():
            g.parse(path, format="turtle")
    return g


def _nl(g: Graph, node, *props) -> str | None:
    for p in props:
        for lit in g.objects(node, p):
            if isinstance(lit, Literal) and lit.language == "nl":
                return str(lit)
    return None


@cache
def lijsten() -> dict[str, Lijst]:
    """Every controlled list of the workbook, labels taken from the ontology."""
    g = ontologie()
    out: dict[str, Lijst] = {}
    for naam, (wijze, wortels) in LIJST_BRONNEN.items():
        items: list[tuple[str, URIRef]] = []
        aliassen: list[tuple[str, URIRef]] = []
        if wijze == "klassen":
            seen: set[URIRef] = set()
            historisch: set[URIRef] = set()
            for wortel in wortels:
                for cls in g.transitive_subjects(RDFS.subClassOf, wortel):
                    if isinstance(cls, URIRef) and cls not in seen:
                        seen.add(cls)
                        label = _nl(g, cls, RDFS.label)
                        if not label:
                            continue
                        aliassen.extend(
                            (str(a), cls)
                            for a in g.objects(cls, SKOS.altLabel)
                            if isinstance(a, Literal) and a.language == "nl"
                        )
                        tot = g.value(cls, GGSR.bestaatTot)
                        if tot is not None:  # a kind that ceased: offered after today's, marked
                            historisch.add(cls)
                            aliassen.append((label, cls))
                            label = f"{label} (tot {str(tot)[:4]})"
                        items.append((label, cls))
            items.sort(key=lambda it: (it[1] in historisch, norm(it[0])))
        else:
            members = []
            for c in g.subjects(SKOS.inScheme, wortels[0]):
                label = _nl(g, c, SKOS.prefLabel, RDFS.label)
                if label:
                    notation = g.value(c, SKOS.notation)
                    members.append((str(notation) if notation is not None else "", label, c))
            if naam == "Escalatieniveau":
                members.sort(key=lambda m: (m[0], norm(m[1])))
            else:
                members.sort(key=lambda m: norm(m[1]))
            items = [(label, c) for _, label, c in members]
        out[naam] = Lijst(naam, tuple(items), tuple(aliassen))
    # Two lists of our own (relations and booleans, not terms): markers, never written as RDF.
    out["Netwerkrol"] = Lijst(
        "Netwerkrol", tuple((r, URIRef(ID + "netwerkrol-" + slug(r))) for r in NETWERKROLLEN)
    )
    out["Ja/nee"] = Lijst("Ja/nee", tuple((w, URIRef(ID + "janee-" + w)) for w in JA_NEE))
    return out


# ---- names, slugs ----------------------------------------------------------------------------------


def norm(text: str) -> str:
    """Comparison form of a name: case-folded, accents kept, runs of white space as one space."""
    return " ".join(str(text).split()).casefold()


def lokale_naam(iri: str) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def slug(text: str, maximum: int = 60) -> str:
    """Lower-case ASCII with hyphens: 'Gezinscoördinator (CJG)' → 'gezinscoordinator-cjg'."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(s) > maximum:
        s = s[:maximum].rstrip("-")
    return s or "x"
