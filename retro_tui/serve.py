"""``retro-tui serve``: the app in a web browser, for a tablet on the wall in front of the belt.

textual-serve runs a small web server. Every browser tab that opens the page
starts its own app process (``python -m retro_tui ...``) and drives it over a
websocket, so several tabs are several independent apps sharing one history
log (appends to it are locked).

When a tab is closed, or its connection is lost and the server's websocket
heartbeat gives up, textual-serve asks that tab's app to quit. The workout
screen saves a workout still running as "ended early", with every step done, as
it is taken down. A process killed before it can do that leaves its crash
journal, which the next start of any ``retro-tui`` (a new tab included) adds
to the log as "recovered".

The page and its websocket answer only requests addressed to this server
(and, on the default loopback address, only to a loopback name), so another
web site open in the same browser can't drive the app.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import shlex
import signal
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from aiohttp import web

PROG = "retro-tui"
DEFAULT_HOST = "localhost"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
PAGE_TITLE = "retro-tui"
APP_QUIT_TIMEOUT_S = 15.0
"""How long a stopping server waits for its apps to save and quit before leaving them."""


@dataclass(frozen=True)
class ServeOptions:
    """What ``retro-tui serve`` was asked to do."""

    port: int
    host: str = DEFAULT_HOST
    history: Path | None = None
    config: Path | None = None
    plans: tuple[Path, ...] = ()


# -- the app each browser tab runs -----------------------------------------------------------


def app_argv(options: ServeOptions, python: str | None = None) -> list[str]:
    """The command line of the app one browser tab runs, as a list of arguments.

    Paths are made absolute, so they mean the same whatever folder the app
    process starts in.
    """
    argv = [python or sys.executable, "-m", "retro_tui"]
    if options.history is not None:
        argv += ["--history", str(options.history.absolute())]
    if options.config is not None:
        argv += ["--config", str(options.config.absolute())]
    # An absolute path never starts with "-" and is never a command word.
    argv += [str(plan.absolute()) for plan in options.plans]
    return argv


def app_shell_command(argv: Sequence[str]) -> str:
    """``argv`` as the shell command textual-serve runs, every argument quoted.

    ``exec`` puts the app in the shell's place, so a signal sent to the
    process textual-serve started reaches the app itself.
    """
    return f"exec {shlex.join(argv)}"


# -- where it listens --------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """True for a name or address only this computer can reach."""
    name = host.strip().lower().strip("[]")
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def network_warning(host: str, port: int) -> str | None:
    """The warning to print when the server can be reached from other computers."""
    if is_loopback(host):
        return None
    where = "any network this computer is on" if host in WILDCARD_HOSTS else host
    return (
        f"{PROG} serve: warning: listening on {where} (port {port}): anyone who can reach "
        f"this computer can open retro-tui in a browser and use it (see and add to the "
        f"history, write plans, change settings). There is no password: use --host only on "
        f"a network you trust, and stop the server (Ctrl+C) when the session is over."
    )


def url_for(host: str, port: int) -> str:
    bare = host.strip("[]")
    shown = f"[{bare}]" if ":" in bare else bare
    return f"http://{shown}:{port}"


def addresses_to_open(host: str, port: int) -> list[str]:
    """The addresses to type into a browser: the host itself, or for a wildcard this computer's."""
    if host not in WILDCARD_HOSTS:
        return [url_for(host, port)]
    found = [url_for(address, port) for address in _network_addresses()]
    return [*found, url_for("localhost", port)]


