"""The persistent store (ggsr_kg/store.py): loaded once, read by later processes, one file
replaced with inference and validation brought up to date only where it touches — equal to
building the store afresh — and all or nothing when the updating process is killed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from ggsr_kg import inference, store
from ggsr_kg.cli import main
from ggsr_kg.errors import InputError
from ggsr_kg.graph import KnowledgeGraph
from ggsr_kg.synth import generate
from ggsr_kg.validation import validate

DZM = ox.NamedNode("https://w3id.org/ggsr/def#Doorzettingsmacht")


def keys(results) -> set:
    return {r.key for r in results}


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    """Six synthetic municipalities, one named graph each, as a national file would be."""
    path = tmp_path_factory.mktemp("synth") / "land.nq"
    generate(6, seed=7).write(path)
    return path


def one_graph(national: Path, index: int, change=None) -> tuple[Path, str]:
    """One municipality's graph of the national file as a file of its own (changed by ``change``,
    a function on its quads); returns the file and the graph IRI."""
    quads = list(ox.parse(path=str(national), format=ox.RdfFormat.N_QUADS))
    graphs = sorted({q.graph_name.value for q in quads if "synth-" in q.graph_name.value})
    g = graphs[index]
    mine = [q for q in quads if q.graph_name.value == g]
    if change:
        mine = change(mine)
    out = national.parent / f"{g.rsplit('/', 1)[-1]}-{index}-{len(mine)}.nq"
    out.write_bytes(ox.serialize(mine, format=ox.RdfFormat.N_QUADS))
    return out, g


def without_doorzettingsmacht(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Drop every authority typed Doorzettingsmacht: the verdict on 3.2.2 changes."""
    gone = {q.subject for q in quads if q.object == DZM}
    return [q for q in quads if q.subject not in gone and q.object not in gone]


def content(kg_store: ox.Store, graph: ox.NamedNode | None = None) -> set[str]:
    """The quads (of one graph), blank-node labels left out (a re-parse makes new ones)."""
    qs = kg_store if graph is None else kg_store.quads_for_pattern(None, None, None, graph)
    return {
        " ".join(
            "_:" if isinstance(t, ox.BlankNode) else str(t)
            for t in (q.subject, q.predicate, q.object)
        )
        + ("" if graph is not None else f" {q.graph_name}")
        for q in qs
    }


def fresh(paths: list[Path]) -> KnowledgeGraph:
    return KnowledgeGraph.default(data=paths)


def test_a_store_is_read_without_parsing_and_holds_the_same_results(tmp_path, national):
    store.load(tmp_path / "st", [national])
    kg = store.open_graph(tmp_path / "st")
    reference = fresh([national])
    assert len(kg) == len(reference.store) + len(content(kg.store, store.RESULTS_GRAPH))
    assert keys(store.stored_results(kg)) == keys(validate(reference))
    assert keys(validate(kg, fresh=True)) == keys(validate(reference))  # validated afresh too
    assert keys(validate(kg)) == keys(store.stored_results(kg))  # the engine reads them back
    # the results are a SHACL report in a graph of their own
    assert kg.ask(
        "ASK { GRAPH <https://w3id.org/ggsr/graph/validatie> { ?r a sh:ValidationReport ; "
        "sh:conforms false ; sh:result ?x . ?x sh:focusNode ?n ; sh:sourceShape ?s } }"
    )


