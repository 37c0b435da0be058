"""The ``ggsr-kg`` command: a thin layer over the library.

Each subcommand lives in ``ggsr_kg/commands/<name>.py`` with ``add_parser(subparsers)`` and
``run(args) -> int``; they are discovered, so adding a command is adding a file.

Exit codes: 0 ran fine · 1 ran fine but findings (``--strict``, a failing check) · 2 bad input
(malformed file, unknown name, bad parameter) · 3 endpoint unreachable or failing (nothing changed).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__, commands
from .errors import EXIT_INPUT, GgsrError, printable


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ggsr-kg",
        description="Kennisgraaf van GGSR-netwerken: valideren, bevragen, rapporteren. "
        "Knowledge graph of Dutch youth-care networks.",
        epilog="Exitcodes: 0 ok · 1 bevindingen (--strict) · 2 invoerfout · 3 endpointfout",
    )
    parser.add_argument("--version", action="version", version=f"ggsr-kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDO")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_INPUT
    try:
        return args.run(args)
    except GgsrError as exc:
        # every message may carry a file name or a server's words: control characters escaped
        print(f"fout / error: {printable(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away; that is not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("afgebroken / interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
