"""The ``retro-tui`` command line: the app on the plan library, or one command without it.

``retro-tui [PATH ...]`` opens the app on the plan library; a command word
(``run``, ``check``, ``new``, ``history``, ``program``, ``serve``, ...) runs
that command, each in a module of this package that holds its options and what
it does (a :class:`~retro_tui.cli.command.Command`). The commands are argparse
subcommands; the main help's usage line and list of commands are made from
them. Any problem a user can cause (a missing file, a bad plan) ends with a
clear message and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from typing import NoReturn

from retro_tui.cli import (
    check,
    devices,
    export,
    export_plan,
    history,
    import_workout,
    library,
    new,
    program,
    run,
    serve,
    simulate,
)
from retro_tui.cli.command import PROG, Command, CommandParser, add_common_options
from retro_tui.cli.session import start_session

# In the order the help lists them: the ones a newcomer needs first.
COMMANDS: dict[str, Command] = {
    module.COMMAND.name: module.COMMAND
    for module in (
        run,
        check,
        new,
        history,
        program,
        export,
        import_workout,
        export_plan,
        serve,
        devices,
        simulate,
    )
}
LIBRARY = library.COMMAND
"""What ``retro-tui`` does without a command word."""


def _main_usage() -> str:
    """Both ways to call retro-tui: the library with its options, or a command."""
    return (
        "%(prog)s [-h] [--version] [--history FILE] [--config FILE] [PATH ...]\n"
        f"       %(prog)s {{{','.join(COMMANDS)}}} [--help] ..."
    )


def _main_epilog() -> str:
    entries = [command.help_entry() for command in (LIBRARY, *COMMANDS.values())]
    return (
        "commands:\n"
        + "\n".join(entries)
        + "\n\nPlans are TOML files; see the README for the format.\n"
    )


def library_parser() -> argparse.ArgumentParser:
    """``retro-tui [PATH ...]``, whose help is the main help: every command listed."""
    parser = CommandParser(
        prog=PROG,
        usage=_main_usage(),
        description=LIBRARY.described(),
        epilog=_main_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_common_options(parser)
    LIBRARY.arguments(parser)
    return parser


def commands_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """``retro-tui COMMAND ...``: the common options, then one subcommand a command.

    Returns the parser and each command's own, by command word.
    """
    parser = CommandParser(prog=PROG, usage=_main_usage(), add_help=False)
    add_common_options(parser)
    subcommands = parser.add_subparsers(
        dest="command", prog=PROG, parser_class=CommandParser, required=True
    )
    own: dict[str, argparse.ArgumentParser] = {}
    for command in COMMANDS.values():
        formatter = (
            argparse.RawDescriptionHelpFormatter if command.raw_help else argparse.HelpFormatter
        )
        sub = subcommands.add_parser(
            command.name,
            help=command.summary.replace("\n", " "),
            description=command.described(),
            epilog=command.examples(),
            formatter_class=formatter,
        )
        add_common_options(sub, default=argparse.SUPPRESS)
        command.arguments(sub)
        sub.set_defaults(run=command)
        own[command.name] = sub
    return parser, own


class _NotParsed(Exception):
    """The first look at the arguments failed; the full parse will report why."""


class _QuietParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotParsed(message)


def command_word(argv: Sequence[str]) -> str | None:
    """The first argument that is neither an option nor an option's value."""
    # The common options decide which words are their values: the same ones the
    # commands take, from the same place.
    first_look = _QuietParser(add_help=False)
    add_common_options(first_look)
    try:
        _, rest = first_look.parse_known_args(list(argv))
    except _NotParsed:
        # The real parser says what is wrong, once, with the right usage line.
        return None
    return next((arg for arg in rest if not arg.startswith("-")), None)


def _refuse_a_mistyped_command(
    parser: argparse.ArgumentParser, options: argparse.Namespace
) -> None:
    """``retro-tui chek starter``: say so, rather than open the library on a folder "chek"."""
    if not options.plans:
        return
    word = str(options.plans[0])
    close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.7)
    if close and not options.plans[0].exists():
        parser.error(
            f"{word} is not a command (did you mean {close[0]}?) and not a plan file or folder"
        )


def parse(argv: Sequence[str]) -> tuple[Command, argparse.Namespace]:
    """The command ``argv`` asks for (the library without a command word) and its options."""
    word = command_word(argv)
    if word is not None and word in COMMANDS:
        # The command's own parser reads every other word, wherever it was: options
        # written before the command word (``retro-tui --help history``) are its own.
        rest = list(argv)
        rest.remove(word)
        parser, own = commands_parser()
        options, unknown = parser.parse_known_args([word, *rest])
        if unknown:  # said by the command, under its own usage line
            own[word].error(f"unrecognized arguments: {' '.join(unknown)}")
        return options.run, options
    parser = library_parser()
    options = parser.parse_args(argv)
    _refuse_a_mistyped_command(parser, options)
    return LIBRARY, options


def _dispatch(argv: list[str]) -> int:
    command, options = parse(argv)
    session = start_session(options)
    if not command.quiet_notices:
        for notice in session.notices:
            print(f"{PROG}: {notice}", file=sys.stderr)
    return command.execute(options, session)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``retro-tui`` console script."""
    try:
        return _dispatch(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: not an error worth a message.
        return 0
    except Exception as error:  # the last line of defence: no tracebacks for users
        print(f"{PROG}: unexpected error: {type(error).__name__}: {error}", file=sys.stderr)
        print(f"{PROG}: please report this with the command you ran.", file=sys.stderr)
        return 2


__all__ = ["COMMANDS", "Command", "main", "parse"]
