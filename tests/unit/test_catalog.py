"""Finding plans: by path, file stem or plan name, and listing folders with broken plans kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from retro_tui.plan import PlanError
from retro_tui.plan.catalog import PlanEntry, discover, load_entry
from retro_tui.plan.folders import MAX_PLANS_PER_FOLDER, plan_files, resolve_plan


def write_plan(path: Path, name: str, seconds: int = 30) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'[plan]\nname = "{name}"\n\n[[step]]\nduration = {seconds}\n', encoding="utf-8"
    )
    return path


BROKEN = '[plan]\nname = "Broken"\n\n[[step]]\nduration = "0s"\n'


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A bundled folder and a user folder; the working directory is an empty folder."""
    bundled = tmp_path / "bundled"
    user = tmp_path / "user"
    write_plan(bundled / "retro-starter.toml", "Retro starter")
    write_plan(bundled / "hills.toml", "Hill Walk Back")
    (bundled / "broken.toml").write_text(BROKEN, encoding="utf-8")
    (bundled / "notes.txt").write_text("not a plan", encoding="utf-8")
    write_plan(bundled / "nested" / "deep.toml", "Too deep to be listed")
    write_plan(user / "mine.toml", "My plan")
    write_plan(user / "hills-2.toml", "Hill walk back", seconds=60)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return bundled, user


# -- resolve_plan ----------------------------------------------------------------------


def test_resolve_an_existing_path(library: tuple[Path, Path]) -> None:
    bundled, user = library
    path = bundled / "hills.toml"
    assert resolve_plan(str(path), [user]) == path


