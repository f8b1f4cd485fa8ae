"""Exit codes and the one mapping from an exception to an exit code and a message, for every command.

    0 done; 1 a file failed (features, predict), no row labelled (label) or a region reached
    --fail-on (scan); 2 usage error, unusable input (a missing path, a file that is not a source,
    no source at all, an unknown hint) or internal error; 130 interrupted (Ctrl-C).
"""
from __future__ import annotations

import argparse
import sys
import traceback

from ..reports.escape import terminal
from ..errors import EXIT_ERROR, EXIT_FAILED, EXIT_OK, XappError

__all__ = ["EXIT_OK", "EXIT_FAILED", "EXIT_ERROR", "EXIT_INTERRUPTED", "run_command"]

EXIT_INTERRUPTED = 130     # the shell's code for SIGINT


def run_command(args: argparse.Namespace) -> int:
    """Run the parsed command; an error becomes its exit code and one line on stderr.

    An internal error is 2 with its traceback, never the 1 that a failed file or --fail-on means."""
    try:
        return args.run(args)
    except XappError as exc:
        print(f"xapp: error: {terminal(str(exc))}", file=sys.stderr)   # names in it: shown, never obeyed
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception:
        print("xapp: internal error (please report it):", file=sys.stderr)
        traceback.print_exc()
        return EXIT_ERROR
