"""Readable reasons: facts named by label, with what they rest on and where the source says it.

Turns the deciding facts of a :class:`ggsr_kg.rules.Decision` into sentences an inspector can
check: the fact's label (never an IRI), its evidence (the document with its status, the parties
that said it, STJ's finding, the practice) and the places in the sources (a source's title and the
place given in its derivation, never a file name).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .evidence import NETWORK_PATH
from .graph import KnowledgeGraph
from .threads import map_in_order

_CHUNK = 400  # IRIs per VALUES block


@dataclass
class FactView:
    iri: str
    label: str
    grondslag: str | None = None
    bewijs: list[str] = field(default_factory=list)  # "vastgelegd in «…» (vastgesteld)" …
    bronnen: list[str] = field(default_factory=list)  # "STJ-factsheet Emmen 2014, Tabel …"

    def sentence(self) -> str:
        parts = [self.label]
        if self.bewijs:
            parts.append("; ".join(self.bewijs))
        text = " — ".join(parts)
        if self.bronnen:
            text += f" [{'; '.join(self.bronnen)}]"
        return text

    def as_json(self) -> dict:
        return {
            "feit": self.iri,  # for linking (the report's anchors); never shown as a reason
            "label": self.label,
            "grondslag": self.grondslag,
            "bewijs": self.bewijs,
            "bronnen": self.bronnen,
        }


def _values(iris: Iterable[str]) -> list[str]:
    iris = sorted(set(iris))
    return [
        " ".join(str(ox.NamedNode(i)) for i in iris[k : k + _CHUNK])
        for k in range(0, len(iris), _CHUNK)
    ]


def _rows(kg: KnowledgeGraph, iris: Iterable[str], body: str) -> list[dict]:
    """The rows of ``body`` for every IRI, asked a block of IRIs at a time (side by side)."""
    queries = [f"SELECT * WHERE {{ VALUES ?x {{ {block} }} {body} }}" for block in _values(iris)]
    return [row for rows in map_in_order(kg.rule_store(), kg.select, queries) for row in rows]


def _text(t) -> str | None:
    return t.value if t is not None else None


def labels(kg: KnowledgeGraph, iris: Iterable[str]) -> dict[str, str]:
    """A Dutch label for each IRI: rdfs:label, skos:prefLabel or dct:title (first found)."""
    out: dict[str, str] = {}
    rows = _rows(
        kg,
        iris,
        """OPTIONAL { ?x rdfs:label ?l FILTER (lang(?l) = "nl" || lang(?l) = "") }
           OPTIONAL { ?x skos:prefLabel ?p FILTER (lang(?p) = "nl") }
           OPTIONAL { ?x dct:title ?t }""",
    )
    for r in sorted(rows, key=lambda r: (r["x"].value, _text(r["l"]) or "", _text(r["t"]) or "")):
        text = _text(r["l"]) or _text(r["p"]) or _text(r["t"])
        if text:
            out.setdefault(r["x"].value, text)
    return out


def _kind_labels(kg: KnowledgeGraph, iris: Iterable[str]) -> dict[str, str]:
    """The label of the most specific class of our ontology each IRI is an instance of."""
    rows = _rows(
        kg,
        iris,
        """?x a ?c . FILTER (STRSTARTS(STR(?c), "https://w3id.org/ggsr/def#"))
           ?c rdfs:label ?l . FILTER (lang(?l) = "nl")
           OPTIONAL { ?x a ?sub . ?sub rdfs:subClassOf+ ?c . FILTER (?sub != ?c) }
           FILTER (!BOUND(?sub))""",
    )
    return {r["x"].value: r["l"].value for r in sorted(rows, key=lambda r: r["l"].value)}


# who uses, carries out, drew up or endorses a fact: names a fact that has no label of its own
_USED_BY = "ggsr:gehanteerdDoor|ggsr:uitgevoerdDoor|ggsr:geformuleerdDoor|ggsr:onderschrevenDoor"


def _users(kg: KnowledgeGraph, iris: Iterable[str]) -> dict[str, list[str]]:
    rows = _rows(kg, iris, f'?x {_USED_BY} ?w . ?w rdfs:label ?wl . FILTER (lang(?wl) = "nl")')
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(r["x"].value, set()).add(r["wl"].value)
    return {k: sorted(v) for k, v in out.items()}


def _unnamed(kind: str | None, users: list[str] | None) -> str:
    """A name for a fact without a label: its kind, and whose it is (so two parties'
    definitions read as two facts, not as one sentence twice)."""
    text = kind or "feit zonder naam"
    return f"{text} van {', '.join(users)}" if users else text


def describe(kg: KnowledgeGraph, iris: Iterable[str]) -> dict[str, FactView]:
    """A FactView for every fact IRI: label, grondslag, evidence and source places."""
    iris = sorted(set(iris))
    if not iris:
        return {}
    names = labels(kg, iris)
    kinds = _kind_labels(kg, iris)
    users = _users(kg, [i for i in iris if i not in names])
    views = {i: FactView(i, names.get(i) or _unnamed(kinds.get(i), users.get(i))) for i in iris}

    for r in _rows(kg, iris, "?x ggsr:grondslag/skos:notation ?g ."):
        views[r["x"].value].grondslag = r["g"].value

    # what an absence says is missing, and whose authority an authority is
    for r in _rows(
        kg,
        iris,
        """{ ?x ggsr:soort ?s . ?s rdfs:label ?sl FILTER (lang(?sl) = "nl") BIND ("ontbreekt" AS ?how) }
           UNION { ?x ggsr:vanFunctie|^ggsr:bevoegdheid ?h . BIND ("van" AS ?how)
                   OPTIONAL { ?h rdfs:label ?sl FILTER (lang(?sl) = "nl") } }
           UNION { ?x ggsr:berustBij ?h . BIND ("bij" AS ?how)
                   FILTER NOT EXISTS { ?x ggsr:vanFunctie|^ggsr:bevoegdheid ?rol }
                   OPTIONAL { ?h a ggsr:Netwerk . BIND (true AS ?netwerk) }
                   OPTIONAL { ?h rdfs:label ?sl FILTER (lang(?sl) = "nl") } }""",
    ):
        v = views[r["x"].value]
        if r["sl"] is None:
            continue
        if r["how"].value == "ontbreekt":
            v.label = f"ontbreekt: {r['sl'].value}" + (
                f" ({v.label})" if v.label != kinds.get(v.iri) else ""
            )
        elif r["sl"].value not in v.label:
            # the role it belongs to, or the organisations it rests with
            if r["how"].value == "bij" and r.get("netwerk") is not None:
                # the network itself: its partners, the source does not name them
                v.label += f" (berust bij de netwerkpartners van {r['sl'].value})"
            elif r["how"].value == "bij":
                v.label += f" (berust bij {r['sl'].value})"
            else:
                v.label += f" ({r['sl'].value})"

    evidence = _rows(
        kg,
        iris,
        """?x (ggsr:blijktUit|ggsr:vastgelegdIn) ?e .
           OPTIONAL { ?e ggsr:status ?st . ?st skos:prefLabel ?status FILTER (lang(?status) = "nl") }
           OPTIONAL { ?e a ?kind . FILTER (?kind IN (ggsr:Document, ggsr:Verklaring, ggsr:Bevinding, ggsr:Praktijk)) }
           OPTIONAL { ?e (ggsr:verklaardDoor|ggsr:toezichthouder) ?who }""",
    )
    who_names = labels(kg, {r["who"].value for r in evidence if r["who"] is not None})
    ev_names = labels(kg, {r["e"].value for r in evidence})
    parts: dict[str, dict[str, dict]] = {}
    for r in evidence:
        e = r["e"].value
        slot = parts.setdefault(r["x"].value, {}).setdefault(
            e, {"kind": set(), "who": set(), "status": None}
        )
        if r["kind"] is not None:
            slot["kind"].add(r["kind"].value.rsplit("#", 1)[-1])
        if r["who"] is not None:
            slot["who"].add(who_names.get(r["who"].value, "?"))
        if r["status"] is not None:
            slot["status"] = r["status"].value
    for x, by_e in parts.items():
        for e, slot in sorted(by_e.items()):
            name = ev_names.get(e, "")
            if "Document" in slot["kind"]:
                status = slot["status"] or "zonder status"
                views[x].bewijs.append(f"vastgelegd in «{name}» ({status})")
            elif "Verklaring" in slot["kind"]:
                views[x].bewijs.append(f"volgens {', '.join(sorted(slot['who'])) or 'een partij'}")
            elif "Bevinding" in slot["kind"]:
                views[x].bewijs.append(
                    f"bevinding van {', '.join(sorted(slot['who'])) or 'de toezichthouder'}"
                )
            elif name:
                views[x].bewijs.append(f"blijkt uit {name}")

    for r in _rows(
        kg,
        iris,
        """?x prov:qualifiedDerivation ?d . ?d prov:entity ?bron .
           ?bron rdfs:label ?bl . FILTER (lang(?bl) = "nl")
           OPTIONAL { ?d ggsr:plaats ?plaats }""",
    ):
        place = r["bl"].value + (f", {r['plaats'].value}" if r["plaats"] is not None else "")
        if place not in views[r["x"].value].bronnen:
            views[r["x"].value].bronnen.append(place)
    for v in views.values():
        v.bronnen.sort()
    return views


def uncounted(kg: KnowledgeGraph, iris: Iterable[str]) -> dict[str, list[str]]:
    """Why a fact does not count: the documents it is laid down in that do not count (a draft,
    withdrawn, without status, or expired before the year of the fact's network), or the fact's
    own end (ggsr:geldigTot) before that year."""
    out: dict[str, list[str]] = {}
    rows = _rows(
        kg,
        iris,
        f"""?x (ggsr:vastgelegdIn|ggsr:blijktUit) ?d . ?d dct:title ?t .
           OPTIONAL {{ ?d ggsr:status ?s . ?s skos:prefLabel ?sl FILTER (lang(?sl) = "nl") }}
           OPTIONAL {{ ?d ggsr:status/ggsr:geldend ?geldend }}
           OPTIONAL {{ ?d ggsr:geldigTot ?tot }}
           OPTIONAL {{ ?x {NETWORK_PATH} ?n . ?n ggsr:peiljaar ?jaar }}
           FILTER (!BOUND(?geldend) || ?geldend = false || BOUND(?tot))""",
    )
    for r in rows:
        if r["geldend"] is not None and r["geldend"].value == "true":
            if not _before(r["tot"], r["jaar"]):
                continue  # in force that year: not why the fact does not count
            why = f"verlopen op {r['tot'].value}"
        elif r["sl"] is not None:
            why = f"alleen een {r['sl'].value}" if r["sl"].value == "concept" else r["sl"].value
        else:
            why = "zonder status"
        text = f"«{r['t'].value}» telt niet mee ({why})"
        if text not in out.get(r["x"].value, []):
            out.setdefault(r["x"].value, []).append(text)
    own = _rows(kg, iris, f"?x ggsr:geldigTot ?tot ; {NETWORK_PATH} ?n . ?n ggsr:peiljaar ?jaar .")
    ended = [r for r in own if _before(r["tot"], r["jaar"])]
    names = labels(kg, {r["x"].value for r in ended})
    for r in ended:
        name = names.get(r["x"].value, "het feit")
        out.setdefault(r["x"].value, []).append(
            f"«{name}» telt niet mee (liep af op {r['tot'].value})"
        )
    return out


def _before(until, year) -> bool:
    """Whether a ggsr:geldigTot (xsd:date, gYearMonth or gYear) ends before the network's year."""
    if until is None or year is None:
        return False
    try:
        return int(until.value[:4]) < int(year.value)
    except ValueError:
        return False
