"""``ggsr-kg report``: the static site — complete, self-contained, accessible — checked on the files
and in a real headless Chromium (file:// URLs, no server).

The site is built once per session. The browser tests drive Debian's ``chromium`` over the
DevTools protocol (``--remote-debugging-pipe``, standard library only): they read the console and
every request the page makes, so "no errors" and "nothing loaded from outside the site" are
observed, not guessed from the HTML. They install chromium with apt-get when it is missing and we
are root, and skip with the reason when that is impossible (``GGSR_REQUIRE_BROWSER=1`` turns that
skip into a failure). Screenshots and the printed PDF go to ``build/screenshots/`` (or
``$GGSR_SCREENSHOTS``).
"""

from __future__ import annotations

import ast
import base64
import contextlib
import html
import json
import os
import re
import select
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from ggsr_kg.report import build_site

REPO = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("GGSR_SCREENSHOTS") or REPO / "build" / "screenshots")
PAGES_WANTED = {"emmen": 2014, "almere": None}  # municipality slug → year (None: any)


# ---- building ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site(kg, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    start = time.perf_counter()
    built = build_site(kg, out)
    print(f"\nsite built in {time.perf_counter() - start:.1f} s: {built.index}")
    return built


def page_for(site, slug: str, year: int | None) -> Path:
    folder = site.out / "gemeente"
    pages = sorted(folder.glob(f"{slug}-{year}.html" if year else f"{slug}-*.html"))
    pages = pages or sorted(folder.glob(f"{slug}-*{year or ''}.html"))
    if not pages:
        have = sorted(p.name for p in folder.glob("*.html"))
        pytest.fail(f"no page for {slug} {year or ''} in {have}")
    return pages[-1]


@pytest.fixture(scope="session")
def key_pages(site) -> dict[str, Path]:
    return {slug: page_for(site, slug, year) for slug, year in PAGES_WANTED.items()}


