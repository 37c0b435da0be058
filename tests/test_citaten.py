"""Every quotation in the data occurs in the source it names (issue 14: traceable facts).

The sources are kept in data/bronnen/ so the check runs on a clean clone. A quotation may be made
of fragments joined by "…"; each is checked apart (see ggsr_kg/citations.py for the normalising).
"""

from pathlib import Path

import pytest

from ggsr_kg import citations

BRONNEN = Path(__file__).resolve().parent.parent / "data" / "bronnen"


def test_every_quotation_occurs_in_its_source(kg):
    checked, misses = citations.check(kg, BRONNEN)
    assert checked > 500, "the shipped data should carry hundreds of quotations"
    assert not misses, f"{len(misses)} van {checked} citaten niet in de bron:\n" + "\n".join(
        map(str, misses)
    )


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("het man- daat heeft", True),  # line-break hyphenation in the source
        ("‘Ieder kind doet mee’", True),  # typographic quotes
        ("Ieder kind … doet mee", True),  # fragments, each checked
        ("Ieder kind [...] heeft een mandaat gekregen", False),  # an invented fragment is caught
    ],
)
def test_normalising_and_fragments(quote, found):
    source = citations.normalise(
        "In het document 'Ieder kind doet mee' staat dat het man-\ndaat heeft"
    )
    assert all(f in source for f in citations.fragments(quote)) is found
