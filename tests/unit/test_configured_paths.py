"""``[paths] history`` and ``[paths] plans``: where the command line and the app look.

The history log is chosen by ``--history``, else ``$RETRO_TUI_HISTORY``, else
``[paths] history``, else the default place; plan folders from the settings
are searched by ``check`` and ``run`` and listed in the library, beside those
named on the command line. Relative paths in the settings are taken from the
settings file's own folder.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from retro_tui import paths
from retro_tui.cli import main
from retro_tui.config import Config, PathSettings, configured_history, configured_plans, load_config
from retro_tui.history.log import append_session
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord
from retro_tui.tui.app import make_app

PLAN = """\
[plan]
name = "Club night"

[[step]]
kind = "warmup"
duration = "5m"
"""


def log_with(path: Path, session_id: str) -> Path:
    """A history log holding one session, told apart by its id."""
    started = datetime(2026, 11, 1, 7, 0, tzinfo=UTC)
    append_session(
        path,
        SessionRecord(
            id=session_id,
            plan="Retro starter",
            started=started,
            ended=started + timedelta(minutes=20),
            status=SessionStatus.COMPLETED,
            steps=(StepRecord("Walk", "warmup", "forward", 600, 600.0),),
        ),
    )
    return path


def ids_listed(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main([*argv, "history", "--json"]) == 0
    return [session["id"] for session in json.loads(capsys.readouterr().out)]


@pytest.fixture
def config_file(isolated_locations: Path) -> Path:
    """The settings file every command reads (``$RETRO_TUI_CONFIG``, see tests/conftest.py)."""
    return isolated_locations / "config.toml"


def test_the_history_log_flag_then_environment_then_settings_then_default(
    tmp_path: Path,
    config_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    flag = log_with(tmp_path / "flag.toml", "flag")
    from_env = log_with(tmp_path / "env.toml", "env")
    configured = log_with(tmp_path / "configured.toml", "configured")
    monkeypatch.setenv(paths.HISTORY_ENV, str(from_env))
    config_file.write_text(f'[paths]\nhistory = "{configured}"\n', encoding="utf-8")

    assert ids_listed(["--history", str(flag)], capsys) == ["flag"]
    assert ids_listed([], capsys) == ["env"]
    monkeypatch.delenv(paths.HISTORY_ENV)
    assert ids_listed([], capsys) == ["configured"]
    config_file.write_text("", encoding="utf-8")
    log_with(paths.default_history_path(), "default")
    assert ids_listed([], capsys) == ["default"]


def test_a_relative_history_path_is_taken_from_the_settings_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(paths.HISTORY_ENV)
    config = tmp_path / "elsewhere" / "config.toml"
    config.parent.mkdir()
    config.write_text('[paths]\nhistory = "logs/h.toml"\n', encoding="utf-8")
    log_with(config.parent / "logs" / "h.toml", "relative")
    monkeypatch.chdir(tmp_path)  # not the folder the path is taken from
    assert ids_listed(["--config", str(config)], capsys) == ["relative"]


def test_configured_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.HISTORY_ENV)
    config_file = tmp_path / "config.toml"
    with_history = Config(paths=PathSettings(history=Path("a/h.toml")))
    assert configured_history(with_history, config_file) == tmp_path / "a" / "h.toml"
    absolute = Config(paths=PathSettings(history=tmp_path / "x" / "h.toml"))
    assert configured_history(absolute, config_file) == tmp_path / "x" / "h.toml"
    assert configured_history(Config(), config_file) == paths.default_history_path()
    monkeypatch.setenv(paths.HISTORY_ENV, "~/from-env.toml")
    assert configured_history(with_history, config_file) == Path("~/from-env.toml").expanduser()


def test_configured_plans_are_taken_from_the_settings_folder(tmp_path: Path) -> None:
    config_file = tmp_path / "conf" / "config.toml"
    config = Config(paths=PathSettings(plans=(Path("club"), tmp_path / "shared")))
    assert configured_plans(config, config_file) == [
        tmp_path / "conf" / "club",
        tmp_path / "shared",
    ]
    assert configured_plans(Config(), config_file) == []


def test_check_finds_plans_in_the_configured_folders(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    club = config_file.parent / "club"
    club.mkdir()
    (club / "club-night.toml").write_text(PLAN, encoding="utf-8")
    assert main(["check", "club-night"]) == 1  # not found before the setting
    capsys.readouterr()
    config_file.write_text('[paths]\nplans = ["club"]\n', encoding="utf-8")
    assert main(["check", "club-night"]) == 0
    assert "ok  club-night: Club night:" in capsys.readouterr().out


def test_the_library_lists_configured_folders_before_those_on_the_command_line(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[paths]\nplans = ["club", "~/more"]\n', encoding="utf-8")
    named = tmp_path / "named"
    app = make_app([named], config=config)
    assert app.settings.extra_plans == [
        tmp_path / "club",
        Path("~/more").expanduser(),
        named,
    ]
    assert app.settings.config == load_config(config).config


def test_settings_that_do_not_parse_leave_the_default_places(
    config_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(paths.HISTORY_ENV)
    config_file.write_text('[paths]\nhistory = "x.toml"\nplans = [\n', encoding="utf-8")
    log_with(paths.default_history_path(), "default")
    assert ids_listed([], capsys) == ["default"]
