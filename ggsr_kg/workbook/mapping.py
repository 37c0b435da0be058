"""The sheet → RDF mapping of the workbook, in one declarative table.

Every sheet (:class:`Sheet`) says which node a row becomes (its class, or the column that holds the
class), how that node hangs on the network of the row, and per column (:class:`Column`):

- ``heading``  the Dutch column heading (also the CSV heading);
- ``kind``     how a cell is read and how its value is looked up (see :data:`CELL_KINDS`);
- ``prop``     the RDF property the value becomes, ``inverse`` when the value is the subject
               (``value --p--> node``) and ``on`` when the triple hangs on another node of the row
               than the row's own node (the network, the municipality, the approach, the
               escalation model);
- ``values``   for controlled values, the name of the list on the hidden sheet *Lijsten*; the lists
               themselves are read from the ontology at run time (:func:`value_lists`);
- ``for_kinds`` the kinds (classes) a kind-specific column applies to (*Meldpunt* only for an
               *aanmeldroute*); the import refuses it on a row of another kind, and a test holds it
               in step with the ontology's ``rdfs:domain``.

The evidence model (docs/modelling.md, *Evidence*): documents with a status, the arrangements they
lay down (sheet Afspraken, ``ggsr:vastgelegdIn``), records of practice (Praktijk), statements of
named parties (Verklaringen), findings of an inspectorate (Bevindingen) and what they say is missing
(Afwezigheden). A fact names its evidence in *Vastgelegd in* (a document) or *Blijkt uit* (the
*Kenmerk* of a statement, finding or practice row, or a document title).

The importer (importer.py) and the exporter (exporter.py) both walk this table, so a column means
the same thing in both directions; indicators.py reads it to say which column decides which
indicator. Why a table in Python and not RML/morph-kgc: see docs/werkboek.md ("Waarom geen RML").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from rdflib import OWL, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..namespaces import GGSR, ID, ORG
from ..resources import resource_dir

# ---- how a cell is read -----------------------------------------------------------------------

SEPARATOR = ";"
"""Between the values of a multi-valued cell: a semicolon (or a line break, Alt+Enter in Excel).
Never a comma: names and list labels contain commas ('Politie, team Zwolle', 'vrijwillig, tenzij');
a name that other cells refer to may not contain a semicolon."""
INVENTED_CODE = "GM9999"
"""A CBS code no municipality has: suggested for an invented municipality (an exercise)."""
MORE = "gescheiden door een puntkomma (;) of elk op een eigen regel"

NETWORK_WORDS = ("netwerk", "alle partners", "alle netwerkpartners")
"""In a name column these mean the network of the row itself (all its partners); 'netwerk <aanpak>
<jaar>' names another network of the same workbook."""
MUNICIPALITY_WORD = "gemeente"
"""In a name column: the municipality of the workbook (also its name, or 'gemeente <naam>')."""
NOBODY = "niemand"
"""In 'Bindend voor': binding on no one, explicitly (ggsr:bindend false); empty is unknown."""
STJ_NAMES = ("STJ", "Samenwerkend Toezicht Jeugd", "Samenwerkend Toezicht Jeugd (STJ)")
STJ = URIRef(ID + "stj")
"""The inspectorate of the shipped sources; the default toezichthouder of a finding."""

CELL_KINDS = {
    "text": "vrije tekst (één waarde)",
    "texts": "vrije tekst, één waarde per regel (Alt+Enter in Excel)",
    "integer": "een geheel getal",
    "year": "een jaartal (2000–2030)",
    "date": "een datum: JJJJ, JJJJ-MM of JJJJ-MM-DD (of een datumcel)",
    "duration": "een duur: bijv. 48 uur, 14 dagen, 6 weken, 3 maanden, 1 jaar (of P14D)",
    "yesno": "ja of nee",
    "choice": "één waarde uit het uitklapmenu",
    "choices": f"een of meer waarden uit het uitklapmenu, {MORE}",
    "name": "een naam van het blad Organisaties, 'gemeente', 'netwerk' of een functie",
    "names": "een of meer namen (blad Organisaties, 'gemeente', 'netwerk' of 'alle partners', "
    f"een functie), {MORE}",
    "binding": f"een of meer namen ({MORE}), of 'niemand' als het uitdrukkelijk niemand bindt",
    "actors": "een of meer namen, of een groep uit de lijst (de betrokken professionals, de "
    f"leidinggevenden van de partners …), {MORE}",
    "document": "de titel van een document op het blad Documenten",
    "documents": f"de titel van een of meer documenten op het blad Documenten, {MORE}",
    "role": "de naam van een functie op het blad Functies (zelfde aanpak en jaar)",
    "approaches": f"de naam van een of meer aanpakken op het blad Aanpak, {MORE}",
    "evidence": "het kenmerk van een verklaring, bevinding of praktijk, of de titel van een "
    f"document; {MORE}",
    "handle": "een kort kenmerk (bijv. V1, B3, vragenlijst CJG) waarmee Blijkt uit naar deze rij "
    "verwijst; uniek in het werkboek",
    "network-roles": f"partner, kernpartner en/of overleg, {MORE}",
    "row-approach": "de aanpak waar de rij bij hoort (leeg laten als er maar één aanpak is)",
    "row-year": "het jaar waar de rij bij hoort (leeg laten als er maar één jaar is)",
}
# The same, short, for the column lines of the Instructie sheet (its rules explain them once).
CELL_KINDS_SHORT = {
    "text": "tekst",
    "texts": "tekst, één per regel",
    "integer": "geheel getal",
    "year": "jaartal",
    "date": "datum",
    "duration": "duur",
    "yesno": "ja/nee",
    "choice": "keuze uit de lijst",
    "choices": "keuzes uit de lijst (;)",
    "name": "naam",
    "names": "namen (;)",
    "binding": "namen (;) of 'niemand'",
    "actors": "namen of groepen (;)",
    "document": "documenttitel",
    "documents": "documenttitels (;)",
    "role": "functienaam",
    "approaches": "aanpakken (;)",
    "evidence": "kenmerken of documenttitels (;)",
    "handle": "kort kenmerk, uniek",
    "network-roles": "partner, kernpartner, overleg (;)",
    "row-approach": "aanpak",
    "row-year": "jaar",
}
MULTI = {
    "texts",
    "documents",
    "choices",
    "names",
    "binding",
    "actors",
    "approaches",
    "evidence",
    "network-roles",
}
REFERENCE = {
    "name",
    "names",
    "binding",
    "actors",
    "document",
    "documents",
    "role",
    "approaches",
    "evidence",
}
NAME_KINDS = {"name", "names", "binding", "actors"}


