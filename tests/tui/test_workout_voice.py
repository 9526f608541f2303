"""Spoken cues in a running workout, heard through a fake text-to-speech program.

The fake program (a script written into tmp_path and set as ``[sound]
voice_command``) appends its arguments and process id to a log, so each test
reads exactly what the workout said and at which second of the fake clock.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import stat
import sys
import time
import wave
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from retro_tui.tui.screens.workout import WorkoutScreen
from retro_tui.tui.widgets.big_text import BigText
from retro_tui.tui.widgets.clock_face import ClockFace
from retro_tui.voice import Voice
from retro_tui.workout.speech import RATING_PROMPT, WORKOUT_DONE

from .conftest import Harness, MakeHarness

WAIT_S = 10.0
"""The longest any poll waits; each normally ends within milliseconds."""

VOICE_PLAN = """\
[plan]
name = "Voice test"
cues = ["Plan cue one", "Plan cue two"]

[[step]]
kind = "warmup"
duration = "20s"
speed = 3.0

[[step]]
direction = "backward"
duration = "30s"
speed = 2.5
incline = 1.0
cues = ["Eyes on your mark", "Short quick steps"]

[[step]]
kind = "recover"
duration = "1m15s"
"""

NASTY = "--help; rm -rf ~ `touch SOMEFILE` $(touch SOMEFILE) | cat 'q' \"qq\" \\ & > SOMEFILE"
"""A cue that a shell would turn into commands; run from tmp_path, it would make SOMEFILE there."""


def fake_tts(tmp_path: Path, behaviour: str = "speak") -> Path:
    """A program that logs ``{"pid", "args"}`` and then exits (``speak``) or hangs (``hang``)."""
    script = tmp_path / f"fake-tts-{behaviour}"
    log = tmp_path / f"fake-tts-{behaviour}.log"
    script.write_text(
        f"#!{sys.executable} -IS\n"
        "import json, os, sys, time\n"
        f"with open({str(log)!r}, 'a', encoding='utf-8') as log:\n"
        "    log.write(json.dumps({'pid': os.getpid(), 'args': sys.argv[1:]}) + '\\n')\n"
        f"if {behaviour == 'hang'}:\n"
        "    time.sleep(30)\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def heard(program: Path) -> list[dict[str, Any]]:
    log = program.with_name(program.name + ".log")
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line]


def voice_settings(command: list[str]) -> str:
    """The ``[sound]`` line that sets the program (JSON strings are TOML strings too)."""
    return f"voice_command = {json.dumps(command)}\n"


async def until(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)
    await pilot.pause()


def workout_screen(h: Harness) -> WorkoutScreen:
    screen = h.app.screen
    assert isinstance(screen, WorkoutScreen)
    return screen


def voice_of(h: Harness) -> Voice:
    voice = h.app._voice
    assert voice is not None, "the workout never spoke"
    return voice


async def tick_at(pilot: Pilot[Any], h: Harness, second: float) -> float:
    """Move the fake clock to ``second`` after the start and let the screen catch up;
    returns how long (real seconds) the screen took."""
    h.clock.set(START + second)
    started = time.monotonic()
    screen = h.app.screen
    if isinstance(screen, WorkoutScreen):
        screen.tick()
    took = time.monotonic() - started
    await pilot.pause()
    return took


START = 5000.0
"""The harness's fake clock reading when the workout starts."""


async def run_and_listen(
    pilot: Pilot[Any],
    h: Harness,
    program: Path,
    moments: list[float],
    said: list[tuple[float, str]] | None = None,
) -> list[tuple[float, str]]:
    """Tick at each moment, wait until the voice has said it all; ``said`` and then each
    (moment, words) heard since."""
    said = [] if said is None else said
    for moment in moments:
        if moment:
            await tick_at(pilot, h, moment)
        if h.app._voice is not None:
            await until(pilot, lambda: voice_of(h).idle, "the voice to finish")
        for entry in heard(program)[len(said) :]:
            *options, words = entry["args"]
            assert options in ([], ["--"])
            said.append((moment, words))
    return said


