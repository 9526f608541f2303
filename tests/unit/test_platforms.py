"""retro-tui imports where Unix-only modules are missing, as on Windows."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import retro_tui
from bench.history_gen import generate_sessions
from retro_tui.files import read_at
from retro_tui.history.log import save_session
from retro_tui.history.reader import read_history

# ``sys.modules[name] = None`` makes ``import name`` raise ImportError, as it does
# on a platform without the module.
IMPORT_EVERYTHING = """
import sys
sys.modules["fcntl"] = None
import importlib, pkgutil, retro_tui
names = [
    info.name
    for info in pkgutil.walk_packages(retro_tui.__path__, "retro_tui.")
    if info.name != "retro_tui.__main__"
]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def test_every_module_imports_without_fcntl() -> None:
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", IMPORT_EVERYTHING],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 50, "the walk found the package's modules"


def test_no_module_imports_fcntl_itself() -> None:
    package = Path(retro_tui.__file__).parent
    offenders = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{path}: {name}" for name in names if name.split(".")[0] == "fcntl"]
    assert offenders == []


def test_reading_part_of_an_open_file_works_without_pread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "log.toml"
    path.write_bytes(b"0123456789")
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND)
    try:
        assert read_at(descriptor, 4, 3) == b"3456"
        monkeypatch.delattr(os, "pread")  # as on Windows
        assert read_at(descriptor, 4, 3) == b"3456"
        assert read_at(descriptor, 100, 8) == b"89"
        os.write(descriptor, b"ab")  # appending still appends, whatever was read
    finally:
        os.close(descriptor)
    assert path.read_bytes() == b"0123456789ab"


def test_the_log_is_saved_to_and_read_without_pread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(os, "pread")
    log = tmp_path / "history.toml"
    sessions = list(generate_sessions(3, 5))
    for session in sessions:
        assert save_session(log, session).path == log
    assert read_history(log).sessions == tuple(sessions)
