"""``retro-tui import``: a workout written for Zwift or intervals.icu becomes a retro-tui plan.

The file's format comes from its name: ``.zwo`` is a Zwift workout, anything
else intervals.icu's workout text. Speeds the file gives relative to race paces
are worked out from the athlete's 5 km race pace (``--pace``, else ``[athlete]
time_5k`` in the settings, else asked for on a terminal). The plan is made and
checked exactly as ``retro-tui check`` checks one *before* anything is written,
then created in the plans folder without ever replacing a file. The command
prints where it went, its safety warnings and what the file held that the plan
does not carry.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from retro_tui import paths
from retro_tui.cli.check import summary_line
from retro_tui.cli.command import PROG, Command
from retro_tui.cli.session import Session
from retro_tui.coach.paces import FASTEST_5K_S, SLOWEST_5K_S, RacePaces, parse_race_time
from retro_tui.files import create_new
from retro_tui.plan.durations import format_clock
from retro_tui.plan.errors import PlanError
from retro_tui.plan.limits import MAX_NAME_CHARS
from retro_tui.plan.lint import lint_plan
from retro_tui.plan.loader import parse_plan_text
from retro_tui.plan.model import Units
from retro_tui.plan.skeleton import PLAN_SUFFIX, PlanNameError, check_plan_name, plan_slug
from retro_tui.tomltext import FileProblemError

if TYPE_CHECKING:
    from retro_tui.interchange.imported import ImportedWorkout, PaceNeeded

NAME = f"{PROG} import"
_PACE = re.compile(r"^\s*(\d{1,2}):([0-5]\d)\s*$")


class _Stop(Exception):
    """The import can't go on; the message says why, and the exit status is 1."""


def parse_pace(text: str, units: Units) -> RacePaces:
    """A 5 km race pace typed as ``MM:SS`` per mile (``mph``) or per km (``kmh``).

    Raises ``ValueError`` with what to type instead.
    """
    per, like = ("mile", "8:03") if units is Units.MPH else ("km", "5:00")
    match = _PACE.match(text)
    if match is None:
        raise ValueError(
            f"{text.strip()!r} is not a pace: type minutes:seconds per {per}, like {like}"
        )
    paces = RacePaces.from_pace(int(match[1]) * 60 + int(match[2]), units)
    if not FASTEST_5K_S <= paces.time_5k_s <= SLOWEST_5K_S:
        raise ValueError(
            f"{text.strip()} per {per} makes 5 km in {format_clock(paces.time_5k_s)}; a 5 km "
            f"race pace makes it in {format_clock(FASTEST_5K_S)} to {format_clock(SLOWEST_5K_S)}"
        )
    return paces


def _interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):  # closed or replaced standard input
        return False


def _ask_pace(needed: PaceNeeded, units: Units) -> RacePaces:
    per = "mile" if units is Units.MPH else "km"
    print(f"{needed.label}:{needed.line}: {needed.what} needs your race pace.")
    for _ in range(3):
        try:
            typed = input(f"Your 5 km race pace, minutes:seconds per {per} (Enter to stop): ")
        except EOFError:
            break
        if not typed.strip():
            break
        try:
            return parse_pace(typed, units)
        except ValueError as error:
            print(f"{error}")
    raise _Stop(f"nothing imported: give your 5 km race pace with --pace MM:SS (per {per})")


def _read(source: Path, units: Units, paces: RacePaces | None) -> ImportedWorkout:
    # The readers load with the command that uses them, not with every retro-tui start.
    from retro_tui.interchange.converted import read_workout_bytes, reader_for
    from retro_tui.interchange.imported import PaceNeeded

    data = read_workout_bytes(source)
    reader = reader_for(source)
    try:
        return reader(data, str(source), units=units, paces=paces)
    except PaceNeeded as needed:
        if paces is not None:
            raise  # not possible: the reader had a pace
        per = "mile" if units is Units.MPH else "km"
        if not _interactive():
            raise _Stop(
                f"{needed.label}:{needed.line}: {needed.what} needs your race pace: pass "
                f"--pace MM:SS (your 5 km race pace per {per}), or set [athlete] time_5k in "
                "the settings"
            ) from None
        paces = _ask_pace(needed, units)
    return reader(data, str(source), units=units, paces=paces)


def _plan_name(workout: ImportedWorkout, source: Path, wanted: str | None) -> str:
    """``--name``, else the file's own name for the workout, else one made from the file name."""
    if wanted is not None:
        return check_plan_name(wanted)
    if workout.name:
        return workout.name
    from retro_tui.interchange.imported import one_line

    stem = one_line(" ".join(re.split(r"[-_]+", source.stem)), MAX_NAME_CHARS)[0]
    return stem[:1].upper() + stem[1:] if stem else "Imported workout"


