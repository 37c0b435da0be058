"""A persistent store on disk: load the national graph once, then query and validate it from
later processes without parsing again, and add, replace or remove one municipality's file.

Layout of a store directory::

    DIR/CURRENT          the name of the live generation (one line)
    DIR/gen-<n>/oxigraph the Oxigraph (RocksDB) store: ontology, data, inferred triples, results
    DIR/gen-<n>/manifest.json  which file each graph came from, which networks it defines,
                         whether inference is on, and the digest of the shapes the results are of
    DIR/.lock            held by the one process that writes

Every change builds a new generation and then replaces ``CURRENT`` (``os.replace``, atomic on
POSIX): the generation is a hard-linked checkpoint of the live one (RocksDB's backup, about as
cheap as opening the store), the change is applied to it, its inferred triples and validation
results are brought up to date, it is flushed and closed, and only then ``CURRENT`` names it.
A process killed at any moment (kill -9, power aside) leaves ``CURRENT`` naming either the old
generation or the complete new one, never a half-updated store; leftovers are removed by the next
writer. Readers open the live generation read-only and never see a writer's work in progress.

Graphs of their own: the inferred triples (:data:`ggsr_kg.inference.INFERRED_GRAPH`) and the
validation results (:data:`RESULTS_GRAPH`, a ``sh:ValidationReport`` with one
``sh:ValidationResult`` per result, each also carrying ``ggsr:indicator``), so a query can join
verdicts with facts (``queries/verbeterpunt-met-houder.rq``).

Replacing a file re-infers only the nodes its old and new triples mention
(:func:`ggsr_kg.inference.refresh`) and re-validates only the networks whose partition it touches
(the networks it defines and those whose graphs mention its nodes), on their partition.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import answers, inference
from .errors import InputError
from .rdfio import GRAPH_BASE, graph_name, parse_file

RESULTS_GRAPH = ox.NamedNode(GRAPH_BASE + "validatie")
REPORT = ox.NamedNode(GRAPH_BASE + "validatie#rapport")
RESULT_BASE = GRAPH_BASE + "validatie/resultaat/"
_SH = "http://www.w3.org/ns/shacl#"
_GGSR = "https://w3id.org/ggsr/def#"
_XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
_RDF_TYPE = inference.TYPE
_NETWERK = ox.NamedNode(_GGSR + "Netwerk")
_BASES = "https://w3id.org/ggsr/def/grondslag/"  # as validation.report_graph writes them


def sh(name: str) -> ox.NamedNode:
    return ox.NamedNode(_SH + name)


@dataclass
class Manifest:
    """What a generation holds besides its quads: the catalogue of graphs."""

    sources: dict[str, str] = field(default_factory=dict)  # data graph IRI → file it came from
    networks: dict[str, list[str]] = field(default_factory=dict)  # graph IRI → networks it types
    counts: dict[str, int] = field(default_factory=dict)  # file → quads read from it
    infer: bool = True
    inferred: int = 0
    shapes: str = ""  # digest of the shapes the stored results are of ("" = none stored)
    declared: list[str] = field(default_factory=list)  # the ontology's ggsr: terms
    ranges: dict[str, str] = field(default_factory=dict)  # datatype property → range

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        return cls(**json.loads(text))


# ---- locations -----------------------------------------------------------------------------------


def _current(directory: Path) -> Path | None:
    try:
        name = (directory / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return directory / name if name else None


def live(directory: Path) -> Path:
    """The live generation's folder; InputError when ``directory`` holds no store."""
    gen = _current(Path(directory))
    if gen is None or not (gen / "oxigraph").is_dir():
        raise InputError(
            f"{directory}: geen ggsr-kg-store (maak er een met ggsr-kg load --store) / "
            "not a ggsr-kg store (create one with ggsr-kg load --store)"
        )
    return gen


def read_manifest(gen: Path) -> Manifest:
    return Manifest.from_json((gen / "manifest.json").read_text(encoding="utf-8"))


def shapes_digest() -> str:
    from .shapes import FRAMEWORK_FILES, shape_files

    h = hashlib.sha256()
    for f in shape_files(FRAMEWORK_FILES):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:32]


