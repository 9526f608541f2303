"""``retro-tui export-plan``: the files it writes, where it writes them, and what it says.

Run through ``retro_tui.cli.main`` as a user runs it. A FIT file must pass both
fitdecode's CRC check and the Garmin FIT SDK's integrity check; a .zwo file
must parse. Every mistake a user can make ends with a message and an exit
status, never a traceback.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import fitdecode
import pytest
from garmin_fit_sdk import Decoder, Stream

from retro_tui.cli import main
from retro_tui.cli.export_plan import Pace, parse_pace

HILL = """\
[plan]
name = "Hill & <dale>"
summary = "A short one"

[[step]]
kind = "warmup"
duration = "5m"
speed = 5.0

[[step]]
repeat = 2
  [[step.step]]
  direction = "backward"
  duration = "30s"
  speed = 2.5
  [[step.step]]
  kind = "recover"
  duration = "1m"
  speed = 3.75
"""

NO_SPEEDS = """\
[plan]
name = "Free"

[[step]]
duration = "5m"

[[step]]
direction = "backward"
duration = "30s"
"""

KMH = """\
[plan]
name = "Metric"
units = "kmh"

[[step]]
duration = "5m"
speed = 6.0
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


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def export_plan(*args: str) -> int:
    return main(["export-plan", *args])


def fit_messages(data: bytes) -> dict[str, list[dict[str, Any]]]:
    """The file's messages by name, read by fitdecode (CRC checked) and the Garmin SDK."""
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()
    _, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    messages: dict[str, list[dict[str, Any]]] = {}
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                values = {field.name: field.value for field in frame.fields}
                messages.setdefault(frame.name, []).append(values)
    return messages


