"""`xapp scan`: batch prediction over a whole codebase, one concern per module.

    discovery  which files, with which flags (directory walk with .gitignore, or compile_commands.json)
    cache      features on disk, keyed by content, flags, included headers and EXTRACTOR_VERSION
    runner     parallel extraction in isolated worker processes; a crash costs only its own file
    report     ScanReport: per-file statuses, ranked regions, counts and the exit code
    command    the `scan` subcommand: add_parser(subparsers) and run(args), and scan(ScanOptions)
"""
from .cache import DEFAULT_CACHE_DIR, FeatureCache
from .command import ScanOptions, add_parser, main, render, run, scan
from .discovery import CompileDatabase, GitIgnore, ScanTarget, discover
from .report import EXIT_ERROR, EXIT_FAIL_ON, EXIT_OK, FileStatus, ScanReport
from .runner import STATUSES, FileOutcome, extract_all

__all__ = [
    "DEFAULT_CACHE_DIR", "EXIT_ERROR", "EXIT_FAIL_ON", "EXIT_OK", "STATUSES", "CompileDatabase", "FeatureCache",
    "FileOutcome", "FileStatus", "GitIgnore", "ScanOptions", "ScanReport", "ScanTarget", "add_parser",
    "discover", "extract_all", "main", "render", "run", "scan",
]
