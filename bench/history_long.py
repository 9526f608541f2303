"""History: a log that grew for years (100,000 sessions, about 200 MB), against plain tomllib.

Every figure is a whole ``retro-tui history`` process run on the installed
code, next to a fresh interpreter that only runs ``tomllib.load`` on the same
file (no cache: the reference has none). The log is generated once
(:mod:`bench.history_gen`, seeded) in a temporary folder that also holds the
index, so the user's own files are never touched; the first ``history`` run
builds the index (the **cold** rows), the later ones find it current (**warm**).

- ``history``: the default table of the 20 most recent sessions, warm; aim
  under 0.5 s. The index answers the filters and the order, and only the 20
  sessions shown are decoded.
- ``history --json`` and ``--csv``: the whole log exported, warm, to
  ``/dev/null``; aim for ``--json`` under 0.25x tomllib. Sessions are decoded
  and written one at a time.
- Peak memory (``ru_maxrss`` of the child, read by a small parent that runs
  only it) of each, against the tomllib child's; aim under 400 MB.

With ``--quick`` the log has 20,000 sessions and each figure is one run.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Options, Row, Sample, format_seconds, ratio
from bench.history_gen import generate_sessions
from bench.startup import sandbox_env
from retro_tui.history.record import render_session

NAME = "history_long"
SUMMARY = "history table, --json and --csv of a 100,000-session log, vs tomllib.load"
SESSIONS, QUICK_SESSIONS = 100_000, 20_000
TIMEOUT_S = 900.0
AIM_TABLE_S = 0.5
AIM_JSON = 0.25
AIM_PEAK_MB = 400.0

MEASURED = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""
"""Runs one command and prints its wall time and its peak resident memory (MB)."""

TOMLLIB = "import sys, tomllib\nwith open(sys.argv[1], 'rb') as f:\n    tomllib.load(f)\n"


def write_log(path: Path, count: int) -> Path:
    """The generated log, written a session at a time (a 200 MB string is not needed)."""
    with path.open("w", encoding="utf-8") as file:
        for number, session in enumerate(generate_sessions(count, 3)):
            file.write(("\n" if number else "") + render_session(session))
    return path


def measured(env: dict[str, str], *command: str) -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=True,
    )
    seconds, megabytes = done.stdout.split()
    return float(seconds), float(megabytes)


def run(options: Options) -> list[Row]:
    count = QUICK_SESSIONS if options.quick else SESSIONS
    runs = options.runs(3, quick=1)
    with tempfile.TemporaryDirectory(prefix="retro-tui-history-long-") as folder:
        home = Path(folder)
        env = sandbox_env(home)
        started = time.perf_counter()
        log = write_log(Path(env["RETRO_TUI_HISTORY"]), count)
        made_s = time.perf_counter() - started
        size = f"{count:,} sessions, {log.stat().st_size / 1e6:.0f} MB"
        history = [sys.executable, "-m", "retro_tui", "history"]
        reference_command = [sys.executable, "-c", TOMLLIB, str(log)]
        cold = measured(env, *history)  # builds the index, as the first run does
        references = [measured(env, *reference_command) for _ in range(runs)]
        tables = [measured(env, *history) for _ in range(runs)]
        jsons = [measured(env, *history, "--json") for _ in range(runs)]
        csvs = [measured(env, *history, "--csv") for _ in range(runs)]
    reference = Sample(tuple(seconds for seconds, _ in references))
    reference_mb = max(megabytes for _, megabytes in references)
    reference_text = f"{format_seconds(reference.median)} tomllib.load"
    rows = [
        Row(
            f"{NAME}: history, cold (builds the index)",
            format_seconds(cold[0]),
            reference_text,
            ratio(cold[0], reference.median),
            f"{size} (generated in {made_s:.0f} s); peak {cold[1]:.0f} MB",
        )
    ]
    for label, samples, aim in (
        ("history (20 rows), warm", tables, f"aim <{AIM_TABLE_S:g} s"),
        ("history --json, warm", jsons, f"aim <{AIM_JSON:g}× tomllib"),
        ("history --csv, warm", csvs, "streamed like --json"),
    ):
        sample = Sample(tuple(seconds for seconds, _ in samples))
        share = ratio(sample.median, reference.median)
        if label.startswith("history (20"):
            met = sample.median < AIM_TABLE_S
        elif "--json" in label:
            met = share is not None and share < AIM_JSON
        else:
            met = True
        verdict = aim + (" met" if met else " NOT met") if "aim" in aim else aim
        rows.append(
            Row(
                f"{NAME}: {label}",
                format_seconds(sample.median),
                reference_text,
                share,
                f"whole process; {size}; {verdict}; {sample.describe()}",
            )
        )
        peak = max(megabytes for _, megabytes in samples)
        rows.append(
            Row(
                f"{NAME}: {label}, peak RSS",
                f"{peak:.0f} MB",
                f"{reference_mb:.0f} MB tomllib.load",
                ratio(peak, reference_mb),
                f"aim <{AIM_PEAK_MB:g} MB {'met' if peak < AIM_PEAK_MB else 'NOT met'}",
            )
        )
    return rows