class Page(HTMLParser):
    """What the checks need from an HTML file: elements with their attributes, ids, headings."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()
        self.headings: list[int] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        self.elements.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def all(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag]


def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def html_files(site) -> list[Path]:
    return sorted(site.out.rglob("*.html"))


# ---- the files -----------------------------------------------------------------------------------


def test_one_page_per_network_and_the_overview(kg, site):
    networks = kg.networks()
    pages = list((site.out / "gemeente").glob("*.html"))
    assert len(pages) == len(networks)
    assert (site.out / "index.html").is_file()
    assert (site.out / "ontologie.html").is_file()
    assert (site.out / "static" / "style.css").is_file()
    index = (site.out / "index.html").read_text(encoding="utf-8")
    for p in pages:
        assert f'href="gemeente/{p.name}"' in index, f"overview does not link {p.name}"


def test_key_pages_have_all_30_indicator_rows(key_pages):
    for slug, path in key_pages.items():
        page = parse(path)
        codes = [a["data-indicator"] for a in page.all("tr") if "data-indicator" in a]
        assert len(codes) == 30 == len(set(codes)), f"{slug}: {len(codes)} indicator rows"


def test_status_is_not_colour_alone(key_pages):
    text = key_pages["emmen"].read_text(encoding="utf-8")
    for symbol, word in (("✓", "voldoet"), ("✗", "verbeterpunt"), ("?", "onbekend")):
        assert re.search(
            rf'status-{word}"><span class="sym" aria-hidden="true">{re.escape(symbol)}</span> {word}',
            text,
        )


def test_every_local_link_and_source_resolves_inside_the_site(site):
    root = site.out.resolve()
    pages = {p.resolve(): parse(p) for p in html_files(site)}
    checked = 0
    for path, page in pages.items():
        for _tag, attrs in page.elements:
            for attr in ("href", "src"):
                url = attrs.get(attr)
                if url is None or url.startswith(("http://", "https://", "mailto:")):
                    continue
                parts = urlsplit(url)
                assert not parts.scheme, f"{path.name}: unexpected URL {url}"
                target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
                assert target.is_relative_to(root), f"{path.name}: {url} points outside the site"
                assert target.is_file(), f"{path.name}: {url} does not exist"
                if parts.fragment and target.suffix == ".html":
                    ids = pages[target].ids if target in pages else parse(target).ids
                    assert parts.fragment in ids, f"{path.name}: no anchor for {url}"
                checked += 1
    assert checked > 100


RESOURCE = re.compile(
    r"""(?:\bsrc\s*=\s*["']?|url\(\s*["']?|@import\s+(?:url\(\s*)?["']?)(https?:)""", re.IGNORECASE
)
LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)


def test_no_page_loads_anything_from_the_network(site):
    files = html_files(site) + sorted(site.out.rglob("*.css"))
    assert files
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert not RESOURCE.search(text), f"{f.name} loads a resource over http(s)"
        for tag in LINK_TAG.findall(text):
            assert not re.search(r"href\s*=\s*[\"']?https?:", tag, re.I), f"{f.name}: {tag}"
    for svg in site.out.rglob("*.svg"):
        assert not re.search(r"(?:xlink:)?href=\"https?:", svg.read_text(encoding="utf-8"))


def test_open_data_links_are_navigation_only(key_pages):
    page = parse(key_pages["almere"])
    external = [a["href"] for a in page.all("a") if a.get("href", "").startswith("http")]
    assert any("identifier.overheid.nl/tooi" in h for h in external), external
    assert any("wikidata.org" in h for h in external), external


def test_diagrams_are_images_with_alt_text(site, key_pages):
    for path in html_files(site):
        for img in parse(path).all("img"):
            assert img.get("alt", "").strip(), (
                f"{path.name}: <img src={img.get('src')}> without alt"
            )
    for slug, path in key_pages.items():
        imgs = parse(path).all("img")
        srcs = [i["src"] for i in imgs]
        assert any(s.endswith("-netwerk.svg") for s in srcs), f"{slug}: no network diagram"
        assert all(s.endswith(".svg") for s in srcs)
        text = path.read_text(encoding="utf-8")
        assert "Tekstversie van het netwerkdiagram" in text
    assert site.diagrams and all(p.stat().st_size > 1000 for p in site.diagrams)


def test_escalation_ladder_says_who_decides_last(key_pages):
    text = key_pages["almere"].read_text(encoding="utf-8")
    assert 'id="escalatie"' in text
    assert "Beslist als laatste:" in text
    assert any(
        s.endswith("-escalatie-1.svg")
        for s in (i["src"] for i in parse(key_pages["almere"]).all("img"))
    )


def test_doorzettingsmacht_rows_are_those_of_the_named_query(kg, key_pages):
    from ggsr_kg import doorzettingsmacht
    from ggsr_kg.queries import find_query, run

    networks = {n["netwerk"].value: n for n in kg.networks()}
    for slug, path in key_pages.items():
        text = html.unescape(path.read_text(encoding="utf-8"))
        section = text.split('<section id="doorzettingsmacht"', 1)[1].split("</section>", 1)[0]
        net = networks[re.search(r'data-netwerk="([^"]+)"', section).group(1)]
        params = {"gemeente": net["gemeenteNaam"].value, "jaar": net["jaar"].value}
        names, rows = run(kg, find_query("doorzettingsmacht"), params)
        rows = [r for r in rows if r["netwerk"] == net["netwerk"]]
        assert len(re.findall(r'data-dzm-rij="', section)) == len(rows), slug
        [powers] = doorzettingsmacht.group(names, rows)
        assert powers.headline() in section, slug  # the headline answer, as the command gives it
        for p in [*powers.decisive, *powers.weaker]:
            assert p.who() in section and (p.bron or "") in section, slug
        assert ".txt" not in section  # sources by title and place


def test_emmen_2014_doorzettingsmacht_says_nobody_with_the_finding(key_pages):
    text = html.unescape(key_pages["emmen"].read_text(encoding="utf-8"))
    section = text.split('<section id="doorzettingsmacht"', 1)[1].split("</section>", 1)[0]
    assert (
        "Doorzettingsmacht: niemand / nobody — doorzettingsmacht voor de regisseur is niet"
        in section
    )
    assert "bevinding van Samenwerkend Toezicht Jeugd (STJ)" in section
    assert section.count('data-dzm-rij="') == 3  # nobody, zorg inzetten, opschalen (the CJG)


def test_facts_carry_provenance(key_pages):
    text = key_pages["emmen"].read_text(encoding="utf-8")
    facts = text.split('id="feiten"', 1)[1]
    assert facts.count('<article class="feit"') > 5
    assert "Bron: STJ-factsheet Emmen 2014" in facts and "Vindplaats:" in facts
    assert 'class="citaat"' in facts
    assert not re.search(r"Bron: <code>|\d{3}_[0-9a-f]{16}\.txt", facts)  # never the file name
    # each fact's kind links to its definition in the ontology documentation
    assert 'href="../ontologie.html#ggsr-' in facts


def scorecard_rows(path: Path) -> dict[str, str]:
    """indicator code → the HTML of its scorecard row."""
    text = path.read_text(encoding="utf-8")
    return dict(
        re.findall(
            r'<tr class="indicator[^"]*"[^>]*data-indicator="([\d.]+)"[^>]*>(.*?)</tr>', text, re.S
        )
    )


def test_every_cell_shows_its_grondslag_reasons_and_facts(kg, site, key_pages):
    """Each row: the grondslag of the derived verdict, the reasons of the scorecard (no fact
    sentence twice, never an IRI or placeholder), and the deciding facts with their sources, each
    linked to the fact on the page."""
    from ggsr_kg.scorecard import scorecard
    from ggsr_kg.validation import validate

    emmen = key_pages["emmen"]
    rows = scorecard_rows(emmen)
    assert len(rows) == 30
    net = next(
        n for n in kg.networks() if n["gemeenteNaam"].value == "Emmen" and n["jaar"].value == "2014"
    )
    scores = {s.indicator: s for s in scorecard(kg, validate(kg, focus=[net["netwerk"]]), [net])}
    ids = parse(emmen).ids
    for code, row in rows.items():
        s = scores[code]
        assert f"grondslag: {s.grondslag}</span>" in row, code
        shown = html.unescape(re.sub(r"<[^>]+>", " ", row))
        assert not re.search(r"\{[?$]|\$this|https?:|\.txt", shown), (code, shown)
        assert " ".join(s.redenen[0].split()) in " ".join(shown.split()), code
        raw = html.unescape(row)
        for f in s.feiten:
            for b in f["bronnen"]:
                assert "Bron: " + b in raw, (code, b)
            anchor = re.search(rf'href="#([^"]+)">{re.escape(f["label"])}<', raw)
            assert anchor and anchor.group(1) in ids, (code, f["label"])
    assert {s.grondslag for s in scores.values()} >= {"document", "bevinding", "geen"}


def test_accessible_structure(site):
    for path in html_files(site):
        text = path.read_text(encoding="utf-8")
        page = parse(path)
        assert re.search(r'<html lang="nl">', text), path.name
        assert page.headings.count(1) == 1, f"{path.name}: one h1"
        for a, b in zip(page.headings, page.headings[1:], strict=False):
            assert b <= a + 1, f"{path.name}: heading level jumps from h{a} to h{b}"
        for th in page.all("th"):
            assert th.get("scope") in {"col", "row", "colgroup", "rowgroup"}, (
                f"{path.name}: <th> without scope"
            )
        assert len(page.all("table")) == text.count("<caption>"), (
            f"{path.name}: table without caption"
        )


def test_print_view(site):
    css = (site.out / "static" / "style.css").read_text(encoding="utf-8")
    block = css.split("@media print", 1)[1]
    assert ".site-nav" in block and "display: none" in block
    assert "break-inside: avoid" in block


def test_ontology_page_has_an_anchor_per_term(kg, site):
    from ggsr_kg.scorecard import indicators

    page = parse(site.out / "ontologie.html")
    for anchor in (
        "ggsr-Gemeente",
        "ggsr-Doorzettingsmacht",
        "ggsr-bindt",
        "ggsr-citaat",
        "lg-gezin",
        "nv-bestuurlijk",
        "kader-T3",
        "kader-K3.2",
        "org-Post",
    ):
        assert anchor in page.ids, anchor
    for ind in indicators(kg):
        assert "kader-I" + ind.code in page.ids
    text = (site.out / "ontologie.html").read_text(encoding="utf-8")
    assert 'lang="en"' in text and "Definitie" in text


def test_command_prints_where_to_open_it(tmp_path, capsys):
    from ggsr_kg.cli import main

    assert main(["report", "--gemeente", "Almere", "--out", str(tmp_path / "r")]) == 0
    out = capsys.readouterr().out
    index = tmp_path / "r" / "index.html"
    assert str(index.resolve()) in out and index.is_file()
    assert len(list((tmp_path / "r" / "gemeente").glob("*.html"))) >= 1
    assert not list((tmp_path / "r" / "gemeente").glob("emmen-*"))


def test_command_refuses_a_file_as_output(tmp_path, capsys):
    from ggsr_kg.cli import main

    f = tmp_path / "bestand"
    f.write_text("x")
    assert main(["report", "--gemeente", "Almere", "--out", str(f)]) == 2
    assert "geen map" in capsys.readouterr().err


def test_command_refuses_an_output_below_a_file(tmp_path, capsys):
    from ggsr_kg.cli import main

    f = tmp_path / "bestand"
    f.write_text("x")
    assert main(["report", "--out", str(f / "rapport")]) == 2
    assert "is een bestand" in capsys.readouterr().err


def test_unknown_municipality_is_a_clear_error_without_traceback(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ggsr_kg.cli",
            "report",
            "--gemeente",
            "Atlantis",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "onbekende gemeente" in done.stderr and "'Atlantis'" in done.stderr
    for known in ("Almere", "Emmen", "Sittard-Geleen"):
        assert known in done.stderr
    assert not list(tmp_path.iterdir()), "nothing is written on bad input"


def test_municipality_without_network_says_which_have_one(tmp_path, capsys):
    from ggsr_kg.cli import main

    assert main(["report", "--gemeente", "Coevorden", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "Coevorden: geen netwerk" in err and "Emmen" in err


# ---- what the issue asks of the content ----------------------------------------------------------


class TextById(HTMLParser):
    """The text inside every element that has an id (nested elements included)."""

    VOID = {"br", "img", "meta", "link", "hr", "input", "col", "wbr", "source"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.open: dict[str, list[str]] = {}
        self.texts: dict[str, str] = {}
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        ident = dict(attrs).get("id")
        self.stack.append(ident)
        if ident:
            self.open[ident] = []

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.stack:
            return
        ident = self.stack.pop()
        if ident:
            self.texts[ident] = " ".join(" ".join(self.open.pop(ident)).split())

    def handle_data(self, data):
        for parts in self.open.values():
            parts.append(data)


def test_ontology_documents_every_term_in_dutch_and_english(kg, site):
    """Every term of our own namespaces has its anchor, its Dutch and English label and (except
    the framework's items, whose text is the norm itself) its definition in both languages; every
    indicator says when it is a verbeterpunt and when onbekend."""
    from ggsr_kg.report.terms import load_ontology

    onto = load_ontology(kg)
    texts = TextById((site.out / "ontologie.html").read_text(encoding="utf-8")).texts
    own = [t for t in onto.terms.values() if not t.external]
    assert len(own) > 250
    framework = [t for t in own if t.iri.startswith("https://w3id.org/ggsr/kader#")]
    for t in own:
        assert t.anchor in texts, f"no anchor for {t.curie}"
        text = texts[t.anchor]
        assert t.label_nl and t.label_nl in text, f"{t.curie}: Dutch label"
        assert t.label_en and t.label_en in text, f"{t.curie}: English label"
        if t in framework and not t.definition_nl:
            continue
        assert t.definition_nl and t.definition_nl in text, f"{t.curie}: Dutch definition"
        assert t.definition_en and t.definition_en in text, f"{t.curie}: English definition"
    indicators = [t for t in framework if t.kind == "concept" and t.curie.startswith("kader:I")]
    assert len(indicators) == 30
    for t in indicators:
        assert "Verbeterpunt als" in texts[t.anchor] and "Onbekend als" in texts[t.anchor], t.curie


def test_terms_on_a_page_link_to_their_definition(key_pages):
    for slug, path in key_pages.items():
        hrefs = [a["href"] for a in parse(path).all("a")]
        to_onto = {h.split("#", 1)[1] for h in hrefs if h.startswith("../ontologie.html#")}
        codes = {a["data-indicator"] for a in parse(path).all("tr") if "data-indicator" in a}
        assert {f"kader-I{c}" for c in codes} <= to_onto, slug  # each indicator row
        assert {"ggsr-Gemeente", "ggsr-cbsCode", "ggsr-tooi", "ggsr-wikidata"} <= to_onto, slug
        assert len(to_onto) > 40, f"{slug}: only {len(to_onto)} terms linked"


def test_stj_verdict_and_agreement_beside_the_derived_one(kg, site):
    from ggsr_kg.scorecard import stj_verdicts

    stj = stj_verdicts(kg)
    networks = {n["netwerk"].value for n in kg.networks()}
    pages = [p for p in (site.out / "gemeente").glob("*.html")]
    checked = 0
    for path in pages:
        text = path.read_text(encoding="utf-8")
        net = re.search(r'data-netwerk="([^"]+)"', text).group(1)
        assert net in networks
        recorded = sum(1 for (n, _i) in stj if n == net)
        rows = re.findall(r'<tr class="indicator[^>]*>(.*?)</tr>', text, re.S)
        assert len(rows) == 30
        with_stj = [r for r in rows if "geen oordeel vastgelegd" not in r]
        assert len(with_stj) == recorded, path.name
        for r in with_stj:  # derived | STJ | agreement, each in words
            assert re.search(r'class="mark mark-(eens|oneens|nvt)"', r), path.name
        checked += recorded
    assert checked > 50


def test_overview_splits_the_agreement_with_stj_by_grondslag(kg, site):
    """The overview gives, per grondslag, the cells with an STJ verdict and how many agree —
    the same figures as validate --vergelijk-stj."""
    from ggsr_kg.scorecard import compare_with_stj, scorecard
    from ggsr_kg.validation import validate

    cmp = compare_with_stj(scorecard(kg, validate(kg), kg.networks()))
    text = (site.out / "index.html").read_text(encoding="utf-8")
    table = text.split('id="stj-grondslag"', 1)[1].split("</table>", 1)[0]
    shown = dict(
        re.findall(r'data-grondslag="(\w+)"><th scope="row">\w+</th><td>(\d+)</td>', table)
    )
    assert {b: int(n) for b, n in shown.items()} == cmp.cells_by_basis()
    assert sum(int(n) for n in shown.values()) == cmp.total
    for basis, (agree, judged) in cmp.per("grondslag").items():
        assert f'data-grondslag="{basis}"' in table and f"{agree} van {judged}" in table


def test_overview_shows_the_change_between_years(site):
    text = (site.out / "index.html").read_text(encoding="utf-8")
    section = text.split('<section id="verandering"', 1)[1].split("</section>", 1)[0]
    for gemeente, before, after in (("Emmen", 2013, 2014), ("Bergen op Zoom", 2013, 2014)):
        row = next(r for r in section.split("<tr>") if f">{gemeente}</a></th>" in r)
        assert f">{before}</a> → <a" in row and f">{after}</a>" in row
        assert re.search(r'class="mark mark-(gelijk|beter|slechter|anders)"', row)
    assert "Verandering 2013 → 2014" in text  # and per indicator in the drill-down


def test_pages_are_rendered_from_templates_not_python_strings():
    """No HTML or SVG markup in the report's Python code: pages come from the jinja2 templates,
    diagrams from networkx + matplotlib."""
    import ggsr_kg.report as pkg

    markup = re.compile(
        r"<\s*/?\s*(html|body|div|span|p|a|table|tr|td|th|ul|ol|li|h[1-6]|section|img|svg|"
        r"path|rect|g|text|br)\b[^>]*>",
        re.I,
    )
    root = Path(pkg.__file__).parent
    files = sorted(root.glob("*.py")) + [REPO / "ggsr_kg" / "commands" / "report.py"]
    for f in files:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not markup.search(node.value), f"{f.name}:{node.lineno}: {node.value[:60]!r}"
    assert sorted(p.name for p in (root / "templates").glob("*.j2"))


# ---- in a real browser ---------------------------------------------------------------------------


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def skip_or_fail(reason: str):
    if os.environ.get("GGSR_REQUIRE_BROWSER"):
        pytest.fail(f"GGSR_REQUIRE_BROWSER is set, but: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    found = find_chromium()
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        skip_or_fail(
            "chromium is not installed and cannot be installed here (not root / no apt-get)"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            skip_or_fail(f"installing chromium failed ({' '.join(cmd)}): {done.stderr[-500:]}")
    found = find_chromium()
    if not found:
        skip_or_fail("chromium was installed but is not on PATH")
    return found


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe: the browser reads commands
    on fd 3 and writes answers and events on fd 4, NUL-separated JSON (no websocket library)."""

    def __init__(self, binary: str, profile: Path):
        profile.mkdir(parents=True, exist_ok=True)
        # os.pipe takes the lowest free descriptors, so fds 3 and 4 are open after these two
        # calls, which pass_fds needs; the child then moves its ends onto them.
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def onto_3_and_4() -> None:
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.log_path = profile / "chromium.log"
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-pipe",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--no-first-run",
                "--no-default-browser-check",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
            preexec_fn=onto_3_and_4,
            pass_fds=(3, 4),
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._id = 0
        self.events: list[dict] = []

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                log = self.log_path.read_text(errors="replace")[-2000:]
                raise EOFError(f"chromium closed the pipe (exit {self.proc.poll()}): {log}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(
        self,
        method: str,
        params: dict | None = None,
        session: str | None = None,
        timeout: float = 30,
    ) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._message(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_for(self, method: str, session: str, timeout: float = 30) -> dict:
        for i, e in enumerate(self.events):
            if e.get("method") == method and e.get("sessionId") == session:
                return self.events.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            m = self._message(deadline)
            if m.get("method") == method and m.get("sessionId") == session:
                return m
            self.events.append(m)

    def close(self) -> None:
        with contextlib.suppress(OSError, EOFError, TimeoutError, RuntimeError):
            self.send("Browser.close", timeout=10)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        self._log.close()


class Tab:
    """One page target with the console, the log and the network being recorded."""

    def __init__(self, browser: Chromium, width: int = 1280, height: int = 1600):
        self.browser = browser
        self.target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send(
            "Target.attachToTarget", {"targetId": self.target, "flatten": True}
        )["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def call(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        return self.browser.send(method, params, session=self.session, timeout=timeout)

    def open(self, url: str) -> None:
        self.call("Page.navigate", {"url": url})
        self.browser.wait_for("Page.loadEventFired", self.session)

    def evaluate(self, expression: str):
        r = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        params: dict = {"format": "png"}
        if full_page:
            w, h = self.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
            )
            params.update(
                captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": w, "height": h, "scale": 1},
            )
        data = self.call("Page.captureScreenshot", params, timeout=60)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def pdf(self, path: Path) -> Path:
        data = self.call(
            "Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True}, timeout=60
        )["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> list[dict]:
        """Close the tab; the events it produced (console, log, network)."""
        self.browser.send("Target.closeTarget", {"targetId": self.target})
        mine = [e for e in self.browser.events if e.get("sessionId") == self.session]
        self.browser.events = [e for e in self.browser.events if e.get("sessionId") != self.session]
        return mine


@pytest.fixture(scope="session")
def browser(chromium, tmp_path_factory):
    b = Chromium(chromium, tmp_path_factory.mktemp("chromium-profile"))
    try:
        b.send("Browser.getVersion")
    except (EOFError, TimeoutError, OSError) as exc:
        b.close()
        skip_or_fail(f"chromium does not start headless here: {exc}")
    yield b
    b.close()


PROBE = """(() => {
  const q = (s) => [...document.querySelectorAll(s)];
  const style = (s, p) => { const e = document.querySelector(s); return e ? getComputedStyle(e)[p] : null; };
  return {
    lang: document.documentElement.lang,
    h1: q("h1").length,
    scripts: document.scripts.length,
    rows: q("table.scorecard tr[data-indicator]").map(tr => tr.dataset.indicator),
    grounds: q("table.scorecard tr[data-indicator]").map(tr => {
      const g = tr.querySelector(".grondslag");
      return {code: tr.dataset.indicator, text: g ? g.innerText.trim() : null,
              visible: g ? g.checkVisibility() : false,
              facts: [...tr.querySelectorAll("ul.bewijs a[href^='#']")].map(a => a.hash.slice(1)),
              sources: [...tr.querySelectorAll("ul.bewijs .bron")].map(b => b.innerText.trim())};
    }),
    headline: (document.querySelector("p.kernantwoord") || {}).innerText || null,
    images: q("img").map(i => ({src: i.currentSrc || i.src, alt: i.getAttribute("alt") || "",
                                loaded: i.complete && i.naturalWidth > 0})),
    svgs: q("svg").map(s => s.getAttribute("aria-label") || (s.querySelector("title") || {}).textContent || ""),
    links: q("a[href]").map(a => a.href),
    loaded: performance.getEntriesByType("resource").map(e => e.name),
    sheets: [...document.styleSheets].map(s => s.href),
    h1Colour: style("h1", "color"),
    navDisplay: style(".site-nav", "display"),
    ids: q("[id]").map(e => e.id),
  };
})()"""

# What the console and the network may not show: any error or warning, any failed load.
CONSOLE_BAD = {"error", "assert", "warning"}
LOG_BAD = {"error", "warning"}


def problems(events: list[dict]) -> list[str]:
    out = []
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in CONSOLE_BAD:
            out.append(f"console.{p['type']}: {[a.get('value') for a in p.get('args', [])]}")
        elif m == "Runtime.exceptionThrown":
            out.append(f"exception: {p['exceptionDetails'].get('text')}")
        elif m == "Log.entryAdded" and p["entry"].get("level") in LOG_BAD:
            out.append(
                f"log {p['entry']['level']}: {p['entry']['text']} {p['entry'].get('url', '')}"
            )
        elif m == "Network.loadingFailed":
            out.append(f"load failed: {p.get('errorText')}")
    return out


def requested(events: list[dict]) -> list[str]:
    return [
        e["params"]["request"]["url"]
        for e in events
        if e.get("method") == "Network.requestWillBeSent"
    ]


@pytest.fixture(scope="session")
def visits(site, key_pages, browser) -> dict[Path, dict]:
    """Every page of the site opened from its file:// URL in one browser: what the DOM holds
    after loading, the console and log, every request. Key pages get their screenshots."""
    out: dict[Path, dict] = {}
    keys = {p.resolve() for p in key_pages.values()}
    for path in html_files(site):
        path = path.resolve()
        tab = Tab(browser)
        tab.open(path.as_uri())
        info = tab.evaluate(PROBE)
        if path in keys:
            info["screenshot"] = str(tab.screenshot(SHOTS / f"{path.stem}.png"))
            info["screenshot_full"] = str(
                tab.screenshot(SHOTS / f"{path.stem}-volledig.png", full_page=True)
            )
        events = tab.close()
        info["problems"] = problems(events)
        info["requested"] = requested(events)
        out[path] = info
    return out


@pytest.mark.browser
def test_every_page_opens_cleanly_in_chromium(site, visits):
    """No console error or warning, no failed load, nothing requested from outside the site (not
    even over http(s)), no scripts; the stylesheet applied; every image decoded with its alt."""
    root = site.out.resolve().as_uri() + "/"
    assert len(visits) == len(html_files(site)) >= 3
    for path, v in visits.items():
        name = path.relative_to(site.out.resolve())
        assert not v["problems"], (name, v["problems"])
        assert v["requested"] and v["requested"][0] == path.as_uri(), name
        outside = [u for u in v["requested"] + v["loaded"] if not u.startswith(root)]
        assert not outside, f"{name} loads from outside the site: {outside}"
        assert v["scripts"] == 0, name
        assert v["lang"] == "nl" and v["h1"] == 1, name
        assert v["sheets"] and all(s.startswith(root) for s in v["sheets"]), name
        assert v["h1Colour"] == "rgb(35, 57, 93)", f"{name}: stylesheet not applied"
        assert v["navDisplay"] != "none", name  # on screen; hidden only in print
        for img in v["images"]:
            assert img["loaded"] and img["alt"].strip(), (name, img)
        assert all(label.strip() for label in v["svgs"]), name


@pytest.mark.browser
def test_key_pages_in_chromium(kg, key_pages, visits):
    """Emmen 2014 and Almere: all 30 indicator rows in framework order, the network diagram (and
    Almere's escalation ladder) as decoded images with a text alternative; screenshots kept."""
    from ggsr_kg.scorecard import indicators

    codes = [i.code for i in indicators(kg)]
    for slug, path in key_pages.items():
        v = visits[path.resolve()]
        assert v["rows"] == codes, f"{slug}: {len(v['rows'])} indicator rows in the DOM"
        diagrams = {Path(urlsplit(i["src"]).path).name: i for i in v["images"]}
        network = [i for n, i in diagrams.items() if n.endswith("-netwerk.svg")]
        assert len(network) == 1 and network[0]["alt"].startswith("Netwerkdiagram"), slug
        for shot in (v["screenshot"], v["screenshot_full"]):
            assert Path(shot).stat().st_size > 20_000, shot
        print(f"screenshot {slug}: {v['screenshot']} (whole page: {v['screenshot_full']})")
    almere = visits[key_pages["almere"].resolve()]
    ladder = [i for i in almere["images"] if "-escalatie-" in i["src"]]
    assert ladder and "als laatste beslist" in ladder[0]["alt"]


@pytest.mark.browser
def test_grondslag_and_facts_of_every_cell_in_chromium(kg, key_pages, visits):
    """As a reader sees Emmen 2014 in the browser: every scorecard row shows, visibly, the
    grondslag of the derived verdict — the scorecard's — and links to the facts behind it (each
    link a place on the page) with their sources by title and place; the doorzettingsmacht
    section opens with its headline answer."""
    from ggsr_kg.scorecard import scorecard
    from ggsr_kg.validation import validate

    v = visits[key_pages["emmen"].resolve()]
    net = next(
        n for n in kg.networks() if n["gemeenteNaam"].value == "Emmen" and n["jaar"].value == "2014"
    )
    scores = {s.indicator: s for s in scorecard(kg, validate(kg, focus=[net["netwerk"]]), [net])}
    assert [g["code"] for g in v["grounds"]] == list(scores)
    ids = set(v["ids"])
    for g in v["grounds"]:
        s = scores[g["code"]]
        assert g["visible"] and g["text"] == f"grondslag: {s.grondslag}", g
        assert len(g["facts"]) >= len(s.feiten) and set(g["facts"]) <= ids, g
        assert g["sources"] == [f"Bron: {b}" for f in s.feiten for b in f["bronnen"]], g
    shown = {g["text"] for g in v["grounds"]}
    assert {"grondslag: document", "grondslag: bevinding", "grondslag: geen"} <= shown
    assert v["headline"].startswith("Doorzettingsmacht: niemand / nobody")


@pytest.mark.browser
def test_links_in_chromium_resolve_inside_the_site(site, visits):
    """Every link as the browser resolves it: a file inside the site that exists (and the anchor
    on it), or an http(s) link to open data for the reader to follow — never loaded."""
    root = site.out.resolve()
    ids = {path: set(v["ids"]) for path, v in visits.items()}
    external: set[str] = set()
    checked = 0
    for path, v in visits.items():
        for href in v["links"]:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                external.add(parts.netloc)
                continue
            assert parts.scheme == "file", f"{path.name}: {href}"
            target = Path(unquote(parts.path))
            assert target.is_relative_to(root), f"{path.name}: {href} points outside the site"
            assert target.is_file(), f"{path.name}: {href} does not exist"
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in ids[target], f"{path.name}: no anchor for {href}"
            checked += 1
    assert checked > 1000
    assert {"identifier.overheid.nl", "www.wikidata.org"} <= external


@pytest.mark.browser
def test_print_view_in_chromium(key_pages, browser):
    """Emmen 2014 as printed: no navigation, folded parts open; the PDF is kept."""
    tab = Tab(browser)
    tab.open(key_pages["emmen"].resolve().as_uri())
    tab.call("Emulation.setEmulatedMedia", {"media": "print"})
    printed = tab.evaluate(
        """(() => ({
          nav: getComputedStyle(document.querySelector(".site-nav")).display,
          toc: getComputedStyle(document.querySelector(".toc")).display,
          textVersion: document.querySelector("details.tekstversie table").checkVisibility(),
          images: [...document.images].every(i => i.checkVisibility()),
        }))()"""
    )
    pdf = tab.pdf(SHOTS / f"{key_pages['emmen'].stem}.pdf")
    assert not problems(tab.close())
    assert printed == {"nav": "none", "toc": "none", "textVersion": True, "images": True}
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-"
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages >= 3, f"{pages} pages"
    print(f"print view: {pdf} ({pages} pages)")