async def test_speaks_changes_countdown_halfway_cues_and_rating(
    harness: MakeHarness, tmp_path: Path
) -> None:
    program = fake_tts(tmp_path)
    h = harness(VOICE_PLAN, sound="voice", settings=voice_settings([str(program)]))
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert h.clock.now == START
        screen = workout_screen(h)
        delays: list[float] = []
        set_timer = screen.set_timer

        def recording_set_timer(delay: float, *args: Any, **kwargs: Any) -> Any:
            delays.append(delay)
            return set_timer(delay, *args, **kwargs)

        screen.set_timer = recording_set_timer  # type: ignore[method-assign]
        moments = [float(second) for second in range(126)]
        moments.insert(moments.index(88.0), 87.5)
        said = await run_and_listen(pilot, h, program, moments[:88])
        # At 87 s the screen sleeps only until the recovery's halfway point, 87.5 s.
        assert delays[-1] == pytest.approx(0.5, abs=0.01)
        await run_and_listen(pilot, h, program, moments[88:], said)
    recovery = (
        "Recovery, forward, turn around, one minute fifteen, your own pace, incline back to zero"
    )
    assert said == [
        (0, "Warm-up, forward, twenty seconds, three miles an hour"),
        (4, "Plan cue one"),
        (8, "Plan cue two"),
        (17, "three"),
        (18, "two"),
        (19, "one"),
        (
            20,
            "Backward, turn around, thirty seconds, two point five miles an hour, "
            "one percent incline",
        ),
        (24, "Eyes on your mark"),
        (28, "Short quick steps"),
        (36, "Eyes on your mark"),
        (44, "Short quick steps"),
        (47, "three"),
        (48, "two"),
        (49, "one"),
        (50, f"{recovery}. {RATING_PROMPT}"),
        (54, "Plan cue one"),
        (58, "Plan cue two"),
        (66, "Plan cue one"),
        (74, "Plan cue two"),
        (82, "Plan cue one"),
        (87.5, "Halfway"),
        (90, "Plan cue two"),
        (98, "Plan cue one"),
        (106, "Plan cue two"),
        (114, "Plan cue one"),
        (122, "three"),
        (123, "two"),
        (124, "one"),
        (125, WORKOUT_DONE),
    ]
    # Voice mode rings the bell too.
    assert [round(at - START) for at in h.bells if at - START < 21] == [0, 17, 18, 19, 20]


@pytest.mark.parametrize("mode", ["bell", "off"])
async def test_bell_and_off_modes_say_nothing(
    harness: MakeHarness, tmp_path: Path, mode: str
) -> None:
    program = fake_tts(tmp_path)
    h = harness(VOICE_PLAN, sound=mode, settings=voice_settings([str(program)]))
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for second in range(1, 60):
            await tick_at(pilot, h, second)
        assert h.app._voice is None  # no voice was even started
        bindings = workout_screen(h).active_bindings
        if mode == "off":
            assert "m" not in bindings  # nothing to mute
        else:
            assert bindings["m"].binding.description == "Mute"
    assert heard(program) == []
    assert bool(h.bells) == (mode == "bell")


async def test_m_mutes_bell_and_voice_for_the_rest_of_the_workout(
    harness: MakeHarness, tmp_path: Path
) -> None:
    program = fake_tts(tmp_path, "hang")
    h = harness(VOICE_PLAN, sound="voice", settings=voice_settings([str(program)]))
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await until(pilot, lambda: len(heard(program)) == 1, "the first announcement")
        speaking = heard(program)[0]["pid"]
        screen = workout_screen(h)
        assert screen.active_bindings["m"].binding.description == "Mute"
        await pilot.press("m")
        assert screen.muted
        assert screen.active_bindings["m"].binding.description == "Unmute"
        assert "muted" in str(screen.query_one("#title", Static).content)
        # Muting silences what is being said at once.
        await until(pilot, lambda: voice_of(h).idle, "the voice to be silenced")
        await until(pilot, lambda: gone(speaking), "the speaking program to be killed")
        h.bells.clear()
        for second in range(1, 60):
            await tick_at(pilot, h, second)
        await pilot.pause(0.1)
        assert len(heard(program)) == 1
        assert h.bells == []
        await pilot.press("m")
        assert screen.active_bindings["m"].binding.description == "Mute"
        assert "muted" not in str(screen.query_one("#title", Static).content)
        await tick_at(pilot, h, 66)
        await until(pilot, lambda: len(heard(program)) == 2, "speech after unmuting")
        assert heard(program)[1]["args"] == ["Plan cue one"]
        for second in range(67, 80):
            await tick_at(pilot, h, second)
        assert h.bells == []  # the recovery has no change in these seconds
        await tick_at(pilot, h, 122)
        assert [round(at - START) for at in h.bells] == [122]


def plan_with_cue(cue: str, name: str) -> str:
    escaped = json.dumps(cue)
    return f"""\
[plan]
name = "Nasty"

[[step]]
name = {json.dumps(name)}
duration = "40s"
speed = 3.0
cues = ["Eyes front", {escaped}]
"""


