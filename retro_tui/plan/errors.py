"""Problems found in a plan file, each pinned to a file, a line and a key path.

A :class:`PlanIssue` is one message a person can act on, printed as
``FILE:LINE: key.path: message``. The loader collects every problem it finds
and raises them together in a :class:`PlanError`, so a user fixes a file in one
pass instead of one error per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class PlanIssue:
    """One problem in a plan file.

    ``line`` is 1-based and ``None`` for problems with the file as a whole
    (missing, a folder, too big). ``key`` is a key path such as
    ``step[2].step[1].duration`` (steps counted from 1) or ``""`` when the
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


class PlanError(Exception):
    """A plan that cannot be run, with every problem found in it."""

    def __init__(self, issues: list[PlanIssue]) -> None:
        if not issues:
            raise ValueError("PlanError needs at least one issue")
        self.issues: tuple[PlanIssue, ...] = tuple(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))

    @property
    def first(self) -> PlanIssue:
        return self.issues[0]
