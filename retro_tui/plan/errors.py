"""Problems found in a plan or program file, each pinned to a file, a line and a key path.

A plan's problems are :class:`~retro_tui.tomltext.FileProblem` values (``PlanIssue``
is that type under the plan's name), raised together in a :class:`PlanError`, so
a user fixes a file in one pass instead of one error per run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from retro_tui.tomltext import FileProblem, FileProblemError

PlanIssue = FileProblem


class PlanError(FileProblemError):
    """A plan (or program) that cannot be run, with every problem found in it."""


@contextmanager
def as_plan_error() -> Iterator[None]:
    """Raise a file's problems (too big, not UTF-8, bad TOML) as the :class:`PlanError`
    that everyone loading a plan catches."""
    try:
        yield
    except PlanError:
        raise
    except FileProblemError as error:
        raise PlanError(list(error.issues)) from None
