"""The installed ``retro-tui`` run in tmux the way a person runs it: keys in, screen out.

Each test starts ``retro-tui run PLAN`` in a detached tmux pane of its own
(its own ``-L`` socket, killed at the end), with the history, config and plans
locations inside the test's temp folder. Keys go in with ``tmux send-keys``;
the screen comes back with ``tmux capture-pane -p`` and is polled for the text
a person would wait for, never read after a fixed sleep. The plan has steps of
two and three seconds, so a whole workout takes about fifteen seconds.

What is checked: the safety check, the step titles and what comes next, a cue
full of markup-like brackets shown as written, rating a backward interval,
pausing (the screen freezes), skipping, adding time, ending early, the
summary and the history log it saves, recovery after ``kill -9``, and a small
terminal.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from retro_tui.tui.widgets.big_text import render_lines

from .conftest import StartInTmux, TmuxPane

pytestmark = pytest.mark.e2e

if shutil.which("tmux") is None:
    pytest.skip("tmux is not installed: these tests drive the app in tmux", allow_module_level=True)

CUE = "Arms [relaxed] [/] [bold]"

PLAN = f"""\
[plan]
name = "Tiny retro"
summary = "Short steps for end-to-end tests"
cues = [{CUE!r}]

[[step]]
kind = "warmup"
direction = "forward"
duration = "3s"

[[step]]
repeat = 2
  [[step.step]]
  direction = "backward"
  duration = "3s"
  [[step.step]]
  kind = "recover"
  duration = "2s"

[[step]]
kind = "cooldown"
duration = "2s"
"""

STEP_NAMES = ["Warm-up", "Backward", "Recovery", "Backward", "Recovery", "Cool-down"]
PLANNED_S = [3, 3, 2, 3, 2, 2]

START_S = 20.0
"""Generous time for the program to start (Python and Textual imports on a busy machine)."""
STEP_S = 8.0
"""Time to wait for something due within one step of two or three seconds."""

BLOCK_GLYPHS = set("▀▄█")
"""Characters the app's block letters and digits are drawn with."""


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny-retro.toml"
    path.write_text(PLAN, encoding="utf-8")
    return path


@pytest.fixture
def history(retro_env: dict[str, str]) -> Path:
    return Path(retro_env["RETRO_TUI_HISTORY"])


def sessions(history: Path) -> list[dict[str, Any]]:
    document = tomllib.loads(history.read_text(encoding="utf-8"))
    found = document.get("session", [])
    assert isinstance(found, list)
    return found


def shows_big(word: str) -> Callable[[str], bool]:
    """A test of the screen: ``word`` drawn in the app's block letters, every row, any size."""

    def test(screen: str) -> bool:
        return any(
            all(row.strip() in screen for row in render_lines(word, scale)) for scale in range(1, 8)
        )

    return test


def re_search(pattern: str) -> Callable[[str], bool]:
    """A test of the screen: ``pattern`` found somewhere on it."""
    return lambda screen: re.search(pattern, screen) is not None


def digit_rows(screen: str) -> list[str]:
    return [line for line in screen.splitlines() if BLOCK_GLYPHS & set(line)]


def total_left(screen: str) -> int | None:
    """Seconds on the "m:ss left" line of the workout screen, if it is there."""
    found = re.search(r"(\d+):(\d\d) left", screen)
    return int(found[1]) * 60 + int(found[2]) if found else None


