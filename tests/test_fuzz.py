"""Fuzzing with a bounded budget: random user values never crash a command (exit 0 or 2, no
traceback), and byte mutations of a valid Turtle or TriG file either load or are refused with an
InputError naming file:line:column. Crashes found are kept as @example cases and tests at the end."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from ggsr_kg.cli import main
from ggsr_kg.errors import InputError
from ggsr_kg.graph import KnowledgeGraph

BUDGET = settings(
    max_examples=int(os.environ.get("GGSR_FUZZ_EXAMPLES", "60")),
    deadline=None,
    database=None,  # nothing written into the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---- user values on the command line -------------------------------------------------------------

ARGV_BYTES = st.binary(max_size=24).map(lambda b: b.decode("utf-8", "surrogateescape"))
VALUES = st.one_of(
    st.text(max_size=40),
    ARGV_BYTES,  # what a shell hands over for bytes that are not UTF-8
    st.from_regex(r"[0-9]{1,6}", fullmatch=True),
    st.sampled_from(['" } ; DROP ALL ; #', "<http://a b>", "<javascript:x>", "a\nb", "\x00", "}"]),
    st.text(alphabet="<>{}\"';#?$\\ \n:/.0123456789DROPAL", max_size=30),
)
DATA_YEARS = {2009, 2013, 2014}


def _is_data_year(value: str) -> bool:
    try:
        return int(value) in DATA_YEARS
    except ValueError:
        return False


@pytest.fixture(scope="module")
def shared_graph(tmp_path_factory):
    """Every command in this module answers from one graph built once (the shipped data)."""
    kg = KnowledgeGraph.default()
    rq = tmp_path_factory.mktemp("rq") / "labels.rq"
    rq.write_text(
        "# Labels\n# @param x: anything\n"
        "SELECT ?n WHERE { ?n <http://www.w3.org/2000/01/rdf-schema#label> ?x }\n",
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as mp:
        from ggsr_kg.commands import query, validate

        mp.setattr(query, "load_graph", lambda args: kg)
        mp.setattr(validate, "load_graph", lambda args: kg)
        yield kg, rq


COMMANDS = [
    lambda v, rq: ["query", "bronnen", f"--param=bron={v}"],
    lambda v, rq: ["query", "rollen", f"--param=gemeente={v}"],
    lambda v, rq: ["query", "rollen", f"--param=jaar={v}"],
    lambda v, rq: ["query", "bronnen", f"--param={v}"],
    lambda v, rq: ["query", str(rq), f"--param=x={v}"],
    lambda v, rq: ["doorzettingsmacht", f"--gemeente={v}"],
    lambda v, rq: ["doorzettingsmacht", f"--jaar={v}"],
    lambda v, rq: ["validate", f"--gemeente={v}"],
    lambda v, rq: ["validate", f"--jaar={v}"],
]


@BUDGET
@given(command=st.sampled_from(range(len(COMMANDS))), value=VALUES)
# regressions: undecodable argv bytes crashed ox.Literal with a ValueError traceback
@example(command=0, value="\udcff")
@example(command=1, value="caf\udce9")
@example(command=5, value="\udcff")
@example(command=7, value="\udcff")
@example(command=6, value="٢٠١٤")  # non-ASCII digits were bound as an invalid xsd:integer
def test_random_user_values_never_crash(shared_graph, capsys, command, value):
    kg, rq = shared_graph
    argv = COMMANDS[command](value, rq)
    if argv[0] == "validate":
        assume(not _is_data_year(value))  # a real year runs the whole scorecard: not fuzz material
        assume(value.strip().casefold() not in {n.casefold() for _, n in kg.municipalities()})
    before = len(kg)
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse refusing a value (e.g. --jaar=abc): its usage, exit 2
        code = exc.code
    _, err = capsys.readouterr()
    assert code in (0, 2), err
    assert "Traceback" not in err
    assert len(kg) == before


# ---- byte mutations of a valid file --------------------------------------------------------------

TURTLE = b"""@prefix ggsr: <https://w3id.org/ggsr/def#> .
@prefix id: <https://w3id.org/ggsr/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:gemeente-f a ggsr:Gemeente ; rdfs:label "Fuzz"@nl ; ggsr:cbsCode "GM9997" .
id:f-aanpak a ggsr:Aanpak ; rdfs:label "Aanpak Fuzz"@nl ; ggsr:gemeente id:gemeente-f .
id:f-2014 a ggsr:Netwerk ; ggsr:aanpak id:f-aanpak ; ggsr:peiljaar 2014 ;
   org:hasMember id:f-cjg , [ a ggsr:Politie ; rdfs:label "Politie"@nl ] .