def _file_name(plan_name: str, source: Path) -> str:
    """``hill-tuesday.toml``: from the plan's name, else (no letters a-z in it) the file's."""
    return (plan_slug(plan_name) or plan_slug(source.stem) or "imported-workout") + PLAN_SUFFIX


def run_import(
    source: Path,
    *,
    units: Units,
    paces: RacePaces | None,
    name: str | None = None,
    folder: Path | None = None,
) -> int:
    """``retro-tui import``: 0 when the plan was written, 1 when not (and why, on stderr)."""
    try:
        workout = _read(source, units, paces)
        plan_name = _plan_name(workout, source, name)
    except FileProblemError as error:
        for issue in error.issues:
            print(issue, file=sys.stderr)
        print(f"{NAME}: nothing imported from {source}", file=sys.stderr)
        return 1
    except (_Stop, PlanNameError) as error:
        print(f"{NAME}: {error}", file=sys.stderr)
        return 1
    workout = replace(workout, name=plan_name)
    folder = paths.user_plans_dir() if folder is None else folder
    target = folder / _file_name(plan_name, source)
    from retro_tui.interchange.imported import plan_toml

    text = plan_toml(workout, source_name=source.name)
    # Checked as `retro-tui check` checks it, before a byte is written.
    try:
        plan = parse_plan_text(text, str(target), source=target)
    except PlanError as error:
        print(
            f"{NAME}: the plan made from {source} is not valid (a bug in retro-tui):",
            file=sys.stderr,
        )
        for issue in error.issues:
            print(issue, file=sys.stderr)
        return 1
    warnings = lint_plan(plan)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a file where the folder should be, or no permission
        print(
            f"{NAME}: could not make the folder {folder}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 1
    try:
        create_new(target, text.encode("utf-8"))
    except FileExistsError:
        print(
            f"{NAME}: {target} already exists and was left as it is; choose another name "
            "with --name",
            file=sys.stderr,
        )
        return 1
    except OSError as error:
        print(f"{NAME}: could not write {target}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"Wrote {target}")
    print(
        summary_line(target.name, plan.name, plan.total_s, plan.backward_s, plan.backward_intervals)
    )
    for warning in warnings:
        print(warning)
    if workout.notes:
        print(f"Not carried over as written from {source.name}:")
        for note in workout.notes:
            print(f"  {note}")
    print(f"Run it with: {PROG} run {shlex.quote(str(target))}")
    return 0


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", type=Path, metavar="FILE", help="a Zwift .zwo file or intervals.icu workout text"
    )
    parser.add_argument(
        "--pace",
        metavar="MM:SS",
        help="your 5 km race pace, per mile with mph and per km with kmh (default: [athlete] "
        "time_5k in the settings, else asked for)",
    )
    parser.add_argument(
        "--units",
        choices=[unit.value for unit in Units],
        help="the plan's speed units (default: [display] units in the settings)",
    )
    parser.add_argument(
        "--name", metavar="NAME", help="the plan's name (default: the workout's own)"
    )
    parser.add_argument(
        "-o",
        "--out",
        type=Path,
        metavar="FOLDER",
        help="where the plan goes (default: your plans folder)",
    )


def _execute(options: argparse.Namespace, session: Session) -> int:
    config = session.loaded.config
    units = Units(options.units or config.display.units)
    paces: RacePaces | None = None
    try:
        if options.pace is not None:
            paces = parse_pace(options.pace, units)
        elif config.athlete.time_5k:
            paces = RacePaces(parse_race_time(config.athlete.time_5k))
    except ValueError as error:
        print(f"{NAME}: --pace: {error}", file=sys.stderr)
        return 2
    folder = options.out.expanduser() if options.out is not None else None
    return run_import(options.file, units=units, paces=paces, name=options.name, folder=folder)


COMMAND = Command(
    name="import",
    synopsis="import FILE",
    summary="a Zwift run workout (.zwo) or intervals.icu workout\n"
    "text as a plan in your plans folder",
    example="retro-tui import tempo.zwo --pace 5:00 --units kmh",
    description=lambda: (
        "Turn a workout written for Zwift (a .zwo run workout) or intervals.icu (its workout "
        "text, any other file) into a plan in your plans folder "
        f"(${paths.PLANS_ENV} or {paths.user_plans_dir()}), or -o FOLDER. Speeds given as a "
        "share of a race pace are worked out from your 5 km race pace (--pace, else "
        "[athlete] time_5k in the settings, else asked for). The plan is checked as "
        "retro-tui check does before it is written, and an existing file is never replaced. "
        "Prints the plan's path, its safety warnings and what the file held that the plan "
        "does not carry. Exit status 0 when the plan was written, 1 otherwise."
    ),
    arguments=_arguments,
    execute=_execute,
)
