"""Shared test setup: every test runs with its own history, config and plans locations."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_locations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every default location at a temp folder so no test touches a real user's files."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("RETRO_TUI_HISTORY", str(home / "history.toml"))
    monkeypatch.setenv("RETRO_TUI_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("RETRO_TUI_PLANS", str(home / "plans"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    return home
