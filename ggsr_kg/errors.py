"""Errors a user can cause, with the exit code the command returns for each (see README, "Exitcodes")."""

import re

EXIT_OK = 0
EXIT_FINDINGS = 1  # ran fine, but --strict found verbeterpunten / a check found violations
EXIT_INPUT = 2  # bad input: malformed file, unknown name, bad parameter
EXIT_ENDPOINT = 3  # a SPARQL endpoint was unreachable or answered wrongly; nothing was changed


class GgsrError(Exception):
    """An error with a message meant for the user (Dutch first, English after) and an exit code."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class InputError(GgsrError):
    """Bad input: a file that does not parse, an unknown name, a malformed parameter."""


class EndpointError(GgsrError):
    """A remote SPARQL endpoint failed; the message says what was (not) changed."""

    exit_code = EXIT_ENDPOINT


# C0 and C1 control characters (ESC starts terminal escape codes, 0x9b is a one-byte CSI) and the
# Unicode line and paragraph separators: each would let a file name or a server's answer rewrite
# the terminal or split a one-line message.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` with every control character written as its escape (``\\n``, ``\\x1b``), so
    that a message built from user- or server-supplied text stays one harmless line."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
