"""Opening the history with a 10,000-session log, as a coach would: the screen and the export.

Each figure runs in a fresh process on the same generated log, against a
fresh process doing a plain ``tomllib.load`` of that file in the same run:

- ``screen``: from pressing ``h`` in the plan library to the history table
  filled (headless, 100x30), with the reader's cache warm as it is from the
  second start on; the trends screen (the charts) opened from there; and its Form
  tab (fitness, fatigue, form and the 7:28 load ratio, both loads) drawn.
- ``export``: ``retro-tui history --json > /dev/null`` with a warm cache.

The aim: each under half of the ``tomllib.load`` reference.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Options, Row, Sample, format_seconds, ratio
from bench.history_gen import write_log
from bench.startup import sandbox_env

NAME = "history_open"
SUMMARY = "history screen and `history --json` on a 10,000-session log vs tomllib.load"

SESSIONS = 10_000
AIM = 0.5
TIMEOUT_S = 300.0

SCREEN_CHILD = """
import asyncio, sys, time
from retro_tui.tui.app import make_app
from textual.widgets import DataTable

async def main() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press("h")
        while True:
            await pilot.pause(0.005)
            screen = app.screen
            if type(screen).__name__ == "HistoryScreen":
                if screen.query_one("#sessions", DataTable).row_count:
                    break
        await pilot.pause()
        table = time.perf_counter() - start
        start = time.perf_counter()
        await pilot.press("t")
        await pilot.pause()
        trends = time.perf_counter() - start
        start = time.perf_counter()
        await pilot.press("4")
        await pilot.pause()
        if not app.screen.query("#form-today"):
            raise SystemExit("the Form tab did not show")
        form = time.perf_counter() - start
        print(table, trends, form)

asyncio.run(main())
"""

TOMLLIB_CHILD = """
import sys, time, tomllib
start = time.perf_counter()
with open(sys.argv[1], "rb") as handle:
    tomllib.load(handle)
print(time.perf_counter() - start)
"""


def _child(code: str, env: dict[str, str], *args: str) -> list[float]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=True,
    )
    return [float(value) for value in done.stdout.split()]


def _export(env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "retro_tui", "history", "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=TIMEOUT_S,
        check=True,
    )
    return time.perf_counter() - start


def run(options: Options) -> list[Row]:
    runs = options.runs(3, quick=1)
    with tempfile.TemporaryDirectory(prefix="retro-tui-history-open-") as folder:
        home = Path(folder)
        env = sandbox_env(home)
        log = write_log(Path(env["RETRO_TUI_HISTORY"]), SESSIONS)
        size = f"{SESSIONS} sessions, {log.stat().st_size / 1e6:.1f} MB"
        _export(env)  # builds the reader's cache, as the first start does
        tables, charts, forms, exports, references = [], [], [], [], []
        for _ in range(runs):
            table, trends, form = _child(SCREEN_CHILD, env)
            tables.append(table)
            charts.append(trends)
            forms.append(trends + form)
            exports.append(_export(env))
            references += _child(TOMLLIB_CHILD, env, str(log))
    reference = Sample(tuple(references))
    rows = []
    for label, times, note in (
        ("screen: table filled", tables, "press h -> table; warm cache"),
        ("screen: trends shown", charts, "press t -> charts, records, form computed"),
        ("screen: form tab shown", forms, "press t, then 4 -> fitness and ratio charts"),
        ("history --json", exports, "whole process, > /dev/null; warm cache"),
    ):
        sample = Sample(tuple(times))
        value = ratio(sample.median, reference.median)
        verdict = "" if value is None else ("aim <0.5× met" if value < AIM else "over the 0.5× aim")
        rows.append(
            Row(
                f"{NAME}: {label}",
                format_seconds(sample.median),
                f"{format_seconds(reference.median)} tomllib.load",
                value,
                f"{note}; {size}; {verdict}; {sample.describe()}",
            )
        )
    return rows