def _network_addresses() -> list[str]:
    """This computer's address on its main network, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            # Connecting a UDP socket sends nothing: it only picks the outgoing address.
            probe.connect(("192.0.2.1", 9))
            address = str(probe.getsockname()[0])
        except OSError:
            return []
    return [] if ipaddress.ip_address(address).is_loopback else [address]


def request_allowed(host_header: str, origin: str | None, *, open_to_network: bool) -> bool:
    """Whether a request for the page or its websocket should be answered.

    A browser sends ``Origin`` with a websocket; it must be this server, or any
    web site open in the same browser could drive the app. On a loopback
    address the ``Host`` must be a loopback name too, which stops a web site
    whose name was made to point at 127.0.0.1 ("DNS rebinding").
    """
    host = urlsplit(f"http://{host_header}").hostname or ""
    if not open_to_network and not is_loopback(host):
        return False
    if origin is None:
        return True  # not a browser: nothing a web site could use
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host_header.lower()


# -- the server --------------------------------------------------------------------------------


def bind_problem(error: OSError, host: str, port: int) -> str:
    """One line saying why the server could not listen."""
    if isinstance(error, socket.gaierror):
        return f"cannot listen on {host!r}: no such host or address ({error.strerror or error})"
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} is already in use on {host} (is {PROG} serve already running?); "
            "choose another with --port N, or set [serve] port in config.toml"
        )
    if error.errno == errno.EACCES:
        return f"not allowed to listen on port {port}; choose a port above 1023 with --port N"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host}: it is not an address of this computer"
    return f"cannot listen on {host} port {port}: {error.strerror or error}"


def run_serve(options: ServeOptions) -> int:
    """Serve the app until Ctrl+C. Returns the exit status; 1 when it can't start."""
    try:
        from textual_serve.server import Server  # noqa: F401  (only checks it is there)
    except ImportError:
        print(
            f"{PROG} serve: textual-serve is not installed; reinstall retro-tui "
            "(pip install retro-tui) to get it",
            file=sys.stderr,
        )
        return 1
    warning = network_warning(options.host, options.port)
    if warning is not None:
        print(warning, file=sys.stderr)
    server = make_server(options)
    try:
        server.serve()
    except OSError as error:
        print(f"{PROG} serve: {bind_problem(error, options.host, options.port)}", file=sys.stderr)
        return 1
    print(f"{PROG} serve: stopped", file=sys.stderr)
    return 0


def make_server(options: ServeOptions) -> Any:
    """The textual-serve server for ``options`` (imported here: the other commands skip it)."""
    from aiohttp import web
    from textual_serve.server import Server

    open_to_network = not is_loopback(options.host)
    connections: set[asyncio.Task[Any]] = set()
    """The tasks serving open browser tabs, each with its own app process."""

    class RetroServer(Server):
        """textual-serve's server with quiet logs, its own greeting and request checks."""

        def initialize_logging(self) -> None:
            # The app's own screens say what happens; only problems are worth a line here.
            logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")

        async def on_startup(self, app: web.Application) -> None:
            """Nothing to say until the port is open (see ``announce``)."""

        async def on_shutdown(self, app: web.Application) -> None:
            """Let every tab's app quit (and save a running workout) before the server goes.

            textual-serve ends a connection cancelled by the shutdown the same way
            as a closed tab: it asks the app to quit and waits for it. Without
            this, the server would exit first and its apps be killed outright.
            """
            running = [task for task in connections if not task.done()]
            for task in running:
                task.cancel()
            if running:
                await asyncio.wait(running, timeout=APP_QUIT_TIMEOUT_S)

        def announce(self, *_: object) -> None:
            addresses = addresses_to_open(options.host, options.port)
            print(f"{PROG} is ready in your browser: open {addresses[0]}", flush=True)
            for other in addresses[1:]:
                print(f"  or {other}", flush=True)
            print("Each browser tab runs its own workout. Ctrl+C stops the server.", flush=True)

        def serve(self, debug: bool = False) -> None:
            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            for signal_number in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signal_number, self.request_exit)
            try:
                web.run_app(
                    self._make_app(),
                    host=self.host,
                    port=self.port,
                    handle_signals=False,
                    loop=loop,
                    print=self.announce,
                    access_log=None,
                )
            finally:
                loop.close()

        async def handle_index(self, request: web.Request) -> Any:
            if not request_allowed(request.host, None, open_to_network=open_to_network):
                raise web.HTTPForbidden(text="retro-tui answers on its own address only")
            # The page tells the browser where the websocket is: the address this
            # browser used (a tablet knows the laptop by its network address, not
            # by the "0.0.0.0" the server listens on). Nothing awaits between
            # setting it and the page reading it.
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> Any:
            origin = request.headers.get("Origin")
            if not request_allowed(request.host, origin, open_to_network=open_to_network):
                raise web.HTTPForbidden(text="retro-tui answers its own page only")
            connection = asyncio.current_task()
            assert connection is not None  # a request is always handled in a task
            connections.add(connection)
            try:
                return await super().handle_websocket(request)
            finally:
                connections.discard(connection)

    return RetroServer(
        app_shell_command(app_argv(options)),
        host=options.host.strip("[]"),  # "[::1]", as in a URL, is the address ::1
        port=options.port,
        title=PAGE_TITLE,
    )
