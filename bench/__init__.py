"""retro-tui benchmarks: figures printed next to a reference measured in the same run.

Run them from the repository root with ``python -m bench`` (see ``bench/README.md``).

Each benchmark is a module in this package with a ``NAME``, a one-line
``SUMMARY`` and a ``run(options) -> list[Row]`` function (see
:mod:`bench.common`). To add one, write the module and add its name to
:data:`BENCHMARKS`; nothing else needs to change.
"""

from __future__ import annotations

BENCHMARKS: tuple[str, ...] = (
    "startup",
    "loader",
    "engine",
    "workout_cpu",
    "transition_lateness",
    "history_load",
    "history_open",
    "history_long",
    "export",
)
"""Module names under ``bench/``, in the order they run."""
