"""Helpers for running the installed ``retro-tui`` program as a user would."""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


# -- tmux: the installed program in a real terminal ------------------------------------------

POLL_S = 0.05
"""How often a waiting test looks at the pane again."""

TMUX_CONF = """\
set -g status off
set -g remain-on-exit on
set -g escape-time 0
set -g bell-action none
set -g visual-bell off
"""
"""No status line (the app gets every row), and a crashed app's last screen stays readable."""


class TmuxPane:
    """One tmux server on its own socket, with one pane running one command."""

    def __init__(self, tmux: str, socket: str, conf: Path, env: dict[str, str]) -> None:
        self.program = tmux
        self.socket = socket
        self.conf = conf
        self.env = env
        self.socket_path: Path | None = None

    def tmux(self, *args: str, check: bool = True) -> str:
        command = [self.program, "-L", self.socket, "-f", str(self.conf), *args]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, timeout=30, env=self.env, check=False
            )
        except subprocess.TimeoutExpired:
            # tmux answers in milliseconds: this is a machine stalled (out of memory or CPU).
            raise AssertionError(f"tmux {' '.join(args)} got no answer in 30 s") from None
        if check and result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def start(self, command: str, width: int, height: int, env: dict[str, str]) -> None:
        settings = [arg for name, value in env.items() for arg in ("-e", f"{name}={value}")]
        size = ["-x", str(width), "-y", str(height)]
        self.tmux("new-session", "-d", *size, *settings, command)
        self.socket_path = Path(self.tmux("display-message", "-p", "#{socket_path}").strip())

    def capture(self) -> str:
        """The visible screen as text, one line per row."""
        return self.tmux("capture-pane", "-p")

    def send(self, *keys: str) -> None:
        """Press keys by tmux name (``Enter``, ``Space``, ``Escape``, ``Tab``, ``q``...)."""
        self.tmux("send-keys", *keys)

    def type(self, text: str) -> None:
        """Type ``text`` literally."""
        self.tmux("send-keys", "-l", text)

    def pane_pid(self) -> int:
        return int(self.tmux("list-panes", "-F", "#{pane_pid}").split()[0])

    def server_pid(self) -> int:
        return int(self.tmux("display-message", "-p", "#{pid}").strip())

    def is_dead(self) -> bool:
        return self.tmux("list-panes", "-F", "#{pane_dead}").split()[0] == "1"

    def wait_for(
        self, expected: str | Callable[[str], bool], timeout: float = 10.0, what: str = ""
    ) -> str:
        """Poll the pane until it shows ``expected`` (text, or a test of the screen).

        Returns the screen that matched; on timeout fails with the last screen
        seen, so a report shows exactly what the user would have seen.
        """
        test = (lambda screen: expected in screen) if isinstance(expected, str) else expected
        deadline = time.monotonic() + timeout
        while True:
            screen = self.capture()
            if test(screen):
                return screen
            if time.monotonic() > deadline:
                label = what or (expected if isinstance(expected, str) else "the expected screen")
                dead = " (the program has exited)" if self.is_dead() else ""
                raise AssertionError(
                    f"waited {timeout:g} s for {label!r}{dead}; the pane shows:\n{screen}"
                )
            time.sleep(POLL_S)

    def wait_gone(self, text: str, timeout: float = 10.0) -> str:
        return self.wait_for(lambda screen: text not in screen, timeout, f"{text!r} to go")

    def kill_server(self) -> None:
        """Stop this server and everything in it, and remove its socket file."""
        self.tmux("kill-server", check=False)
        if self.socket_path is not None:
            self.socket_path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def tmux_bin() -> str:
    """The tmux program; tests that need it are skipped (with the reason) where it is missing."""
    found = shutil.which("tmux")
    if found is None:
        pytest.skip("tmux is not installed: the terminal end-to-end tests need it")
    return found


@pytest.fixture
def retro_env(tmp_path: Path) -> dict[str, str]:
    """Where the program under test keeps its files: all inside this test's temp folder."""
    return {
        "RETRO_TUI_HISTORY": str(tmp_path / "history.toml"),
        "RETRO_TUI_CONFIG": str(tmp_path / "config.toml"),
        "RETRO_TUI_PLANS": str(tmp_path / "plans"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
    }


StartInTmux = Callable[..., TmuxPane]


@pytest.fixture
def start_in_tmux(
    tmux_bin: str,
    retro_tui_bin: Path,
    retro_env: dict[str, str],
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> StartInTmux:
    """Start the installed ``retro-tui ARGS...`` in a detached tmux pane of the given size.

    Every call gets a tmux server of its own (a unique ``-L`` socket), killed
    when the test ends, whatever happens.
    """

    def start(*args: str, width: int = 100, height: int = 30) -> TmuxPane:
        conf = tmp_path / f"tmux-{secrets.token_hex(3)}.conf"
        conf.write_text(TMUX_CONF, encoding="utf-8")
        socket = f"retro-e2e-{os.getpid()}-{secrets.token_hex(4)}"
        pane = TmuxPane(tmux_bin, socket, conf, {**os.environ, **retro_env})
        request.addfinalizer(pane.kill_server)
        command = shlex.join([str(retro_tui_bin), *args])
        # The size given to tmux, as the program reads it first: on a loaded machine the
        # program has been seen to start before its pane had its size, and draw for 80x25.
        size = {"COLUMNS": str(width), "LINES": str(height)}
        pane.start(f"exec {command}", width, height, {**retro_env, **size})
        return pane

    return start


def free_port() -> int:
    """A TCP port nothing listens on now, on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(test: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll ``test`` until it gives something true (returned); fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = test()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}")
        time.sleep(0.05)
