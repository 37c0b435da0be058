"""Check data files as a recorder works on them: quality shapes, quotations, deprecated terms.

    python scripts/check_data.py data/gemeenten/emmen.ttl [more files]

Loads the ontology and all shipped data (so cross-file references resolve), then reports only what
concerns nodes described in the given files: data-quality findings (shapes/kwaliteit.ttl) and
quotations that do not occur in their source (data/bronnen/). Exit 1 when there is a violation or
a quotation is not found.
"""

from __future__ import annotations

import sys
from pathlib import Path

import rdflib

from ggsr_kg import citations
from ggsr_kg.graph import KnowledgeGraph
from ggsr_kg.quality import check_quality

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv]
    subjects: set[str] = set()
    for f in files:
        g = rdflib.Graph().parse(f)
        subjects |= {str(s) for s in g.subjects() if isinstance(s, rdflib.URIRef)}
    kg = KnowledgeGraph.default()
    bad = 0
    for r in check_quality(kg):
        if r.focus in subjects:
            level = r.severity.rsplit("#", 1)[-1]
            bad += level == "Violation"
            print(f"{level:9} {r.focus.rsplit('/', 1)[-1]}: {r.message_nl}")
    checked, misses = citations.check(kg, ROOT / "data" / "bronnen")
    for m in misses:
        if m.node in subjects:
            bad += 1
            print(f"CITAAT    {m}")
    print(f"{len(subjects)} knopen gecontroleerd / nodes checked; {bad} fout(en) / error(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
