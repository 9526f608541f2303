"""The installed ``retro-tui serve`` in a real browser: headless Chromium driven by Playwright.

Each test starts ``retro-tui serve`` on a free port, with the history,
settings and plans inside its temp folder, and opens the page in a fresh
browser profile. The page draws the terminal on a canvas, so the screen is
read from xterm.js's own buffer: textual-serve's script keeps its terminal in
a closure, so the test hands the page a copy of that script that also puts
the terminal on ``window`` (nothing else in it changes). Keys go in as a
person types them; every wait polls the screen or the history file.

What is checked: the app starts in the page, a plan is chosen and started
with the keyboard, editing a plan (which needs a terminal) is refused with a
message, and closing the tab in the middle of a step saves the workout as
ended early with the steps done and ends the tab's app; two tabs at once run
two independent workouts whose sessions both land whole in one history.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import free_port, wait_until

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing (Debian: apt-get install chromium): the browser tests need it",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, Route, sync_playwright  # noqa: E402

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

PLAN = """\
[plan]
name = "Tablet check"
summary = "Short steps for the browser test"

[[step]]
kind = "warmup"
duration = "2s"

[[step]]
direction = "backward"
duration = "3s"

[[step]]
kind = "cooldown"
duration = "2s"
"""
PREVIEW_TEXT = "Short steps for the browser test"
"""Shown only in the preview of the highlighted plan: the plan is chosen."""
MID_STEP_2 = ("step 2 of 3", "0:04 left")
"""The backward step has run at least a second (5 s were left when it started)."""

START_S = 30.0
"""Time for the server, then a tab's app, to start on a busy machine."""
SAVE_S = 20.0
"""Time for a closed tab's app to save and exit."""
POLL_S = 0.05

READ_SCREEN = """() => {
  const terminal = window.retroTerminal;
  if (!terminal) return null;
  const buffer = terminal.buffer.active;
  const rows = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""
TERMINAL_CREATED = re.compile(r"this\.terminal=new (\w+)\.Terminal\(")


@dataclass
class RunningServer:
    process: subprocess.Popen[bytes]
    url: str
    history: Path
    output: Path

    def children(self) -> list[int]:
        """Processes the server started (the apps of open tabs)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text(encoding="ascii", errors="replace").rpartition(")")[2]
            except OSError:
                continue
            if int(fields.split()[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found


@pytest.fixture
def server(
    retro_tui_bin: Path, retro_env: dict[str, str], tmp_path: Path
) -> Iterator[RunningServer]:
    """``retro-tui serve`` on a free port; stopped (Ctrl+C, as a person would) at the end."""
    plans = Path(retro_env["RETRO_TUI_PLANS"])
    plans.mkdir(parents=True)
    (plans / "tablet-check.toml").write_text(PLAN, encoding="utf-8")
    env = {
        **os.environ,
        **retro_env,
        "XDG_STATE_HOME": str(tmp_path / "xdg-state"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        "VISUAL": "true",  # an editor that is always there: `e` must not try to run it
    }
    port = free_port()
    output = tmp_path / "serve.out"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [str(retro_tui_bin), "serve", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, for a clean stop
        )
    served = RunningServer(
        process, f"http://localhost:{port}", Path(retro_env["RETRO_TUI_HISTORY"]), output
    )

    def ready() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"retro-tui serve exited: {output.read_text(errors='replace')}")
        return "is ready" in output.read_text(errors="replace")

    try:
        wait_until(ready, START_S, "retro-tui serve to say it is ready")
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=SAVE_S)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    home = tmp_path / "browser-home"
    home.mkdir()
    # A home of its own: the browser writes its caches and settings there, not in the user's.
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, env=env
        )
        try:
            yield launched
        finally:
            launched.close()


