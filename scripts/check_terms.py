"""Developer check: parse data files and list terms of our namespaces that the ontology does not declare.

Usage: python scripts/check_terms.py data/gemeenten/emmen.ttl [more.ttl …]
"""

import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

ROOT = Path(__file__).resolve().parent.parent
OURS = ("https://w3id.org/ggsr/def", "https://w3id.org/ggsr/kader#")


def main(paths: list[str]) -> int:
    onto = Graph()
    for f in sorted((ROOT / "ontology").rglob("*.ttl")):
        onto.parse(f)
    declared = {s for s in onto.subjects() if isinstance(s, URIRef)}
    bad = 0
    for p in paths:
        g = Graph().parse(p)
        used = set()
        for _s, pr, o in g:
            used.add(pr)
            if pr == RDF.type or isinstance(o, URIRef):
                used.add(o)
        for t in sorted(str(u) for u in used if isinstance(u, URIRef)):
            if t.startswith(OURS) and URIRef(t) not in declared:
                print(f"{p}: undeclared term {t}")
                bad += 1
        print(f"{p}: {len(g)} triples")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