id:f-cjg a ggsr:CentrumJeugdEnGezin ; rdfs:label "CJG \\"Fuzz\\""@nl ;
   ggsr:toelichting '''meer
regels'''@nl .
id:f-v a ggsr:Verklaring ; ggsr:netwerk id:f-2014 ; ggsr:bevestigt false ;
   ggsr:peiljaar "2014"^^xsd:integer .
"""
TRIG = (
    TURTLE.split(b"id:gemeente-f", 1)[0]
    + b'id:g-fuzz {\n  id:f-x a ggsr:Gemeente ; rdfs:label "X"@nl .\n}\n'
)

MUTATION = st.tuples(
    st.integers(min_value=0, max_value=len(TURTLE) - 1),
    st.sampled_from(["delete", "insert", "replace"]),
    st.one_of(
        st.binary(min_size=1, max_size=3),
        st.sampled_from([b'"', b"<", b">", b":", b".", b";", b"@", b"\\", b"#", b"\n", b"\xff"]),
        st.sampled_from([b"k", b"x", b"_", b"1"]),  # typos that keep the syntax: wrong terms
    ),
)


def mutate(data: bytes, mutations: list[tuple[int, str, bytes]]) -> bytes:
    for at, op, chunk in mutations:
        at = at % max(1, len(data))
        if op == "delete":
            data = data[:at] + data[at + len(chunk) :]
        elif op == "insert":
            data = data[:at] + chunk + data[at:]
        else:
            data = data[:at] + chunk + data[at + len(chunk) :]
    return data


@pytest.fixture(scope="module")
def ontology_graph():
    kg = KnowledgeGraph()
    kg.load_resource("ontology")
    kg.vocabulary()
    return kg


def _load_or_refuse(kg: KnowledgeGraph, path: Path) -> None:
    try:
        kg.load_user(path)
    except InputError as exc:
        message = str(exc)
        assert re.match(re.escape(str(path)) + r":\d+:\d+: ", message), message
        assert "\n" not in message, message


@BUDGET
@given(mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_mutated_turtle_loads_or_is_refused_with_the_place(ontology_graph, tmp_path, mutations):
    path = tmp_path / "mutant.ttl"
    path.write_bytes(mutate(TURTLE, mutations))
    _load_or_refuse(ontology_graph, path)


@BUDGET
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_mutated_trig_loads_or_is_refused_with_the_place(ontology_graph, tmp_path, mutations):
    path = tmp_path / "mutant.trig"
    path.write_bytes(mutate(TRIG, mutations))
    _load_or_refuse(ontology_graph, path)


def test_the_unmutated_files_load(ontology_graph, tmp_path):
    for name, data in (("ok.ttl", TURTLE), ("ok.trig", TRIG)):
        path = tmp_path / name
        path.write_bytes(data)
        assert ontology_graph.load_user(path) > 0


# ---- addresses and graph names: refused before anything is sent, or usable -------------------------

URLS = st.one_of(
    st.builds(
        lambda scheme, host, port, path: f"{scheme}{host}{port}{path}",
        st.sampled_from(["http://", "https://", "ftp://", "", "http:/", "HTTP://"]),
        st.one_of(st.sampled_from(["127.0.0.1", "[::1]", "localhost", "ü.example", ""]), VALUES),
        st.sampled_from(["", ":0", ":7878", ":99999", ":x", ":"]),
        st.one_of(st.sampled_from(["", "/", "/query", "/sparql"]), VALUES),
    ),
    VALUES,
)


@BUDGET
@given(url=URLS, graph=VALUES)
@example(url="http://\udcff", graph="\udcff")  # regressions: tracebacks before check_url
@example(url="http://[::1", graph="x> } ; DROP ALL ; <y")
@example(url="http://" + "a" * 300 + "/", graph="http://a b")
@example(url="http://127.0.0.1:1/\udcff", graph="")
@example(url="", graph="\n")  # the IRI error quoted a raw newline: two lines
def test_any_endpoint_address_or_graph_name_is_usable_or_refused(url, graph):
    import http.client
    import urllib.request

    from ggsr_kg import remote
    from ggsr_kg.commands.load import _target

    try:
        urls = remote.endpoint_urls(url)
    except InputError as exc:
        assert exc.exit_code == 2 and "\n" not in str(exc)
    else:
        for address in (urls.query, urls.update, urls.store):
            req = urllib.request.Request(address)  # what the HTTP client will be given
            assert req.host and address.isascii() or not req.host.isascii()
            http.client.HTTPConnection(req.host)  # host and port are accepted
    try:
        iri = _target(graph)
    except InputError as exc:
        assert exc.exit_code == 2 and "\n" not in str(exc)
    else:
        assert not set(iri) & set('<>"{}|^`\\ \n')  # cannot leave the <…> of MOVE … TO <…>


# ---- answers of a server: mutations of valid SPARQL results ---------------------------------------

ANSWERS = {
    "application/sparql-results+json": (
        b'{"head":{"vars":["g","n"]},"results":{"bindings":[{"g":{"type":"uri","value":'
        b'"https://w3id.org/ggsr/id/gemeente-x"},"n":{"type":"literal","value":"X \\"1\\"",'
        b'"xml:lang":"nl"}},{"g":{"type":"bnode","value":"b0"},"n":{"type":"literal","value":'
        b'"2014","datatype":"http://www.w3.org/2001/XMLSchema#integer"}}]}}'
    ),
    "application/sparql-results+xml": (
        b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
        b'<variable name="g"/></head><results><result><binding name="g"><uri>urn:x</uri>'
        b"</binding></result></results></sparql>"
    ),
    "text/tab-separated-values": b'?g\t?n\n<urn:x>\t"a\\tb"@nl\n_:b\t2014\n',
}
ANSWER_MUTATION = st.tuples(
    st.integers(min_value=0, max_value=400),
    st.sampled_from(["delete", "insert", "replace", "truncate"]),
    st.one_of(
        st.binary(min_size=1, max_size=3),
        st.sampled_from([b'"', b"{", b"}", b"[", b"]", b",", b"<", b">", b"\t", b"\n", b"\xff"]),
        st.just(b"The SPARQL operation has been cancelled"),
    ),
)


@BUDGET
@given(
    media=st.sampled_from(sorted(ANSWERS)),
    mutations=st.lists(ANSWER_MUTATION, min_size=1, max_size=4),
)
@example(media="application/sparql-results+json", mutations=[(110, "truncate", b"x")])
def test_a_mangled_server_answer_is_rows_or_an_endpoint_error(media, mutations):
    """What a broken or hostile server sends reaches the user as rows or as one line with exit
    code 3: never a traceback, never anything but pyoxigraph terms."""
    from ggsr_kg import remote
    from ggsr_kg.errors import EndpointError

    body = ANSWERS[media]
    for at, op, chunk in mutations:
        if op == "truncate":
            body = body[: at % max(1, len(body))] + (chunk if chunk.startswith(b"The") else b"")
        else:
            body = mutate(body, [(at, op, chunk)])
    try:
        names, rows = remote.parse_results("http://127.0.0.1:1/query", body, media)
    except EndpointError as exc:
        assert exc.exit_code == 3 and "\n" not in str(exc)
    else:
        assert all(isinstance(n, str) for n in names)
        terms = (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)
        assert all(v is None or isinstance(v, terms) for row in rows for v in row.values())


# ---- regressions found by the fuzzers ------------------------------------------------------------


def test_regression_nul_byte_in_a_data_file_name(capsys):
    """Found while fuzzing: a NUL byte in a --data name was a ValueError traceback."""
    assert main(["info", "--data", "a\x00b.ttl"]) == 2
    assert "Traceback" not in capsys.readouterr().err
