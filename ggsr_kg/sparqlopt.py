"""Decorrelate ``FILTER (NOT) EXISTS { P }`` on the parsed query: an anti-join (``MINUS``) or a
semi-join with ``{ SELECT DISTINCT <shared> WHERE { P } }``, wherever the two mean the same.

Why: Oxigraph evaluates an EXISTS once per outer solution, and for a pattern of several triples
that costs a scan each time, so a constraint run over all networks at once grows with the square
of the graph (I3.1.5 took 180 s at 342 municipalities, I3.2.3 12 s at 3,420). MINUS is one
anti-join and the DISTINCT sub-select one semi-join: the pattern is evaluated once.

The shapes keep ``FILTER NOT EXISTS`` (SHACL forbids MINUS in constraints because of
pre-binding); only the fast engine rewrites, and only where the answer cannot differ. The query is
parsed by rdflib's SPARQL parser into the algebra of SPARQL 1.1 §18; every decision is taken on
that tree, and the tree is written back as SPARQL for Oxigraph.

When a rewrite is safe. Let ``Filter(f, G)`` be a filter over the pattern ``G`` of its group (all
of the group: OPTIONALs, UNIONs, MINUS included, so "where the FILTER stands" plays no part).
For an atom ``EXISTS P`` let S = the variables P mentions (anywhere, nested filters included) that
are in scope in G. The atom is rewritten when

1. S is not empty (else NOT EXISTS tests emptiness, which MINUS does not);
2. every variable of S is bound in every solution of G ("certain": a triple pattern of G's
   mandatory part, not only an OPTIONAL, one UNION branch or a BIND);
3. every variable v of S is certain in P *and substituting a constant for v in P is the same as
   keeping P's solutions with that value* (``_substitutable``): v is bound by triple patterns on
   every path to its uses; it may be used in filters and nested EXISTS of a pattern that binds it,
   but not in the right side of a MINUS, a VALUES table or a sub-select.

Then for each solution μ of G, EXISTS P (evaluated by substitution, §18.6) is true iff some
solution of P agrees with μ on S, and S is exactly the set of variables both can share: so
``MINUS { P }`` removes μ iff NOT EXISTS P, and the join with the distinct projection of P on S
keeps μ exactly once iff EXISTS P.

Comparisons with the outer group. The compiled evidence rules compare ranks across the two
sides (``NOT EXISTS { ?f :netwerk $this ; :rang ?k2 FILTER (?k2 < ?k) }``): ``?k`` occurs in P only
in P's own top-level FILTER, so condition 3 fails and MINUS cannot express it. Such an atom is
evaluated over its domain instead (``_Rewriter._domain``): D = the distinct bindings of G on V (the
variables P shares with G, all certain in G), Q = π_V(Filter(f, D ⋈ P0)) where P = Filter(f, P0),
then ``G MINUS Q`` (NOT EXISTS) or ``G ⋈ Q`` (EXISTS). Joining D into P0 and filtering after the
join is what substituting μ does (f sees the outer values, and P0 is restricted by those it
binds), so this is exact when every variable of V occurs in P0 only where substitution is a
restriction, or not at all; and one of them must occur in P0, so the join has a key and never
becomes a cross product (else the atom is left alone). G is evaluated twice, each time once.

Compound filters. A conjunction is split into its conjuncts (``Filter(a && b) = Filter(a,
Filter(b))``); each conjunct that is a formula of ``&&``, ``||`` and ``!`` over rewritable EXISTS
atoms only is rewritten as a whole (negations pushed to the atoms first: EXISTS is never an
error, so two-valued logic holds):

- ``T(EXISTS P, G)`` = semi-join; ``T(NOT EXISTS P, G)`` = ``G MINUS P``;
- ``T(a && b, G)`` = ``T(b, T(a, G))``;
- ``T(a || b, G)`` = ``T(a, G) UNION T(!a && b, G)`` — the branches are disjoint, so no solution
  is counted twice; a disjunction of positive atoms only, all sharing the same variables, is one
  semi-join with the UNION of their patterns instead (each pattern evaluated once) (``EXISTS {A} || (NOT EXISTS {B} && NOT EXISTS {C})`` of I3.2.3 becomes a
  semi-join with A, united with G minus A minus B minus C).

Left alone, with the reason: a conjunct that mixes EXISTS with any other expression under ``||``
or ``!`` (that expression may raise an error, and SPARQL's three-valued ``||`` then differs from
a union of branches); an EXISTS inside BIND or a projection; an EXISTS whose pattern fails the
conditions above; anything the writer does not know (aggregates, sub-selects with modifiers,
SERVICE, ORDER BY or LIMIT at the top). A query the writer cannot write, or whose rewrite
Oxigraph cannot parse, is returned unchanged. The rewrite also recurses into the patterns of
OPTIONAL, UNION, MINUS and decorrelated EXISTS, but never into an EXISTS left as it is (that one
is evaluated by substitution, so its inner variables are not its own).

``tests/test_sparqlopt.py`` runs both forms on data built to tell them apart, for the compound
cases too. rdflib parses slowly (about 13 ms a constraint), so the results are kept in a small
cache on disk (``cache.py``) keyed by the query text and this module's version.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable

import pyoxigraph as ox

from .cache import source_digest as _source_digest
from .sparqltext import where_group

__all__ = ["decorrelate", "prepare", "where_group", "Unsupported"]


# Part of the cache key: a digest of this module's source (cache.source_digest).
_VERSION = _source_digest(__file__)


def _version() -> str:
    return _VERSION


class Unsupported(Exception):
    """A construct the rewriter does not decide on (or cannot write back)."""


# ---- entry points --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def decorrelate(query: str) -> str:
    """``query`` with every safely rewritable FILTER (NOT) EXISTS decorrelated; the query
    unchanged when nothing is rewritten or the query is outside what the rewriter knows."""
    return prepare(query)


@functools.lru_cache(maxsize=4096)
def prepare(query: str, target_class: str | None = None) -> str:
    """The query as the engine runs it: with ``?this a <target_class>`` joined in (when given)
    and its EXISTS filters decorrelated. Cached on disk, since rdflib's parser is slow."""
    from . import cache

    key = f"{_version()}\n{target_class}\n{query}"
    hit = cache.get("sparqlopt", key)
    if hit is not None:
        return hit
    with _PARSING:
        out = _prepare(query, target_class)
    cache.put("sparqlopt", key, out)
    return out


