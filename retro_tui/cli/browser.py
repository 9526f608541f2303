"""The server of ``retro-tui serve``: the app in a web browser, one app process a tab.

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

Open to a network (``--host``), the server asks every browser for a token:
the address it prints carries it (``?token=...``), and the page then keeps
it in a cookie for its websocket; compared in constant time, anything else
is refused. Whatever asks, it is bounded: at most :data:`MAX_APPS` tabs run
an app at once (the next gets a page saying so), no terminal is bigger than
:data:`MAX_COLUMNS` x :data:`MAX_ROWS` whatever the browser asks, and a tab
that sends nothing for :data:`IDLE_S` (longer than any plan may last) has its
app save and end. The page needs nothing from another host (no web font), and
``/static/`` lists no folder.

An app whose server is gone (killed, even with ``kill -9``) notices within
seconds that its parent process changed and ends, saving a workout in
progress; see :meth:`retro_tui.tui.app.RetroApp.watch_server`.
"""

from __future__ import annotations

import asyncio
import errno
import hmac
import ipaddress
import logging
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
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
MAX_APPS = 8
"""Browser tabs running an app at once: each app is a process of some 35 MB."""
MAX_COLUMNS, MAX_ROWS = 400, 150
"""The biggest terminal a tab gets, whatever its browser asks (a 4K screen at a small
font is about 400 x 120); past it the app's memory would grow with the request."""
IDLE_S = 7 * 3600.0
"""A tab that sends no key and no resize for this long has its app save and end: longer
than the longest plan (6 hours), so a workout running untouched is never cut."""
TOKEN_COOKIE = "retro_tui_token"

UPSTREAM = {
    "serve": "199f785dcfa9af73",
    "_make_app": "f49af73ecb6eb223",
    "_process_messages": "c30aaa2d9521fe13",
    "handle_index": "c961f57f6af22bfe",
    "handle_websocket": "87c0c9d50be81f45",
    "on_startup": "f3926338a478bb8c",
    "on_shutdown": "a9cce6a4d90e32b1",
    "initialize_logging": "c39d2f4019a7fd33",
}
"""textual-serve's ``Server`` methods that :func:`make_server` replaces or extends, each with
the digest of its source in the textual-serve this copy was written against (1.1.3; the
dependency is pinned to 1.1). ``serve``, ``_make_app`` and ``_process_messages`` are copied
with changes (no folder listing, our own page, bounded sizes, an idle end), the others
extended. textual-serve has no public way to do any of it; ``tests/unit/test_serve.py``
fails when one of them changes, so the copy is read again before it is trusted."""
TEMPLATES = Path(__file__).parent.parent / "serve_page"
"""The page: textual-serve's, asking nothing of any other host."""


@dataclass(frozen=True)
class ServeOptions:
    """What ``retro-tui serve`` was asked to do."""

    port: int
    host: str = DEFAULT_HOST
    history: Path | None = None
    config: Path | None = None
    plans: tuple[Path, ...] = ()
    token: str | None = None
    """Asked of every browser when open to a network (a random one if not given)."""
    max_apps: int = MAX_APPS
    idle_s: float = IDLE_S
    """A tab that sends no key or resize for this long has its app save and end."""


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
        f"this computer and has the address below, token included, can use retro-tui (see "
        f"and add to the history, write plans, change settings). Use --host only on a "
        f"network you trust, keep the address to yourself, and stop the server (Ctrl+C) "
        f"when the session is over."
    )


def url_for(host: str, port: int, token: str | None = None) -> str:
    bare = host.strip("[]")
    shown = f"[{bare}]" if ":" in bare else bare
    return f"http://{shown}:{port}" + (f"/?token={token}" if token else "")


def addresses_to_open(host: str, port: int, token: str | None = None) -> list[str]:
    """The addresses to type into a browser: the host itself, or for a wildcard this computer's."""
    if host not in WILDCARD_HOSTS:
        return [url_for(host, port, token)]
    found = [url_for(address, port, token) for address in _network_addresses()]
    return [*found, url_for("localhost", port, token)]


