"""``python -m bench``: run the benchmarks and print one table of figures and references.

Options: ``--quick`` for fewer repetitions, ``--only NAME`` (repeatable) to run
only some benchmarks, ``--list`` to list them. A benchmark that fails is
reported as a row with its error; the others still run, and the exit status
is 1.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from types import ModuleType
from typing import cast

from bench import BENCHMARKS
from bench.common import Options, Row, format_seconds, render_table

Runner = Callable[[Options], list[Row]]


def load(name: str) -> ModuleType:
    return importlib.import_module(f"bench.{name}")


def runner(module: ModuleType) -> Runner:
    return cast(Runner, module.run)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "retro-tui benchmarks. Every figure is printed next to a reference measured in "
            "the same run; ratio = figure / reference. See bench/README.md."
        ),
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (noisier)")
    parser.add_argument(
        "--only",
        action="append",
        choices=BENCHMARKS,
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    return parser.parse_args(argv)


def version_of(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.list:
        width = max(map(len, BENCHMARKS))
        for name in BENCHMARKS:
            print(f"{name:{width}} {load(name).SUMMARY}")
        return 0
    options = Options(quick=args.quick)
    names = [name for name in BENCHMARKS if not args.only or name in args.only]
    print(
        f"retro-tui {version_of('retro-tui')}, textual {version_of('textual')}, "
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{'quick' if options.quick else 'full'} run"
    )
    rows: list[Row] = []
    failed = False
    began = time.perf_counter()
    for name in names:
        print(f"  running {name} ...", file=sys.stderr, flush=True)
        try:
            rows.extend(runner(load(name))(options))
        except Exception as error:  # report it in the table and run the rest
            failed = True
            rows.append(Row(name, "FAILED", note=f"{type(error).__name__}: {error}"))
    print()
    print(render_table(rows))
    print()
    print(
        "ratio = figure / reference, both medians of runs taken alternately in this process; "
        "±: median deviation of the figure's runs."
    )
    print(f"total {format_seconds(time.perf_counter() - began)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