# rdflib's SPARQL parser (pyparsing) is not safe in two threads at once: the evidence rules run
# side by side (ggsr_kg.threads), and a parse that failed in the race left a query as written —
# and cached it so. One parse at a time; once cached, no parse at all.
_PARSING = threading.Lock()


def _prepare(query: str, target_class: str | None) -> str:
    try:
        tree, project = _parse(query)
        if target_class is not None:
            tree = _with_target(tree, _uri(target_class))
        rewritten = _Rewriter().pattern(tree)
        if target_class is None and rewritten is tree:
            return query  # nothing to gain: keep the author's text
        out = _write_select(project, rewritten)
        _EMPTY.query(out)  # Oxigraph must parse it (and runs it on no data)
    except Exception:  # noqa: BLE001 — anything unexpected means: leave the query as written
        if target_class is None:
            return query
        return _bind_target_text(query, target_class)
    return out


def _with_target(n, target):
    """``?this a <target>`` as the first triple of the WHERE group, as if written there: joined
    into the leftmost basic pattern, so it sits on the left of every OPTIONAL and MINUS of the
    group (a join *around* ``OPTIONAL`` would evaluate the optional part for all networks at
    once, and lose a network whose optional part is empty), and into both branches of a UNION."""
    name = n.name
    if name == "BGP":
        return _bgp([(_THIS, _RDF_TYPE, target), *n.triples])
    if name in ("Filter", "Extend"):
        return CompValue(
            name,
            **{k: v for k, v in n.items() if not k.startswith("_")}
            | {"p": _with_target(n.p, target)},
        )
    if name in ("LeftJoin", "Minus", "Join"):
        return CompValue(
            name,
            **{k: v for k, v in n.items() if not k.startswith("_")}
            | {"p1": _with_target(n.p1, target)},
        )
    if name == "Union":
        return CompValue("Union", p1=_with_target(n.p1, target), p2=_with_target(n.p2, target))
    return _join(_bgp([(_THIS, _RDF_TYPE, target)]), n)


