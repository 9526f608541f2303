"""Shared by the live benchmarks (workout_cpu, transition_lateness): plans, sandbox, launching.

Not a benchmark itself (it is not in ``BENCHMARKS``). A live benchmark runs
``bench/live_driver.py`` in a fresh interpreter, with every data location in
a temporary folder (see :func:`bench.startup.sandbox_env`) and a config file
there that turns the safety-check dialog off, so the plan starts at once. The
child prints one ``LIVE {json}`` line; :func:`Child.record` reads it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.startup import sandbox_env

DRIVER = Path(__file__).with_name("live_driver.py")

CONFIG_TEXT = "[workout]\npreflight = false\n"
"""The sandbox's config file: start the plan without the safety check."""


def intervals_plan(name: str, seconds: int, rounds: int, lead_in_s: int = 0) -> str:
    """A plan of ``rounds`` × (``seconds`` backward, ``seconds`` forward), as TOML text.

    With ``lead_in_s``, a forward warm-up step of that length comes first.
    """
    lead_in = (
        f'[[step]]\nkind = "warmup"\nduration = "{lead_in_s}s"\nspeed = 4.0\n\n'
        if lead_in_s
        else ""
    )
    return (
        f'[plan]\nname = "{name}"\n\n{lead_in}'
        f"[[step]]\nrepeat = {rounds}\n\n"
        f'  [[step.step]]\ndirection = "backward"\nduration = "{seconds}s"\nspeed = 2.0\n\n'
        f'  [[step.step]]\nduration = "{seconds}s"\nspeed = 4.0\n'
    )


@dataclass(frozen=True)
class Sandbox:
    """A temporary home for the children: environment, config file, plan files."""

    home: Path
    env: dict[str, str]

    @classmethod
    def create(cls, home: Path) -> Sandbox:
        """Set up ``home`` (an empty folder): data folders and the config file."""
        (home / "config.toml").write_text(CONFIG_TEXT, encoding="utf-8")
        return cls(home, sandbox_env(home))

    def plan(self, name: str, text: str) -> Path:
        """Write a plan file into the sandbox (checked here, so a bad plan fails early)."""
        from retro_tui.plan import parse_plan_text

        parse_plan_text(text, label=name)
        path = self.home / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        return path


class Child:
    """One run of ``live_driver.py`` with ``args``, started at once in the sandbox.

    Use it as a context manager: leaving the block kills the child if it is
    still running (after an error elsewhere, or Ctrl+C).
    """

    def __init__(self, sandbox: Sandbox, args: list[str], timeout_s: float) -> None:
        self.args = args
        self.timeout_s = timeout_s
        self.process = subprocess.Popen(
            [sys.executable, str(DRIVER), *args],
            env=sandbox.env,
            cwd=sandbox.home,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Kill the child if it is still running, and reap it."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()

    def record(self) -> dict[str, Any]:
        """Wait for the child (up to the timeout, then kill it); the record it printed."""
        try:
            out, err = self.process.communicate(timeout=self.timeout_s)
        except subprocess.TimeoutExpired:
            self.stop()
            raise RuntimeError(
                f"live_driver.py {' '.join(self.args)} did not finish in {self.timeout_s:.0f} s"
            ) from None
        if self.process.returncode != 0:
            tail = (err.strip().splitlines() or ["no output"])[-1]
            raise RuntimeError(
                f"live_driver.py {' '.join(self.args)} exited with "
                f"{self.process.returncode}: {tail}"
            )
        for line in out.splitlines():
            if line.startswith("LIVE "):
                record: dict[str, Any] = json.loads(line.removeprefix("LIVE "))
                return record
        raise RuntimeError(f"live_driver.py {' '.join(self.args)} printed no record")
