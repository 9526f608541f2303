"""What every command starts from: the settings read, the history log found, journals recovered.

Each run of ``retro-tui`` first reads the settings, works out the history log
and the plan search path from them and the options, and puts any workout left
in a crash journal back into the log, saying so. A command then gets this as a
:class:`Session`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from retro_tui import paths
from retro_tui.config import ConfigResult, configured_history, configured_plans, load_config
from retro_tui.history.journal import recover_journals


@dataclass(frozen=True)
class Session:
    """One run of ``retro-tui``: its settings, its history log and where plans are looked for."""

    config_file: Path
    loaded: ConfigResult
    history: Path
    search: list[Path]
    """Where a plan named on the command line is looked for, in order."""
    notices: list[str]
    """What happened before the command ran (workouts recovered from journals)."""


def plan_search_path(configured: Sequence[Path] = ()) -> list[Path]:
    """Where a plan named on the command line is looked for: bundled, the user's, the settings'."""
    return [paths.bundled_plans_dir(), paths.user_plans_dir(), *configured]


def start_session(options: argparse.Namespace) -> Session:
    """Read the settings named by ``options``, find the log, and recover crashed workouts."""
    config_file = options.config or paths.config_path()
    loaded = load_config(config_file)
    history = options.history or configured_history(loaded.config, config_file)
    return Session(
        config_file=config_file,
        loaded=loaded,
        history=history,
        search=plan_search_path(configured_plans(loaded.config, config_file)),
        notices=recover(history),
    )


def _steps(count: int) -> str:
    return f"{count} step" if count == 1 else f"{count} steps"


def recover(history: Path) -> list[str]:
    """Put sessions left in journals by crashed runs into the log; say what happened."""
    try:
        recoveries = recover_journals(history)
    except OSError as error:
        return [f"Could not check for unfinished workouts beside {history}: {error}"]
    messages = []
    for recovery in recoveries:
        session = recovery.session
        if recovery.problem:
            messages.append(
                f"An unfinished workout in {recovery.journal} was kept: {recovery.problem}"
            )
        elif session is not None and session.steps:
            messages.append(
                f"Recovered an unfinished workout ({session.plan}, started "
                f"{session.started:%Y-%m-%d %H:%M}, {_steps(len(session.steps))}) into {history}"
            )
    return messages
