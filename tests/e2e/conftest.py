"""Helpers for running the installed ``retro-tui`` program as a user would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def retro_tui_bin() -> Path:
    """The installed console script: next to this Python, else on PATH."""
    beside = Path(sys.executable).with_name("retro-tui")
    if beside.exists():
        return beside
    found = shutil.which("retro-tui")
    if found is None:
        pytest.fail("retro-tui is not installed: run the README's install command first")
    return Path(found)


RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli(retro_tui_bin: Path, tmp_path: Path) -> RunCli:
    """Run the installed program with arguments, from a temp folder, without a terminal."""

    def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(retro_tui_bin), *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )

    return run
