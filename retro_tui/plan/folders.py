"""Plan files in folders: which files are plans or programs, and the file a name means.

The plans folders hold plans and multi-week programs side by side (a program
has a top-level ``[program]`` table). The catalog lists them and the program
loader finds the plans its sessions name; both need what is here, which is why
it is a module of its own that imports neither.

A user names a plan the way they think of it: a path (``~/plans/hill.toml``),
a file name without its extension (``starter``) or the plan's own name
(``"Retro starter"``). :func:`resolve_plan` accepts all three.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from retro_tui.plan.errors import PlanError, PlanIssue
from retro_tui.plan.loader import load_plan
from retro_tui.tomltext import MAX_FILE_BYTES

PLAN_SUFFIX = ".toml"
ZWO_SUFFIX = ".zwo"
"""A Zwift workout, listed with the plans (converted as it is read, see interchange)."""
MAX_PLANS_PER_FOLDER = 500

# `[program]` on a line of its own (a comment may follow), the key bare or quoted.
_PROGRAM_HEADER = re.compile(r"""\[[ \t]*(?:program|"program"|'program')[ \t]*\][ \t]*(?:#.*)?""")
# `program.name = ...` or `program = { ... }` before the first table header.
_PROGRAM_KEY = re.compile(r"""(?:program|"program"|'program')[ \t]*[.=]""")


def plan_files(folder: Path) -> list[Path]:
    """The ``*.toml`` files directly inside ``folder``, sorted; none if it is missing."""
    return _files_in(folder, lambda suffix: suffix == PLAN_SUFFIX)


def zwo_files(folder: Path) -> list[Path]:
    """The ``*.zwo`` files (any case) directly inside ``folder``, sorted; none if it is missing."""
    return _files_in(folder, lambda suffix: suffix.lower() == ZWO_SUFFIX)


def _files_in(folder: Path, wanted: Callable[[str], bool]) -> list[Path]:
    try:
        files = sorted(path for path in folder.iterdir() if wanted(path.suffix) and path.is_file())
    except OSError:
        return []
    return files[:MAX_PLANS_PER_FOLDER]


def is_program_file(path: Path) -> bool:
    """Whether ``path`` is a program rather than a plan: it has a top-level ``[program]`` table.

    Plans and programs share the plans folders, and this decides which list a
    file belongs to. It is cheap and forgiving on purpose: the TOML is not
    parsed, so a program with a mistake in it still counts as a program and
    is reported as one, not as a broken plan.
    """
    if not is_file(path):
        return False
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return False
    return names_a_program(data.decode("utf-8", errors="replace"))


def names_a_program(text: str) -> bool:
    """Whether TOML ``text`` has a ``[program]`` table (see :func:`is_program_file`)."""
    before_first_header = True
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            if _PROGRAM_HEADER.fullmatch(stripped):
                return True
            before_first_header = False
        elif before_first_header and _PROGRAM_KEY.match(stripped):
            return True
    return False


def is_file(path: Path) -> bool:
    # Before Python 3.14 is_file() raises for a file in a folder we may not look into.
    try:
        return path.is_file()
    except OSError:
        return False


def is_dir(path: Path) -> bool:
    # Before Python 3.14 is_dir() raises for a folder we may not look into;
    # loading it as a file then reports the problem in the listing.
    try:
        return path.is_dir()
    except OSError:
        return False


def _normalise(name: str) -> str:
    return " ".join(name.replace("-", " ").replace("_", " ").casefold().split())


def resolve_plan(name: str, search: Sequence[Path], *, programs: bool = True) -> Path:
    """The plan file meant by ``name``: an existing path, a file stem, or a plan name.

    ``search`` is the list of folders to look in for stems and names, in order
    of preference. Raises :class:`PlanError` naming what was tried, and the
    plans (and with ``programs``, the programs) that could have been meant.
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
    kinds = [(path.stem, is_program_file(path)) for path in files]
    known = sorted({stem for stem, program in kinds if not program})
    program_stems = sorted({stem for stem, program in kinds if program})
    hint = f"; known plans: {', '.join(known)}" if known else ""
    if programs and program_stems:
        # A program is named like a plan on the command line (check six-week-block).
        hint += f"; known programs: {', '.join(program_stems)}"
    raise PlanError([PlanIssue(name, None, "", f"no plan file or plan named {name!r}{hint}")])
