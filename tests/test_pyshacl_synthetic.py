"""The fast engine against stock pySHACL on a synthetic sample: six municipalities (twelve
networks) with the generator's deliberate gaps, so every constraint sees both outcomes. A file of
its own: with ``pytest -n`` it runs beside the shipped-data comparison in tests/test_validation.py.
"""

from __future__ import annotations

import pytest

from ggsr_kg.graph import KnowledgeGraph
from ggsr_kg.synth import generate
from ggsr_kg.validation import validate, validate_pyshacl


@pytest.mark.slow
def test_fast_engine_equals_pyshacl_on_a_synthetic_sample(tmp_path):
    result = generate(6, seed=7)
    path = tmp_path / "synth.nt"
    result.write(path)
    kg = KnowledgeGraph.default(data=[path])
    fast = {r.key for r in validate(kg)}
    assert fast == {r.key for r in validate_pyshacl(kg)}
    assert any(v != "voldoet" for v in result.expected.values()) and fast  # gaps were planted