def test_a_store_built_in_memory_equals_one_built_on_disk(tmp_path, national, capsys):
    """The fast build (in memory, then one bulk load to disk) and the lean one (on disk all the
    way) leave the same quads — data, inferred triples, stored results — and the same manifest."""
    assert (
        main(
            ["load", "--store", str(tmp_path / "m"), "--data", str(national), "--bouw", "geheugen"]
        )
        == 0
    )
    assert (
        main(["load", "--store", str(tmp_path / "d"), "--data", str(national), "--bouw", "schijf"])
        == 0
    )
    capsys.readouterr()
    in_memory, on_disk = store.open_graph(tmp_path / "m"), store.open_graph(tmp_path / "d")
    assert len(in_memory.store) == len(on_disk.store)
    assert content(in_memory.store) == content(on_disk.store)
    manifests = [
        json.loads((store.live(tmp_path / x) / "manifest.json").read_text(encoding="utf-8"))
        for x in ("m", "d")
    ]
    assert manifests[0] == manifests[1]
    assert keys(store.stored_results(in_memory)) == keys(store.stored_results(on_disk))


def test_the_build_goes_to_disk_when_memory_is_short(tmp_path, national, monkeypatch):
    """auto: in memory when seven times the input fits in half the free memory."""
    size = national.stat().st_size
    monkeypatch.setattr(store, "_available_memory", lambda: 2 * size * store.MEMORY_PER_INPUT_BYTE)
    assert store.fits_in_memory([national])
    monkeypatch.setattr(store, "_available_memory", lambda: size * store.MEMORY_PER_INPUT_BYTE)
    assert not store.fits_in_memory([national])
    built = []
    real_new_store = store._new_store

    def spy(folder):
        built.append(folder)
        return real_new_store(folder)

    monkeypatch.setattr(store, "_new_store", spy)
    store.load(tmp_path / "st", [national])
    monkeypatch.undo()
    assert built and built[0] is not None  # the build started on disk
    assert store.open_graph(tmp_path / "st").ask("ASK { ?n a ggsr:Netwerk }")


def test_replacing_a_municipality_equals_building_afresh(tmp_path, national):
    st = tmp_path / "st"
    store.load(st, [national])
    changed, g = one_graph(national, 2, without_doorzettingsmacht)
    change = store.replace(st, changed)
    assert change.removed_graphs == [g] and change.added_graphs == [g]
    assert 1 <= len(change.revalidated) <= 2  # its own network states, not the others
    kg = store.open_graph(st)
    # the same data built afresh: the national file without that graph, plus the new file
    rest = tmp_path / "rest.nq"
    quads = [
        q
        for q in ox.parse(path=str(national), format=ox.RdfFormat.N_QUADS)
        if q.graph_name.value != g
    ]
    rest.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    reference = fresh([rest, changed])
    assert content(kg.store, inference.INFERRED_GRAPH) == content(
        reference.store, inference.INFERRED_GRAPH
    )
    assert keys(store.stored_results(kg)) == keys(validate(reference))
    before = keys(validate(fresh([national])))
    assert keys(store.stored_results(kg)) != before, "the change must change a verdict"


def _answer(kg, kept: bool):
    """The doorzettingsmacht answer of a store: the one it keeps (which must be there), or the
    query run afresh."""
    from ggsr_kg import answers
    from ggsr_kg.queries import find_query, run

    query = find_query("doorzettingsmacht")
    if kept:
        answer = answers.read(kg.cache["generation"], query)
        assert answer is not None, "the store keeps no answer"
        assert run(kg, query, {}) == answer  # and a query without parameters reads it
        return answer
    kg.cache.pop("generation", None)
    return run(kg, query, {})


def test_the_kept_answer_of_doorzettingsmacht_equals_the_query_after_every_change(
    tmp_path, national
):
    """The whole answer a store keeps (ggsr_kg/answers.py) is the query's, row for row and in
    order: after the build, after a replace that takes a network's decisive authority away,
    after a remove and after adding the file again."""
    st = tmp_path / "st"
    store.load(st, [national])
    first = _answer(store.open_graph(st), kept=True)
    assert first == _answer(store.open_graph(st), kept=False)
    assert any(r["doorzettingsmacht"].value == "true" for r in first[1])
    changed, g = one_graph(national, 2, without_doorzettingsmacht)
    store.replace(st, changed)
    after = _answer(store.open_graph(st), kept=True)
    assert after == _answer(store.open_graph(st), kept=False)
    assert after != first, "the change must show in the kept answer"
    store.remove(st, g)
    gone = _answer(store.open_graph(st), kept=True)
    assert gone == _answer(store.open_graph(st), kept=False)
    assert {r["netwerk"].value for r in gone[1]} < {r["netwerk"].value for r in first[1]}
    own, _ = one_graph(national, 2)
    store.add(st, own)
    assert _answer(store.open_graph(st), kept=True) == first