def wait_until_gone(pane: TmuxPane, pid: int, timeout: float = 5.0) -> None:
    """Wait until the killed ``pid`` has exited and tmux, its parent, has reaped it.

    A zombie still answers ``kill(pid, 0)``, so ``retro-tui`` rightly takes
    its journal for a live workout. tmux built with libutempter sometimes
    misses a child's SIGCHLD and leaves it a zombie (tmux/tmux#311, seen here
    about one run in four); a SIGCHLD sent to the tmux server makes it reap.
    """
    server = pane.server_pid()
    deadline = time.monotonic() + timeout
    nudge_at = time.monotonic() + 0.5
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        if time.monotonic() > nudge_at:
            os.kill(server, signal.SIGCHLD)
            nudge_at = time.monotonic() + 0.5
        if time.monotonic() > deadline:
            state = subprocess.run(
                ["ps", "-o", "pid,ppid,stat,wchan:32,cmd", "-p", str(pid)],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            raise AssertionError(
                f"process {pid} is still there {timeout:g} s after kill -9:\n{state}"
            )
        time.sleep(0.05)


def run_check(
    program: Path, plan_file: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """``retro-tui check PLAN`` with the test's locations, as the next command a user runs."""
    return subprocess.run(
        [str(program), "check", str(plan_file)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
        cwd=plan_file.parent,
        stdin=subprocess.DEVNULL,
    )


def start_workout(start_in_tmux: StartInTmux, plan_file: Path, **size: int) -> TmuxPane:
    """Start the plan, pass the safety check, and return once the first step is fully drawn."""
    pane = start_in_tmux("run", str(plan_file), **size)
    pane.wait_for("Before you start", START_S)
    screen = pane.wait_for("Enter all set, start")
    assert "Tiny retro" in screen
    pane.send("Enter")
    pane.wait_for("Warm-up · step 1 of 6", STEP_S)
    pane.wait_for("q End")  # the footer's keys come a frame or two after the rest
    return pane


def test_full_run_rates_an_interval_and_saves_the_session(
    start_in_tmux: StartInTmux, plan_file: Path, history: Path
) -> None:
    pane = start_workout(start_in_tmux, plan_file)
    screen = pane.wait_for(shows_big("FORWARD"), what="FORWARD in block letters")
    assert CUE in screen, "the cue must show exactly as written, brackets and all"
    assert "Get ready: Backward 0:03: turn around" in screen
    assert digit_rows(screen), f"no countdown digits on the screen:\n{screen}"

    screen = pane.wait_for("Backward 1 of 2 · step 2 of 6", STEP_S)
    pane.wait_for(shows_big("BACKWARD"), what="BACKWARD in block letters")
    assert CUE in screen

    screen = pane.wait_for("How hard was Backward 1 of 2?", STEP_S)
    assert "Recovery 1 of 2" in screen
    pane.send("6")
    pane.wait_for("you rated it 6 harder")

    pane.wait_for("Backward 2 of 2 · step 4 of 6", STEP_S)
    screen = pane.wait_for("Cool-down · step 6 of 6", 2 * STEP_S)
    assert "Next: done!" in screen

    screen = pane.wait_for("Workout complete", STEP_S)
    assert "Tiny retro" in screen
    assert re.search(r"Ratings\s+6\b", screen), screen
    # Backward 2 was never rated in the workout: the summary asks it first, by name.
    pane.wait_for("▶ How hard was Backward 2 of 2?")
    pane.send("7")
    pane.wait_for(re_search(r"Ratings\s+6 · 7\b"), what="both ratings")
    pane.send("4")
    pane.wait_for("How hard was the whole session? 4 somewhat hard")
    pane.send("n")
    pane.wait_for("Any pain? no pain")
    # Under a heavily loaded machine a Tab has once been seen not to reach the
    # notes field; try it again rather than fail on the keyboard's timing.
    for attempt in range(3):
        pane.send("Tab")
        pane.type("l")
        try:
            pane.wait_for(lambda screen: "▊  l" in screen, 3, what="the notes field")
            break
        except AssertionError:
            if attempt == 2:
                raise
    pane.type("eft calf [tight] ok")
    pane.wait_for("left calf [tight] ok")
    pane.send("Enter")
    pane.wait_for("Saved to")

    [session] = sessions(history)
    assert session["status"] == "completed"
    assert session["plan"] == "Tiny retro"
    assert session["rpe"] == 4
    assert session["notes"] == "left calf [tight] ok"
    steps = session["step"]
    assert [step["name"] for step in steps] == STEP_NAMES
    assert [step["planned_s"] for step in steps] == PLANNED_S
    assert [step.get("rpe") for step in steps] == [None, 6, None, 7, None, None]
    assert not any(step["skipped"] for step in steps)
    for step in steps:
        assert step["actual_s"] == pytest.approx(step["planned_s"], abs=0.05)
    journals = list(history.parent.glob(f".{history.stem}.journal-*"))
    assert journals == [], "a saved session leaves no journal behind"

    pane.send("Enter")
    pane.wait_for("Plans", STEP_S)


def test_pause_skip_add_time_and_end_early(
    start_in_tmux: StartInTmux, plan_file: Path, history: Path
) -> None:
    pane = start_workout(start_in_tmux, plan_file)

    pane.send("Space")
    pane.wait_for("Paused: press space to go on")
    pane.wait_for(shows_big("PAUSED"), what="PAUSED in block letters")
    # The footer relabels the key on its next refresh, a moment after the screen says PAUSED.
    pane.wait_for("space Resume")
    paused = pane.capture()
    assert digit_rows(paused), f"no countdown digits while paused:\n{paused}"
    time.sleep(1.5)  # the point of this check: nothing on the screen moves while paused
    assert pane.capture() == paused, "the screen changed while the workout was paused"
    assert "Warm-up · step 1 of 6" in paused
    pane.send("Space")
    pane.wait_gone("Paused: press space to go on")

    pane.wait_for("Backward 1 of 2", STEP_S)
    # A key within 0.4 s of a change counts for the step that just ended; be a person.
    time.sleep(0.6)
    before = total_left(pane.capture())
    assert before is not None and before <= 12
    pane.send("+")
    # Ten more seconds on this step show in the time left for the whole workout.
    pane.wait_for(lambda s: (total_left(s) or 0) >= 15, what="time left to grow by 10 s")
    # Skip once the step has run for over a second, so it is recorded as skipped.
    pane.wait_for(lambda s: (total_left(s) or 99) <= 21, what="a second of the longer step")
    pane.send("n")
    pane.wait_for("Recovery 1 of 2", 5.0)  # well before the 13 s step could end by itself

    pane.send("Escape")
    pane.wait_for("End the workout now?")
    pane.send("n")
    pane.wait_gone("End the workout now?")
    pane.send("q")
    pane.wait_for("End the workout now?")
    pane.send("y")
    screen = pane.wait_for("Workout ended early", STEP_S)
    assert "Tiny retro" in screen
    pane.send("Enter")
    pane.wait_for("Saved to")

    [session] = sessions(history)
    assert session["status"] == "ended early"
    assert "rpe" not in session
    steps = session["step"]
    assert 2 <= len(steps) < len(STEP_NAMES)
    warmup, backward = steps[0], steps[1]
    assert warmup["name"] == "Warm-up" and not warmup["skipped"]
    assert warmup["actual_s"] == pytest.approx(3.0, abs=0.05), "a pause is not time moving"
    assert backward["name"] == "Backward" and backward["direction"] == "backward"
    assert backward["skipped"] is True
    assert 1.0 <= backward["actual_s"] < 5.0
    assert "rpe" not in backward


def test_kill_9_mid_workout_is_recovered_by_the_next_command(
    start_in_tmux: StartInTmux,
    retro_tui_bin: Path,
    retro_env: dict[str, str],
    plan_file: Path,
    history: Path,
) -> None:
    pane = start_workout(start_in_tmux, plan_file)
    pane.wait_for("How hard was Backward 1 of 2?", 2 * STEP_S)
    pane.send("6")
    pane.wait_for("you rated it 6")
    pane.send("Space")
    screen = pane.wait_for("Paused: press space to go on")
    position = re.search(r"step ([345]) of 6", screen)
    assert position is not None, screen
    done_before_kill = int(position[1]) - 1

    journal_glob = f".{history.stem}.journal-*.toml"
    deadline = time.monotonic() + 5
    while not any("rpe = 6" in path.read_text() for path in history.parent.glob(journal_glob)):
        assert time.monotonic() < deadline, "no journal with the rating beside the history log"
        time.sleep(0.05)
    assert not history.exists(), "nothing is in the log until the session is saved"

    pid = pane.pane_pid()  # the program itself: the pane's shell exec'd it
    os.kill(pid, signal.SIGKILL)
    wait_until_gone(pane, pid)
    assert pane.is_dead()

    result = run_check(retro_tui_bin, plan_file, retro_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Recovered" in result.stderr
    assert "Tiny retro" in result.stderr

    [session] = sessions(history)
    assert session["status"] == "recovered"
    assert session["plan"] == "Tiny retro"
    steps = session["step"]
    done, in_progress = steps[:done_before_kill], steps[done_before_kill:]
    assert [step["name"] for step in done] == STEP_NAMES[:done_before_kill]
    assert steps[1]["rpe"] == 6
    assert not any(step["skipped"] for step in done)
    # The step the pause caught may be there too, cut short at its seconds so far.
    assert [step["skipped"] for step in in_progress] in ([], [True])
    assert list(history.parent.glob(journal_glob)) == [], "the journal is gone once recovered"

    again = run_check(retro_tui_bin, plan_file, retro_env)
    assert "Recovered" not in again.stderr
    assert len(sessions(history)) == 1, "a recovered session is appended once"


LONG_STEP_PLAN = """\
[plan]
name = "Long easy run"

[[step]]
name = "Easy run"
duration = "1m"
speed = 5.0

[[step]]
direction = "backward"
duration = "30s"
speed = 2.0
"""


def test_kill_9_in_a_long_step_keeps_that_step_to_within_ten_seconds(
    start_in_tmux: StartInTmux,
    retro_tui_bin: Path,
    retro_env: dict[str, str],
    tmp_path: Path,
    history: Path,
) -> None:
    plan = tmp_path / "long-easy-run.toml"
    plan.write_text(LONG_STEP_PLAN, encoding="utf-8")
    pane = start_in_tmux("run", str(plan))
    pane.wait_for("Enter all set, start", START_S)
    pane.send("Enter")
    pane.wait_for("Easy run · step 1 of 2", STEP_S)
    # 1:30 in all: wait until at least 17 s of the easy run are done.
    screen = pane.wait_for(re_search(r"1:(0\d|1[0-3]) left in all"), 40, what="17 s in")
    found = re.search(r"1:(\d\d) left in all", screen)
    assert found is not None
    elapsed = 30 - int(found[1])

    pid = pane.pane_pid()
    os.kill(pid, signal.SIGKILL)
    wait_until_gone(pane, pid)
    result = run_check(retro_tui_bin, plan, retro_env)
    assert "Recovered" in result.stderr, result.stderr

    [session] = sessions(history)
    assert session["status"] == "recovered"
    [step] = session["step"]
    assert step["name"] == "Easy run" and step["skipped"] is True
    # The journal is written every few seconds: the kill lost less than ten of them.
    # (elapsed is read off the screen a moment before the kill: two seconds of slack.)
    assert elapsed - 10 < step["actual_s"] <= elapsed + 2


def test_kill_9_on_the_summary_keeps_every_answer_given(
    start_in_tmux: StartInTmux,
    retro_tui_bin: Path,
    retro_env: dict[str, str],
    plan_file: Path,
    history: Path,
) -> None:
    pane = start_workout(start_in_tmux, plan_file)
    pane.wait_for("Workout complete", 6 * STEP_S)
    pane.wait_for("▶ How hard was Backward 1 of 2?")
    pane.send("5", "6")
    pane.wait_for("▶ How hard was the whole session?")
    pane.send("4", "3", "1")
    pane.wait_for("Any pain? pain 3/10, knee")
    pane.send("Tab")
    pane.type("sore")
    pane.wait_for("▊  sore")
    time.sleep(0.5)  # the journal's own thread writes what was typed

    pid = pane.pane_pid()
    os.kill(pid, signal.SIGKILL)
    wait_until_gone(pane, pid)
    result = run_check(retro_tui_bin, plan_file, retro_env)
    assert "Recovered" in result.stderr, result.stderr

    [session] = sessions(history)
    assert session["status"] == "completed"  # it did reach the end: the word says how it ended
    assert session["rpe"] == 4
    assert (session["pain"], session["pain_where"]) == (3, "knee")
    assert session["notes"] == "sore"
    assert [step.get("rpe") for step in session["step"]] == [None, 5, None, 6, None, None]


def test_a_digit_after_a_skipped_interval_says_so_in_the_terminal(
    start_in_tmux: StartInTmux, plan_file: Path, history: Path
) -> None:
    pane = start_workout(start_in_tmux, plan_file)
    pane.wait_for("How hard was Backward 1 of 2?", 2 * STEP_S)
    pane.send("6")
    pane.wait_for("you rated it 6")
    pane.wait_for("Backward 2 of 2 · step 4 of 6", STEP_S)
    # A skip in the first moments of a step is taken as meant for the step before it, and a
    # step left within a second leaves no trace: skip it a second and a bit in.
    time.sleep(1.3)
    pane.send("n")
    pane.wait_for("Recovery 2 of 2 · step 5 of 6")
    pane.send("x")
    pane.wait_for("Backward 2 of 2 skipped: not rated")
    screen = pane.wait_for("Workout complete", 2 * STEP_S)
    assert re.search(r"Ratings\s+6\s", screen), "Backward 1 kept its 6; nothing got the 10"
    pane.send("4", "n", "Enter")
    pane.wait_for("Saved to")
    [session] = sessions(history)
    assert [step.get("rpe") for step in session["step"] if step["direction"] == "backward"] == [
        6,
        None,
    ]


def test_small_terminal_still_shows_countdown_and_direction(
    start_in_tmux: StartInTmux, plan_file: Path
) -> None:
    pane = start_workout(start_in_tmux, plan_file, width=60, height=20)
    screen = pane.wait_for(shows_big("FORWARD"), what="FORWARD in block letters")
    assert "Warm-up · step 1 of 6" in screen
    assert len(digit_rows(screen)) >= 3, f"no countdown digits at 60x20:\n{screen}"
    assert CUE in screen

    screen = pane.wait_for("Backward 1 of 2", STEP_S)
    screen = pane.wait_for(shows_big("BACKWARD"), what="BACKWARD in block letters")
    assert len(digit_rows(screen)) >= 3, f"no countdown digits at 60x20:\n{screen}"
    assert all(len(line) <= 60 for line in screen.splitlines())
