"""Network and escalation diagrams as SVG files: networkx for the graph and its layout,
matplotlib (Agg, no display, no network) to draw it. Everything a diagram shows is also returned
as rows for the text alternative beside the image (who, relation, whom).

Never colour alone: edge kinds differ in line style and width and carry a text label, organisation
kinds have their name in the box, the last step of a ladder says so in words.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

# Edge kinds of the network diagram: (line style, width, colour, legend text). Doorzettingsmacht is
# the only solid heavy line; weaker mandates are dashed; membership and reporting thin and grey.
EDGE_STYLES: dict[str, tuple[str, float, str, str]] = {
    "doorzettingsmacht": ("solid", 3.2, "#8b0000", "doorzettingsmacht (bindend)"),
    "mandaat": ("dashed", 1.8, "#b35900", "zwakker mandaat"),
    "vervult": ("solid", 1.2, "#2f6b2f", "vervult de functie"),
    "kernpartner": ("solid", 1.6, "#555555", "kernpartner van het netwerk"),
    "lid": ("solid", 0.8, "#999999", "netwerkpartner"),
    "meldt-aan": ("dotted", 1.4, "#1f4e99", "meldt gezinnen aan"),
    "regie": ("dashdot", 1.4, "#5a2d82", "voert regie / meldpunt"),
}
EDGE_ORDER = list(EDGE_STYLES)
# Pale fills: dark text stays readable (contrast ≥ 4.5:1) on every one of them.
PALETTE = [
    "#cfe2f3",
    "#d9ead3",
    "#fce5cd",
    "#ead1dc",
    "#fff2cc",
    "#d0e0e3",
    "#e6d8f0",
    "#f4cccc",
    "#e2efda",
    "#ddebf7",
    "#fbe4d5",
    "#ededed",
]
ROLE_FILL = "#fff7b3"
CENTER_FILL = "#23395d"


@dataclass
class Node:
    id: str
    label: str
    kind: str  # "netwerk", "functie", "organisatie"
    type_label: str = ""
    core: bool = False


@dataclass
class Edge:
    source: str
    target: str
    kind: str  # a key of EDGE_STYLES
    label: str


@dataclass
class NetworkSpec:
    title: str
    nodes: list[Node]
    edges: list[Edge]


@dataclass
class Step:
    id: str
    number: int
    level: str  # label of the escalation level ("" if unknown)
    level_index: int  # 1..3; 0 when unknown
    actor: str
    label: str = ""
    detail: str = ""
    trigger: str = ""


@dataclass
class LadderSpec:
    title: str
    steps: list[Step]
    pyramid: bool = False

    @property
    def last(self) -> Step | None:
        return max(self.steps, key=lambda s: s.number) if self.steps else None


@dataclass
class Rendered:
    path: Path
    alt: str
    rows: list[dict] = field(default_factory=list)


def _wrap(text: str, width: int = 22, lines: int = 4) -> str:
    out = textwrap.wrap(text, width=width) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return "\n".join(out)


def _figure(width: float, height: float, axes_width: float = 1.0):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.hashsalt"] = "ggsr-kg"  # the same SVG for the same data
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, faster, searchable
    matplotlib.rcParams["font.family"] = "DejaVu Sans"
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, axes_width, 1))
    ax.set_axis_off()
    return fig, ax


def _save(fig, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(
        path,
        format="svg",
        metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
    )


def _ring(
    nodes: list[str], radius: float, offset: float = 0.0, preferred: dict[str, float] | None = None
) -> dict[str, tuple[float, float]]:
    """Positions on a circle; a node with a preferred angle takes the nearest free slot."""
    if not nodes:
        return {}
    n = len(nodes)
    slots = [offset + 2 * math.pi * i / n for i in range(n)]
    free = list(range(n))
    chosen: dict[str, int] = {}
    for node in sorted(
        (x for x in nodes if preferred and x in preferred), key=lambda x: preferred[x]
    ):
        want = preferred[node]
        best = min(free, key=lambda i: abs(math.remainder(slots[i] - want, 2 * math.pi)))
        chosen[node] = best
        free.remove(best)
    for node in nodes:
        if node not in chosen:
            chosen[node] = free.pop(0)
    return {
        node: (radius * math.cos(slots[i]), radius * math.sin(slots[i]))
        for node, i in chosen.items()
    }


# ---- network -------------------------------------------------------------------------------------


def render_network(spec: NetworkSpec, path: Path) -> Rendered:
    """Organisations by kind, roles, and who holds which authority over whom."""
    import networkx as nx
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    g = nx.DiGraph()
    by_id = {n.id: n for n in spec.nodes}
    for n in spec.nodes:
        g.add_node(n.id)
    merged: dict[tuple[str, str], list[Edge]] = {}
    for e in spec.edges:
        if e.source in by_id and e.target in by_id and e.source != e.target:
            merged.setdefault((e.source, e.target), []).append(e)
    for (u, v), edges in merged.items():
        strongest = min(edges, key=lambda e: EDGE_ORDER.index(e.kind))
        g.add_edge(
            u, v, kind=strongest.kind, label="; ".join(dict.fromkeys(e.label for e in edges))
        )

    centre = [n.id for n in spec.nodes if n.kind == "netwerk"]
    roles = [n.id for n in spec.nodes if n.kind == "functie"]
    orgs = [n.id for n in spec.nodes if n.kind == "organisatie"]
    # The network in the middle, its roles on an inner ring, organisations on the outer ring.
    pos = {n: (0.0, 0.0) for n in centre}
    pos.update(_ring(roles, 0.55, offset=math.pi / 2))
    role_angle = {r: math.atan2(pos[r][1], pos[r][0]) for r in roles}
    preferred = {}
    for u, v in g.edges():  # an organisation goes near the role it holds or is bound by
        if u in role_angle and v in orgs:
            preferred.setdefault(v, role_angle[u])
        elif v in role_angle and u in orgs:
            preferred.setdefault(u, role_angle[v])
    pos.update(_ring(orgs, 1.0, preferred=preferred))

    size = 6.5 + max(0, len(spec.nodes) - 10) * 0.22
    # The drawing takes the left part; the legend the right (no "tight" bounding box: one draw).
    fig, ax = _figure(size * 1.45, size, axes_width=0.72)
    # Kinds of organisation → fill colours (name in the box and in the legend too).
    kinds = sorted({by_id[o].type_label for o in orgs})
    fills = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(kinds)}

    for kind in reversed(EDGE_ORDER):  # heaviest drawn last, on top
        edgelist = [(u, v) for u, v, d in g.edges(data=True) if d["kind"] == kind]
        if not edgelist:
            continue
        style, width, colour, _ = EDGE_STYLES[kind]
        nx.draw_networkx_edges(
            g,
            pos,
            ax=ax,
            edgelist=edgelist,
            style=style,
            width=width,
            edge_color=colour,
            arrows=True,
            arrowstyle="-|>",
            arrowsize=14,
            node_size=2600,
            connectionstyle="arc3,rad=0.08",
        )
    strong = {
        (u, v): d["label"]
        for u, v, d in g.edges(data=True)
        if d["kind"] in ("doorzettingsmacht", "mandaat")
    }
    if strong:
        nx.draw_networkx_edge_labels(
            g,
            pos,
            ax=ax,
            edge_labels={k: _wrap(v, 26, 3) for k, v in strong.items()},
            font_size=7,
            font_color="#222222",
            label_pos=0.62,
            rotate=False,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
            connectionstyle="arc3,rad=0.08",
        )
    for n in spec.nodes:
        x, y = pos[n.id]
        if n.kind == "netwerk":
            ax.text(
                x,
                y,
                _wrap(n.label, 20),
                ha="center",
                va="center",
                fontsize=10,
                color="white",
                fontweight="bold",
                bbox={"boxstyle": "round4,pad=0.6", "fc": CENTER_FILL, "ec": "black", "lw": 1.5},
                zorder=5,
            )
        elif n.kind == "functie":
            text = _wrap(n.label, 22) + (
                f"\n[{_wrap(n.type_label, 24, 2)}]" if n.type_label else ""
            )
            ax.text(
                x,
                y,
                text,
                ha="center",
                va="center",
                fontsize=8,
                color="#222222",
                bbox={"boxstyle": "square,pad=0.45", "fc": ROLE_FILL, "ec": "#7a6a00", "lw": 1.2},
                zorder=5,
            )
        else:
            text = _wrap(n.label, 22)
            if n.type_label.casefold() not in n.label.casefold():  # "GGD (GGD)" says nothing
                text += f"\n({_wrap(n.type_label, 24, 2)})"
            if n.core:
                text += "\n★ kernpartner"
            ax.text(
                x,
                y,
                text,
                ha="center",
                va="center",
                fontsize=8,
                color="#111111",
                bbox={
                    "boxstyle": "round,pad=0.4",
                    "fc": fills[n.type_label],
                    "ec": "black" if n.core else "#666666",
                    "lw": 2.2 if n.core else 0.8,
                },
                zorder=5,
            )
    used = [k for k in EDGE_ORDER if any(d["kind"] == k for _, _, d in g.edges(data=True))]
    handles = [
        Line2D(
            [0],
            [0],
            color=EDGE_STYLES[k][2],
            lw=EDGE_STYLES[k][1],
            linestyle=EDGE_STYLES[k][0],
            label=EDGE_STYLES[k][3],
        )
        for k in used
    ]
    if roles:
        handles.append(Patch(fc=ROLE_FILL, ec="#7a6a00", label="functie (rol)"))
    handles += [
        Patch(fc=fills[k], ec="#666666", label=_wrap(f"organisatie: {k}", 32, 2)) for k in kinds
    ]
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.725, 0.98),
        fontsize=8,
        frameon=True,
        title="Legenda",
        title_fontsize=9,
    )
    ax.margins(0.16, 0.1)
    _save(fig, path)

    rows = [
        {
            "van": by_id[e.source].label,
            "van_id": e.source,
            "relatie": e.label,
            "soort": e.kind,
            "naar": by_id[e.target].label,
            "naar_id": e.target,
        }
        for e in sorted(
            spec.edges, key=lambda e: (EDGE_ORDER.index(e.kind), by_id[e.source].label, e.target)
        )
        if e.source in by_id and e.target in by_id
    ]
    dm = [r for r in rows if r["soort"] == "doorzettingsmacht"]
    weaker = [r for r in rows if r["soort"] == "mandaat"]
    alt = (
        f"Netwerkdiagram {spec.title}: {len(orgs)} organisaties en {len(roles)} functies. "
        + (
            "Doorzettingsmacht: "
            + "; ".join(
                f"{r['van']} over "
                + ("alle netwerkpartners" if by_id[r["naar_id"]].kind == "netwerk" else r["naar"])
                for r in dm
            )
            + ". "
            if dm
            else "Geen doorzettingsmacht vastgelegd. "
        )
        + (f"{len(weaker)} zwakkere mandaten. " if weaker else "")
        + "De tabel hieronder geeft dezelfde relaties als tekst."
    )
    return Rendered(path, alt, rows)


# ---- escalation ladder ---------------------------------------------------------------------------


def _step_head(step: Step, word: str) -> str:
    """'Stap 2: drang …' — without repeating the number when the label already starts with it."""
    head = f"{word} {step.number}"
    label = step.label.strip()
    if label.casefold().startswith(head.casefold()):
        return label
    if label.casefold().startswith(word.casefold()):  # "niveau 4: …" under another number
        return label
    return f"{head}: {label}" if label else head


# Ladder geometry, in inches (the axes are laid out in inches, so text never runs off a box).
LADDER_BOX_W = 3.1
LADDER_GAP_X = 0.45
LADDER_GAP_Y = 0.85  # room for the arrow and its trigger text
LADDER_LINE = 0.165  # height of one 8-pt text line
LADDER_PAD = 0.14
LADDER_HEADER = 0.55
LADDER_MARGIN = 0.25
LADDER_WRAP = 44  # characters per line in a box


def render_ladder(spec: LadderSpec, path: Path) -> Rendered:
    """Steps bottom to top, one column per escalation level (with its name on top); an arrow
    with the trigger from each step to the next; the last step (who decides last) marked by a
    heavy red border and the words "beslist als laatste"."""
    import networkx as nx
    from matplotlib.patches import FancyBboxPatch, Rectangle

    steps = sorted(spec.steps, key=lambda s: s.number)
    g = nx.DiGraph()  # the ladder as a path graph: the order of the steps
    for s in steps:
        g.add_node(s.id, step=s)
    for a, b in zip(steps, steps[1:], strict=False):
        g.add_edge(a.id, b.id, trigger=b.trigger)
    order = list(nx.topological_sort(g)) if steps else []
    by_id = {s.id: s for s in steps}
    last = spec.last
    word = "Niveau" if spec.pyramid else "Stap"

    levels = sorted({s.level_index for s in steps}, key=lambda lvl: (lvl == 0, lvl))
    column = {lvl: i for i, lvl in enumerate(levels)}
    level_name = {
        lvl: next((s.level for s in steps if s.level_index == lvl and s.level), "")
        or "niveau onbekend"
        for lvl in levels
    }

    texts: dict[str, tuple[str, str]] = {}
    heights: dict[str, float] = {}
    for sid in order:
        s = by_id[sid]
        head = _wrap(_step_head(s, word), LADDER_WRAP, 2)
        body = [_wrap("wie: " + (s.actor or "niet vastgelegd"), LADDER_WRAP, 3)]
        if s.detail:
            body.append(_wrap(s.detail, LADDER_WRAP, 3))
        if last is not None and sid == last.id:
            body.append("▲ beslist als laatste")
        text = "\n".join(body)
        texts[sid] = (head, text)
        lines = head.count("\n") + 1 + text.count("\n") + 1
        heights[sid] = lines * LADDER_LINE + 2 * LADDER_PAD

    ncols = max(1, len(levels))
    width = 2 * LADDER_MARGIN + ncols * LADDER_BOX_W + (ncols - 1) * LADDER_GAP_X
    body_height = sum(heights.values()) + LADDER_GAP_Y * max(0, len(steps) - 1)
    height = 2 * LADDER_MARGIN + LADDER_HEADER + max(body_height, 0.8)
    fig, ax = _figure(width, height)
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)

    def col_x(lvl: int) -> float:
        return LADDER_MARGIN + column[lvl] * (LADDER_BOX_W + LADDER_GAP_X)

    for lvl in levels:  # a pale band per level with its name on top
        x = col_x(lvl)
        ax.add_patch(
            Rectangle(
                (x - 0.08, LADDER_MARGIN - 0.08),
                LADDER_BOX_W + 0.16,
                height - 2 * LADDER_MARGIN + 0.08,
                facecolor="#f3f5f8",
                edgecolor="#c8ccd2",
                lw=0.8,
                zorder=0,
            )
        )
        ax.text(
            x + LADDER_BOX_W / 2,
            height - LADDER_MARGIN - LADDER_HEADER / 2,
            level_name[lvl],
            ha="center",
            va="center",
            fontsize=10,
            fontweight="bold",
            color="#23395d",
        )

    boxes: dict[str, tuple[float, float, float]] = {}  # id → (x, y bottom, height)
    y = LADDER_MARGIN
    for sid in order:
        s = by_id[sid]
        h = heights[sid]
        x = col_x(s.level_index)
        boxes[sid] = (x, y, h)
        is_last = last is not None and sid == last.id
        ax.add_patch(
            FancyBboxPatch(
                (x, y),
                LADDER_BOX_W,
                h,
                boxstyle="round,pad=0,rounding_size=0.08",
                facecolor="#f4cccc" if is_last else "#e8eef7",
                edgecolor="#8b0000" if is_last else "#23395d",
                lw=2.8 if is_last else 1.0,
                zorder=3,
            )
        )
        head, text = texts[sid]
        top = y + h - LADDER_PAD
        ax.text(
            x + 0.12,
            top,
            head,
            ha="left",
            va="top",
            fontsize=8,
            fontweight="bold",
            color="#111111",
            zorder=4,
        )
        ax.text(
            x + 0.12,
            top - (head.count("\n") + 1) * LADDER_LINE,
            text,
            ha="left",
            va="top",
            fontsize=8,
            color="#111111",
            zorder=4,
        )
        y += h + LADDER_GAP_Y

    for u, v, data in g.edges(data=True):
        ux, uy, uh = boxes[u]
        vx, vy, _ = boxes[v]
        start = (ux + LADDER_BOX_W / 2, uy + uh)
        end = (vx + LADDER_BOX_W / 2, vy)
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={
                "arrowstyle": "-|>,head_length=0.6,head_width=0.3",
                "color": "#333333",
                "lw": 1.6,
                "shrinkA": 1,
                "shrinkB": 1,
            },
            zorder=2,
        )
        if data["trigger"]:
            ax.text(
                (start[0] + end[0]) / 2 + 0.1,
                (start[1] + end[1]) / 2,
                _wrap(data["trigger"], 48, 2),
                ha="left" if start[0] == end[0] else "center",
                va="center",
                fontsize=7,
                color="#222222",
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.9},
                zorder=4,
            )
    _save(fig, path)
    rows = [
        {
            "stap": s.number,
            "naam": s.label,
            "kop": _step_head(s, word),
            "niveau": s.level or "onbekend",
            "actor": s.actor or "onbekend",
            "aanleiding": s.trigger,
            "detail": s.detail,
            "id": s.id,
            "laatste": last is not None and s.id == last.id,
        }
        for s in steps
    ]
    alt = (
        f"{'Zorgpiramide' if spec.pyramid else 'Escalatieladder'} “{spec.title}”: {len(steps)} "
        f"{'niveaus' if spec.pyramid else 'stappen'}"
        + (
            f", van {steps[0].actor or 'onbekend'} ({steps[0].level or 'niveau onbekend'}) tot "
            f"{last.actor or 'onbekend'} ({last.level or 'niveau onbekend'}), die als laatste beslist."
            if steps and last is not None
            else "."
        )
        + " De tabel hieronder geeft dezelfde stappen als tekst."
    )
    return Rendered(path, alt, rows)
