"""``retro-tui program PROGRAM``: a program's calendar, planned against done, or its coming
sessions as calendar events (``--ics FILE``).

The program is named as ``retro-tui run`` and ``check`` take a plan (a file, a
file name without ``.toml``), or by its own name. The calendar is worked out
from the history log by :mod:`retro_tui.coach.calendar` for one athlete (the
settings' ``[athlete] name`` unless ``--athlete`` says another), as of today.
Without ``--ics`` it is printed as a table; with it, the sessions still to come
are written as an iCalendar file (:mod:`retro_tui.interchange.calendar_ics`),
replaced whole, never half-written, or to standard output for ``-``.

``--start DATE`` plans a new run from that day, as ``R`` in the library starts
one: the sessions done so far are left out.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

from rich.console import Console
from rich.text import Text

from retro_tui.calendar_table import (
    LEGEND,
    calendar_grid,
    compliance_line,
    heading_lines,
    moved_lines,
)
from retro_tui.cli.command import PROG, Command, converted
from retro_tui.cli.history import since_date
from retro_tui.cli.session import Session
from retro_tui.coach.calendar import ProgramCalendar, program_calendar
from retro_tui.coach.programs import restart
from retro_tui.files import replace_atomically
from retro_tui.history.reader import read_history
from retro_tui.plan.errors import PlanError
from retro_tui.plan.folders import is_dir, is_file, is_program_file, plan_files, resolve_plan
from retro_tui.plan.program import Program, load_program

NAME = "program"
DEFAULT_TIME = time(7, 0)
USAGE_ERROR = 2
LATEST_START_DAYS = 366
"""How far ahead ``--start`` may plan a new run."""
"""Like argparse's own: a program that isn't there, a plan named instead, a bad date."""
_TIME = re.compile(r"^\s*(?P<h>\d{1,2}):(?P<m>\d{2})\s*$")


def local_now() -> datetime:
    """This machine's time in its own zone: what "today" means for the person."""
    return datetime.now().astimezone()


def parse_time_of_day(text: str) -> time:
    """``"07:00"`` as a time; ``ValueError`` unless it is ``H:MM`` or ``HH:MM`` on a clock."""
    match = _TIME.match(text)
    if match is None:
        raise ValueError(text)
    return time(int(match["h"]), int(match["m"]))  # ValueError past 23:59


def _time_option(text: str) -> time:
    return converted(
        text, parse_time_of_day, f"{text} is not a time of day: write it as HH:MM, like 07:00"
    )


def _normalised(name: str) -> str:
    # As plan names are matched (plan/folders.py): case, hyphens and underscores don't matter.
    return " ".join(name.replace("-", " ").replace("_", " ").casefold().split())


class ProgramNotFound(Exception):
    """What to say when ``PROGRAM`` names no program."""


def find_program(name: str, search: list[Path]) -> Path:
    """The program file ``name`` means: a path, a file name without ``.toml``, or a program's
    own name. Raises :class:`ProgramNotFound` with the one line to print."""
    try:
        path = resolve_plan(name, search)
    except PlanError:
        path = None
    if path is not None and is_program_file(path):
        return path
    if path is not None and is_file(path):
        raise ProgramNotFound(f"{name} is a plan, not a program of several weeks")
    programs = [file for folder in search for file in plan_files(folder) if is_program_file(file)]
    wanted = _normalised(name.removesuffix(".toml"))
    for file in programs:
        try:
            if _normalised(load_program(file, search).name) == wanted:
                return file
        except PlanError:
            continue
    if path is not None and path.suffix == ".toml":
        raise ProgramNotFound(f"no program file {path}")
    known = sorted({file.stem for file in programs})
    hint = f"; known programs: {', '.join(known)}" if known else ""
    raise ProgramNotFound(f"no program file or program named {name!r}{hint}")


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "program", metavar="PROGRAM", help="a program file, or the name of a program"
    )
    parser.add_argument(
        "--athlete",
        metavar="NAME",
        help='whose sessions count (default: [athlete] name in the settings; "" for '
        "sessions of nobody in particular)",
    )
    parser.add_argument(
        "--ics",
        metavar="FILE",
        help="write the sessions still to come as calendar events to FILE (- for stdout)",
    )
    parser.add_argument(
        "--start",
        type=since_date,
        metavar="DATE",
        help="plan a new run from DATE (YYYY-MM-DD), leaving out the sessions done so far",
    )
    parser.add_argument(
        "--time",
        type=_time_option,
        metavar="HH:MM",
        help=f"--ics only: when each session starts (default {DEFAULT_TIME:%H:%M}, local time)",
    )


