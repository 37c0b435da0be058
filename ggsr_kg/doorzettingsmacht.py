"""The headline answer per network from the rows of ``queries/doorzettingsmacht.rq``.

Per network (municipality × approach × year): who holds doorzettingsmacht, on whom it binds and
under which condition — or plainly "niemand / nobody", with the recorded absence when there is
one — then every weaker power with whom it applies to. The query gives one row per authority;
this module only groups and words them (for the terminal, the plain text and the report), so the
answer is the query's, whatever the output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import printable
from .output import count_line, plain, to_ansi

NOBODY = "niemand"
NOT_RECORDED = "niet vastgelegd / not recorded"


@dataclass
class Power:
    """One row of the query, as plain values."""

    soort: str
    doorzettingsmacht: bool
    functie: str | None
    houder: str | None
    bevoegdheid: str | None
    bindend_voor: str | None
    geldt_tegenover: str | None
    voorwaarde: str | None
    grondslag: str | None
    vastgelegd_in: str | None
    blijkt_uit: str | None
    bron: str | None
    feit: str | None

    @property
    def nobody(self) -> bool:
        return self.doorzettingsmacht and self.houder == NOBODY

    def who(self) -> str:
        if self.nobody:
            return "niemand / nobody"
        if self.functie and self.houder:
            return f"{self.functie}, vervuld door {self.houder}"
        return self.functie or self.houder or NOT_RECORDED

    def applies_to(self) -> str:
        """On whom it binds, or towards whom it applies; "bindt niemand" when it binds no one."""
        parts = []
        if self.bindend_voor == NOBODY:
            parts.append("bindt niemand / binds no one")
        elif self.bindend_voor:
            parts.append(f"bindt {self.bindend_voor}")
        if self.geldt_tegenover:
            parts.append(f"geldt tegenover {self.geldt_tegenover}")
        return "; ".join(parts) or f"op wie: {NOT_RECORDED}"

    def basis(self) -> str:
        """What it rests on: its grondslag (or that it does not count) and its evidence."""
        head = (
            f"grondslag: {self.grondslag}"
            if self.grondslag
            else "telt niet mee / does not count (geen grondslag)"
        )
        evidence = [f"vastgelegd in {d}" for d in _split(self.vastgelegd_in)]
        evidence += _split(self.blijkt_uit)
        return head + (" — " + "; ".join(evidence) if evidence else "")


@dataclass
class NetworkPowers:
    gemeente: str
    aanpak: str
    jaar: int
    netwerk: str
    decisive: list[Power] = field(default_factory=list)  # holders, or the "niemand" row(s)
    weaker: list[Power] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.gemeente} — {self.aanpak} — {self.jaar}"

    @property
    def holders(self) -> list[Power]:
        """Holders of a doorzettingsmacht that counts."""
        return [p for p in self.decisive if not p.nobody and p.grondslag]

    def headline(self) -> str:
        """One sentence: who holds doorzettingsmacht, binding on whom, under which condition —
        or nobody, and on what that rests."""
        if self.holders:
            parts = []
            for p in self.holders:
                text = f"{p.who()}, {p.applies_to()}"
                if p.voorwaarde:
                    text += f", onder voorwaarde: {p.voorwaarde}"
                parts.append(text)
            return "Doorzettingsmacht: " + " | ".join(parts)
        nobody = [p for p in self.decisive if p.nobody]
        why = [
            f"{p.bevoegdheid} ({'; '.join(_split(p.blijkt_uit)) or p.grondslag})"
            for p in nobody
            if p.bevoegdheid
        ]
        uncounted = [p for p in self.decisive if not p.nobody and not p.grondslag]
        why += [
            f"{p.who()}: telt niet mee ({p.vastgelegd_in or 'geen grondslag'})" for p in uncounted
        ]
        return "Doorzettingsmacht: niemand / nobody" + (
            " — " + "; ".join(why) if why else " (geen vastgelegd / none recorded)"
        )


def _safe(value):
    return printable(value.replace("\n", " ")) if isinstance(value, str) else value


def _split(text: str | None) -> list[str]:
    return [x for x in (text or "").split("; ") if x]


def group(names: list[str], rows: list[dict]) -> list[NetworkPowers]:
    """The query's rows (RDF terms or plain values) grouped per network, in the query's order."""
    out: dict[str, NetworkPowers] = {}
    for row in rows:
        # a value from a file or an endpoint may hold control characters: shown, not obeyed
        v = {n: _safe(plain(row.get(n))) for n in names}
        net = out.setdefault(
            v["netwerk"], NetworkPowers(v["gemeenteNaam"], v["aanpakNaam"], v["jaar"], v["netwerk"])
        )
        power = Power(
            soort=v["soort"],
            doorzettingsmacht=bool(v["doorzettingsmacht"]),
            functie=v.get("functie"),
            houder=v.get("houder"),
            bevoegdheid=v.get("bevoegdheid"),
            bindend_voor=v.get("bindendVoor"),
            geldt_tegenover=v.get("geldtTegenover"),
            voorwaarde=v.get("voorwaarde"),
            grondslag=v.get("grondslag"),
            vastgelegd_in=v.get("vastgelegdIn"),
            blijkt_uit=v.get("blijktUit"),
            bron=v.get("bron"),
            feit=v.get("feit"),
        )
        (net.decisive if power.doorzettingsmacht else net.weaker).append(power)
    return list(out.values())


def plain_text(networks: list[NetworkPowers]) -> str:
    """Every network's headline and powers as plain indented text, each value in full."""
    lines: list[str] = []
    for net in networks:
        lines += [net.title, "  " + net.headline()]
        shown = [p for p in net.decisive if not p.nobody] + net.weaker
        if not net.weaker:
            lines.append("  Zwakkere bevoegdheden / weaker powers: geen vastgelegd / none recorded")
        for p in shown:
            lines.append(
                f"  - {p.soort}: {p.who()}" + (f" — {p.bevoegdheid}" if p.bevoegdheid else "")
            )
            lines.append(f"      {p.applies_to()}")
            if p.voorwaarde:
                lines.append(f"      voorwaarde: {p.voorwaarde}")
            lines.append(f"      {p.basis()}")
            if p.bron:
                lines.append(f"      bron: {p.bron}")
        lines.append("")
    lines.append(count_line(sum(len(n.decisive) + len(n.weaker) for n in networks)))
    return "\n".join(lines)


