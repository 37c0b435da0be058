"""Equality with a second, independent SHACL engine: Apache Jena's (Debian's
libapache-jena-java), on a synthetic sample with its inferences. Skipped, with the reason, where
Java or the Jena jars are not installed (`apt-get install libapache-jena-java`; the quirks of the
Debian packaging are handled as described in the project notes on Jena)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF

from ggsr_kg.graph import KnowledgeGraph
from ggsr_kg.namespaces import SH
from ggsr_kg.shapes import FRAMEWORK_FILES, load_graph, shape_files
from ggsr_kg.synth import generate
from ggsr_kg.validation import results_from_report, validate

JARS = Path("/usr/share/java")
DEPENDENCIES = [
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpclient-cache",
    "httpcore",
    "jackson-annotations",
    "jackson-core",
    "jackson-databind",
    "jakarta.json-api",
    "jsonld-java",
    "protobuf",
    "thrift",
    "titanium-json-ld",
    "slf4j-api",
    "slf4j-nop",
    "jcl-over-slf4j",
]


@pytest.fixture(scope="module")
def jena(tmp_path_factory) -> list[str]:
    """The command that runs Jena's SHACL validator, or a skip saying what is missing."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("no Java: Jena's SHACL engine cannot run here")
    jena_jars = sorted(JARS.glob("jena-*.jar"))
    if not jena_jars:
        pytest.skip("Jena is not installed (apt-get install libapache-jena-java)")
    missing = [d for d in DEPENDENCIES if not (JARS / f"{d}.jar").exists()]
    if missing:
        pytest.skip(f"Jena's dependencies are incomplete: {', '.join(missing)}")
    # jena-core ships shaded Xerces classes under xerces/ but their message bundles elsewhere
    fix = tmp_path_factory.mktemp("xerces-bundles")
    with zipfile.ZipFile(JARS / "jena-core.jar") as z:
        for name in z.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                target = fix / "xerces" / name[len("org/apache/jena/ext/xerces/") :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(name))
    classpath = ":".join(
        [str(fix), *map(str, jena_jars), *(str(JARS / f"{d}.jar") for d in DEPENDENCIES)]
    )
    return [java, "-cp", classpath, "shacl.shacl", "validate"]


def one_message_each(g: rdflib.Graph) -> rdflib.Graph:
    """Jena 4.5 refuses an sh:sparql node with more than one sh:message: keep the Dutch one."""
    out = rdflib.Graph()
    for t in g:
        out.add(t)
    for node in set(g.subjects(SH.message, None)):
        messages = sorted(g.objects(node, SH.message), key=lambda m: (m.language != "nl", str(m)))
        for extra in messages[1:]:
            out.remove((node, SH.message, extra))
    return out


@pytest.mark.slow
def test_jena_gives_the_same_results_as_the_fast_engine(jena, tmp_path):
    path = tmp_path / "synth.nq"
    generate(5, seed=11).write(path)
    kg = KnowledgeGraph.default(data=[path])
    data = tmp_path / "data.nt"
    kg.to_rdflib().serialize(data, format="nt")  # every graph, the inferred triples included
    shapes_graph = load_graph(shape_files(FRAMEWORK_FILES))
    shapes = tmp_path / "shapes.ttl"
    one_message_each(shapes_graph).serialize(shapes, format="turtle")
    proc = subprocess.run(
        [*jena, "--shapes", str(shapes), "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = rdflib.Graph().parse(data=proc.stdout, format="turtle")
    assert set(report.subjects(RDF.type, SH.ValidationReport))
    theirs = {r.key for r in results_from_report(report, shapes_graph)}
    ours = {r.key for r in validate(kg)}
    assert ours, "the sample must have findings, or this compares nothing"
    assert theirs == ours