def test_resolve_a_relative_path_from_the_working_directory(
    library: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled, _ = library
    monkeypatch.chdir(bundled)
    assert resolve_plan("hills.toml", []) == Path("hills.toml")


@pytest.mark.parametrize("name", ["missing.toml", "some/dir/plan", "./starter"])
def test_a_name_that_looks_like_a_path_is_kept_as_a_path(
    library: tuple[Path, Path], name: str
) -> None:
    # Loading it later reports the missing file with its own name.
    assert resolve_plan(name, list(library)) == Path(name)


def test_a_path_under_home_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    path = write_plan(tmp_path / "plans" / "walk.toml", "Walk")
    assert resolve_plan("~/plans/walk.toml", []) == path


@pytest.mark.parametrize("name", ["hills", "HILLS", "Hills"])
def test_resolve_by_file_stem(library: tuple[Path, Path], name: str) -> None:
    bundled, user = library
    assert resolve_plan(name, [bundled, user]) == bundled / "hills.toml"


@pytest.mark.parametrize(
    "name", ["retro-starter", "retro starter", "Retro_Starter", "RETRO  STARTER", " retro starter "]
)
def test_resolve_by_stem_ignores_case_dashes_and_spaces(
    library: tuple[Path, Path], name: str
) -> None:
    bundled, _ = library
    assert resolve_plan(name, [bundled]) == bundled / "retro-starter.toml"


@pytest.mark.parametrize(
    "name", ["My plan", "my plan", "MY-PLAN", "my_plan", "  my   plan  ", "My Plan"]
)
def test_resolve_by_plan_name(library: tuple[Path, Path], name: str) -> None:
    bundled, user = library
    assert resolve_plan(name, [bundled, user]) == user / "mine.toml"


def test_resolve_by_plan_name_with_dashes(library: tuple[Path, Path]) -> None:
    bundled, user = library
    assert resolve_plan("hill-walk-back", [bundled, user]) == bundled / "hills.toml"


def test_earlier_folders_win(library: tuple[Path, Path]) -> None:
    bundled, user = library
    # Both folders hold a plan named "Hill walk back" (in any case).
    assert resolve_plan("hill walk back", [user, bundled]) == user / "hills-2.toml"
    assert resolve_plan("hill walk back", [bundled, user]) == bundled / "hills.toml"


def test_a_file_stem_wins_over_a_plan_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first = write_plan(tmp_path / "a" / "other.toml", "Sprint")
    second = write_plan(tmp_path / "b" / "sprint.toml", "Something else")
    assert resolve_plan("sprint", [tmp_path / "a", tmp_path / "b"]) == second
    assert resolve_plan("Something else", [tmp_path / "a", tmp_path / "b"]) == second
    assert resolve_plan("other", [tmp_path / "a", tmp_path / "b"]) == first


def test_broken_plans_are_skipped_when_matching_names(library: tuple[Path, Path]) -> None:
    bundled, user = library
    # "broken" matches the stem; the plan name of a broken file can't be read.
    assert resolve_plan("broken", [bundled]) == bundled / "broken.toml"
    assert resolve_plan("my plan", [bundled, user]) == user / "mine.toml"


def test_an_unknown_name_lists_the_known_plans(library: tuple[Path, Path]) -> None:
    bundled, user = library
    with pytest.raises(PlanError) as raised:
        resolve_plan("tempo", [bundled, user, bundled / "missing-folder"])
    assert str(raised.value) == (
        "tempo: no plan file or plan named 'tempo'; "
        "known plans: broken, hills, hills-2, mine, retro-starter"
    )
    assert raised.value.first.line is None


def test_an_unknown_name_lists_the_known_programs_after_the_plans(
    library: tuple[Path, Path],
) -> None:
    bundled, user = library
    # A program file counts as one by its [program] table, even before it is checked.
    (bundled / "six-week-block.toml").write_text('[program]\nname = "Block"\n', encoding="utf-8")
    (user / "my-block.toml").write_text('[program]\nname = "Mine"\n', encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        resolve_plan("tempo", [bundled, user])
    assert str(raised.value) == (
        "tempo: no plan file or plan named 'tempo'; "
        "known plans: broken, hills, hills-2, mine, retro-starter; "
        "known programs: my-block, six-week-block"
    )
    # Where only a plan will do (a program's session), programs are not offered.
    with pytest.raises(PlanError) as raised:
        resolve_plan("tempo", [bundled, user], programs=False)
    assert "known programs" not in str(raised.value)


def test_an_unknown_name_with_no_plans_anywhere(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as raised:
        resolve_plan("tempo", [tmp_path / "none"])
    assert str(raised.value) == "tempo: no plan file or plan named 'tempo'"


# -- plan_files and discover -----------------------------------------------------------


def test_plan_files_lists_toml_files_directly_inside_sorted(library: tuple[Path, Path]) -> None:
    bundled, _ = library
    (bundled / "folder.toml").mkdir()
    assert plan_files(bundled) == [
        bundled / "broken.toml",
        bundled / "hills.toml",
        bundled / "retro-starter.toml",
    ]


def test_plan_files_of_a_missing_folder_or_a_file(tmp_path: Path) -> None:
    assert plan_files(tmp_path / "missing") == []
    assert plan_files(write_plan(tmp_path / "one.toml", "One")) == []


def test_plan_files_are_capped(tmp_path: Path) -> None:
    for index in range(MAX_PLANS_PER_FOLDER + 5):
        (tmp_path / f"{index:04d}.toml").touch()
    files = plan_files(tmp_path)
    assert len(files) == MAX_PLANS_PER_FOLDER
    assert files[0].name == "0000.toml"


def test_discover_lists_broken_plans_with_their_error(library: tuple[Path, Path]) -> None:
    bundled, user = library
    entries = discover([user], bundled=bundled)
    assert [(entry.path, entry.bundled, entry.title) for entry in entries] == [
        (bundled / "broken.toml", True, "broken"),
        (bundled / "hills.toml", True, "Hill Walk Back"),
        (bundled / "retro-starter.toml", True, "Retro starter"),
        (user / "hills-2.toml", False, "Hill walk back"),
        (user / "mine.toml", False, "My plan"),
    ]
    broken = entries[0]
    assert broken.plan is None
    assert broken.error is not None
    assert str(broken.error) == (
        f"{bundled / 'broken.toml'}:5: step[1].duration: must be longer than zero, not '0s'"
    )
    for entry in entries[1:]:
        assert entry.error is None
        assert entry.plan is not None
        assert entry.plan.source == entry.path


def test_discover_loads_named_files_and_reports_missing_ones(library: tuple[Path, Path]) -> None:
    _, user = library
    missing = user / "gone.toml"
    entries = discover([user / "mine.toml", missing])
    assert [entry.title for entry in entries] == ["My plan", "gone"]
    assert entries[1].plan is None
    assert str(entries[1].error) == f"{missing}: no such file"


def test_discover_lists_each_file_once(library: tuple[Path, Path]) -> None:
    bundled, user = library
    entries = discover(
        [bundled, user, user / "mine.toml", user / ".." / "user" / "mine.toml"], bundled=bundled
    )
    paths = [entry.path.resolve() for entry in entries]
    assert len(paths) == len(set(paths)) == 5
    # The bundled copy keeps its mark.
    assert all(entry.bundled for entry in entries if entry.path.parent == bundled)


def test_discover_without_folders(tmp_path: Path) -> None:
    assert discover([]) == []
    assert discover([tmp_path / "empty"], bundled=None)[0].title == "empty"


def test_load_entry(library: tuple[Path, Path]) -> None:
    bundled, _ = library
    good = load_entry(bundled / "hills.toml", bundled=True)
    assert isinstance(good, PlanEntry)
    assert (good.bundled, good.error, good.title) == (True, None, "Hill Walk Back")
    bad = load_entry(bundled / "broken.toml")
    assert (bad.bundled, bad.plan, bad.title) == (False, None, "broken")
    assert isinstance(bad.error, PlanError)
