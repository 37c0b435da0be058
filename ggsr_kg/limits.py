"""Limits of the served endpoint, apart from ggsr_kg.server so that building the command line
(which every command does) does not import the HTTP server."""

DEFAULT_TIMEOUT = 30  # seconds a query may run (Oxigraph's --timeout-s takes whole seconds)
DEFAULT_MAX_ROWS = 100_000  # rows (or triples) an answer may have; the shipped graph has ~13 000