def terminal_text(networks: list[NetworkPowers], width: int) -> str:
    """The same answer for a terminal: per network the headline in bold and a rich table of its
    powers whose cells wrap to ``width``."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts = []
    for net in networks:
        parts.append(Text(net.title, style="bold underline"))
        parts.append(Text(net.headline(), style="bold"))
        shown = [p for p in net.decisive if not p.nobody] + net.weaker
        if not shown:
            parts.append(Text("Geen bevoegdheden vastgelegd / no powers recorded\n"))
            continue
        t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
        t.add_column("soort", no_wrap=True, min_width=len("doorzettingsmacht"))
        for h, ratio in (
            ("wie", 3),
            ("wat en voorwaarde", 4),
            ("voor wie", 3),
            ("waarop het rust", 5),
        ):
            t.add_column(h, overflow="fold", ratio=ratio)
        for p in shown:
            what = p.bevoegdheid or ""
            if p.voorwaarde:
                what += f"\nvoorwaarde: {p.voorwaarde}"
            rests = p.basis() + (f"\nbron: {p.bron}" if p.bron else "")
            style = "bold" if p.doorzettingsmacht else None
            t.add_row(*(Text(c, style=style) for c in (p.soort, p.who(), what,
                                                                   p.applies_to(), rests)))  # fmt: skip
        parts.append(t)
        parts.append(Text(""))
    return to_ansi(Group(*parts), width) + count_line(
        sum(len(n.decisive) + len(n.weaker) for n in networks)
    )
