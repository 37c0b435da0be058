"""Data quality: the shapes in shapes/kwaliteit.ttl (through pySHACL) and the privacy guard."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .graph import KnowledgeGraph
from .shapes import QUALITY_FILES, compile_shapes, load_graph, shape_files
from .validation import Result, results_from_report

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?<!\d)(?:\+31[\s-]?|0)(?:[1-9][\s-]?){1}(?:\d[\s-]?){7,8}(?!\d)")
_NINE = re.compile(r"(?<!\d)(\d{9})(?!\d)")


def check_quality(kg: KnowledgeGraph) -> list[Result]:
    """Results of the data-quality shapes on the whole graph (inference included)."""
    from pyshacl import validate

    shapes = compile_shapes(load_graph(shape_files(QUALITY_FILES)))
    _, report, _ = validate(kg.to_rdflib(), shacl_graph=shapes.graph, inference="none")
    return results_from_report(report, shapes.graph)


def elfproef(digits: str) -> bool:
    """True when nine digits pass the BSN eleven-test (so they may be a citizen service number)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0 and digits != "000000000"


@dataclass(frozen=True)
class PrivacyFinding:
    node: str
    value: str
    reason: str


def privacy_findings(kg: KnowledgeGraph) -> list[PrivacyFinding]:
    """Literals that look like a BSN, a personal e-mail address or a phone number."""
    found = []
    rows = kg.select("SELECT ?s ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }")
    for row in rows:
        text = row["o"].value
        node = row["s"].value
        for m in _NINE.finditer(text):
            if elfproef(m.group(1)):
                found.append(
                    PrivacyFinding(
                        node, m.group(1), "lijkt op een BSN (elfproef) / looks like a BSN"
                    )
                )
        if _EMAIL.search(text):
            found.append(
                PrivacyFinding(node, _EMAIL.search(text).group(0), "e-mailadres / e-mail address")
            )
        if _PHONE.search(text):
            found.append(
                PrivacyFinding(node, _PHONE.search(text).group(0), "telefoonnummer / phone number")
            )
    return found
