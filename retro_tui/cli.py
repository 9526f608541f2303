"""The ``retro-tui`` command line: parse arguments, run a subcommand or start the app.

``retro-tui`` with no command opens the app on the plan library; a command
word (``check``, ...) runs that command without a terminal UI. Any problem a
user can cause (a missing file, a bad plan) ends with a clear message and a
non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from retro_tui import __version__, paths
from retro_tui.plan.catalog import resolve_plan
from retro_tui.plan.durations import format_clock
from retro_tui.plan.errors import PlanError
from retro_tui.plan.loader import load_plan

if TYPE_CHECKING:
    from retro_tui.tui.app import RetroApp

PROG = "retro-tui"

EPILOG = """\
commands:
  (none)       open the plan library and run a workout
               example: retro-tui ~/my-plans
  check        validate plan files or bundled plans by name
               example: retro-tui check starter plans/*.toml

Plans are TOML files; see the README for the format.
"""


def make_app(extra_plans: Sequence[Path] = ()) -> RetroApp:
    """Build the Textual app. Shared by the command line, tests and benchmarks."""
    from retro_tui.tui.app import RetroApp  # Textual loads only when a UI is wanted.

    return RetroApp(plan_folders=[paths.user_plans_dir(), *extra_plans])


def _main_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Backward (retro) walking and running intervals on a treadmill.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "plans",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="extra plan files or folders to list in the library",
    )
    return parser


def _check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} check",
        description=(
            "Validate plans. Prints one summary line per valid plan and every problem as "
            "FILE:LINE: key.path: message. Exit status 0 when all plans are valid, 1 otherwise."
        ),
        epilog="example: retro-tui check starter plans/*.toml",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "plans", nargs="+", metavar="PLAN", help="a plan file, or the name of a bundled plan"
    )
    return parser


COMMANDS = {"check": _check_parser}


def _plan_search_path() -> list[Path]:
    return [paths.bundled_plans_dir(), paths.user_plans_dir()]


def summary_line(label: str, plan_name: str, total_s: float, backward_s: float, intervals: int) -> str:
    plural = "" if intervals == 1 else "s"
    return (
        f"ok  {label}: {plan_name}: {format_clock(total_s)} total, "
        f"{format_clock(backward_s)} backward in {intervals} interval{plural}"
    )


def run_check(names: Sequence[str]) -> int:
    """``retro-tui check``: 0 when every plan is valid, 1 otherwise."""
    failed = 0
    for name in names:
        try:
            path = resolve_plan(name, _plan_search_path())
            plan = load_plan(path)
        except PlanError as error:
            failed += 1
            for issue in error.issues:
                print(issue)
            continue
        print(summary_line(name, plan.name, plan.total_s, plan.backward_s, plan.backward_intervals))
    checked = len(names)
    if failed:
        print(f"{failed} of {checked} plan{'s' if checked != 1 else ''} have errors")
    return 1 if failed else 0


def _dispatch(argv: list[str]) -> int:
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    if command in COMMANDS:
        rest = list(argv)
        rest.remove(command)
        options = COMMANDS[command]().parse_args(rest)
        if command == "check":
            return run_check(options.plans)
    options = _main_parser().parse_args(argv)
    app = make_app(options.plans)
    app.run()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``retro-tui`` console script."""
    try:
        return _dispatch(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: not an error worth a message.
        return 0
    except Exception as error:  # noqa: BLE001 - the last line of defence: no tracebacks for users
        print(f"{PROG}: unexpected error: {type(error).__name__}: {error}", file=sys.stderr)
        print(f"{PROG}: please report this with the command you ran.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
