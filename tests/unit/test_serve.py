"""``retro-tui serve``: the app command each tab runs, where it listens, and what it says."""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from retro_tui import cli
from retro_tui.cli import browser as serve
from retro_tui.cli.browser import (
    MAX_COLUMNS,
    MAX_ROWS,
    ServeOptions,
    addresses_to_open,
    app_argv,
    app_shell_command,
    bind_problem,
    clamp_size,
    is_loopback,
    network_warning,
    request_allowed,
    run_serve,
    token_given,
)

AWKWARD = "my plans; rm -rf ~ $(touch pwned) `id` 'quoted' \"double\" & | > * ?"
"""A folder name full of what a shell would act on, if it were ever given the chance."""


def test_app_argv_is_python_running_this_package_with_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    options = ServeOptions(
        port=8000,
        history=Path("logs/history.toml"),
        config=Path("settings.toml"),
        plans=(Path("plans"), Path(AWKWARD), tmp_path / "elsewhere.toml"),
    )
    assert app_argv(options, python="/usr/bin/python3") == [
        "/usr/bin/python3",
        "-m",
        "retro_tui",
        "--history",
        str(tmp_path / "logs" / "history.toml"),
        "--config",
        str(tmp_path / "settings.toml"),
        str(tmp_path / "plans"),
        str(tmp_path / AWKWARD),
        str(tmp_path / "elsewhere.toml"),
    ]


def test_app_argv_leaves_out_what_was_not_given() -> None:
    assert app_argv(ServeOptions(port=8000)) == [sys.executable, "-m", "retro_tui"]


