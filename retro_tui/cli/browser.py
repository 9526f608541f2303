"""``retro-tui serve``'s ground rules: what it was asked, where it listens, whom it answers.

Every browser tab that opens the page starts its own app process
(``python -m retro_tui ...``, see :func:`app_argv`), so several tabs are several
independent apps sharing one history log. Only this computer can open it
unless ``--host`` says otherwise; then every browser must give a token
(:func:`token_given`), and on a loopback address only a loopback name is
answered (:func:`request_allowed`). Whatever asks, at most :data:`MAX_APPS`
tabs run at once, no terminal is bigger than :data:`MAX_COLUMNS` x
:data:`MAX_ROWS` (:func:`clamp_size`), and a tab idle for :data:`IDLE_S` has
its app save and end. The server itself, and how a closed tab or a killed
server still saves the workout, is :mod:`retro_tui.cli.web_server`, loaded
only when one starts.
"""

from __future__ import annotations

import errno
import hmac
import ipaddress
import secrets
import shlex
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    pass

PROG = "retro-tui"
DEFAULT_HOST = "localhost"
LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
MAX_APPS = 8
"""Browser tabs running an app at once: each app is a process of some 35 MB."""
MAX_COLUMNS, MAX_ROWS = 400, 150
"""The biggest terminal a tab gets, whatever its browser asks (a 4K screen at a small
font is about 400 x 120); past it the app's memory would grow with the request."""
IDLE_S = 7 * 3600.0
"""A tab that sends no key and no resize for this long has its app save and end: longer
than the longest plan (6 hours), so a workout running untouched is never cut."""


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
    """The server for ``options`` (aiohttp and textual-serve load only now)."""
    from retro_tui.cli.web_server import RetroServer

    return RetroServer(options)
