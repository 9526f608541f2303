"""``retro-tui history --form``: fitness, fatigue, form and the 7:28 load ratio, day by day.

One athlete's figures (see :mod:`retro_tui.coach.fitness`): a table of the last two weeks
(or of every day from ``--since``) with today's form in words, or every day from the first
session (from ``--since``, if given) as CSV or JSON for a spreadsheet. The averages always
run over every session of the athlete, whatever ``--since`` shows: starting them later
would make the first weeks look like a rest.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from retro_tui.coach.fitness import (
    FitnessDay,
    FormHistory,
    LoadSource,
    WorkloadRatio,
    form_history,
    form_word,
    ratio_words,
)
from retro_tui.coach.zones import HeartRateZones
from retro_tui.history.record import SessionRecord

TABLE_DAYS = 14
COLUMNS = (
    "date",
    "load",
    "fitness",
    "fatigue",
    "form",
    "form_word",
    "ratio_rolling",
    "ratio_weighted",
)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def day_rows(history: FormHistory, since: date | None) -> list[dict[str, object]]:
    """One row a day, from the first loaded session (or ``since``) to the last day."""
    rows = []
    pairs = zip(history.days, history.ratios, strict=True)
    for count, (day, ratio) in enumerate(pairs, start=1):
        if since is not None and day.day < since:
            continue
        rows.append(_row(day, ratio, count))
    return rows


def _row(day: FitnessDay, ratio: WorkloadRatio, history_days: int) -> dict[str, object]:
    return {
        "date": day.day.isoformat(),
        "load": _rounded(day.load),
        "fitness": _rounded(day.fitness),
        "fatigue": _rounded(day.fatigue),
        "form": _rounded(day.form),
        "form_word": str(form_word(day.fitness, day.fatigue, history_days)),
        "ratio_rolling": _rounded(ratio.rolling),
        "ratio_weighted": _rounded(ratio.ewma),
    }


def write_form_csv(rows: Sequence[dict[str, object]], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})


def write_form_json(rows: Sequence[dict[str, object]], out: TextIO) -> None:
    json.dump(list(rows), out, indent=1)
    out.write("\n")


def _figure(value: object) -> str:
    return "–" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)


def print_form(
    history: FormHistory, whose: str, console: Console, since: date | None = None
) -> None:
    """The last :data:`TABLE_DAYS` days (or every day from ``since``) as a table, and today's
    form and ratio in words."""
    reading = history.today
    if reading is None:
        console.print(Text(f"No {history.source} load{whose} to go by yet."))
        return
    rows = day_rows(history, since)
    if since is None:
        rows = rows[-TABLE_DAYS:]
    table = Table(
        title=Text(f"Fitness, fatigue and form{whose}, load: {history.source}"),
        title_justify="left",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
    )
    for name in ("date", "load", "fitness", "fatigue", "form", "ratio", "weighted"):
        table.add_column(name, justify="left" if name == "date" else "right", no_wrap=True)
    for row in rows:
        table.add_row(
            str(row["date"]),
            f"{row['load']:.0f}" if isinstance(row["load"], float) else "–",
            *(_figure(row[key]) for key in ("fitness", "fatigue", "form")),
            *(_figure(row[key]) for key in ("ratio_rolling", "ratio_weighted")),
        )
    console.print(table)
    ratio = history.ratio.highest if history.ratio is not None else None
    console.print(Text(f"Today: {reading.sentence()}"))
    console.print(Text(reading.advice))
    shown = "–" if ratio is None else f"{ratio:.2f}"
    console.print(Text(f"Load ratio 7:28: {shown}, {ratio_words(ratio)}."))


def write_form(
    sessions: Sequence[SessionRecord],
    *,
    today: date,
    source: LoadSource,
    zones: HeartRateZones | None,
    since: date | None,
    as_csv: bool,
    as_json: bool,
    whose: str,
) -> None:
    """What ``--form`` prints, in the format asked for."""
    history = form_history(sessions, today, source, zones)
    if as_csv or as_json:
        (write_form_csv if as_csv else write_form_json)(day_rows(history, since), sys.stdout)
        return
    console = Console() if sys.stdout.isatty() else Console(width=100)
    print_form(history, whose, console, since)
