"""The web server of ``retro-tui serve``: textual-serve's, with the doors it leaves open shut.

Every browser tab that opens the page starts its own app process and drives
it over a websocket. When a tab is closed, or its connection is lost and the
server's websocket heartbeat gives up, textual-serve asks that tab's app to
quit. The workout screen saves a workout still running as "ended early", with
every step done, as it is taken down. A process killed before it can do that
leaves its crash journal, which the next start of any ``retro-tui`` (a new tab
included) adds to the log as "recovered".

The page and its websocket answer only requests addressed to this server
(and, on the default loopback address, only to a loopback name), so another
web site open in the same browser can't drive the app.

Open to a network (``--host``), the server asks every browser for a token:
the address it prints carries it (``?token=...``), and the page then keeps
it in a cookie for its websocket; compared in constant time, anything else
is refused. Whatever asks, it is bounded: at most ``--max-tabs`` tabs run
an app at once (the next gets a page saying so), no terminal is bigger than
:data:`~retro_tui.cli.browser.MAX_COLUMNS` x :data:`~retro_tui.cli.browser.MAX_ROWS`
whatever the browser asks, and a tab that sends nothing for ``--idle-minutes``
(longer than any plan may last) has its app save and end. The page needs
nothing from another host (no web font), and ``/static/`` lists no folder.

An app whose server is gone (killed, even with ``kill -9``) notices within
seconds that its parent process changed and ends, saving a workout in
progress; see :meth:`retro_tui.tui.app.RetroApp.watch_server`.

textual-serve is used through what it makes public: :class:`Server`'s
constructor (with this package's own page template), its overridable hooks
(logging, startup, shutdown), its page and download handlers, and
:class:`AppService`, which runs one app process. What it keeps private, the
web application's routes and the loop over a websocket's messages, is
written here instead, in :meth:`RetroServer.web_application` and
:meth:`RetroServer.relay`; so is :meth:`RetroServer.serve`. Those mirror
textual-serve's own, so ``pyproject.toml`` pins textual-serve to the minor
version they were written against, and :data:`MIRRORED` lists the upstream
code they follow, with a digest a test compares against the installed one.

Imported only by ``retro-tui serve``: aiohttp and textual-serve load with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from retro_tui.cli.browser import (
    ServeOptions,
    addresses_to_open,
    app_argv,
    app_shell_command,
    clamp_size,
    is_loopback,
    request_allowed,
    token_given,
)
from retro_tui.cli.command import PROG

log = logging.getLogger(__name__)

PAGE_TITLE = "retro-tui"
APP_QUIT_TIMEOUT_S = 15.0
"""How long a stopping server waits for its apps to save and quit before leaving them."""
HEARTBEAT_S = 15.0
"""How often a websocket is pinged; one not answering is closed, and its app asked to quit."""
TOKEN_COOKIE = "retro_tui_token"
TEMPLATES = Path(__file__).parent.parent / "serve_page"
"""The page: textual-serve's, asking nothing of any other host."""

MIRRORED: dict[str, tuple[str, str]] = {
    # upstream (in textual_serve) -> (what here follows it, SHA-256 of the upstream source)
    "server.Server._make_app": (
        "RetroServer.web_application: the same routes and names, /static/ without a listing",
        "f49af73ecb6eb2230f282d5dfcfb2cc27ce33faddd46f97b01973cd40f0e9d74",
    ),
    "server.Server.serve": (
        "RetroServer.serve: a new event loop, our routes, our greeting, no access log",
        "199f785dcfa9af73486ebf50479cbed166a2302875cd09b43dc8a81cf9358abc",
    ),
    "server.Server.handle_index": (
        "serve_page/app_index.html: the page reads the values this handler gives it",
        "c961f57f6af22bfecda62de090706e9e61df63751d68142006ab8686f26c91aa",
    ),
    "server.Server.handle_websocket": (
        "RetroServer.run_app: an AppService started, stopped before the websocket closes",
        "87c0c9d50be81f45ff5323607cf6daa7968a45ba020867cff132608532de7883",
    ),
    "server.Server._process_messages": (
        "RetroServer.relay: the same message kinds, sizes bounded, an idle end",
        "c30aaa2d9521fe134c24d11b09aee36770aa209ec49a5b6cee2335c1f9d2a2cb",
    ),
    "templates/app_index.html": (
        "serve_page/app_index.html: the same page, without the web font",
        "184d6d1bb1ed70bc24e774b0f7fb888a22284b85748c4c01acf814e894bd8051",
    ),
}
"""The textual-serve code done again here, for the version ``pyproject.toml`` pins.

A test compares each digest with the installed textual-serve's. When one
differs, read what changed upstream, bring the code named beside it up to
date, then put the new digest here (and move the pin if the version moved)."""


