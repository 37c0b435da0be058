"""Synthetic national data in our ontology, for scale tests and benchmarks.

Deterministic for a seed. Every municipality of the shipped open-data snapshot (342 current; above
342 the list repeats with a suffix) gets an approach with a 2013 and a 2014 state, 15–40 partners,
a coordinating role with authorities, an escalation model, agreements, documents, target-group
definitions, statements and STJ-like verdicts — built from the same patterns as the hand-made data
(docs/modelling.md), so shapes and queries cannot tell them apart.

Each state draws a few deliberate *gaps* (a fact removed or weakened, sometimes a negative statement
added) and *unknowns* (a topic left without any data). The generator knows which indicator each gap
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
OW = "https://w3id.org/ggsr/def/onderwerp/"
NV = "https://w3id.org/ggsr/def/niveau/"
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

# Indicators judged from "is this topic laid down?" and their topic in the code list.
TOPIC_INDICATORS = {
    "2.1.1": "eigen-kracht",
    "2.2.1": "sociaal-netwerk",
    "2.3.1": "behoefte-gezin",
    "3.1.1": "beleid",
    "3.1.2": "visie",
    "3.1.3": "doelen",
    "3.1.4": "resultaten",
    "3.3.1": "gezinsplan",
    "3.3.2": "alle-leefgebieden",
    "3.4.1": "outreachend",
    "3.4.2": "niet-loslaten",
    "4.3.1": "informatiedeling",
    "5.1.1": "duur-zorg",
    "5.2.1": "beschikbaarheid-zorg",
    "5.3.1": "vervolg",
}
# Gaps that touch the coordinating role interact; at most one of them per state.
ROLE_GAPS = ["3.2.1", "3.2.2", "3.2.3", "4.2.3"]
OTHER_GAPS = [
    "1.1.1",
    "1.1.2",
    "1.2.1",
    "1.2.2",
    "3.1.5",
    "3.1.6",
    "3.1.7",
    "4.1.1",
    "4.1.2",
    "4.2.1",
    "4.2.2",
    *TOPIC_INDICATORS,
]
GAP_EFFECTS = {  # a gap on the key may change more than its own indicator
    "3.2.1": {"3.2.1": "verbeterpunt", "3.2.2": "verbeterpunt", "3.2.3": "onbekend"},
    "4.2.3": {"4.2.3": "verbeterpunt", "3.2.2": "verbeterpunt"},
}
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
    b.add(stj, RDF_TYPE, ox.NamedNode(str(ORG) + "FormalOrganization"))
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
        free_topics = [c for c in TOPIC_INDICATORS if c not in gaps]
        unknown = set(rng.sample(free_topics, rng.choice([0, 0, 1, 2])))
        net = b.node(f"{slug}-aanpak-{year}")
        expected = _state(b, rng, slug, year, net, aanpak, gem, orgs, gaps, unknown)
        for c, status in expected.items():
            result.expected[(net.value, c)] = status
        _verdicts(b, slug, year, net, expected, stj_2013)


def _state(b, rng, slug, year, net, aanpak, gem, orgs, gaps, unknown) -> dict[str, str]:
    """Write one network state; return the status every indicator should get."""
    expected = {c: "voldoet" for c in ALL_INDICATORS}
    for g in gaps:
        expected.update(GAP_EFFECTS.get(g, {g: "verbeterpunt"}))
    for u in unknown:
        expected[u] = "onbekend"
    s = f"{slug}-{year}"
    b.typed(net, "Netwerk", f"Gezinsaanpak {year}")
    b.add(net, _p("aanpak"), aanpak)
    b.add(net, _p("peiljaar"), _int(year))
    b.prov(net, f"netwerk {year}")
    members = [(o, k) for o, k in orgs if not ("4.2.1" in gaps and k in INCOME_KINDS)]
    for o, _ in members:
        b.add(net, ox.NamedNode(str(ORG) + "hasMember"), o)
    cjg = members[0][0]

    # 1.1.1 target-group definitions
    parties = [gem] + [o for o, _ in members[:3]]
    definitions = [parties] if "1.1.1" not in gaps else [parties[:2], parties[2:]]
    for i, users in enumerate(definitions):
        d = b.node(f"{s}-doelgroep-{i}")
        b.typed(d, "Doelgroepomschrijving")
        b.add(
            d,
            _p("tekst"),
            ox.Literal("gezinnen met problemen op ten minste vier leefgebieden", language="nl"),
        )
        for u in users:
            b.add(d, _p("gehanteerdDoor"), u)
        b.add(net, _p("doelgroepomschrijving"), d)
        b.prov(d, "doelgroep")
    # 1.1.2 population
    if "1.1.2" in gaps:
        _statement(b, s, net, gem, "populatiebeeld", False)
    else:
        b.add(net, _p("geschatAantalGezinnen"), _int(rng.randint(40, 1500)))
    # 1.2.1 registration point
    mdt = b.node(f"{s}-mdt")
    b.typed(mdt, "Overleg", "multidisciplinair team")
    b.add(mdt, ox.NamedNode(str(ORG) + "hasMember"), gem)
    if "1.2.1" in gaps:
        _statement(b, s, net, gem, "aanmelding", False)
    else:
        b.add(net, _p("meldpunt"), mdt)
    # 1.2.2 referrers
    referrers = [
        o for o, k in members if k in {"Politie", "Onderwijsinstelling", "MaatschappelijkWerk"}
    ]
    for o in referrers[:1] if "1.2.2" in gaps else referrers:
        b.add(o, _p("meldtAan"), net)

    # documents: one policy plan lays down the topics that are not gapped or unknown
    plan = b.node(f"{s}-beleidsplan")
    b.typed(plan, "Beleidsplan", f"Beleidsplan jeugd {year}")
    b.add(plan, DCT_TITLE, ox.Literal(f"Beleidsplan jeugd {year}", language="nl"))
    b.add(plan, DCT_CREATOR, gem)
    b.add(net, _p("document"), plan)
    b.prov(plan, "beleidsplan")
    for code, topic in TOPIC_INDICATORS.items():
        if code in unknown:
            continue
        if code in gaps:
            _statement(b, s, net, members[1][0], topic, False)
        else:
            b.add(plan, _p("regelt"), ox.NamedNode(OW + topic))
    if "3.1.7" in gaps:
        _statement(b, s, net, gem, "bijstelling", False)
    else:
        b.add(plan, _p("regelt"), ox.NamedNode(OW + "bijstelling"))
    # 3.1.5 / 3.1.6 evaluation by municipality and partners
    ev = b.node(f"{s}-evaluatie")
    b.typed(ev, "Evaluatie", f"Jaarevaluatie {year}")
    b.add(net, _p("document"), ev)
    b.prov(ev, "evaluatie")
    if "3.1.6" not in gaps:
        b.add(ev, DCT_CREATOR, gem)
    if "3.1.5" not in gaps:
        b.add(ev, DCT_CREATOR, members[2][0])
    if "3.1.5" in gaps and "3.1.6" in gaps:
        b.add(ev, DCT_CREATOR, b.node(f"{s}-extern-bureau"))
    # 4.2.2 / 4.3.1 agreements
    conv = b.node(f"{s}-convenant")
    b.typed(conv, "Convenant", f"Samenwerkingsconvenant {year}")
    b.add(conv, _p("regelt"), ox.NamedNode(OW + "samenwerking"))
    if "4.2.2" not in gaps:
        b.add(conv, _p("betreftAanpak"), aanpak)
    for o, _ in members[:6]:
        b.add(conv, _p("partij"), o)
    b.add(net, _p("document"), conv)
    b.prov(conv, "convenant")
    # 4.1.1 direction
    if "4.1.1" in gaps:
        b.add(net, _p("regievoerder"), cjg)
        _statement(b, s, net, gem, "regie-gemeente", False)
    else:
        b.add(net, _p("regievoerder"), gem)
    b.add(gem, _p("financiert"), cjg)

    # the coordinating role and its authorities
    if "3.2.1" in gaps:
        role = b.node(f"{s}-hulpverlener")
        b.typed(role, "Uitvoerendefunctie", "hulpverlener")
    else:
        kind = rng.choice(REGISSEUR_KINDS)
        role = b.node(f"{s}-regisseur")
        b.typed(role, kind, kind.lower())
        if "3.2.3" in gaps:
            _statement(b, s, net, gem, "toerusting-regisseur", False)
        else:
            b.add(
                role,
                _p("profiel"),
                ox.Literal("hbo-opleiding en training gezinsgericht werken", language="nl"),
            )
    b.add(role, ox.NamedNode(str(ORG) + "postIn"), net)
    b.add(role, ox.NamedNode(str(ORG) + "heldBy"), cjg)
    b.prov(role, "functie")
    weak = "3.2.2" in gaps or "4.2.3" in gaps
    dzm = b.node(f"{s}-bevoegdheid-besluit")
    b.typed(
        dzm,
        "Aanspreekbevoegdheid" if weak else "Doorzettingsmacht",
        "besluiten over de inzet van partners",
    )
    b.add(role, _p("bevoegdheid"), dzm)
    b.add(dzm, _p("bindt" if not weak else "geldtTegenover"), net)
    b.add(dzm, _p("vastgelegdIn"), conv)
    b.prov(dzm, "bevoegdheid")
    if "4.2.3" not in gaps:
        miz = b.node(f"{s}-bevoegdheid-zorg")
        b.typed(miz, "MandaatInzetZorg", "zorg inzetten")
        b.add(role, _p("bevoegdheid"), miz)
        b.add(miz, _p("vastgelegdIn"), conv)
        b.prov(miz, "bevoegdheid")

    # 4.1.2 escalation
    if "4.1.2" in gaps:
        _statement(b, s, net, gem, "opschaling", True)
    else:
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
    return expected


def _statement(b: _Builder, s: str, net, party, topic: str, affirms: bool) -> None:
    v = b.node(f"{s}-verklaring-{topic}")
    b.typed(v, "Verklaring")
    b.add(v, _p("netwerk"), net)
    b.add(v, _p("onderwerp"), ox.NamedNode(OW + topic))
    b.add(v, _p("bevestigt"), _bool(affirms))
    b.add(v, _p("verklaardDoor"), party)
    b.prov(v, "verklaring")


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
