"""Resolving the names in a workbook's cells to nodes: parties, roles, documents, approaches and
the kenmerken of evidence rows.

The :class:`Registry` holds what the sheets define (filled by importer.py while it identifies the
rows); each ``resolve_*`` returns the node, or raises :class:`Unresolved` with the reason in Dutch,
including a "Bedoelt u …?" when a known name is close.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from ..namespaces import ID
from .cells import comma_hint, meant
from .mapping import (
    MUNICIPALITY_WORD,
    NETWORK_WORDS,
    STJ,
    STJ_NAMES,
    did_you_mean,
    norm,
    value_lists,
)


class Unresolved(Exception):
    """A name that resolves to nothing; the message is the reason."""


@dataclass
class Network:
    """One row of the sheet Aanpak: an approach in a year."""

    iri: URIRef
    approach: str
    approach_iri: URIRef
    year: int
    row: int
    roles: dict[str, URIRef] = field(default_factory=dict)  # norm(role name) → role node

    @property
    def local(self) -> str:
        return str(self.iri)[len(str(ID)) :]


@dataclass
class Evidence:
    iri: URIRef
    sheet: str  # Verklaringen | Bevindingen | Praktijk | Documenten


@dataclass
class Registry:
    municipality: str = ""
    municipality_iri: URIRef | None = None
    networks: list[Network] = field(default_factory=list)
    organisations: dict[str, URIRef] = field(default_factory=dict)  # norm(name) → node
    organisation_names: dict[str, str] = field(default_factory=dict)  # norm(name) → as written
    documents: dict[str, URIRef] = field(default_factory=dict)  # norm(title) → node
    document_titles: dict[str, str] = field(default_factory=dict)
    approaches: dict[str, URIRef] = field(default_factory=dict)  # norm(name) → approach node
    handles: dict[str, Evidence] = field(default_factory=dict)  # norm(kenmerk) → evidence
    handle_names: dict[str, str] = field(default_factory=dict)
    used_stj: bool = False

    # -- reserved words --

    @staticmethod
    def reserved(name: str) -> bool:
        """Words with a meaning of their own in a name cell; no organisation may be called so."""
        n = norm(name)
        return (
            n in {norm(w) for w in NETWORK_WORDS}
            or n == MUNICIPALITY_WORD
            or n in {norm(s) for s in STJ_NAMES}
            or n.startswith(NETWORK_WORDS[0] + " ")
        )

    # -- parties --

    def party(self, name: str, network: Network | None) -> URIRef | None:
        n = norm(name)
        if n in self.organisations:
            return self.organisations[n]
        m = norm(self.municipality)
        if self.municipality and n in {m, f"{MUNICIPALITY_WORD} {m}", MUNICIPALITY_WORD}:
            return self.municipality_iri
        if n in {norm(s) for s in STJ_NAMES}:
            self.used_stj = True
            return STJ
        if network is not None:
            if n in {norm(w) for w in NETWORK_WORDS}:
                return network.iri
            if n in network.roles:
                return network.roles[n]
        if n.startswith(NETWORK_WORDS[0] + " "):  # 'netwerk <aanpak> [<jaar>]': another network
            rest = n[len(NETWORK_WORDS[0]) + 1 :]
            found = [
                net.iri
                for net in self.networks
                if rest in {norm(net.approach), norm(f"{net.approach} {net.year}")}
            ]
            if len(found) == 1:
                return found[0]
        if network is not None:  # a role of another network of the workbook, if the name is unique
            elsewhere = {net.roles[n] for net in self.networks if n in net.roles}
            if len(elsewhere) == 1:
                return elsewhere.pop()
        return None

    def party_names(self, network: Network | None) -> list[str]:
        names = list(self.organisation_names.values())
        if self.municipality:
            names += [self.municipality, MUNICIPALITY_WORD]
        names += list(NETWORK_WORDS)
        for net in [network] if network else self.networks:
            names += list(net.roles)
        return names

    def resolve_party(
        self, name: str, network: Network | None, one: bool = False, actors: bool = False
    ) -> URIRef:
        iri = self.party(name, network)
        if iri is not None:
            return iri
        if actors:
            group = self.collective_actor(name)
            if group is not None:
                return group
        hint = comma_hint(name, lambda d: self.party(d, network) is not None)
        if hint and one:
            hint = " (hier past één naam)"
        if not hint:
            candidates = self.party_names(network)
            if actors:
                candidates += value_lists()["Collectieve actor"].labels
            hint = meant(did_you_mean(name, candidates))
        extra = "" if network is not None else " (functies en 'netwerk' alleen met Aanpak/Jaar)"
        raise Unresolved(f"'{name}' staat niet op het blad Organisaties{extra}{hint}")

    @staticmethod
    def collective_actor(name: str) -> URIRef | None:
        """A group that is not one body (code list *collectieve actoren*), with or without 'de'."""
        groups = value_lists()["Collectieve actor"]
        found = groups.find(name)
        if found is None and not norm(name).startswith("de "):
            found = groups.find("de " + name)
        return found

    # -- documents, approaches, evidence --

    def resolve_document(self, title: str) -> URIRef:
        iri = self.documents.get(norm(title))
        if iri is None:
            hint = meant(did_you_mean(title, self.document_titles.values()))
            raise Unresolved(f"'{title}' staat niet op het blad Documenten{hint}")
        return iri

    def resolve_approach(self, name: str) -> URIRef:
        iri = self.approaches.get(norm(name))
        if iri is None:
            hint = comma_hint(name, lambda d: norm(d) in self.approaches)
            raise Unresolved(f"'{name}' staat niet op het blad Aanpak{hint}")
        return iri

    def resolve_evidence(self, name: str) -> Evidence:
        n = norm(name)
        if n in self.handles:
            return self.handles[n]
        if n in self.documents:
            return Evidence(self.documents[n], "Documenten")
        candidates = [*self.handle_names.values(), *self.document_titles.values()]
        hint = comma_hint(name, lambda d: norm(d) in self.handles or norm(d) in self.documents)
        raise Unresolved(
            f"'{name}' is geen kenmerk op de bladen Verklaringen, Bevindingen of Praktijk en geen "
            f"titel op het blad Documenten{hint or meant(did_you_mean(name, candidates))}"
        )
