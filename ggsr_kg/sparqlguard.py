"""What a SPARQL query text may do before an engine sees it: not too deep, no SERVICE, no update.

Oxigraph parses and plans a query recursively: a query nested 1,000 levels deep (2 KB of ``{``)
killed the Oxigraph server, 5,000 levels (or a chain of 10,000 ``||``, ``UNION``, ``/`` or triple
patterns) a Python process with pyoxigraph (segmentation fault, measured with pyoxigraph 0.5.13).
``SERVICE <url>`` makes the engine fetch any URL it is given (server-side request forgery);
``LOAD`` does the same in an update. So every query a user hands us passes :func:`check` first:

1. **a cheap scan** (no parser): after SPARQL's ``\\u``/``\\U`` escapes are expanded (the engines
   do that before parsing, so ``\\u0053ERVICE`` is ``SERVICE``), the text is cut into tokens —
   comments, strings and IRIs skipped — and refused when more than :data:`MAX_NESTING` brackets
   (``{ ( [``) are open at once, or one bracket level holds more than :data:`MAX_CHAIN` operators
   (``. ; , || && | / ^ + - * ! = < > UNION``…): the two shapes that make the engines recurse.
   The limits are 15–80× below what crashed and far above the named queries (at most 8 levels
   and 19 operators). The scan runs first because the parser is recursive too: rdflib's
   raises RecursionError at 30 nested parentheses with Python's default limit, and takes 23 s for
   a chain of 10,000 ``||``;
2. **a real parser**: rdflib's SPARQL grammar (``rdflib.plugins.sparql.parser``, a dependency
   already), with a raised recursion limit; a ``ServiceGraphPattern`` anywhere in the parse tree
   is refused unless ``allow_service``; a text that parses as an update (``LOAD``, ``DROP``, …) is
   refused as read-only. A text rdflib cannot read is left to the engine, whose syntax errors
   name line and column — unless the scan found the keyword ``SERVICE`` in it: a query whose
   SERVICE the parser cannot confirm or rule out is refused (the scan also refuses a SERVICE
   token the parser somehow did not see, so a disagreement between parsers errs on refusal).

Verdicts are cached per text (the named queries come again and again; a parse costs 15–110 ms).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache

MAX_NESTING = 64  # brackets open at once
MAX_CHAIN = 500  # operators in one bracket level
RECURSION_LIMIT = 20_000  # for rdflib's recursive-descent parser at MAX_NESTING levels

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
                  |\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
                  |'(?:[^'\\\n]|\\.)*(?:'|$)
                  |"(?:[^"\\\n]|\\.)*(?:"|$))
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]*)
      | (?P<word>[^\W\d][\w.\-]*(?::[\w.\-:%\\]*)?|:[\w.\-:%\\]*|_:[\w.\-]*)
      | (?P<number>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<op>\|\||&&|!=|<=|>=|\^\^|[.;,|/^+\-*!=<>?])
      | (?P<other>.)""",
    re.X | re.S,
)
_CHAIN_WORDS = {"UNION", "MINUS", "OPTIONAL", "FILTER", "IN"}


@dataclass(frozen=True)
class Refusal:
    """Why a query is refused: ``kind`` is depth, service, update or size; line/column 1-based."""

    kind: str
    message: str
    line: int = 0
    column: int = 0

    @property
    def status(self) -> int:
        """The HTTP status a server answers with."""
        return 403 if self.kind == "update" else 400


@dataclass(frozen=True)
class Scan:
    nesting: int
    chain: int
    service_at: tuple[int, int] | None
    refusal: Refusal | None


def expand_escapes(text: str) -> str:
    """SPARQL's codepoint escapes, expanded as the engines do before they parse (rdflib's own)."""
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        return expandUnicodeEscapes(text)
    except (ValueError, OverflowError):  # an escape beyond U+10FFFF: the parsers refuse it too
        return text


def scan(text: str) -> Scan:
    """Nesting, the longest chain of operators and where a SERVICE keyword is, without parsing."""
    chains = [0]  # operators per open bracket level
    deepest = longest = 0
    service = None
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("space", "comment", "string"):
            pass
        elif kind == "open":
            chains.append(0)
            deepest = max(deepest, len(chains) - 1)
            if len(chains) - 1 > MAX_NESTING:
                at = _position(text, m.start())
                return Scan(deepest, longest, service, _too_deep(at, "nesting"))
        elif kind == "close":
            if len(chains) > 1:
                chains.pop()
        elif kind == "op" or (kind == "word" and m.group().upper() in _CHAIN_WORDS):
            chains[-1] += 1
            longest = max(longest, chains[-1])
            if chains[-1] > MAX_CHAIN:
                at = _position(text, m.start())
                return Scan(deepest, longest, service, _too_deep(at, "chain"))
        elif kind == "word" and m.group().upper() == "SERVICE" and service is None:
            service = _position(text, m.start())
    return Scan(deepest, longest, service, None)


def _position(text: str, at: int) -> tuple[int, int]:
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _too_deep(at: tuple[int, int], why: str) -> Refusal:
    if why == "nesting":
        text = (
            f"query te diep genest (meer dan {MAX_NESTING} haakjes {{ ( [ tegelijk open) / query "
            f"nested too deeply (more than {MAX_NESTING} brackets open at once)"
        )
    else:
        text = (
            f"query te lang geketend (meer dan {MAX_CHAIN} operatoren als . ; , || UNION op één "
            f"niveau) / query chained too long (more than {MAX_CHAIN} operators on one level)"
        )
    return Refusal("depth", text, *at)


def _service(at: tuple[int, int] | None, confirmed: bool) -> Refusal:
    why = (
        ""
        if confirmed
        else " (niet te ontleden, maar bevat SERVICE / unparsable, contains SERVICE)"
    )
    return Refusal(
        "service",
        "SERVICE is niet toegestaan: de query zou een ander adres laten ophalen / SERVICE is "
        f"refused: the query would make this machine fetch another address{why}",
        *(at or (0, 0)),
    )


def _walk(tree) -> bool:
    """True when the parse tree holds a SERVICE pattern (iterative: the tree may be deep)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                return True
            todo.extend(node.values())
        elif isinstance(node, dict):
            todo.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            todo.extend(node)
    return False


def _parse(text: str):
    """rdflib's parse tree of a query, "update" for an update, None when it cannot read it."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, RECURSION_LIMIT))
    try:
        try:
            return parseQuery(text)
        except ParseException:
            pass
        try:
            parseUpdate(text)
            return "update"
        except ParseException:
            return None
    finally:
        sys.setrecursionlimit(old)


@lru_cache(maxsize=512)
def check(text: str, allow_service: bool = False) -> Refusal | None:
    """Why ``text`` must not reach an engine, or None when it may (see the module docstring)."""
    text = expand_escapes(text.removeprefix("\ufeff"))
    found = scan(text)
    if found.refusal is not None:
        return found.refusal
    try:
        tree = _parse(text)
    except RecursionError:
        return _too_deep((0, 0), "nesting")
    except Exception:  # noqa: BLE001 - any other parser failure: the engine gives the syntax error
        tree = None
    if tree == "update":
        return Refusal(
            "update",
            "dit is een SPARQL Update (LOAD, INSERT, DROP, …); alleen lezen / this is a SPARQL "
            "Update (LOAD, INSERT, DROP, …); read-only",
        )
    if allow_service:
        return None
    if found.service_at is not None:
        return _service(found.service_at, confirmed=tree is not None)
    if tree is not None and _walk(tree):
        return _service(None, confirmed=True)
    return None
