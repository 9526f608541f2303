"""A problem in a file a person wrote, pinned to the file, the line and the key.

:class:`FileProblem` is one message a person can act on, printed as
``FILE:LINE: key.path: message``. Readers collect every problem they find and
raise them together in a :class:`FileProblemError`, so a user fixes a file in
one pass instead of one error per run. Plans, programs and settings all report
this way (``PlanIssue`` is the same type under the plan's name).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from retro_tui.tomltext.locate import KeyPath

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class FileProblem:
    """One problem in a file.

    ``line`` is 1-based and ``None`` for problems with the file as a whole
    (missing, a folder, too big). ``key`` is a key path such as
    ``step[2].step[1].duration`` (array items counted from 1) or ``""`` when the
    problem is not about one key.
    """

    file: str
    line: int | None
    key: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        prefix = "" if self.severity == "error" else "warning: "
        if self.key:
            return f"{where}: {self.key}: {prefix}{self.message}"
        return f"{where}: {prefix}{self.message}"


class FileProblemError(Exception):
    """A file that cannot be used, with every problem found in it."""

    def __init__(self, issues: list[FileProblem]) -> None:
        if not issues:
            raise ValueError(f"{type(self).__name__} needs at least one issue")
        self.issues: tuple[FileProblem, ...] = tuple(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))

    @property
    def first(self) -> FileProblem:
        return self.issues[0]


def file_error(label: str, message: str) -> FileProblemError:
    """A problem with the file as a whole (no line, no key)."""
    return FileProblemError([FileProblem(label, None, "", message)])


def display_path(path: KeyPath) -> str:
    """``step[2].cues[1].at`` for ``("step", 1, "cues", 0, "at")``: indices counted from 1."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else part
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean "speed"?)`` for a key close to one of ``choices``, else nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""
