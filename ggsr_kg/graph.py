"""The knowledge graph: ontology, framework and data in one embedded Oxigraph store.

Oxigraph (pyoxigraph) is the embedded default: on the national graph it parses ~15× and answers
the headline queries ~100× faster than rdflib's own engine (see bench/). rdflib is used where a
library needs an ``rdflib.Graph`` (pySHACL, owlrl, report generation) via :meth:`to_rdflib`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import evidence, inference
from . import rdfio as _rdfio
from .errors import InputError
from .namespaces import sparql_prologue
from .rdfio import (
    GGSR_DEF,
    LIST_QUADS,
    add_quads,
    check_file,
    check_loaded,
    check_user_quads,
    graph_name,
    iter_file,
    load_file,
    parse_file,
    rdf_format,
)
from .resources import rdf_files, resource_dir

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_NETWERK = ox.NamedNode(GGSR_DEF + "Netwerk")
FAST_ABOVE_BYTES = 8 * 1024 * 1024  # bigger user files go through Oxigraph's bulk loader

ONTOLOGY_FOLDERS = ("ontology",)
RESULTS_GRAPH_IRI = "https://w3id.org/ggsr/graph/validatie"  # stored results (ggsr_kg.store)


@dataclass
class KnowledgeGraph:
    """An embedded store plus what was loaded into it (file → named graph → quads)."""

    store: ox.Store = field(default_factory=ox.Store)
    _owns_store: bool = field(default=False, repr=False)  # made here: may be swapped for another
    files: dict[Path, int] = field(default_factory=dict)
    graphs: dict[Path, ox.NamedNode] = field(default_factory=dict)
    inferred: int = 0
    cache: dict = field(default_factory=dict, repr=False)
    sources: dict[str, Path] = field(default_factory=dict)  # graph IRI → user file it came from
    checked: set[Path] = field(default_factory=set)  # user files the privacy guard has passed

    # ---- building ---------------------------------------------------------------------------

    @classmethod
    def default(cls, *, data: Iterable[Path] | None = None, infer: bool = True) -> KnowledgeGraph:
        """Ontology + framework always; the shipped data unless ``data`` names other files.

        Files in ``data`` are the user's: each is checked against the ontology before anything of
        it is added (:meth:`load_user`), so a typo in a class name is an error, not an empty result.
        """
        kg = cls(_owns_store=True)
        kg.load_sources(data)
        if infer:
            kg.infer()
        else:
            evidence.materialise(kg.store)  # what each fact rests on: the rules need it either way
        return kg

    def load_sources(self, data: Iterable[Path] | None, *, direct: bool = False) -> None:
        """The ontology and framework, then the shipped data or the user's files ``data``."""
        self.load_resource("ontology")
        if data is None:
            self.load_resource("data")
        else:
            for path in data:
                self.load_user(Path(path), direct=direct)

    def load_resource(self, name: str) -> None:
        root = resource_dir(name)
        for path in rdf_files(name):
            self.load(path, root=root.parent)

    def load(self, path: Path, root: Path | None = None) -> int:
        graph = graph_name(path, root)
        n = load_file(self.store, path, graph)
        self._forget_partitions()
        self.files[path] = n
        self.graphs[path] = graph
        return n

    def load_user(self, path: Path, *, direct: bool = False) -> int:
        """Load a user's file after :func:`ggsr_kg.rdfio.check_user_quads`: every ``ggsr:`` term
        declared in the ontology, datatype properties with literals of their range, no reserved
        graph names. InputError (exit 2) naming file, place and node otherwise.

        A big file is parsed by Oxigraph's bulk loader into a staging store of its own and
        checked there with a few queries (:func:`ggsr_kg.rdfio.check_loaded`); only a file that
        fails is read again, to name the place of the error. ``direct`` loads into this store
        itself, for a caller that throws the store away when a check fails (a new generation of
        a persistent store)."""
        size = check_file(path)
        if size > FAST_ABOVE_BYTES:
            return self._load_big(path, direct)
        declared, ranges = self.vocabulary()
        # A big file is read twice as a stream (check, then write) rather than held as a list:
        # at 3,420 municipalities the list alone took about a gigabyte.
        quads = (
            parse_file(path, at_most=LIST_QUADS)  # None when it holds too many: streamed
        )
        if quads is not None:
            again = lambda: quads  # noqa: E731
        else:  # big, or small but holding many quads (a long collection): streamed twice
            passes = iter([iter_file(path), iter_file(path, verify=False)])
            again = lambda: next(passes)  # noqa: E731
        named: set[str] = set()

        def noting(qs):
            for q in qs:
                if isinstance(q.graph_name, ox.NamedNode):
                    named.add(q.graph_name.value)
                yield q

        check_user_quads(path, noting(again()), declared, ranges)
        graph = graph_name(path)
        n = add_quads(self.store, again(), graph)  # nothing written before every check passed
        self._note(path, graph, n, named)
        return n

    def _load_big(self, path: Path, direct: bool) -> int:
        declared, ranges = self.vocabulary()
        graph = graph_name(path)
        target = self.store if direct else ox.Store()
        before = {g.value for g in target.named_graphs()} if direct else set()
        before_count = len(target) if direct else 0
        fmt = rdf_format(path)
        triples = fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES)
        if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) and (
            path.stat().st_size > _rdfio.MAX_FILE_QUADS
        ):
            # Turtle says up to a triple per byte (a collection: "1 1 1 …"), so the bulk loader
            # would build them all before they are counted: count first, as a stream.
            _count_at_most(path, fmt, _rdfio.MAX_FILE_QUADS, declared, ranges)
        try:
            target.bulk_load(
                path=str(path),
                format=fmt,
                base_iri=path.resolve().as_uri(),
                to_graph=graph if triples else None,
            )
        except (SyntaxError, ValueError, OSError, MemoryError):
            # MemoryError: a token over Oxigraph's buffer limit (a 17 MB literal)
            _explain(path, declared, ranges)  # raises InputError with the place
            raise
        if not triples:  # default-graph triples of a quad file belong to the file's graph
            stray = list(target.quads_for_pattern(None, None, None, ox.DefaultGraph()))
            for q in stray:
                target.remove(q)
            target.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in stray)
        if len(target) - before_count > _rdfio.MAX_FILE_QUADS:
            _explain(path, declared, ranges)  # counts while streaming: the same one-line refusal
        named = {g.value for g in target.named_graphs()} - before
        if check_loaded(target, named, declared, ranges):
            _explain(path, declared, ranges)
            raise InputError(f"{path}: ongeldige gegevens / invalid data")
        n = len(target) - before_count
        if not direct:
            if named & {g.value for g in self.store.named_graphs()} or not self._owns_store:
                self.store.bulk_extend(target)  # merge: never replace another's graph wholesale
            else:
                # The file is the big part: keep its store and bring what was loaded before
                # (the ontology) over, instead of copying millions of quads the other way.
                target.bulk_extend(self.store)
                self.store = target
        self._note(path, graph, n, named)
        return n

    def _note(self, path: Path, graph: ox.NamedNode, n: int, named: set[str]) -> None:
        self._forget_partitions()
        self.files[path] = n
        self.graphs[path] = graph
        self.sources[graph.value] = path
        for g in sorted(named):
            self.sources.setdefault(g, path)

    def _forget_partitions(self) -> None:
        self.cache.pop("network_graphs", None)
        self.cache.pop("shared_quads", None)
        self.cache.pop("shared_subjects", None)
        self.cache.pop("peiljaren", None)  # the years with data (queries._known_year)
        self.cache.pop("decisions", None)  # the rules' decisions (validation → scorecard)

    def vocabulary(self) -> tuple[frozenset[str], dict[str, str]]:
        """The ``ggsr:`` terms the loaded ontology declares, and datatype property → range."""
        if "vocabulary" not in self.cache:
            ours = f'FILTER(STRSTARTS(STR(?t), "{GGSR_DEF}"))'
            declared = frozenset(
                r["t"].value for r in self.select(f"SELECT DISTINCT ?t WHERE {{ ?t ?p ?o {ours} }}")
            )
            ranges = {
                r["t"].value: r["r"].value
                for r in self.select(
                    f"""SELECT ?t ?r WHERE {{ ?t a owl:DatatypeProperty ; rdfs:range ?r .
                         FILTER(isIRI(?r)) {ours} }}"""
                )
            }
            self.cache["vocabulary"] = (declared, ranges)
        return self.cache["vocabulary"]

    def infer(self) -> int:
        self.cache.pop("decisions", None)
        self.inferred = inference.materialise(self.store)
        self.inferred += evidence.materialise(self.store)
        return self.inferred

    def partition(self, networks: Iterable[ox.NamedNode]) -> ox.Store | None:
        """A store of its own with what validating ``networks`` needs, inferred afresh: every
        graph that defines no network (ontology, framework, territory, sources, verdicts), the
        graphs that define these networks, and — until nothing changes — every other network's
        graph that mentions a node they mention (a document cited from another municipality's
        file, a statement about this network made elsewhere). A node described in a shared graph
        (a source, a municipality) links only a graph that says something about it, not one
        that merely points at it; vocabulary never links. The size, and the time, then depend
        on how far the networks' facts reach, not on how many others are loaded.

        None when that takes in every network (e.g. everything in one file): nothing to cut."""
        defined_in = self._network_graphs()
        wanted = {n.value for n in networks}
        graphs = {g for g, nets in defined_in.items() if nets & wanted}
        if not graphs:
            return None
        graphs = self._close_over_mentions(graphs, defined_in)
        if sum(len(defined_in[g]) for g in graphs) >= self._network_count():
            return None
        part = ox.Store()
        part.bulk_extend(self._shared_quads(defined_in))
        for g in graphs:
            part.bulk_extend(self.store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        if self.inferred:
            inference.materialise(part)
        evidence.materialise(part)
        return part

    def _close_over_mentions(self, graphs: set[str], defined_in: dict[str, set[str]]) -> set[str]:
        shared = self._shared_subjects(defined_in)
        graphs, frontier, seen = set(graphs), set(graphs), set()
        while frontier:
            nodes = set()
            for g in frontier:
                for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(g)):
                    for t in (q.subject, q.object):
                        if isinstance(t, ox.NamedNode) and t.value not in seen:
                            nodes.add(t)
            seen |= {n.value for n in nodes}
            found = set()
            for n in nodes:
                quads = list(self.store.quads_for_pattern(n, None, None))
                if n.value not in shared:
                    quads += self.store.quads_for_pattern(None, None, n)
                found |= {
                    q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)
                }
            frontier = (found & defined_in.keys()) - graphs
            graphs |= frontier
        return graphs

    def _shared_graphs(self, defined_in: dict[str, set[str]]) -> list[ox.NamedNode]:
        skip = set(defined_in) | {inference.INFERRED_GRAPH.value, RESULTS_GRAPH_IRI}
        return [g for g in self.store.named_graphs() if g.value not in skip]

    def _shared_quads(self, defined_in: dict[str, set[str]]) -> list[ox.Quad]:
        if "shared_quads" not in self.cache:
            self.cache["shared_quads"] = [
                q
                for g in self._shared_graphs(defined_in)
                for q in self.store.quads_for_pattern(None, None, None, g)
            ] + list(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        return self.cache["shared_quads"]

    def _shared_subjects(self, defined_in: dict[str, set[str]]) -> set[str]:
        """IRIs described in a graph that defines no network (vocabulary, territory, sources)."""
        if "shared_subjects" not in self.cache:
            self.cache["shared_subjects"] = {
                q.subject.value
                for q in self._shared_quads(defined_in)
                if isinstance(q.subject, ox.NamedNode)
            }
        return self.cache["shared_subjects"]

    def _network_graphs(self) -> dict[str, set[str]]:
        """Graph IRI → the networks it types as ggsr:Netwerk."""
        if "network_graphs" not in self.cache:
            out: dict[str, set[str]] = {}
            for q in self.store.quads_for_pattern(
                None, _RDF_TYPE, _NETWERK
            ):  # no SPARQL: 3× faster
                g = q.graph_name
                if isinstance(g, ox.NamedNode) and g.value not in (
                    inference.INFERRED_GRAPH.value,
                    RESULTS_GRAPH_IRI,
                ):
                    out.setdefault(g.value, set()).add(q.subject.value)
            self.cache["network_graphs"] = out
        return self.cache["network_graphs"]

    def _network_count(self) -> int:
        return len(set().union(*self._network_graphs().values()))

    # ---- asking -----------------------------------------------------------------------------

    def select(self, query: str, bindings: Mapping[str, ox.Term] | None = None) -> list[dict]:
        """Run a SELECT with the project prefixes; ``bindings`` are pre-bound as RDF terms."""
        bindings = dict(bindings or {})
        subs = {ox.Variable(k): v for k, v in bindings.items()}
        text = sparql_prologue() + query
        try:
            try:
                result = self.store.query(text, use_default_graph_as_union=True, substitutions=subs)
            except RuntimeError as exc:
                # Oxigraph pre-binds only projected variables; others join as a VALUES block of
                # RDF terms (still never text pasted from user input).
                if "projection" not in str(exc):
                    raise
                from .queries import with_values

                result = self.store.query(
                    with_values(text, bindings), use_default_graph_as_union=True
                )
        except SyntaxError as exc:
            raise InputError(f"SPARQL-syntaxfout / SPARQL syntax error: {exc}") from None
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names} for row in result]

    def ask(self, query: str, bindings: Mapping[str, ox.Term] | None = None) -> bool:
        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        return bool(
            self.store.query(
                sparql_prologue() + query, use_default_graph_as_union=True, substitutions=subs
            )
        )

    def __len__(self) -> int:
        return len(self.store)

    def rule_store(self):
        """Where the evidence rules run (ggsr_kg.rules): this store; an endpoint's for a remote
        graph (ggsr_kg.remote_validation)."""
        return self.store

    def to_rdflib(self):
        """All quads as one rdflib Graph (union of the named graphs)."""
        import rdflib  # imported here: the query path should not pay for rdflib at start-up

        g = rdflib.Graph()
        data = self.store.dump(format=ox.RdfFormat.N_QUADS)
        ds = rdflib.Dataset()
        ds.parse(data=data, format="nquads")
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g

    # ---- facts every command needs ------------------------------------------------------------

    def municipalities(self) -> list[tuple[ox.NamedNode, str]]:
        rows = self.select(
            """SELECT ?g ?naam WHERE { ?g a ggsr:Gemeente ; rdfs:label ?naam .
                 FILTER(lang(?naam) = "nl") } ORDER BY ?naam"""
        )
        return [(r["g"], r["naam"].value) for r in rows]

    def municipality(self, name: str) -> ox.NamedNode:
        """The municipality called ``name`` (label, case-insensitive, or CBS code)."""
        wanted = name.strip().casefold()
        try:
            wanted_term = ox.Literal(wanted)
        except ValueError:  # undecodable bytes on the command line (lone surrogates)
            raise InputError(
                f"gemeente {name!r}: geen geldige tekst (UTF-8) / not valid text"
            ) from None
        found = self.select(
            """SELECT DISTINCT ?g WHERE { ?g a ggsr:Gemeente .
                 { ?g rdfs:label ?n } UNION { ?g ggsr:officieleNaam ?n } UNION { ?g ggsr:cbsCode ?n }
                 FILTER(LCASE(STR(?n)) = ?wanted) }""",
            {"wanted": wanted_term},
        )
        if not found:
            with_networks = sorted({n for _, n in self.municipalities()})
            raise InputError(
                f"onbekende gemeente / unknown municipality: {name!r}. "
                f"Bekend / known: {', '.join(with_networks)}"
            )
        return found[0]["g"]

    def networks(self, gemeente: ox.NamedNode | None = None, jaar: int | None = None) -> list[dict]:
        """Every approach state (ggsr:Netwerk) with municipality, approach and year."""
        bindings: dict[str, ox.Term] = {}
        if gemeente is not None:
            bindings["gemeente"] = gemeente
        if jaar is not None:
            bindings["jaar"] = ox.Literal(str(jaar), datatype=ox.NamedNode(str(_XSD_INTEGER)))
        rows = self.select(
            """SELECT ?netwerk ?gemeente ?gemeenteNaam ?aanpak ?aanpakNaam ?jaar WHERE {
                 ?netwerk a ggsr:Netwerk ; ggsr:aanpak ?aanpak ; ggsr:peiljaar ?jaar .
                 ?aanpak ggsr:gemeente ?gemeente ; rdfs:label ?aanpakNaam .
                 ?gemeente rdfs:label ?gemeenteNaam .
                 FILTER(lang(?aanpakNaam) = "nl" && lang(?gemeenteNaam) = "nl")
               } ORDER BY ?gemeenteNaam ?jaar ?aanpakNaam""",
            bindings,
        )
        if jaar is not None and not rows:
            years = sorted({int(r["jaar"].value) for r in self.networks(gemeente)})
            raise InputError(
                f"geen aanpak in {jaar} / no approach in {jaar}. "
                f"Jaren met gegevens / years with data: {', '.join(map(str, years)) or '-'}"
            )
        return rows


_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def _count_at_most(path: Path, fmt: ox.RdfFormat, limit: int, declared, ranges) -> None:
    """Refuse, with the one-line message, a file that holds more than ``limit`` quads; stop
    reading at the first one over."""
    try:
        quads = ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
        for i, _ in enumerate(quads):
            if i >= limit:
                break
        else:
            return
    except (SyntaxError, ValueError, OSError, MemoryError):
        pass  # the place of the error is named below
    _explain(path, declared, ranges)


def _explain(path: Path, declared, ranges) -> None:
    """Read the file again, quad by quad, to raise the InputError that names the place."""
    check_user_quads(path, iter_file(path), declared, ranges)
