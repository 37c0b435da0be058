"""Errors a user can cause, with the exit code the command returns for each (see README, "Exitcodes")."""

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
