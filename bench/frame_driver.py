"""Child process of the startup benchmark: build an app, run it headless, stop at its first frame.

Run as a script (``python bench/frame_driver.py retro|digits``) in a fresh
interpreter, so every import is counted. It prints one line,
``FRAME {json}``, with clock readings taken with ``time.monotonic`` (one
clock for all processes on Linux and macOS, so the parent can subtract the
moment it launched us):

- ``script_start``: the first line of this script ran (the interpreter is up);
- ``frame``: the first frame that shows any widget was composed and turned
  into terminal output;
- ``exit``: the app has shut down (the interpreter still has to exit).

"First frame": Textual hands every composed frame to ``App._display``, which
writes it to the terminal. A headless app skips the writing, so the wrapper
below renders the frame to terminal text itself (the same work a real
terminal run does) and stops the app. Frames of a screen without widgets (an
app's empty default screen before it pushes its first real screen) do not
count: nothing a user would call "the app is up" is on them.

The parent's ``subprocess`` timeout stops a build that never paints.
"""

from __future__ import annotations

import time

SCRIPT_START = time.monotonic()

import json  # noqa: E402 - after the first clock reading on purpose
import sys  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

if TYPE_CHECKING:
    from textual.app import App

SIZE = (100, 30)
"""Terminal size of the headless run, the same for both apps."""


def digits_app() -> App[None]:
    """The reference: a bare Textual app showing one ``Digits`` widget."""
    from textual.app import App, ComposeResult
    from textual.widgets import Digits

    class DigitsApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Digits("0:30")

    return DigitsApp()


def retro_app() -> App[Any]:
    """retro-tui as the ``retro-tui`` command builds it."""
    from retro_tui.tui.app import make_app

    return make_app()


def first_frame(app: App[Any]) -> float | None:
    """Run ``app`` headless until its first frame with widgets; the clock at that frame."""
    from textual.screen import Screen

    seen: list[float] = []
    display = app._display

    def display_and_stop(screen: Screen[Any], renderable: Any) -> None:
        display(screen, renderable)
        if seen or renderable is None or screen is not app.screen or not screen.children:
            return
        render_segments = getattr(renderable, "render_segments", None)
        if render_segments is not None:
            render_segments(app.console)
        seen.append(time.monotonic())
        app.exit()

    app._display = display_and_stop  # type: ignore[method-assign]
    app.run(headless=True, size=SIZE)
    return seen[0] if seen else None


def main(argv: list[str]) -> int:
    which = argv[0] if argv else ""
    record: dict[str, float | None] = {"script_start": SCRIPT_START}
    if which not in ("retro", "digits"):
        print("usage: frame_driver.py retro|digits", file=sys.stderr)
        return 2
    record["frame"] = first_frame(retro_app() if which == "retro" else digits_app())
    record["exit"] = time.monotonic()
    print("FRAME " + json.dumps(record), flush=True)
    return 0 if record["frame"] is not None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
