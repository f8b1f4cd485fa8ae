"""Project settings: `[tool.xapp]` of a `pyproject.toml`, or an `xapp.toml`, under the long options' names.

Where: from the scanned path upwards (`xapp scan`: its first PATH, else -p BUILD_DIR, else `.`), or from
the current directory upwards (`predict`, `features`). In each directory `xapp.toml` is read first, then a
`pyproject.toml` that has a `[tool.xapp]` table; the first one found is used, and stderr names it.

Keys: the command's long options without the dashes (`target`, `threshold`, `exclude`, `format`, `headers`,
`std`, `fail-on`, ...; `_` may stand for `-`), and `define` (-D), `include` (-I), `jobs` (-j), `build-dir`
(-p), `output` (-o) for the options that have only a short name. Top-level keys apply to every command
that has the option; a table named after a command (`[tool.xapp.scan]`) applies to that command alone,
over the top level. A key that no command knows is an error naming the file.

Command line over file: a value given on the command line replaces the file's. List options (`define`,
`include`, `exclude`, `hint`) add the command line's after the file's, so `-D N=64` overrides the file's
`N`; `threshold` given on the command line replaces the file's list. A flag is `true` or `false`.
Relative paths in the file are relative to the file's directory.

The values are checked by the same argparse types and choices as the command line's.
"""
from __future__ import annotations

import argparse
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import InputError, XappError

__all__ = ["CONFIG_FILES", "ConfigFile", "find_config", "load_config", "apply_config", "option_keys"]

CONFIG_FILES = ("xapp.toml", "pyproject.toml")
CONFIG_COMMANDS = ("predict", "features", "scan")
SHORT_KEYS = {"-D": "define", "-I": "include", "-j": "jobs", "-p": "build-dir", "-o": "output", "-q": "quiet"}
PATH_KEYS = frozenset({"include", "build-dir", "model", "target-file", "cache-dir", "resource-dir", "output",
                       "sarif-root"})
REPLACED_LISTS = frozenset({"threshold"})     # a list the command line replaces rather than extends


@dataclass(frozen=True)
class ConfigFile:
    path: Path
    settings: dict          # the [tool.xapp] table (pyproject.toml) or the whole file (xapp.toml)

    @property
    def where(self) -> str:
        return f"{self.path} [tool.xapp]" if self.path.name == "pyproject.toml" else str(self.path)


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read settings: {exc}") from None


def load_config(path: Path) -> ConfigFile | None:
    """The settings of one file, or None for a pyproject.toml without [tool.xapp]."""
    doc = _read(path)
    if path.name != "pyproject.toml":
        return ConfigFile(path, doc)
    table = doc.get("tool", {}).get("xapp")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise InputError(f"{path}: [tool.xapp] must be a table")
    return ConfigFile(path, table)


