"""``retro-tui export``: sessions as FIT and TCX activity files, for Strava, Garmin or
intervals.icu.

Which sessions: one by its id, ``--last``, or every session the history's own
filters pass (``--since``, ``--plan``, ``--athlete``); with none of these, the
last session. The files go into a folder (``-o``, by default the current one),
named from each session, or with ``-o -`` one file to standard output. The
log is only read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from retro_tui.cli.command import Command
from retro_tui.cli.history import since_date
from retro_tui.cli.session import Session
from retro_tui.history.reader import query_history
from retro_tui.history.record import SessionRecord
from retro_tui.interchange.export import (
    ActivityFormat,
    NothingRan,
    activity_bytes,
    export_session,
    session_activity,
)


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "id", nargs="?", help="the session's id (retro-tui history --json shows it)"
    )
    parser.add_argument("--last", action="store_true", help="the most recent session")
    parser.add_argument(
        "--since", type=since_date, metavar="YYYY-MM-DD", help="every session from that day on"
    )
    parser.add_argument("--plan", metavar="NAME", help="every session of plans whose name has NAME")
    parser.add_argument("--athlete", metavar="NAME", help="every session of this athlete")
    parser.add_argument("--fit", action="store_true", help="FIT files only")
    parser.add_argument("--tcx", action="store_true", help="TCX files only")
    parser.add_argument(
        "-o",
        "--out",
        metavar="FOLDER",
        default=".",
        help="where the files go (default: this folder); - writes one file to stdout",
    )


def _formats(options: argparse.Namespace) -> list[ActivityFormat]:
    chosen = [kind for kind in ActivityFormat if getattr(options, kind.value)]
    return chosen or list(ActivityFormat)


def _chosen(options: argparse.Namespace, history: Path) -> tuple[list[SessionRecord], str]:
    """The sessions asked for, and what to say when there are none."""
    filtered = bool(options.since or options.plan or options.athlete)
    result = query_history(history, plan=options.plan, since=options.since, athlete=options.athlete)
    for problem in result.problems:
        print(f"retro-tui: {problem}", file=sys.stderr)
    if options.id:
        wanted = options.id.strip()
        found = [session for session in result.sessions() if session.id == wanted]
        return found, f"no session {wanted} in {history}: retro-tui history --json lists the ids"
    if filtered and not options.last:
        sessions = list(result.sessions(newest_first=False))
        return sessions, f"no session in {history} passes those filters"
    return list(result.sessions(1)), f"no session in {history} yet: run a workout first"


def run_export(options: argparse.Namespace, history: Path) -> int:
    if options.id and (options.last or options.since or options.plan or options.athlete):
        print(
            "retro-tui export: give a session's id, or --last, or filters: not both",
            file=sys.stderr,
        )
        return 2
    formats = _formats(options)
    try:
        sessions, none_found = _chosen(options, history)
    except OSError as error:
        print(f"retro-tui: cannot read {history}: {error.strerror or error}", file=sys.stderr)
        return 1
    if not sessions:
        print(f"retro-tui export: {none_found}", file=sys.stderr)
        return 1
    if options.out == "-":
        if len(sessions) != 1 or len(formats) != 1:
            print(
                "retro-tui export: -o - writes one file: choose one session and --fit or --tcx",
                file=sys.stderr,
            )
            return 2
        try:
            data = activity_bytes(session_activity(sessions[0], history), formats[0])
        except NothingRan as error:
            print(f"retro-tui export: {error}", file=sys.stderr)
            return 1
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    folder = Path(options.out).expanduser()
    empty = 0
    for session in sessions:
        try:
            written = export_session(session, history, folder, formats)
        except NothingRan as error:
            print(f"retro-tui export: {error}", file=sys.stderr)
            empty += 1
            continue
        except OSError as error:
            where = error.filename or folder
            print(
                f"retro-tui export: cannot write {where}: {error.strerror or error}",
                file=sys.stderr,
            )
            return 1
        for path in written:
            print(path)
    return 1 if empty == len(sessions) else 0


def _execute(options: argparse.Namespace, session: Session) -> int:
    return run_export(options, session.history)


COMMAND = Command(
    name="export",
    synopsis="export [ID]",
    summary="sessions as FIT and TCX files for Strava, Garmin\nor intervals.icu",
    example="retro-tui export --last -o ~/Uploads",
    description=(
        "Write sessions as activity files for Strava, Garmin Connect or intervals.icu:\n"
        "FIT and TCX (--fit or --tcx for one), a lap a step and a record a second, with\n"
        "the belt's speed and the heart rate when the devices recorded them, else speeds\n"
        "estimated from the plan (the file's notes say which). Which sessions: an id,\n"
        "--last, or the history's filters; with none of these, the last session."
    ),
    epilog=(
        "examples: retro-tui export                  the last session, FIT and TCX, here\n"
        "          retro-tui export --since 2026-11-01 --fit -o ~/fit\n"
        "          retro-tui export 20261121T070211-3f9c --tcx -o - > session.tcx"
    ),
    raw_help=True,
    arguments=_arguments,
    execute=_execute,
)
