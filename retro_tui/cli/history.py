"""``retro-tui history``: recent sessions as a table, or every session as CSV or JSON.

Reads the log without ever writing to it. A damaged log still shows every
session that can be read; the problems go to stderr, and the exit status is 1
so scripts notice.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from retro_tui.cli.command import Command, converted
from retro_tui.cli.history_form import write_form
from retro_tui.cli.session import Session
from retro_tui.coach.fitness import LoadSource, athletes_sessions
from retro_tui.history.export import write_csv, write_json
from retro_tui.history.reader import query_history
from retro_tui.history.record import SessionRecord
from retro_tui.history.stats import athlete_names, has_several_athletes
from retro_tui.presentation import session_summary, table_cells, table_columns

DEFAULT_LIMIT = 20
ORDERS = ("newest", "oldest")
LOADS = {"rpe": LoadSource.SESSION, "hr": LoadSource.HEART_RATE}


def since_date(text: str) -> date:
    """``--since``: a calendar date, with a message that shows what one looks like."""
    mistake = f"{text} is not a date; write it as YYYY-MM-DD, for example 2026-01-31"
    return converted(text.strip(), date.fromisoformat, mistake)


def session_count(text: str) -> int:
    """``--limit``: a whole number of sessions."""
    mistake = f"{text} is not a whole number; for example --limit 10, or 0 for every session"
    count = converted(text, int, mistake)
    if count < 0:
        raise argparse.ArgumentTypeError(f"{count} is less than 0; 0 shows every session")
    return count


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit",
        type=session_count,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"how many of the most recent sessions the table shows (default {DEFAULT_LIMIT}; "
        "0 for all)",
    )
    parser.add_argument(
        "--since",
        type=since_date,
        metavar="DATE",
        help="only sessions on or after DATE (YYYY-MM-DD)",
    )
    parser.add_argument("--plan", metavar="NAME", help="only sessions of plans whose name has NAME")
    parser.add_argument("--athlete", metavar="NAME", help="only sessions of this athlete")
    parser.add_argument(
        "--order",
        choices=ORDERS,
        default=None,
        help="newest or oldest session first (default: newest first in the table, oldest "
        "first in --csv and --json, the order the log is written in)",
    )
    parser.add_argument(
        "--form",
        action="store_true",
        help="fitness, fatigue, form and the 7:28 load ratio day by day, for one athlete",
    )
    parser.add_argument(
        "--load",
        choices=LOADS,
        default="rpe",
        help="with --form: the session load (rpe: session RPE x minutes, the default) or the "
        "heart-rate load (hr: TRIMP from the time in zone)",
    )
    formats = parser.add_mutually_exclusive_group()
    formats.add_argument("--csv", action="store_true", help="every session and step as CSV")
    formats.add_argument("--json", action="store_true", help="every session and step as JSON")


def filters_given(options: argparse.Namespace) -> list[str]:
    """The filters on the command line, written as they were given: ``--plan nomatch``."""
    since = None if options.since is None else options.since.isoformat()
    given = (("--plan", options.plan), ("--since", since), ("--athlete", options.athlete))
    return [f"{flag} {shlex.quote(value)}" for flag, value in given if value is not None]


def nothing_to_show(options: argparse.Namespace, history: Path, logged: int, damaged: bool) -> str:
    """Why the table is empty: an empty log, or filters that leave nothing out of ``logged``."""
    filters = filters_given(options)
    if logged and filters:
        plural = "" if logged == 1 else "s"
        return f"No session matches {' '.join(filters)}; {history} holds {logged} session{plural}."
    if damaged:
        return f"No session in {history} could be read."
    return f"No sessions in {history} yet."


RIGHT_ALIGNED = {"total", "back", "int", "avg", "RPE", "load"}
ATHLETE_WIDTH = 16
PLAN_MIN_WIDTH = 12


def session_table(sessions: Sequence[SessionRecord], title: str, width: int = 120) -> Table:
    """The sessions as rows of the shared table, fitted to ``width`` columns.

    An athlete column only when the rows mix people. Eleven columns fit 100 columns only
    one space apart and without rules between them; the plan, the one column whose text
    runs long, gets the width left over and is cut short with "…" beyond it.
    """
    with_athlete = has_several_athletes(sessions)
    columns = table_columns(athlete=with_athlete)
    # Plan, athlete and pain are the user's text: Text() keeps them from being read as markup.
    rows = [
        [Text(cell) for cell in table_cells(session_summary(session), athlete=with_athlete)]
        for session in sessions
    ]
    widths = {
        name: max([len(name), *(row[index].cell_len for row in rows)])
        for index, name in enumerate(columns)
    }
    widths["athlete"] = min(widths.get("athlete", 0), ATHLETE_WIDTH)
    others = sum(size for name, size in widths.items() if name != "plan")
    plan_width = max(PLAN_MIN_WIDTH, width - others - (len(columns) - 1))
    # The title holds a file name and maybe an athlete's: Text, so "[x]" in them stays as is.
    table = Table(
        title=Text(title),
        title_justify="left",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 0),
    )
    for name in columns:
        table.add_column(
            name,
            justify="right" if name in RIGHT_ALIGNED else "left",
            no_wrap=True,
            overflow="ellipsis",
            max_width={"plan": plan_width, "athlete": ATHLETE_WIDTH}.get(name),
        )
    for row in rows:
        table.add_row(*row)
    return table


def run_history(options: argparse.Namespace, history: Path) -> int:
    try:
        result = query_history(
            history, plan=options.plan, since=options.since, athlete=options.athlete
        )
    except OSError as error:
        print(f"retro-tui: cannot read {history}: {error.strerror or error}", file=sys.stderr)
        return 1
    if options.csv or options.json:
        # Exports keep the log's own order unless asked: a spreadsheet reads down in time.
        # They are written a session at a time: a log of years never sits in memory.
        exported = result.sessions(newest_first=options.order == "newest")
        write = write_csv if options.csv else write_json
        write(exported, sys.stdout)
    else:
        # --limit takes the most recent sessions whichever way they are listed.
        oldest_first = options.order == "oldest"
        shown = list(result.sessions(options.limit, newest_first=not oldest_first))
        # Piped into a file or a pager, a full-width table beats one squeezed to 80.
        console = Console() if sys.stdout.isatty() else Console(width=120)
        if not shown:
            message = nothing_to_show(options, history, result.total, bool(result.problems))
            console.print(Text(message))
        else:
            athlete = (options.athlete or "").strip()
            whose = f" of {athlete}" if athlete else ""
            order = "oldest first" if oldest_first else "newest first"
            title = f"{len(shown)} of {result.count} sessions{whose}, {order} ({history})"
            console.print(session_table(shown, title, console.width))
            legend = (
                "int: backward intervals done/planned · avg: average interval RPE · "
                "load: session RPE x minutes\npain: 0-10 (0: none) and where · –: not asked"
            )
            if any(session.damage for session in shown):
                legend += "\n!: damaged or changed in the log, as said below"
            console.print(Text(legend, style="dim"))
    for problem in result.problems:
        print(f"retro-tui: {problem}", file=sys.stderr)
    for rescue in result.rescues:
        message = f"retro-tui: sessions saved while the log was damaged read from {rescue}"
        print(message, file=sys.stderr)
    if result.problems:
        first = result.problems[0]
        where = f" from line {first.first_line}" if first.first_line else ""
        print(
            f"retro-tui: {first.path} is damaged{where}; "
            "the sessions above are the ones that could be read",
            file=sys.stderr,
        )
        return 1
    return 0


def run_form(options: argparse.Namespace, session: Session) -> int:
    """``--form``: one athlete's fitness model over every one of their sessions."""
    if options.plan is not None:
        print(
            "retro-tui history: --form reads every session of the athlete; --plan does not "
            "apply (the load of every plan adds up)",
            file=sys.stderr,
        )
        return 2
    try:
        result = query_history(session.history, athlete=options.athlete)
    except OSError as error:
        print(
            f"retro-tui: cannot read {session.history}: {error.strerror or error}", file=sys.stderr
        )
        return 1
    sessions = list(result.sessions(newest_first=False))
    athlete = (options.athlete or "").strip()
    if options.athlete is not None and not athlete:
        # --athlete "": the sessions of nobody in particular, as `program` reads it.
        sessions = athletes_sessions(sessions, "")
    elif not athlete and has_several_athletes(sessions):
        names = ", ".join(athlete_names(sessions))
        print(
            f"retro-tui history: the log holds the sessions of several athletes ({names}); "
            'say whose form with --athlete NAME (--athlete "" for nobody in particular)',
            file=sys.stderr,
        )
        return 2
    if not athlete and options.athlete is None:
        athlete = next((s.athlete for s in sessions if s.athlete.strip()), "")
    write_form(
        sessions,
        today=date.today(),
        source=LOADS[options.load],
        zones=session.loaded.config.heart_rate_zones_for(athlete),
        since=options.since,
        as_csv=options.csv,
        as_json=options.json,
        whose=f" of {athlete}" if athlete else "",
    )
    for problem in result.problems:
        print(f"retro-tui: {problem}", file=sys.stderr)
    return 1 if result.problems else 0