@dataclass(frozen=True)
class Column:
    heading: str
    field: str
    kind: str
    prop: URIRef | None = None
    required: bool = False
    values: str | None = None
    inverse: bool = False
    on: str = "node"  # node | network | municipality | approach | model
    lang: str | None = "nl"  # language tag of a text literal (None: plain string)
    named: bool = False  # a name other cells refer to (so it may not hold the separator)
    for_kinds: tuple[URIRef, ...] = ()  # only for rows of these kinds (and their subclasses)
    help: str = ""
    width: int = 24

    def __post_init__(self):
        assert self.kind in CELL_KINDS, self.kind

    @property
    def multi(self) -> bool:
        return self.kind in MULTI

    # Dutch names kept for code of other branches that reads the table (tests/test_attacks.py)
    @property
    def kop(self) -> str:
        return self.heading

    @property
    def veld(self) -> str:
        return self.field


APPROACH_COLUMN = Column(
    "Aanpak",
    "_approach",
    "row-approach",
    help="Bij welke aanpak de rij hoort. Leeg laten als het blad Aanpak maar één aanpak heeft.",
    width=18,
)
YEAR_COLUMN = Column(
    "Jaar",
    "_year",
    "row-year",
    help="Bij welk jaar de rij hoort. Leeg laten als het blad Aanpak maar één jaar heeft.",
    width=8,
)


@dataclass(frozen=True, eq=False)
class Sheet:
    name: str
    help: str
    columns: tuple[Column, ...]
    cls: URIRef | None = None  # fixed class of the row's node (else the column with RDF.type)
    # how the row's node hangs on the row's network: (property, "network→node" | "node→network")
    link: tuple[URIRef, str] | None = None
    per_network: bool = True  # rows belong to a network (have the Aanpak/Jaar columns)
    # a column that is required as soon as one of these columns is filled
    required_with: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # at least one of these columns must be filled (Functie or Berust bij)
    one_of: tuple[str, ...] = ()

    @property
    def all_columns(self) -> tuple[Column, ...]:
        extra = (APPROACH_COLUMN, YEAR_COLUMN) if self.per_network and self.name != "Aanpak" else ()
        return self.columns + extra

    def column(self, field_: str) -> Column:
        for c in self.all_columns:
            if c.field == field_:
                return c
        raise KeyError(field_)

    @property
    def kind_column(self) -> Column | None:
        """The column whose value is the row's class (Soort), if the class is not fixed."""
        return next((c for c in self.columns if c.prop == RDF.type and c.on == "node"), None)

    # Dutch names kept for code of other branches that reads the table (tests/test_attacks.py)
    @property
    def naam(self) -> str:
        return self.name

    @property
    def alle_kolommen(self) -> tuple[Column, ...]:
        return self.all_columns


def _evidence_columns(documents: bool = True) -> tuple[Column, ...]:
    """Vastgelegd in / Blijkt uit: what a fact rests on (its grondslag)."""
    cols = []
    if documents:
        cols.append(
            Column(
                "Vastgelegd in",
                "laid_down_in",
                "documents",
                GGSR.vastgelegdIn,
                help="Het document (blad Documenten) dat dit vastlegt: een bepaling van dat "
                "document. Telt alleen als de status van het document meetelt (niet een concept, "
                "verlopen of ingetrokken stuk).",
                width=30,
            )
        )
    cols.append(
        Column(
            "Blijkt uit",
            "evidence",
            "evidence",
            GGSR.blijktUit,
            help="Waaruit het blijkt: het kenmerk van een verklaring, bevinding of praktijk "
            "(bladen Verklaringen, Bevindingen, Praktijk) of de titel van een document. Zonder "
            "Vastgelegd in en Blijkt uit telt het als beschreven praktijk.",
            width=20,
        )
    )
    return tuple(cols)


# ---- the table ---------------------------------------------------------------------------------

