"""What every ``retro-tui`` command is made of, and the parser the commands share.

A command is a :class:`Command`: its word, the words the main help says about
it, its own options and what it does. The main help's list of commands, its
usage line and each command's own parser are all made from the commands
themselves (see :mod:`retro_tui.cli`), so a command is added in one place: a
module with a ``COMMAND``, listed in ``retro_tui.cli.COMMANDS``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from retro_tui import __version__, paths

if TYPE_CHECKING:
    from retro_tui.cli.session import Session

PROG = "retro-tui"

Converted = TypeVar("Converted")


class CommandParser(argparse.ArgumentParser):
    """argparse, with a mistake said the way the rest of retro-tui says one.

    ``retro-tui history: --since: 2026-13-01 is not a date; ...`` under the
    usage line, and exit status 2, like argparse.
    """

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        # "argument --since: ..." names the option in argparse's own words; the option is enough.
        message = re.sub(r"^argument ([^:]+): ", r"\1: ", message)
        self.exit(2, f"{self.prog}: {message}\n")


def add_common_options(parser: argparse.ArgumentParser, *, default: Any = None) -> None:
    """The options every command takes: ``--version``, ``--history`` and ``--config``.

    A command's own parser adds them with ``default=argparse.SUPPRESS``, so that
    one given before the command word (``retro-tui --history h.toml check``) is
    not overwritten by the command's default.
    """
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--history",
        type=Path,
        metavar="FILE",
        default=default,
        help=f"history log to use (default: ${paths.HISTORY_ENV} or {paths.history_path()})",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        default=default,
        help=f"settings file (default: ${paths.CONFIG_ENV} or {paths.config_path()})",
    )


def converted(text: str, convert: Callable[[str], Converted], mistake: str) -> Converted:
    """An option's ``text`` read by ``convert``; a usage error saying ``mistake`` if it can't be."""
    try:
        return convert(text)
    except ValueError:
        raise argparse.ArgumentTypeError(mistake) from None


def add_plan_paths(parser: argparse.ArgumentParser) -> None:
    """``[PATH ...]``: more plan files or folders for the library to list."""
    parser.add_argument(
        "plans",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="extra plan files or folders to list in the library",
    )


@dataclass(frozen=True)
class Command:
    """One ``retro-tui`` command."""

    name: str
    """The command word: ``check``."""
    synopsis: str
    """How the main help shows it called: ``check``, ``run PLAN``."""
    summary: str
    """What the main help says it does, in lines of at most 60 characters."""
    example: str
    """One command line the main help shows under it."""
    description: str | Callable[[], str]
    """The first paragraph of its own ``--help`` (made when asked for, where it names a
    folder that the environment decides)."""
    arguments: Callable[[argparse.ArgumentParser], None]
    """Adds its own arguments and options to its parser."""
    execute: Callable[[argparse.Namespace, Session], int]
    """Does it; returns the exit status."""
    epilog: str | None = None
    """The examples at the end of its own ``--help``; ``None``: ``example:`` and
    :attr:`example`."""
    raw_help: bool = False
    """Whether its description is laid out by hand (line breaks kept)."""
    quiet_notices: bool = False
    """Whether notices about recovered workouts are left to the app to show."""

    def examples(self) -> str:
        return f"example: {self.example}" if self.epilog is None else self.epilog

    def described(self) -> str:
        return self.description if isinstance(self.description, str) else self.description()

    def help_entry(self) -> str:
        """Its lines in the main help's list of commands."""
        lines = self.summary.splitlines()
        entry = [f"  {self.synopsis:<12} {lines[0]}"]
        entry += [f"  {'':<12} {line}" for line in lines[1:]]
        entry.append(f"  {'':<12} example: {self.example}")
        return "\n".join(entry)
