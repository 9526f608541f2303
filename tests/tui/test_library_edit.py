"""Editing plans from the library: `e` runs the user's editor on a plan, `n` writes a new one.

The editor is a small shell script written by each test: it notes the
arguments it got and changes the file named last, as a person would. The
headless driver of ``run_test`` can't suspend (``App.suspend`` raises
``SuspendNotSupported`` there, as in a browser), so the tests that run the
editor replace the app's ``suspend`` with a no-op; the first test keeps the
real one to check what a user without a terminal is told. The real suspend
is exercised in a terminal by ``tests/e2e/test_tmux_edit.py``.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from retro_tui import paths
from retro_tui.plan.catalog import PlanEntry
from retro_tui.plan.errors import PlanError
from retro_tui.plan.loader import load_plan
from retro_tui.tui.dialogs.new_plan import NewPlanDialog
from retro_tui.tui.editor import editor_argv
from retro_tui.tui.screens.library import LibraryScreen

from .conftest import MakeHarness
from .helpers import Notes, highlight, library, no_suspend, preview, settle

MY_PLAN = """\
[plan]
name = "My hills"

[[step]]
kind = "warmup"
duration = "2m"

[[step]]
direction = "backward"
duration = "30s"

[[step]]
kind = "cooldown"
duration = "1m"
"""

APPEND_TYPO = """printf '\\n[[step]]\\ndurration = "1m"\\n' >> "$last"\n"""
"""A new step with a misspelt key: two problems (unknown key, no duration)."""

LONGER_INTERVALS = (
    """sed 's/duration = "30s"/duration = "45s"/' "$last" > "$last.new" && """
    """mv "$last.new" "$last"\n"""
)


class Recorded:
    """What the fake editor was run with."""

    def __init__(self, log: Path) -> None:
        self.log = log

    @property
    def ran(self) -> bool:
        return self.log.exists()

    @property
    def args(self) -> list[str]:
        count, *args = self.log.read_text(encoding="utf-8").split("\n")[:-1]
        assert int(count) == len(args), "an argument contained a line break"
        return args


def fake_editor(tmp_path: Path, action: str = "", exit_status: int = 0) -> tuple[Path, Recorded]:
    """An executable script standing in for the user's editor."""
    log = tmp_path / "editor.log"
    script = tmp_path / "fake-editor"
    script.write_text(
        "#!/bin/sh\n"
        "# Note every argument on a line of its own, then change the file named last.\n"
        f'printf "%s\\n" "$#" > {shlex.quote(str(log))}\n'
        f'for arg in "$@"; do printf "%s\\n" "$arg" >> {shlex.quote(str(log))}; last=$arg; done\n'
        f"{action}"
        f"exit {exit_status}\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script, Recorded(log)


@pytest.fixture
def user_plans() -> Path:
    """The user's plans folder (the test's own, see tests/conftest.py)."""
    return paths.user_plans_dir()


def write_plan(folder: Path, name: str, text: str = MY_PLAN) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def highlighted(pilot: Pilot[int]) -> PlanEntry:
    entry = library(pilot).highlighted_entry()
    assert entry is not None
    return entry


def problems(path: Path) -> int:
    with pytest.raises(PlanError) as error:
        load_plan(path)
    return len(error.value.issues)


async def test_without_a_terminal_the_user_is_told_where_the_file_is(
    harness: MakeHarness, tmp_path: Path, user_plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = write_plan(user_plans, "mine.toml")
    script, editor = fake_editor(tmp_path, APPEND_TYPO)
    monkeypatch.setenv("VISUAL", str(script))
    h = harness(run=False)
    notes = Notes(h, monkeypatch)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await highlight(pilot, plan)
        await pilot.press("e")  # the headless driver can't suspend, like a browser
        await settle(pilot)
        assert f"Editing needs the app in a terminal; the file is at {plan}" in notes
        assert highlighted(pilot).path == plan
    assert not editor.ran
    assert plan.read_text(encoding="utf-8") == MY_PLAN


async def test_edit_runs_the_editor_and_shows_the_new_errors(
    harness: MakeHarness, tmp_path: Path, user_plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = write_plan(user_plans, "mine.toml")
    script, editor = fake_editor(tmp_path, APPEND_TYPO)
    monkeypatch.setenv("VISUAL", str(script))
    monkeypatch.setenv("EDITOR", "/nonexistent/not-this-one")
    h = harness(run=False)
    monkeypatch.setattr(h.app, "suspend", no_suspend)
    notes = Notes(h, monkeypatch)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await highlight(pilot, plan)
        assert "My hills" in preview(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert editor.args == [str(plan)]
        entry = highlighted(pilot)
        assert entry.path == plan
        assert entry.plan is None
        shown = preview(pilot)
        assert "This plan cannot run" in shown
        assert "durration" in shown
        count = problems(plan)
        assert count == 2
        assert f"mine.toml has {count} problems: see the preview" in notes


async def test_a_bundled_plan_is_copied_and_the_copy_edited(
    harness: MakeHarness, tmp_path: Path, user_plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = paths.bundled_plans_dir() / "starter.toml"
    original = bundled.read_bytes()
    script, editor = fake_editor(tmp_path, LONGER_INTERVALS)
    monkeypatch.setenv("VISUAL", str(script))
    h = harness(run=False)
    monkeypatch.setattr(h.app, "suspend", no_suspend)
    notes = Notes(h, monkeypatch)
    copy = user_plans / "starter.toml"
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await highlight(pilot, bundled)
        assert highlighted(pilot).bundled
        await pilot.press("e")
        await settle(pilot)
        assert editor.args == [str(copy)]
        assert "starter.toml is a bundled plan, so you edited a copy" in notes
        assert "starter.toml has no errors" in notes
        entry = highlighted(pilot)
        assert entry.path == copy
        assert not entry.bundled
        assert entry.plan is not None
        assert entry.plan.backward_s == 3 * 45  # the edit shows in the listing
        assert "★ Retro starter" in str(library(pilot).query_one(OptionList).get_option_at_index(
            library(pilot).query_one(OptionList).highlighted or 0).prompt)  # fmt: skip

        # Edit the bundled plan again: the copy made before is edited, not replaced.
        copy.write_text(copy.read_text(encoding="utf-8") + "# my note\n", encoding="utf-8")
        await highlight(pilot, bundled)
        await pilot.press("e")
        await settle(pilot)
        assert editor.args == [str(copy)]
        assert "You edited your own copy of starter.toml" in notes
        assert copy.read_text(encoding="utf-8").endswith("# my note\n")
        assert highlighted(pilot).path == copy
    assert bundled.read_bytes() == original


@pytest.mark.parametrize(
    "file_name",
    [
        "a;touch PWNED.toml",
        "$(touch PWNED).toml",
        "`touch PWNED`.toml",
        "x' ; touch PWNED ; '.toml",
        "-c touch PWNED.toml",
        "+!touch PWNED.toml",
        "two  spaces\ttab.toml",
    ],
)
async def test_a_file_name_reaches_the_editor_as_one_argument_and_runs_nothing(
    file_name: str,
    harness: MakeHarness,
    tmp_path: Path,
    user_plans: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = write_plan(user_plans, file_name)
    script, editor = fake_editor(tmp_path)
    # The user's own setting is split like a shell would: a program and a flag.
    monkeypatch.setenv("VISUAL", f"{shlex.quote(str(script))} --wait")
    monkeypatch.chdir(tmp_path)
    h = harness(run=False)
    monkeypatch.setattr(h.app, "suspend", no_suspend)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await highlight(pilot, plan)
        await pilot.press("e")
        await settle(pilot)
        assert highlighted(pilot).path == plan
    assert editor.args == ["--wait", str(plan)]
    assert not list(tmp_path.rglob("PWNED")), "a shell ran a command from the file name"


async def test_editor_problems_are_told_not_crashed(
    harness: MakeHarness, tmp_path: Path, user_plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = write_plan(user_plans, "mine.toml")
    script, _ = fake_editor(tmp_path, exit_status=3)
    h = harness(run=False)
    monkeypatch.setattr(h.app, "suspend", no_suspend)
    notes = Notes(h, monkeypatch)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await highlight(pilot, plan)

        monkeypatch.setenv("VISUAL", str(script))
        await pilot.press("e")
        await settle(pilot)
        assert f"The editor {script} ended with exit status 3" in notes

        monkeypatch.setenv("VISUAL", str(tmp_path / "no-such-editor"))
        await pilot.press("e")
        await settle(pilot)
        assert f"Could not start the editor {tmp_path / 'no-such-editor'}" in notes

        monkeypatch.setenv("VISUAL", "'unbalanced")
        await pilot.press("e")
        await settle(pilot)
        assert "$VISUAL ('unbalanced) can't be read" in notes

        monkeypatch.delenv("VISUAL")
        monkeypatch.delenv("EDITOR", raising=False)
        monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
        await pilot.press("e")
        await settle(pilot)
        assert "No editor found: set $VISUAL or $EDITOR, for example to nano" in notes
        assert f"the file is at {plan}" in notes
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert highlighted(pilot).path == plan


def test_editor_choice(tmp_path: Path) -> None:
    plan = tmp_path / "p.toml"
    found = {"nano": "/bin/nano", "vi": "/bin/vi"}
    assert editor_argv(plan, {"VISUAL": "code --wait", "EDITOR": "vi"}, found.get) == [
        "code", "--wait", str(plan),
    ]  # fmt: skip
    assert editor_argv(plan, {"VISUAL": "  ", "EDITOR": "vi"}, found.get) == ["vi", str(plan)]
    assert editor_argv(plan, {}, found.get) == ["/bin/nano", str(plan)]
    # A relative path is made absolute, so "-x.toml" or "+cmd.toml" can't pass for options.
    relative = editor_argv(Path("+cmd.toml"), {"EDITOR": "vi"}, found.get)
    assert relative == ["vi", str(Path("+cmd.toml").absolute())]


async def test_new_plan_writes_a_skeleton_and_opens_it(
    harness: MakeHarness, tmp_path: Path, user_plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script, editor = fake_editor(tmp_path)
    monkeypatch.setenv("VISUAL", str(script))
    h = harness(run=False)
    monkeypatch.setattr(h.app, "suspend", no_suspend)
    notes = Notes(h, monkeypatch)
    path = user_plans / "hill-tuesday.toml"
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, NewPlanDialog)
        await pilot.press(*'Hill "Tues" day')
        hint = pilot.app.screen.query_one("#new-plan-file", Static)
        assert "hill-tues-day.toml" in str(hint.content)
        field = pilot.app.screen.query_one(Input)
        field.value = "Hill Tuesday"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert path.exists()
        assert load_plan(path).name == "Hill Tuesday"
        assert editor.args == [str(path)]
        assert f"New plan: {path}" in notes
        assert "hill-tuesday.toml has no errors" in notes
        assert highlighted(pilot).path == path
        assert "Hill Tuesday" in preview(pilot)

        # The same name again: the plan written (and maybe edited) is never replaced.
        path.write_text(MY_PLAN, encoding="utf-8")
        await pilot.press("n", *"hill tuesday", "enter")
        await settle(pilot)
        assert f"{path} already exists" in notes
        assert path.read_text(encoding="utf-8") == MY_PLAN


async def test_new_plan_dialog_refuses_bad_names_and_escape_cancels(
    harness: MakeHarness, user_plans: Path
) -> None:
    h = harness(run=False)
    async with h.app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n", "enter")  # nothing typed: stays open
        await pilot.pause()
        assert isinstance(pilot.app.screen, NewPlanDialog)
        pilot.app.screen.query_one(Input).value = "跑步"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, NewPlanDialog)
        hint = pilot.app.screen.query_one("#new-plan-file", Static)
        assert "no letters a-z or digits" in str(hint.content)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, LibraryScreen)
    assert not user_plans.exists()