_BINDING = Column(
    "Bindend voor",
    "binds",
    "binding",
    GGSR.bindt,
    help="Op wie het bindend is: organisaties, 'netwerk' of 'alle partners'. 'niemand' als de "
    "bron zegt dat het niemand bindt (bijv. alleen een voorstel). Leeg: onbekend.",
)
_CONDITION = Column("Voorwaarde", "condition", "text", GGSR.voorwaarde, width=30)
_FROM = Column("Geldig vanaf", "valid_from", "date", GGSR.geldigVanaf, width=12)
_UNTIL = Column("Geldig tot", "valid_until", "date", GGSR.geldigTot, width=12)
_SPECIFIC = Column(
    "Betreft aanpak",
    "approach_of",
    "approaches",
    GGSR.betreftAanpak,
    help="Alleen als het specifiek over deze aanpak (of aanpakken) gaat, niet over het "
    "jeugdstelsel in het algemeen.",
    width=18,
)
_LABEL = Column(
    "Omschrijving",
    "label",
    "text",
    RDFS.label,
    required=True,
    help="Korte omschrijving in eigen woorden; zo noemt de scorecard het feit.",
    width=36,
)
_TEXT = Column("Tekst", "text", "text", GGSR.tekst, help="De woorden van de bron.", width=50)
_HANDLE = Column(
    "Kenmerk",
    "handle",
    "handle",
    DCTERMS.identifier,
    lang=None,
    named=True,
    help="Kort kenmerk (V1, B3, vragenlijst CJG …) om in Blijkt uit naar deze rij te verwijzen.",
    width=12,
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "Aanpak",
        "Eén rij per aanpak per jaar (een 'netwerk'). Meestal is dat één rij.",
        (
            Column(
                "Gemeente",
                "municipality",
                "text",
                RDFS.label,
                required=True,
                on="municipality",
                named=True,
                help="Naam van de gemeente, bijv. Zwolle (een van de gemeenten van CBS). Een "
                "verzonnen gemeente mag, met een eigen CBS-code (zie CBS-code).",
                width=18,
            ),
            Column(
                "CBS-code",
                "cbs",
                "text",
                GGSR.cbsCode,
                on="municipality",
                lang=None,
                help="CBS-gemeentecode, bijv. GM0193. Leeg: wordt opgezocht in de CBS-lijst. "
                "Verplicht voor een gemeente die niet in die lijst staat (een verzonnen gemeente): "
                f"kies een code die CBS niet gebruikt, bijv. {INVENTED_CODE}.",
                width=11,
            ),
            Column(
                "Aanpak",
                "approach",
                "text",
                RDFS.label,
                required=True,
                on="approach",
                named=True,
                help="Naam van de aanpak, bijv. CJG-aanpak of MPG-aanpak.",
            ),
            Column(
                "Jaar",
                "year",
                "year",
                GGSR.peiljaar,
                required=True,
                on="network",
                help="Peiljaar: het jaar waarop de beschreven toestand betrekking heeft.",
                width=8,
            ),
            Column(
                "Verwijsindex",
                "referral_index",
                "choices",
                GGSR.verwijsindex,
                values="Verwijsindex",
                on="network",
            ),
            Column(
                "CJG-BJZ-model",
                "cjg_bjz",
                "choice",
                GGSR.cjgBjzModel,
                values="CJG-BJZ-model",
                on="network",
            ),
            Column(
                "Toezichthouder",
                "inspectorate",
                "name",
                help="Wie de bevindingen van dit netwerk deed, als het niet STJ is (leeg: STJ). "
                "Een inspectie zet u op het blad Organisaties (soort inspectie).",
            ),
        ),
        cls=GGSR.Netwerk,
    ),
    Sheet(
        "Organisaties",
        "Elke organisatie, elk overleg en elke overheid die op een ander blad genoemd wordt. "
        "Netwerkrol: partner, kernpartner en/of overleg (van het netwerk).",
        (
            Column(
                "Naam",
                "name",
                "text",
                RDFS.label,
                required=True,
                named=True,
                help="Naam van de organisatie (geen personen). Een komma mag, een puntkomma niet "
                "(die scheidt namen in andere kolommen).",
                width=36,
            ),
            Column(
                "Soort",
                "kind",
                "choices",
                RDF.type,
                required=True,
                values="Organisatiesoort",
                help="Soort organisatie; 'organisatie' als geen soort past. Doet een organisatie "
                "twee dingen (GGD en JGZ), noem beide: 'GGD; jeugdgezondheidszorg (JGZ)'.",
            ),
            Column(
                "Netwerkrol",
                "roles",
                "network-roles",
                values="Netwerkrol",
                help="partner en kernpartner zijn leden van het netwerk; overleg: een overleg "
                "(stuurgroep, MDT, casusoverleg) van dit netwerk. Wie gezinnen aanmeldt, staat bij "
                "Aanmelders op het blad Afspraken (soort aanmeldroute). Leeg als de organisatie "
                "alleen genoemd wordt.",
                width=16,
            ),
            Column(
                "Onderdeel van",
                "unit_of",
                "name",
                ORG.unitOf,
                help="Moederorganisatie (bijv. een overleg van het CJG).",
            ),
            Column(
                "Leden",
                "members",
                "names",
                ORG.hasMember,
                help="Voor een overleg of samenwerkingsverband: wie eraan deelneemt.",
            ),
            Column(
                "Gefinancierd door",
                "funders",
                "names",
                GGSR.financiert,
                inverse=True,
                help="Overheid die de organisatie financiert of subsidieert.",
            ),
            Column(
                "Leefgebieden",
                "domains",
                "choices",
                GGSR.leefgebied,
                values="Leefgebied",
                help="Alleen leefgebieden die niet al uit de soort volgen.",
                width=18,
            ),
            Column(
                "Frequentie",
                "frequency",
                "text",
                GGSR.frequentie,
                for_kinds=(GGSR.Overleg,),
                help="Hoe vaak het overleg bijeenkomt (bijv. wekelijks).",
                width=14,
            ),
            Column(
                "Geldig vanaf",
                "valid_from",
                "date",
                GGSR.geldigVanaf,
                for_kinds=(GGSR.Overleg,),
                help="Sinds wanneer het overleg bestaat, als de bron dat zegt.",
                width=12,
            ),
            Column(
                "Blijkt uit",
                "evidence",
                "evidence",
                GGSR.blijktUit,
                for_kinds=(GGSR.Overleg,),
                help="Waaruit blijkt dat het overleg bestaat (kenmerk van een verklaring of "
                "bevinding); leeg: beschreven praktijk.",
                width=20,
            ),
        ),
    ),
    Sheet(
        "Functies",
        "Functies (rollen) in het netwerk, met de naam die de gemeente gebruikt en een soort uit "
        "de lijst, en wie ze vervult. Nooit namen van personen.",
        (
            Column(
                "Functie",
                "role",
                "text",
                RDFS.label,
                required=True,
                named=True,
                help="De naam zoals de gemeente die gebruikt, bijv. gezinsregisseur, "
                "casusregisseur, jeugdconsulent.",
            ),
            Column(
                "Soort",
                "kind",
                "choice",
                RDF.type,
                required=True,
                values="Functiesoort",
                help="De soort uit de lijst die het best past; een regisseursfunctie "
                "(gezinsregisseur, gezinscoördinator, casemanager …) telt als de regisseur.",
            ),
            Column(
                "Houder",
                "holders",
                "names",
                ORG.heldBy,
                required=True,
                help="Organisatie(s) die de functie vervullen (blad Organisaties), 'gemeente' of "
                "'netwerk'.",
            ),
            Column(
                "Taak",
                "tasks",
                "texts",
                GGSR.taak,
                help="Taken; één per regel.",
                width=36,
            ),
            Column(
                "Aantal",
                "count",
                "integer",
                GGSR.aantalFunctionarissen,
                help="Hoeveel functionarissen de functie vervullen.",
                width=8,
            ),
            _FROM,
            *_evidence_columns(),
        ),
        link=(ORG.postIn, "node→network"),
    ),
    Sheet(
        "Bevoegdheden",
        "Wat een functie (of een organisatie) mag beslissen of doen, bindend voor wie, "
        "vastgelegd waar.",
        (
            Column(
                "Functie",
                "role",
                "role",
                GGSR.bevoegdheid,
                inverse=True,
                help="Functie van het blad Functies die de bevoegdheid heeft. Leeg als de "
                "bevoegdheid bij organisaties berust (Berust bij).",
            ),
            Column(
                "Berust bij",
                "rests_with",
                "names",
                GGSR.berustBij,
                help="Organisaties bij wie de bevoegdheid berust als zij niet bij één functie "
                "hoort ('de doorzettingsmacht ligt bij een aantal partners': 'netwerk').",
            ),
            Column(
                "Soort",
                "kind",
                "choice",
                RDF.type,
                required=True,
                values="Bevoegdheidsoort",
            ),
            Column(
                "Omschrijving",
                "label",
                "text",
                RDFS.label,
                help="Wat de bevoegdheid inhoudt.",
                width=36,
            ),
            _BINDING,
            Column(
                "Geldt tegenover",
                "towards",
                "names",
                GGSR.geldtTegenover,
                help="Niet-bindend: tegenover wie de bevoegdheid geldt.",
            ),
            _CONDITION,
            _FROM,
            *_evidence_columns(),
            Column("Verleend door", "granted_by", "name", GGSR.verleendDoor),
        ),
        one_of=("role", "rests_with"),
    ),
    Sheet(
        "Escalatie",
        "De stappen van een escalatiepad (opschaling) of de niveaus van een zorgpiramide, één rij "
        "per stap.",
        (
            Column(
                "Stap nr",
                "step",
                "integer",
                GGSR.volgnummer,
                help="Volgnummer 1, 2, 3 … (elk nummer één keer per escalatiemodel). Verplicht "
                "als de rij een stap beschrijft; een rij met alleen de kolommen van het model "
                "beschrijft een model zonder (bekende) stappen.",
                width=8,
            ),
            Column(
                "Niveau",
                "level",
                "choice",
                GGSR.niveau,
                values="Escalatieniveau",
                width=20,
            ),
            Column(
                "Actor",
                "actors",
                "actors",
                GGSR.actor,
                help="Wie in deze stap handelt: organisatie, overleg, functie, 'gemeente', of een "
                "groep die geen één organisatie is (de betrokken professionals, de leidinggevenden "
                "van de partners, de directies van de partners, de bestuurders).",
            ),
            Column("Aanleiding", "trigger", "text", GGSR.aanleiding, width=30),
            Column("Handeling", "action", "text", GGSR.handeling, width=30),
            Column("Stap", "label", "text", RDFS.label, help="Korte naam van de stap."),
            Column(
                "Drempel professionals",
                "threshold",
                "integer",
                GGSR.drempelProfessionals,
                help="Vanaf hoeveel betrokken professionals deze stap of dit niveau geldt.",
                width=10,
            ),
            Column(
                "Termijn",
                "time_limit",
                "duration",
                GGSR.termijn,
                help="Binnen welke termijn in deze stap wordt gehandeld (bijv. 48 uur).",
                width=10,
            ),
            Column(
                "Escalatiemodel",
                "model",
                "text",
                RDFS.label,
                on="model",
                help="Naam van het escalatiemodel; leeg: 'escalatiepad <gemeente> <jaar>'.",
            ),
            Column(
                "Soort model",
                "model_kind",
                "choice",
                RDF.type,
                on="model",
                values="Escalatiemodelsoort",
                help="escalatiemodel (leeg) of zorgpiramide (niveaus naar ernst).",
                width=16,
            ),
            Column(
                "Model vastgelegd in",
                "model_document",
                "documents",
                GGSR.vastgelegdIn,
                on="model",
                help="Document waarin het escalatiemodel is vastgelegd.",
            ),
            Column(
                "Model blijkt uit",
                "model_evidence",
                "evidence",
                GGSR.blijktUit,
                on="model",
                help="Waaruit het model blijkt (kenmerk van een verklaring of bevinding).",
            ),
        ),
        cls=GGSR.Escalatiestap,
        required_with={
            "step": ("level", "actors", "trigger", "action", "label", "threshold", "time_limit")
        },
    ),
    Sheet(
        "Documenten",
        "Convenanten, besluiten, beleidsplannen … met hun status: een concept, verlopen of "
        "ingetrokken document telt niet mee.",
        (
            Column("Titel", "title", "text", DCTERMS.title, required=True, named=True, width=40),
            Column(
                "Soort",
                "kind",
                "choice",
                RDF.type,
                required=True,
                values="Documentsoort",
            ),
            Column(
                "Status",
                "status",
                "choice",
                GGSR.status,
                required=True,
                values="Documentstatus",
                help="concept, vastgesteld, ondertekend, deels vastgesteld, verlopen, ingetrokken; "
                "'status niet vermeld' als de bron het niet zegt (telt mee).",
                width=16,
            ),
            Column(
                "Statusdatum",
                "status_date",
                "date",
                GGSR.statusdatum,
                help="Wanneer het document die status kreeg (ondertekend, vastgesteld …).",
                width=12,
            ),
            Column(
                "Ondertekend door",
                "signed_by",
                "names",
                GGSR.ondertekendDoor,
                help="Wie tekende: namen, 'gemeente', 'alle partners' of 'netwerk' — bijv. "
                "'gemeente; alle partners'. Wie (nog) niet tekende, staat hier niet.",
            ),
            Column(
                "Vastgesteld door",
                "adopted_by",
                "names",
                GGSR.vastgesteldDoor,
                help="Het orgaan dat het document vaststelde (college, raad, stuurgroep …).",
            ),
            Column(
                "Partijen",
                "parties",
                "names",
                GGSR.partij,
                help="Andere partijen van het document (wie het aanging of voor wie het geldt), "
                "naast wie tekende.",
            ),
            Column("Opgesteld door", "creators", "names", DCTERMS.creator),
            Column("Datum", "issued", "date", DCTERMS.issued, help="Datum van het stuk.", width=12),
            _FROM,
            _UNTIL,
            _SPECIFIC,
            Column("Frequentie", "frequency", "text", GGSR.frequentie, width=14),
        ),
        link=(GGSR.document, "network→node"),
    ),
    Sheet(
        "Afspraken",
        "Wat in het netwerk geregeld is: afspraken, uitgangspunten en werkwijzen (de bepalingen "
        "van een document, of wat uit een verklaring, bevinding of praktijk blijkt). Eén rij per "
        "afspraak; kolommen rechts gelden alleen voor de soort die erbij staat.",
        (
            Column(
                "Soort",
                "kind",
                "choice",
                RDF.type,
                required=True,
                values="Afspraaksoort",
                width=28,
            ),
            _LABEL,
            *_evidence_columns(),
            _BINDING,
            _CONDITION,
            Column(
                "Termijn",
                "time_limit",
                "duration",
                GGSR.termijn,
                help="Binnen welke termijn (bijv. 48 uur, 2 weken).",
                width=10,
            ),
            Column(
                "Uitgevoerd door",
                "performed_by",
                "names",
                GGSR.uitgevoerdDoor,
                help="Wie het doet (wie evalueert, wie drang en dwang toepast …).",
            ),
            _SPECIFIC,
            _FROM,
            _UNTIL,
            _TEXT,
            Column(
                "Beginsel",
                "principles",
                "choices",
                GGSR.beginsel,
                values="Beginsel",
                for_kinds=(GGSR.Uitgangspunt,),
                help="Het werkprincipe zoals de bron het noemt (één gezin, één plan; eigen kracht …).",
            ),
            Column(
                "Methode",
                "methods",
                "choices",
                GGSR.methode,
                values="Methode",
                for_kinds=(GGSR.Uitgangspunt,),
                help="Een bekende methode die de aanpak hanteert; haar beginselen gelden dan ook.",
            ),
            Column(
                "Meldpunt",
                "registration_point",
                "names",
                GGSR.meldpunt,
                for_kinds=(GGSR.Aanmeldroute,),
                help="Waar gezinnen worden aangemeld: een organisatie of overleg.",
            ),
            Column(
                "Aanmelders",
                "registrants",
                "names",
                GGSR.aanmelder,
                for_kinds=(GGSR.Aanmeldroute,),
                help="Wie gezinnen aanmelden (dat maakt nog geen partner).",
            ),
            Column(
                "Aantal gezinnen",
                "families",
                "integer",
                GGSR.geschatAantalGezinnen,
                for_kinds=(GGSR.Populatiebeeld,),
                help="Het geschatte aantal gezinnen dat de gemeente in beeld heeft.",
                width=10,
            ),
            Column(
                "Per wijk",
                "per_district",
                "yesno",
                GGSR.perWijk,
                values="Ja/nee",
                for_kinds=(GGSR.Populatiebeeld,),
                help="ja: de gemeente weet in welke wijken de gezinnen wonen.",
                width=8,
            ),
            Column(
                "Regievoerder",
                "director",
                "names",
                GGSR.regievoerder,
                for_kinds=(GGSR.Regievoering,),
                help="Wie regie voert op de aanpak als geheel (vaak 'gemeente').",
            ),
            Column(
                "Afsluitgrond",
                "closure_grounds",
                "choices",
                GGSR.afsluitgrond,
                values="Afsluitgrond",
                for_kinds=(GGSR.Afsluitingsregel,),
            ),
            Column(
                "Maximale duur",
                "max_duration",
                "duration",
                GGSR.maximaleDuur,
                for_kinds=(GGSR.Afsluitingsregel,),
                width=10,
            ),
            Column(
                "Maximale wachttijd",
                "max_wait",
                "duration",
                GGSR.maximaleWachttijd,
                for_kinds=(GGSR.Beschikbaarheidsafspraak,),
                width=10,
            ),
            Column(
                "Voor functie",
                "for_role",
                "role",
                GGSR.voorFunctie,
                for_kinds=(GGSR.Toerustingseis,),
                help="De functie (blad Functies) waarvoor de eis geldt.",
            ),
            Column(
                "Profiel",
                "profile",
                "texts",
                GGSR.profiel,
                for_kinds=(GGSR.Toerustingseis,),
                help="Eisen aan wie de functie vervult (opleiding, deskundigheid); één per regel.",
                width=30,
            ),
            Column(
                "Maximale caseload",
                "caseload",
                "integer",
                GGSR.maximaleCaseload,
                for_kinds=(GGSR.Toerustingseis,),
                width=10,
            ),
            Column(
                "Doelgroep",
                "target_group",
                "text",
                GGSR.doelgroep,
                for_kinds=(GGSR.Doelgroepbeleid,),
                help="Op wie het beleid zich richt, in de woorden van de bron.",
            ),
            Column(
                "Onderschreven door",
                "endorsed_by",
                "names",
                GGSR.onderschrevenDoor,
                for_kinds=(GGSR.Visie, GGSR.Doelstelling),
            ),
            Column(
                "Geformuleerd door",
                "formulated_by",
                "names",
                GGSR.geformuleerdDoor,
                for_kinds=(GGSR.Doelstelling,),
            ),
        ),
        link=(GGSR.netwerk, "node→network"),
    ),
    Sheet(
        "Praktijk",
        "Wat er in de praktijk gebeurt: een gehouden evaluatie, het bijhouden van resultaten, een "
        "knelpunt (wachtlijst …). Een overleg (wie komt bijeen, hoe vaak) staat op het blad "
        "Organisaties.",
        (
            _HANDLE,
            Column(
                "Soort",
                "kind",
                "choice",
                RDF.type,
                required=True,
                values="Praktijksoort",
                width=22,
            ),
            _LABEL,
            Column("Datum", "date", "date", GGSR.datum, help="Wanneer het gebeurde.", width=12),
            Column("Frequentie", "frequency", "text", GGSR.frequentie, width=14),
            Column(
                "Uitgevoerd door",
                "performed_by",
                "names",
                GGSR.uitgevoerdDoor,
                help="Wie het deed: wie evalueerde, wie de resultaten bijhoudt.",
            ),
            Column(
                "Deelnemers",
                "participants",
                "names",
                GGSR.deelnemer,
                help="Wie deelnam (aan een evaluatie) zonder die uit te voeren.",
            ),
            Column(
                "In overleg",
                "meeting",
                "name",
                GGSR.overleg,
                help="Het overleg (blad Organisaties) waarin de evaluatie werd gehouden; zijn "
                "leden nemen deel.",
            ),
            Column(
                "Conclusie",
                "conclusion",
                "text",
                GGSR.conclusie,
                help="Wat de evaluatie concludeerde.",
                width=30,
            ),
            Column(
                "Gevolg",
                "outcome",
                "choice",
                GGSR.gevolg,
                values="Evaluatiegevolg",
                for_kinds=(GGSR.Evaluatiemoment,),
                help="Wat er met het beleid gebeurde: voortgezet of bijgesteld.",
                width=18,
            ),
            Column(
                "Verwerkt in",
                "taken_up_in",
                "document",
                GGSR.verwerktIn,
                for_kinds=(GGSR.Evaluatiemoment,),
                help="Het document waarin de uitkomst is verwerkt.",
            ),
            Column(
                "Knelpunt",
                "bottleneck",
                "choice",
                GGSR.knelpuntsoort,
                values="Knelpuntsoort",
                for_kinds=(GGSR.Knelpunt,),
                width=18,
            ),
            Column(
                "Bij",
                "at",
                "names",
                GGSR.bij,
                for_kinds=(GGSR.Knelpunt,),
                help="De organisatie waar het knelpunt zich voordoet.",
            ),
            _TEXT,
            Column(
                "Blijkt uit",
                "evidence",
                "evidence",
                GGSR.blijktUit,
                help="Alleen als de praktijk uit een verklaring, bevinding of document blijkt "
                "(dan rust zij daarop); leeg: vastgelegde praktijk.",
                width=20,
            ),
        ),
        link=(GGSR.netwerk, "node→network"),
    ),
    Sheet(
        "Verklaringen",
        "Wat met name genoemde partijen verklaarden (vragenlijst, interview), in hun woorden. Wat "
        "een verklaring stelt, vult u in als rij op Afspraken, Bevoegdheden of Afwezigheden, met "
        "haar kenmerk in Blijkt uit.",
        (
            _HANDLE,
            Column(
                "Verklaard door",
                "stated_by",
                "names",
                GGSR.verklaardDoor,
                required=True,
                help="De partijen die het zeiden (niet de inspectie: wat die vaststelde is een "
                "bevinding).",
            ),
            Column("Tekst", "text", "text", GGSR.tekst, required=True, width=60),
        ),
        cls=GGSR.Verklaring,
        link=(GGSR.netwerk, "node→network"),
    ),
    Sheet(
        "Bevindingen",
        "Wat de inspectie vaststelde, ook wat ontbreekt ('er is geen privacyconvenant'). Geen "
        "'verklaard door' nodig.",
        (
            _HANDLE,
            Column("Tekst", "text", "text", GGSR.tekst, required=True, width=60),
            Column(
                "Toezichthouder",
                "inspectorate",
                "name",
                GGSR.toezichthouder,
                help="Leeg: de toezichthouder van het blad Aanpak, anders STJ.",
            ),
        ),
        cls=GGSR.Bevinding,
        link=(GGSR.netwerk, "node→network"),
    ),
    Sheet(
        "Afwezigheden",
        "Wat volgens een verklaring of bevinding ontbreekt: één rij per ontbrekend soort feit, "
        "eventueel nader bepaald (welk beginsel, welke functie …).",
        (
            Column(
                "Soort",
                "kind",
                "choice",
                GGSR.soort,
                required=True,
                values="Ontbrekende soort",
                help="Wat ontbreekt, als soort uit de lijst (bijv. afspraak over informatiedeling, "
                "doorzettingsmacht, escalatiemodel).",
                width=28,
            ),
            _LABEL,
            Column(
                "Blijkt uit",
                "evidence",
                "evidence",
                GGSR.blijktUit,
                required=True,
                help="Het kenmerk van de verklaring of bevinding die zegt dat het ontbreekt.",
                width=20,
            ),
            Column("Beginsel", "principles", "choices", GGSR.beginsel, values="Beginsel"),
            Column("Leefgebied", "domains", "choices", GGSR.leefgebied, values="Leefgebied"),
            Column(
                "Afsluitgrond",
                "closure_grounds",
                "choices",
                GGSR.afsluitgrond,
                values="Afsluitgrond",
            ),
            Column("Voor functie", "for_role", "role", GGSR.voorFunctie),
            Column("Regievoerder", "director", "names", GGSR.regievoerder),
            Column("Geformuleerd door", "formulated_by", "names", GGSR.geformuleerdDoor),
            _BINDING,
            _SPECIFIC,
        ),
        cls=GGSR.Afwezigheid,
        link=(GGSR.netwerk, "node→network"),
    ),
    Sheet(
        "Doelgroep",
        "Doelgroepomschrijvingen en wie ze hanteert. Verschillende omschrijvingen: "
        "verschillende rijen.",
        (
            Column("Omschrijving", "text", "text", GGSR.tekst, required=True, width=50),
            Column("Gehanteerd door", "used_by", "names", GGSR.gehanteerdDoor, required=True),
            *_evidence_columns(),
        ),
        cls=GGSR.Doelgroepomschrijving,
        link=(GGSR.doelgroepomschrijving, "network→node"),
    ),
)
SHEET = {s.name: s for s in SHEETS}
INSTRUCTIONS = "Instructie"
LISTS = "Lijsten"
EVIDENCE_SHEETS = ("Verklaringen", "Bevindingen", "Praktijk")  # rows with a Kenmerk