async def test_plan_text_reaches_the_program_as_one_plain_argument(
    harness: MakeHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where the program runs, and where SOMEFILE would appear
    marker = tmp_path / "SOMEFILE"
    cue = NASTY
    name = "$(touch SOMEFILE); `touch SOMEFILE` run"
    program = fake_tts(tmp_path)
    h = harness(plan_with_cue(cue, name), sound="voice", settings=voice_settings([str(program)]))
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        said = await run_and_listen(pilot, h, program, [0, 8])
    assert said == [(0, f"{name}, forward, forty seconds, three miles an hour"), (8, cue)]
    args = [entry["args"] for entry in heard(program)]
    assert args[1] == ["--", cue]  # byte for byte, after the end of options
    assert args[1][1].encode() == cue.encode()
    assert not marker.exists()


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def test_a_hung_program_never_stalls_the_workout(
    harness: MakeHarness, tmp_path: Path
) -> None:
    program = fake_tts(tmp_path, "hang")
    h = harness(VOICE_PLAN, sound="voice", settings=voice_settings([str(program)]))
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await until(pilot, lambda: heard(program), "the first announcement")
        screen = workout_screen(h)
        slowest = 0.0
        for second in range(1, 31):
            slowest = max(slowest, await tick_at(pilot, h, second))
            digits = screen.query_one("#clock", ClockFace).countdown
            left = 20 - second if second < 20 else 50 - second
            assert digits == f"0:{left:02d}", f"at {second} s"
        assert slowest < 0.25  # saying something never waits for the program
        assert screen.workout is not None and screen.workout.index == 1
        # Keys answer at once while the program hangs.
        await pilot.press("space")
        assert screen.query_one("#direction", BigText).text == "PAUSED"
        await pilot.press("space")
        await pilot.press("n")
        assert screen.workout.index == 2
        await until(pilot, lambda: heard(program)[-1]["args"][0].startswith("Recovery"), "skip")
        # Every program but the latest was killed when something newer came.
        pids = [entry["pid"] for entry in heard(program)]
        await until(pilot, lambda: all(gone(pid) for pid in pids[:-1]), "stale programs to end")
        assert not gone(pids[-1])
    # Leaving the app kills the one still hanging.
    assert await_gone(pids[-1])


def await_gone(pid: int) -> bool:
    deadline = time.monotonic() + WAIT_S
    while not gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


class Notices:
    """Every notification the app shows: (message, severity, markup)."""

    def __init__(self, harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[tuple[str, str, bool]] = []
        original = harness.app.notify

        def record(message: str, *args: Any, **kwargs: Any) -> None:
            severity = kwargs.get("severity", "information")
            self.shown.append((message, severity, kwargs.get("markup", True)))
            original(message, *args, **kwargs)

        monkeypatch.setattr(harness.app, "notify", record)


async def test_a_missing_program_falls_back_to_the_bell_with_one_notice(
    harness: MakeHarness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no-such-tts"
    h = harness(VOICE_PLAN, sound="voice", settings=voice_settings([str(missing)]))
    notices = Notices(h, monkeypatch)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await until(pilot, lambda: notices.shown, "the notice")
        for second in range(1, 60):
            await tick_at(pilot, h, second)
        await until(pilot, lambda: voice_of(h).idle, "the voice to settle")
        await pilot.pause(0.05)
    voice_notices = [shown for shown in notices.shown if "voice_command" in shown[0]]
    assert len(voice_notices) == 1
    message, severity, markup = voice_notices[0]
    assert str(missing) in message and severity == "warning" and markup is False
    assert [round(at - START) for at in h.bells] == [0, 17, 18, 19, 20, 47, 48, 49, 50]


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (apt install espeak-ng)"
)
async def test_espeak_ng_speaks_a_real_cue_into_a_wav_file(
    harness: MakeHarness, tmp_path: Path
) -> None:
    wav = tmp_path / "announcement.wav"
    command = ["espeak-ng", "-w", str(wav)]
    h = harness(VOICE_PLAN, sound="voice", settings=voice_settings(command))
    async with h.app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await until(pilot, lambda: voice_of(h).idle, "espeak-ng to finish")
        assert not voice_of(h).failed
    data = wav.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    with wave.open(str(wav), "rb") as sound:
        assert sound.getsampwidth() == 2
        seconds = sound.getnframes() / sound.getframerate()
        samples = array("h", sound.readframes(sound.getnframes()))
    # "Warm-up, forward, twenty seconds, three miles an hour" takes a few seconds to say.
    assert 1.5 < seconds < 15
    assert max(abs(sample) for sample in samples) > 1000
