"""The installed program driving a treadmill: ``retro-tui simulate`` in one process, the
workout in tmux in another, the two on a virtual radio over loopback TCP.

This is how a person tries the link without a treadmill (the README says so),
and every byte crosses bumble's virtual controllers as FTMS says. What is
checked: the belt starts and takes each step's speed, the devices line shows
the belt and the heart rate, the safety key pauses the workout, and the saved
session has each step's measured figures and a samples file beside the log, and
``retro-tui export`` makes FIT and TCX files of it with the measured heart rate, which
two independent FIT decoders read without complaint.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import fitdecode
import pytest
from garmin_fit_sdk import Decoder, Stream

from retro_tui.devices.simulator import STRAP_NAME, TREADMILL_NAME
from retro_tui.devices.telemetry import read_samples

from .conftest import StartInTmux, free_port, wait_until

pytestmark = pytest.mark.e2e

if shutil.which("tmux") is None:
    pytest.skip("tmux is not installed: these tests drive the app in tmux", allow_module_level=True)

PLAN = """\
[plan]
name = "Belt test"
units = "kmh"

[[step]]
kind = "warmup"
duration = "12s"
speed = 3.0

[[step]]
direction = "backward"
duration = "1m"
speed = 2.0

[[step]]
kind = "cooldown"
duration = "10s"
speed = 3.0
"""

START_S = 30.0
"""Generous: two Python programs starting, and a scan and a connection on the virtual radio."""


class SimulatorProcess:
    """``retro-tui simulate`` with its typed console commands and its output in a file."""

    def __init__(self, process: subprocess.Popen[str], output: Path) -> None:
        self.process = process
        self.output = output

    def says(self, text: str) -> bool:
        return text in self.output.read_text(encoding="utf-8", errors="replace")

    def type(self, command: str) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(command + "\n")
        stdin.flush()


@pytest.fixture
def simulator(retro_tui_bin: Path, tmp_path: Path) -> Iterator[tuple[SimulatorProcess, int]]:
    port = free_port()
    output = tmp_path / "simulate.out"
    with open(output, "w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [str(retro_tui_bin), "simulate", "--port", str(port)],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    running = SimulatorProcess(process, output)
    try:
        wait_until(lambda: running.says("A virtual treadmill"), START_S, "the simulator")
        yield running, port
    finally:
        stdin: IO[str] | None = process.stdin
        if stdin is not None and process.poll() is None:
            stdin.write("q\n")
            stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_installed_program_drives_the_simulated_treadmill(
    retro_tui_bin: Path,
    start_in_tmux: StartInTmux,
    retro_env: dict[str, str],
    simulator: tuple[SimulatorProcess, int],
    tmp_path: Path,
) -> None:
    machine, port = simulator
    Path(retro_env["RETRO_TUI_CONFIG"]).write_text(
        "[workout]\npreflight = false\n\n[devices]\n"
        f'treadmill = "{TREADMILL_NAME}"\nheart_rate = "{STRAP_NAME}"\n'
        f'backend = "bumble:tcp-client:127.0.0.1:{port}"\n',
        encoding="utf-8",
    )
    plan = tmp_path / "belt-test.toml"
    plan.write_text(PLAN, encoding="utf-8")
    pane = start_in_tmux("run", str(plan))

    # The warm-up's speed, set by the app; the belt and the heart shown under the clock.
    pane.wait_for(re.compile(r"Belt \d\.\d of 3\.0 km/h").search, START_S, "the belt line")
    wait_until(
        lambda: machine.says("set the speed to 3.00 km/h"), START_S, "the warm-up's speed set"
    )
    pane.wait_for(re.compile(r"♥ \d+").search, START_S, "a heart rate")
    # Backward: from the treadmill's lowest speed, said on the screen.
    pane.wait_for("Belt at 0.8, then up 0.8 a minute to 2.0", START_S)
    wait_until(lambda: machine.says("set the speed to 0.80 km/h"), 10.0, "the ramp's first speed")

    machine.type("key")  # the safety key pulled: the workout pauses at once
    pane.wait_for("Paused: press space to go on", 10.0)
    machine.type("key")
    pane.send("Space")  # the person goes on: the belt starts again, at the ramp's speed
    started = "command start the belt"
    wait_until(lambda: machine.output.read_text().count(started) == 2, 10.0, "a second start")
    pane.wait_for("Belt 0.8 of 0.8 km/h", 15.0)

    pane.send("q")
    pane.wait_for("End the workout now?")
    pane.send("y")
    pane.wait_for("Workout ended early", 10.0)
    wait_until(lambda: machine.says("command stop the belt"), 10.0, "the belt stopped")
    pane.send("Enter")
    pane.wait_for("Saved to", 10.0)

    document: dict[str, Any] = tomllib.loads(
        Path(retro_env["RETRO_TUI_HISTORY"]).read_text(encoding="utf-8")
    )
    [session] = document["session"]
    warmup, backward = session["step"][:2]
    assert warmup["belt_speed"] > 0 and warmup["distance_m"] > 0
    assert 40 <= warmup["heart_rate_avg"] <= warmup["heart_rate_max"] <= 220
    assert 0 < backward["belt_speed"] < warmup["belt_speed"]  # slowing from 3.0 to 0.8
    samples = Path(retro_env["RETRO_TUI_HISTORY"]).parent / session["samples"]
    rows = read_samples(samples)
    assert len(rows) >= 8  # a row about every second, from the connection on
    assert {row["step"] for row in rows} >= {"1", "2"}

    # The session out, as the runner sends it to Strava: the strap's heart rate in both files.
    out = tmp_path / "exports"
    exported = subprocess.run(
        [str(retro_tui_bin), "export", "--last", "-o", str(out)],
        env={**os.environ, **retro_env},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert exported.returncode == 0, exported.stderr
    fit = next(out.glob("*.fit")).read_bytes()
    assert Decoder(Stream.from_byte_array(bytearray(fit))).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(fit))).read()
    assert errors == []
    assert len(messages["lap_mesgs"]) == len(session["step"])
    assert any(record.get("heart_rate") for record in messages["record_mesgs"])
    with fitdecode.FitReader(io.BytesIO(fit), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        names = [frame.name for frame in reader if isinstance(frame, fitdecode.FitDataMessage)]
    assert names[0] == "file_id" and names[-1] == "activity"
    tcx = ElementTree.parse(next(out.glob("*.tcx")))
    namespace = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"
    beats = [int(value.text or 0) for value in tcx.getroot().iter(f"{namespace}Value")]
    assert beats and all(40 <= beat <= 220 for beat in beats)
    assert "as the devices recorded them" in "".join(tcx.getroot().itertext())
