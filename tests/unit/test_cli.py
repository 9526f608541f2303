"""The command line: --version, --help, and `check` output and exit status."""

from __future__ import annotations

from pathlib import Path

import pytest

from retro_tui import __version__
from retro_tui.cli import main

VALID = """\
[plan]
name = "Two backward"

[[step]]
kind = "warmup"
duration = "5m"

[[step]]
repeat = 2
  [[step.step]]
  direction = "backward"
  duration = "30s"
  [[step.step]]
  kind = "recover"
  duration = "1m"
"""

BROKEN = """\
[plan]
name = "Broken"

[[step]]
duration = "5m"

[[step]]
direction = "backward"
durration = "30s"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"retro-tui {__version__}"


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"]])
def test_help_lists_commands_with_examples(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "check" in out
    assert "example: retro-tui check" in out


def test_check_valid_plan_prints_a_summary_and_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "two.toml", VALID)
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out == (
        f"ok  {path}: Two backward: 8:00 total, 1:00 backward in 2 intervals\n"
    )


def test_check_reports_every_error_with_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "two.toml", VALID)
    bad = write(tmp_path, "broken.toml", BROKEN)
    assert main(["check", str(good), str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"ok  {good}: ")
    assert lines[1:] == [
        f'{bad}:7: step[2]: missing duration: how long the step lasts, like duration = "30s"',
        f'{bad}:9: step[2].durration: unknown key (did you mean "duration"?)',
        "1 of 2 plans has errors",
    ]


def test_check_reports_a_target_heart_rate_zone_out_of_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = '[plan]\nname = "Zones"\n\n[[step]]\nduration = "5m"\ntarget_hr_zone = [2, 6]\n'
    path = write(tmp_path, "zones.toml", text)
    assert main(["check", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:6: step[1].target_hr_zone: zones are 1 to 5, not 6",
        "1 of 1 plan has errors",
    ]


def test_check_finds_bundled_plans_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "starter"]) == 0
    assert capsys.readouterr().out.startswith("ok  starter: ")


def test_check_unknown_name_lists_what_exists(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "no-such-plan"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("no-such-plan: no plan file or plan named 'no-such-plan'; known plans: ")
    assert "starter" in out


def test_check_a_folder_or_missing_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tmp_path), str(tmp_path / "gone.toml")]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path}: is a folder, not a plan file; name a .toml file inside it",
        f"{tmp_path / 'gone.toml'}: no such file",
        "2 of 2 plans have errors",
    ]


# Valid, but it raises the backward speed 1.0 mph at once and ends facing backward.
RISKY = """\
[plan]
name = "Risky"

[[step]]
direction = "backward"
duration = "1m"
speed = 2.0

[[step]]
kind = "recover"
duration = "1m"
speed = 3.0