def find_config(start: Path) -> ConfigFile | None:
    """The nearest settings file from `start` (a directory, or a file's folder) upwards."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for directory in (folder, *folder.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file():
                found = load_config(candidate)
                if found is not None:
                    return found
    return None


# ---- keys and flags ----------------------------------------------------------------------------
def _key(action: argparse.Action) -> str | None:
    longs = [s for s in action.option_strings if s.startswith("--")]
    if longs:
        return longs[0][2:]
    return next((SHORT_KEYS[s] for s in action.option_strings if s in SHORT_KEYS), None)


def option_keys(command_parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """{key: action} for the options a settings file may give this command."""
    out = {}
    for action in command_parser._actions:        # argparse keeps no public list of a parser's actions
        key = _key(action) if action.option_strings else None
        if key and key != "help":
            out[key] = action
    return out


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _tables(config: ConfigFile, commands: dict[str, dict[str, argparse.Action]]) -> dict[str, dict]:
    """{"": the top-level keys, command: its own table}, with `_` read as `-`; every key and value is
    checked, whichever command runs, so a mistake shows at once."""
    tables: dict[str, dict] = {"": {}}
    for key, value in config.settings.items():
        if key in CONFIG_COMMANDS:
            if not isinstance(value, dict):
                raise InputError(f"{config.where}: {key} must be a table of {key}'s options")
            tables[key] = {k.replace("_", "-"): v for k, v in value.items()}
        else:
            tables[""][key.replace("_", "-")] = value
    # A top-level key is checked by the first command that has it (predict's list `threshold` over scan's).
    shared = {k: a for c in reversed(CONFIG_COMMANDS) for k, a in commands[c].items()}
    for name, table in tables.items():
        actions = commands[name] if name else shared
        for key, value in table.items():
            if key not in actions:
                where = f"[{name}] " if name else ""
                raise InputError(f"{config.where}: unknown setting {where}{key!r}; the settings are the long "
                                 f"options of {', '.join(CONFIG_COMMANDS)} (e.g. target, threshold, define, "
                                 "include, exclude, format)")
            _words(config, key, actions[key], value)
    return tables


def _checked(config: ConfigFile, key: str, action: argparse.Action, value) -> str:
    """One value as a command-line word, checked by the option's own type and choices."""
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise InputError(f"{config.where}: {key} = {value!r}: expected a single value")
    text = str(value)
    if key in PATH_KEYS and not Path(text).expanduser().is_absolute():
        text = str(config.path.parent / text)
    try:
        converted = action.type(text) if action.type else text
    except (argparse.ArgumentTypeError, ValueError, TypeError) as exc:
        raise InputError(f"{config.where}: {key} = {value!r}: {exc}") from None
    if action.choices is not None and converted not in action.choices:
        raise InputError(f"{config.where}: {key} = {value!r}: choose one of {', '.join(map(str, action.choices))}")
    check = _VALUE_CHECKS.get(key)
    try:
        if check:
            check(text)
    except XappError as exc:
        raise InputError(f"{config.where}: {key} = {value!r}: {exc}") from None
    return text


def _target(name: str) -> None:
    from ..targets import get_target
    get_target(name)


# Values whose check is not an argparse type (they are checked when the command runs, too late to name
# the settings file).
_VALUE_CHECKS = {"target": _target}


def _words(config: ConfigFile, key: str, action: argparse.Action, value) -> list[str]:
    flag = action.option_strings[0]
    if action.nargs == 0:                      # store_true / store_false / count
        if not isinstance(value, bool):
            raise InputError(f"{config.where}: {key} = {value!r}: expected true or false")
        return [flag] if value else []
    if isinstance(action, argparse._AppendAction):
        values = value if isinstance(value, list) else [value]
        return [w for v in values for w in (flag, _checked(config, key, action, v))]
    return [flag, _checked(config, key, action, value)]


def config_words(config: ConfigFile, parser: argparse.ArgumentParser, command: str,
                 given: argparse.Namespace) -> list[str]:
    """The file's settings as command-line words for `command`, to go before the command line's own."""
    commands = {name: option_keys(p) for name, p in _subparsers(parser).items() if name in CONFIG_COMMANDS}
    actions = commands[command]
    tables = _tables(config, commands)
    words = []
    for key, value in {**tables[""], **tables.get(command, {})}.items():
        action = actions.get(key)
        if action is None:                     # another command's option: not this one's business
            continue
        if key in REPLACED_LISTS and getattr(given, action.dest, None):
            continue
        words += _words(config, key, action, value)
    return words


def _start(args: argparse.Namespace) -> Path:
    if args.command == "scan":
        from .scan import scanned_paths
        paths = scanned_paths(args)
        return Path(paths[0] if paths else args.build_dir)
    return Path.cwd()


def apply_config(parser: argparse.ArgumentParser, argv: Sequence[str], args: argparse.Namespace) -> argparse.Namespace:
    """`args` with the nearest settings file's values under the command line's; the same `args` when the
    command takes no settings or no file is found."""
    if args.command not in CONFIG_COMMANDS:
        return args
    config = find_config(_start(args))
    if config is None:
        return args
    words = config_words(config, parser, args.command, args)
    print(f"xapp: settings from {config.where}", file=sys.stderr)
    argv = list(argv)
    at = argv.index(args.command)
    return parser.parse_args([*argv[:at + 1], *words, *argv[at + 1:]])
