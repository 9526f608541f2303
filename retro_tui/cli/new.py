"""``retro-tui new``: write a commented plan to start from into the user's plans folder."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from retro_tui import paths
from retro_tui.cli.command import PROG, Command
from retro_tui.cli.session import Session, plan_search_path
from retro_tui.plan.errors import PlanError
from retro_tui.plan.folders import resolve_plan
from retro_tui.plan.skeleton import PlanNameError, plan_file_name, write_skeleton


def run_new(name: str, units: str = "mph") -> int:
    """``retro-tui new``: write a plan skeleton (speeds in ``units``) into the user plans
    folder; 1 if not written."""
    folder = paths.user_plans_dir()
    try:
        path = write_skeleton(name, folder, units)
    except PlanNameError as error:
        print(f"{PROG} new: {error}", file=sys.stderr)
        return 1
    except FileExistsError:
        existing = folder / plan_file_name(name)
        print(
            f"{PROG} new: {existing} already exists and was left as it is; "
            "choose another name, or edit that file",
            file=sys.stderr,
        )
        return 1
    except OSError as error:
        reason = error.strerror or error
        print(f"{PROG} new: could not write a plan into {folder}: {reason}", file=sys.stderr)
        return 1
    print(f"Wrote {path}")
    print(f"edit it, then `{PROG} check {_check_argument(path)}`")
    return 0


def _check_argument(path: Path) -> str:
    """What to pass to ``check`` for ``path``: its stem, unless that finds another plan first."""
    try:
        found = resolve_plan(path.stem, plan_search_path())
        if found.samefile(path):
            return path.stem
    except (PlanError, OSError):
        pass
    # A bundled plan with the same stem wins a lookup by name: name the file itself.
    return shlex.quote(str(path))


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name",
        nargs="+",
        metavar="NAME",
        help="the plan's name as the library shows it (unquoted words are joined with spaces)",
    )


def _execute(options: argparse.Namespace, session: Session) -> int:
    return run_new(" ".join(options.name), session.loaded.config.display.units)


COMMAND = Command(
    name="new",
    synopsis="new NAME",
    summary="write a commented plan to start from into your plans folder",
    example='retro-tui new "Hill Tuesday"',
    description=lambda: (
        "Write a new plan into your plans folder "
        f"(${paths.PLANS_ENV} or {paths.user_plans_dir()}): a complete beginner plan whose "
        "comments explain every key, to change into your own. The file is named after the "
        'plan ("Hill Tuesday" -> hill-tuesday.toml) and an existing file is never '
        "replaced. Exit status 0 when the file was written, 1 otherwise."
    ),
    arguments=_arguments,
    execute=_execute,
)
