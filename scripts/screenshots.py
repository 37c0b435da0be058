"""Screenshots for the docs: a report page, and a command's output as a terminal shows it.

    python scripts/screenshots.py page  rapport/gemeente/emmen-2014.html out.png [--height 1400]
    python scripts/screenshots.py terminal out.png -- ggsr-kg doorzettingsmacht --gemeente Emmen

``terminal`` runs the command in a tmux window of 120 columns (a real terminal, so the command
sees a tty and wraps for that width), captures the screen with its colours, lets rich write it as
SVG and Chromium photograph that. Pages are photographed by headless Chromium from file://.
Both PNGs are reduced to 256 colours (Pillow) to stay small. Needs tmux and chromium (Debian).
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

WIDTH = 120  # terminal columns


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("chromium ontbreekt / is missing (apt-get install chromium)")


def photograph(url: str, out: Path, width: int, height: int) -> Path:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={out}",
                url,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return shrink(out)


def page_png(html: Path, out: Path, width: int, height: int, section: str | None = None) -> Path:
    """A page from file://; with ``section``, a copy beside it (so its links still resolve) that
    shows only that section of ``<main>``."""
    if section is None:
        return photograph(html.resolve().as_uri(), out, width, height)
    text = html.read_text(encoding="utf-8")
    hide = f"<style>main > *:not(#{section}) {{ display: none; }}</style></head>"
    copy = html.with_name(f".{html.stem}-{section}.html")
    copy.write_text(text.replace("</head>", hide, 1), encoding="utf-8")
    try:
        return photograph(copy.resolve().as_uri(), out, width, height)
    finally:
        copy.unlink()


def shrink(png: Path) -> Path:
    from PIL import Image  # matplotlib's dependency

    with Image.open(png) as img:
        small = img.convert("RGB").quantize(colors=256)
    small.save(png, optimize=True)
    return png


def terminal_text(command: list[str], rows: int = 90) -> str:
    """The screen of a tmux window in which ``command`` ran, with its colour codes."""
    name = f"shot-{uuid.uuid4().hex[:8]}"
    line = shlex.join(command)
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", name, "-x", str(WIDTH), "-y", str(rows)]
        + ["env", "PS1=$ ", f"PATH={Path(sys.executable).parent}:/usr/bin:/bin"]
        + ["bash", "--norc", "--noprofile"],
        check=True,
    )
    try:
        subprocess.run(["tmux", "send-keys", "-t", name, "clear", "Enter"], check=True)
        subprocess.run(
            ["tmux", "send-keys", "-t", name, f"{line}; tmux wait-for -S {name}", "Enter"],
            check=True,
        )
        subprocess.run(["tmux", "wait-for", name], check=True, timeout=300)
        shown = subprocess.run(
            ["tmux", "capture-pane", "-p", "-e", "-t", name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], check=False)
    lines = shown.replace(f"; tmux wait-for -S {name}", "").rstrip().splitlines()
    while lines and lines[-1].strip() in ("", "$"):
        lines.pop()
    return "\n".join(lines)


def terminal_png(command: list[str], out: Path) -> Path:
    from rich.console import Console
    from rich.text import Text

    text = terminal_text(command)
    console = Console(record=True, width=WIDTH, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(Text.from_ansi(text))
    with tempfile.TemporaryDirectory() as tmp:
        svg = Path(tmp) / "terminal.svg"
        svg.write_text(console.export_svg(title=shlex.join(command)), encoding="utf-8")
        lines = text.count("\n") + 1
        return photograph(svg.as_uri(), out, width=WIDTH * 12 + 60, height=lines * 25 + 110)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="what", required=True)
    page = sub.add_parser("page")
    page.add_argument("html", type=Path)
    page.add_argument("out", type=Path)
    page.add_argument("--height", type=int, default=1400)
    page.add_argument("--width", type=int, default=1280)
    page.add_argument("--section", metavar="ID", help="only this section of <main> (by its id)")
    term = sub.add_parser("terminal")
    term.add_argument("out", type=Path)
    term.add_argument("command", nargs=argparse.REMAINDER)
    args = p.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.what == "page":
        print(page_png(args.html, args.out.resolve(), args.width, args.height, args.section))
    else:
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        print(terminal_png(command, args.out.resolve()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
