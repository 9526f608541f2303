"""``retro-tui history``: recent sessions as a table, or every session as CSV or JSON.

Reads the log without ever writing to it. A damaged log still shows every
session that can be read; the problems go to stderr, and the exit status is 1
so scripts notice.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from retro_tui.history.export import sessions_to_csv, sessions_to_json
from retro_tui.history.reader import read_history
from retro_tui.history.record import SessionRecord
from retro_tui.history.stats import (
    filter_sessions,
    has_several_athletes,
    session_summary,
    table_cells,
    table_columns,
)

DEFAULT_LIMIT = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"how many recent sessions the table shows (default {DEFAULT_LIMIT}; 0 for all)",
    )
    parser.add_argument(
        "--since", type=date.fromisoformat, metavar="DATE", help="only sessions on or after DATE"
    )
    parser.add_argument("--plan", metavar="NAME", help="only sessions of plans whose name has NAME")
    parser.add_argument("--athlete", metavar="NAME", help="only sessions of this athlete")
    formats = parser.add_mutually_exclusive_group()
    formats.add_argument("--csv", action="store_true", help="every session and step as CSV")
    formats.add_argument("--json", action="store_true", help="every session and step as JSON")


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
        result = read_history(history)
    except OSError as error:
        print(f"retro-tui: cannot read {history}: {error.strerror or error}", file=sys.stderr)
        return 1
    sessions = filter_sessions(
        result.sessions, plan=options.plan, since=options.since, athlete=options.athlete
    )
    if options.csv:
        sys.stdout.write(sessions_to_csv(sessions))
    elif options.json:
        sys.stdout.write(sessions_to_json(sessions))
    else:
        newest_first = list(reversed(sessions))
        shown = newest_first[: options.limit] if options.limit > 0 else newest_first
        # Piped into a file or a pager, a full-width table beats one squeezed to 80.
        console = Console() if sys.stdout.isatty() else Console(width=120)
        if not shown:
            console.print(Text(f"No sessions in {history} yet."))
        else:
            athlete = (options.athlete or "").strip()
            whose = f" of {athlete}" if athlete else ""
            title = f"{len(shown)} of {len(sessions)} sessions{whose}, newest first ({history})"
            console.print(session_table(shown, title, console.width))
            console.print(
                Text("int: backward intervals done/planned · avg: average interval RPE · "
                     "load: session RPE x minutes\npain: 0-10 (0: none) and where · –: not asked",
                     style="dim")
            )  # fmt: skip
    for problem in result.problems:
        print(f"retro-tui: {problem}", file=sys.stderr)
    for rescue in result.rescues:
        message = f"retro-tui: sessions saved while the log was damaged read from {rescue}"
        print(message, file=sys.stderr)
    if result.problems:
        first = result.problems[0]
        print(
            f"retro-tui: {first.path} is damaged from line {first.first_line}; "
            "the sessions above are the ones that could be read",
            file=sys.stderr,
        )
        return 1
    return 0