def build_calendar(
    program: Program, history: Path, athlete: str, start: date | None, now: datetime
) -> ProgramCalendar:
    """The calendar of ``program`` for ``athlete`` today; raises ``OSError`` for a log that
    can't be read."""
    sessions = read_history(history).sessions
    today = now.date()
    progress = restart(program, now) if start is not None else None
    return program_calendar(
        program, sessions, athlete=athlete, today=today, progress=progress, start=start
    )


def print_calendar(calendar: ProgramCalendar) -> None:
    # Piped into a file or a pager, the full table beats one squeezed to 80 columns.
    width = None if sys.stdout.isatty() else 120
    console = Console(width=width, highlight=False)
    for line in heading_lines(calendar):
        console.print(line)
    console.print()
    console.print(calendar_grid(calendar))
    console.print(compliance_line(calendar))
    for line in moved_lines(calendar):
        console.print(line)
    console.print(Text(LEGEND, style="dim"))


def write_ics(calendar: ProgramCalendar, target: str, at: time, now: datetime) -> int:
    # Imported here: icalendar is for this option alone, not for every start of the command line.
    from retro_tui.interchange.calendar_ics import calendar_ics

    data = calendar_ics(calendar, at, now)
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    path = Path(target).expanduser()
    if not is_dir(path.parent):
        print(f"{PROG} {NAME}: there is no folder {path.parent}", file=sys.stderr)
        return 1
    try:
        replace_atomically(path, data)
    except OSError as error:
        print(f"{PROG} {NAME}: cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return 1
    count = len(calendar.coming)
    print(f"{path}: {count} coming session{'' if count == 1 else 's'}")
    return 0


def run_program(options: argparse.Namespace, session: Session, now: datetime) -> int:
    """``retro-tui program``: 0 when shown or written, 1 for a program or log that can't be
    read or a file that can't be written, 2 for what was asked wrong."""
    if options.time is not None and options.ics is None:
        print(f"{PROG} {NAME}: --time is for --ics: when the events start", file=sys.stderr)
        return USAGE_ERROR
    start = options.start
    today = now.date()
    if start is not None and not today <= start <= today + timedelta(days=LATEST_START_DAYS):
        # A new run from a day gone by would be missed before it began, and one years away
        # is a typo (and, far enough, past the calendar's last date).
        print(
            f"{PROG} {NAME}: --start {start.isoformat()}: a new run starts today "
            f"({today.isoformat()}) or within a year of it",
            file=sys.stderr,
        )
        return USAGE_ERROR
    try:
        path = find_program(options.program, session.search)
    except ProgramNotFound as error:
        print(f"{PROG} {NAME}: {error}", file=sys.stderr)
        return USAGE_ERROR
    try:
        program = load_program(path, [*session.search, path.parent])
    except PlanError as error:
        for issue in error.issues:
            print(issue, file=sys.stderr)
        return 1
    athlete = options.athlete
    if athlete is None:
        athlete = session.loaded.config.athlete.name or ""
    try:
        calendar = build_calendar(program, session.history, athlete.strip(), options.start, now)
    except OSError as error:
        print(f"{PROG} {NAME}: cannot read {session.history}: {error.strerror or error}",
              file=sys.stderr)  # fmt: skip
        return 1
    if options.ics is not None:
        return write_ics(calendar, options.ics, options.time or DEFAULT_TIME, now)
    print_calendar(calendar)
    return 0


def _execute(options: argparse.Namespace, session: Session) -> int:
    return run_program(options, session, local_now())


COMMAND = Command(
    name=NAME,
    synopsis="program",
    summary="a program's calendar, planned against done; --ics writes\n"
    "its coming sessions as calendar events",
    example="retro-tui program six-week-block --ics block.ics",
    description=(
        "Show a program's calendar: every planned session of its weeks with its day and\n"
        "what came of it (done, moved, missed, coming), and each week's sessions and\n"
        "minutes done against planned, from the history log. PROGRAM is a file, a file\n"
        "name without .toml, or the program's own name. --ics FILE writes the sessions\n"
        "still to come as calendar events for a phone or desktop calendar instead; write\n"
        "it again after training and importing it updates the same events."
    ),
    epilog=(
        "examples: retro-tui program six-week-block --athlete Ana\n"
        "          retro-tui program six-week-block --ics block.ics --time 18:30\n"
        "          retro-tui program six-week-block --start 2027-01-04 --ics - > block.ics"
    ),
    raw_help=True,
    arguments=_arguments,
    execute=_execute,
)
