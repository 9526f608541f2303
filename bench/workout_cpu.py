"""Workout CPU: what the running workout screen costs while it counts down, against a bare app.

A workout runs for tens of minutes on a laptop on battery, so the screen
should sleep between redraws. Two fresh interpreters run headless at 100×30
(``bench/live_driver.py cpu``), each measuring its own CPU time
(``time.process_time``, every thread) over 20 s of real time (10 s with
``--quick``), starting 2 s after the measured screen's first frame so
start-up is left out:

- retro-tui, started straight on a plan (safety check off in the sandbox's
  config): a forward lead-in long enough that the window holds one step
  change, then 30 s backward / 30 s forward for 20 minutes. So the window
  has the usual once-a-second redraws, a cue rotation or two, and one step
  change with its 3-2-1, flash, bell and journal write: a little busier than
  an average stretch of a real workout.
- the reference: a Textual app with one ``Digits``, updated from
  ``time.monotonic`` by ``set_interval(1.0)``, the least a countdown can do
  in Textual.

The two children run side by side when there are two or more CPUs (each uses
a few per cent of one at most, so they do not compete, and a slow spell of
the machine hits both), one after the other otherwise. Every frame either app
paints is rendered to terminal text in the child, as a real terminal run
would (headless Textual skips that), without being written anywhere.

Rows: CPU as a percentage of one core; event-loop wake-ups per second; and
CPU time per painted frame, which tells "wakes up too often" apart from
"does too much each time". There is one run of each (the window is long);
compare the reference between runs to judge the noise.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import Options, Row, format_seconds, ratio
from bench.live import Child, Sandbox, intervals_plan

NAME = "workout_cpu"
SUMMARY = "CPU of the running workout screen over 20 s, vs a one-Digits app ticking each second"

WARMUP_S = 2.0
"""Measuring starts this long after the measured screen's first frame."""
AIM_PERCENT = 1.0
AIM_RATIO = 2.0


@dataclass(frozen=True)
class Usage:
    """What one child measured over its window."""

    wall_s: float
    cpu_s: float
    frames: int
    wakeups: int | None
    ticks: int

    @classmethod
    def of(cls, record: dict[str, Any]) -> Usage:
        return cls(
            wall_s=float(record["wall_s"]),
            cpu_s=float(record["cpu_s"]),
            frames=int(record["frames"]),
            wakeups=record["wakeups"],
            ticks=int(record["ticks"]),
        )

    @property
    def percent(self) -> float:
        """CPU time over the window as a percentage of one core."""
        return 100 * self.cpu_s / self.wall_s

    def per_second(self, count: int) -> float:
        return count / self.wall_s

    @property
    def per_frame(self) -> float | None:
        return self.cpu_s / self.frames if self.frames else None


def plan_text(window_s: float) -> str:
    """The CPU plan: a lead-in, then 30 s backward / 30 s forward for 20 minutes.

    The lead-in ends 70 % into the window, so one step change (and, in a full
    run, the "get ready" highlight 10 s before it) falls inside the window.
    """
    lead_in = round(WARMUP_S + 0.7 * window_s)
    return intervals_plan("Benchmark: CPU", 30, rounds=20, lead_in_s=lead_in)


def run(options: Options) -> list[Row]:
    window = 10.0 if options.quick else 20.0
    timing = ["--warmup", str(WARMUP_S), "--window", str(window)]
    timeout = WARMUP_S + window + 90
    with tempfile.TemporaryDirectory(prefix="retro-tui-bench-") as folder:
        sandbox = Sandbox.create(Path(folder))
        plan = sandbox.plan("cpu", plan_text(window))
        ours_args = ["cpu", "retro", "--plan", str(plan), *timing]
        digits_args = ["cpu", "digits", *timing]
        if (os.cpu_count() or 1) >= 2:
            with (
                Child(sandbox, ours_args, timeout) as ours_child,
                Child(sandbox, digits_args, timeout) as digits_child,
            ):
                ours, digits = Usage.of(ours_child.record()), Usage.of(digits_child.record())
        else:
            with Child(sandbox, ours_args, timeout) as ours_child:
                ours = Usage.of(ours_child.record())
            with Child(sandbox, digits_args, timeout) as digits_child:
                digits = Usage.of(digits_child.record())

    aims = []
    if ours.percent >= AIM_PERCENT:
        aims.append(f"over the {AIM_PERCENT:g} % aim")
    share = ratio(ours.percent, digits.percent)
    if share is not None and share > AIM_RATIO:
        aims.append(f"over the {AIM_RATIO:g}× aim")
    verdict = "; ".join(aims) or f"within the aims (<{AIM_PERCENT:g} %, ≤{AIM_RATIO:g}×)"
    rows = [
        Row(
            f"{NAME}: CPU use",
            f"{ours.percent:.2f} %",
            f"{digits.percent:.2f} % Digits app",
            share,
            f"of one core over {ours.wall_s:.0f} s ({format_seconds(ours.cpu_s)} CPU); {verdict}",
        )
    ]
    if ours.wakeups is not None and digits.wakeups is not None:
        rows.append(
            Row(
                f"{NAME}: loop wake-ups",
                f"{ours.per_second(ours.wakeups):.1f}/s",
                f"{digits.per_second(digits.wakeups):.1f}/s Digits app",
                ratio(ours.wakeups / ours.wall_s, digits.wakeups / digits.wall_s),
                f"event-loop iterations; frames {ours.per_second(ours.frames):.2f}/s vs "
                f"{digits.per_second(digits.frames):.2f}/s; "
                f"screen ticks {ours.per_second(ours.ticks):.2f}/s",
            )
        )
    mine, theirs = ours.per_frame, digits.per_frame
    if mine is not None and theirs is not None:
        rows.append(
            Row(
                f"{NAME}: CPU per frame",
                format_seconds(mine),
                f"{format_seconds(theirs)} Digits app",
                ratio(mine, theirs),
                f"window CPU / frames painted ({ours.frames} vs {digits.frames}), "
                "everything in between included",
            )
        )
    return rows
