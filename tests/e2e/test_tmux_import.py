"""A coach's workout, from intervals.icu's text to a session in Strava's format, with the
installed program: ``retro-tui import``, the plan run in tmux, ``retro-tui export``.

The steps are seconds long so the whole run takes a few; the program is the one a
person installs, every file in the test's own folder.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import fitdecode
import pytest
from garmin_fit_sdk import Decoder, Stream

from .conftest import StartInTmux

pytestmark = pytest.mark.e2e

if shutil.which("tmux") is None:
    pytest.skip("tmux is not installed: these tests drive the app in tmux", allow_module_level=True)

WORKOUT = """\
Short retro set

- Easy 3s 7:00/km Pace

Backward set 2x
- Backward 3s 12:00/km Pace
- Recovery 3s 9:00/km Pace

- Cool down 3s 9:00/km Pace
"""

START_S = 20.0
"""Generous time for the program to start (Python and Textual imports on a busy machine)."""


def installed(
    retro_tui_bin: Path, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(retro_tui_bin), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_an_imported_workout_runs_and_exports(
    retro_tui_bin: Path, start_in_tmux: StartInTmux, retro_env: dict[str, str], tmp_path: Path
) -> None:
    Path(retro_env["RETRO_TUI_CONFIG"]).write_text(
        '[workout]\npreflight = false\n\n[display]\nunits = "kmh"\n', encoding="utf-8"
    )
    source = tmp_path / "short-retro.txt"
    source.write_text(WORKOUT, encoding="utf-8")

    imported = installed(retro_tui_bin, retro_env, "import", str(source), "--pace", "5:00")
    assert imported.returncode == 0, imported.stderr
    plan = Path(retro_env["RETRO_TUI_PLANS"]) / "short-retro-set.toml"
    assert f"Wrote {plan}" in imported.stdout
    checked = installed(retro_tui_bin, retro_env, "check", "Short retro set")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    pane = start_in_tmux("run", "short-retro-set")
    pane.wait_for("Easy · step 1 of 6", START_S)
    pane.wait_for("Backward 1 of 2 · step 2 of 6", 10.0)
    pane.wait_for("Cool down · step 6 of 6", 20.0)
    pane.wait_for("Workout complete", 10.0)
    pane.send("Enter")  # the session's effort left unrated: saved as it is
    pane.wait_for("Saved to", 10.0)

    document = tomllib.loads(Path(retro_env["RETRO_TUI_HISTORY"]).read_text(encoding="utf-8"))
    [session] = document["session"]
    assert session["plan"] == "Short retro set" and session["plan_file"] == plan.name
    assert [step["direction"] for step in session["step"]].count("backward") == 2

    out = tmp_path / "exports"
    exported = installed(retro_tui_bin, retro_env, "export", "--last", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    fit = next(out.glob("*.fit")).read_bytes()
    assert Decoder(Stream.from_byte_array(bytearray(fit))).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(fit))).read()
    assert errors == [] and len(messages["lap_mesgs"]) == 6
    with fitdecode.FitReader(io.BytesIO(fit), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        frames = [frame for frame in reader if isinstance(frame, fitdecode.FitDataMessage)]
    sessions = [frame for frame in frames if frame.name == "session"]
    assert sessions[0].get_value("sub_sport") == "treadmill"
    assert "estimated from the plan" in next(out.glob("*.tcx")).read_text(encoding="utf-8")