def test_a_kept_answer_of_another_version_of_the_query_is_not_used(tmp_path, national):
    from ggsr_kg import answers
    from ggsr_kg.queries import find_query

    st = tmp_path / "st"
    store.load(st, [national])
    kg = store.open_graph(st)
    query = find_query("doorzettingsmacht")
    assert answers.read(kg.cache["generation"], query) is not None
    changed = dataclasses.replace(query, text=query.text + "\n# changed\n")
    assert answers.read(kg.cache["generation"], changed) is None


def test_remove_and_add_again(tmp_path, national):
    st = tmp_path / "st"
    store.load(st, [national])
    full = keys(store.stored_results(store.open_graph(st)))
    own, g = one_graph(national, 4)
    removed = store.remove(st, g)
    kg = store.open_graph(st)
    gone = set(removed.revalidated)
    assert gone and not {k for k in keys(store.stored_results(kg)) if k[0] in gone}
    store.add(st, own)
    assert keys(store.stored_results(store.open_graph(st))) == full
    with pytest.raises(Exception, match="replace"):
        store.add(st, own)  # already there


def test_commands_on_a_store(tmp_path, national, capsys):
    st = tmp_path / "st"
    assert main(["load", "--store", str(st), "--data", str(national)]) == 0
    capsys.readouterr()
    name = "Groningen"
    assert main(["validate", "--store", str(st), "--gemeente", name, "--format", "json"]) == 0
    from_store = capsys.readouterr().out
    assert main(["validate", "--data", str(national), "--gemeente", name, "--format", "json"]) == 0
    assert from_store == capsys.readouterr().out
    assert main(["doorzettingsmacht", "--store", str(st), "--format", "csv"]) == 0
    from_store = capsys.readouterr().out
    assert main(["doorzettingsmacht", "--data", str(national), "--format", "csv"]) == 0
    assert from_store == capsys.readouterr().out
    assert main(["validate", "--store", str(tmp_path / "nothing")]) == 2  # not a store
    assert main(["validate", "--store", str(st), "--data", str(national)]) == 2


def test_named_query_joins_verdicts_with_the_holder_of_the_role(tmp_path, national, capsys):
    """ "Where is 3.2.2 verbeterpunt and the regisseur held by an organisation of type X?" —
    on a fixture where one municipality lost its doorzettingsmacht."""
    st = tmp_path / "st"
    store.load(st, [national])
    changed, g = one_graph(national, 1, without_doorzettingsmacht)
    store.replace(st, changed)
    kg = store.open_graph(st)
    mine = set(store.read_manifest(store.live(st)).networks[g])
    holders = kg.select(
        """SELECT DISTINCT ?t WHERE { ?f org:postIn ?n ; a ggsr:Regisseursfunctie ;
             org:heldBy ?h . ?h a ?t . FILTER(STRSTARTS(STR(?t), STR(ggsr:))) }""",
        {"n": ox.NamedNode(sorted(mine)[0])},
    )
    assert holders
    kind = holders[0]["t"]
    from ggsr_kg.queries import find_query, run

    params = {"indicator": "<https://w3id.org/ggsr/kader#I3.2.2>", "houdertype": f"<{kind.value}>"}
    _, rows = run(kg, find_query("verbeterpunt-met-houder"), params)
    nets = {r["netwerk"].value for r in rows}
    expected = {
        r.focus
        for r in store.stored_results(kg)
        if r.indicator.endswith("I3.2.2") and r.severity.endswith("Violation")
    }
    assert mine & nets, "the changed municipality's networks are verbeterpunt on 3.2.2"
    assert nets <= expected
    params["houdertype"] = "<https://w3id.org/ggsr/def#Gemeente>"  # nobody's regisseur
    assert not run(kg, find_query("verbeterpunt-met-houder"), params)[1]
    # without a store there are no stored verdicts: a clear error, not an empty answer
    with pytest.raises(InputError, match="--store"):
        run(fresh([national]), find_query("verbeterpunt-met-houder"), params)


