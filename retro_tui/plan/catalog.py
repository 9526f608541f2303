"""Finding plans: every plan file in a set of folders, and one plan by file or by name.

A user names a plan the way they think of it: a path (``~/plans/hill.toml``),
a file name without its extension (``starter``) or the plan's own name
(``"Retro starter"``). :func:`resolve_plan` accepts all three. Plans that fail
to load are kept in listings with their error, never hidden.

The plans folders also hold multi-week programs (files with a ``[program]``
table): :func:`discover` leaves them out and :func:`discover_programs` lists them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from retro_tui.plan.errors import PlanError, PlanIssue
from retro_tui.plan.folders import is_dir, is_program_file, plan_files
from retro_tui.plan.lint import lint_plan
from retro_tui.plan.loader import load_plan
from retro_tui.plan.model import Plan
from retro_tui.plan.program import Program, load_program


@dataclass(frozen=True)
class PlanEntry:
    """A plan file found in a folder: loaded, or with the error that stopped it.

    ``warnings`` are the safety linter's findings for a plan that loaded;
    ``converted_from`` names the format of a file that is not a plan but was made
    into one to be listed ("Zwift workout").
    """

    path: Path
    plan: Plan | None
    error: PlanError | None
    bundled: bool = False
    warnings: tuple[PlanIssue, ...] = ()
    converted_from: str | None = None

    @property
    def title(self) -> str:
        """The plan's name, or its file name when it does not load."""
        return self.plan.name if self.plan else self.path.stem


def load_entry(path: Path, *, bundled: bool = False) -> PlanEntry:
    try:
        plan = load_plan(path)
    except PlanError as error:
        return PlanEntry(path, None, error, bundled)
    return PlanEntry(path, plan, None, bundled, tuple(lint_plan(plan)))


def discover(folders: Iterable[Path], bundled: Path | None = None) -> list[PlanEntry]:
    """Load every plan in ``bundled`` (marked as bundled) and then in ``folders``.

    A path in ``folders`` that is a file is loaded as it is. The same file
    named twice is listed once. Program files are left out (see
    :func:`discover_programs`): they are not broken plans.
    """
    return [
        entry
        for entry in iter_entries(folders, bundled, programs=False)
        if isinstance(entry, PlanEntry)
    ]


@dataclass(frozen=True)
class ProgramEntry:
    """A program file found in a folder: loaded, or with the error that stopped it."""

    path: Path
    program: Program | None
    error: PlanError | None
    bundled: bool = False

    @property
    def title(self) -> str:
        """The program's name, or its file name when it does not load."""
        return self.program.name if self.program else self.path.stem


def discover_programs(folders: Iterable[Path], bundled: Path | None = None) -> list[ProgramEntry]:
    """Load every program file in ``bundled`` and then in ``folders``, as :func:`discover` does.

    Plans that sessions name are looked up in the program's own folder, then
    in ``bundled`` and the folders of ``folders``.
    """
    found = iter_entries(folders, bundled, plans=False)
    return [entry for entry in found if isinstance(entry, ProgramEntry)]


def iter_entries(
    folders: Iterable[Path],
    bundled: Path | None = None,
    *,
    plans: bool = True,
    programs: bool = True,
) -> Iterator[PlanEntry | ProgramEntry]:
    """Each plan and program file of ``bundled`` and ``folders``, loaded one at a time.

    Bundled files come first, then the folders in order, each file once; a
    file is a program or a plan as :func:`discover_programs` and :func:`discover`
    decide (``plans`` or ``programs`` false leaves that kind out unloaded). A
    caller that shows entries as they come never waits on a slow or broken file
    for the ones before it.
    """
    folders = list(folders)
    search = [folder for folder in [bundled, *folders] if folder is not None and is_dir(folder)]
    for path, is_bundled in _toml_files(folders, bundled):
        if is_program_file(path):
            if not programs:
                continue
            try:
                yield ProgramEntry(path, load_program(path, search), None, is_bundled)
            except PlanError as error:
                yield ProgramEntry(path, None, error, is_bundled)
        elif plans:
            yield load_entry(path, bundled=is_bundled)


def _toml_files(folders: Iterable[Path], bundled: Path | None) -> list[tuple[Path, bool]]:
    """``(file, is bundled)`` for the files of ``bundled`` and ``folders``, each file once."""
    found: list[tuple[Path, bool]] = []
    seen: set[Path] = set()

    def add(path: Path, *, is_bundled: bool) -> None:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):
            key = path.absolute()
        if key not in seen:
            seen.add(key)
            found.append((path, is_bundled))

    if bundled is not None:
        for path in plan_files(bundled):
            add(path, is_bundled=True)
    for folder in folders:
        if is_dir(folder):
            for path in plan_files(folder):
                add(path, is_bundled=False)
        else:
            add(folder, is_bundled=False)
    return found
