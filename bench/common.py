"""Shared timing and reporting for the benchmarks: medians, interleaved pairs, the table.

These machines are noisy, so every figure is measured next to a reference in
the same run, the two interleaved run by run (figure, reference, figure, ...)
so that a slow spell hits both, and the median of the runs is reported with
its ratio. Absolute numbers are printed too, but the ratio is the figure to
compare between runs and machines.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

COLUMNS = ("benchmark", "figure", "reference", "ratio", "note")


@dataclass(frozen=True)
class Options:
    """What the command line asked for, passed to every benchmark's ``run``."""

    quick: bool = False

    def runs(self, full: int, quick: int = 3) -> int:
        """How many timed runs to make: ``full`` normally, ``quick`` with ``--quick``."""
        return quick if self.quick else full

    @property
    def min_run_s(self) -> float:
        """The shortest a timed run may be; fast calls are looped until a run lasts this long."""
        return 0.01 if self.quick else 0.05


@dataclass(frozen=True)
class Row:
    """One line of the report: a figure, its reference and the ratio between them."""

    benchmark: str
    figure: str
    reference: str = "-"
    ratio: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Sample:
    """The times of the runs of one measurement, in seconds (per call when looped)."""

    times: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def spread(self) -> float:
        """The median absolute deviation as a fraction of the median: a noise indicator."""
        middle = self.median
        if middle <= 0 or len(self.times) < 2:
            return 0.0
        return statistics.median(abs(value - middle) for value in self.times) / middle

    def describe(self) -> str:
        """``n=9 ±2%``: how many runs, and how much they scattered around the median."""
        return f"n={len(self.times)} ±{self.spread:.0%}"


def ratio(figure: float, reference: float) -> float | None:
    """``figure / reference``, or ``None`` when the reference is zero or negative."""
    return figure / reference if reference > 0 else None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out of a timed region (as :mod:`timeit` does)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def time_loops(function: Callable[[], object], number: int) -> float:
    """Seconds per call of ``function``, called ``number`` times in a row."""
    with gc_paused():
        start = time.perf_counter()
        for _ in range(number):
            function()
        elapsed = time.perf_counter() - start
    return elapsed / number


def loops_for(function: Callable[[], object], min_run_s: float) -> int:
    """How many calls make a run of at least ``min_run_s`` (1, 2, 5, 10, 20, ...)."""
    number = 1
    while True:
        for factor in (1, 2, 5):
            loops = number * factor
            if time_loops(function, loops) * loops >= min_run_s:
                return loops
        number *= 10


def measure_pair(
    figure: Callable[[], object],
    reference: Callable[[], object],
    runs: int,
    min_run_s: float = 0.05,
) -> tuple[Sample, Sample]:
    """Time ``figure`` and ``reference`` in alternating runs; seconds per call of each.

    Each side is looped so one run lasts at least ``min_run_s`` (the loop count
    is found first, which also warms both up), then the runs alternate so a
    slow spell of the machine affects both sides alike.
    """
    figure_loops = loops_for(figure, min_run_s)
    reference_loops = loops_for(reference, min_run_s)
    figure_times: list[float] = []
    reference_times: list[float] = []
    for _ in range(runs):
        figure_times.append(time_loops(figure, figure_loops))
        reference_times.append(time_loops(reference, reference_loops))
    return Sample(tuple(figure_times)), Sample(tuple(reference_times))


def format_seconds(seconds: float) -> str:
    """A duration with a unit that keeps three or four significant digits: ``12.3 ms``."""
    size = abs(seconds)
    if size >= 1.0:
        return f"{seconds:.3g} s" if size < 100 else f"{seconds:.0f} s"
    for unit, scale in (("ms", 1e3), ("µs", 1e6), ("ns", 1e9)):
        value = seconds * scale
        if abs(value) >= 1.0 or unit == "ns":
            return f"{value:.1f} {unit}" if abs(value) < 100 else f"{value:.0f} {unit}"
    return f"{seconds:g} s"  # pragma: no cover - the loop always returns


def format_ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}×"


def render_table(rows: Sequence[Row]) -> str:
    """The rows as a plain-text table with aligned columns (safe to paste anywhere)."""
    cells = [
        (row.benchmark, row.figure, row.reference, format_ratio(row.ratio), row.note)
        for row in rows
    ]
    widths = [
        max(len(COLUMNS[column]), *(len(line[column]) for line in cells))
        for column in range(len(COLUMNS))
    ]
    right = {1, 2, 3}  # numbers line up on the right

    def line(values: Sequence[str]) -> str:
        parts = [
            value.rjust(width) if column in right else value.ljust(width)
            for column, (value, width) in enumerate(zip(values, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out = [line(COLUMNS), "  ".join("-" * width for width in widths)]
    out.extend(line(values) for values in cells)
    return "\n".join(out)