# Organisaties › Netwerkrol: the triples each role becomes (the row's organisation ↔ network).
NETWORK_ROLES: dict[str, tuple[tuple[URIRef, str], ...]] = {
    "partner": ((ORG.hasMember, "network→node"),),
    "kernpartner": ((GGSR.kernpartner, "network→node"), (ORG.hasMember, "network→node")),
    "overleg": ((GGSR.netwerk, "node→network"),),
}
YES_NO = {"ja": True, "nee": False}
# A step of a care pyramid is a care level (ggsr:Zorgniveau), of any other model a step.
STEP_CLASS = {GGSR.Zorgpiramide: GGSR.Zorgniveau}

# Columns and values of the first workbook (before the evidence model, issue 14): where their
# content goes now. A workbook that still has them gets this as the reason, not just "unknown".
MOVED: dict[tuple[str, str], str] = {
    ("Aanpak", "Meldpunt"): "staat nu op het blad Afspraken: soort 'aanmeldroute', kolom Meldpunt",
    ("Aanpak", "Regievoerder"): "staat nu op het blad Afspraken: soort 'regievoering op de "
    "aanpak', kolom Regievoerder",
    ("Aanpak", "Geschat aantal gezinnen"): "staat nu op het blad Afspraken: soort 'zicht op de "
    "populatie', kolom Aantal gezinnen",
    ("Functies", "Profiel"): "staat nu op het blad Afspraken: soort 'eis aan de functie', "
    "kolommen Voor functie en Profiel",
    ("Functies", "Maximale caseload"): "staat nu op het blad Afspraken: soort 'eis aan de "
    "functie', kolommen Voor functie en Maximale caseload",
    ("Documenten", "Regelt"): "wat een document vastlegt, is nu een rij op het blad Afspraken "
    "(of Bevoegdheden) met de titel in Vastgelegd in",
    ("Verklaringen", "Onderwerp"): "wat een verklaring stelt, is nu een rij op het blad "
    "Afspraken, Bevoegdheden of Afwezigheden met haar kenmerk in Blijkt uit",
    ("Verklaringen", "Bevestigt"): "een ontkenning ('er is geen …') is nu een rij op het blad "
    "Afwezigheden met het kenmerk van de verklaring in Blijkt uit",
}
MOVED_VALUES: dict[tuple[str, str], str] = {
    ("Netwerkrol", "meldt aan"): "wie gezinnen aanmeldt, staat nu bij Aanmelders op het blad "
    "Afspraken (soort aanmeldroute)",
}

