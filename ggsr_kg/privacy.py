"""The text patterns of the privacy guard: what in a value, an IRI or a file's raw text looks like
a citizen service number (BSN), a personal e-mail address or a phone number.

The same scan runs on every literal and every IRI of the graph (:func:`ggsr_kg.quality.
privacy_findings`) and on the raw text of every user file (:func:`file_findings`), so a BSN in a
Turtle ``# comment``, which no parser keeps, is found too. Kept narrow on purpose — the shipped
data must pass, and CBS codes (``GM0114``), years, dates, page numbers, Wikidata items
(``Q2711042``) and amounts must not trip it (tests/test_privacy.py has the hits and the non-hits):

- **BSN**: nine digits passing the elfproef, or eight (a BSN with its leading zero dropped),
  written plainly or grouped with dots or spaces (``1234.56.782``, ``123 456 782``), not glued to
  a letter or digit before it (``Q123456782`` is a Wikidata item) — so ``id:client-123456782``
  and ``urn:bsn:123456782`` are found. Not taken for one: an eight-digit date (``20141231``) and
  a number said to be a KvK or RSIN number (an organisation's) on the same line;
- **e-mail**: ``naam@domein.nl``, ``naam (at) domein.nl`` / ``[at]``, and any ``mailto:``;
- **phone**: Dutch numbers — ``06 12345678``, ``06 - 123 456 78``, ``020-1234567``,
  ``+31 6 …``, ``0031 6 …``, ``+31 (0)6 …`` — and any ``tel:``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

BSN_REASON = "lijkt op een BSN (elfproef) / looks like a BSN"
EMAIL_REASON = "e-mailadres / e-mail address"
PHONE_REASON = "telefoonnummer / phone number"

_SEP = r"[ .]"
_BSN = re.compile(
    rf"(?<![0-9A-Za-z])(?:\d{{9}}|\d{{8}}|\d{{4}}\.\d{{2}}\.\d{{3}}|\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{3}}"
    rf"|\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{3}})(?![0-9]|[.,]\d)"
)
_ORGANISATION_NUMBER = re.compile(r"kvk|rsin|kamer van koophandel|handelsregister", re.I)
_DATE8 = re.compile(r"(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")
_EMAIL = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}"
    r"|[\w.+-]+[ \t\u00a0]*[(\[{][ \t\u00a0]*(?:at|apenstaart)[ \t\u00a0]*[)\]}][ \t\u00a0]*[\w-]+(?:[ \t\u00a0]*(?:\.|[(\[{][ \t\u00a0]*(?:dot|punt)[ \t\u00a0]*[)\]}])[ \t\u00a0]*[\w-]+)+"
    r"|\bmailto:[^\s<>\"]*",
    re.I,
)
_PHONE = re.compile(
    r"(?<![0-9A-Za-z+])(?:(?:\+|00)31[ \t\u00a0-]*(?:\(0\)[ \t\u00a0-]*)?[1-9](?:[ \t\u00a0-]{0,3}\d){7,8}"
    r"|0[1-9](?:[ \t\u00a0-]{0,3}\d){8})(?![0-9])"
    r"|\btel:[+\d][^\s<>\"]*",
    re.I,
)


def elfproef(digits: str) -> bool:
    """True when nine digits pass the BSN eleven-test (so they may be a citizen service number)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0 and digits != "000000000"


@dataclass(frozen=True)
class TextFinding:
    start: int  # offset in the text
    value: str  # as written
    reason: str


# Cheap signs that a pattern may match, so the full patterns run only where they can: the e-mail
# pattern, tried at every position of a long text, cost most of a national file's scan (19 of
# 25 s at 342 municipalities) though nearly no line holds an '@' (a language tag, "…"@nl, is
# not one).
_DIGIT = re.compile(r"\d")
_EMAIL_SIGN = re.compile(
    r"(?<![\"'])@|mailto:|[(\[{][ \t\u00a0]*(?:at|apenstaart)[ \t\u00a0]*[)\]}]", re.I
)


def _lines_with(sign: re.Pattern, text: str):
    """(start, end) of each line of ``text`` that holds ``sign``, once per line, in order."""
    end = -1
    for m in sign.finditer(text):
        if m.start() < end:
            continue
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        yield start, end


