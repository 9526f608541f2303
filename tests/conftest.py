"""Shared test setup: every test runs with its own history, config and plans locations."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Speed is measured in bench/, not asserted: a per-example deadline would only fail when
# the machine is busy (several workers on two cores).
settings.register_profile("retro-tui", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("retro-tui")

TimeLimit = Callable[[float], AbstractContextManager[None]]


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def time_limit() -> TimeLimit:
    """``with time_limit(5): ...`` fails the test instead of letting it hang (or fill memory).

    A bound for things that used to take minutes, far above what they take now: not a
    timing assertion (those are for bench/), a guard against a runaway.
    """
    if not hasattr(signal, "setitimer"):
        pytest.skip("needs SIGALRM")
    return _time_limit


@pytest.fixture(autouse=True)
def isolated_locations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every default location at a temp folder so no test touches a real user's files."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("RETRO_TUI_HISTORY", str(home / "history.toml"))
    monkeypatch.setenv("RETRO_TUI_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("RETRO_TUI_PLANS", str(home / "plans"))
    monkeypatch.setenv("RETRO_TUI_EXPORTS", str(home / "exports"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    return home
