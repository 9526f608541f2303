"""``retro-tui check``: validate plans and programs, and warn about unsafe steps."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from retro_tui.cli.command import Command
from retro_tui.cli.session import Session, plan_search_path
from retro_tui.plan.durations import format_clock
from retro_tui.plan.errors import PlanError, PlanIssue
from retro_tui.plan.folders import is_program_file, resolve_plan
from retro_tui.plan.lint import lint_plan
from retro_tui.plan.loader import load_plan
from retro_tui.plan.program import load_program


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


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "plans", nargs="+", metavar="PLAN", help="a plan file, or the name of a bundled plan"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="count safety warnings as errors: exit status 1 if any plan has warnings",
    )


def _execute(options: argparse.Namespace, session: Session) -> int:
    return run_check(options.plans, strict=options.strict, search=session.search)


COMMAND = Command(
    name="check",
    synopsis="check",
    summary="validate plan files or bundled plans by name and warn about\n"
    "unsafe steps (--strict: warnings fail the check too)",
    example="retro-tui check starter plans/*.toml",
    description=(
        "Validate plans and check them against the safety rules. Prints one summary line "
        "per valid plan followed by its safety warnings as "
        "FILE:LINE: key.path: warning: message, and every problem of an invalid plan as "
        "FILE:LINE: key.path: message. Exit status 0 when all plans are valid (warnings "
        "alone don't fail the check unless --strict is given), 1 otherwise."
    ),
    arguments=_arguments,
    execute=_execute,
)
