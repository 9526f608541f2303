"""Startup: from launching ``retro-tui`` to its first painted frame, against a bare Textual app.

Every run is a fresh interpreter (``bench/frame_driver.py``), so imports,
reading the stylesheet and loading the bundled plans are all counted. The
reference is a Textual app with one ``Digits`` widget, launched the same way
in the same run; the two alternate run by run. The process wall time is also
compared with ``python -c pass``, the floor any Python program pays.

The children run with ``HOME``, the XDG folders and the ``RETRO_TUI_*``
variables pointed into a temporary folder, so the benchmark never reads or
writes the user's plans, history or settings. Their bytecode cache
(``PYTHONPYCACHEPREFIX``) is in that folder too, and ``PYTHONDONTWRITEBYTECODE``
is dropped, so after the unrecorded warm-up round nothing is compiled again,
for either app, as with an installed program.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import Options, Row, Sample, format_ratio, format_seconds, ratio

NAME = "startup"
SUMMARY = "launch to first headless frame, retro-tui vs a one-Digits Textual app"

DRIVER = Path(__file__).with_name("frame_driver.py")
REPO_ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Launch:
    """Clock readings (``time.monotonic``, seconds) of one child process."""

    launched: float
    script_start: float
    frame: float | None
    ended: float

    @property
    def to_frame(self) -> float:
        """Launch to first frame, interpreter start-up included."""
        if self.frame is None:
            raise RuntimeError("the app never painted a frame")
        return self.frame - self.launched

    @property
    def script_to_frame(self) -> float:
        """First line of the driver to first frame: imports, building the app, painting."""
        if self.frame is None:
            raise RuntimeError("the app never painted a frame")
        return self.frame - self.script_start

    @property
    def wall(self) -> float:
        """Launch to process exit."""
        return self.ended - self.launched


def sandbox_env(home: Path) -> dict[str, str]:
    """The environment of a child: the user's, with every data location under ``home``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TEXTUAL") and key != "PYTHONDONTWRITEBYTECODE"
    }
    # Bytecode is cached in the sandbox (written by the warm-up round, read by the timed
    # ones), as an installed program has it, without writing __pycache__ into the checkout.
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    for name in ("data", "config", "cache", "state"):
        (home / name).mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        RETRO_TUI_HISTORY=str(home / "history.toml"),
        RETRO_TUI_CONFIG=str(home / "config.toml"),
        RETRO_TUI_PLANS=str(home / "plans"),
    )
    # Import this checkout even where it is not installed (an editable install is the same).
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def launch(args: list[str], env: dict[str, str], cwd: Path) -> Launch:
    """Run ``python ARGS`` once; the clock readings it reported (or just launch and exit)."""
    launched = time.monotonic()
    done = subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    ended = time.monotonic()
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"python {' '.join(args)} exited with {done.returncode}: {tail}")
    record: dict[str, float | None] = {}
    for line in done.stdout.splitlines():
        if line.startswith("FRAME "):
            record = json.loads(line.removeprefix("FRAME "))
    script_start = record.get("script_start") or launched
    if not launched <= script_start <= ended:
        raise RuntimeError("the child's clock does not match ours; cannot time the launch")
    return Launch(launched, script_start, record.get("frame"), ended)


def run(options: Options) -> list[Row]:
    runs = options.runs(9, quick=3)
    ours: list[Launch] = []
    digits: list[Launch] = []
    bare: list[Launch] = []
    with tempfile.TemporaryDirectory(prefix="retro-tui-bench-") as folder:
        home = Path(folder)
        env = sandbox_env(home)
        plan = [
            (ours, [str(DRIVER), "retro"]),
            (digits, [str(DRIVER), "digits"]),
            (bare, ["-c", "pass"]),
        ]
        # One unrecorded round first: bytecode caches written, files in the page cache.
        for _, args in plan:
            launch(args, env, home)
        for _ in range(runs):
            for results, args in plan:
                results.append(launch(args, env, home))

    def sample(launches: list[Launch], figure: str) -> Sample:
        return Sample(tuple(getattr(item, figure) for item in launches))

    rows = []
    for figure, label, note in (
        ("to_frame", "startup: first frame", "launch → first frame, headless 100×30"),
        ("script_to_frame", "startup: imports+paint", "script start → first frame"),
    ):
        mine, theirs = sample(ours, figure), sample(digits, figure)
        rows.append(
            Row(
                label,
                format_seconds(mine.median),
                f"{format_seconds(theirs.median)} Digits app",
                ratio(mine.median, theirs.median),
                f"{note}; {mine.describe()}",
            )
        )
    mine, theirs, floor = sample(ours, "wall"), sample(digits, "wall"), sample(bare, "wall")
    rows.append(
        Row(
            "startup: process wall",
            format_seconds(mine.median),
            f"{format_seconds(floor.median)} python -c pass",
            ratio(mine.median, floor.median),
            f"launch → exit; Digits app {format_seconds(theirs.median)} "
            f"({format_ratio(ratio(theirs.median, floor.median))}); {mine.describe()}",
        )
    )
    return rows
