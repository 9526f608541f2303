"""The installed ``retro-tui serve`` under abuse, spoken to over real sockets.

Clients written to break it: a websocket asking for a 30000x30000 terminal,
more tabs than it allows, a hundred connections at once, no token on an open
network, and the server itself killed with ``kill -9`` under a running
workout. The server stays up, its memory and its apps stay bounded, and every
session that was started is saved.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from .conftest import free_port, wait_until

pytestmark = pytest.mark.e2e

START_S = 30.0
"""Time for the server, then an app, to start on a busy machine."""
SAVE_S = 20.0
ORPHAN_S = 15.0
"""An app whose server is gone ends (and saves) within this."""


def parent_of(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rpartition(")")[2]
    except OSError:
        return None
    return int(fields.split()[1])


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def resident_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return 0.0
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    history: Path
    output: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def apps(self) -> list[int]:
        """The app processes it started, one per tab."""
        pids = [int(path.parent.name) for path in Path("/proc").glob("[0-9]*/stat")]
        return [pid for pid in pids if parent_of(pid) == self.process.pid and alive(pid)]

    def token(self) -> str:
        found = re.search(r"token=([\w-]+)", self.output.read_text(errors="replace"))
        assert found, self.output.read_text(errors="replace")
        return found.group(1)

    def sessions(self) -> list[dict[str, Any]]:
        if not self.history.exists():
            return []
        return list(tomllib.loads(self.history.read_text(encoding="utf-8")).get("session", []))


@pytest.fixture
def serve(
    retro_tui_bin: Path, retro_env: dict[str, str], tmp_path: Path
) -> Iterator[Callable[..., Served]]:
    started: list[subprocess.Popen[bytes]] = []
    # Straight into the workout from the library: Enter on the starter plan, no safety check.
    Path(retro_env["RETRO_TUI_CONFIG"]).write_text("[workout]\npreflight = false\n", "utf-8")

    def start(*args: str) -> Served:
        port = free_port()
        output = tmp_path / f"serve-{port}.out"
        env = {**os.environ, **retro_env, "XDG_STATE_HOME": str(tmp_path / "state")}
        with output.open("wb") as sink:
            process = subprocess.Popen(
                [str(retro_tui_bin), "serve", "--port", str(port), *args],
                cwd=tmp_path,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(process)
        served = Served(process, port, Path(retro_env["RETRO_TUI_HISTORY"]), output)
        wait_until(lambda: "is ready" in output.read_text(errors="replace"), START_S, "serve")
        return served

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=SAVE_S)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


async def open_tab(
    session: aiohttp.ClientSession, served: Served, width: int = 100, height: int = 30
) -> aiohttp.ClientWebSocketResponse:
    return await session.ws_connect(
        f"ws://127.0.0.1:{served.port}/ws?width={width}&height={height}",
        origin=f"http://127.0.0.1:{served.port}",
        headers={"Host": f"127.0.0.1:{served.port}"},
    )


async def until_output(websocket: aiohttp.ClientWebSocketResponse, timeout: float) -> None:
    """Wait until the app has drawn something (it is up and reading keys)."""
    deadline = asyncio.get_running_loop().time() + timeout
    received = 0
    while received < 2000:
        left = deadline - asyncio.get_running_loop().time()
        message = await asyncio.wait_for(websocket.receive(), timeout=max(0.1, left))
        if message.type is aiohttp.WSMsgType.BINARY:
            received += len(message.data)
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            raise AssertionError("the app's websocket closed before it drew anything")


ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


async def until_shown(
    websocket: aiohttp.ClientWebSocketResponse, text: str, timeout: float
) -> None:
    """Wait until the app's output, escape codes taken out, holds ``text``."""
    deadline = asyncio.get_running_loop().time() + timeout
    seen = ""
    while text not in ESCAPE.sub("", seen):
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            raise AssertionError(f"the app never showed {text!r}")
        message = await asyncio.wait_for(websocket.receive(), timeout=left)
        if message.type is aiohttp.WSMsgType.BINARY:
            seen = seen[-20000:] + message.data.decode("utf-8", "replace")
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            raise AssertionError(f"the app's websocket closed before it showed {text!r}")


async def drain(websocket: aiohttp.ClientWebSocketResponse) -> None:
    """Read what the app sends, so it never waits on a full pipe."""
    while not websocket.closed:
        message = await websocket.receive()
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            return


def test_a_huge_terminal_is_cut_to_size_and_the_page_asks_no_other_host(
    serve: Callable[..., Served],
) -> None:
    served = serve()

    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            async with session.get(served.url + "/") as page:
                text = await page.text()
                assert page.status == 200
            addresses = set(re.findall(r"(?:src|href)=\"(https?://[^\"]+)", text))
            assert all(address.startswith(served.url) for address in addresses), addresses
            assert "googleapis" not in text
            async with session.get(served.url + "/static/") as listing:
                assert listing.status in (403, 404)
                assert "Index of" not in await listing.text()
            websocket = await open_tab(session, served, width=30000, height=30000)
            await until_output(websocket, START_S)
            [app] = served.apps()
            environment = Path(f"/proc/{app}/environ").read_bytes().split(b"\0")
            assert b"COLUMNS=400" in environment and b"ROWS=150" in environment
            await websocket.send_str(json.dumps(["resize", {"width": 30000, "height": 30000}]))
            reader = asyncio.create_task(drain(websocket))
            await asyncio.sleep(3)
            assert resident_mb(app) < 300, "the app's memory grew with the size asked"
            await websocket.close()
            reader.cancel()

    asyncio.run(scenario())
    wait_until(lambda: not served.apps(), SAVE_S, "the closed tab's app to end")


