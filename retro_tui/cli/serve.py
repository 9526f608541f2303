"""``retro-tui serve``: the app in a web browser, for a tablet on the wall in front of the belt.

This module reads the command's options; :mod:`retro_tui.cli.browser` is the
server itself.
"""

from __future__ import annotations

import argparse
import sys

from retro_tui.cli.command import PROG, Command, add_plan_paths, converted
from retro_tui.cli.session import Session
from retro_tui.config import VALIDATORS


def port_number(text: str) -> int:
    """``--port``: checked like ``[serve] port``, so both say the same."""
    number = converted(text, int, f"must be a whole number, not {text!r}")
    try:
        port: int = VALIDATORS["serve"]["port"](number)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{error}, not {number}") from None
    return port


def _within(text: str, convert: type[float] | type[int], low: float, high: float) -> float:
    """``text`` as a number from ``low`` (not included) to ``high``, or ``low`` if it is none."""
    try:
        number = convert(text)
    except ValueError:
        return low
    return number if low < number <= high else low


def tab_count(text: str) -> int:
    """``--max-tabs``: a whole number from 1 to 64."""
    number = int(_within(text, int, 0, 64))
    if not number:
        raise argparse.ArgumentTypeError(f"{text} is not a whole number from 1 to 64")
    return number


def idle_minutes(text: str) -> float:
    """``--idle-minutes``: a number of minutes above zero, at most a week."""
    minutes = _within(text, float, 0, 7 * 24 * 60)
    if not minutes:
        raise argparse.ArgumentTypeError(f"{text} is not a number of minutes above 0")
    return minutes


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port",
        type=port_number,
        metavar="N",
        help="the port to listen on (default: [serve] port in config.toml, else 8000)",
    )
    parser.add_argument(
        "--host",
        default=None,
        metavar="ADDR",
        help=(
            "the address to listen on (default: localhost, this computer only); 0.0.0.0 opens "
            "it to every network this computer is on, behind a token in the address"
        ),
    )
    parser.add_argument(
        "--max-tabs",
        type=tab_count,
        default=None,
        metavar="N",
        help="how many browser tabs may run an app at once (default 8; each is a process)",
    )
    parser.add_argument(
        "--idle-minutes",
        type=idle_minutes,
        default=None,
        metavar="N",
        help="end (and save) a tab's app after N minutes with no key pressed (default 420, "
        "7 hours: longer than any plan)",
    )
    parser.add_argument(
        "--token",
        default=None,
        metavar="TEXT",
        help=(
            "the token a browser must give (in the address it opens) when --host opens the "
            "server to a network (default: a new random one, printed at start)"
        ),
    )
    add_plan_paths(parser)


def _execute(options: argparse.Namespace, session: Session) -> int:
    """The port from --port, else the settings."""
    from retro_tui.cli import browser  # aiohttp and textual-serve load only for serve

    for problem in session.loaded.problems:
        print(f"{PROG}: {problem}", file=sys.stderr)
    serve_options = browser.ServeOptions(
        port=options.port or session.loaded.config.serve.port,
        host=browser.DEFAULT_HOST if options.host is None else options.host,
        history=options.history,
        config=options.config,
        plans=tuple(options.plans),
        token=options.token,
        max_apps=options.max_tabs or browser.MAX_APPS,
        idle_s=browser.IDLE_S if options.idle_minutes is None else options.idle_minutes * 60,
    )
    return browser.run_serve(serve_options)


COMMAND = Command(
    name="serve",
    synopsis="serve",
    summary="open the app in a web browser (a tablet facing the belt), one\n"
    "workout per tab; --host opens it to your network",
    example="retro-tui serve --port 8000",
    description=(
        "Serve the app to a web browser, for a tablet or screen facing the treadmill.\n"
        "Each browser tab runs its own app; all of them save to the same history.\n"
        "Closing a tab during a workout saves the workout as ended early.\n"
        "Only this computer can open it unless --host says otherwise; then the address\n"
        "to open carries a token, printed when the server starts.\n"
        "Exit status 1 if the server can't start."
    ),
    epilog=(
        "examples: retro-tui serve                  then open http://localhost:8000\n"
        "          retro-tui serve --host 0.0.0.0   open it from a tablet on your network"
    ),
    arguments=_arguments,
    execute=_execute,
    raw_help=True,
)
