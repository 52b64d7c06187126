"""What the package's command-line tools share: user errors become one
``PROG: error: MESSAGE`` line on stderr and exit status 1, not a traceback."""

import sys


class UserError(Exception):
    """A problem with the user's input, reported without a traceback."""


def run(prog, main, argv=None):
    """Calls ``main(argv)``; returns its exit status, or 1 after printing a
    user error (``UserError``, ``ValueError``, ``OSError``)."""
    try:
        return main(argv)
    except (UserError, ValueError, OSError) as e:
        print("%s: error: %s" % (prog, e), file=sys.stderr)
        return 1
