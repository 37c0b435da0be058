"""Synthetic national data in our ontology, for scale tests and benchmarks.

Deterministic for a seed. Every municipality of the shipped open-data snapshot (342 current; above
342 the list repeats with a suffix) gets an approach with a 2013 and a 2014 state, 15–40 partners,
a coordinating role with authorities, an escalation model, documents with a status and their
provisions, practices, statements, findings, target-group definitions and STJ-like verdicts —
built from the same patterns as the hand-made data (docs/modelling.md), so shapes and queries
cannot tell them apart.

Each state draws a few deliberate *gaps* (a positive fact replaced by a negative one: an absence
in a statement or finding, a weaker authority, a closure rule that lets go; for some, a draft
document beside it that must not count) and *unknowns* (an indicator left without any fact).
The generator knows which indicator each gap
turns into a verbeterpunt and each unknown into onbekend, and returns that as ground truth — never
written into the graph — so tests can check the validator finds exactly those.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .namespaces import BRON, GGSR, ID, KADER, ORG, PROV

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DCT_TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
DCT_CREATOR = ox.NamedNode("http://purl.org/dc/terms/creator")
XSD = "http://www.w3.org/2001/XMLSchema#"
LG = "https://w3id.org/ggsr/def/leefgebied/"
NV = "https://w3id.org/ggsr/def/niveau/"
DS = "https://w3id.org/ggsr/def/documentstatus/"
BG = "https://w3id.org/ggsr/def/beginsel/"
AG = "https://w3id.org/ggsr/def/afsluitgrond/"
GV = "https://w3id.org/ggsr/def/gevolg/"
SOURCE = ox.NamedNode(str(BRON) + "synthetisch")

# Partner kinds and the leefgebieden they serve (via the ontology's hasValue restrictions).
CORE_PARTNERS = [
    ("CentrumJeugdEnGezin", "CJG"),
    ("BureauJeugdzorg", "Bureau Jeugdzorg"),
    ("GGD", "GGD"),
    ("MaatschappelijkWerk", "Maatschappelijk werk"),
    ("Politie", "Politie"),
    ("Onderwijsinstelling", "Samenwerkingsverband onderwijs"),
    ("Woningcorporatie", "Woningcorporatie"),
    ("WerkEnInkomen", "Sociale dienst werk en inkomen"),
]
OTHER_PARTNERS = [
    ("MEE", "MEE"),
    ("GGZ", "GGZ-instelling"),
    ("Welzijnsorganisatie", "Welzijnsorganisatie"),
    ("Jeugdgezondheidszorg", "JGZ"),
    ("Leerplicht", "Leerplicht"),
    ("Kinderopvang", "Kinderopvang"),
    ("Verslavingszorg", "Verslavingszorg"),
    ("Jeugdzorgaanbieder", "Jeugdzorgaanbieder"),
    ("Eerstelijnszorg", "Huisartsen"),
    ("ZorgAdviesTeam", "ZAT"),
    ("Veiligheidshuis", "Veiligheidshuis"),
    ("RaadVoorDeKinderbescherming", "Raad voor de Kinderbescherming"),
    ("SteunpuntHuiselijkGeweld", "Steunpunt huiselijk geweld"),
    ("MaatschappelijkeOpvang", "Maatschappelijke opvang"),
    ("OpenbaarMinisterie", "Openbaar Ministerie"),
]
INCOME_KINDS = {"WerkEnInkomen", "Schuldhulpverlening"}
REGISSEUR_KINDS = [
    "Gezinscoordinator",
    "Casemanager",
    "Procesregisseur",
    "Gezinsmanager",
    "Zorgcoordinator",
]

# Indicators whose deciding fact is one principle of the approach (ggsr:Uitgangspunt).
PRINCIPLE_INDICATORS = {
    "2.1.1": "eigen-kracht",
    "2.2.1": "sociaal-netwerk",
    "2.3.1": "regie-bij-gezin",
    "3.3.1": "een-gezin-een-plan",
    "3.3.2": "systeemgericht",
    "3.4.1": "outreachend",
}
# Indicators whose facts stand alone: they may be left without any fact (onbekend).
MAY_BE_UNKNOWN = [
    *PRINCIPLE_INDICATORS,
    "3.1.1",
    "3.1.2",
    "3.1.3",
    "3.1.4",
    "4.3.1",
    "5.2.1",
    "5.3.1",
]
# Gaps that touch the coordinating role interact; at most one of them per state.
ROLE_GAPS = ["3.2.1", "3.2.2", "3.2.3", "4.2.3"]
OTHER_GAPS = [
    "1.1.1",
    "1.1.2",
    "1.2.1",
    "1.2.2",
    "3.1.1",
    "3.1.2",
    "3.1.3",
    "3.1.4",
    "3.1.5",
    "3.1.6",
    "3.1.7",
    "3.4.2",
    "4.1.1",
    "4.1.2",
    "4.2.1",
    "4.2.2",
    "4.3.1",
    "5.1.1",
    "5.2.1",
    "5.3.1",
    *PRINCIPLE_INDICATORS,
]
GAP_EFFECTS = {  # a gap on the key may change more than its own indicator
    # decisive authority held by a role that is no coordinator: the coordinator lacks it
    "3.2.1": {"3.2.1": "verbeterpunt", "3.2.2": "verbeterpunt", "3.2.3": "onbekend"},
    "4.2.3": {"4.2.3": "verbeterpunt", "3.2.2": "verbeterpunt"},
}
# Gaps whose positive provision is also written into a draft document, which must not count.
DRAFTED = {"3.1.1", "4.2.2", "4.3.1", "5.2.1", *PRINCIPLE_INDICATORS}
ALL_INDICATORS = sorted({*ROLE_GAPS, *OTHER_GAPS}, key=lambda c: [int(x) for x in c.split(".")])


def synth_graph(local: str) -> ox.NamedNode:
    """Named graph of one synthetic municipality (or of the shared source description)."""
    return ox.NamedNode(f"{ID}graaf/{local}")


@dataclass
class SynthResult:
    quads: list[ox.Quad]
    expected: dict[tuple[str, str], str] = field(
        default_factory=dict
    )  # (network IRI, code) → status
    municipalities: list[str] = field(default_factory=list)

    def write(self, path: Path, name: Path | None = None) -> None:
        """Write to ``path``; the format follows the suffix of ``name`` (default ``path``).

        N-Quads and TriG keep one named graph per municipality (as a file per municipality
        would), which lets one municipality be re-validated on its own partition; N-Triples and
        Turtle flatten everything into one graph."""
        suffix = (name or path).suffix
        if suffix in (".nq", ".trig"):
            fmt = ox.RdfFormat.N_QUADS if suffix == ".nq" else ox.RdfFormat.TRIG
            with path.open("wb") as out:
                ox.serialize(self.quads, out, format=fmt)
            return
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in self.quads)
        with path.open("wb") as out:
            if suffix == ".nt":
                # no prefixes: pyoxigraph would otherwise write Turtle into a .nt file
                ox.serialize(triples, out, format=ox.RdfFormat.N_TRIPLES)
            else:
                prefixes = {"ggsr": str(GGSR), "id": str(ID), "org": str(ORG), "prov": str(PROV)}
                ox.serialize(triples, out, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


class _Builder:
    def __init__(self) -> None:
        self.quads: list[ox.Quad] = []
        self.graph: ox.NamedNode = synth_graph("bronnen")

    def add(self, s, p, o) -> None:
        self.quads.append(ox.Quad(s, p, o, self.graph))

    def node(self, local: str) -> ox.NamedNode:
        return ox.NamedNode(str(ID) + local)

    def typed(self, node, cls: str, label: str | None = None) -> None:
        self.add(node, RDF_TYPE, ox.NamedNode(str(GGSR) + cls))
        if label:
            self.add(node, LABEL, ox.Literal(label, language="nl"))

    def prov(self, node, place: str) -> None:
        d = ox.BlankNode()
        self.add(node, ox.NamedNode(str(PROV) + "qualifiedDerivation"), d)
        self.add(d, RDF_TYPE, ox.NamedNode(str(PROV) + "Derivation"))
        self.add(d, ox.NamedNode(str(PROV) + "entity"), SOURCE)
        self.add(d, ox.NamedNode(str(GGSR) + "plaats"), ox.Literal(place))


def _p(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(GGSR) + local)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))


def _bool(b: bool) -> ox.Literal:
    return ox.Literal("true" if b else "false", datatype=ox.NamedNode(XSD + "boolean"))


def municipality_list(n: int) -> list[tuple[str, str]]:
    """(CBS code, name) of n municipalities: the 342 current ones, repeated with a suffix beyond."""
    from .opendata import gemeenten

    current = [(g.cbs_code, g.naam) for g in gemeenten(current_only=True)]
    out = []
    for i in range(n):
        code, name = current[i % len(current)]
        rep = i // len(current)
        out.append((code, name) if rep == 0 else (f"{code}-{rep + 1}", f"{name} ({rep + 1})"))
    return out


def generate(n: int, seed: int = 1) -> SynthResult:
    rng = random.Random(seed)
    b = _Builder()
    result = SynthResult(quads=b.quads)
    b.typed(SOURCE, "Bron", "synthetische gegevens")
    b.add(SOURCE, _p("bestandsnaam"), ox.Literal("synthetisch"))
    # STJ, to whom every verdict is attributed, is described once in the shared graph (as in
    # data/bronnen.ttl), not in each municipality's
    stj = b.node("stj")
    b.add(stj, RDF_TYPE, ox.NamedNode(str(GGSR) + "Inspectie"))
    b.add(stj, LABEL, ox.Literal("Samenwerkend Toezicht Jeugd (STJ)", language="nl"))
    for code, name in municipality_list(n):
        slug = "synth-" + code.lower()
        result.municipalities.append(name)
        _municipality(b, rng, slug, code, name, result)
    return result


def _municipality(b: _Builder, rng: random.Random, slug: str, code: str, name: str, result) -> None:
    b.graph = synth_graph(slug)
    gem = b.node(f"gemeente-{slug}")
    b.typed(gem, "Gemeente", name)
    b.add(gem, _p("cbsCode"), ox.Literal(code[:6]))
    aanpak = b.node(f"{slug}-aanpak")
    b.typed(aanpak, "Aanpak", f"Gezinsaanpak {name}")
    b.add(aanpak, _p("gemeente"), gem)

    partners = [(k, f"{lbl} {name}") for k, lbl in CORE_PARTNERS]
    extra = rng.randint(15, 40) - len(partners)
    for i in range(extra):
        kind, lbl = OTHER_PARTNERS[i % len(OTHER_PARTNERS)]
        partners.append((kind, f"{lbl} {name} {i // len(OTHER_PARTNERS) + 1}"))
    orgs = []
    for i, (kind, lbl) in enumerate(partners):
        org = b.node(f"{slug}-org-{i}")
        b.typed(org, kind, lbl)
        orgs.append((org, kind))

    stj_2013: dict[str, str] = {}
    for year in (2013, 2014):
        gaps = set(rng.sample(OTHER_GAPS, rng.choice([0, 1, 2, 3, 4])))
        if rng.random() < 0.4:
            gaps.add(rng.choice(ROLE_GAPS))
        free = [c for c in MAY_BE_UNKNOWN if c not in gaps]
        unknown = set(rng.sample(free, rng.choice([0, 0, 1, 2])))
        net = b.node(f"{slug}-aanpak-{year}")
        expected = _state(b, rng, slug, year, net, aanpak, gem, orgs, gaps, unknown)
        for c, status in expected.items():
            result.expected[(net.value, c)] = status
        _verdicts(b, slug, year, net, expected, stj_2013)


def _state(b, rng, slug, year, net, aanpak, gem, orgs, gaps, unknown) -> dict[str, str]:
    """Write one network state; return the status every indicator should get.

    Every positive fact rests on evidence of some kind (a document that counts, a practice, a
    statement); every gap is a negative fact (an absence in a statement or finding, a weaker
    authority, a closure rule that lets go …), sometimes beside a draft document that would have
    decided the other way if it counted."""
    expected = {c: "voldoet" for c in ALL_INDICATORS}
    for g in gaps:
        expected.update(GAP_EFFECTS.get(g, {g: "verbeterpunt"}))
    for u in unknown:
        expected[u] = "onbekend"
    s = f"{slug}-{year}"
    w = _Writer(b, s, net)
    b.typed(net, "Netwerk", f"Gezinsaanpak {year}")
    b.add(net, _p("aanpak"), aanpak)
    b.add(net, _p("peiljaar"), _int(year))
    b.prov(net, f"netwerk {year}")
    members = [(o, k) for o, k in orgs if not ("4.2.1" in gaps and k in INCOME_KINDS)]
    for o, _ in members:
        b.add(net, ox.NamedNode(str(ORG) + "hasMember"), o)
    cjg, partner = members[0][0], members[2][0]

    plan = w.document("beleidsplan", "Beleidsplan", f"Beleidsplan jeugd {year}", "vastgesteld")
    b.add(plan, DCT_CREATOR, gem)
    conv = w.document("convenant", "Convenant", f"Samenwerkingsconvenant {year}", "ondertekend")
    for o, _ in members[:6]:
        b.add(conv, _p("ondertekendDoor"), o)
    draft = w.document("concept", "Beleidsdocument", f"Conceptnota aanpak {year}", "concept")
    b.add(draft, DCT_CREATOR, gem)
    finding = w.claim("bevinding", "Bevinding", b.node("stj"), "toezichthouder")
    said_gem = w.claim("verklaring-gemeente", "Verklaring", gem, "verklaardDoor")
    said_partner = w.claim("verklaring-partner", "Verklaring", partner, "verklaardDoor")

    def provide(code: str, kind: str, evidence, **props) -> None:
        """The positive fact of ``code`` (or its draft twin in a gap, or nothing if unknown)."""
        if code in unknown:
            return
        if code in gaps:
            if code in DRAFTED:
                w.fact(f"{code}-concept", kind, draft, **props)
            return
        w.fact(code, kind, evidence, **props)

    def lack(code: str, kind: str, evidence, **props) -> None:
        if code in gaps:
            w.fact(f"{code}-ontbreekt", "Afwezigheid", evidence, soort=_p(kind), **props)

    # Toeleiding
    parties = [gem] + [o for o, _ in members[:3]]
    for i, users in enumerate([parties] if "1.1.1" not in gaps else [parties[:2], parties[2:]]):
        d = w.fact(f"doelgroep-{i}", "Doelgroepomschrijving", said_gem, gehanteerdDoor=users)
        b.add(net, _p("doelgroepomschrijving"), d)
    provide("1.1.2", "Populatiebeeld", plan, geschatAantalGezinnen=_int(rng.randint(40, 1500)))
    lack("1.1.2", "Populatiebeeld", said_gem)
    mdt = b.node(f"{s}-mdt")
    b.typed(mdt, "Overleg", "multidisciplinair team")
    b.add(mdt, ox.NamedNode(str(ORG) + "hasMember"), gem)
    referrers = [
        o for o, k in members if k in {"Politie", "Onderwijsinstelling", "MaatschappelijkWerk"}
    ]
    route = {"aanmelder": referrers[:1] if "1.2.2" in gaps else referrers}
    if "1.2.1" not in gaps:
        route["meldpunt"] = mdt
    w.fact("aanmeldroute", "Aanmeldroute", None, **route)
    lack("1.2.1", "Aanmeldroute", finding)

    # Gezin centraal, and the principles of Aanpak
    for code, principle in PRINCIPLE_INDICATORS.items():
        props = {"beginsel": ox.NamedNode(BG + principle)}
        provide(code, "Uitgangspunt", plan, **props)
        lack(code, "Uitgangspunt", finding, **props)

    # Aanpak: planmatig
    provide("3.1.1", "Doelgroepbeleid", plan)
    lack("3.1.1", "Doelgroepbeleid", said_gem)
    if "3.1.2" not in unknown:
        endorsers = [gem] if "3.1.2" in gaps else [gem, partner]
        w.fact("visie", "Visie", plan, onderschrevenDoor=endorsers, betreftAanpak=aanpak)
    provide("3.1.3", "Doelstelling", conv, geformuleerdDoor=[gem, partner], betreftAanpak=aanpak)
    lack("3.1.3", "Doelstelling", finding)
    provide("3.1.4", "Resultaatmeting", None, uitgevoerdDoor=partner)
    lack("3.1.4", "Resultaatmeting", finding)
    evaluators = [o for c, o in (("3.1.6", gem), ("3.1.5", partner)) if c not in gaps]
    evaluation = {"uitgevoerdDoor": evaluators or [b.node(f"{s}-extern-bureau")]}
    if "3.1.7" not in gaps:
        evaluation["gevolg"] = ox.NamedNode(GV + "bijgesteld")
    w.fact("evaluatie", "Evaluatiemoment", None, **evaluation)
    lack("3.1.7", "Evaluatieafspraak", finding)

    # Aanpak: the coordinating role and its authorities
    if "3.2.1" in gaps:
        role = w.fact("hulpverlener", "Uitvoerendefunctie", None, label="hulpverlener")
        lack("3.2.1", "Regisseursfunctie", finding)
    else:
        kind = rng.choice(REGISSEUR_KINDS)
        role = w.fact("regisseur", kind, None, label=kind.lower())
        provide("3.2.3", "Toerustingseis", plan, voorFunctie=role, profiel=_nl("hbo en training"))
        lack("3.2.3", "Toerustingseis", said_gem)
    b.add(role, ox.NamedNode(str(ORG) + "postIn"), net)
    b.add(role, ox.NamedNode(str(ORG) + "heldBy"), cjg)
    weak = "3.2.2" in gaps or "4.2.3" in gaps
    authority = w.fact(
        "bevoegdheid-besluit",
        "Aanspreekbevoegdheid" if weak else "Doorzettingsmacht",
        conv,
        **({"geldtTegenover": net} if weak else {"bindt": net}),
    )
    b.add(role, _p("bevoegdheid"), authority)
    if "4.2.3" in gaps:
        lack("4.2.3", "MandaatInzetZorg", said_partner)
    else:
        b.add(role, _p("bevoegdheid"), w.fact("bevoegdheid-zorg", "MandaatInzetZorg", conv))
    provide("3.4.2", "DrangEnDwang", plan, uitgevoerdDoor=cjg)
    if "3.4.2" in gaps:
        grond = ox.NamedNode(AG + "gezin-werkt-niet-mee")
        w.fact("afsluiting-weigering", "Afsluitingsregel", said_gem, afsluitgrond=grond)

    # Samenwerking
    if "4.1.1" in gaps:
        w.fact("regie", "Regievoering", said_partner, regievoerder=cjg)
    else:
        w.fact("regie", "Regievoering", None, regievoerder=gem)
        b.add(gem, _p("financiert"), cjg)
    if "4.1.2" in gaps:
        lack("4.1.2", "Escalatiemodel", said_gem)
    else:
        _escalation(b, s, net, conv, gem, role, mdt, year)
    lack("4.2.1", "WerkEnInkomen", finding)
    agreement = {"bindt": [o for o, _ in members[:6]]}
    if "4.2.2" not in gaps:
        agreement["betreftAanpak"] = aanpak
    w.fact("samenwerking", "Samenwerkingsafspraak", conv, **agreement)
    if "4.2.2" in gaps:
        w.fact("4.2.2-concept", "Samenwerkingsafspraak", draft, betreftAanpak=aanpak)
    provide("4.3.1", "Informatiedelingsafspraak", conv, bindt=[o for o, _ in members[:6]])
    lack("4.3.1", "Informatiedelingsafspraak", finding)

    # Continu
    if "5.1.1" in gaps:
        w.fact("afsluiting", "Afsluitingsregel", plan, maximaleDuur=ox.Literal("P1Y"))
    else:
        solved = ox.NamedNode(AG + "opgelost-of-beheersbaar")
        w.fact("afsluiting", "Afsluitingsregel", plan, afsluitgrond=solved)
    provide("5.2.1", "Beschikbaarheidsafspraak", conv)
    lack("5.2.1", "Beschikbaarheidsafspraak", said_partner)
    provide("5.3.1", "Nazorgafspraak", None, uitgevoerdDoor=partner)
    lack("5.3.1", "Nazorgafspraak", finding)
    return expected


class _Writer:
    """Facts of one network state, each with its evidence and provenance."""

    def __init__(self, b: _Builder, state: str, net) -> None:
        self.b, self.s, self.net = b, state, net
        self.documents: set = set()

    def document(self, local: str, cls: str, title: str, status: str):
        d = self.b.node(f"{self.s}-{local}")
        self.b.typed(d, cls, title)
        self.b.add(d, DCT_TITLE, ox.Literal(title, language="nl"))
        self.b.add(d, _p("status"), ox.NamedNode(DS + status))
        self.b.add(self.net, _p("document"), d)
        self.b.prov(d, local)
        self.documents.add(d)
        return d

    def claim(self, local: str, cls: str, who, prop: str):
        c = self.b.node(f"{self.s}-{local}")
        self.b.typed(c, cls)
        self.b.add(c, _p("netwerk"), self.net)
        self.b.add(c, _p(prop), who)
        self.b.add(c, _p("tekst"), ox.Literal(f"{cls.lower()} over het netwerk", language="nl"))
        self.b.prov(c, local)
        return c

    def fact(self, local: str, cls: str, evidence, label: str | None = None, **props):
        f = self.b.node(f"{self.s}-{local}")
        self.b.typed(f, cls, label)
        if cls not in FUNCTION_KINDS:
            self.b.add(f, _p("netwerk"), self.net)
        if evidence is not None:
            how = "vastgelegdIn" if evidence in self.documents else "blijktUit"
            self.b.add(f, _p(how), evidence)
        for prop, values in props.items():
            for v in values if isinstance(values, list) else [values]:
                self.b.add(f, _p(prop), v)
        self.b.prov(f, local)
        return f


FUNCTION_KINDS = {
    "Uitvoerendefunctie",
    "Aanspreekbevoegdheid",
    "Doorzettingsmacht",
    "MandaatInzetZorg",
    *REGISSEUR_KINDS,
}


def _nl(text: str) -> ox.Literal:
    return ox.Literal(text, language="nl")


def _escalation(b: _Builder, s, net, conv, gem, role, mdt, year) -> None:
    model = b.node(f"{s}-escalatie")
    b.typed(model, "Escalatiemodel", f"Escalatiepad {year}")
    b.add(model, _p("vastgelegdIn"), conv)
    b.add(net, _p("escalatiemodel"), model)
    b.prov(model, "escalatie")
    wethouder = b.node(f"{s}-wethouder")
    b.typed(wethouder, "Wethouder", "wethouder jeugd")
    b.add(wethouder, ox.NamedNode(str(ORG) + "postIn"), net)
    b.add(wethouder, ox.NamedNode(str(ORG) + "heldBy"), gem)
    b.prov(wethouder, "wethouder")
    steps = [(role, "uitvoering"), (mdt, "management"), (wethouder, "bestuurlijk")]
    previous = None
    for i, (actor, level) in enumerate(steps, start=1):
        step = b.node(f"{s}-stap-{i}")
        b.typed(step, "Escalatiestap", f"stap {i}")
        b.add(step, _p("volgnummer"), _int(i))
        b.add(step, _p("niveau"), ox.NamedNode(NV + level))
        b.add(step, _p("actor"), actor)
        b.add(model, _p("stap"), step)
        b.prov(step, "escalatie")
        if previous is not None:
            b.add(previous, _p("volgendeStap"), step)
        previous = step


def _verdicts(b: _Builder, slug, year, net, expected, stj_2013: dict[str, str]) -> None:
    """STJ-like verdicts: all judgeable indicators in 2013, the 2013 improvement points in 2014."""
    for code, status in expected.items():
        if status == "onbekend":
            continue
        if year == 2014 and stj_2013.get(code) != "verbeterpunt":
            continue
        if year == 2013:
            stj_2013[code] = status
        o = b.node(f"oordeel-{slug}-{year}-{code}")
        b.typed(o, "Oordeel")
        b.add(o, _p("indicator"), ox.NamedNode(f"{KADER}I{code}"))
        b.add(o, _p("netwerk"), net)
        b.add(o, _p("uitkomst"), ox.NamedNode(f"{KADER}{status}"))
        b.add(o, ox.NamedNode(str(PROV) + "wasAttributedTo"), b.node("stj"))
        b.prov(o, f"oordeel {code}")