# ---- the controlled lists, read from the ontology -----------------------------------------------

_KINDS_OF_FACTS = (
    GGSR.Regeling,
    GGSR.Bevoegdheid,
    GGSR.Document,
    GGSR.Praktijk,
    GGSR.Functie,
    GGSR.Organisatie,
    GGSR.Overleg,
    GGSR.Overheid,
    GGSR.Escalatiemodel,
    GGSR.Doelgroepomschrijving,
)
# list name → ("classes", roots, roots left out) or ("scheme", (concept scheme,), ())
LIST_SOURCES: dict[str, tuple[str, tuple[URIRef, ...], tuple[URIRef, ...]]] = {
    "Organisatiesoort": (
        "classes",
        (GGSR.Organisatie, GGSR.Overleg, GGSR.Overheid, GGSR.Inspectie),
        (),
    ),
    "Functiesoort": ("classes", (GGSR.Functie,), ()),
    "Bevoegdheidsoort": ("classes", (GGSR.Bevoegdheid,), ()),
    "Documentsoort": ("classes", (GGSR.Document,), ()),
    "Afspraaksoort": ("classes", (GGSR.Regeling,), ()),
    "Praktijksoort": ("classes", (GGSR.Praktijk,), (GGSR.Overleg,)),
    "Escalatiemodelsoort": ("classes", (GGSR.Escalatiemodel,), ()),
    "Ontbrekende soort": ("classes", _KINDS_OF_FACTS, ()),
    "Documentstatus": ("scheme", (GGSR.Documentstatussen,), ()),
    "Escalatieniveau": ("scheme", (GGSR.Escalatieniveaus,), ()),
    "Leefgebied": ("scheme", (GGSR.Leefgebieden,), ()),
    "Verwijsindex": ("scheme", (GGSR.Verwijsindexen,), ()),
    "CJG-BJZ-model": ("scheme", (GGSR.CjgBjzModellen,), ()),
    "Beginsel": ("scheme", (GGSR.Beginselen,), ()),
    "Methode": ("scheme", (GGSR.Methoden,), ()),
    "Afsluitgrond": ("scheme", (GGSR.Afsluitgronden,), ()),
    "Evaluatiegevolg": ("scheme", (GGSR.Evaluatiegevolgen,), ()),
    "Knelpuntsoort": ("scheme", (GGSR.Knelpuntsoorten,), ()),
    "Collectieve actor": ("scheme", (GGSR.CollectieveActoren,), ()),
}
# Default class when a node has none of the list's classes (export) — the list's first root.
DEFAULT_CLASS = {
    "Organisatiesoort": GGSR.Organisatie,
    "Functiesoort": GGSR.Functie,
    "Bevoegdheidsoort": GGSR.Bevoegdheid,
    "Documentsoort": GGSR.Document,
    "Afspraaksoort": GGSR.Regeling,
    "Praktijksoort": GGSR.Praktijk,
    "Escalatiemodelsoort": GGSR.Escalatiemodel,
}
# Keep the order of these lists as the code list gives it (skos:notation), not alphabetical.
_ORDERED = {"Escalatieniveau"}


