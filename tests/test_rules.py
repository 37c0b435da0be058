"""The evidence rules (shapes/regels/): a rule file that cannot work is refused with a clear error."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.plugins.sparql.parser import parseQuery

from ggsr_kg import rules
from ggsr_kg.errors import InputError
from ggsr_kg.namespaces import sparql_prologue
from ggsr_kg.scorecard import VOLDOET

# ---- (e) a rule file that cannot work is refused ------------------------------------------------

RULE = """
@prefix shg:   <https://w3id.org/ggsr/shapes#> .
@prefix ggsr:  <https://w3id.org/ggsr/def#> .
@prefix kader: <https://w3id.org/ggsr/kader#> .
@prefix gs:    <https://w3id.org/ggsr/def/grondslag/> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
shg:R9.9.9-test a shg:Bewijsregel ; ggsr:indicator kader:I3.2.2 ; shg:volgorde {order} ;
    shg:uitkomst {outcome} ; {extra}
    rdfs:label "een testregel"@nl , "a test rule"@en ;
    shg:patroon \"\"\"{pattern}\"\"\" .
"""
GOOD = "?feit a ggsr:Visie ; ggsr:netwerk $this ."


def rule_graph(
    pattern: str = GOOD, outcome: str = "kader:voldoet", order: str = "1", extra: str = ""
) -> rdflib.Graph:
    text = RULE.format(pattern=pattern, outcome=outcome, order=order, extra=extra)
    return rdflib.Graph().parse(data=text, format="turtle")


def test_a_good_rule_loads():
    [rule] = rules.rules_from_graph(rule_graph())
    assert (rule.name, rule.outcome, rule.order, rule.fixed_basis) == (
        "R9.9.9-test",
        VOLDOET,
        1,
        None,
    )
    [fixed] = rules.rules_from_graph(rule_graph(extra="shg:grondslag gs:praktijk ;"))
    assert fixed.fixed_basis == "praktijk"


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("?x a ggsr:Visie ; ggsr:netwerk $this .", "bindt ?feit niet"),
        (
            "?x ggsr:netwerk $this . FILTER NOT EXISTS { ?feit ggsr:netwerk $this }",
            "bindt ?feit niet",
        ),
        ("?x ggsr:netwerk $this . OPTIONAL { ?x ggsr:bindt ?feit }", "bindt ?feit niet"),
        ("{ ?feit ggsr:netwerk $this } UNION { ?x ggsr:netwerk $this }", "bindt ?feit niet"),
        ("?feit a ggsr:Visie .", "noemt het netwerk $this niet"),
        ('?feit ggsr:tekst "$this" .', "noemt het netwerk $this niet"),
        ("?feit ggsr:netwerk $this ; ggsr:grondslag ?g .", "?g is gereserveerd"),
        ("?feit ggsr:netwerk ?this .", "?this is gereserveerd"),
        ("?feit ggsr:netwerk $this ; onbekend:iets ?x .", "geen geldige SPARQL"),
        ("?feit ggsr:netwerk $this . FILTER (", "geen geldige SPARQL"),
    ],
)
def test_a_rule_whose_pattern_cannot_work_is_refused(pattern, why):
    with pytest.raises(InputError) as err:
        rules.rules_from_graph(rule_graph(pattern))
    message = str(err.value)
    assert why in message and "R9.9.9-test" in message and " / evidence rule " in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        ({"outcome": "kader:misschien"}, "onbekende shg:uitkomst"),
        ({"outcome": '"voldoet"'}, "onbekende shg:uitkomst"),
        ({"order": '"eerst"'}, "shg:volgorde is geen geheel getal"),
        ({"extra": "shg:grondslag gs:gerucht ;"}, "onbekende shg:grondslag"),
    ],
)
def test_a_rule_with_an_unknown_value_is_refused(kwargs, why):
    with pytest.raises(InputError, match=why):
        rules.rules_from_graph(rule_graph(**kwargs))


def test_two_rules_of_one_indicator_in_the_same_place_are_refused():
    g = rule_graph()
    g += (
        rule_graph()
        .query(
            """CONSTRUCT { <https://w3id.org/ggsr/shapes#R9.9.9-twee> ?p ?o } WHERE { ?s ?p ?o }"""
        )
        .graph
    )
    with pytest.raises(InputError, match="zelfde shg:volgorde 1"):
        rules.rules_from_graph(g)


def test_a_rule_without_labels_is_refused():
    g = rule_graph()
    g.remove((None, rdflib.RDFS.label, None))
    with pytest.raises(InputError, match="rdfs:label"):
        rules.rules_from_graph(g)


def test_every_shipped_rule_binds_its_fact():
    """What the loader checks, on the shipped rules: ?feit bound in every solution."""
    for rule in rules.load_rules():
        query = rdflib.plugins.sparql.algebra.translateQuery(
            parseQuery(sparql_prologue() + "SELECT * WHERE {\n" + rule.pattern + "\n}")
        )
        assert "feit" in rules.bound_variables(query.algebra), rule.name