def _bind_target_text(query: str, target_class: str) -> str:
    """Fallback for a query the rewriter leaves alone: the target pattern written in as text."""
    group = where_group(query)
    if group is None:
        raise ValueError("SELECT zonder WHERE-blok / SELECT without a WHERE block")
    at = group[0] + 1
    iri = ox.NamedNode(target_class)
    return query[:at] + f" ?this a {iri} . " + query[at:]


# ---- parsing -------------------------------------------------------------------------------------


def _parse(query: str):
    """(algebra of the WHERE pattern, the top-level projection) or Unsupported."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(query)).algebra
    except Exception as exc:  # pyparsing and rdflib raise many kinds
        raise Unsupported(f"rdflib cannot parse: {exc}") from None
    if algebra.name != "SelectQuery" or algebra.datasetClause:
        raise Unsupported("only SELECT without FROM")
    node, distinct = algebra.p, False
    if node.name in ("Distinct", "Reduced"):
        node, distinct = node.p, node.name
    if node.name != "Project":
        raise Unsupported(f"top-level {node.name}")
    return node.p, (list(node.PV), distinct)


# ---- the algebra as seen here --------------------------------------------------------------------

from rdflib.paths import Path  # noqa: E402
from rdflib.plugins.sparql.parserutils import CompValue  # noqa: E402
from rdflib.term import BNode, Literal, URIRef, Variable  # noqa: E402

_THIS = Variable("this")
_RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_EMPTY = ox.Store()


def _uri(iri: str) -> URIRef:
    return URIRef(ox.NamedNode(iri).value)  # NamedNode checks the IRI


def _bgp(triples) -> CompValue:
    return CompValue("BGP", triples=list(triples))


def _join(a, b) -> CompValue:
    return CompValue("Join", p1=a, p2=b)


def _translated(graph) -> CompValue:
    """The algebra of an EXISTS pattern (rdflib leaves some nested ones untranslated)."""
    if graph.name in ("GroupGraphPatternSub", "SubSelect"):
        from rdflib.plugins.sparql.algebra import translateGroupGraphPattern

        return translateGroupGraphPattern(graph)
    return graph


def _is_var(t) -> bool:
    return isinstance(t, Variable | BNode)


def _path_vars(p) -> set:
    return {p} if isinstance(p, Variable) else set()


def _expr_vars(e) -> set:
    """Variables an expression mentions, those of nested EXISTS patterns included."""
    if isinstance(e, Variable):
        return {e}
    if isinstance(e, list | tuple):
        return set().union(*(_expr_vars(x) for x in e)) if e else set()
    if isinstance(e, CompValue):
        if e.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            return mentioned(_translated(e.graph))
        out: set = set()
        for k, v in e.items():
            if not k.startswith("_"):
                out |= _expr_vars(v)
        return out
    return set()


def mentioned(n) -> set:
    """Every variable written anywhere in pattern ``n`` (nested filters and EXISTS included)."""
    name = n.name
    if name == "BGP":
        return {t for tr in n.triples for t in (tr[0], tr[2]) if isinstance(t, Variable)} | {
            v for tr in n.triples for v in _path_vars(tr[1])
        }
    if name in ("Join", "Union", "Minus"):
        return mentioned(n.p1) | mentioned(n.p2)
    if name == "LeftJoin":
        return mentioned(n.p1) | mentioned(n.p2) | _expr_vars(n.expr)
    if name == "Filter":
        return mentioned(n.p) | _expr_vars(n.expr)
    if name == "Extend":
        return mentioned(n.p) | _expr_vars(n.expr) | {n.var}
    if name == "Graph":
        return mentioned(n.p) | _path_vars(n.term)
    if name == "ToMultiSet":
        return mentioned(n.p)
    if name == "values":
        return {v for row in n.res for v in row}
    if name == "Project":
        return set(n.PV)
    if name in ("Distinct", "Reduced"):
        return mentioned(n.p)
    raise Unsupported(name)


def in_scope(n) -> set:
    """Variables that may be bound in a solution of ``n``."""
    name = n.name
    if name == "BGP":
        return mentioned(n)
    if name in ("Join", "Union", "LeftJoin"):
        return in_scope(n.p1) | in_scope(n.p2)
    if name == "Minus":
        return in_scope(n.p1)
    if name == "Filter":
        return in_scope(n.p)
    if name == "Extend":
        return in_scope(n.p) | {n.var}
    if name == "Graph":
        return in_scope(n.p) | _path_vars(n.term)
    if name in ("ToMultiSet", "Distinct", "Reduced"):
        return in_scope(n.p)
    if name == "values":
        return {v for row in n.res for v in row}
    if name == "Project":
        return set(n.PV)
    raise Unsupported(name)


def certain(n) -> set:
    """Variables bound in every solution of ``n``."""
    name = n.name
    if name == "BGP":
        return mentioned(n)
    if name == "Join":
        return certain(n.p1) | certain(n.p2)
    if name in ("LeftJoin", "Minus", "Filter", "Extend", "Distinct", "Reduced"):
        return certain(n.p if "p" in n else n.p1)
    if name == "Union":
        return certain(n.p1) & certain(n.p2)
    if name == "Graph":
        return certain(n.p) | _path_vars(n.term)
    if name == "ToMultiSet":
        return certain(n.p)
    if name == "values":
        names = {v for row in n.res for v in row}
        return {v for v in names if all(row.get(v) is not None for row in n.res)}
    if name == "Project":
        return certain(n.p) & set(n.PV)
    raise Unsupported(name)


def _substitutable(v: Variable, n) -> bool:
    """True when ``v`` is certain in ``n`` and putting a constant c for v in ``n`` yields exactly
    the solutions of ``n`` with v = c (less v): condition 3 of the module docstring."""
    name = n.name
    if v not in mentioned(n):
        return False
    if name == "BGP":
        return True
    if name == "Join":
        parts = [p for p in (n.p1, n.p2) if v in mentioned(p)]
        return all(_substitutable(v, p) for p in parts)
    if name == "Union":
        return _substitutable(v, n.p1) and _substitutable(v, n.p2)
    if name in ("Filter", "Extend"):
        return _substitutable(v, n.p)  # bound in every row of p: its expressions see the value
    if name == "LeftJoin":
        return _substitutable(v, n.p1) and (v not in mentioned(n.p2) or _substitutable(v, n.p2))
    if name == "Minus":
        return _substitutable(v, n.p1) and v not in mentioned(n.p2)
    if name == "Graph":
        inner = v not in mentioned(n.p) or _substitutable(v, n.p)
        return inner and (n.term == v or (v in mentioned(n.p) and _substitutable(v, n.p)))
    if name == "Distinct" and n.p.name == "Project":
        # the semi-joins this module builds: a projected, bound variable restricts like any
        return v in n.p.PV and _substitutable(v, n.p.p)
    return False  # VALUES, other sub-selects: substitution is not a restriction there


# ---- the rewrite ---------------------------------------------------------------------------------


def _atoms(e):
    """A conjunct as a formula over EXISTS atoms: ("ex", P) | ("not", f) | ("and"|"or", [f…]);
    None when it holds anything else (which may raise an error: three-valued logic)."""
    if not isinstance(e, CompValue):
        return None
    if e.name == "Builtin_EXISTS":
        return ("ex", _translated(e.graph))
    if e.name == "Builtin_NOTEXISTS":
        return ("not", ("ex", _translated(e.graph)))
    if e.name == "UnaryNot":
        inner = _atoms(e.expr)
        return None if inner is None else ("not", inner)
    if e.name in ("ConditionalAndExpression", "ConditionalOrExpression"):
        parts = [_atoms(x) for x in [e.expr, *(e.other or [])]]
        if any(p is None for p in parts):
            return None
        return ("and" if e.name == "ConditionalAndExpression" else "or", parts)
    return None


def _negate(f):
    """Push a negation to the atoms (De Morgan; EXISTS is two-valued)."""
    kind = f[0]
    if kind == "ex":
        return ("not", f)
    if kind == "not":
        return f[1]
    return ("or" if kind == "and" else "and", [_negate(x) for x in f[1]])


def _normal(f):
    """Negations on atoms only."""
    if f[0] == "not":
        inner = f[1]
        return f if inner[0] == "ex" else _normal(_negate(inner))
    if f[0] in ("and", "or"):
        return (f[0], [_normal(x) for x in f[1]])
    return f


def _conjuncts(e) -> list:
    if isinstance(e, CompValue) and e.name == "ConditionalAndExpression":
        return [x for part in [e.expr, *(e.other or [])] for x in _conjuncts(part)]
    return [e]


def _and(parts: list):
    if len(parts) == 1:
        return parts[0]
    return CompValue("ConditionalAndExpression", expr=parts[0], other=list(parts[1:]))


class _Rewriter:
    def pattern(self, n):
        """``n`` with its filters decorrelated where safe (the same object when nothing is)."""
        name = n.name
        if name == "Filter":
            return self.filter(n)
        if name in ("Join", "Union", "Minus", "LeftJoin"):
            p1, p2 = self.pattern(n.p1), self.pattern(n.p2)
            if p1 is n.p1 and p2 is n.p2:
                return n
            return CompValue(name, p1=p1, p2=p2, **({"expr": n.expr} if name == "LeftJoin" else {}))
        if name in ("Extend", "Graph", "Distinct", "Reduced", "Project", "ToMultiSet"):
            if name == "ToMultiSet" and n.p.name == "values":
                return n
            p = self.pattern(n.p)
            if p is n.p:
                return n
            return CompValue(
                name, **{k: v for k, v in n.items() if not k.startswith("_")} | {"p": p}
            )
        return n

    def filter(self, n):
        g = self.pattern(n.p)
        keep = []
        changed = g is not n.p
        for c in _conjuncts(n.expr):
            f = _atoms(c)
            if f is not None:
                f = _normal(f)
                if self._safe(f, g):
                    g = self.apply(f, g)
                    changed = True
                    continue
            keep.append(c)
        if not changed:
            return n
        return CompValue("Filter", expr=_and(keep), p=g) if keep else g

    def _safe(self, f, g) -> bool:
        if f[0] == "ex":
            return self._shared(f[1], g) is not None or self._domain(f[1], g) is not None
        if f[0] == "not":
            return self._safe(f[1], g)
        return all(self._safe(x, g) for x in f[1])

    @staticmethod
    def _shared(p, g) -> set | None:
        """The variables P shares with G when the atom may be rewritten, else None."""
        try:
            shared = mentioned(p) & in_scope(g)
            if not shared or not shared <= certain(g):
                return None
            if not all(_substitutable(v, p) for v in shared):
                return None
        except Unsupported:
            return None
        return shared

    @staticmethod
    def _domain(p, g):
        """For a pattern that compares with outer variables only in its own top-level FILTER
        (``NOT EXISTS { ?f :rang ?k2 . ?f :netwerk $this FILTER(?k2 < ?k) }``, a theta join that
        MINUS cannot express): (V, f, P0) such that the atom may be evaluated over the distinct
        outer bindings D = π_V(G) once — ``π_V(Filter(f, D ⋈ P0))`` — instead of once per row.

        Conditions: P is ``Filter(f, P0)`` (or P0 itself); V, the variables P shares with G, are
        all certain in G; every one of them occurs in P0 only where substitution is a restriction
        (``_substitutable``) or not at all (then only in f, which is evaluated after the join,
        on rows that bind it — what substitution does); and at least one occurs in P0, so the
        join with D has a key and never becomes a cross product."""
        try:
            outer = in_scope(g)
            shared = mentioned(p) & outer
            if not shared or not shared <= certain(g):
                return None
            f, p0 = (p.expr, p.p) if p.name == "Filter" else (None, p)
            inner = mentioned(p0)
            key = {v for v in shared if v in inner}
            if not key and f is not None:
                f, p0 = _Rewriter._key_from_filter(f, p0, shared)
                inner = mentioned(p0)
                key = {v for v in shared if v in inner}
            if not key or not all(_substitutable(v, p0) for v in key):
                return None
        except Unsupported:
            return None
        return sorted(shared, key=str), f, p0

    @staticmethod
    def _key_from_filter(f, p0, outer: set):
        """A pattern that reaches the outer group only inside its own filter, through a
        disjunction of EXISTS (``FILTER (EXISTS { ?r :postIn $this ; :bevoegdheid ?f } ||
        EXISTS { ?f :netwerk $this })``): that conjunct becomes a semi-join of P0 with the
        UNION of the EXISTS patterns on the variables they share with P0 and the group, which
        gives the join with the outer domain its key. Exact under the same conditions as any
        semi-join (the shared variables certain on both sides and substitutable in the
        patterns); otherwise (f, p0) come back unchanged."""
        scope = in_scope(p0) | outer
        bound = certain(p0) | outer
        for c in _conjuncts(f):
            form = _atoms(c)
            if form is None:
                continue
            form = _normal(form)
            parts = [form] if form[0] == "ex" else form[1] if form[0] == "or" else []
            if not parts or any(x[0] != "ex" for x in parts):
                continue
            sets = {frozenset(mentioned(x[1]) & scope) for x in parts}
            if len(sets) != 1:
                continue
            names = set(next(iter(sets)))
            if not names & outer or not names <= bound:
                continue
            if not all(_substitutable(v, x[1]) for x in parts for v in names):
                continue
            union = functools.reduce(
                lambda a, b: CompValue("Union", p1=a, p2=b), [x[1] for x in parts]
            )
            semi = CompValue("Distinct", p=CompValue("Project", p=union, PV=sorted(names, key=str)))
            rest = [x for x in _conjuncts(f) if x is not c]
            return (_and(rest) if rest else None), _join(p0, semi)
        return f, p0

    def _evidence(self, p, g):
        """π_V(Filter(f, π_V(G) ⋈ P0)), distinct: the outer bindings for which P has a solution."""
        names, f, p0 = self._domain(p, g)
        domain = CompValue("Distinct", p=CompValue("Project", p=g, PV=names))
        joined = _join(domain, p0)
        body = self.pattern(CompValue("Filter", expr=f, p=joined) if f is not None else joined)
        return CompValue("Distinct", p=CompValue("Project", p=body, PV=names))

    def apply(self, f, g):
        kind = f[0]
        if kind == "ex":
            p = f[1]
            if self._shared(p, g) is None:
                return _join(g, self._evidence(p, g))
            shared = sorted(self._shared(p, g), key=str)
            inner = CompValue("Project", p=self.pattern(p), PV=shared)
            return _join(g, CompValue("Distinct", p=inner))
        if kind == "not":
            p = f[1][1]
            if self._shared(p, g) is None:
                return CompValue("Minus", p1=g, p2=self._evidence(p, g))
            return CompValue("Minus", p1=g, p2=self.pattern(p))
        if kind == "and":
            for x in f[1]:
                g = self.apply(x, g)
            return g
        first, rest = f[1][0], f[1][1:]
        if not rest:
            return self.apply(first, g)
        shared = {
            frozenset(self._shared(x[1], g) or ()) or None if x[0] == "ex" else None for x in f[1]
        }
        if len(shared) == 1 and None not in shared:
            # EXISTS A || EXISTS B … on the same variables: one semi-join with A UNION B, each
            # pattern evaluated once (the disjoint branches below would evaluate A twice)
            union = functools.reduce(
                lambda a, b: CompValue("Union", p1=a, p2=b), [self.pattern(x[1]) for x in f[1]]
            )
            names = sorted(next(iter(shared)), key=str)
            inner = CompValue("Project", p=union, PV=names)
            return _join(g, CompValue("Distinct", p=inner))
        other = ("and", [_normal(_negate(first)), ("or", rest) if len(rest) > 1 else rest[0]])
        return CompValue("Union", p1=self.apply(first, g), p2=self.apply(other, g))


# ---- writing SPARQL back -------------------------------------------------------------------------


def _term(t) -> str:
    if isinstance(t, Variable):
        return "?" + str(t)
    if isinstance(t, BNode):
        return "?_b" + "".join(ch for ch in str(t) if ch.isalnum())
    if isinstance(t, URIRef) and "\\" in t:
        # rdflib keeps the backslash of an escaped local name (ex:a\?y): not the IRI meant
        raise Unsupported(f"escaped local name in {t!r}")
    if isinstance(t, URIRef | Literal):
        return t.n3()
    if isinstance(t, Path):
        return _path(t)
    raise Unsupported(f"term {t!r}")


def _path(p) -> str:
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath

    if isinstance(p, URIRef):
        return p.n3()
    if isinstance(p, InvPath):
        return f"^({_path(p.arg)})"
    if isinstance(p, SequencePath):
        return "(" + " / ".join(_path(x) for x in p.args) + ")"
    if isinstance(p, AlternativePath):
        return "(" + " | ".join(_path(x) for x in p.args) + ")"
    if isinstance(p, MulPath):
        return f"({_path(p.path)}){p.mod}"
    if isinstance(p, NegatedPath):
        parts = [x.n3() for x in p.args] + [f"^{x.n3()}" for x in p.revargs]
        return "!(" + " | ".join(parts) + ")"
    if isinstance(p, Variable):
        return "?" + str(p)
    raise Unsupported(f"path {p!r}")


def _group(n) -> str:
    return "{ " + _pattern(n) + " }"


def _pattern(n) -> str:
    """The content of a group graph pattern whose algebra is ``n`` (§18.2 read backwards)."""
    name = n.name
    if name == "BGP":
        return " ".join(f"{_term(s)} {_term(p)} {_term(o)} ." for s, p, o in n.triples)
    if name == "Join":
        if _empty(n.p1) or _empty(n.p2):  # rdflib leaves these in nested EXISTS patterns
            return _pattern(n.p2 if _empty(n.p1) else n.p1)
        return f"{_group(n.p1)} {_group(n.p2)}"
    if name == "LeftJoin":
        cond = "" if _is_true(n.expr) else f" FILTER({_expr(n.expr)})"
        return f"{_group(n.p1)} OPTIONAL {{ {_pattern(n.p2)}{cond} }}"
    if name == "Filter":
        return f"{_group(n.p)} FILTER({_expr(n.expr)})"
    if name == "Union":
        return f"{_group(n.p1)} UNION {_group(n.p2)}"
    if name == "Minus":
        return f"{_group(n.p1)} MINUS {_group(n.p2)}"
    if name == "Extend":
        return f"{_group(n.p)} BIND({_expr(n.expr)} AS {_term(n.var)})"
    if name == "Graph":
        return f"GRAPH {_term(n.term)} {_group(n.p)}"
    if name == "ToMultiSet":
        if n.p.name == "values":
            return _values(n.p.res)
        return _pattern(n.p)
    if name in ("Project", "Distinct"):
        return "{ " + _subselect(n) + " }"
    raise Unsupported(name)


def _subselect(n) -> str:
    distinct = ""
    if n.name == "Distinct":
        distinct, n = "DISTINCT ", n.p
    if n.name != "Project":
        raise Unsupported(f"sub-select over {n.name}")
    names = " ".join(_term(v) for v in n.PV) or "*"
    return f"SELECT {distinct}{names} WHERE {_group(n.p)}"


def _values(rows: list[dict]) -> str:
    names = sorted({v for row in rows for v in row}, key=str)
    body = " ".join(
        "(" + " ".join(_term(row[v]) if row.get(v) is not None else "UNDEF" for v in names) + ")"
        for row in rows
    )
    return f"VALUES ({' '.join(_term(v) for v in names)}) {{ {body} }}"


def _write_select(project, pattern) -> str:
    names, distinct = project
    modifier = f"{distinct.upper()} " if distinct else ""
    return f"SELECT {modifier}{' '.join(_term(v) for v in names)} WHERE {_group(pattern)}"


def _empty(n) -> bool:
    return n.name == "BGP" and not n.triples


def _is_true(e) -> bool:
    return isinstance(e, CompValue) and e.name == "TrueFilter"


_BINARY = {"ConditionalOrExpression": "||", "ConditionalAndExpression": "&&"}
_ARG_ORDER = ("arg", "arg1", "arg2", "arg3", "text", "pattern", "replacement", "start", "length")


def _expr(e) -> str:
    if isinstance(e, Variable | BNode | URIRef | Literal):
        return _term(e)
    if isinstance(e, list):
        return "(" + ", ".join(_expr(x) for x in e) + ")"
    if not isinstance(e, CompValue):
        raise Unsupported(f"expression {e!r}")
    name = e.name
    if name in _BINARY:
        return "(" + f" {_BINARY[name]} ".join(_expr(x) for x in [e.expr, *e.other]) + ")"
    if name == "RelationalExpression":
        if e.op in ("IN", "NOT IN"):
            return f"({_expr(e.expr)} {e.op} {_expr(list(e.other))})"
        return f"({_expr(e.expr)} {e.op} {_expr(e.other)})"
    if name in ("AdditiveExpression", "MultiplicativeExpression"):
        out = _expr(e.expr)
        for op, other in zip(e.op, e.other, strict=True):
            out = f"({out} {op} {_expr(other)})"
        return out
    if name == "UnaryNot":
        return f"(!{_expr(e.expr)})"
    if name == "UnaryMinus":
        return f"(-{_expr(e.expr)})"
    if name == "UnaryPlus":
        return f"(+{_expr(e.expr)})"
    if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        word = "EXISTS" if name == "Builtin_EXISTS" else "NOT EXISTS"
        return f"{word} {_group(_translated(e.graph))}"
    if name == "Function":
        distinct = "DISTINCT " if e.distinct else ""
        return f"{e.iri.n3()}({distinct}{', '.join(_expr(x) for x in (e.expr or []))})"
    if name.startswith("Builtin_"):
        fn = name[len("Builtin_") :]
        args = []
        for k in (*_ARG_ORDER, "flags"):
            if k in e and e[k] is not None:
                v = e[k]
                args.extend(v if isinstance(v, list) else [v])
        return f"{fn}({', '.join(_expr(a) for a in args)})"
    raise Unsupported(f"expression {name}")


def rewritten(queries: Iterable[str]) -> list[bool]:
    """For each query, whether the rewriter changed it (a helper for reports and tests)."""
    return [decorrelate(q) != q for q in queries]