class Tab:
    """One browser tab showing the app, read from its terminal buffer."""

    def __init__(self, browser: Browser, url: str, viewport: tuple[int, int] = (1100, 720)) -> None:
        # Its own context: a fresh profile, like another device on the network.
        width, height = viewport
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.problems: list[str] = []
        self.context.route("**/static/js/textual.js", self._expose_terminal)
        self.page: Page = self.context.new_page()
        self.page.goto(url)

    def _expose_terminal(self, route: Route) -> None:
        response = route.fetch()
        script, found = TERMINAL_CREATED.subn(
            r"this.terminal=window.retroTerminal=new \1.Terminal(", response.text()
        )
        if found != 1:
            self.problems.append(
                "textual-serve's textual.js no longer creates its terminal the way this test "
                "expects (this.terminal=new X.Terminal(...)): update TERMINAL_CREATED"
            )
        route.fulfill(response=response, body=script)

    def screen(self) -> str:
        assert not self.problems, self.problems[0]
        return str(self.page.evaluate(READ_SCREEN) or "")

    def wait_for(self, *texts: str, timeout: float = 10.0) -> str:
        """Poll the screen until it shows every one of ``texts``; fail showing the last screen."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if all(text in shown for text in texts):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout:g} s for {texts!r}; the tab shows:\n{shown}")
            time.sleep(POLL_S)

    def wait_for_change(self, before: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while (shown := self.screen()) == before:
            if time.monotonic() > deadline:
                raise AssertionError(f"the screen did not change in {timeout:g} s:\n{shown}")
            time.sleep(POLL_S)
        return shown

    def start_keyboard(self) -> None:
        """Get the keyboard to the app, as a person clicking into the page does."""
        start = self.page.locator("#start")
        if start.is_visible():  # the splash asks for a click only with ?delay
            start.click()
        # Keys reach xterm.js through its hidden text field; a click on the canvas
        # would also tell the app which of its widgets was clicked.
        self.page.focus("textarea.xterm-helper-textarea")

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def click_text(self, text: str) -> None:
        """Click (tap) the middle of ``text`` where the screen shows it."""
        rows = self.screen().splitlines()
        row = next(number for number, line in enumerate(rows) if text in line)
        column = rows[row].index(text) + len(text) / 2
        box = self.page.locator(".xterm-screen").bounding_box()
        assert box is not None
        size = self.page.evaluate("[window.retroTerminal.cols, window.retroTerminal.rows]")
        cell_width, cell_height = box["width"] / size[0], box["height"] / size[1]
        self.page.mouse.click(box["x"] + column * cell_width, box["y"] + (row + 0.5) * cell_height)

    def wait_gone(self, text: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while text in (shown := self.screen()):
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} still shown after {timeout:g} s:\n{shown}")
            time.sleep(POLL_S)

    def choose_plan(self) -> None:
        """Move down the library until the test plan is highlighted."""
        shown = self.wait_for("Tablet check", timeout=START_S)
        for _ in range(30):
            if PREVIEW_TEXT in shown:
                return
            self.press("ArrowDown")
            shown = self.wait_for_change(shown)
        raise AssertionError(f"the test plan was never highlighted:\n{shown}")

    def start_plan(self) -> None:
        self.press("Enter")
        self.wait_for("Safety stop clip", "Enter")
        self.press("Enter")
        self.wait_for("step 1 of 3")


def sessions(history: Path) -> list[dict[str, Any]]:
    if not history.exists():
        return []
    found = tomllib.loads(history.read_text(encoding="utf-8")).get("session", [])
    assert isinstance(found, list)
    return found


def assert_cut_off_in_step_2(session: dict[str, Any]) -> None:
    """Ended early during (or just after) the backward step, with the steps done kept."""
    assert session["plan"] == "Tablet check"
    assert session["status"] == "ended early"
    steps = session["step"]
    warm_up, backward = steps[0], steps[1]
    assert (warm_up["name"], warm_up["actual_s"], warm_up["skipped"]) == ("Warm-up", 2.0, False)
    assert backward["name"] == "Backward"
    assert backward["actual_s"] >= 1.0


def test_closing_the_tab_mid_step_saves_the_workout(
    server: RunningServer, browser: Browser, tmp_path: Path
) -> None:
    tab = Tab(browser, server.url)
    tab.wait_for("Plans", "Tablet check", timeout=START_S)
    shot = tmp_path / "library.png"
    tab.page.screenshot(path=str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and shot.stat().st_size > 1000
    assert len(server.children()) == 1, "one app process for the one open tab"

    tab.start_keyboard()
    tab.choose_plan()
    tab.press("e")  # a browser has no terminal to lend an editor: the app says so and goes on
    tab.wait_for("Editing needs the app in a terminal")
    tab.click_text("Editing needs")  # a tap puts the message away
    tab.wait_gone("Editing needs")
    tab.start_plan()
    tab.wait_for(*MID_STEP_2)
    assert sessions(server.history) == []
    tab.page.close()

    [session] = wait_until(lambda: sessions(server.history), SAVE_S, "the session to be saved")
    assert_cut_off_in_step_2(session)
    wait_until(lambda: not server.children(), SAVE_S, "the closed tab's app to exit")
    assert not list(server.history.parent.glob(".history.journal-*"))
    time.sleep(0.3)  # nothing else arrives late
    assert len(sessions(server.history)) == 1


def test_two_tabs_run_two_workouts_into_one_history(
    server: RunningServer, browser: Browser
) -> None:
    tabs = [Tab(browser, server.url), Tab(browser, server.url)]
    for tab in tabs:
        tab.wait_for("Tablet check", timeout=START_S)
        tab.start_keyboard()
        tab.choose_plan()
    for tab in tabs:
        tab.start_plan()
    for tab in tabs:
        # Hold each one in its backward step, so the other has time to get there too.
        tab.wait_for(*MID_STEP_2)
        tab.press("Space")
        tab.wait_for("Paused: press space")
    assert len(server.children()) == 2

    for tab in tabs:  # both at once: the two apps save at the same moment
        tab.context.close()

    both = wait_until(
        lambda: len(found := sessions(server.history)) == 2 and found, SAVE_S, "both sessions"
    )
    assert both[0]["id"] != both[1]["id"]
    for session in both:
        assert_cut_off_in_step_2(session)
    wait_until(lambda: not server.children(), SAVE_S, "both tabs' apps to exit")


def block_rows(screen: str) -> int:
    """Rows of the screen drawn in the app's block letters and digits."""
    return sum(1 for line in screen.splitlines() if set("▀▄█") & set(line))


def test_the_clock_grows_with_the_page(
    server: RunningServer, browser: Browser, tmp_path: Path
) -> None:
    """A tablet's page is a big terminal: the direction and the countdown fill it."""
    drawn = {}
    for viewport in ((900, 560), (1800, 1100)):
        tab = Tab(browser, server.url, viewport)
        tab.wait_for("Plans", "Tablet check", timeout=START_S)
        tab.start_keyboard()
        tab.choose_plan()
        tab.start_plan()
        screen = tab.wait_for("step 1 of 3", "left in all")
        size = tab.page.evaluate("[window.retroTerminal.cols, window.retroTerminal.rows]")
        drawn[viewport] = (size, block_rows(screen))
        tab.page.screenshot(path=str(tmp_path / f"workout-{viewport[0]}.png"))
        tab.context.close()
    (small_size, small_rows), (big_size, big_rows) = drawn.values()
    assert big_size[0] > small_size[0] and big_size[1] > small_size[1]
    # The banner and the countdown together (200x61 cells here: 46 rows of them, 18 at 100x31).
    assert big_rows >= 30 and big_rows > small_rows, drawn