@dataclass(frozen=True)
class ValueList:
    name: str
    items: tuple[tuple[str, URIRef], ...]  # (Dutch label, IRI), in drop-down order
    # other accepted spellings, not offered: the plain label of a marked historical kind, the
    # skos:altLabel@nl of a class ('wijkteam' for lokaal team)
    aliases: tuple[tuple[str, URIRef], ...] = ()
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.items]

    def find(self, value: str) -> URIRef | None:
        """The IRI for a cell value: its Dutch label as offered (any case/spacing), an alias (the
        plain label of a historical kind, an alternative label) or the IRI's local name."""
        if not self._index:
            for label, iri in self.items:
                self._index[norm(label)] = iri
            for label, iri in self.aliases:
                self._index.setdefault(norm(label), iri)
            for _, iri in self.items:
                self._index.setdefault(norm(local_name(iri)), iri)
                self._index.setdefault(norm(local_name(iri).replace("-", " ")), iri)
        return self._index.get(norm(value))

    def label(self, iri: URIRef) -> str | None:
        for label, i in self.items:
            if i == iri:
                return label
        return None

    def suggest(self, value: str) -> list[str]:
        """Offered labels close to ``value`` (for "Bedoelt u …?")."""
        return did_you_mean(value, self.labels + [a for a, _ in self.aliases])


