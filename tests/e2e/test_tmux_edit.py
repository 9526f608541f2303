"""`e` in the plan library of the installed ``retro-tui``, in a real terminal (tmux).

The pilot tests can't suspend the app (their driver has no terminal); this one
checks the real thing: the app hands the terminal to the editor named by
``$VISUAL``, the editor can print and read keys, and when it exits the app
comes back, reloads the plan and shows the change.

The editor is a shell script: it says which file it got, waits for Enter
(typed into the pane, so keys reach it and not the app), then changes the
plan's duration from 1 to 7 minutes.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from .conftest import StartInTmux

pytestmark = pytest.mark.e2e

if shutil.which("tmux") is None:
    pytest.skip("tmux is not installed: these tests drive the app in tmux", allow_module_level=True)

PLAN = """\
[plan]
name = "Edit me in tmux"

[[step]]
kind = "warmup"
duration = "1m"
"""

START_S = 20.0
"""Generous time for the program to start (Python and Textual imports on a busy machine)."""


def fake_editor(tmp_path: Path) -> Path:
    script = tmp_path / "fake-editor"
    script.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do last=$arg; done\n'
        'printf "FAKE EDITOR has %s, press Enter\\n" "$last"\n'
        "read answer\n"
        'sed \'s/duration = "1m"/duration = "7m"/\' "$last" > "$last.new" && '
        'mv "$last.new" "$last"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


def test_edit_hands_the_terminal_to_the_editor_and_shows_the_change(
    start_in_tmux: StartInTmux, retro_env: dict[str, str], tmp_path: Path
) -> None:
    plans = Path(retro_env["RETRO_TUI_PLANS"])
    plans.mkdir()
    plan = plans / "edit-me.toml"
    plan.write_text(PLAN, encoding="utf-8")
    retro_env["VISUAL"] = shlex.quote(str(fake_editor(tmp_path)))

    pane = start_in_tmux()
    pane.wait_for("Edit me in tmux", START_S)
    pane.wait_for("e Edit")  # the footer's keys come a frame or two after the rest
    # The plans are listed A to Z: "Edit me in tmux" is two above Retro starter, where a
    # first run starts.
    pane.wait_for("29:00 total", what="the preview of the starter plan")
    pane.send("Up", "Up")
    pane.wait_for("1:00 total", what="the preview of the plan to edit")

    pane.send("e")
    screen = pane.wait_for("FAKE EDITOR has", what="the editor's own output")
    assert str(plan) in screen.replace("\n", ""), screen
    assert "1:00 total" not in screen, "the app still draws while the editor runs"
    pane.send("Enter")

    screen = pane.wait_for("7:00 total", what="the preview of the edited plan")
    assert "Edit me in tmux" in screen
    assert 'duration = "7m"' in plan.read_text(encoding="utf-8")
    pane.wait_for("edit-me.toml has no errors")

    # The app reads keys again: n opens the new plan dialog, Escape closes it.
    pane.send("n")
    pane.wait_for("Its name, as the plan library will show it")
    pane.send("Escape")
    pane.wait_gone("Its name, as the plan library will show it")
    assert not pane.is_dead()
