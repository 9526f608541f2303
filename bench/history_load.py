"""History: reading a coach-sized log (10,000 sessions) and appending to it, against references.

The log is made once per run by :mod:`bench.history_gen` (seeded, about 20
MB) in a temporary folder, which also holds the cache (the real user cache
is never touched: :func:`retro_tui.history.cache.cache_dir` is pointed into
the folder while the benchmark runs, and the children get the same).

Reading, against ``tomllib.loads`` of the same text (already decoded, so the
reference does less than the figure: no file read, no decoding). Each round
times the reference and the three reads one after the other, so a slow spell
hits them all; the rows report the medians of the rounds:

- **cold**: no cache; :func:`~retro_tui.history.reader.read_history` parses
  every block and writes the cache;
- **warm**: the cache matches the file: a hash of the file, then the cached
  sessions are loaded;
- **warm +1**: one session appended since the cache was written (the log is
  cut back and the cache restored before each round, untimed): the cached
  sessions, plus the last block and the new one parsed, and the cache
  rewritten.

Peak memory: fresh interpreters read the log (cold, then warm) and report
their peak RSS (``VmHWM`` from ``/proc/self/status``; ``ru_maxrss`` where
there is no ``/proc``, though on Linux it can include the parent's size);
the reference is one that runs ``tomllib.loads`` on the log, and the note
gives a bare interpreter that only imports the reader.

Appending: :func:`~retro_tui.history.log.append_session` of the same session
to a 10-session log (reference) and to the 10,000-session log, alternately,
each cut back after (untimed); time and bytes written (``wchar`` from
``/proc/self/io`` where there is one, else the growth of the file).
:func:`~retro_tui.history.log.save_session`, what the app calls, is timed
the same way, after the log has been checked once (as the app does when it
starts), but the logs keep what it adds, as a real log does (a log cut back
is a changed log, checked in full): a save then reads and parses nothing of
a log untouched since the last save, and only its last session and what
follows when another process has appended.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, partial
from pathlib import Path
from unittest import mock

from bench.common import Options, Row, Sample, format_seconds, gc_paused, ratio
from bench.history_gen import generate_sessions, write_log
from bench.startup import sandbox_env
from retro_tui.history import cache as history_cache
from retro_tui.history.log import append_session, check_log, save_session
from retro_tui.history.reader import read_history
from retro_tui.history.record import SessionRecord

NAME = "history_load"
SUMMARY = "read a 10,000-session log cold / warm / +1 vs tomllib.loads; peak memory; appending"

SESSIONS = 10_000
SMALL = 10
SEED = 2026
READ_AIM = 0.5  # at most this share of tomllib's time
MEMORY_AIM_MB = 150.0
TIMEOUT_S = 600.0

# A child process: read the log (or parse it with tomllib, or nothing) and
# report how many sessions it saw and its peak resident memory in KiB.
CHILD = """
import resource, sys
from pathlib import Path
from unittest import mock
mode, log, folder = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
from retro_tui.history import cache
from retro_tui.history.reader import read_history
count = 0
if mode == "read":
    with mock.patch.object(cache, "cache_dir", lambda: folder):
        count = len(read_history(log).sessions)
elif mode == "tomllib":
    import tomllib
    count = len(tomllib.loads(log.read_bytes().decode("utf-8"))["session"])
try:  # VmHWM: the peak of this program's own memory (ru_maxrss may include the parent's)
    status = Path("/proc/self/status").read_text()
    peak = int(status.split("VmHWM:")[1].split()[0])
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = peak // 1024 if sys.platform == "darwin" else peak
print(count, peak)
"""


@cache
def workdir() -> Path:
    """This run's folder (removed when the interpreter exits)."""
    folder = tempfile.TemporaryDirectory(prefix="retro-tui-history-bench-")
    _keep.append(folder)
    return Path(folder.name)


_keep: list[tempfile.TemporaryDirectory[str]] = []


@cache
def generated_log(count: int) -> bytes:
    """The generated log of ``count`` sessions, made once per run."""
    path = write_log(workdir() / "generated" / f"{count}.toml", count, SEED)
    return path.read_bytes()


def fresh_log(name: str, count: int) -> Path:
    path = workdir() / name / "history.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(generated_log(count))
    return path


@contextmanager
def cache_in(folder: Path) -> Iterator[Path]:
    """Keep the reader's cache in ``folder`` instead of the user's cache dir."""
    with mock.patch.object(history_cache, "cache_dir", lambda: folder):
        yield folder


def timed(function: Callable[[], object]) -> float:
    with gc_paused():
        start = time.perf_counter()
        function()
        return time.perf_counter() - start


@cache
def extra_session() -> SessionRecord:
    """One more session, like the next one the app would append."""
    *_, last = generate_sessions(SESSIONS + 1, SEED)
    return last