def _execute(options: argparse.Namespace, session: Session) -> int:
    if options.form:
        return run_form(options, session)
    if options.load != "rpe":
        print("retro-tui history: --load is for --form: which load it shows", file=sys.stderr)
        return 2
    return run_history(options, session.history)


COMMAND = Command(
    name="history",
    synopsis="history",
    summary="recent sessions as a table; --csv / --json export them all",
    example="retro-tui history --since 2026-01-01 --csv",
    description=(
        "Show recent sessions from the history log, or export every session and step.\n"
        "The table lists the most recent sessions newest first; --csv and --json export\n"
        "every session oldest first, the order the log is written in. --order newest or\n"
        "--order oldest sets the order of either. Filters apply to both.\n"
        "--form shows one athlete's fitness, fatigue, form and 7:28 load ratio day by day\n"
        "(the last two weeks; every day with --csv or --json, from --since if given).\n"
        "Exit status 1 if the log is damaged (the readable sessions are still shown)."
    ),
    epilog=(
        "examples: retro-tui history --limit 10 --plan starter\n"
        "          retro-tui history --since 2026-01-31 --order oldest\n"
        "          retro-tui history --csv > sessions.csv\n"
        "          retro-tui history --form --athlete Ana --csv > form.csv"
    ),
    arguments=_arguments,
    execute=_execute,
    raw_help=True,
)
