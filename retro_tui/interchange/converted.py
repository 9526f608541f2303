"""Zwift workouts in a plans folder, listed and run as plans, converted as they are read.

A coach may drop a ``.zwo`` file into the plans folder rather than import it:
the library lists it beside the TOML plans (marked as converted), with the
same checks and safety warnings, and runs it as the plan :func:`converted_text`
makes of it. Nothing is written to list or run one. Editing one means editing
its TOML plan, made once beside it by :func:`converted_copy` and never replaced.

Speeds that a ``.zwo`` gives as shares of a race pace need the athlete's 5 km
race time (``[athlete] time_5k``); without it, the entry says so instead of
guessing.

The file's bytes are read here too, for ``retro-tui import`` as well: a
workout file is small and regular, never a folder, a FIFO or a megabyte.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from retro_tui.coach.paces import RacePaces
from retro_tui.interchange.icu_text import read_icu_text
from retro_tui.interchange.imported import ImportedWorkout, PaceNeeded, plan_toml
from retro_tui.interchange.zwo import SOURCE_FORMAT as ZWO_FORMAT
from retro_tui.interchange.zwo import read_zwo
from retro_tui.plan.catalog import PlanEntry
from retro_tui.plan.errors import PlanError
from retro_tui.plan.folders import ZWO_SUFFIX
from retro_tui.plan.lint import lint_plan
from retro_tui.plan.loader import parse_plan_text
from retro_tui.plan.model import Units
from retro_tui.plan.skeleton import PLAN_SUFFIX, UserCopy, create_plan_file
from retro_tui.tomltext import MAX_FILE_BYTES, FileProblem, FileProblemError, file_error

Reader = Callable[..., ImportedWorkout]


def read_workout_bytes(path: Path) -> bytes:
    """The bytes of the workout file at ``path``, refusing what is not a small regular file."""
    label = str(path)
    try:
        if path.is_dir():
            raise file_error(label, "is a folder, not a workout file")
        if not path.exists():
            raise file_error(label, "no such file")
        # Opened without blocking and checked before reading: a FIFO would wait forever.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise file_error(label, "is not a regular file, so not a workout file")
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise file_error(label, f"cannot be read: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        raise file_error(label, "is larger than 1 MiB, far too big to be a workout file")
    return data


def reader_for(source: Path) -> Reader:
    """Zwift for ``.zwo``; intervals.icu's text for ``.txt``, ``.icu`` and anything else."""
    return read_zwo if source.suffix.lower() == ZWO_SUFFIX else read_icu_text


def converted_text(path: Path, *, units: Units, paces: RacePaces | None) -> str:
    """The plan TOML that the workout file at ``path`` becomes, with its comments.

    Raises :class:`FileProblemError` for a file that can't be read or is not a
    workout, and :class:`PaceNeeded` when its speeds need a race time not given.
    """
    workout = reader_for(path)(read_workout_bytes(path), str(path), units=units, paces=paces)
    if not workout.name:
        workout = replace(workout, name=path.stem.replace("-", " ").replace("_", " ").strip())
    return plan_toml(workout, source_name=path.name)


def converted_entry(path: Path, *, units: Units, paces: RacePaces | None) -> PlanEntry:
    """``path`` (a ``.zwo``) as a library entry: its plan and warnings, or what stops it."""
    try:
        text = converted_text(path, units=units, paces=paces)
        plan = parse_plan_text(text, str(path), source=path)
    except PaceNeeded as needed:
        message = (
            f"{needed.what} needs your 5 km race time: set it in the settings (s, "
            '"5 km race time") or run retro-tui import with --pace'
        )
        problem = PlanError([FileProblem(str(path), needed.line, "", message)])
        return PlanEntry(path, None, problem, converted_from=ZWO_FORMAT)
    except FileProblemError as error:
        return PlanEntry(path, None, PlanError(list(error.issues)), converted_from=ZWO_FORMAT)
    warnings = tuple(_at_source_lines(lint_plan(plan), text))
    return PlanEntry(path, plan, None, warnings=warnings, converted_from=ZWO_FORMAT)


_FROM_LINE = re.compile(r"\s*# from line (\d+)")
_STEP_HEADER = re.compile(r"\s*\[\[step")


def _at_source_lines(warnings: Iterable[FileProblem], text: str) -> Iterator[FileProblem]:
    """The converted plan's warnings, each at the line of the workout file its step came
    from: the plan's own lines are in a file nobody has, and its key paths with them.

    The plan's text says where each step came from, in the comment above its table."""
    source_of: list[tuple[int, int]] = []  # (the plan's line of a step table, the file's line)
    came_from: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _FROM_LINE.match(line):
            came_from = int(match[1])
        elif _STEP_HEADER.match(line) and came_from is not None:
            source_of.append((number, came_from))
    for warning in warnings:
        at = warning.line or 0
        found = [source for table, source in source_of if table <= at]
        yield replace(warning, line=found[-1] if found else None, key="")


def converted_entries(
    paths: Iterable[Path], *, units: Units, paces: RacePaces | None
) -> Iterator[PlanEntry]:
    """Each ``.zwo`` of ``paths`` (see :func:`~retro_tui.plan.folders.zwo_files`) once,
    converted as it is asked for."""
    seen: set[Path] = set()
    for path in paths:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a loop of links: known by its own name then
            key = path.absolute()
        if key not in seen:
            seen.add(key)
            yield converted_entry(path, units=units, paces=paces)


def converted_copy(path: Path, folder: Path, *, units: Units, paces: RacePaces | None) -> UserCopy:
    """The TOML plan of the workout at ``path`` in ``folder``, made now unless already there.

    An existing plan of that name is the one made on an earlier edit (or the user's
    own): it is returned as it is, never replaced. Raises what :func:`converted_text`
    raises, and ``OSError`` when the plan can't be written.
    """
    target = folder / (path.stem + PLAN_SUFFIX)
    if target.exists():
        return UserCopy(target, created=False)
    text = converted_text(path, units=units, paces=paces)
    try:
        create_plan_file(target, text.encode("utf-8"))
    except FileExistsError:  # made between the look and the write: theirs all the same
        return UserCopy(target, created=False)
    return UserCopy(target, created=True)
