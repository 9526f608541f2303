"""``retro-tui simulate``: a virtual treadmill and heart-rate strap to try the link without one.

Both devices run on bumble virtual controllers in this process; a third
controller on the same virtual link listens on a loopback TCP port for the
app (``RETRO_TUI_BLE_BACKEND=bumble:tcp-client:127.0.0.1:PORT``). Typed
commands (then Enter) act as the person at the console would: the speed keys,
the safety key, a lost connection.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from retro_tui.cli.command import PROG, Command, converted
from retro_tui.cli.session import Session
from retro_tui.devices.radio import BACKEND_VARIABLE

if TYPE_CHECKING:  # bumble loads only when a simulator runs, not at every start
    from retro_tui.devices.simulator import Simulator

DEFAULT_PORT = 9102
STATUS_EVERY_S = 5.0
CONSOLE_STEP_KMH = 0.5
HELP = """\
Type a command, then Enter:
  +  / -      the console's speed keys (0.5 km/h)
  up / down   the console's incline keys (0.5 %)
  key         pull the safety key (again: clip it back on)
  stop        the console's stop key
  drop        the treadmill and strap lose their connection
  hr N        the strap reads N bpm (hr alone: follow the belt again)
  q           quit"""


def _port(text: str) -> int:
    value = int(text)
    if not 1024 <= value <= 65535:
        raise ValueError(text)
    return value


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port",
        type=lambda text: converted(text, _port, f"{text} is not a port from 1024 to 65535"),
        default=DEFAULT_PORT,
        help=f"loopback TCP port the app connects to (default: {DEFAULT_PORT})",
    )
    parser.add_argument("--no-strap", action="store_true", help="a treadmill alone, no strap")


def _execute(options: argparse.Namespace, session: Session) -> int:
    try:
        return asyncio.run(simulate(options.port, strap=not options.no_strap))
    except KeyboardInterrupt:
        return 0
    except OSError as error:
        print(f"{PROG} simulate: port {options.port}: {error.strerror or error}", file=sys.stderr)
        return 1


async def simulate(port: int, *, strap: bool) -> int:
    from retro_tui.devices.simulator import STRAP_NAME, TREADMILL_NAME, Simulator

    simulator = Simulator(strap=strap, on_change=lambda text: print(f"  {text}", flush=True))
    await simulator.add_app_port(f"tcp-server:127.0.0.1:{port}")
    await simulator.start()
    backend = f"bumble:tcp-client:127.0.0.1:{port}"
    names = f'"{TREADMILL_NAME}"' + (f' and a heart-rate strap "{STRAP_NAME}"' if strap else "")
    print(
        f"A virtual treadmill {names} are on a virtual radio.\n"
        "In another terminal, pick them and start retro-tui on that radio:\n"
        f"  export {BACKEND_VARIABLE}={backend}\n"
        f"  {PROG} devices --pair\n"
        f"  {PROG}\n"
        f'(or put backend = "{backend}" under [devices] in the settings)\n\n{HELP}',
        flush=True,
    )
    quit_now = asyncio.Event()
    lines: asyncio.Queue[str] = asyncio.Queue()
    stop_reading = _read_lines(lines.put_nowait, quit_now.set)
    status = asyncio.create_task(_report(simulator))
    try:
        while not quit_now.is_set():
            getter = asyncio.create_task(lines.get())
            waiter = asyncio.create_task(quit_now.wait())
            done, pending = await asyncio.wait(
                {getter, waiter}, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()
            if getter in done and not await _obey(simulator, getter.result().strip()):
                break
    finally:
        stop_reading()
        status.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await status
        await simulator.close()
    return 0


def _read_lines(put: Callable[[str], None], at_end: Callable[[], None]) -> Callable[[], None]:
    """Hand each line typed to ``put``, in the loop; returns how to stop."""
    loop = asyncio.get_running_loop()

    def readable() -> None:
        line = sys.stdin.readline()
        if line:
            put(line)
        else:
            loop.remove_reader(sys.stdin.fileno())
            at_end()  # stdin closed: nothing more will come (a terminal's ctrl+d)

    try:
        loop.add_reader(sys.stdin.fileno(), readable)
    except (NotImplementedError, ValueError, OSError):  # Windows: a thread instead
        import threading

        def read_forever() -> None:
            for line in sys.stdin:
                loop.call_soon_threadsafe(put, line)
            loop.call_soon_threadsafe(at_end)

        threading.Thread(target=read_forever, daemon=True).start()
        return lambda: None

    def stop() -> None:
        loop.remove_reader(sys.stdin.fileno())

    return stop


async def _report(simulator: Simulator) -> None:
    while True:
        await asyncio.sleep(STATUS_EVERY_S)
        print(f"  {state_line(simulator)}", flush=True)


def state_line(simulator: Simulator) -> str:
    model = simulator.treadmill
    model.advance()
    key = "in" if model.safety_key_in else "OUT"
    heart = f", heart {simulator.heart.reading()} bpm" if simulator.with_strap else ""
    return (
        f"belt {model.state}: {model.speed_kmh:.2f} km/h (target {model.target_kmh:.2f}), "
        f"incline {model.incline_pct:.1f} %, {model.distance_m:.0f} m, safety key {key}{heart}"
    )


async def _obey(simulator: Simulator, command: str) -> bool:
    """Do one typed command; False to quit."""
    model = simulator.treadmill
    if command in ("q", "quit", "exit"):
        return False
    if command == "+":
        await simulator.console_speed(model.target_kmh + CONSOLE_STEP_KMH)
    elif command == "-":
        await simulator.console_speed(
            max(model.speeds.minimum_kmh, model.target_kmh - CONSOLE_STEP_KMH)
        )
    elif command == "up":
        await simulator.console_incline(model.target_incline + 0.5)
    elif command == "down":
        await simulator.console_incline(model.target_incline - 0.5)
    elif command == "key":
        if model.safety_key_in:
            await simulator.pull_safety_key()
            print("  safety key pulled: the belt stopped", flush=True)
        else:
            model.put_safety_key_back()
            print("  safety key back on", flush=True)
    elif command == "stop":
        await simulator.send_statuses(model.console_stop(pause=False))
    elif command == "drop":
        await simulator.drop_connections()
        print("  connections dropped", flush=True)
    elif command.startswith("hr"):
        value = command[2:].strip()
        simulator.heart.override_bpm = int(value) if value.isdigit() else None
    elif command in ("", "s", "status"):
        pass
    else:
        print(f"  {command!r}? {HELP}", flush=True)
        return True
    print(f"  {state_line(simulator)}", flush=True)
    return True


COMMAND = Command(
    name="simulate",
    synopsis="simulate",
    summary="a virtual treadmill and heart-rate strap, to try\nthe Bluetooth link without either",
    example="retro-tui simulate --port 9102",
    description="Run a virtual Bluetooth treadmill (FTMS) and heart-rate strap that behave as "
    "real ones do, on a virtual radio the app reaches through a loopback TCP port, and print "
    "how to connect.",
    arguments=_arguments,
    execute=_execute,
    quiet_notices=True,
)
