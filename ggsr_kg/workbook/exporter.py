"""Writing an existing network from the graph into the workbook (``ggsr-kg export``).

The exporter walks the same table as the importer (mapping.py) in the other direction: per sheet
it finds the nodes of the chosen networks, and per column it reads the property and writes the
value as the importer expects to read it (labels for controlled values, names for references).
Importing the result gives back the facts the workbook covers (docs/werkboek.md, "Wat het werkboek
bevat"); what it cannot hold is listed in the notes :func:`exporteer` returns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from ..errors import InputError
from ..namespaces import GGSR, ID, ORG
from .importer import cbs_gemeenten
from .mapping import (
    BLAD,
    BLADEN,
    NETWERK_WOORD,
    SCHEIDER,
    STANDAARDKLASSE,
    Blad,
    Kolom,
    lijsten,
    norm,
    slug,
)

Rij = dict[str, object]


def _samen(waarden: Iterable[str]) -> str:
    """The values of a multi-valued cell, as the importer splits them again."""
    return f"{SCHEIDER} ".join(waarden)


def _nl(g: Graph, node, prop=RDFS.label) -> str | None:
    waarden = [o for o in g.objects(node, prop) if isinstance(o, Literal)]
    for voorkeur in ("nl", None, ""):
        for o in sorted(waarden):
            if (o.language or None) == (voorkeur or None):
                return str(o)
    return str(sorted(waarden)[0]) if waarden else None


class _Export:
    def __init__(self, g: Graph, gemeente: URIRef, netwerken: list[URIRef]):
        self.g = g
        self.gemeente = gemeente
        self.netwerken = netwerken
        self.notities: list[str] = []
        code = g.value(gemeente, GGSR.cbsCode)
        uit_lijst = cbs_gemeenten().get(norm(str(code))) if code else None
        self.gemeente_naam = (
            _nl(g, gemeente)
            or (uit_lijst[1] if uit_lijst else "")
            or slug(str(gemeente).rsplit("gemeente-", 1)[-1])
        )
        # the municipality by its name, or as 'gemeente <naam>' when something else has that name
        # (province Utrecht is called 'Utrecht' too)
        self.gemeente_ref = self.gemeente_naam
        for s in g.subjects(RDFS.label, None):
            if s != gemeente and norm(_nl(g, s) or "") == norm(self.gemeente_naam):
                self.gemeente_ref = f"gemeente {self.gemeente_naam}"
                break
        self.functies: dict[URIRef, dict[URIRef, str]] = {
            net: {
                f: _nl(g, f) or ""
                for f in g.subjects(ORG.postIn, net)
                if isinstance(f, URIRef) and self._soort_uit(f, "Functiesoort") is not None
            }
            for net in netwerken
        }
        self.alle_functies = {f for fs in self.functies.values() for f in fs}
        self.aanpakken = {net: g.value(net, GGSR.aanpak) for net in netwerken}
        self.organisaties: list[URIRef] = []

    def notitie(self, tekst: str) -> None:
        if tekst not in self.notities:
            self.notities.append(tekst)

    # -- values --

    def _soorten_uit(self, node, lijst: str) -> list[URIRef]:
        """The node's most specific classes from the list (not a superclass of another)."""
        from .mapping import ontologie

        items = {iri for _, iri in lijsten()[lijst].items}
        typen = [t for t in self.g.objects(node, RDF.type) if t in items]
        o = ontologie()
        return sorted(
            t
            for t in typen
            if not any(t != u and t in set(o.transitive_objects(u, RDFS.subClassOf)) for u in typen)
        )

    def _soort_uit(self, node, lijst: str) -> URIRef | None:
        items = {iri for _, iri in lijsten()[lijst].items}
        typen = [t for t in self.g.objects(node, RDF.type) if t in items]
        if not typen:
            return None
        # the most specific: not a superclass of another of the node's types
        from .mapping import ontologie

        o = ontologie()
        specifiek = [
            t
            for t in typen
            if not any(t != u and t in set(o.transitive_objects(u, RDFS.subClassOf)) for u in typen)
        ]
        if len(specifiek) > 1:
            self.notitie(
                f"{_kort(node)} heeft meer soorten ({', '.join(_kort(t) for t in specifiek)}); "
                "alleen de eerste staat in het werkboek"
            )
        return sorted(specifiek)[0]

    def naam(self, node, net: URIRef | None) -> str | None:
        """The name the importer resolves back to ``node`` (in the row of network ``net``)."""
        if node == net:
            return NETWERK_WOORD
        if node == self.gemeente:
            return self.gemeente_ref
        if net is not None and node in self.functies.get(net, {}):
            return self.functies[net][node]
        if node in self.netwerken:
            a = self.aanpakken[node]
            return f"{NETWERK_WOORD} {_nl(self.g, a)} {int(self.g.value(node, GGSR.peiljaar))}"
        if net is not None and node in self.alle_functies:
            label = next(fs[node] for fs in self.functies.values() if node in fs)
            zelfde = {
                f
                for fs in self.functies.values()
                for f, lab in fs.items()
                if norm(lab) == norm(label)
            }
            if zelfde == {node}:
                return label
        if node in self.alle_functies:
            self.notitie(
                f"{_kort(node)} (een ander netwerk of een functie daarvan) kan op deze plaats niet "
                "in het werkboek; die verwijzing ontbreekt"
            )
            return None
        label = _nl(self.g, node)
        if label is None:
            self.notitie(f"{_kort(node)} heeft geen naam (rdfs:label); die verwijzing ontbreekt")
            return None
        if node not in self.organisaties:
            self.organisaties.append(node)
        return label

    def waarden(self, node, k: Kolom) -> list:
        if k.omgekeerd:
            return sorted(self.g.subjects(k.eigenschap, node))
        uit = sorted(self.g.objects(node, k.eigenschap))
        if not uit and k.eigenschap == DCTERMS.title:  # a document known by its label only
            uit = sorted(self.g.objects(node, RDFS.label))
        if k.soort == "tekst" and k.taal:
            nl = [o for o in uit if isinstance(o, Literal) and o.language == k.taal]
            uit = nl or uit
        return uit

    def cel(self, node, k: Kolom, net: URIRef | None) -> object:
        if k.eigenschap == RDF.type:
            if k.meervoud:
                soorten = self._soorten_uit(node, k.lijst) or [STANDAARDKLASSE[k.lijst]]
                return _samen(lijsten()[k.lijst].label(s) for s in soorten)
            soort = self._soort_uit(node, k.lijst) or STANDAARDKLASSE.get(k.lijst)
            return lijsten()[k.lijst].label(soort) if soort is not None else None
        waarden = self.waarden(node, k)
        if not waarden:
            return None
        if not k.meervoud and len(waarden) > 1:
            self.notitie(
                f"{_kort(node)} heeft {len(waarden)} waarden voor {_kort(k.eigenschap)}; "
                f"kolom {k.kop} houdt er één (de eerste)"
            )
            waarden = waarden[:1]
        s = k.soort
        if s in {"tekst", "datum"}:
            return str(waarden[0])
        if s == "teksten":
            return "\n".join(str(w) for w in waarden)
        if s in {"geheel", "jaar"}:
            return int(waarden[0])
        if s == "janee":
            return "ja" if waarden[0].toPython() is True else "nee"
        if s in {"keuze", "keuzes"}:
            labels = []
            for w in waarden:
                label = lijsten()[k.lijst].label(w)
                if label is None:
                    self.notitie(f"{_kort(w)} staat niet in de lijst {k.lijst}; weggelaten")
                else:
                    labels.append(label)
            return _samen(labels) or None
        if s in {"naam", "namen"}:
            namen = [n for n in (self.naam(w, net) for w in waarden) if n]
            return _samen(dict.fromkeys(namen)) or None
        if s == "document":
            return _nl(self.g, waarden[0], DCTERMS.title) or _nl(self.g, waarden[0])
        if s == "functie":
            return _nl(self.g, waarden[0])
        if s == "aanpakken":
            namen = []
            for w in waarden:
                if w in self.aanpakken.values():
                    namen.append(_nl(self.g, w))
                else:
                    self.notitie(
                        f"{_kort(node)} betreft {_kort(w)}, buiten het werkboek; weggelaten"
                    )
            return _samen(n for n in namen if n) or None
        raise AssertionError(s)

    def rij(self, blad: Blad, node, net: URIRef | None, **onderwerpen) -> Rij:
        rij: Rij = {}
        knopen = {"knoop": node, "netwerk": net, **onderwerpen}
        for k in blad.kolommen:
            if k.eigenschap is None or knopen[k.onderwerp] is None:
                continue
            waarde = self.cel(knopen[k.onderwerp], k, net)
            if waarde is not None and waarde != "":
                rij[k.kop] = waarde
        if net is not None and blad.naam != "Aanpak":
            rij["Aanpak"] = _nl(self.g, self.aanpakken[net])
            rij["Jaar"] = int(self.g.value(net, GGSR.peiljaar))
        return rij

    # -- the sheets --

    def bladen(self) -> dict[str, list[Rij]]:
        g = self.g
        uit: dict[str, list[Rij]] = {b.naam: [] for b in BLADEN}
        for net in self.netwerken:
            aanpak = self.aanpakken[net]
            uit["Aanpak"].append(
                self.rij(BLAD["Aanpak"], net, net, gemeente=self.gemeente, aanpak=aanpak)
            )
            for f in sorted(self.functies[net], key=lambda f: (self.functies[net][f], str(f))):
                uit["Functies"].append(self.rij(BLAD["Functies"], f, net))
                for b in sorted(
                    set(g.objects(f, GGSR.bevoegdheid)) | set(g.subjects(GGSR.vanFunctie, f))
                ):
                    uit["Bevoegdheden"].append(self.rij(BLAD["Bevoegdheden"], b, net))
            for m in sorted(g.objects(net, GGSR.escalatiemodel)):
                stappen = sorted(
                    g.objects(m, GGSR.stap),
                    key=lambda s: (int(g.value(s, GGSR.volgnummer) or 0), str(s)),
                )
                if not stappen:  # a model without steps: one row with the model's columns only
                    uit["Escalatie"].append(self.rij(BLAD["Escalatie"], None, net, model=m))
                for s in stappen:
                    uit["Escalatie"].append(self.rij(BLAD["Escalatie"], s, net, model=m))
                self._volgende(m, stappen)
            for d in sorted(g.objects(net, GGSR.document)):
                uit["Documenten"].append(self.rij(BLAD["Documenten"], d, net))
            for d in sorted(g.objects(net, GGSR.doelgroepomschrijving)):
                uit["Doelgroep"].append(self.rij(BLAD["Doelgroep"], d, net))
            for v in sorted(g.subjects(GGSR.netwerk, net)):
                if (v, RDF.type, GGSR.Verklaring) in g:
                    uit["Verklaringen"].append(self.rij(BLAD["Verklaringen"], v, net))
        uit["Organisaties"] = self.organisaties_rijen()
        self.controleer_namen(uit)
        return uit

    def _volgende(self, model, stappen: list) -> None:
        verwacht = set(zip(stappen, stappen[1:], strict=False))
        echt = {(s, t) for s in stappen for t in self.g.objects(s, GGSR.volgendeStap)}
        if echt != verwacht:
            self.notitie(
                f"{_kort(model)}: ggsr:volgendeStap volgt niet de volgnummers; het werkboek legt de "
                "volgorde alleen met Stap nr vast"
            )

    def rollen(self, org, net) -> list[str]:
        g = self.g
        rollen = []
        if (net, GGSR.kernpartner, org) in g:
            rollen.append("kernpartner")
        elif (net, ORG.hasMember, org) in g:
            rollen.append("partner")
        if (org, GGSR.meldtAan, net) in g:
            rollen.append("meldt aan")
        return rollen

    def organisaties_rijen(self) -> list[Rij]:
        blad = BLAD["Organisaties"]
        for net in self.netwerken:  # partners and registering parties are organisations too
            for o in sorted(
                set(self.g.objects(net, ORG.hasMember))
                | set(self.g.objects(net, GGSR.kernpartner))
                | set(self.g.subjects(GGSR.meldtAan, net))
            ):
                if o != self.gemeente:
                    self.naam(o, net)
        gemeente_rol = any(self.rollen(self.gemeente, net) for net in self.netwerken) or any(
            self.cel(self.gemeente, k, None) for k in blad.kolommen[3:]
        )
        if gemeente_rol and self.gemeente not in self.organisaties:
            self.organisaties.insert(0, self.gemeente)
        rijen: list[Rij] = []
        klaar: set = set()
        while len(klaar) < len(self.organisaties):  # naming members etc. may add organisations
            for org in list(self.organisaties):
                if org in klaar:
                    continue
                klaar.add(org)
                met_rol = [net for net in self.netwerken if self.rollen(org, net)]
                for net in met_rol or [None]:
                    rij = self.rij(blad, org, net)
                    if org == self.gemeente:
                        rij["Naam"] = self.gemeente_naam
                    if net is None:
                        rij.pop("Aanpak", None)
                        rij.pop("Jaar", None)
                    else:
                        rij["Netwerkrol"] = _samen(self.rollen(org, net))
                    rijen.append(rij)
        return rijen

    def controleer_namen(self, uit: dict[str, list[Rij]]) -> None:
        per_naam: dict[str, set] = {}
        for org in self.organisaties:
            naam = self.gemeente_naam if org == self.gemeente else _nl(self.g, org)
            per_naam.setdefault(norm(naam or ""), set()).add(org)
        genoemd = [*per_naam, *(norm(lab) for fs in self.functies.values() for lab in fs.values())]
        genoemd += [norm(_nl(self.g, a) or "") for a in self.aanpakken.values()]
        for naam in genoemd:
            if SCHEIDER in naam or "\n" in naam:
                self.notitie(
                    f"de naam '{naam}' bevat een puntkomma of regeleinde; in het werkboek scheiden "
                    "die namen, dus opnieuw inlezen lukt pas als de naam anders is"
                )
        for naam, knopen in per_naam.items():
            if len(knopen) > 1:
                self.notitie(
                    f"{len(knopen)} organisaties heten '{naam}' ({', '.join(sorted(_kort(k) for k in knopen))}); "
                    "in het werkboek worden ze één"
                )
        for fs in self.functies.values():
            for f, label in fs.items():
                if norm(label) in per_naam:
                    self.notitie(f"functie {_kort(f)} heet als een organisatie ('{label}')")

    def niet_gedekt(self) -> list[str]:
        """Properties of the exported nodes the workbook has no column for."""
        gedekt = {k.eigenschap for b in BLADEN for k in b.alle_kolommen if k.eigenschap}
        gedekt |= {b.koppeling[0] for b in BLADEN if b.koppeling}
        gedekt |= {
            RDF.type,
            GGSR.aanpak,
            GGSR.gemeente,
            GGSR.escalatiemodel,
            GGSR.stap,
            GGSR.volgendeStap,
            GGSR.kernpartner,
            GGSR.meldtAan,
            GGSR.vanFunctie,
            PROV.qualifiedDerivation,
        }
        knopen = set(self.netwerken) | set(self.organisaties) | self.alle_functies
        knopen |= {
            o
            for net in self.netwerken
            for p in (GGSR.document, GGSR.doelgroepomschrijving, GGSR.escalatiemodel)
            for o in self.g.objects(net, p)
        }
        knopen |= {
            v
            for net in self.netwerken
            for v in self.g.subjects(GGSR.netwerk, net)
            if (v, RDF.type, GGSR.Verklaring) in self.g
        }
        knopen |= {b for f in self.alle_functies for b in self.g.objects(f, GGSR.bevoegdheid)}
        knopen |= {s for m in list(knopen) for s in self.g.objects(m, GGSR.stap)}
        teller: Counter = Counter()
        for k in knopen:
            for p in self.g.predicates(k, None):
                if p not in gedekt:
                    teller[p] += 1
        return [
            f"{_kort(p)} ×{n}" for p, n in sorted(teller.items(), key=lambda x: (-x[1], str(x[0])))
        ]