# ---- kill -9 during an update ----------------------------------------------------------------

UPDATE = """
import sys
from pathlib import Path
from ggsr_kg import store
store.replace(Path(sys.argv[1]), Path(sys.argv[2]))
"""
KILL_BEFORE_COMMIT = """
import os, signal, sys
from pathlib import Path
from ggsr_kg import store
store._change(Path(sys.argv[1]), Path(sys.argv[2]), "replace",
              before_commit=lambda: os.kill(os.getpid(), signal.SIGKILL))
"""


def digest(st: Path) -> tuple[int, str]:
    kg = store.open_graph(st)
    lines = sorted(content(kg.store))
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.mark.slow
def test_kill_9_during_an_update_leaves_the_store_before_or_after(tmp_path, national):
    st, twin = tmp_path / "st", tmp_path / "twin"
    store.load(st, [national])
    store.load(twin, [national])
    changed, _ = one_graph(national, 3, without_doorzettingsmacht)
    before = digest(st)
    t = time.perf_counter()
    store.replace(twin, changed)
    took = time.perf_counter() - t
    after = digest(twin)
    assert before != after
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    rng = random.Random(18)
    seen = {"before": 0, "after": 0}
    for i in range(10):
        script = KILL_BEFORE_COMMIT if i == 0 else UPDATE
        proc = subprocess.Popen([sys.executable, "-c", script, str(st), str(changed)], env=env)
        if i:
            # start-up (imports) plus a random moment of the update itself
            time.sleep(rng.uniform(0.2, 0.6 + 2 * took))
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = digest(st)
        assert state in (before, after), f"kill {i}: the store is neither before nor after"
        seen["before" if state == before else "after"] += 1
        if state == after:  # go back, so later kills can land in the update again
            store.load(st, [national])
            assert digest(st) == before
    assert seen["before"] >= 1  # the kill just before the commit at least
    store.load(st, [national])  # the next writer clears what killed ones left
    leftovers = [p for p in st.glob("gen-*")]
    assert len(leftovers) <= 2  # the live generation and at most the one it replaced


@pytest.mark.server
def test_validate_on_an_endpoint_equals_embedded(oxigraph_server, national, capsys):
    """load --endpoint uploads the inferred closure; the same compiled shapes run there."""
    graph = "https://w3id.org/ggsr/test/schaal"
    assert (
        main(["load", "--endpoint", oxigraph_server, "--graph", graph, "--data", str(national)])
        == 0
    )
    capsys.readouterr()
    for extra in ([], ["--gemeente", "Groningen"]):
        assert (
            main(
                [
                    "validate",
                    "--endpoint",
                    oxigraph_server,
                    "--graph",
                    graph,
                    "--format",
                    "json",
                    *extra,
                ]
            )
            == 0
        )
        remote = capsys.readouterr().out
        assert main(["validate", "--data", str(national), "--format", "json", *extra]) == 0
        local = capsys.readouterr().out
        assert verdicts(remote) == verdicts(local)
        # and how each is explained: grondslag, deciding facts, reasons — asked of the server
        assert json.loads(remote) == json.loads(local)
    assert "verbeterpunt" in {v[3] for v in verdicts(remote)}
    assert {s["grondslag"] for s in json.loads(remote)} - {"geen"}  # explained, not blank
    # and the SHACL results themselves: focus, shape, severity and value
    from ggsr_kg.remote_validation import EndpointGraph, validate_remote, validate_shapes_remote

    endpoint = EndpointGraph(oxigraph_server + "/query", graph, 60.0)
    here = keys(validate(fresh([national])))
    assert keys(validate_remote(endpoint)) == here
    assert keys(validate_shapes_remote(endpoint)) == here  # the compiled shapes, run there
    argv = ["validate", "--endpoint", oxigraph_server, "--graph", graph, "--format", "json"]
    assert main([*argv, "--engine", "shapes"]) == 0
    as_written = capsys.readouterr().out
    assert main(argv) == 0
    assert json.loads(as_written) == json.loads(capsys.readouterr().out)