class RetroServer(Server):
    """textual-serve's server with quiet logs, its own greeting and request checks."""

    def __init__(self, options: ServeOptions) -> None:
        super().__init__(
            app_shell_command(app_argv(options)),
            host=options.host.strip("[]"),  # "[::1]", as in a URL, is the address ::1
            port=options.port,
            title=PAGE_TITLE,
            templates_path=TEMPLATES,
        )
        self.options = options
        self.open_to_network = not is_loopback(options.host)
        self.connections: set[asyncio.Task[Any]] = set()
        """The tasks serving open browser tabs, each with its own app process."""

    # -- running -------------------------------------------------------------------------------

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT or SIGTERM; an ``OSError`` if the port can't be opened."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            # Windows' event loop has no signal handlers: Ctrl+C stops the loop there.
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signal_number, self.request_exit)
        try:
            web.run_app(
                self.web_application(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=self.announce,
                access_log=None,
            )
        finally:
            loop.close()

    def web_application(self) -> web.Application:
        """textual-serve's routes, by the names its page handler looks up, but /static/ lists
        no folder."""
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
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

    def initialize_logging(self) -> None:
        # The app's own screens say what happens; only problems are worth a line here.
        logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")

    async def on_startup(self, app: web.Application) -> None:
        """Nothing to say until the port is open (see ``announce``)."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Let every tab's app quit (and save a running workout) before the server goes.

        A connection cancelled by the shutdown ends the same way as a closed
        tab: its app is asked to quit, and waited for. Without this, the server
        would exit first and its apps be killed outright.
        """
        running = [task for task in self.connections if not task.done()]
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running, timeout=APP_QUIT_TIMEOUT_S)

    def announce(self, *_: object) -> None:
        options = self.options
        addresses = addresses_to_open(options.host, options.port, options.token)
        print(f"{PROG} is ready in your browser: open {addresses[0]}", flush=True)
        for other in addresses[1:]:
            print(f"  or {other}", flush=True)
        print("Each browser tab runs its own workout. Ctrl+C stops the server.", flush=True)

    # -- answering a browser -------------------------------------------------------------------

    def refusal(self, request: web.Request, *, websocket: bool) -> web.Response | None:
        """The answer to a request that may not have an app, or ``None`` if it may."""
        origin = request.headers.get("Origin") if websocket else None
        if not request_allowed(request.host, origin, open_to_network=self.open_to_network):
            return web.Response(status=403, text="retro-tui answers its own page only")
        token = self.options.token
        if not token_given(token, request.query.get("token"), request.cookies.get(TOKEN_COOKIE)):
            return web.Response(
                status=403,
                text="retro-tui asks for its token: open the address that retro-tui serve "
                "printed when it started, ?token=... included.",
            )
        most = self.options.max_apps
        if sum(not task.done() for task in self.connections) >= most:
            return web.Response(
                status=503,
                text=f"retro-tui already runs {most} tabs, the most it allows at once. "
                "Close one of them (its workout is saved), then reload this page.",
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
        token = self.options.token
        if token is not None:
            # The websocket the page opens carries no query of ours: a cookie it does.
            page.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict")
        return page

    async def handle_websocket(self, request: web.Request) -> Any:
        """One browser tab: its own app process, driven over this websocket until either ends.

        Or a refusal: a plain response, where textual-serve's answers only with a websocket.
        """
        refused = self.refusal(request, websocket=True)
        if refused is not None:
            return refused
        connection = asyncio.current_task()
        assert connection is not None  # a request is always handled in a task
        self.connections.add(connection)
        try:
            return await self.run_app(request)
        finally:
            self.connections.discard(connection)

    async def run_app(self, request: web.Request) -> web.WebSocketResponse:
        """Start the tab's app at the size asked for (within bounds); relay until it ends."""
        width, height = clamp_size(
            request.query.get("width", "80"), request.query.get("height", "24")
        )
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_S)
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)

            async def close() -> None:
                await websocket.close()

            app_service = AppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await app_service.start(width, height)
            try:
                await self.relay(websocket, app_service)
            finally:
                # The app quits (and saves) before its websocket closes below.
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:
            log.exception(error)
        finally:
            if app_service is not None:
                await app_service.stop()  # nothing left to do if it stopped above
        return websocket

    async def relay(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """Pass what the browser sends to the app, with the terminal size bounded and an idle end.

        Pings keep a connection up but are not a person: only keys and resizes
        count as use. When the tab is idle for ``idle_s`` the loop ends, and
        the app is asked to quit (and save) as for a closed tab.
        """
        loop = asyncio.get_running_loop()
        used = loop.time()
        while True:
            left = used + self.options.idle_s - loop.time()
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


def make_server(options: ServeOptions) -> RetroServer:
    """The server for ``options``."""
    return RetroServer(options)
