"""Durations: reading them as plans write them, and showing them as the app does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retro_tui.plan.durations import format_clock, format_duration, parse_duration


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        (90, 90),
        (1, 1),
        ("90", 90),
        (" 90 ", 90),
        ("45s", 45),
        ("45 s", 45),
        ("45sec", 45),
        ("45 secs", 45),
        ("45 seconds", 45),
        ("1m30s", 90),
        ("1m 30s", 90),
        ("20m", 1200),
        ("20 min", 1200),
        ("20 mins", 1200),
        ("20 minutes", 1200),
        ("1 minute", 60),
        ("1h", 3600),
        ("1 hour", 3600),
        ("2 hours", 7200),
        ("2hrs", 7200),
        ("1hr", 3600),
        ("1h5m", 3900),
        ("1h 5m 7s", 3907),
        ("1H30M", 5400),
        ("1:30", 90),
        ("0:45", 45),
        ("10:00", 600),
        ("61:00", 3660),
        ("1:00:00", 3600),
        ("1:02:03", 3723),
        ("90m", 5400),
    ],
)
def test_parse_duration_accepts(written: object, seconds: int) -> None:
    assert parse_duration(written) == seconds


@pytest.mark.parametrize(("written", "seconds"), [(0, 0), ("0s", 0), ("0", 0), (-5, -5)])
def test_parse_duration_returns_zero_and_negative_as_they_are(
    written: object, seconds: int
) -> None:
    # The loader, not the parser, says what is wrong with them.
    assert parse_duration(written) == seconds


@pytest.mark.parametrize(
    "written",
    [
        True,
        False,
        None,
        1.5,
        30.0,
        [30],
        {"s": 30},
        "",
        "   ",
        "s",
        "m",
        "abc",
        "-5s",
        "1.5m",
        "1m30",
        "30s1m",
        "1:60",
        "1:5",
        "1:2:3:4",
        "5 parsecs",
        "1d",
        "9" * 41,
    ],
)
def test_parse_duration_refuses(written: object) -> None:
    assert parse_duration(written) is None


def test_parse_duration_limits_text_to_40_characters() -> None:
    assert parse_duration(" " * 38 + "1m") == 60
    assert parse_duration(" " * 39 + "1m") is None


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=99), st.integers(0, 99), st.integers(0, 99))
def test_parse_duration_unit_form_adds_up(hours: int, minutes: int, seconds: int) -> None:
    assert parse_duration(f"{hours}h{minutes}m{seconds}s") == hours * 3600 + minutes * 60 + seconds


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.integers(), st.floats(), st.none(), st.booleans()))
def test_parse_duration_never_raises(value: object) -> None:
    result = parse_duration(value)
    assert result is None or isinstance(result, int)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0:00"),
        (-3, "0:00"),
        (0.01, "0:01"),
        (1, "0:01"),
        (59.2, "1:00"),
        (60, "1:00"),
        (90, "1:30"),
        (599.5, "10:00"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (3725, "1:02:05"),
        (36000, "10:00:00"),
        # Float noise just above a whole second does not add a second.
        (30 + 1e-12, "0:30"),
    ],
)
def test_format_clock_rounds_up(seconds: float, shown: str) -> None:
    assert format_clock(seconds) == shown


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0s"),
        (-5, "0s"),
        (30, "30s"),
        (29.6, "30s"),
        (60, "1m"),
        (65, "1m05s"),
        (90, "1m30s"),
        (1200, "20m"),
        (3600, "1h00m"),
        (3900, "1h05m"),
        (3905, "1h05m05s"),
        (21601, "6h00m01s"),
    ],
)
def test_format_duration(seconds: float, shown: str) -> None:
    assert format_duration(seconds) == shown


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=6 * 3600))
def test_format_duration_reads_back(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds
