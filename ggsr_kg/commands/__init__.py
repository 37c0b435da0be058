"""Subcommands of ``ggsr-kg``; each module defines ``add_parser(subparsers)`` and ``run(args)``."""