def _kort(iri) -> str:
    tekst = str(iri)
    for prefix, ns in (
        ("id:", ID),
        ("ggsr:", GGSR),
        ("org:", ORG),
        ("rdfs:", RDFS),
        ("dct:", DCTERMS),
        ("skos:", SKOS),
        ("prov:", PROV),
    ):
        if tekst.startswith(str(ns)):
            return prefix + tekst[len(str(ns)) :]
    return tekst


def zoek_gemeente(g: Graph, naam: str) -> URIRef:
    """The municipality called ``naam`` (label, official name, CBS code, IRI slug) with a network."""
    gewenst = norm(naam)
    met_netwerk = {
        gem for a in g.subjects(RDF.type, GGSR.Aanpak) for gem in g.objects(a, GGSR.gemeente)
    }
    kandidaten = set()
    lijst = cbs_gemeenten().get(gewenst)
    for gem in met_netwerk:
        namen = {
            norm(str(o))
            for p in (RDFS.label, GGSR.officieleNaam, GGSR.cbsCode)
            for o in g.objects(gem, p)
        }
        if (
            gewenst in namen
            or str(gem) == str(ID) + f"gemeente-{slug(naam)}"
            or (lijst and norm(lijst[0]) in namen)
        ):
            kandidaten.add(gem)
    if len(kandidaten) == 1:
        return kandidaten.pop()
    bekend = sorted(_nl(g, gem) or _kort(gem) for gem in met_netwerk)
    raise InputError(
        f"geen netwerk van gemeente '{naam}' in de gegevens / no network of municipality '{naam}'. "
        f"Bekend / known: {', '.join(bekend)}"
    )


