"""Finding plans: every plan file in a set of folders, and one plan by file or by name.

A user names a plan the way they think of it: a path (``~/plans/hill.toml``),
a file name without its extension (``starter``) or the plan's own name
(``"Retro starter"``). :func:`resolve_plan` accepts all three. Plans that fail
to load are kept in listings with their error, never hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from retro_tui.plan.errors import PlanError, PlanIssue
from retro_tui.plan.loader import load_plan
from retro_tui.plan.model import Plan

PLAN_SUFFIX = ".toml"
MAX_PLANS_PER_FOLDER = 500


@dataclass(frozen=True)
class PlanEntry:
    """A plan file found in a folder: loaded, or with the error that stopped it."""

    path: Path
    plan: Plan | None
    error: PlanError | None
    bundled: bool = False

    @property
    def title(self) -> str:
        """The plan's name, or its file name when it does not load."""
        return self.plan.name if self.plan else self.path.stem


def plan_files(folder: Path) -> list[Path]:
    """The ``*.toml`` files directly inside ``folder``, sorted; none if it is missing."""
    try:
        files = sorted(
            path for path in folder.iterdir() if path.suffix == PLAN_SUFFIX and path.is_file()
        )
    except OSError:
        return []
    return files[:MAX_PLANS_PER_FOLDER]


def load_entry(path: Path, *, bundled: bool = False) -> PlanEntry:
    try:
        return PlanEntry(path, load_plan(path), None, bundled)
    except PlanError as error:
        return PlanEntry(path, None, error, bundled)


def discover(folders: Iterable[Path], bundled: Path | None = None) -> list[PlanEntry]:
    """Load every plan in ``bundled`` (marked as bundled) and then in ``folders``.

    A path in ``folders`` that is a file is loaded as it is. The same file
    named twice is listed once.
    """
    entries: list[PlanEntry] = []
    seen: set[Path] = set()

    def add(path: Path, *, is_bundled: bool) -> None:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):
            key = path.absolute()
        if key not in seen:
            seen.add(key)
            entries.append(load_entry(path, bundled=is_bundled))

    if bundled is not None:
        for path in plan_files(bundled):
            add(path, is_bundled=True)
    for folder in folders:
        if _is_dir(folder):
            for path in plan_files(folder):
                add(path, is_bundled=False)
        else:
            add(folder, is_bundled=False)
    return entries


def _is_dir(path: Path) -> bool:
    # Before Python 3.14 is_dir() raises for a folder we may not look into;
    # loading it as a file then reports the problem in the listing.
    try:
        return path.is_dir()
    except OSError:
        return False


def _normalise(name: str) -> str:
    return " ".join(name.replace("-", " ").replace("_", " ").casefold().split())


def resolve_plan(name: str, search: Sequence[Path]) -> Path:
    """The plan file meant by ``name``: an existing path, a file stem, or a plan name.

    ``search`` is the list of folders to look in for stems and names, in order
    of preference. Raises :class:`PlanError` naming what was tried.
    """
    try:
        candidate = Path(name).expanduser()
    except RuntimeError:  # "~nosuchuser/plan.toml": no such home folder
        candidate = Path(name)
    if candidate.exists() or candidate.suffix == PLAN_SUFFIX or "/" in name:
        return candidate
    wanted = _normalise(name.removesuffix(PLAN_SUFFIX))
    files = [path for folder in search for path in plan_files(folder)]
    for path in files:
        if _normalise(path.stem) == wanted:
            return path
    for path in files:
        try:
            if _normalise(load_plan(path).name) == wanted:
                return path
        except PlanError:
            continue
    known = sorted({path.stem for path in files})
    hint = f"; known plans: {', '.join(known)}" if known else ""
    raise PlanError([PlanIssue(name, None, "", f"no plan file or plan named {name!r}{hint}")])
