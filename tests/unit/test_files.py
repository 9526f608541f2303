"""Durable writes: whole files, no temp file left behind, and permissions like any other file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from retro_tui.files import create_new, replace_atomically


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> object:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path, umask_022: object) -> None:
    tmp_path = tmp_path / "here"  # the test's own folder: tmp_path holds its home too
    plan = tmp_path / "plans" / "hill.toml"
    plan.parent.mkdir(parents=True)
    create_new(plan, b"[plan]\n")
    settings = tmp_path / "config" / "config.toml"
    replace_atomically(settings, b"[sound]\n")
    assert (mode_of(plan), mode_of(settings)) == (0o644, 0o644)
    assert sorted(p.name for p in tmp_path.rglob("*")) == [
        "config", "config.toml", "hill.toml", "plans"
    ]  # fmt: skip


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path, umask_022: object) -> None:
    settings = tmp_path / "config.toml"
    settings.write_bytes(b"old")
    settings.chmod(0o600)
    replace_atomically(settings, b"new")
    assert settings.read_bytes() == b"new"
    assert mode_of(settings) == 0o600


def test_a_new_file_never_replaces_one_of_that_name(tmp_path: Path) -> None:
    tmp_path = tmp_path / "here"
    tmp_path.mkdir()
    plan = tmp_path / "hill.toml"
    plan.write_bytes(b"mine")
    with pytest.raises(FileExistsError):
        create_new(plan, b"theirs")
    assert plan.read_bytes() == b"mine"
    assert [p.name for p in tmp_path.iterdir()] == ["hill.toml"]
