"""The ``retro-tui`` command line: parse arguments, run a subcommand or start the app.

``retro-tui`` with no command opens the app on the plan library; a command
word (``check``, ...) runs that command without a terminal UI. Any problem a
user can cause (a missing file, a bad plan) ends with a clear message and a
non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import re
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from retro_tui import __version__, paths
from retro_tui.config import (
    VALIDATORS,
    Config,
    ConfigResult,
    load_config,
    resolve_setting_path,
)
from retro_tui.history.journal import recover_journals
from retro_tui.plan.durations import format_clock
from retro_tui.plan.errors import PlanError, PlanIssue
from retro_tui.plan.folders import is_program_file, resolve_plan
from retro_tui.plan.lint import lint_plan
from retro_tui.plan.loader import load_plan
from retro_tui.plan.model import Plan
from retro_tui.plan.program import load_program
from retro_tui.workout.engine import Clock

if TYPE_CHECKING:
    from retro_tui.tui.app import RetroApp

PROG = "retro-tui"

EPILOG = """\
commands:
  (none)       open the plan library and run a workout
               example: retro-tui ~/my-plans
  run PLAN     start a plan (a file or a plan's name) straight away
               example: retro-tui run starter
  check        validate plan files or bundled plans by name and warn about
               unsafe steps (--strict: warnings fail the check too)
               example: retro-tui check starter plans/*.toml
  new NAME     write a commented plan to start from into your plans folder
               example: retro-tui new "Hill Tuesday"
  history      recent sessions as a table; --csv / --json export them all
               example: retro-tui history --since 2026-01-01 --csv
  serve        open the app in a web browser (a tablet facing the belt), one
               workout per tab; --host opens it to your network
               example: retro-tui serve --port 8000

Plans are TOML files; see the README for the format.
"""


def make_app(
    extra_plans: Sequence[Path] = (),
    *,
    history: Path | None = None,
    config: Path | None = None,
    start_plan: Plan | None = None,
    notices: Sequence[str] = (),
    clock: Clock | None = None,
    wall_clock: Callable[[], datetime] | None = None,
    loaded: ConfigResult | None = None,
) -> RetroApp:
    """Build the Textual app. Shared by the command line, tests and benchmarks.

    ``loaded`` is the settings already read from ``config`` (the command line
    reads them first to find the history log); without it they are read here.
    """
    from retro_tui.tui.app import AppSettings, RetroApp  # Textual loads only when needed.

    config_file = config or paths.config_path()
    if loaded is None:
        loaded = load_config(config_file)
    settings = AppSettings(
        extra_plans=[*configured_plans(loaded.config, config_file), *extra_plans],
        history_path=history or configured_history(loaded.config, config_file),
        config=loaded.config,
        config_path=config_file,
        config_problems=[str(problem) for problem in loaded.problems],
        notices=list(notices),
        start_plan=start_plan,
    )
    if clock is not None:
        settings.clock = clock
    if wall_clock is not None:
        settings.wall_clock = wall_clock
    return RetroApp(settings)


def configured_history(config: Config, config_file: Path) -> Path:
    """The history log: ``$RETRO_TUI_HISTORY``, else ``[paths] history``, else the default."""
    configured = config.paths.history
    return paths.history_path(
        resolve_setting_path(configured, config_file) if configured is not None else None
    )


def configured_plans(config: Config, config_file: Path) -> list[Path]:
    """The plan folders named in the settings (``[paths] plans``)."""
    return [resolve_setting_path(folder, config_file) for folder in config.paths.plans]


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


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    common.add_argument(
        "--history",
        type=Path,
        metavar="FILE",
        help=f"history log to use (default: ${paths.HISTORY_ENV} or {paths.history_path()})",
    )
    common.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"settings file (default: ${paths.CONFIG_ENV} or {paths.config_path()})",
    )
    return common


def _main_usage() -> str:
    """Both ways to call retro-tui: the library with its options, or a command."""
    commands = ",".join(COMMANDS)
    return (
        "%(prog)s [-h] [--version] [--history FILE] [--config FILE] [PATH ...]\n"
        f"       %(prog)s {{{commands}}} [--help] ..."
    )


def _main_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog=PROG,
        usage=_main_usage(),
        description="Backward (retro) walking and running intervals on a treadmill.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_common_options()],
    )
    parser.add_argument(
        "plans",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="extra plan files or folders to list in the library",
    )
    return parser


def _check_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog=f"{PROG} check",
        description=(
            "Validate plans and check them against the safety rules. Prints one summary line "
            "per valid plan followed by its safety warnings as "
            "FILE:LINE: key.path: warning: message, and every problem of an invalid plan as "
            "FILE:LINE: key.path: message. Exit status 0 when all plans are valid (warnings "
            "alone don't fail the check unless --strict is given), 1 otherwise."
        ),
        epilog="example: retro-tui check starter plans/*.toml",
        parents=[_common_options()],
    )
    parser.add_argument(
        "plans", nargs="+", metavar="PLAN", help="a plan file, or the name of a bundled plan"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="count safety warnings as errors: exit status 1 if any plan has warnings",
    )
    return parser


def _run_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog=f"{PROG} run",
        description="Start a plan straight away, without the plan library.",
        epilog="example: retro-tui run starter",
        parents=[_common_options()],
    )
    parser.add_argument("plan", metavar="PLAN", help="a plan file, or the name of a plan")
    return parser


def _history_parser() -> argparse.ArgumentParser:
    from retro_tui.history_command import add_arguments

    parser = CommandParser(
        prog=f"{PROG} history",
        description=(
            "Show recent sessions from the history log, or export every session and step.\n"
            "The table lists the most recent sessions newest first; --csv and --json export\n"
            "every session oldest first, the order the log is written in. --order newest or\n"
            "--order oldest sets the order of either. Filters apply to both.\n"
            "Exit status 1 if the log is damaged (the readable sessions are still shown)."
        ),
        epilog=(
            "examples: retro-tui history --limit 10 --plan starter\n"
            "          retro-tui history --since 2026-01-31 --order oldest\n"
            "          retro-tui history --csv > sessions.csv"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_common_options()],
    )
    add_arguments(parser)
    return parser


def _new_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog=f"{PROG} new",
        description=(
            "Write a new plan into your plans folder "
            f"(${paths.PLANS_ENV} or {paths.user_plans_dir()}): a complete beginner plan whose "
            "comments explain every key, to change into your own. The file is named after the "
            'plan ("Hill Tuesday" -> hill-tuesday.toml) and an existing file is never '
            "replaced. Exit status 0 when the file was written, 1 otherwise."
        ),
        epilog='example: retro-tui new "Hill Tuesday"',
        parents=[_common_options()],
    )
    parser.add_argument(
        "name",
        nargs="+",
        metavar="NAME",
        help="the plan's name as the library shows it (unquoted words are joined with spaces)",
    )
    return parser


def _port_number(text: str) -> int:
    """``--port``: checked like ``[serve] port``, so both say the same."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    try:
        port: int = VALIDATORS["serve"]["port"](number)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{error}, not {number}") from None
    return port


def _tab_count(text: str) -> int:
    """``--max-tabs``: a whole number from 1 to 64."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= 64:
        raise argparse.ArgumentTypeError(f"{text} is not a whole number from 1 to 64")
    return number


def _idle_minutes(text: str) -> float:
    """``--idle-minutes``: a number of minutes above zero, at most a week."""
    try:
        minutes = float(text)
    except ValueError:
        minutes = 0.0
    if not 0 < minutes <= 7 * 24 * 60:
        raise argparse.ArgumentTypeError(f"{text} is not a number of minutes above 0")
    return minutes


def _serve_parser() -> argparse.ArgumentParser:
    parser = CommandParser(
        prog=f"{PROG} serve",
        description=(
            "Serve the app to a web browser, for a tablet or screen facing the treadmill.\n"
            "Each browser tab runs its own app; all of them save to the same history.\n"
            "Closing a tab during a workout saves the workout as ended early.\n"
            "Only this computer can open it unless --host says otherwise; then the address\n"
            "to open carries a token, printed when the server starts.\n"
            "Exit status 1 if the server can't start."
        ),
        epilog=(
            "examples: retro-tui serve                  then open http://localhost:8000\n"
            "          retro-tui serve --host 0.0.0.0   open it from a tablet on your network"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_common_options()],
    )
    parser.add_argument(
        "--port",
        type=_port_number,
        metavar="N",
        help="the port to listen on (default: [serve] port in config.toml, else 8000)",
    )
    parser.add_argument(
        "--host",
        default=None,
        metavar="ADDR",
        help=(
            "the address to listen on (default: localhost, this computer only); 0.0.0.0 opens "
            "it to every network this computer is on, behind a token in the address"
        ),
    )
    parser.add_argument(
        "--max-tabs",
        type=_tab_count,
        default=None,
        metavar="N",
        help="how many browser tabs may run an app at once (default 8; each is a process)",
    )
    parser.add_argument(
        "--idle-minutes",
        type=_idle_minutes,
        default=None,
        metavar="N",
        help="end (and save) a tab's app after N minutes with no key pressed (default 420, "
        "7 hours: longer than any plan)",
    )
    parser.add_argument(
        "--token",
        default=None,
        metavar="TEXT",
        help=(
            "the token a browser must give (in the address it opens) when --host opens the "
            "server to a network (default: a new random one, printed at start)"
        ),
    )
    parser.add_argument(
        "plans",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="extra plan files or folders to list in the library",
    )
    return parser


# In the order the help lists them: the ones a newcomer needs first.
COMMANDS = {
    "run": _run_parser,
    "check": _check_parser,
    "new": _new_parser,
    "history": _history_parser,
    "serve": _serve_parser,
}


def plan_search_path(configured: Sequence[Path] = ()) -> list[Path]:
    """Where a plan named on the command line is looked for: bundled, the user's, the settings'."""
    return [paths.bundled_plans_dir(), paths.user_plans_dir(), *configured]


def summary_line(
    label: str, plan_name: str, total_s: float, backward_s: float, intervals: int
) -> str:
    plural = "" if intervals == 1 else "s"
    return (
        f"ok  {label}: {plan_name}: {format_clock(total_s)} total, "
        f"{format_clock(backward_s)} backward in {intervals} interval{plural}"
    )


def run_check(
    names: Sequence[str], *, strict: bool = False, search: Sequence[Path] | None = None
) -> int:
    """``retro-tui check``: 0 when every plan is valid, 1 otherwise.

    Safety warnings are printed under a valid plan's summary line; they fail
    the check only when ``strict``.
    """
    search = plan_search_path() if search is None else list(search)
    failed = 0
    warned = 0
    for name in names:
        try:
            path = resolve_plan(name, search)
            if is_program_file(path):
                warnings = check_program(name, path, search)
            else:
                warnings = check_plan(name, path)
        except PlanError as error:
            failed += 1
            for issue in error.issues:
                print(issue)
            continue
        if warnings:
            warned += 1
        for warning in warnings:
            print(warning)
    checked = len(names)
    noun = "plan" if checked == 1 else "plans"
    if failed:
        line = f"{failed} of {checked} {noun} {_has(failed)} errors"
        if warned:
            line += f", {warned} {_has(warned)} safety warnings"
        print(line)
    elif warned:
        print(f"{warned} of {checked} {noun} {_has(warned)} safety warnings")
    return 1 if failed or (strict and warned) else 0


def check_plan(name: str, path: Path) -> list[PlanIssue]:
    """Load a plan, print its summary line, return its safety warnings."""
    plan = load_plan(path)
    print(summary_line(name, plan.name, plan.total_s, plan.backward_s, plan.backward_intervals))
    return lint_plan(plan)


def check_program(name: str, path: Path, search: Sequence[Path]) -> list[PlanIssue]:
    """Load a program (every session's plan checked), print its summary, return its warnings."""
    program = load_program(path, [*search, path.parent])
    sessions = program.sessions
    total = sum(session.plan.total_s for session in sessions)
    backward = sum(session.plan.backward_s for session in sessions)
    print(
        f"ok  {name}: {program.name}: program of {len(program.weeks)} weeks, "
        f"{len(sessions)} sessions, {format_clock(total)} in all, "
        f"{format_clock(backward)} backward"
    )
    warnings = []
    for session in sessions:
        for issue in lint_plan(session.plan):
            warnings.append(replace(issue, message=f"{session.label}: {issue.message}"))
    return warnings


def _has(count: int) -> str:
    return "has" if count == 1 else "have"


def run_new(name: str, units: str = "mph") -> int:
    """``retro-tui new``: write a plan skeleton (speeds in ``units``) into the user plans
    folder; 1 if not written."""
    from retro_tui.plan.skeleton import PlanNameError, plan_file_name, write_skeleton

    folder = paths.user_plans_dir()
    try:
        path = write_skeleton(name, folder, units)
    except PlanNameError as error:
        print(f"{PROG} new: {error}", file=sys.stderr)
        return 1
    except FileExistsError:
        existing = folder / plan_file_name(name)
        print(
            f"{PROG} new: {existing} already exists and was left as it is; "
            "choose another name, or edit that file",
            file=sys.stderr,
        )
        return 1
    except OSError as error:
        reason = error.strerror or error
        print(f"{PROG} new: could not write a plan into {folder}: {reason}", file=sys.stderr)
        return 1
    print(f"Wrote {path}")
    print(f"edit it, then `{PROG} check {_check_argument(path)}`")
    return 0


def _check_argument(path: Path) -> str:
    """What to pass to ``check`` for ``path``: its stem, unless that finds another plan first."""
    try:
        found = resolve_plan(path.stem, plan_search_path())
        if found.samefile(path):
            return path.stem
    except (PlanError, OSError):
        pass
    # A bundled plan with the same stem wins a lookup by name: name the file itself.
    return shlex.quote(str(path))


def _steps(count: int) -> str:
    return f"{count} step" if count == 1 else f"{count} steps"


def recover(history: Path) -> list[str]:
    """Put sessions left in journals by crashed runs into the log; say what happened."""
    try:
        recoveries = recover_journals(history)
    except OSError as error:
        return [f"Could not check for unfinished workouts beside {history}: {error}"]
    messages = []
    for recovery in recoveries:
        session = recovery.session
        if recovery.problem:
            messages.append(
                f"An unfinished workout in {recovery.journal} was kept: {recovery.problem}"
            )
        elif session is not None and session.steps:
            messages.append(
                f"Recovered an unfinished workout ({session.plan}, started "
                f"{session.started:%Y-%m-%d %H:%M}, {_steps(len(session.steps))}) into {history}"
            )
    return messages


class _NotParsed(Exception):
    """The first look at the arguments failed; the full parse will report why."""


class _QuietParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotParsed(message)


def _command_word(argv: list[str]) -> str | None:
    """The first argument that is not an option or an option's value."""
    pre = _QuietParser(add_help=False)
    pre.add_argument("--history")
    pre.add_argument("--config")
    try:
        _, rest = pre.parse_known_args(argv)
    except _NotParsed:
        # The real parser says what is wrong, once, with the right usage line.
        return None
    return next((arg for arg in rest if not arg.startswith("-")), None)


def _refuse_a_mistyped_command(parser: argparse.ArgumentParser, plans: Sequence[Path]) -> None:
    """``retro-tui chek starter``: say so, rather than open the library on a folder "chek"."""
    if not plans:
        return
    word = str(plans[0])
    close = difflib.get_close_matches(word, COMMANDS, n=1, cutoff=0.7)
    if close and not plans[0].exists():
        parser.error(
            f"{word} is not a command (did you mean {close[0]}?) and not a plan file or folder"
        )


def _dispatch(argv: list[str]) -> int:
    command = _command_word(argv)
    if command in COMMANDS:
        rest = list(argv)
        rest.remove(command)
        options = COMMANDS[command]().parse_args(rest)
    else:
        command = None
        parser = _main_parser()
        options = parser.parse_args(argv)
        _refuse_a_mistyped_command(parser, options.plans)
    config_file = options.config or paths.config_path()
    loaded = load_config(config_file)
    search = plan_search_path(configured_plans(loaded.config, config_file))
    history = options.history or configured_history(loaded.config, config_file)
    notices = recover(history)
    if command is not None:
        for notice in notices:
            print(f"{PROG}: {notice}", file=sys.stderr)
    if command == "check":
        return run_check(options.plans, strict=options.strict, search=search)
    if command == "new":
        return run_new(" ".join(options.name), loaded.config.display.units)
    if command == "history":
        from retro_tui.history_command import run_history

        return run_history(options, history)
    if command == "serve":
        return _serve(options, loaded)
    start_plan = None
    extra: list[Path] = []
    if command == "run":
        try:
            path = resolve_plan(options.plan, search)
            if is_program_file(path):
                # Which of its sessions is next depends on the history: the library knows.
                print(
                    f"{PROG} run: {options.plan} is a program of several weeks, not one plan; "
                    f"open the library ({PROG}), highlight it and press Enter for its next "
                    "session",
                    file=sys.stderr,
                )
                return 1
            start_plan = load_plan(path)
        except PlanError as error:
            for issue in error.issues:
                print(issue, file=sys.stderr)
            return 1
    else:
        extra = options.plans
    app = make_app(
        extra,
        history=history,
        config=config_file,
        start_plan=start_plan,
        notices=notices,
        loaded=loaded,
    )
    app.run()
    return app.return_code or 0


def _serve(options: argparse.Namespace, loaded: ConfigResult) -> int:
    """``retro-tui serve``: the port from --port, else the settings."""
    from retro_tui.serve import DEFAULT_HOST, IDLE_S, MAX_APPS, ServeOptions, run_serve

    for problem in loaded.problems:
        print(f"{PROG}: {problem}", file=sys.stderr)
    serve_options = ServeOptions(
        port=options.port or loaded.config.serve.port,
        host=DEFAULT_HOST if options.host is None else options.host,
        history=options.history,
        config=options.config,
        plans=tuple(options.plans),
        token=options.token,
        max_apps=options.max_tabs or MAX_APPS,
        idle_s=IDLE_S if options.idle_minutes is None else options.idle_minutes * 60,
    )
    return run_serve(serve_options)


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


if __name__ == "__main__":
    sys.exit(main())