def token_given(expected: str | None, *candidates: str | None) -> bool:
    """Whether any candidate is ``expected`` (compared in constant time); no token: yes."""
    if expected is None:
        return True
    wanted = expected.encode()
    return any(
        candidate is not None and hmac.compare_digest(candidate.encode(), wanted)
        for candidate in candidates
    )


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size a browser asks for, made whole and kept within the bounds."""

    def whole(value: object, default: int, most: int) -> int:
        try:
            number = int(str(value))
        except ValueError:
            return default
        return max(1, min(most, number))

    return whole(width, 80, MAX_COLUMNS), whole(height, 24, MAX_ROWS)


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
        if options.token is None:
            options = replace(options, token=secrets.token_urlsafe(18))
    elif options.token is not None:
        print(f"{PROG} serve: this computer only: no token is asked for", file=sys.stderr)
        options = replace(options, token=None)
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
    import aiohttp_jinja2
    import jinja2
    from aiohttp import WSMsgType, web
    from textual_serve.server import Server

    open_to_network = not is_loopback(options.host)
    token = options.token
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
            addresses = addresses_to_open(options.host, options.port, token)
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

        async def _make_app(self) -> web.Application:
            # textual-serve's routes, but /static/ lists no folder and the page is ours.
            app = web.Application()
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(TEMPLATES))
            app.add_routes(
                [
                    web.get("/", self.handle_index, name="index"),
                    web.get("/ws", self.handle_websocket, name="websocket"),
                    web.get("/download/{key}", self.handle_download, name="download"),
                    web.static("/static", self.statics_path, show_index=False, name="static"),
                ]
            )
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        def refusal(self, request: web.Request, *, websocket: bool) -> web.Response | None:
            """The answer to a request that may not have an app, or ``None`` if it may."""
            origin = request.headers.get("Origin") if websocket else None
            if not request_allowed(request.host, origin, open_to_network=open_to_network):
                return web.Response(status=403, text="retro-tui answers its own page only")
            if not token_given(
                token, request.query.get("token"), request.cookies.get(TOKEN_COOKIE)
            ):
                return web.Response(
                    status=403,
                    text="retro-tui asks for its token: open the address that retro-tui serve "
                    "printed when it started, ?token=... included.",
                )
            if sum(not task.done() for task in connections) >= options.max_apps:
                return web.Response(
                    status=503,
                    text=f"retro-tui already runs {options.max_apps} tabs, the most it allows "
                    "at once. Close one of them (its workout is saved), then reload this page.",
                )
            return None

        async def handle_index(self, request: web.Request) -> Any:
            refused = self.refusal(request, websocket=False)
            if refused is not None:
                return refused
            # The page tells the browser where the websocket is: the address this
            # browser used (a tablet knows the laptop by its network address, not
            # by the "0.0.0.0" the server listens on). Nothing awaits between
            # setting it and the page reading it.
            self.public_url = f"{request.scheme}://{request.host}"
            page = await super().handle_index(request)
            if token is not None:
                # The websocket the page opens carries no query of ours: a cookie it does.
                page.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
            return page

        async def handle_websocket(self, request: web.Request) -> Any:
            refused = self.refusal(request, websocket=True)
            if refused is not None:
                return refused
            width, height = clamp_size(
                request.query.get("width", "80"), request.query.get("height", "24")
            )
            bounded = request.clone(
                rel_url=request.rel_url.update_query(width=str(width), height=str(height))
            )
            connection = asyncio.current_task()
            assert connection is not None  # a request is always handled in a task
            connections.add(connection)
            try:
                return await super().handle_websocket(bounded)
            finally:
                connections.discard(connection)

        async def _process_messages(
            self, websocket: web.WebSocketResponse, app_service: Any
        ) -> None:
            """textual-serve's message loop, with the terminal size bounded and an idle end.

            Pings keep a connection up but are not a person: only keys and resizes
            count as use. When the tab is idle for ``idle_s`` the loop ends, and
            the app is asked to quit (and save) as for a closed tab.
            """
            loop = asyncio.get_running_loop()
            used = loop.time()
            while True:
                left = used + options.idle_s - loop.time()
                if left <= 0:
                    return
                try:
                    message = await asyncio.wait_for(websocket.receive(), timeout=left)
                except TimeoutError:
                    return
                if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
                    return
                if message.type is WSMsgType.ERROR:
                    return
                if message.type is not WSMsgType.TEXT:
                    continue
                try:
                    envelope = message.json()
                except ValueError:
                    continue
                if not isinstance(envelope, list) or not envelope:
                    continue
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
                if kind == "stdin" and isinstance(data, str):
                    used = loop.time()
                    await app_service.send_bytes(data.encode("utf-8"))
                elif kind == "resize" and isinstance(data, dict):
                    used = loop.time()
                    await app_service.set_terminal_size(
                        *clamp_size(data.get("width"), data.get("height"))
                    )
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await app_service.blur()
                elif kind == "focus":
                    await app_service.focus()

    return RetroServer(
        app_shell_command(app_argv(options)),
        host=options.host.strip("[]"),  # "[::1]", as in a URL, is the address ::1
        port=options.port,
        title=PAGE_TITLE,
    )