def test_the_shell_gets_every_argument_whole(tmp_path: Path) -> None:
    """textual-serve runs the command with ``/bin/sh -c``: each path must arrive as one argument."""
    report = tmp_path / "argv.json"
    fake_python = tmp_path / "fake python"
    fake_python.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(report)!r}, 'w').write(json.dumps(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    fake_python.chmod(fake_python.stat().st_mode | stat.S_IXUSR)
    plans = tmp_path / AWKWARD
    options = ServeOptions(port=8000, history=tmp_path / "it's history.toml", plans=(plans,))
    argv = app_argv(options, python=str(fake_python))
    command = app_shell_command(argv)
    assert command.startswith("exec ")
    subprocess.run(command, shell=True, cwd=tmp_path, check=True, timeout=30)
    assert json.loads(report.read_text(encoding="utf-8")) == argv[1:]
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("laptop.local", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_no_warning_on_this_computer_only() -> None:
    assert network_warning("localhost", 8000) is None
    assert network_warning("127.0.0.1", 8000) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_warning_when_open_to_the_network(host: str) -> None:
    warning = network_warning(host, 8123)
    assert warning is not None
    assert "\n" not in warning
    assert "anyone" in warning and "token included" in warning and "8123" in warning


def test_addresses_to_open() -> None:
    assert addresses_to_open("localhost", 8000) == ["http://localhost:8000"]
    assert addresses_to_open("192.168.1.20", 8080) == ["http://192.168.1.20:8080"]
    assert addresses_to_open("::1", 8000) == ["http://[::1]:8000"]
    everywhere = addresses_to_open("0.0.0.0", 8000)
    assert everywhere[-1] == "http://localhost:8000"
    assert all(
        address.startswith("http://") and address.endswith(":8000") for address in everywhere
    )


def test_the_address_to_open_carries_the_token() -> None:
    assert addresses_to_open("192.168.1.20", 8080, "abc") == ["http://192.168.1.20:8080/?token=abc"]


def test_a_token_is_compared_whole_from_the_address_or_the_cookie() -> None:
    assert token_given(None)  # this computer only: none is asked
    assert token_given("s3cret", None, "s3cret")
    assert token_given("s3cret", "s3cret", None)
    assert not token_given("s3cret", None, None)
    assert not token_given("s3cret", "s3cre", "s3cret-and-more")
    assert not token_given("s3cret", "", "S3CRET")


@pytest.mark.parametrize(
    ("asked", "given"),
    [
        (("30000", "30000"), (MAX_COLUMNS, MAX_ROWS)),
        (("120", "40"), (120, 40)),
        (("-5", "0"), (1, 1)),
        (("wide", None), (80, 24)),
        ((10**40, 3.5), (MAX_COLUMNS, 24)),
    ],
)
def test_a_terminal_size_is_kept_within_bounds(
    asked: tuple[object, object], given: tuple[int, int]
) -> None:
    assert clamp_size(*asked) == given


@pytest.mark.parametrize(
    ("host", "origin", "open_to_network", "allowed"),
    [
        ("localhost:8000", "http://localhost:8000", False, True),
        ("127.0.0.1:8000", "http://127.0.0.1:8000", False, True),
        ("[::1]:8000", "http://[::1]:8000", False, True),
        ("localhost:8000", None, False, True),
        # Another web site open in the same browser: its page must not drive the app.
        ("localhost:8000", "https://evil.example", False, False),
        ("localhost:8000", "null", False, False),
        # A name pointed at 127.0.0.1 to get around the browser's rules.
        ("evil.example:8000", "http://evil.example:8000", False, False),
        ("evil.example:8000", None, False, False),
        # Open to the network: any name for this computer, but still only its own page.
        ("192.168.1.20:8000", "http://192.168.1.20:8000", True, True),
        ("laptop.local:8000", "http://laptop.local:8000", True, True),
        ("192.168.1.20:8000", "http://evil.example", True, False),
    ],
)
def test_request_allowed(
    host: str, origin: str | None, open_to_network: bool, allowed: bool
) -> None:
    assert request_allowed(host, origin, open_to_network=open_to_network) is allowed


# -- the command line --------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[ServeOptions]:
    """Stand in for the server: record what ``retro-tui serve`` asked for."""
    calls: list[ServeOptions] = []

    def record(options: ServeOptions) -> int:
        calls.append(options)
        return 0

    monkeypatch.setattr(serve, "run_serve", record)
    return calls


def test_port_defaults_to_8000(served: list[ServeOptions]) -> None:
    assert cli.main(["serve"]) == 0
    assert served == [ServeOptions(port=8000, host="localhost")]


def test_port_from_the_settings_and_the_flag_over_it(
    served: list[ServeOptions], tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[serve]\nport = 8123\n", encoding="utf-8")
    assert cli.main(["serve", "--config", str(config)]) == 0
    assert cli.main(["serve", "--config", str(config), "--port", "9001"]) == 0
    assert [options.port for options in served] == [8123, 9001]


def test_a_bad_port_in_the_settings_is_reported_and_the_default_used(
    served: list[ServeOptions], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[serve]\nport = 99999\n", encoding="utf-8")
    assert cli.main(["serve", "--config", str(config)]) == 0
    assert served[0].port == 8000
    assert "serve.port: must be between 1 and 65535" in capsys.readouterr().err


def test_paths_and_host_are_passed_on(served: list[ServeOptions], tmp_path: Path) -> None:
    argv = ["serve", "--host", "0.0.0.0", "--history", "h.toml", "plans", AWKWARD]
    assert cli.main(argv) == 0
    [options] = served
    assert options.host == "0.0.0.0"
    assert options.history == Path("h.toml")
    assert options.plans == (Path("plans"), Path(AWKWARD))


@pytest.mark.parametrize("port", ["0", "65536", "eighty"])
def test_a_bad_port_flag_is_refused(
    port: str, served: list[ServeOptions], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["serve", "--port", port])
    assert exit_info.value.code == 2
    assert "--port" in capsys.readouterr().err
    assert served == []


def test_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    assert "example" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "retro-tui serve --port 8000" in capsys.readouterr().out


def test_python_dash_m_runs_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "retro_tui", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("retro-tui ")


# -- starting the server -------------------------------------------------------------------------


def test_a_port_in_use_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run_serve(ServeOptions(port=port, host="127.0.0.1")) == 1
    err = capsys.readouterr().err
    assert err == (
        f"retro-tui serve: port {port} is already in use on 127.0.0.1 (is retro-tui serve "
        "already running?); choose another with --port N, or set [serve] port in config.toml\n"
    )


def test_an_address_of_another_computer_is_one_clear_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 192.0.2.0/24 is kept for documentation: never an address of this computer.
    assert run_serve(ServeOptions(port=8000, host="192.0.2.1")) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines[0].startswith("retro-tui serve: warning: listening on 192.0.2.1")
    assert lines[1:] == [
        "retro-tui serve: cannot listen on 192.0.2.1: it is not an address of this computer"
    ]
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
            "cannot listen on 'tablet.invalid': no such host or address "
            "(Name or service not known)",
        ),
        (
            OSError(errno.EACCES, "Permission denied"),
            "not allowed to listen on port 80; choose a port above 1023 with --port N",
        ),
        (
            OSError(errno.ENETDOWN, "Network is down"),
            "cannot listen on tablet.invalid port 80: Network is down",
        ),
    ],
)
def test_bind_problems_in_plain_words(error: OSError, expected: str) -> None:
    assert bind_problem(error, "tablet.invalid", 80) == expected


def test_the_server_answers_only_its_own_page(tmp_path: Path) -> None:
    """A real server: the page for the right Host, 403 for another site's name or page."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "RETRO_TUI_HISTORY": str(tmp_path / "history.toml")}
    process = subprocess.Popen(
        [sys.executable, "-m", "retro_tui", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready = process.stdout.readline()
        assert ready == f"retro-tui is ready in your browser: open http://127.0.0.1:{port}\n"

        def status(path: str, headers: dict[str, str]) -> tuple[int, str]:
            """Send one GET; the status and body (read by Content-Length: an upgrade stays open)."""
            with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
                lines = [f"GET {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
                connection.sendall("\r\n".join([*lines, "", ""]).encode())
                answer = b""
                while b"\r\n\r\n" not in answer:
                    answer += connection.recv(65536)
                head, _, body = answer.partition(b"\r\n\r\n")
                length = re.search(rb"(?im)^content-length: *(\d+)", head)
                while length and len(body) < int(length.group(1)):
                    body += connection.recv(65536)
            return int(head.split()[1]), body.decode("utf-8", "replace")

        code, page = status("/", {"Host": f"127.0.0.1:{port}"})
        assert code == 200
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
        assert "<div>retro-tui</div>" in page  # the page's title, not the command line
        assert status("/", {"Host": f"evil.example:{port}"})[0] == 403
        upgrade = {
            "Host": f"127.0.0.1:{port}",
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version": "13",
            "Origin": "https://evil.example",
        }
        assert status("/ws", upgrade)[0] == 403
    finally:
        process.terminate()
        process.wait(timeout=20)
