"""``retro-tui export-plan PLAN --fit | --zwo``: a plan as a workout for a watch or for Zwift.

``--fit`` writes a Garmin FIT workout (:mod:`retro_tui.interchange.fit_workout`),
``--zwo`` a Zwift running workout (:mod:`retro_tui.interchange.zwo_write`). The
plan is named as ``retro-tui run`` and ``check`` take it. The file goes where
``-o`` says (a folder, a file, or ``-`` for standard output), by default into
the current folder named after the plan's file; a file already there is
replaced whole, never half-written.

A .zwo file gives speeds only as shares of the runner's 5 km race pace, so
``--zwo`` needs that pace (``--pace MM:SS``, per mile or per km in the plan's
units, else the settings' ``[athlete] time_5k``) whenever the plan has a speed.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from retro_tui.cli.command import PROG, Command, converted
from retro_tui.cli.session import Session
from retro_tui.coach.paces import RacePaces, parse_race_time
from retro_tui.files import replace_atomically
from retro_tui.plan.errors import PlanError
from retro_tui.plan.folders import is_dir, is_program_file, resolve_plan
from retro_tui.plan.loader import load_plan
from retro_tui.plan.model import KMH_PER_MPH, Plan, Units

NAME = "export-plan"
SECONDS_PER_HOUR = 3600
_PACE = re.compile(r"^\s*(?P<m>\d{1,2}):(?P<s>[0-5]\d)\s*$")
_UNIT_WORD = {Units.MPH: "mile", Units.KMH: "km"}


@dataclass(frozen=True)
class Pace:
    """A race pace: whole seconds a mile or a kilometre (which one, the plan's units decide)."""

    seconds: int

    def speed(self) -> float:
        """The pace as a speed in the plan's units (mph for minutes a mile, km/h for a km)."""
        return SECONDS_PER_HOUR / self.seconds

    def __str__(self) -> str:
        return f"{self.seconds // 60}:{self.seconds % 60:02d}"


def parse_pace(text: str) -> Pace:
    """``"8:00"`` as :class:`Pace`; ``ValueError`` unless it is ``M:SS`` or ``MM:SS`` above zero."""
    match = _PACE.match(text)
    if match is None:
        raise ValueError(text)
    seconds = int(match["m"]) * 60 + int(match["s"])
    if seconds == 0:
        raise ValueError(text)
    return Pace(seconds)


def _pace_option(text: str) -> Pace:
    return converted(
        text, parse_pace, f"{text} is not a pace: write minutes and seconds, like 8:00"
    )


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", metavar="PLAN", help="a plan file, or the name of a plan")
    kind = parser.add_mutually_exclusive_group(required=True)
    kind.add_argument("--fit", action="store_true", help="a FIT workout for Garmin")
    kind.add_argument("--zwo", action="store_true", help="a Zwift running workout")
    parser.add_argument(
        "--pace",
        type=_pace_option,
        metavar="MM:SS",
        help="--zwo only: your 5 km race pace, minutes per mile (per km in a km/h plan; "
        "default: [athlete] time_5k in the settings); "
        "Zwift gives each speed as a share of it",
    )
    parser.add_argument(
        "-o",
        "--out",
        metavar="FILE_OR_FOLDER",
        default=".",
        help="the file to write, or a folder for it (default: this folder, named after "
        "the plan's file); - writes to stdout",
    )


def _load(name: str, session: Session) -> tuple[Plan, Path] | None:
    """The plan ``name`` means and its file; ``None`` once what is wrong has been said."""
    try:
        path = resolve_plan(name, session.search)
        if is_program_file(path):
            print(
                f"{PROG} {NAME}: {name} is a program of several weeks, not one plan; "
                "export one of the plans its sessions name",
                file=sys.stderr,
            )
            return None
        return load_plan(path), path
    except PlanError as error:
        # The same FILE:LINE: key: message lines `check` prints, on stderr: stdout may be the file.
        for issue in error.issues:
            print(issue, file=sys.stderr)
        return None


def _target(out: str, path: Path, suffix: str) -> Path:
    """Where the file goes: ``out`` itself, or the plan's name in the folder ``out`` names.

    ``out`` is a folder when one is there by that name or it ends with a slash.
    """
    default_name = path.with_suffix(suffix).name
    target = Path(out).expanduser()
    if is_dir(target) or out.endswith(("/", "\\")):
        return target / default_name
    return target


def _reference_speed(plan: Plan, pace: Pace | None, time_5k: str | None) -> float | None:
    """The 5 km race speed in the plan's units: ``--pace``, else ``[athlete] time_5k``."""
    if pace is not None:
        return pace.speed()
    if not time_5k:
        return None
    speed_kmh = RacePaces(parse_race_time(time_5k)).speed_kmh(5000.0)
    return speed_kmh if plan.units is Units.KMH else speed_kmh / KMH_PER_MPH


def _zwo_bytes(plan: Plan, reference: float | None) -> bytes | None:
    """The .zwo file of ``plan``; ``None`` once it has been said that a pace is needed."""
    from retro_tui.interchange.zwo_write import ReferencePaceNeeded, zwo_workout

    try:
        return zwo_workout(plan, reference).encode()
    except ReferencePaceNeeded:
        unit = _UNIT_WORD[plan.units]
        print(
            f"{PROG} {NAME}: {plan.name} has target speeds, and Zwift gives speeds only as "
            f"shares of your 5 km race pace: add --pace MM:SS, your 5 km pace per {unit} "
            f"(for example --pace 8:00), or set [athlete] time_5k in the settings",
            file=sys.stderr,
        )
        return None


def run_export_plan(options: argparse.Namespace, session: Session) -> int:
    """``retro-tui export-plan``: 0 when written, 1 for a bad plan or file, 2 for bad options."""
    if options.fit and options.pace is not None:
        print(
            f"{PROG} {NAME}: --pace is for --zwo: a FIT workout gives the plan's own speeds",
            file=sys.stderr,
        )
        return 2
    loaded = _load(options.plan, session)
    if loaded is None:
        return 1
    plan, path = loaded
    if options.fit:
        # Imported here: fit-tool takes a tenth of a second to load, for this command alone.
        from retro_tui.interchange.fit_workout import fit_workout

        data = fit_workout(plan)
        suffix = ".fit"
    else:
        time_5k = session.loaded.config.athlete.time_5k
        zwo = _zwo_bytes(plan, _reference_speed(plan, options.pace, time_5k))
        if zwo is None:
            return 2
        data = zwo
        suffix = ".zwo"
    if options.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    target = _target(options.out, path, suffix)
    made_on_request = options.out.endswith(("/", "\\"))
    if not made_on_request and not is_dir(target.parent):
        # A typo in -o must not quietly make folders: only a folder asked for ("dir/") is made.
        print(
            f"{PROG} {NAME}: there is no folder {target.parent}: make it first, or end -o with "
            "/ to have it made",
            file=sys.stderr,
        )
        return 1
    try:
        replace_atomically(target, data)
    except OSError as error:
        # Named by the file asked for: the error's own name may be the temporary file beside it.
        print(f"{PROG} {NAME}: cannot write {target}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(target)
    return 0


COMMAND = Command(
    name=NAME,
    synopsis=NAME,
    summary="a plan as a workout: FIT for a Garmin watch, .zwo for Zwift",
    example="retro-tui export-plan starter --fit",
    description=(
        "Write a plan as a workout to follow on a watch or in Zwift:\n"
        "--fit a FIT workout (Garmin Connect, a Garmin watch), repeats kept, the\n"
        "plan's speeds as targets; --zwo a Zwift running workout, each speed as a\n"
        "share of your 5 km race pace (--pace MM:SS, per mile, or per km in a km/h\n"
        "plan), backward steps announced with a BACKWARD message. PLAN is a file or\n"
        "a plan's name, as for retro-tui run. The file goes into this folder named\n"
        "after the plan's file, or where -o says; a file already there is replaced."
    ),
    epilog=(
        "examples: retro-tui export-plan starter --fit          starter.fit, here\n"
        "          retro-tui export-plan starter --zwo --pace 8:00 -o ~/Documents/Zwift/\n"
        "          retro-tui export-plan hill.toml --fit -o - > hill.fit"
    ),
    raw_help=True,
    arguments=_arguments,
    execute=run_export_plan,
)