def exporteer(
    g: Graph, gemeente: str, jaar: int | None = None
) -> tuple[dict[str, list[Rij]], list[str]]:
    """The workbook rows of the networks of ``gemeente`` (in ``jaar``), and notes on what the
    workbook does not hold."""
    gem = zoek_gemeente(g, gemeente)
    netwerken = []
    for a in g.subjects(GGSR.gemeente, gem):
        for net in g.subjects(GGSR.aanpak, a):
            j = g.value(net, GGSR.peiljaar)
            if j is not None and (jaar is None or int(j) == jaar):
                netwerken.append((int(j), _nl(g, a) or "", str(net), net))
    if not netwerken:
        jaren = sorted(
            {
                int(j)
                for a in g.subjects(GGSR.gemeente, gem)
                for net in g.subjects(GGSR.aanpak, a)
                for j in g.objects(net, GGSR.peiljaar)
            }
        )
        raise InputError(
            f"geen aanpak in {jaar} / no approach in {jaar}. Jaren met gegevens / years with data: "
            f"{', '.join(map(str, jaren)) or '-'}"
        )
    netwerken.sort()
    exp = _Export(g, gem, [n for *_, n in netwerken])
    rijen = exp.bladen()
    notities = list(exp.notities)
    rest = exp.niet_gedekt()
    if rest:
        notities.append("zonder kolom in het werkboek (niet geëxporteerd): " + ", ".join(rest))
    return rijen, notities
