"""Fitness, fatigue, form and the acute:chronic ratio, against closed forms and hand tables."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from retro_tui.coach.fitness import (
    CHRONIC_DAYS,
    Form,
    LoadSource,
    LoadWarning,
    daily_loads,
    expected_session_rpe,
    exponential_average,
    fitness_days,
    form_reading,
    form_word,
    heart_rate_load,
    load_function,
    loads_until,
    ratio_series,
    ratio_words,
    warnings_before,
    weekly_windows,
    williams_average,
    zone_minutes,
)
from retro_tui.coach.zones import HeartRateZones
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord

START = date(2026, 9, 7)  # a Monday
CET = timezone(timedelta(hours=1))


def on(
    when: str, *, minutes: float, rpe: int | None = None, plan: str = "Retro starter"
) -> SessionRecord:
    """A completed session at 07:00+01:00 on ``when``: one backward step of ``minutes``."""
    started = datetime.combine(date.fromisoformat(when), datetime.min.time(), CET).replace(hour=7)
    step = StepRecord("Backward", "work", "backward", round(minutes * 60), minutes * 60.0)
    return SessionRecord(
        id=f"{started:%Y%m%dT%H%M%S}-{plan[:4]}-{rpe}",
        plan=plan,
        started=started,
        ended=started + timedelta(minutes=minutes),
        status=SessionStatus.COMPLETED,
        steps=(step,),
        rpe=rpe,
    )


def day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def daily(loads: list[float], *, plan: str = "Retro starter") -> list[SessionRecord]:
    """One session a day with these loads (session RPE 5 x load/5 minutes); 0: no session."""
    return [
        on(day(n), rpe=5, minutes=load / 5, plan=plan) for n, load in enumerate(loads) if load > 0
    ]


# -- fitness and fatigue: closed forms ---------------------------------------------------------


@pytest.mark.parametrize("days", [1, 2, 7, 42, 100])
def test_a_constant_daily_load_gives_the_closed_form(days: int) -> None:
    load = 100.0
    found = fitness_days(daily([load] * days), until=START + timedelta(days=days - 1))
    assert len(found) == days
    last = found[-1]
    assert last.fitness == pytest.approx(load * (1 - (41 / 42) ** days), rel=1e-12)
    assert last.fatigue == pytest.approx(load * (1 - (6 / 7) ** days), rel=1e-12)
    assert last.form == pytest.approx(last.fitness - last.fatigue)


def test_one_session_decays_by_41_42_a_day() -> None:
    found = fitness_days(daily([84.0]), until=START + timedelta(days=10))
    for offset, reading in enumerate(found):
        assert reading.fitness == pytest.approx(2.0 * (41 / 42) ** offset)
        assert reading.fatigue == pytest.approx(12.0 * (6 / 7) ** offset)
    assert [reading.load for reading in found] == [84.0] + [0.0] * 10


def test_the_average_update_is_a_fraction_of_the_gap() -> None:
    assert exponential_average([42.0, 0.0], 42) == [1.0, pytest.approx(41 / 42)]
    assert exponential_average([], 42) == []


def test_days_with_several_sessions_add_up_and_unrated_ones_add_nothing() -> None:
    sessions = [
        on(day(0), rpe=4, minutes=10),
        on(day(0), rpe=6, minutes=10),
        on(day(1), minutes=30),
    ]
    assert daily_loads(sessions) == {START: 100.0}


def test_no_load_no_fitness() -> None:
    assert fitness_days([on(day(0), minutes=30)], until=START) == []
    assert form_reading([]) is None
    # A session after the day asked about is not counted.
    assert fitness_days(daily([0, 100]), until=START) == []


# -- form in words -----------------------------------------------------------------------------


# After years of history the corrections are 1 to within 1e-9: the shares are plain.
YEARS = 3000


@pytest.mark.parametrize(
    ("fitness", "fatigue", "days", "word"),
    [
        (50.0, 40.0, YEARS, Form.FRESH),  # +20 %
        (50.0, 47.4, YEARS, Form.FRESH),  # +5.2 %
        (50.0, 47.5, YEARS, Form.BUILDING),  # +5 % exactly is not fresh yet
        (50.0, 65.0, YEARS, Form.BUILDING),  # -30 % exactly
        (50.0, 65.1, YEARS, Form.TIRED),
        (50.0, 90.0, 13, Form.NEW),  # under two weeks of history
        (0.0, 0.0, YEARS, Form.NEW),
    ],
)
def test_form_words(fitness: float, fatigue: float, days: int, word: Form) -> None:
    assert form_word(fitness, fatigue, days) is word


@pytest.mark.parametrize("days", [14, 30, 56, 100, 400])
def test_a_steady_load_reads_as_building_however_short_the_history(days: int) -> None:
    """Uncorrected, 30 days at 100 a day are fitness 51 and fatigue 99: -94 %, "tired"."""
    reading = form_reading(fitness_days(daily([100.0] * days), START + timedelta(days=days - 1)))
    assert reading is not None
    assert reading.share == pytest.approx(0.0, abs=1e-9)
    assert reading.word is Form.BUILDING
    # The figures shown are the model's own, uncorrected.
    assert reading.fitness == pytest.approx(100 * (1 - (41 / 42) ** days))


def test_three_sessions_a_week_read_as_building_from_week_two() -> None:
    week = [150.0, 0.0, 150.0, 0.0, 150.0, 0.0, 0.0]
    for weeks in range(2, 12):
        loads = week * weeks
        # Judged the day after a session, as the summary does on the evening of one.
        last = START + timedelta(days=len(loads) - 3)
        reading = form_reading(fitness_days(daily(loads), last))
        assert reading is not None and reading.word is not Form.TIRED, weeks


def test_a_hard_block_after_easy_weeks_reads_tired_and_a_taper_fresh() -> None:
    weeks = [50.0] * 42 + [150.0] * 7
    tired = form_reading(fitness_days(daily(weeks), until=START + timedelta(days=48)))
    assert tired is not None and tired.word is Form.TIRED
    assert tired.sentence().endswith(": tired.")
    taper = form_reading(fitness_days(daily([80.0] * 42 + [20.0] * 7), START + timedelta(days=48)))
    assert taper is not None and taper.word is Form.FRESH
    assert "harder session" in taper.advice


# -- acute:chronic ratio -----------------------------------------------------------------------


def test_rolling_ratio_hand_table() -> None:
    # Three weeks at 100 a day, then a week at 200: acute 200, chronic (21x100 + 7x200)/28 = 125.
    loads = [100.0] * 21 + [200.0] * 7
    ratios = ratio_series(loads, START)
    assert [ratio.rolling for ratio in ratios[:27]] == [None] * 27
    assert ratios[27].rolling == pytest.approx(1.6)
    assert ratio_words(ratios[27].rolling) == "a spike: injury risk rises"
    assert ratio_words(1.0) == "building safely"
    assert ratio_words(1.4) == "rising fast"
    assert ratio_words(0.5) == "lighter than usual"


def test_ewma_ratio_of_a_constant_load_is_one_and_a_jump_raises_it() -> None:
    ratios = ratio_series([100.0] * 40, START)
    assert all(ratio.ewma == pytest.approx(1.0) for ratio in ratios[CHRONIC_DAYS - 1 :])
    # Williams: acute = 0.25 x load + 0.75 x yesterday; chronic with 2/29.
    jumped = ratio_series([100.0] * 30 + [300.0], START)[-1]
    acute = 0.25 * 300 + 0.75 * 100
    chronic = (2 / 29) * 300 + (27 / 29) * 100
    assert jumped.ewma == pytest.approx(acute / chronic)
    assert williams_average([10.0, 20.0], 7) == [10.0, pytest.approx(12.5)]


def test_no_ratio_without_chronic_load() -> None:
    ratios = ratio_series([0.0] * 30, START)
    assert ratios[-1].rolling is None and ratios[-1].ewma is None and ratios[-1].highest is None


def test_the_ratios_run_from_the_first_session() -> None:
    first, loads = loads_until(daily([100.0] * 28), until=START + timedelta(days=27))
    assert first == START
    ratios = ratio_series(loads, first)
    assert ratios[0].day == START and ratios[-1].rolling == pytest.approx(1.0)


# -- before a session --------------------------------------------------------------------------


def test_a_session_that_makes_a_spike_is_warned_about() -> None:
    history = daily([100.0] * 27)
    today = START + timedelta(days=27)
    assert warnings_before(history, today, planned_load=100.0) == []
    # Today 800: acute (6x100 + 800)/7 = 200, chronic (26x100 + 800)/27... over 28 days:
    # (27x100 + 800)/28 = 125, so 1.6.
    found = warnings_before(history, today, planned_load=800.0)
    assert [warning.kind for warning in found] == ["spike"]
    assert "1.6 rolling and 1.9 weighted" in found[0].text


def test_three_weeks_of_rises_over_ten_percent_are_warned_about() -> None:
    weeks = [100.0, 115.0, 130.0]
    loads = [week / 7 for week in weeks for _ in range(7)] + [150.0 / 7] * 6
    history = daily(loads)
    today = START + timedelta(days=27)
    # This week with today's session: 6 x 150/7 + planned.
    rising = warnings_before(history, today, planned_load=150.0 / 7 + 10)
    assert [warning.kind for warning in rising] == ["rise"]
    assert "100 → 115 → 130 → 160" in rising[0].text
    # Ten per cent exactly is not more than ten per cent.
    flat = daily([100.0 / 7] * 7 + [110.0 / 7] * 7 + [121.0 / 7] * 7 + [133.1 / 7] * 6)
    assert warnings_before(flat, today, planned_load=133.1 / 7) == []


def test_no_warning_without_history_and_never_a_block() -> None:
    assert warnings_before([], START, planned_load=1000.0) == []
    assert isinstance(LoadWarning("spike", "x"), LoadWarning)


def test_weekly_windows_end_today() -> None:
    assert weekly_windows([1.0] * 10, 2) == [3.0, 7.0]
    assert weekly_windows([1.0] * 3, 2) == [0.0, 3.0]


def test_expected_session_rpe_prefers_the_plans_own_ratings() -> None:
    sessions = [
        on(day(0), rpe=3, minutes=10, plan="A"),
        on(day(1), rpe=7, minutes=10, plan="B"),
        on(day(2), rpe=5, minutes=10, plan="A"),
    ]
    assert expected_session_rpe("A", sessions) == 4.0
    assert expected_session_rpe("C", sessions) == 5.0  # the last three of any plan
    assert expected_session_rpe("C", [], plan_targets=[4, 6, 8]) == 6.0
    # A plan's own targets come before how other plans felt.
    assert expected_session_rpe("C", sessions, plan_targets=[2]) == 2.0
    assert expected_session_rpe("C", []) == 5.0
    assert math.isfinite(expected_session_rpe("A", sessions[:1]))


# -- heart-rate load ---------------------------------------------------------------------------


def test_trimp_is_minutes_in_zone_times_the_zone_number() -> None:
    session = replace(on(day(0), minutes=30), heart_rate_zone_s=(600.0, 300.0, 120.0, 60.0, 0.0))
    # 10 x 1 + 5 x 2 + 2 x 3 + 1 x 4 + 0 x 5 = 30
    assert heart_rate_load(session) == pytest.approx(30.0)
    assert zone_minutes(session, None) == (10.0, 5.0, 2.0, 1.0, 0.0)


def test_trimp_of_an_older_session_comes_from_each_steps_average() -> None:
    zones = HeartRateZones(max_bpm=190)  # zone 2 from 114, zone 4 from 152
    steps = (
        StepRecord("Walk", "warmup", "forward", 600, 600.0, heart_rate_avg=120.0),
        StepRecord("Backward", "work", "backward", 60, 60.0, heart_rate_avg=160.4),
        StepRecord("Walk", "recover", "forward", 60, 60.0),  # no reading: not counted
    )
    session = replace(on(day(0), minutes=1), steps=steps)
    assert zone_minutes(session, zones) == (0.0, 10.0, 0.0, 1.0, 0.0)
    assert heart_rate_load(session, zones) == pytest.approx(10 * 2 + 1 * 4)
    # Without zones and without recorded time in zone there is nothing to go by.
    assert heart_rate_load(session) is None
    assert heart_rate_load(on(day(0), minutes=20), zones) is None


def test_the_heart_rate_load_drives_its_own_fitness() -> None:
    sessions = [
        replace(on(day(n), minutes=20), heart_rate_zone_s=(0.0, 1200.0, 0.0, 0.0, 0.0))
        for n in range(42)
    ]
    found = fitness_days(sessions, START + timedelta(days=41), load_function(LoadSource.HEART_RATE))
    assert found[-1].fitness == pytest.approx(40.0 * (1 - (41 / 42) ** 42))
    # The session load of the same sessions is none: they were not rated.
    assert fitness_days(sessions, START + timedelta(days=41)) == []


def test_after_a_break_the_words_say_to_ease_back_in_not_spike() -> None:
    history = daily([100.0] * 20 + [0.0] * 30)
    today = START + timedelta(days=50)
    found = warnings_before(history, today, planned_load=1.0)
    assert [warning.kind for warning in found] == ["break"]
    assert "ease back in" in found[0].text
    # A session already done today ends the break: back to the ratio.
    again = daily([100.0] * 20 + [0.0] * 30 + [50.0])
    assert all(warning.kind != "break" for warning in warnings_before(again, today, 50.0))


def test_a_ratio_already_over_the_mark_says_to_rest() -> None:
    history = daily([20.0] * 21 + [200.0] * 6)
    found = warnings_before(history, START + timedelta(days=27), planned_load=10.0)
    assert [warning.kind for warning in found] == ["spike"]
    assert "already" in found[0].text and "rest day" in found[0].text
