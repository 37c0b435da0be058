"""Where the WHERE group of a SPARQL query starts and ends in its text.

Used to write a VALUES block of bound parameters into a query (``queries.with_values``) and as the
fallback for binding a shape's target: a position in the text, not a decision about meaning.
Every decision about what a query *means* (``sparqlopt``) is taken on rdflib's parse tree. This
small scanner steps over strings, IRIs and comments so that a ``WHERE {`` inside one of them does
not count.
"""

from __future__ import annotations

import re

# Tokens the scanner must step over as a whole so their braces, '#' or '?' do not count.
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*"
    r"|[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+"
    r"|[{}()]"
    r"|[^\W\d][\w-]*"
    r"|\S",
    re.DOTALL,
)


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


def where_group(query: str) -> tuple[int, int] | None:
    """Offsets of the WHERE group's opening brace and just after its closing one (a ``WHERE {``
    in a comment or a string does not count); None if there is none."""
    toks = list(_tokens(query, 0, len(query)))
    for i, (_, _, tok) in enumerate(toks[:-1]):
        if tok.upper() == "WHERE" and toks[i + 1][2] == "{":
            close = _close(query, toks[i + 1][0], len(query))
            return (toks[i + 1][0], close) if close > 0 else None
    return None
