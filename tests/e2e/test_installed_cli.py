"""The installed `retro-tui` program, run from a folder that is not the source tree."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from retro_tui import __version__, paths

RunCli = Callable[..., subprocess.CompletedProcess[str]]

BUNDLED = ["starter", "treadmill-intro", "spaced-intervals", "rehab-walk", "advanced-incline"]

pytestmark = pytest.mark.e2e


def test_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"retro-tui {__version__}"


def test_bundled_plans_are_found_by_name_outside_the_source_tree(run_cli: RunCli) -> None:
    result = run_cli("check", *BUNDLED)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"ok  {name}" for name in BUNDLED]


def test_every_bundled_plan_file_passes_check(run_cli: RunCli) -> None:
    files = sorted(str(path) for path in paths.bundled_plans_dir().glob("*.toml"))
    assert len(files) >= 5
    result = run_cli("check", *files)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
        (b"[plan\nname = 1", "TOML syntax error"),
        (b"x" * (1024 * 1024 + 10), "larger than 1 MiB"),
        (b"[plan]\nname = 'No steps'\n", "the plan has no steps"),
    ],
    ids=["binary", "syntax", "huge", "empty"],
)
def test_bad_files_get_a_message_and_status_one_never_a_traceback(
    run_cli: RunCli, tmp_path: Path, content: bytes, expected: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(content)
    result = run_cli("check", str(bad))
    assert result.returncode == 1
    assert expected in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_folder_is_not_a_plan(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("check", str(tmp_path))
    assert result.returncode == 1
    assert "is a folder, not a plan file" in result.stdout
    assert "Traceback" not in result.stderr
