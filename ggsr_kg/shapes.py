"""Reading the framework shapes into runnable SPARQL constraints.

Every framework shape targets ggsr:Netwerk and is made of SPARQL-based constraints: either an
``sh:sparql`` SELECT of its own, or a parameter of a SPARQL-based constraint component
(shapes/componenten.ttl). :class:`Constraint` keeps what is needed to run one of them on Oxigraph:
the SELECT, the prefix block from ``sh:declare``, the parameter values and the messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .resources import resource_dir

if TYPE_CHECKING:  # rdflib loads only when shapes are parsed (not to digest their files)
    import rdflib

FRAMEWORK_FILES = ("componenten.ttl", "kader")
QUALITY_FILES = ("kwaliteit.ttl",)


@dataclass(frozen=True)
class Constraint:
    shape: str
    target_class: str
    indicator: str | None
    severity: str
    select: str
    prefixes: str
    parameters: tuple[tuple[str, str], ...]
    messages: tuple[tuple[str, str], ...]  # (language, text)
    rule: str | None = None  # the evidence rule a compiled constraint stands for (shg:regel)


@dataclass
class ShapeSet:
    graph: rdflib.Graph
    constraints: list[Constraint] = field(default_factory=list)

    @property
    def indicators(self) -> dict[str, list[Constraint]]:
        out: dict[str, list[Constraint]] = {}
        for c in self.constraints:
            if c.indicator:
                out.setdefault(c.indicator, []).append(c)
        return out


def shape_files(parts: tuple[str, ...]) -> list[Path]:
    root = resource_dir("shapes")
    files: list[Path] = []
    for part in parts:
        p = root / part
        files.extend(sorted(p.rglob("*.ttl")) if p.is_dir() else [p])
    return files


def load_graph(files: list[Path]) -> rdflib.Graph:
    import rdflib

    g = rdflib.Graph()
    for f in files:
        try:
            g.parse(f, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise InputError(f"{f}: syntaxfout / syntax error: {exc}") from None
    return g


@cache
def framework_shapes() -> ShapeSet:
    """The shapes of the toetsingskader, parsed once per process."""
    return compile_shapes(load_graph(shape_files(FRAMEWORK_FILES)))


def compile_shapes(g: rdflib.Graph) -> ShapeSet:
    from rdflib.namespace import RDF

    from .namespaces import GGSR, SH, SH_GGSR

    components = _components(g)
    out = ShapeSet(graph=g)
    for shape in sorted(set(g.subjects(RDF.type, SH.NodeShape)), key=str):
        target = g.value(shape, SH.targetClass)
        if target is None:
            continue
        indicator = g.value(shape, GGSR.indicator)
        severity = g.value(shape, SH.severity, default=SH.Violation)
        shape_messages = _messages(g, shape)
        for sparql in g.objects(shape, SH.sparql):
            out.constraints.append(
                Constraint(
                    shape=str(shape),
                    target_class=str(target),
                    indicator=str(indicator) if indicator else None,
                    severity=str(severity),
                    select=str(g.value(sparql, SH.select)),
                    prefixes=_prefix_block(g, g.value(sparql, SH.prefixes)),
                    parameters=(),
                    messages=_messages(g, sparql) or shape_messages,
                    rule=_text(g.value(sparql, SH_GGSR.regel)),
                )
            )
        for path, (name, validator) in components.items():
            value = g.value(shape, path)
            if value is None:
                continue
            out.constraints.append(
                Constraint(
                    shape=str(shape),
                    target_class=str(target),
                    indicator=str(indicator) if indicator else None,
                    severity=str(severity),
                    select=str(g.value(validator, SH.select)),
                    prefixes=_prefix_block(g, g.value(validator, SH.prefixes)),
                    parameters=((name, str(value)),),
                    messages=shape_messages or _messages(g, validator),
                )
            )
    return out


def _components(g: rdflib.Graph) -> dict[rdflib.URIRef, tuple[str, rdflib.term.Node]]:
    """Parameter path → (variable name, validator) for every single-parameter component."""
    from rdflib.namespace import RDF

    from .namespaces import SH

    out = {}
    for comp in g.subjects(RDF.type, SH.ConstraintComponent):
        validator = g.value(comp, SH.nodeValidator) or g.value(comp, SH.validator)
        for param in g.objects(comp, SH.parameter):
            path = g.value(param, SH.path)
            name = str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            out[path] = (name, validator)
    return out


def _text(node) -> str | None:
    return str(node) if node is not None else None


def _messages(g: rdflib.Graph, node) -> tuple[tuple[str, str], ...]:
    from .namespaces import SH

    return tuple(sorted((m.language or "", str(m)) for m in g.objects(node, SH.message)))


def _prefix_block(g: rdflib.Graph, node) -> str:
    from .namespaces import SH

    if node is None:
        return ""
    lines = []
    for decl in g.objects(node, SH.declare):
        lines.append(f"PREFIX {g.value(decl, SH.prefix)}: <{g.value(decl, SH.namespace)}>")
    return "\n".join(sorted(lines)) + "\n"