@contextlib.contextmanager
def _writer(directory: Path):
    """The one writer of ``directory``: an exclusive lock, and leftovers of killed writers gone."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{directory}: geen map voor een store / not a folder for a store ({exc.strerror})"
        ) from None
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _collect_garbage(directory)
        yield


def _collect_garbage(directory: Path, keep_previous: Path | None = None) -> None:
    """Remove generations that ``CURRENT`` does not name (a killed writer's, older ones); the one
    just replaced is kept until the next change, for readers that opened it a moment ago."""
    current = _current(directory)
    for gen in directory.glob("gen-*"):
        if gen != current and gen != keep_previous:
            shutil.rmtree(gen, ignore_errors=True)


def _commit(directory: Path, gen: Path) -> None:
    """Make ``gen`` the live generation in one atomic rename."""
    tmp = directory / "CURRENT.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(gen.name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, directory / "CURRENT")
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_generation(directory: Path) -> Path:
    return directory / f"gen-{time.time_ns()}"


# ---- building ------------------------------------------------------------------------------------


# Peak memory of a build in memory per byte of input, measured on the synthetic national file
# (665 MB of N-Quads at 3,420 municipalities: 3.7 GB, a factor 5.5), with a margin. On disk the
# same build peaked at 1.9 GB and took 2.5 times as long (455 s vs 178 s; bench/results).
MEMORY_PER_INPUT_BYTE = 7


def load(
    directory: Path,
    data: Iterable[Path] | None = None,
    *,
    infer: bool = True,
    check=None,
    in_memory: bool | None = None,
) -> Manifest:
    """Build a store in ``directory`` (replacing what it held) from the ontology and ``data``
    (the shipped data when None): parsed, checked, inferred and validated once. ``check(kg)``
    runs before the new store is switched to (the privacy guard of the command); an error
    there leaves the store as it was.

    ``in_memory``: build in memory and write the finished store to disk in one bulk load, or
    build on disk. Every query of the build (checks, inference, validation) is four to five
    times slower on RocksDB than in memory, but the build in memory holds the whole graph: about
    five to six times the input. None (the default) builds in memory when that fits in half the memory
    available now (:func:`fits_in_memory`). The store is the same either way (tested)."""
    from .graph import KnowledgeGraph

    directory = Path(directory)
    data = None if data is None else list(data)
    if in_memory is None:
        in_memory = fits_in_memory(data or [])
    with _writer(directory):
        previous = _current(directory)
        gen = _new_generation(directory)
        gen.mkdir()
        work = _work_dir(gen)
        store = _new_store(None if in_memory else work)
        kg = KnowledgeGraph(store=store)
        kg.load_sources(data, direct=True)  # a failed check discards the generation
        manifest = Manifest(infer=infer)
        declared, ranges = kg.vocabulary()
        manifest.declared, manifest.ranges = sorted(declared), dict(ranges)
        manifest.sources = {g.value: str(p) for p, g in kg.graphs.items()}
        manifest.sources |= {g: str(p) for g, p in kg.sources.items()}
        manifest.counts = {str(p): n for p, n in kg.files.items()}
        if infer:
            manifest.inferred = kg.infer()
        if check is not None:
            check(kg)
        manifest.networks = {g: sorted(n) for g, n in kg._network_graphs().items()}
        _store_results(kg, manifest, None)
        answers.compute(kg.store, gen)  # the whole answers of the stored queries
        if in_memory:
            # written out, then the graph in memory is let go before the bulk loader takes its
            # own buffers: the peak is the larger of the two, not their sum (4.0 → 3.7 GB at 3,420)
            dump = gen / "bouw.nq"
            kg.store.dump(output=str(dump), format=ox.RdfFormat.N_QUADS)
            del kg, store
            gc.collect()
            store = _from_dump(dump, work)
            kg = None
        _finish(store, gen, manifest)
        del kg, store
        gc.collect()  # drop the read-write instance before its folder goes
        _commit(directory, gen)
        shutil.rmtree(_work_dir(gen), ignore_errors=True)
        _collect_garbage(directory, keep_previous=previous)
    return manifest


def _new_store(folder: Path | None) -> ox.Store:
    """The store a build starts from: in memory (None), or on disk in ``folder``."""
    return ox.Store() if folder is None else ox.Store(str(folder))


def fits_in_memory(files: Iterable[Path]) -> bool:
    """True when a build in memory of ``files`` fits in half the memory available now (Linux's
    MemAvailable; True where that cannot be read)."""
    size = sum(Path(f).stat().st_size for f in files if Path(f).is_file())
    available = _available_memory()
    return available is None or size * MEMORY_PER_INPUT_BYTE <= available // 2


def _available_memory() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _from_dump(dump: Path, folder: Path) -> ox.Store:
    """A store on disk in ``folder`` from the N-Quads ``dump`` of a finished build (in the
    generation, so a killed writer's leftover goes with it), bulk-loaded — Oxigraph's fastest way
    in; blank node labels are kept."""
    try:
        disk = ox.Store(str(folder))
        disk.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    finally:
        dump.unlink(missing_ok=True)
    return disk


def _work_dir(gen: Path) -> Path:
    """Where a generation is built: the read-write store lives there, not in the generation."""
    return gen.parent / f"{gen.name}-werk"


def _finish(store: ox.Store, gen: Path, manifest: Manifest) -> None:
    """Freeze the built store into the generation: a RocksDB checkpoint (hard links) of its
    flushed state. The read-write instance may still compact its own folder in the background
    until it is dropped; the checkpoint's files never change, so a reader of the generation
    never meets a file that compaction removed."""
    store.flush()
    store.backup(str(gen / "oxigraph"))
    (gen / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")


def _store_results(kg, manifest: Manifest, focus: set[str] | None) -> None:
    """Validate (all networks, or ``focus`` on their partition) and write the results into
    RESULTS_GRAPH, replacing those of the same networks."""
    from .validation import validate

    if focus is None:
        results = validate(kg, fresh=True)
        if kg.store.contains_named_graph(RESULTS_GRAPH):
            kg.store.remove_graph(RESULTS_GRAPH)
    else:
        nodes = [ox.NamedNode(n) for n in sorted(focus)]
        for n in nodes:
            for q in list(kg.store.quads_for_pattern(None, sh("focusNode"), n, RESULTS_GRAPH)):
                _remove_result(kg.store, q.subject)
        alive = _alive(kg.store, focus)
        results = validate(kg, focus=alive, fresh=True) if alive else []
    kg.store.extend(q for r in results for q in result_quads(r))
    violation = next(
        kg.store.quads_for_pattern(None, sh("resultSeverity"), sh("Violation"), RESULTS_GRAPH),
        None,
    )
    # the report's own statements, renewed (its sh:result links, one per result, stay)
    for p in (_RDF_TYPE, sh("conforms")):
        for q in list(kg.store.quads_for_pattern(REPORT, p, None, RESULTS_GRAPH)):
            kg.store.remove(q)
    conforms = ox.Literal("false" if violation else "true", datatype=_XSD_BOOLEAN)
    kg.store.extend(
        [
            ox.Quad(REPORT, _RDF_TYPE, sh("ValidationReport"), RESULTS_GRAPH),
            ox.Quad(REPORT, sh("conforms"), conforms, RESULTS_GRAPH),
        ]
    )
    manifest.shapes = shapes_digest()


def _alive(store: ox.Store, networks: Iterable[str]) -> list[ox.NamedNode]:
    """Those of ``networks`` the store still defines, in order."""
    return [n for n in map(ox.NamedNode, sorted(networks)) if _is_network(store, n)]


def _is_network(store: ox.Store, node: ox.NamedNode) -> bool:
    return any(
        q.graph_name not in (inference.INFERRED_GRAPH, RESULTS_GRAPH)
        for q in store.quads_for_pattern(node, _RDF_TYPE, _NETWERK)
    )


def _remove_result(store: ox.Store, node: ox.NamedNode) -> None:
    for q in list(store.quads_for_pattern(node, None, None, RESULTS_GRAPH)):
        store.remove(q)
    store.remove(ox.Quad(REPORT, sh("result"), node, RESULTS_GRAPH))


def result_quads(r) -> list[ox.Quad]:
    """One result in the SHACL report vocabulary, under an IRI made from what identifies it."""
    key = "\n".join((r.focus, r.shape, r.severity, r.value))
    node = ox.NamedNode(RESULT_BASE + hashlib.sha1(key.encode()).hexdigest()[:24])
    g = RESULTS_GRAPH
    out = [
        ox.Quad(REPORT, sh("result"), node, g),
        ox.Quad(node, _RDF_TYPE, sh("ValidationResult"), g),
        ox.Quad(node, sh("focusNode"), ox.NamedNode(r.focus), g),
        ox.Quad(node, sh("sourceShape"), ox.NamedNode(r.shape), g),
        ox.Quad(node, sh("resultSeverity"), ox.NamedNode(r.severity), g),
        ox.Quad(node, sh("sourceConstraintComponent"), sh("SPARQLConstraintComponent"), g),
    ]
    if r.value_term is not None and not isinstance(r.value_term, ox.BlankNode):
        out.append(ox.Quad(node, sh("value"), r.value_term, g))
    if r.indicator:
        out.append(ox.Quad(node, ox.NamedNode(_GGSR + "indicator"), ox.NamedNode(r.indicator), g))
    if getattr(r, "grondslag", None):  # what the result rests on, as in report_graph
        out.append(
            ox.Quad(node, ox.NamedNode(_GGSR + "grondslag"), ox.NamedNode(_BASES + r.grondslag), g)
        )
    for lang, msg in (("nl", r.message_nl), ("en", r.message_en)):
        if msg:
            out.append(ox.Quad(node, sh("resultMessage"), ox.Literal(msg, language=lang), g))
    return out


# ---- opening -------------------------------------------------------------------------------------


def open_graph(directory: Path):
    """The live generation as a read-only KnowledgeGraph (no parsing, no inference)."""
    from .graph import KnowledgeGraph

    for attempt in range(3):  # a writer may retire the generation we just read the name of
        gen = live(Path(directory))
        try:
            manifest = read_manifest(gen)
            store = ox.Store.read_only(str(gen / "oxigraph"))
            break
        except (OSError, ValueError):
            if attempt == 2:
                raise InputError(
                    f"{directory}: store niet te openen / cannot open the store"
                ) from None
    kg = KnowledgeGraph(store=store)
    kg.inferred = manifest.inferred
    kg.sources = {g: Path(p) for g, p in manifest.sources.items()}
    kg.files = {Path(p): n for p, n in manifest.counts.items()}
    kg.cache["network_graphs"] = {g: set(n) for g, n in manifest.networks.items()}
    kg.cache["manifest"] = manifest
    kg.cache["store_dir"] = Path(directory)
    kg.cache["generation"] = gen  # its stored answers (ggsr_kg.answers)
    return kg


def stored_results(kg, focus: Iterable[ox.NamedNode] | None = None):
    """The results kept in the store (None when there are none for the current shapes)."""
    from .validation import Result, _term_str

    manifest = kg.cache.get("manifest")
    if manifest is None or manifest.shapes != shapes_digest():
        return None
    store = kg.store
    if focus is None:
        nodes = [
            q.object for q in store.quads_for_pattern(REPORT, sh("result"), None, RESULTS_GRAPH)
        ]
    else:
        nodes = [
            q.subject
            for f in focus
            for q in store.quads_for_pattern(None, sh("focusNode"), f, RESULTS_GRAPH)
        ]
    out = []
    for node in nodes:
        props: dict[str, list] = {}
        for q in store.quads_for_pattern(node, None, None, RESULTS_GRAPH):
            props.setdefault(q.predicate.value, []).append(q.object)
        focus_node = props[_SH + "focusNode"][0]
        value = props.get(_SH + "value", [focus_node])[0]
        msgs = {m.language: m.value for m in props.get(_SH + "resultMessage", [])}
        indicator = props.get(_GGSR + "indicator")
        basis = props.get(_GGSR + "grondslag")
        extra = {"grondslag": basis[0].value.removeprefix(_BASES)} if basis else {}
        out.append(
            Result(
                focus=focus_node.value,
                shape=props[_SH + "sourceShape"][0].value,
                severity=props[_SH + "resultSeverity"][0].value,
                value=_term_str(value),
                indicator=indicator[0].value if indicator else None,
                message_nl=msgs.get("nl", ""),
                message_en=msgs.get("en", ""),
                value_term=value,
                **extra,
            )
        )
    return sorted(set(out))


# ---- changing one file ---------------------------------------------------------------------------


@dataclass
class Change:
    removed_graphs: list[str]
    added_graphs: list[str]
    quads_removed: int
    quads_added: int
    inferred: tuple[int, int]  # (removed, added)
    revalidated: list[str]  # networks


def add(directory: Path, path: Path) -> Change:
    """Add a file; refused when one of its graphs is already in the store (use replace)."""
    return _change(Path(directory), Path(path), "add")


def replace(directory: Path, path: Path) -> Change:
    """Put a file's graphs in place of what the store holds under the same names (or from the
    same file)."""
    return _change(Path(directory), Path(path), "replace")


def remove(directory: Path, what: str) -> Change:
    """Remove the graphs that came from file ``what`` (a path), or the graph with IRI ``what``."""
    return _change(Path(directory), what, "remove")


def _change(directory: Path, path, mode: str, *, before_commit=None) -> Change:
    from .graph import KnowledgeGraph

    with _writer(directory):
        old_gen = live(directory)
        manifest = read_manifest(old_gen)
        quads: list[ox.Quad] = []
        if mode == "remove":
            target = str(Path(path).resolve()) if Path(path).exists() else str(path)
            graphs = {g for g, src in manifest.sources.items() if src in (target, str(path))}
            graphs |= {str(path)} & (set(manifest.sources) | set(manifest.networks))
            if not graphs:
                raise InputError(
                    f"{path}: niet in de store / not in the store (graaf of bestand / graph or file)"
                )
        else:
            path = path.resolve()
            quads, graphs = _read_user_file(manifest, path)
            already = {g for g in graphs if g in manifest.sources}
            if mode == "add" and already:
                raise InputError(
                    f"{path}: graaf <{sorted(already)[0]}> staat al in de store; gebruik replace / "
                    "graph already in the store; use replace"
                )
            graphs |= {g for g, src in manifest.sources.items() if src == str(path)}
        gen = _new_generation(directory)
        gen.mkdir()
        work = _work_dir(gen)
        ox.Store.read_only(str(old_gen / "oxigraph")).backup(str(work))
        store = ox.Store(str(work))
        kg = KnowledgeGraph(store=store)
        kg.cache["network_graphs"] = {g: set(n) for g, n in manifest.networks.items()}
        old_quads = [
            q
            for g in sorted(graphs)
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))
        ]
        affected = {n for g in graphs for n in manifest.networks.get(g, [])}
        for g in sorted(graphs):
            store.remove_graph(ox.NamedNode(g))
            manifest.sources.pop(g, None)
            manifest.networks.pop(g, None)
        store.extend(quads)
        added = sorted({q.graph_name.value for q in quads})
        for g in added:
            manifest.sources[g] = str(path)
            nets = {
                q.subject.value
                for q in quads
                if q.graph_name.value == g and q.predicate == _RDF_TYPE and q.object == _NETWERK
            }
            if nets:
                manifest.networks[g] = sorted(nets)
            affected |= nets
        if mode != "remove":
            manifest.counts[str(path)] = len(quads)
        kg.cache["network_graphs"] = {g: set(n) for g, n in manifest.networks.items()}
        touched = inference.nodes_of(old_quads) | inference.nodes_of(quads)
        inferred = (0, 0)
        from . import evidence

        if manifest.infer:
            if any(q.predicate.value in inference.SCHEMA_PREDICATES for q in old_quads + quads):
                # the schema itself changed: everything again (materialise clears the graph,
                # what each fact rests on included)
                manifest.inferred = inference.materialise(store) + evidence.materialise(store)
                affected |= {n for ns in manifest.networks.values() for n in ns}
            else:
                inferred = inference.refresh(store, touched)
                manifest.inferred += inferred[1] - inferred[0]
                evidence.refresh(store, touched)
            kg.inferred = manifest.inferred
        else:
            evidence.refresh(store, touched)  # the rules need it with or without OWL inference
        affected |= _mentioning_networks(store, manifest, touched)
        if manifest.shapes:
            _store_results(kg, manifest, affected)
        answers.refresh(kg, old_gen, gen, affected, _alive(store, affected))
        _finish(store, gen, manifest)
        del kg, store
        gc.collect()  # drop the read-write instance before its folder goes
        if before_commit is not None:
            before_commit()
        _commit(directory, gen)
        shutil.rmtree(_work_dir(gen), ignore_errors=True)
        _collect_garbage(directory, keep_previous=old_gen)
    return Change(
        removed_graphs=sorted(graphs),
        added_graphs=added,
        quads_removed=len(old_quads),
        quads_added=len(quads),
        inferred=inferred,
        revalidated=sorted(affected),
    )


def _read_user_file(manifest: Manifest, path: Path) -> tuple[list[ox.Quad], set[str]]:
    """The file's quads, placed in their graphs and checked as ``load_user`` checks them."""
    from .rdfio import check_user_quads

    quads = parse_file(path)
    check_user_quads(path, quads, frozenset(manifest.declared), manifest.ranges)
    own = graph_name(path)
    placed = [
        q
        if isinstance(q.graph_name, ox.NamedNode)
        else ox.Quad(q.subject, q.predicate, q.object, own)
        for q in quads
    ]
    return placed, {q.graph_name.value for q in placed}


def _mentioning_networks(store: ox.Store, manifest: Manifest, nodes: set) -> set[str]:
    """Networks whose graphs say something about one of ``nodes`` (their partition may change).
    A node described in a graph that defines no network (vocabulary, a source, a municipality of
    the territory file) links only the graphs that describe it, not every graph pointing at it,
    as in :meth:`KnowledgeGraph.partition`."""
    own = {inference.INFERRED_GRAPH.value, RESULTS_GRAPH.value}
    out: set[str] = set()
    for n in nodes:
        if not isinstance(n, ox.NamedNode):
            continue
        graphs = {q.graph_name.value for q in store.quads_for_pattern(n, None, None)} - own
        if all(g in manifest.networks for g in graphs):
            graphs |= {q.graph_name.value for q in store.quads_for_pattern(None, None, n)} - own
        for g in graphs:
            out.update(manifest.networks.get(g, ()))
    return out
