"""Decorrelate top-level ``FILTER (NOT) EXISTS { P }``: ``MINUS { P }`` and a join with
``{ SELECT DISTINCT <shared> WHERE { P } }``, where they mean the same.

Why: Oxigraph evaluates an EXISTS once per outer solution, and for a pattern of several triples
that costs a scan each time, so a constraint run over all networks at once grows with the square
of the graph (I3.1.5 took 180 s at 342 municipalities). MINUS is one anti-join and the DISTINCT
sub-select one semi-join: the pattern is evaluated once.

The shapes themselves keep ``FILTER NOT EXISTS`` (SHACL forbids MINUS in constraints because of
pre-binding); only the fast engine rewrites, and only where the result cannot differ. For a
top-level ``FILTER NOT EXISTS { P }`` in the WHERE group with outer solutions μ, MINUS removes μ
iff some solution of P agrees with μ on their shared variables (and they share one); a join with
the distinct projection of P on the shared variables keeps μ exactly once under the same
condition. That equals NOT EXISTS (and EXISTS) when every variable P shares with the outer group is

- bound in every outer solution — it occurs in a plain triple pattern of the outer group, and
- bound in every solution of P — it occurs in a plain triple pattern of P itself (not only in a
  FILTER, OPTIONAL or UNION inside P),

and at least one is shared. The new blocks go to the end of the group, since a FILTER acts on
the whole group but MINUS only on what precedes it. The conditions are checked by a small
scanner, not a full SPARQL parser: anything it cannot classify (sub-selects, BIND, VALUES,
escaped names, an IRI-like token holding ``?``) leaves the query unchanged, and so does a
rewrite that would not parse. ``tests/test_sparqlopt.py`` runs both forms on data built to tell
them apart, including the cases a review found.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pyoxigraph as ox

# Tokens the scanner must step over as a whole so their braces, '#' or '?' do not count.
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*"
    r"|[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+"  # SPARQL VARNAME: may start with a digit
    r"|[{}()]"
    r"|[^\W\d][\w-]*"
    r"|\S",
    re.DOTALL,
)


@dataclass
class _Item:
    kind: str  # "triples", "not-exists", "exists", "filter", "block"
    start: int
    end: int
    vars: set[str]


def _tokens(text: str, start: int, end: int):
    for m in _TOKEN.finditer(text, start, end):
        tok = m.group(0)
        if tok.startswith("#"):
            continue
        yield m.start(), m.end(), tok


def _close(text: str, open_at: int, end: int) -> int:
    """Index just after the bracket that closes the one at ``open_at``; -1 when unbalanced."""
    pairs = {"{": "}", "(": ")"}
    stack = []
    for _s, e, tok in _tokens(text, open_at, end):
        if tok in pairs:
            stack.append(pairs[tok])
        elif tok in ("}", ")"):
            if not stack or stack.pop() != tok:
                return -1
            if not stack:
                return e
    return -1


def _variables(text: str, start: int, end: int) -> set[str]:
    return {tok[1:] for _, _, tok in _tokens(text, start, end) if tok[0] in "?$" and len(tok) > 1}


def _items(text: str, start: int, end: int) -> list[_Item] | None:
    """The top-level parts of the group between ``start`` and ``end`` (its braces excluded)."""
    items: list[_Item] = []
    toks = list(_tokens(text, start, end))
    i = 0
    while i < len(toks):
        s, e, tok = toks[i]
        word = tok.upper()
        if word == "FILTER":
            j = i + 1
            neg = False
            if j < len(toks) and toks[j][2].upper() == "NOT":
                neg, j = True, j + 1
            if j < len(toks) and toks[j][2].upper() == "EXISTS":
                j += 1
                if j >= len(toks) or toks[j][2] != "{":
                    return None
                close = _close(text, toks[j][0], end)
                if close < 0:
                    return None
                inner = (toks[j][1], close - 1)
                kind = "not-exists" if neg else "exists"
                items.append(_Item(kind, s, close, _variables(text, *inner)))
                items[-1].branches = [inner]  # type: ignore[attr-defined]
            elif j < len(toks) and toks[j][2] == "(" and not neg:
                close = _close(text, toks[j][0], end)
                if close < 0:
                    return None
                branches = _exists_disjunction(text, toks[j][1], close - 1)
                kind = "exists" if branches else "filter"
                items.append(_Item(kind, s, close, _variables(text, s, close)))
                items[-1].branches = branches  # type: ignore[attr-defined]
            else:
                return None
            while i < len(toks) and toks[i][0] < items[-1].end:
                i += 1
            continue
        if tok in ("{", "(") or word in ("OPTIONAL", "MINUS", "UNION", "GRAPH", "SERVICE"):
            # a nested group or an expression: its variables may be unbound, so never "certain"
            k = i
            while k < len(toks) and toks[k][2] not in ("{", "("):
                k += 1
            if k >= len(toks):
                return None
            close = _close(text, toks[k][0], end)
            if close < 0:
                return None
            items.append(_Item("block", s, close, _variables(text, s, close)))
            while i < len(toks) and toks[i][0] < close:
                i += 1
            continue
        if word in ("BIND", "VALUES", "SELECT"):
            return None  # not used by our constraints; leave such queries alone
        # a run of plain triple-pattern tokens
        j = i
        while (
            j < len(toks)
            and toks[j][2] not in ("{", "(", "}")
            and toks[j][2].upper()
            not in (
                "FILTER",
                "OPTIONAL",
                "MINUS",
                "UNION",
                "GRAPH",
                "SERVICE",
                "BIND",
                "VALUES",
            )
        ):
            j += 1
        if j == i:
            return None
        last = toks[j - 1][1]
        items.append(_Item("triples", s, last, _variables(text, s, last)))
        i = j
    return items


def _exists_disjunction(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The patterns of ``EXISTS { A } || EXISTS { B } ...`` filling ``start:end``, else None."""
    toks = list(_tokens(text, start, end))
    out, i = [], 0
    while i < len(toks):
        if out:
            if toks[i][2] != "|" or i + 1 >= len(toks) or toks[i + 1][2] != "|":
                return None
            i += 2
        if i + 1 >= len(toks) or toks[i][2].upper() != "EXISTS" or toks[i + 1][2] != "{":
            return None
        close = _close(text, toks[i + 1][0], end)
        if close < 0:
            return None
        out.append((toks[i + 1][1], close - 1))
        while i < len(toks) and toks[i][0] < close:
            i += 1
    return out or None