def did_you_mean(value: str, candidates, n: int = 3) -> list[str]:
    """Up to ``n`` candidates close to ``value`` (case and spacing ignored), best first: a
    candidate that contains the value or is contained in it, then by similarity."""
    import difflib

    wanted = norm(value)
    by_norm: dict[str, str] = {}
    for c in candidates:
        by_norm.setdefault(norm(c), c)
    cutoff = 0.72 if len(wanted) >= 5 else 0.5  # 'V2' for 'V1', 'GGZ' for 'GGD'
    close = difflib.get_close_matches(wanted, list(by_norm), n=n, cutoff=cutoff)
    inside = [k for k in sorted(by_norm) if len(wanted) >= 4 and (wanted in k or k in wanted)]
    out = list(dict.fromkeys([*close, *inside]))[:n]
    return [by_norm[k] for k in out]


@cache
def ontology() -> Graph:
    """ggsr.ttl + codelijsten.ttl (+ the imported external terms and their Dutch labels), parsed
    once."""
    g = Graph()
    root = resource_dir("ontology")
    for name in ("ggsr.ttl", "codelijsten.ttl", "imports/external.ttl", "imports/vertalingen.ttl"):
        path = root / name
        if path.is_file():
            g.parse(path, format="turtle")
    return g


def _nl(g: Graph, node, *props) -> str | None:
    for p in props:
        for lit in sorted(g.objects(node, p)):
            if isinstance(lit, Literal) and lit.language == "nl":
                return str(lit)
    return None