def test_more_tabs_than_allowed_get_a_page_saying_so(serve: Callable[..., Served]) -> None:
    served = serve("--max-tabs", "2")

    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            tabs = [await open_tab(session, served) for _ in range(2)]
            for tab in tabs:
                await until_output(tab, START_S)
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await open_tab(session, served)
            assert refused.value.status == 503
            async with session.get(served.url + "/") as page:
                assert page.status == 503
                assert "already runs 2 tabs" in await page.text()
            assert len(served.apps()) == 2
            for tab in tabs:
                await tab.close()

    asyncio.run(scenario())
    wait_until(lambda: not served.apps(), SAVE_S, "the tabs' apps to end")


def test_open_to_a_network_it_asks_for_the_printed_token(serve: Callable[..., Served]) -> None:
    served = serve("--host", "0.0.0.0", "--max-tabs", "1")
    token = served.token()
    assert len(token) >= 20

    async def scenario() -> None:
        async with aiohttp.ClientSession() as stranger:
            async with stranger.get(served.url + "/") as page:
                assert page.status == 403
                assert "token" in await page.text()
            async with stranger.get(served.url + "/?token=" + "x" * len(token)) as page:
                assert page.status == 403
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await open_tab(stranger, served)
            assert refused.value.status == 403
        # A browser keeps cookies for a numeric address too (aiohttp only when told so).
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as owner:
            async with owner.get(served.url + f"/?token={token}") as page:
                assert page.status == 200
            # The page's own websocket carries no token: the cookie the page set does.
            websocket = await open_tab(owner, served)
            await until_output(websocket, START_S)
            await websocket.close()

    asyncio.run(scenario())
    wait_until(lambda: not served.apps(), SAVE_S, "the tab's app to end")


def test_kill_9_of_the_server_ends_its_apps_and_saves_their_workouts(
    serve: Callable[..., Served],
) -> None:
    served = serve()

    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            websocket = await open_tab(session, served)
            await until_output(websocket, START_S)
            await until_shown(websocket, "Retro starter", START_S)  # the plans are listed
            await websocket.send_str(json.dumps(["stdin", "\r"]))  # the starter plan
            await until_shown(websocket, "step 1 of", START_S)
            reader = asyncio.create_task(drain(websocket))
            await asyncio.sleep(4)  # a few seconds into its first step
            [app] = served.apps()
            os.kill(served.process.pid, signal.SIGKILL)
            served.process.wait()
            deadline = time.monotonic() + ORPHAN_S
            while alive(app) and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            assert not alive(app), f"the app outlived its server by {ORPHAN_S:g} s"
            reader.cancel()

    asyncio.run(scenario())
    [session] = served.sessions()
    assert session["plan"] == "Retro starter"
    assert session["status"] == "ended early"
    assert session["step"][0]["actual_s"] >= 2


def test_a_hundred_connections_leave_the_server_up_bounded_and_every_session_saved(
    serve: Callable[..., Served],
) -> None:
    served = serve("--max-tabs", "4")
    accepted: list[aiohttp.ClientWebSocketResponse] = []
    refused = 0
    peak_mb = 0.0

    async def scenario() -> None:
        nonlocal refused, peak_mb
        async with aiohttp.ClientSession() as session:

            async def connect() -> None:
                nonlocal refused
                try:
                    accepted.append(await open_tab(session, served))
                except aiohttp.WSServerHandshakeError as error:
                    assert error.status == 503
                    refused += 1

            await asyncio.wait_for(asyncio.gather(*(connect() for _ in range(100))), 30)
            for tab in accepted:
                await until_shown(tab, "Retro starter", START_S)
                await tab.send_str(json.dumps(["stdin", "\r"]))  # each starts a workout
            for tab in accepted:
                await until_shown(tab, "step 1 of", START_S)
            readers = [asyncio.create_task(drain(tab)) for tab in accepted]
            await asyncio.sleep(3)
            peak_mb = resident_mb(served.process.pid) + sum(map(resident_mb, served.apps()))
            async with session.get(served.url + "/") as page:
                assert page.status == 503  # full, and still answering
            for tab in accepted:
                await tab.close()
            for reader in readers:
                reader.cancel()

    asyncio.run(asyncio.wait_for(scenario(), 90))
    assert (len(accepted), refused) == (4, 96)
    assert peak_mb < 4 * 120 + 120, f"{peak_mb:.0f} MB for the server and its four apps"
    wait_until(lambda: len(served.sessions()) == 4, SAVE_S, "every started session saved")
    assert served.process.poll() is None, "the server is still up"
    assert {session["status"] for session in served.sessions()} == {"ended early"}
    wait_until(lambda: not served.apps(), SAVE_S, "the apps to end")


def test_a_tab_left_idle_has_its_app_save_and_end(serve: Callable[..., Served]) -> None:
    # Pings keep the connection up but are not a person: with no key for the idle time
    # (three seconds here, seven hours by default) the app saves its workout and ends.
    served = serve("--idle-minutes", "0.05")

    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            websocket = await open_tab(session, served)
            await until_shown(websocket, "Retro starter", START_S)
            await websocket.send_str(json.dumps(["stdin", "\r"]))
            await until_shown(websocket, "step 1 of", START_S)
            reader = asyncio.create_task(drain(websocket))
            for _ in range(20):
                if not served.apps():
                    break
                if not websocket.closed:  # the server closes it when the app ends
                    with contextlib.suppress(aiohttp.ClientConnectionResetError):
                        await websocket.send_str(json.dumps(["ping", "1"]))
                await asyncio.sleep(0.5)
            assert not served.apps(), "the idle tab's app is still running"
            reader.cancel()

    asyncio.run(scenario())
    [session] = served.sessions()
    assert session["status"] == "ended early"
