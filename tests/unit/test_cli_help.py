"""``retro-tui --help`` lists every command with an example, and each command's own help too."""

from __future__ import annotations

import re

import pytest

from retro_tui.cli import COMMANDS, main


def help_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def listed_commands(help_text: str) -> list[str]:
    """The command words of the "commands:" section, in order."""
    section = help_text.split("\ncommands:\n", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"^  (\S+)", section, flags=re.MULTILINE)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_main_help_lists_every_command_with_its_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = help_of(["--help"], capsys)
    assert command in listed_commands(out)
    assert re.search(rf"^ +example: retro-tui {command}\b", out, flags=re.MULTILINE), out


def test_main_help_lists_no_command_that_does_not_exist(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = help_of(["--help"], capsys)
    assert set(listed_commands(out)) == {"(none)", *COMMANDS}
    assert re.search(r"^ +example: retro-tui ~/my-plans$", out, flags=re.MULTILINE)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_has_its_own_help_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = help_of([command, "--help"], capsys)
    assert out.startswith(f"usage: retro-tui {command}")
    assert re.search(rf"^examples?: retro-tui {command}\b", out, flags=re.MULTILINE), out


def test_main_usage_line_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    out = help_of(["--help"], capsys)
    usage = out.split("\n\n", 1)[0]
    assert usage.startswith("usage: retro-tui [-h] [--version] [--history FILE]")
    commands = re.search(r"^ +retro-tui \{([a-z,-]+)\} ", usage, flags=re.MULTILINE)
    assert commands is not None, usage
    assert commands.group(1).split(",") == [
        "run",
        "check",
        "new",
        "history",
        "program",
        "export",
        "import",
        "export-plan",
        "serve",
        "devices",
        "simulate",
    ]
    assert set(commands.group(1).split(",")) == set(COMMANDS)


def test_a_bad_command_line_shows_the_commands_in_its_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--no-such-option"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    listed = "run,check,new,history,program,export,import,export-plan,serve,devices,simulate"
    assert f"retro-tui {{{listed}}} [--help] ..." in err
    assert err.splitlines()[-1] == "retro-tui: unrecognized arguments: --no-such-option"