def text_findings(text: str) -> list[TextFinding]:
    """What in ``text`` looks like a BSN, an e-mail address or a phone number."""
    found: list[TextFinding] = []
    for start, end in _lines_with(_EMAIL_SIGN, text):
        found += [
            TextFinding(m.start(), m.group(), EMAIL_REASON)
            for m in _EMAIL.finditer(text, start, end)
        ]
    if not _DIGIT.search(text):  # a BSN and a phone number have digits
        return sorted(found, key=lambda f: f.start)
    numbers: list[TextFinding] = []
    for m in _BSN.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) == 8:
            if _DATE8.fullmatch(digits):
                continue
            digits = "0" + digits
        if not elfproef(digits):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        if _ORGANISATION_NUMBER.search(text, max(line_start, m.start() - 60), m.start()):
            continue
        numbers.append(TextFinding(m.start(), m.group(), BSN_REASON))
    taken = numbers + found
    for m in _PHONE.finditer(text):
        # a phone number is not a BSN or part of an e-mail address: digits already reported are
        # not reported twice
        if not any(f.start <= m.start() < f.start + len(f.value) for f in taken):
            numbers.append(TextFinding(m.start(), m.group(), PHONE_REASON))
    return sorted(found + numbers, key=lambda f: f.start)


def many_text_findings(texts: list[str]) -> list[tuple[int, TextFinding]]:
    """:func:`text_findings` on many texts in one pass: (index of the text, finding in it). The
    texts are joined by line breaks, which no pattern crosses."""
    from bisect import bisect_right
    from itertools import accumulate

    starts = [0, *accumulate(len(t) + 1 for t in texts)][:-1] if texts else []
    out = []
    for f in text_findings("\n".join(texts)):
        i = bisect_right(starts, f.start) - 1
        out.append((i, TextFinding(f.start - starts[i], f.value, f.reason)))
    return out


@dataclass(frozen=True)
class FileFinding:
    path: Path
    line: int
    column: int
    value: str
    reason: str


def file_findings(path: Path, block: int = 4 * 1024 * 1024) -> list[FileFinding]:
    """:func:`text_findings` on the raw text of a file (its comments, for N-Triples and N-Quads),
    with line and column.
    Read in blocks of whole lines (no pattern spans a line), so a national file is never held
    whole."""
    from .rdfio import open_regular

    # N-Triples and N-Quads hold everything but comments in the graph, which is scanned apart:
    # only their comments are read here (a national file: 7 s less at 342 municipalities)
    line_based = path.suffix.lower() in (".nt", ".nq")
    out = []
    line_no = 1
    rest = b""
    with open_regular(path) as f:
        while True:
            chunk = f.read(block)
            data = rest + chunk
            if chunk:
                cut = data.rfind(b"\n") + 1
                if cut == 0:  # one very long line: keep reading
                    rest = data
                    continue
                data, rest = data[:cut], data[cut:]
            else:
                rest = b""
            text = data.decode("utf-8", "replace")
            for found in _raw_findings(text, line_based):
                line = line_no + text.count("\n", 0, found.start)
                column = found.start - (text.rfind("\n", 0, found.start) + 1) + 1
                out.append(FileFinding(path, line, column, found.value, found.reason))
            line_no += text.count("\n")
            if not chunk:
                return out


# A comment in N-Triples/N-Quads: a line that starts with '#', or what follows a statement's
# closing '.'. A '.' and '#' inside a literal or IRI may match too: more is read, never less.
_LINE_COMMENT = re.compile(r"^[ \t]*#[^\n]*|\.[ \t]*#[^\n]*", re.M)


def _raw_findings(text: str, line_based: bool) -> list[TextFinding]:
    if not line_based:
        return text_findings(text)
    out = []
    for m in _LINE_COMMENT.finditer(text):
        out += [
            TextFinding(m.start() + f.start, f.value, f.reason) for f in text_findings(m.group())
        ]
    return out


def masked(value: str, reason: str) -> str:
    """A BSN is never repeated in full in a message."""
    if reason != BSN_REASON:
        return value
    digits = re.sub(r"\D", "", value)
    return digits[:3] + "***" + digits[-2:]
