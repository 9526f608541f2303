"""``retro-tui`` with no command: the app, on the plan library (or straight into a plan).

Textual is imported only here, when the app is really started: the other
commands run without it.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from retro_tui.cli.command import Command, add_plan_paths
from retro_tui.cli.session import Session
from retro_tui.plan.model import Plan


def open_app(session: Session, extra: Sequence[Path] = (), start_plan: Plan | None = None) -> int:
    """Run the app until it is quit; its exit status."""
    from retro_tui.tui import app  # Textual loads only when needed.

    retro_app = app.make_app(
        extra,
        history=session.history,
        config=session.config_file,
        start_plan=start_plan,
        notices=session.notices,
        loaded=session.loaded,
    )
    retro_app.run()
    return retro_app.return_code or 0


def _execute(options: argparse.Namespace, session: Session) -> int:
    return open_app(session, options.plans)


COMMAND = Command(
    name="",
    synopsis="(none)",
    summary="open the plan library and run a workout",
    example="retro-tui ~/my-plans",
    description="Backward (retro) walking and running intervals on a treadmill.",
    arguments=add_plan_paths,
    execute=_execute,
    quiet_notices=True,  # the app shows them on its first screen
)