def verdicts(text: str) -> list[tuple]:
    """The verdicts of validate --format json."""
    return [(s["gemeente"], s["jaar"], s["indicator"], s["status"]) for s in json.loads(text)]


def test_bad_input_to_a_store_is_refused_and_changes_nothing(tmp_path, national, capsys):
    st = tmp_path / "st"
    store.load(st, [national])
    before = digest(st)
    bad = tmp_path / "fout.ttl"
    bad.write_text(
        "@prefix ggsr: <https://w3id.org/ggsr/def#> .\n<urn:x:n> a ggsr:Netwerkk .\n",
        encoding="utf-8",
    )
    assert main(["store", "replace", str(bad), "--store", str(st)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2:" in err and "Netwerkk" in err and err.count("\n") == 1
    assert main(["store", "remove", "urn:x:nergens", "--store", str(st)]) == 2
    assert main(["store", "add", str(tmp_path / "weg.ttl"), "--store", str(st)]) == 2
    assert digest(st) == before
    assert main(["store", "info", "--store", str(st), "--format", "json"]) == 0
    assert '"resultaten_bij_huidige_shapes": true' in capsys.readouterr().out


def test_a_signed_covenant_turned_draft_moves_what_rests_on_it_as_a_fresh_build(tmp_path):
    """What each fact rests on is derived again for the facts a change can move — here the
    facts of Amsterdam's network laid down in its MPG covenant, described in a file of its own,
    when that file makes the covenant a draft — and the store then holds exactly what deriving
    everything afresh gives."""
    shipped = Path(__file__).parent.parent / "data" / "gemeenten" / "amsterdam.ttl"
    doc = ox.NamedNode("https://w3id.org/ggsr/id/doc-convenant-mpg-stadsregio-amsterdam")
    triples = list(ox.parse(path=str(shipped), format=ox.RdfFormat.TURTLE))
    own = {doc} | {
        t.object for t in triples if t.subject == doc and isinstance(t.object, ox.BlankNode)
    }
    covenant, network = tmp_path / "convenant.nt", tmp_path / "amsterdam.nt"
    nt = lambda ts: ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES)  # noqa: E731
    covenant.write_bytes(nt([t for t in triples if t.subject in own]))
    network.write_bytes(nt([t for t in triples if t.subject not in own]))
    st = tmp_path / "st"
    store.load(st, [network, covenant])
    grounded = lambda kg: content(kg.store, inference.INFERRED_GRAPH)  # noqa: E731
    was = grounded(store.open_graph(st))
    signed, draft = (
        f"<https://w3id.org/ggsr/def/documentstatus/{s}>" for s in ("ondertekend", "concept")
    )
    text = covenant.read_text(encoding="utf-8")
    assert text.count(signed) == 1
    covenant.write_text(text.replace(signed, draft), encoding="utf-8")
    store.replace(st, covenant)
    now = grounded(store.open_graph(st))
    assert now == grounded(KnowledgeGraph.default(data=[network, covenant]))
    moved = was - now
    assert sum("grondslag/document" in t for t in moved) >= 10, "the covenant's facts moved"