def zwo_root(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == "workout_file"
    return root


def powers(root: ET.Element) -> list[tuple[str, str | None]]:
    workout = root.find("workout")
    assert workout is not None
    return [(element.tag, element.get("Power") or element.get("OnPower")) for element in workout]


def no_traceback(err: str) -> None:
    assert "Traceback" not in err
    assert "unexpected error" not in err


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


# -- FIT ---------------------------------------------------------------------------------------


def test_a_bundled_plan_by_name_as_fit_goes_here_named_after_its_file(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export_plan("starter", "--fit") == 0
    assert capsys.readouterr().out.strip() == "starter.fit"
    assert [path.name for path in here.iterdir()] == ["starter.fit"]
    messages = fit_messages((here / "starter.fit").read_bytes())
    (workout,) = messages["workout"]
    assert workout["wkt_name"] == "Retro starter"
    assert workout["num_valid_steps"] == len(messages["workout_step"])
    kinds = [step["duration_type"] for step in messages["workout_step"]]
    assert "repeat_until_steps_cmplt" in kinds


def test_a_plan_file_by_path_is_named_after_the_file_not_the_plan(
    here: Path, tmp_path: Path
) -> None:
    path = write(tmp_path / "mine", "my-hill.toml", HILL)
    assert export_plan(str(path), "--fit") == 0
    (workout,) = fit_messages((here / "my-hill.fit").read_bytes())["workout"]
    assert workout["wkt_name"] == "Hill & <dale>"


def test_a_users_plan_is_found_by_its_name(here: Path, isolated_locations: Path) -> None:
    write(isolated_locations / "plans", "hill.toml", HILL)
    assert export_plan("Hill & <dale>", "--fit") == 0
    assert (here / "hill.fit").is_file()


def test_fit_to_stdout_is_the_bytes_alone(
    here: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert export_plan("starter", "--fit", "-o", "-") == 0
    out = capsysbinary.readouterr().out
    assert fit_messages(out)["workout"][0]["wkt_name"] == "Retro starter"
    assert list(here.iterdir()) == []


# -- .zwo --------------------------------------------------------------------------------------


def test_zwo_with_a_pace_gives_shares_of_it(here: Path) -> None:
    assert export_plan("starter", "--zwo", "--pace", "8:00") == 0
    root = zwo_root((here / "starter.zwo").read_bytes())
    assert root.findtext("name") == "Retro starter"
    assert root.findtext("sportType") == "run"
    # 8:00 a mile is 7.5 mph: the 5 mph easy run is 0.67 of it, the 2.5 mph bouts 0.33.
    assert ("SteadyState", "0.67") in powers(root)
    assert ("IntervalsT", "0.33") in powers(root)


def test_zwo_of_a_kmh_plan_reads_the_pace_per_km(here: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "metric.toml", KMH)
    assert export_plan(str(path), "--zwo", "--pace", "5:00") == 0  # 12 km/h
    assert powers(zwo_root((here / "metric.zwo").read_bytes())) == [("SteadyState", "0.50")]


def test_zwo_of_a_plan_without_speeds_needs_no_pace(here: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "free.toml", NO_SPEEDS)
    assert export_plan(str(path), "--zwo") == 0
    root = zwo_root((here / "free.zwo").read_bytes())
    assert powers(root) == [("FreeRide", None), ("FreeRide", None)]


def test_zwo_of_a_plan_with_speeds_asks_for_the_pace(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export_plan("starter", "--zwo") == 2
    captured = capsys.readouterr()
    assert "--pace MM:SS" in captured.err
    assert "5 km" in captured.err and "per mile" in captured.err
    assert captured.out == ""
    no_traceback(captured.err)
    assert list(here.iterdir()) == []


def test_zwo_takes_the_race_time_from_the_settings(
    here: Path, tmp_path: Path, isolated_locations: Path
) -> None:
    # 20:00 for 5 km is 15 km/h: the km/h plan's 6.0 is 0.40 of it; --pace comes first.
    (isolated_locations / "config.toml").write_text(
        '[athlete]\ntime_5k = "20:00"\n', encoding="utf-8"
    )
    path = write(tmp_path, "metric.toml", KMH)
    assert export_plan(str(path), "--zwo") == 0
    assert powers(zwo_root((here / "metric.zwo").read_bytes())) == [("SteadyState", "0.40")]
    assert export_plan(str(path), "--zwo", "--pace", "5:00") == 0
    assert powers(zwo_root((here / "metric.zwo").read_bytes())) == [("SteadyState", "0.50")]


def test_zwo_to_stdout(here: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert export_plan("starter", "--zwo", "--pace", "8:00", "-o", "-") == 0
    root = zwo_root(capsysbinary.readouterr().out)
    assert root.findtext("name") == "Retro starter"
    assert list(here.iterdir()) == []


def test_names_are_escaped_in_the_zwo_file(here: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "hill.toml", HILL)
    assert export_plan(str(path), "--zwo", "--pace", "7:30") == 0
    data = (here / "hill.zwo").read_bytes()
    assert b"&lt;dale&gt;" in data
    assert zwo_root(data).findtext("name") == "Hill & <dale>"


# -- where the file goes -------------------------------------------------------------------------


def test_out_an_existing_folder(
    here: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "watch"
    folder.mkdir()
    assert export_plan("starter", "--fit", "-o", str(folder)) == 0
    assert capsys.readouterr().out.strip() == str(folder / "starter.fit")
    assert fit_messages((folder / "starter.fit").read_bytes())


def test_out_a_new_folder_ending_in_a_slash_is_made(here: Path, tmp_path: Path) -> None:
    folder = tmp_path / "new" / "zwift"
    assert export_plan("starter", "--zwo", "--pace", "8:00", "-o", f"{folder}/") == 0
    assert zwo_root((folder / "starter.zwo").read_bytes()).findtext("name") == "Retro starter"


def test_out_a_file(here: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "tuesday.fit"
    target.parent.mkdir()
    assert export_plan("starter", "--fit", "-o", str(target)) == 0
    assert fit_messages(target.read_bytes())
    assert list(here.iterdir()) == []


def test_an_existing_file_is_replaced_whole(here: Path) -> None:
    (here / "starter.fit").write_bytes(b"an old file, not FIT at all")
    assert export_plan("starter", "--fit") == 0
    assert fit_messages((here / "starter.fit").read_bytes())["workout"][0]["wkt_name"]
    # Nothing is left beside it: the new file was renamed over the old one.
    assert [path.name for path in here.iterdir()] == ["starter.fit"]


def test_a_place_it_cannot_write_says_so(
    here: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert export_plan("starter", "--fit", "-o", str(blocker / "starter.fit")) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"retro-tui export-plan: there is no folder {blocker}")
    no_traceback(err)
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o500)
    try:
        code = export_plan("starter", "--fit", "-o", str(readonly / "starter.fit"))
    finally:
        readonly.chmod(0o700)
    err = capsys.readouterr().err
    if code == 1:  # root writes anywhere; everyone else is refused, by the file's own name
        assert err.startswith(f"retro-tui export-plan: cannot write {readonly / 'starter.fit'}:")


def test_a_typo_in_the_folder_makes_no_folders(here: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-such" / "deep"
    assert export_plan("starter", "--zwo", "--pace", "8:00", "-o", str(missing / "x.zwo")) == 1
    assert not (tmp_path / "no-such").exists()
    # Asked for with a trailing slash, the folder is made.
    assert export_plan("starter", "--zwo", "--pace", "8:00", "-o", f"{missing}/") == 0
    assert (missing / "starter.zwo").is_file()


# -- what goes wrong -------------------------------------------------------------------------------


def test_a_broken_plan_says_what_check_says(
    here: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "broken.toml", BROKEN)
    assert main(["check", str(path)]) == 1
    said_by_check = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith(str(path))
    ]
    assert any(line.endswith('unknown key (did you mean "duration"?)') for line in said_by_check)
    assert export_plan(str(path), "--fit") == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == said_by_check
    assert captured.out == ""
    assert list(here.iterdir()) == []


@pytest.mark.parametrize("plan", ["no-such-plan", "missing/plan.toml"])
def test_a_missing_plan_says_so(here: Path, plan: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", plan]) == 1
    capsys.readouterr()
    assert export_plan(plan, "--zwo") == 1
    err = capsys.readouterr().err
    assert plan in err
    no_traceback(err)


def test_a_program_is_not_one_plan(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export_plan("six-week-block", "--fit") == 1
    err = capsys.readouterr().err
    assert "is a program" in err
    no_traceback(err)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["starter"], "one of the arguments --fit --zwo is required"),
        (["starter", "--fit", "--zwo"], "not allowed with argument"),
        (["starter", "--zwo", "--pace", "8"], "--pace: 8 is not a pace"),
        (["starter", "--zwo", "--pace", "0:00"], "--pace: 0:00 is not a pace"),
        (["starter", "--zwo", "--pace", "8:60"], "--pace: 8:60 is not a pace"),
    ],
)
def test_bad_options_are_usage_errors(
    here: Path, args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        export_plan(*args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert said in err
    no_traceback(err)


def test_a_pace_with_fit_is_refused(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert export_plan("starter", "--fit", "--pace", "8:00") == 2
    assert "--pace is for --zwo" in capsys.readouterr().err
    assert list(here.iterdir()) == []


def test_the_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        export_plan("--help")
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: retro-tui export-plan")
    assert "examples: retro-tui export-plan starter --fit" in out


@pytest.mark.parametrize(
    ("text", "seconds", "speed"),
    [("8:00", 480, 7.5), ("5:00", 300, 12.0), ("12:30", 750, 4.8), (" 7:30 ", 450, 8.0)],
)
def test_paces_read_as_minutes_and_seconds(text: str, seconds: int, speed: float) -> None:
    pace = parse_pace(text)
    assert pace == Pace(seconds)
    assert pace.speed() == pytest.approx(speed)
    assert str(pace) == text.strip()