def read_rows(options: Options) -> list[Row]:
    log = fresh_log("read", SESSIONS)
    data = log.read_bytes()
    text = data.decode("utf-8")
    with cache_in(workdir() / "read-cache"):
        entry = history_cache.cache_file(log)
        first = read_history(log)
        if first.sessions != tuple(generate_sessions(SESSIONS, SEED)) or first.problems:
            raise RuntimeError("read_history does not give back the generated sessions")
        base_cache = entry.read_bytes()

        def cold() -> float:
            entry.unlink(missing_ok=True)
            return timed(lambda: read_history(log))

        def warm() -> float:
            entry.write_bytes(base_cache)
            return timed(lambda: read_history(log))

        def plus_one() -> float:
            entry.write_bytes(base_cache)
            append_session(log, extra_session())
            counts: list[int] = []
            seconds = timed(lambda: counts.append(len(read_history(log).sessions)))
            os.truncate(log, len(data))
            if counts != [SESSIONS + 1]:
                raise RuntimeError(f"the warm +1 read found {counts} sessions")
            return seconds

        reference: list[float] = []
        times: dict[str, list[float]] = {"cold": [], "warm": [], "+1": []}
        for _ in range(options.runs(5, quick=2)):
            reference.append(timed(lambda: tomllib.loads(text)))
            for key, read in (("cold", cold), ("warm", warm), ("+1", plus_one)):
                times[key].append(read())
    tomllib_time = Sample(tuple(reference))
    size = f"{SESSIONS} sessions, {len(data) / 1e6:.1f} MB"
    rows = []
    for label, key, what in (
        ("cold", "cold", "no cache: parse all, write the cache"),
        ("warm", "warm", "cache matches: hash, load"),
        ("warm +1", "+1", "1 appended: load, parse 2 blocks, rewrite the cache"),
    ):
        sample = Sample(tuple(times[key]))
        share = ratio(sample.median, tomllib_time.median)
        verdict = "met" if share is not None and share < READ_AIM else "NOT met"
        rows.append(
            Row(
                f"{NAME}: read, {label}",
                format_seconds(sample.median),
                f"{format_seconds(tomllib_time.median)} tomllib",
                share,
                f"{what}; {size}; aim <{READ_AIM}× {verdict}; {sample.describe()}",
            )
        )
    return rows


def child_peak(mode: str, log: Path, folder: Path) -> tuple[int, float]:
    """Run the child in ``mode``; sessions it saw and its peak RSS in MB."""
    home = workdir() / "home"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(log), str(folder)],
        env=sandbox_env(home),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"memory child ({mode}) failed: {done.stderr.strip()[-300:]}")
    count, peak_kib = done.stdout.split()
    return int(count), int(peak_kib) / 1024


def memory_rows() -> list[Row]:
    log = fresh_log("memory", SESSIONS)
    folder = workdir() / "memory-cache"
    bare = child_peak("bare", log, folder)[1]
    parsed = child_peak("tomllib", log, folder)[1]
    rows = []
    for label in ("cold", "warm"):
        count, peak = child_peak("read", log, folder)  # the cold one leaves the cache behind
        if count != SESSIONS:
            raise RuntimeError(f"the memory child read {count} sessions, not {SESSIONS}")
        verdict = "met" if peak < MEMORY_AIM_MB else "NOT met"
        rows.append(
            Row(
                f"{NAME}: peak RSS, {label} read",
                f"{peak:.0f} MB",
                f"{parsed:.0f} MB tomllib",
                ratio(peak, parsed),
                f"{SESSIONS} sessions loaded; bare interpreter + reader import {bare:.0f} MB; "
                f"aim <{MEMORY_AIM_MB:.0f} MB {verdict}",
            )
        )
    return rows


def written_bytes() -> int | None:
    """Bytes this process has passed to write() so far (Linux), or ``None``."""
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("wchar:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def append_rows(options: Options) -> list[Row]:
    small, big = fresh_log("append-small", SMALL), fresh_log("append-big", SESSIONS)
    sizes = {small: small.stat().st_size, big: big.stat().st_size}
    rows = []
    for label, function, runs in (
        ("append_session", append_session, options.runs(15, quick=5)),
        ("save_session", save_session, options.runs(15, quick=5)),
    ):
        for path in (small, big):
            check_log(path)  # what the app does at start: remembers the log is good
        times: dict[Path, list[float]] = {small: [], big: []}
        wrote: dict[Path, list[int]] = {small: [], big: []}
        for _ in range(runs):
            for path in (small, big):
                before = written_bytes()
                times[path].append(timed(partial(function, path, extra_session())))
                after = written_bytes()
                grown = path.stat().st_size - sizes[path]
                wrote[path].append(grown if before is None or after is None else after - before)
                if label == "append_session":
                    os.truncate(path, sizes[path])
                else:
                    # A log only grows: cut back, it would be a changed log to check in full.
                    sizes[path] = path.stat().st_size
        mine, reference = Sample(tuple(times[big])), Sample(tuple(times[small]))
        what = "aim ×1" if label == "append_session" else "what the app calls: checks what is new"
        rows.append(
            Row(
                f"{NAME}: {label}, time",
                format_seconds(mine.median),
                f"{format_seconds(reference.median)} {SMALL} sessions",
                ratio(mine.median, reference.median),
                f"to a {SESSIONS}-session log; {what}; {mine.describe()}",
            )
        )
        if label == "append_session":
            big_bytes, small_bytes = max(wrote[big]), max(wrote[small])
            source = "wchar" if written_bytes() is not None else "file growth"
            rows.append(
                Row(
                    f"{NAME}: {label}, bytes written",
                    f"{big_bytes} B",
                    f"{small_bytes} B {SMALL} sessions",
                    ratio(big_bytes, small_bytes),
                    f"to a {SESSIONS}-session log; aim ×1; {source}",
                )
            )
    return rows


def run(options: Options) -> list[Row]:
    return [*read_rows(options), *memory_rows(), *append_rows(options)]
