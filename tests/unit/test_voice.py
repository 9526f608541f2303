"""The voice: finding a program, argument lists that can't be abused, replacing stale words.

A fake text-to-speech program (a small Python script written into tmp_path)
records its arguments and its process id, then exits, fails or hangs, so each
rule is checked against a real process without any real speech.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from retro_tui.voice import PROGRAMS, Voice, find_voice_command, speech_argv

WAIT_S = 10.0
"""The longest any poll waits; each normally ends within milliseconds."""


def fake_tts(tmp_path: Path, behaviour: str = "speak", name: str = "fake-tts") -> Path:
    """An executable that appends ``{"pid", "args"}`` to ``<name>.log``, then exits 0
    (``speak``), exits 3 (``fail``) or sleeps 30 s (``hang``)."""
    log = tmp_path / f"{name}.log"
    script = tmp_path / name
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys, time\n"
        f"with open({str(log)!r}, 'a', encoding='utf-8') as log:\n"
        "    log.write(json.dumps({'pid': os.getpid(), 'args': sys.argv[1:]}) + '\\n')\n"
        f"behaviour = {behaviour!r}\n"
        "if behaviour == 'fail':\n"
        "    sys.exit(3)\n"
        "if behaviour == 'hang':\n"
        "    time.sleep(30)\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def spoken(program: Path) -> list[dict[str, object]]:
    log = program.with_name(program.name + ".log")
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line]


def wait_for(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def gone(pid: object) -> bool:
    """Whether process ``pid`` has ended and been reaped (a zombie still counts as there)."""
    assert isinstance(pid, int)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def group_gone(pgid: object) -> bool:
    assert isinstance(pgid, int)
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


# -- finding the program and building its arguments -----------------------------------------


def test_configured_command_wins_else_the_first_program_found() -> None:
    def which(found: set[str]) -> Callable[[str], str | None]:
        return lambda name: f"/usr/bin/{name}" if name in found else None

    assert find_voice_command(("my-tts", "-x"), which({"espeak-ng"})) == ("my-tts", "-x")
    assert find_voice_command((), which({"espeak-ng", "say"})) == ("/usr/bin/espeak-ng",)
    assert find_voice_command((), which({"espeak", "say"})) == ("/usr/bin/espeak",)
    assert find_voice_command((), which({"spd-say", "say"})) == ("/usr/bin/spd-say", "--wait")
    assert find_voice_command((), which({"say"})) == ("/usr/bin/say",)
    assert find_voice_command((), which(set())) == ()
    assert [program[0] for program in PROGRAMS] == ["espeak-ng", "espeak", "spd-say", "say"]


def test_words_are_one_last_argument_and_never_an_option() -> None:
    assert speech_argv(("espeak-ng", "-s", "150"), "Backward; rm -rf ~") == [
        "espeak-ng",
        "-s",
        "150",
        "Backward; rm -rf ~",
    ]
    assert speech_argv(("espeak-ng",), "--help me") == ["espeak-ng", "--", "--help me"]
    assert speech_argv(("espeak-ng",), "-w /tmp/x") == ["espeak-ng", "--", "-w /tmp/x"]
    # spd-say takes its text as a printf format; a NUL can't be in an argument at all.
    assert speech_argv(("/usr/bin/spd-say", "--wait"), "100% effort") == [
        "/usr/bin/spd-say",
        "--wait",
        "100%% effort",
    ]
    assert speech_argv(("say",), "a\0b") == ["say", "a b"]


# -- speaking ----------------------------------------------------------------------------------


def test_says_the_words_exactly_as_one_argument(tmp_path: Path) -> None:
    program = fake_tts(tmp_path)
    voice = Voice([str(program), "-s", "150"])
    nasty = "--help `touch X` $(touch X); rm -rf ~ | cat \"quoted\" 'single' \\ é"
    voice.say(nasty)
    wait_for(lambda: spoken(program), "the program to run")
    voice.close()
    assert spoken(program)[0]["args"] == ["-s", "150", "--", nasty]
    assert not (tmp_path / "X").exists()


def test_say_never_blocks_even_when_the_program_hangs(tmp_path: Path) -> None:
    program = fake_tts(tmp_path, "hang")
    voice = Voice([str(program)])
    started = time.monotonic()
    for word in ("three", "two", "one"):
        voice.say(word)
    assert time.monotonic() - started < 0.2
    voice.close()


def test_a_new_utterance_stops_the_one_being_spoken(tmp_path: Path) -> None:
    program = fake_tts(tmp_path, "hang")
    failures: list[str] = []
    voice = Voice([str(program)], on_failure=failures.append)
    voice.say("A long cue about posture")
    wait_for(lambda: len(spoken(program)) == 1, "the first utterance")
    first = spoken(program)[0]["pid"]
    voice.say("three")
    wait_for(lambda: len(spoken(program)) == 2, "the second utterance")
    wait_for(lambda: gone(first), "the stale program to be killed")
    assert spoken(program)[1]["args"] == ["three"]
    assert voice.speaking
    voice.close()
    assert gone(spoken(program)[1]["pid"])
    assert failures == []  # being stopped is not failing


def test_a_waiting_utterance_is_dropped_for_a_newer_one(tmp_path: Path) -> None:
    program = fake_tts(tmp_path, "hang")
    voice = Voice([str(program)])
    voice.say("first")
    wait_for(lambda: len(spoken(program)) == 1, "the first utterance")
    # Holding the voice's lock keeps its thread from taking "stale" before "fresh" arrives.
    with voice._lock:
        voice.say("stale")
        voice.say("fresh")
    wait_for(lambda: len(spoken(program)) == 2, "the newest utterance")
    voice.close()
    assert [entry["args"] for entry in spoken(program)] == [["first"], ["fresh"]]


def test_stop_silences_and_close_leaves_no_process_behind(tmp_path: Path) -> None:
    hung = tmp_path / "hung-with-child"
    log = tmp_path / "hung-with-child.log"
    # A shell script whose child (sleep) would outlive it if only the script were killed.
    hung.write_text(f'#!/bin/sh\necho "$$" >> "{log}"\nsleep 30\necho done >> "{log}"\n')
    hung.chmod(0o755)
    voice = Voice([str(hung)])
    voice.say("one")
    wait_for(lambda: log.exists() and log.read_text().strip(), "the script to start")
    pgid = int(log.read_text().split()[0])
    voice.stop()
    wait_for(lambda: group_gone(pgid), "the script and its child to be killed")
    assert not voice.speaking
    voice.say("two")
    wait_for(lambda: len(log.read_text().split()) == 2, "the second utterance")
    second = int(log.read_text().split()[1])
    threads = threading.active_count()
    voice.close()
    assert threading.active_count() == threads - 1
    # The script is reaped by close; its orphaned child by init, a moment later.
    wait_for(lambda: group_gone(second), "the second script and its child to be killed")
    assert "done" not in log.read_text()
    voice.say("after close")  # ignored, and starts nothing
    assert not voice.speaking


def test_a_missing_program_is_reported_once_and_then_silent(tmp_path: Path) -> None:
    failures: list[str] = []
    voice = Voice([str(tmp_path / "no-such-tts")], on_failure=failures.append)
    for word in ("three", "two", "one"):
        voice.say(word)
    wait_for(lambda: failures, "the failure")
    wait_for(lambda: voice.failed, "the voice to give up")
    voice.say("more")
    voice.close()
    assert len(failures) == 1
    assert "no-such-tts" in failures[0] and "[sound] voice_command" in failures[0]
    assert "bell" in failures[0]


def test_a_program_that_fails_is_reported_once(tmp_path: Path) -> None:
    program = fake_tts(tmp_path, "fail")
    failures: list[str] = []
    voice = Voice([str(program)], on_failure=failures.append)
    voice.say("three")
    wait_for(lambda: failures, "the failure")
    voice.say("two")
    voice.close()
    assert len(failures) == 1
    assert "exited with status 3" in failures[0]
    assert "[sound] voice_command" in failures[0]
    assert len(spoken(program)) == 1  # no second try after a failure


def test_no_program_at_all_says_which_were_looked_for() -> None:
    failures: list[str] = []
    voice = Voice((), on_failure=failures.append)
    voice.say("three")
    wait_for(lambda: failures, "the failure")
    voice.close()
    assert "espeak-ng" in failures[0] and "spd-say" in failures[0]
    assert "[sound] voice_command" in failures[0]


def test_blank_words_start_nothing(tmp_path: Path) -> None:
    program = fake_tts(tmp_path)
    voice = Voice([str(program)])
    voice.say("   ")
    voice.close()
    assert spoken(program) == []


@pytest.mark.skipif(sys.platform == "win32", reason="sessions and process groups are POSIX")
def test_the_program_runs_in_its_own_session_without_the_terminal(tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    out = tmp_path / "probe.json"
    probe.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        "fds = {n: os.path.realpath(f'/proc/self/fd/{n}') for n in (0, 1, 2)}\n"
        f"open({str(out)!r}, 'w').write(json.dumps("
        "{'sid': os.getsid(0), 'pid': os.getpid(), 'fds': fds}))\n",
        encoding="utf-8",
    )
    probe.chmod(0o755)
    voice = Voice([str(probe)])
    voice.say("hello")
    wait_for(lambda: out.exists() and out.read_text(), "the probe")
    voice.close()
    seen = json.loads(out.read_text())
    assert seen["sid"] == seen["pid"]  # a session of its own
    if sys.platform.startswith("linux"):
        assert set(seen["fds"].values()) == {"/dev/null"}
