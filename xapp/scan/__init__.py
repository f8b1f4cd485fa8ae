"""`xapp scan`: batch prediction over a whole codebase, one concern per module.

    discovery  which files, with which flags (directory walk with .gitignore, or compile_commands.json)
    runner     parallel extraction in isolated worker processes; a crash costs only its own file. The
               feature cache it looks files up in is the extraction service's (xapp.extraction.cache),
               re-exported here as part of the scan's API
    codebase   sizes and call counts across files: a call graph of the codebase by name, and a second
               extraction of the files whose sizes other files fix
    report     ScanReport: per-file statuses, ranked regions, counts and the exit code
    pipeline   scan(ScanOptions): discover, extract, predict, rank; render(report, format)

The `xapp scan` command itself (flags, messages on stderr) is xapp.cli.scan.
"""
from ..extraction import DEFAULT_CACHE_DIR, FeatureCache
from .pipeline import ScanOptions, render, scan
from .discovery import CompileDatabase, GitIgnore, ScanTarget, discover
from .report import EXIT_ERROR, EXIT_FAIL_ON, EXIT_OK, FileStatus, ScanReport
from .runner import STATUSES, FileOutcome, extract_all

__all__ = [
    "DEFAULT_CACHE_DIR", "EXIT_ERROR", "EXIT_FAIL_ON", "EXIT_OK", "STATUSES", "CompileDatabase", "FeatureCache",
    "FileOutcome", "FileStatus", "GitIgnore", "ScanOptions", "ScanReport", "ScanTarget",
    "discover", "extract_all", "render", "scan",
]
