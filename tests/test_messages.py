"""Answers that explain themselves: every message of every shape and every reason in every output
names things by label and source — never an unfilled placeholder, a ``$this``, an IRI or a file
name — and gives a reason for every status, never the same sentence twice.

Checked on the shipped data and on every framework fixture (tests/fixtures/kader/, 329 networks:
every rule, every grondslag, every document status), in each format: the scorecard's fields, the
text, JSON, CSV and Turtle of ``validate``, and the answers of ``doorzettingsmacht`` and ``bronnen``.
The report's cells are checked in tests/test_report.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import rdflib

from ggsr_kg.cli import main
from ggsr_kg.namespaces import GGSR, SH
from ggsr_kg.scorecard import scorecard

FIXTURES = Path(__file__).parent / "fixtures"
# what a reader must never see in a reason or message
FORBIDDEN = re.compile(r"\{[?$]|\$this|https?:|urn:|_:|\.txt\b|\(naamloos")


def bad(text: str) -> list[str]:
    return FORBIDDEN.findall(text or "")


@pytest.fixture(scope="module")
def shipped_scores(kg, shipped_results):
    return scorecard(kg, shipped_results, kg.networks())


def texts_of(score) -> list[str]:
    """Every text of a score a reader sees (not the IRIs it links by)."""
    out = [*score.redenen, *score.niet_meegeteld, *score.wat_zou_veranderen, score.regel or ""]
    for f in score.feiten:
        out += [f["label"], *f["bewijs"], *f["bronnen"]]
    return out


# ---- the shapes ----------------------------------------------------------------------------------


def shape_graph() -> rdflib.Graph:
    from ggsr_kg.resources import resource_dir

    g = rdflib.Graph()
    for f in sorted(resource_dir("shapes").rglob("*.ttl")):
        if "regels" not in f.parts:
            g.parse(f, format="turtle")
    return g


def test_every_placeholder_in_a_shape_message_is_a_variable_its_query_projects():
    """A message's ``{?x}`` is filled only when the constraint's SELECT projects ``?x``: anything
    else would reach the reader as ``{?x}`` (the 4.2.1 reason once printed ``{?naam}`` twice)."""
    g = shape_graph()
    checked = 0
    for constraint, message in g.subject_objects(SH.message):
        select = g.value(constraint, SH.select)
        names = re.findall(r"\{[?$](\w+)\}", str(message))
        if not names:
            continue
        assert select is not None, f"{constraint}: a placeholder without a query: {message}"
        projected = str(select).split("WHERE", 1)[0]
        for name in names:
            assert re.search(rf"[?$]{name}\b", projected), f"{constraint}: {{?{name}}} in {message}"
            checked += 1
    assert checked >= 30  # every improvement-point constraint names its grondslag


def test_no_shape_message_shows_this_or_an_iri():
    g = shape_graph()
    messages = list(g.objects(None, SH.message))
    assert len(messages) > 60
    for m in messages:
        assert not re.search(r"\$this|https?:", str(m)), m
        assert m.language in ("nl", "en"), m
    for shape in set(g.subjects(SH.message, None)):
        langs = {m.language for m in g.objects(shape, SH.message)}
        assert langs == {"nl", "en"}, f"{shape}: messages in {langs}"


def test_validation_messages_are_filled_on_the_data_and_every_fixture(shipped_results, kader):
    results = [*shipped_results, *kader.results]
    assert len(results) > 1000
    for r in results:
        for text in (r.message_nl, r.message_en):
            assert text and not bad(text), (r.shape, text)


# ---- the scorecard: a reason for every status, by label and source -------------------------------


def test_every_score_has_reasons_by_label_and_source(shipped_scores, kader):
    scores = [*shipped_scores, *kader.scores.values()]
    seen = {"voldoet": 0, "verbeterpunt": 0, "onbekend": 0}
    for s in scores:
        where = f"{s.gemeente} {s.jaar} {s.indicator}"
        assert s.redenen, f"{where}: {s.status} without a reason"
        head = {"voldoet": "Voldoet (grondslag: ", "verbeterpunt": "Verbeterpunt (grondslag: "}
        assert s.redenen[0].startswith(head.get(s.status, "Onbekend: ")), (where, s.redenen[0])
        for text in texts_of(s):
            assert not bad(text), (where, text)
        assert len(set(s.redenen)) == len(s.redenen), (where, s.redenen)  # never twice
        if s.status != "voldoet":
            assert s.wat_zou_veranderen, f"{where}: what would change a {s.status}?"
        if s.status != "onbekend":
            assert s.grondslag != "geen" and s.feiten, where
            for f in s.feiten:
                assert f["bronnen"] or f["bewijs"] or s.grondslag == "praktijk", (where, f)
        seen[s.status] += 1
    assert min(seen.values()) > 50, seen


def test_sources_are_named_by_title_and_place(shipped_scores):
    places = {b for s in shipped_scores for f in s.feiten for b in f["bronnen"]}
    assert places
    titles = ("STJ-factsheet ", "STJ-bevindingen ", "Rapport Opvoeden in de Buurt")
    for p in places:
        assert p.startswith(titles) and ", " in p, p  # "<title>, <place>"


# ---- every output format -------------------------------------------------------------------------


def run(capsys, *argv) -> str:
    code = main(list(argv))
    out = capsys.readouterr().out
    assert code in (0, 1), argv
    return out


DATA_SETS = [
    [],
    ["--data", str(FIXTURES / "netwerk-minimaal.ttl")],
    ["--data", str(FIXTURES / "bevoegdheden" / "netwerk-y.ttl")],
]


@pytest.mark.parametrize("data", DATA_SETS, ids=["shipped", "minimaal", "bevoegdheden"])
def test_validate_outputs_carry_clean_reasons_in_every_format(capsys, data):
    scores = json.loads(run(capsys, "validate", "--format", "json", *data))
    assert scores
    for s in scores:
        assert s["redenen"] and s["grondslag"]
        for text in (*s["redenen"], *s["wat_zou_veranderen"], *s["niet_meegeteld"]):
            assert not bad(text), text
        for f in s["feiten"]:
            assert not bad(" ".join([f["label"], *f["bewijs"], *f["bronnen"]])), f

    rows = list(csv.DictReader(io.StringIO(run(capsys, "validate", "--format", "csv", *data))))
    assert len(rows) == len(scores)
    for row in rows:
        assert row["redenen"] and row["grondslag"]
        for col in ("redenen", "feiten", "niet_meegeteld", "wat_zou_veranderen", "regel"):
            assert not bad(row[col]), (col, row[col])
        if row["status"] != "onbekend":
            assert row["feiten"], row["indicator"]

    text = run(capsys, "validate", *data)
    reasons = [line for line in text.splitlines() if line.lstrip().startswith("– ")]
    assert len(reasons) >= len(scores)
    for line in reasons:
        assert not bad(line), line

    g = rdflib.Graph().parse(data=run(capsys, "validate", "--format", "turtle", *data))
    verdicts = list(g.subjects(rdflib.RDF.type, GGSR.AfgeleidOordeel))
    assert len(verdicts) == len(scores)  # every status, voldoet included
    for v in verdicts:
        assert (v, GGSR.grondslag, None) in g and (v, GGSR.reden, None) in g
    for p in (GGSR.reden, SH.resultMessage):
        for lit in g.objects(None, p):
            assert not bad(str(lit)), str(lit)


def test_turtle_verdicts_name_their_deciding_facts(capsys):
    data = str(FIXTURES / "bevoegdheden" / "netwerk-y.ttl")
    g = rdflib.Graph().parse(data=run(capsys, "validate", "--format", "turtle", "--data", data))
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    kader = rdflib.Namespace("https://w3id.org/ggsr/kader#")
    y16 = rdflib.URIRef("https://w3id.org/ggsr/id/y-2016")
    [v] = [
        v
        for v in g.subjects(GGSR.indicator, kader["I3.2.2"])
        if (v, GGSR.netwerk, y16) in g and (v, rdflib.RDF.type, GGSR.AfgeleidOordeel) in g
    ]
    assert (v, GGSR.uitkomst, kader.voldoet) in g
    assert set(g.objects(v, prov.wasDerivedFrom)) == {
        rdflib.URIRef("https://w3id.org/ggsr/id/y-2016-dzm")
    }


def test_doorzettingsmacht_and_bronnen_name_sources_by_title(capsys):
    for argv in (
        ["doorzettingsmacht"],
        ["doorzettingsmacht", "--data", str(FIXTURES / "bevoegdheden" / "netwerk-y.ttl")],
    ):
        text = run(capsys, *argv)
        assert "Doorzettingsmacht:" in text
        assert not bad(text), bad(text)
    rows = json.loads(run(capsys, "query", "bronnen", "--format", "json"))
    for r in rows:
        assert not bad(" ".join(str(r[k] or "") for k in ("bronNaam", "plaats", "naam"))), r
    rows = json.loads(run(capsys, "doorzettingsmacht", "--format", "json"))
    for r in rows:
        shown = [r[k] or "" for k in r if k not in ("gemeente", "netwerk", "feit")]
        assert not bad(" ".join(map(str, shown))), r