[[step]]
direction = "backward"
duration = "1m"
speed = 3.0
"""


def risky_warnings(path: Path) -> list[str]:
    return [
        f"{path}:14: step[3].speed: warning: speed goes up 1.0 mph from the last backward step "
        "(2.0 -> 3.0); raise it at most 0.5 mph at a time so your balance can keep up",
        f"{path}:14: step[3]: warning: the plan ends facing backward; add a forward or recovery "
        "step after the last backward work so you turn around and slow down before the belt "
        "stops",
    ]


def test_check_prints_safety_warnings_under_the_summary_and_still_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "two.toml", VALID)
    risky = write(tmp_path, "risky.toml", RISKY)
    assert main(["check", str(risky), str(good)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"ok  {risky}: Risky: 3:00 total, 2:00 backward in 2 intervals",
        *risky_warnings(risky),
        f"ok  {good}: Two backward: 8:00 total, 1:00 backward in 2 intervals",
        "1 of 2 plans has safety warnings",
    ]


def test_check_strict_counts_warnings_as_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    risky = write(tmp_path, "risky.toml", RISKY)
    bad = write(tmp_path, "broken.toml", BROKEN)
    assert main(["check", "--strict", str(risky)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "1 of 1 plan has safety warnings"
    assert main(["check", str(risky), str(bad), "--strict"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "1 of 2 plans has errors, 1 has safety warnings"
    )


def test_check_strict_passes_clean_plans(capsys: pytest.CaptureFixture[str]) -> None:
    names = ["starter", "treadmill-intro", "spaced-intervals", "rehab-walk", "block-session"]
    assert main(["check", "--strict", *names, "advanced-incline"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 6
    assert all(line.startswith("ok  ") for line in out)


def test_check_help_explains_warnings_and_strict(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert "--strict" in out
    assert "warning" in out


def test_check_needs_at_least_one_plan(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check"])
    assert exit_info.value.code == 2
    assert "PLAN" in capsys.readouterr().err


def test_an_unexpected_failure_is_a_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(names: object, **options: object) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("retro_tui.cli.check.run_check", explode)
    assert main(["check", "starter"]) == 2
    err = capsys.readouterr().err
    assert "unexpected error: RuntimeError: disk on fire" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("gone.toml", "gone.toml: no such file"),
        ("no-such-plan", "no plan file or plan named 'no-such-plan'"),
        (".", ".: is a folder, not a plan file"),
        ("broken.toml", 'broken.toml:9: step[2].durration: unknown key (did you mean "duration"?)'),
    ],
    ids=["missing", "unknown-name", "folder", "invalid"],
)
def test_run_with_bad_input_prints_the_error_and_exits_without_the_tui(
    name: str,
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    write(tmp_path, "broken.toml", BROKEN)
    monkeypatch.chdir(tmp_path)

    def no_tui(*args: object, **kwargs: object) -> None:
        raise AssertionError("the TUI must not start")

    monkeypatch.setattr("retro_tui.tui.app.make_app", no_tui)
    assert main(["run", name]) == 1
    captured = capsys.readouterr()
    assert expected in captured.err
    assert captured.out == ""


def test_run_and_check_recover_a_dead_workout_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime

    from retro_tui.history.journal import journal_path, write_journal
    from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord

    history = tmp_path / "history.toml"
    started = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)
    session = SessionRecord(
        id="20261121T070000-abcd",
        plan="Retro starter",
        started=started,
        ended=started,
        status=SessionStatus.RECOVERED,
        steps=(StepRecord("Warm-up", "warmup", "forward", 60, 60.0),),
    )
    path = write_journal(history, session)
    # Make the journal look like a dead process's: a pid that cannot exist.
    path.write_text(path.read_text().replace("pid = ", "pid = 99999999#"), encoding="utf-8")
    assert main(["--history", str(history), "check", "starter"]) == 0
    err = capsys.readouterr().err
    assert (
        "Recovered an unfinished workout (Retro starter, started 2026-11-21 07:00, 1 step)" in err
    )
    assert 'status = "recovered"' in history.read_text()
    assert not journal_path(history, session.id).exists()


def _log_with_sessions(path: Path, count: int) -> None:
    from datetime import UTC, datetime, timedelta

    from retro_tui.history.log import append_session
    from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord

    for number in range(count):
        started = datetime(2026, 11, 1, 7, 0, tzinfo=UTC) + timedelta(days=number)
        append_session(
            path,
            SessionRecord(
                id=f"s{number}",
                plan="Retro starter" if number % 2 else "Rehab backward walk",
                started=started,
                ended=started + timedelta(minutes=20),
                status=SessionStatus.COMPLETED,
                steps=(
                    StepRecord("Walk", "warmup", "forward", 600, 600.0),
                    StepRecord("Backward", "work", "backward", 60, 60.0, rpe=5),
                ),
                rpe=4,
                planned_intervals=1,
            ),
        )


def test_history_table_newest_first_with_filters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "history.toml"
    _log_with_sessions(log, 5)
    assert main(["--history", str(log), "history", "--limit", "2", "--plan", "starter"]) == 0
    out = capsys.readouterr().out
    assert "2 of 2 sessions, newest first" in out
    assert out.index("2026-11-04") < out.index("2026-11-02")
    assert "Rehab" not in out
    assert "44" in out  # load: RPE 4 x 11 minutes


def test_history_exports_and_a_damaged_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import io
    import json

    log = tmp_path / "history.toml"
    _log_with_sessions(log, 3)
    assert main(["--history", str(log), "history", "--json"]) == 0
    assert [item["id"] for item in json.loads(capsys.readouterr().out)] == ["s0", "s1", "s2"]
    assert main(["--history", str(log), "history", "--csv", "--since", "2026-11-02"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["session_id"] for row in rows] == ["s1", "s1", "s2", "s2"]
    with log.open("a", encoding="utf-8") as handle:
        handle.write("\n[[session]]\nid = \n")
    lines = log.read_text(encoding="utf-8").count("\n")
    assert main(["--history", str(log), "history", "--json"]) == 1
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 3
    assert f"{log}:{lines - 1}" in captured.err
    assert "damaged" in captured.err


def test_history_of_a_missing_log_is_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--history", str(tmp_path / "none.toml"), "history"]) == 0
    assert "No sessions" in capsys.readouterr().out


# -- history as a newcomer reads it --------------------------------------------------------


def test_history_filters_that_match_nothing_are_named_with_the_size_of_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "history.toml"
    _log_with_sessions(log, 12)
    argv = ["--history", str(log), "history", "--plan", "nomatch", "--since", "2026-11-03"]
    assert main([*argv, "--athlete", "Ana María"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # the console may wrap a long line
    assert out == (
        "No session matches --plan nomatch --since 2026-11-03 --athlete 'Ana María'; "
        f"{log} holds 12 sessions."
    )
    assert "yet" not in out


def test_history_of_an_empty_log_with_filters_says_no_sessions_yet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "none.toml"
    assert main(["--history", str(log), "history", "--plan", "starter"]) == 0
    assert " ".join(capsys.readouterr().out.split()) == f"No sessions in {log} yet."


@pytest.mark.parametrize("day", ["2026-13-01", "31/01/2026", "yesterday"])
def test_history_since_a_date_that_is_not_one_says_how_to_write_it(
    day: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["history", "--since", day])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: retro-tui history")
    assert err.splitlines()[-1] == (
        f"retro-tui history: --since: {day} is not a date; "
        "write it as YYYY-MM-DD, for example 2026-01-31"
    )
    assert "fromisoformat" not in err and "Traceback" not in err


def test_history_limit_that_is_not_a_count_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["history", "--limit", "ten"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "retro-tui history: --limit: ten is not a whole number; "
        "for example --limit 10, or 0 for every session"
    )


def _dates(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines() if line.startswith("2026-")]


def test_history_order_applies_to_the_table_and_the_exports_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    log = tmp_path / "history.toml"
    _log_with_sessions(log, 4)
    history = ["--history", str(log), "history"]
    # The defaults: the table newest first, the exports oldest first, as the log is written.
    assert main(history) == 0
    out = capsys.readouterr().out
    assert "4 of 4 sessions, newest first" in out
    assert _dates(out) == ["2026-11-04", "2026-11-03", "2026-11-02", "2026-11-01"]
    assert main([*history, "--json"]) == 0
    assert [item["id"] for item in json.loads(capsys.readouterr().out)] == ["s0", "s1", "s2", "s3"]
    # --order turns either around.
    assert main([*history, "--order", "oldest", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "2 of 4 sessions, oldest first" in out
    assert _dates(out) == ["2026-11-03", "2026-11-04"], "the two most recent, oldest first"
    assert main([*history, "--json", "--order", "newest"]) == 0
    assert [item["id"] for item in json.loads(capsys.readouterr().out)] == ["s3", "s2", "s1", "s0"]
    assert main([*history, "--csv", "--order", "newest"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == ["s3", "s3", "s2", "s2", "s1", "s1", "s0", "s0"]


def test_history_help_says_which_order_each_output_has(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["history", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--order {newest,oldest}" in out
    assert "default: newest first in the table, oldest first in --csv and --json" in out


def test_check_unknown_name_lists_programs_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "nosuchname"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    plans, programs = first.split("; known programs: ")
    assert "known plans: " in plans and "starter" in plans
    assert "six-week-block" not in plans
    assert programs == "six-week-block"


def test_run_on_a_program_says_to_start_it_from_the_library(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_tui(*args: object, **kwargs: object) -> None:
        raise AssertionError("the TUI must not start")

    monkeypatch.setattr("retro_tui.tui.app.make_app", no_tui)
    assert main(["run", "six-week-block"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("retro-tui run: six-week-block is a program of several weeks")
    assert "missing the [plan] table" not in err


def test_a_mistyped_command_is_a_usage_error_not_a_plan_folder(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_tui(*args: object, **kwargs: object) -> None:
        raise AssertionError("the TUI must not start")

    monkeypatch.setattr("retro_tui.tui.app.make_app", no_tui)
    with pytest.raises(SystemExit) as exit_info:
        main(["chek", "starter"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    listed = "run,check,new,history,program,export,import,export-plan,serve,devices,simulate"
    assert f"retro-tui {{{listed}}}" in err
    assert err.splitlines()[-1] == (
        "retro-tui: chek is not a command (did you mean check?) and not a plan file or folder"
    )


def test_a_missing_option_value_is_reported_once(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--history"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("expected one argument") == 1
    assert err.count("usage:") == 1


def test_options_before_the_command_word_belong_to_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help", "history"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("usage: retro-tui history")
    assert main(["--strict", "check", "starter"]) == 0
    assert "ok  starter: Retro starter" in capsys.readouterr().out


def test_an_unknown_option_of_a_command_is_said_by_that_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--bogus", "starter"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: retro-tui check")
    assert err.splitlines()[-1] == "retro-tui check: unrecognized arguments: --bogus"
