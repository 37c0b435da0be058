"""The command line as users meet it: documented exit codes, clear errors, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ggsr_kg.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_info_lists_what_is_loaded(capsys):
    code, out, _ = run(capsys, "info", "--format", "json")
    assert code == 0
    info = json.loads(out)
    assert info["indicatoren"] == 30
    assert info["shapes"] == 60


def test_malformed_turtle_names_file_and_line(capsys, tmp_path: Path):
    bad = tmp_path / "kapot.ttl"
    bad.write_text(
        '@prefix ggsr: <https://w3id.org/ggsr/def#> .\n\nggsr:a ggsr:b "open .\n', encoding="utf-8"
    )
    code, out, err = run(capsys, "validate", "--data", str(bad))
    assert code == 2
    assert f"{bad}:3:" in err
    assert "Traceback" not in err


def test_non_utf8_file_names_line_and_column(capsys, tmp_path: Path):
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes(b'@prefix a: <http://x/> .\na:b a:c "caf\xe9" .\n')
    code, _, err = run(capsys, "info", "--data", str(bad))
    assert code == 2
    assert f"{bad}:2:" in err and "UTF-8" in err


def test_empty_file_is_refused(capsys, tmp_path: Path):
    empty = tmp_path / "leeg.ttl"
    empty.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "info", "--data", str(empty))
    assert code == 2 and "leeg" in err


def test_unknown_municipality_says_what_exists(capsys, tmp_path: Path):
    code, _, err = run(capsys, "validate", "--gemeente", "Atlantis")
    assert code == 2
    assert "Atlantis" in err and "Bekend" in err


def test_unknown_query_lists_the_named_queries(capsys):
    code, _, err = run(capsys, "query", "bestaat-niet")
    assert code == 2
    assert "doorzettingsmacht" in err


def test_malformed_parameter_is_refused(capsys):
    code, _, err = run(capsys, "query", "doorzettingsmacht", "--param", "gemeente")
    assert code == 2 and "naam=waarde" in err


def test_sparql_file_with_syntax_error(capsys, tmp_path: Path):
    q = tmp_path / "fout.rq"
    q.write_text("SELECT ?x WHERE { ?x ?y }", encoding="utf-8")
    code, _, err = run(capsys, "query", str(q))
    assert code == 2 and "fout.rq" in err and "syntax" in err.lower()


def test_validate_json_has_the_documented_keys(capsys, tmp_path: Path):
    fixture = Path(__file__).parent / "fixtures" / "netwerk-minimaal.ttl"
    code, out, _ = run(capsys, "validate", "--data", str(fixture), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 30
    assert {
        "gemeente",
        "aanpak",
        "jaar",
        "indicator",
        "label",
        "status",
        "grondslag",
        "redenen",
        "feiten",
        "niet_meegeteld",
        "wat_zou_veranderen",
        "stj",
    } <= set(rows[0])
    assert {r["status"] for r in rows} <= {"voldoet", "verbeterpunt", "onbekend"}
    assert isinstance(rows[0]["jaar"], int)
    by_code = {r["indicator"]: r for r in rows}
    assert (by_code["3.2.2"]["status"], by_code["3.2.2"]["grondslag"]) == ("voldoet", "document")
    assert (by_code["5.3.1"]["status"], by_code["5.3.1"]["grondslag"]) == (
        "verbeterpunt",
        "bevinding",
    )
    assert (by_code["1.1.1"]["status"], by_code["1.1.1"]["grondslag"]) == ("onbekend", "geen")
    assert all(r["redenen"] for r in rows)  # a reason for every status, voldoet included


def test_strict_exits_one_when_there_is_a_verbeterpunt(capsys):
    fixture = Path(__file__).parent / "fixtures" / "netwerk-minimaal.ttl"
    code, _, _ = run(capsys, "validate", "--data", str(fixture), "--strict")
    assert code == 1


def test_turtle_format_is_a_shacl_report(capsys):
    import rdflib

    fixture = Path(__file__).parent / "fixtures" / "netwerk-minimaal.ttl"
    code, out, _ = run(capsys, "validate", "--data", str(fixture), "--format", "turtle")
    assert code == 0
    g = rdflib.Graph().parse(data=out, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, rdflib.RDF.type, sh.ValidationReport) in g


@pytest.mark.parametrize("fmt", ["text", "csv"])
def test_other_formats_render(capsys, fmt):
    fixture = Path(__file__).parent / "fixtures" / "netwerk-minimaal.ttl"
    code, out, _ = run(capsys, "validate", "--data", str(fixture), "--format", fmt)
    assert code == 0 and "3.2.2" in out


def test_the_compiled_shapes_as_written_give_the_same_scorecard(capsys):
    """--engine shapes runs the SHACL-SPARQL constraints of shapes/kader/ as written; the default
    engine takes their decision from the rules they were compiled from: the same scorecard."""
    assert main(["validate", "--format", "json"]) in (0, 1)
    default = json.loads(capsys.readouterr().out)
    assert main(["validate", "--engine", "shapes", "--format", "json"]) in (0, 1)
    assert json.loads(capsys.readouterr().out) == default
    assert {s["status"] for s in default} == {"voldoet", "verbeterpunt", "onbekend"}
