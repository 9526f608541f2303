"""``retro-tui run PLAN``: start a plan straight away, without the plan library."""

from __future__ import annotations

import argparse
import sys

from retro_tui.cli.command import PROG, Command
from retro_tui.cli.library import open_app
from retro_tui.cli.session import Session
from retro_tui.plan.errors import PlanError
from retro_tui.plan.folders import is_program_file, resolve_plan
from retro_tui.plan.loader import load_plan


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN", help="a plan file, or the name of a plan")


def _execute(options: argparse.Namespace, session: Session) -> int:
    try:
        path = resolve_plan(options.plan, session.search)
        if is_program_file(path):
            # Which of its sessions is next depends on the history: the library knows.
            print(
                f"{PROG} run: {options.plan} is a program of several weeks, not one plan; "
                f"open the library ({PROG}), highlight it and press Enter for its next "
                "session",
                file=sys.stderr,
            )
            return 1
        plan = load_plan(path)
    except PlanError as error:
        for issue in error.issues:
            print(issue, file=sys.stderr)
        return 1
    return open_app(session, start_plan=plan)


COMMAND = Command(
    name="run",
    synopsis="run PLAN",
    summary="start a plan (a file or a plan's name) straight away",
    example="retro-tui run starter",
    description="Start a plan straight away, without the plan library.",
    arguments=_arguments,
    execute=_execute,
)