def _certain(items: list[_Item]) -> set[str]:
    return set().union(*(it.vars for it in items if it.kind == "triples"))


def where_group(query: str) -> tuple[int, int] | None:
    """Offsets of the WHERE group's opening brace and just after its closing one, found by the
    scanner (so a ``WHERE {`` in a comment or a string does not count); None if there is none."""
    toks = list(_tokens(query, 0, len(query)))
    for i, (_, _, tok) in enumerate(toks[:-1]):
        if tok.upper() == "WHERE" and toks[i + 1][2] == "{":
            close = _close(query, toks[i + 1][0], len(query))
            return (toks[i + 1][0], close) if close > 0 else None
    return None


def _unsure(query: str) -> bool:
    """Text the scanner could misread: a backslash outside strings (an escaped local name such
    as ``ex:a\\?y``), or an apparent IRI holding a variable sign (``?v<?lim&&?v>0``)."""
    for _, _, tok in _tokens(query, 0, len(query)):
        if tok == "\\" or (tok.startswith("<") and ("?" in tok or "$" in tok)):
            return True
    return False


@functools.lru_cache(maxsize=1024)
def decorrelate(query: str) -> str:
    """``query`` with every safely rewritable top-level FILTER (NOT) EXISTS decorrelated; the
    query unchanged when the scanner is unsure of it or the result would not parse."""
    group = where_group(query)
    if group is None or _unsure(query):
        return query
    body_start, close = group[0] + 1, group[1]
    items = _items(query, body_start, close - 1)
    if items is None:
        return query
    certain_outer = _certain(items)
    scope_outer = set().union(*(it.vars for it in items if it.kind in ("triples", "block")))
    edits = []
    for it in items:
        if it.kind not in ("not-exists", "exists"):
            continue
        patterns = []
        for inner_start, inner_end in it.branches:  # type: ignore[attr-defined]
            inner = _items(query, inner_start, inner_end)
            shared = _variables(query, inner_start, inner_end) & scope_outer
            if inner is None or not shared or not shared <= certain_outer:
                break
            if not shared <= _certain(inner):
                break
            patterns.append((shared, query[inner_start:inner_end]))
        else:
            if len({frozenset(sh) for sh, _ in patterns}) != 1:
                continue  # branches of a disjunction must join on the same variables
            shared = patterns[0][0]
            if it.kind == "not-exists":
                new = f"MINUS {{{patterns[0][1]}}}"
            else:
                names = " ".join(f"?{v}" for v in sorted(shared))
                union = " UNION ".join(f"{{{p}}}" for _, p in patterns)
                new = f"{{ SELECT DISTINCT {names} WHERE {{ {union} }} }}"
            edits.append((it.start, it.end, new))
    if not edits:
        return query
    # MINUS acts on what precedes it, a FILTER on the whole group: so the new blocks go last.
    # The FILTER itself becomes FILTER(true), valid wherever the FILTER was (no dots to mend).
    tail = "".join(f"\n  {new}" for _, _, new in edits)
    out = query
    for start, end, _ in reversed(edits):
        out = out[:start] + _TRUE + out[end:]
        close -= end - start - len(_TRUE)
    out = out[: close - 1] + tail + "\n" + out[close - 1 :]
    try:
        _EMPTY.query(out)  # parses it (and runs it on no data)
    except (SyntaxError, ValueError, RuntimeError):
        return query
    return out


_TRUE = "FILTER(true)"
_EMPTY = ox.Store()