def _class_items(g: Graph, roots, left_out) -> tuple[list, list]:
    skip: set[URIRef] = set()
    for root in left_out:
        skip |= set(g.transitive_subjects(RDFS.subClassOf, root))
    items: list[tuple[str, URIRef]] = []
    aliases: list[tuple[str, URIRef]] = []
    seen: set[URIRef] = set()
    historical: set[URIRef] = set()
    for root in roots:
        for cls in g.transitive_subjects(RDFS.subClassOf, root):
            if not isinstance(cls, URIRef) or cls in seen or cls in skip:
                continue
            seen.add(cls)
            label = _nl(g, cls, RDFS.label)
            if not label or (cls, OWL.deprecated, Literal(True)) in g:
                continue
            aliases.extend(
                (str(a), cls)
                for a in g.objects(cls, SKOS.altLabel)
                if isinstance(a, Literal) and a.language == "nl"
            )
            until = g.value(cls, GGSR.bestaatTot)
            if until is not None:  # a kind that ceased: offered after today's, marked
                historical.add(cls)
                aliases.append((label, cls))
                label = f"{label} (tot {str(until)[:4]})"
            items.append((label, cls))
    items.sort(key=lambda it: (it[1] in historical, norm(it[0])))
    return items, aliases


def _scheme_items(g: Graph, scheme: URIRef, ordered: bool) -> list[tuple[str, URIRef]]:
    members = []
    for c in g.subjects(SKOS.inScheme, scheme):
        label = _nl(g, c, SKOS.prefLabel, RDFS.label)
        if label and (c, OWL.deprecated, Literal(True)) not in g:
            notation = g.value(c, SKOS.notation)
            members.append((str(notation) if notation is not None else "", label, c))
    members.sort(key=lambda m: (m[0], norm(m[1])) if ordered else norm(m[1]))
    return [(label, c) for _, label, c in members]


@cache
def value_lists() -> dict[str, ValueList]:
    """Every controlled list of the workbook, labels taken from the ontology."""
    g = ontology()
    out: dict[str, ValueList] = {}
    for name, (how, roots, left_out) in LIST_SOURCES.items():
        if how == "classes":
            items, aliases = _class_items(g, roots, left_out)
        else:
            items, aliases = _scheme_items(g, roots[0], name in _ORDERED), []
            aliases = [
                (str(a), c)
                for _, c in items
                for a in g.objects(c, SKOS.altLabel)
                if isinstance(a, Literal) and a.language == "nl"
            ]
        out[name] = ValueList(name, tuple(items), tuple(aliases))
    # Two lists of our own (relations and booleans, not terms): markers, never written as RDF.
    out["Netwerkrol"] = ValueList(
        "Netwerkrol", tuple((r, URIRef(ID + "netwerkrol-" + slug(r))) for r in NETWORK_ROLES)
    )
    out["Ja/nee"] = ValueList("Ja/nee", tuple((w, URIRef(ID + "janee-" + w)) for w in YES_NO))
    return out


def domain_of(prop: URIRef) -> set[URIRef]:
    """The ontology's rdfs:domain of ``prop`` (empty when it has none)."""
    return set(ontology().objects(prop, RDFS.domain))


def is_a(cls: URIRef, roots) -> bool:
    """``cls`` is one of ``roots`` or a subclass of one (by the ontology)."""
    supers = set(ontology().transitive_objects(cls, RDFS.subClassOf))
    return any(r in supers for r in roots)


# ---- names, slugs ----------------------------------------------------------------------------------


def norm(text: str) -> str:
    """Comparison form of a name: case-folded, accents kept, runs of white space as one space."""
    return " ".join(str(text).split()).casefold()


def local_name(iri: str) -> str:
    return re.split(r"[#/]", str(iri))[-1]


def slug(text: str, maximum: int = 60) -> str:
    """Lower-case ASCII with hyphens: 'Gezinscoördinator (CJG)' → 'gezinscoordinator-cjg'."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(s) > maximum:
        s = s[:maximum].rstrip("-")
    return s or "x"


# Dutch names of the first version, kept for code of other branches that reads the table
# (tests/test_attacks.py on branch hardening): the same objects under their old names.
BLADEN = SHEETS
BLAD = SHEET
