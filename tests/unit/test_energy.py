"""Energy estimates, checked against the ACSM equations worked out by hand.

Reminders for the arithmetic in the comments: S (m/min) = mph x 26.8 or km/h x 1000/60;
walking VO2 = 3.5 + 0.1 S + 1.8 S G; running VO2 = 3.5 + 0.2 S + 0.9 S G;
kcal/min = VO2 x kg / 1000 x 5; a backward step is the forward figure x 1.3.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from retro_tui.coach.energy import (
    BACKWARD_FACTOR,
    WALK_RUN_THRESHOLD_M_PER_MIN,
    EnergyEstimate,
    format_energy,
    forward_vo2,
    kcal_per_min,
    session_energy,
    speed_in_metres_per_min,
)
from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord

START = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)


def step(
    minutes: float,
    speed: float | None,
    *,
    direction: str = "forward",
    kind: str = "work",
    incline: float | None = None,
    planned_min: float | None = None,
    skipped: bool = False,
) -> StepRecord:
    return StepRecord(
        name="Step",
        kind=kind,
        direction=direction,
        planned_s=round((minutes if planned_min is None else planned_min) * 60),
        actual_s=minutes * 60,
        skipped=skipped,
        speed=speed,
        incline=incline,
    )


def session(*steps: StepRecord, units: str = "mph") -> SessionRecord:
    return SessionRecord(
        id="s1",
        plan="Test",
        started=START,
        ended=START,
        status=SessionStatus.COMPLETED,
        steps=steps,
        units=units,
    )


def estimate(*steps: StepRecord, units: str = "mph", kg: float = 70.0) -> EnergyEstimate:
    result = session_energy(session(*steps, units=units), kg)
    assert result is not None
    return result


def test_forward_walk_on_the_level() -> None:
    # S = 3.0 x 26.8 = 80.4; VO2 = 3.5 + 0.1 x 80.4 = 11.54
    # kcal/min = 11.54 x 70 / 1000 x 5 = 4.039; 10 min -> 40.39 kcal
    result = estimate(step(10, 3.0))
    assert result.total_kcal == pytest.approx(40.39)
    assert result.backward_kcal == 0
    assert result.covered_min == pytest.approx(10)
    assert result.total_min == pytest.approx(10)
    assert not result.is_partial


def test_forward_run_on_an_incline() -> None:
    # S = 6.0 x 26.8 = 160.8; G = 0.01
    # VO2 = 3.5 + 0.2 x 160.8 + 0.9 x 160.8 x 0.01 = 3.5 + 32.16 + 1.4472 = 37.1072
    # kcal/min = 37.1072 x 70 / 1000 x 5 = 12.98752; 20 min -> 259.7504 kcal
    result = estimate(step(20, 6.0, incline=1.0))
    assert result.total_kcal == pytest.approx(259.7504)


def test_walking_on_an_incline_uses_the_walking_grade_term() -> None:
    # S = 80.4; G = 0.05; VO2 = 3.5 + 8.04 + 1.8 x 80.4 x 0.05 = 3.5 + 8.04 + 7.236 = 18.776
    assert forward_vo2(80.4, 5.0) == pytest.approx(18.776)
    # 18.776 x 70 / 1000 x 5 = 6.5716 kcal/min; 1 min
    assert estimate(step(1, 3.0, incline=5.0)).total_kcal == pytest.approx(6.5716)


def test_a_decline_counts_as_level() -> None:
    assert forward_vo2(80.4, -2.0) == pytest.approx(forward_vo2(80.4, 0.0))
    assert forward_vo2(160.8, -3.0) == pytest.approx(forward_vo2(160.8))


def test_backward_step_is_the_forward_estimate_times_1_3() -> None:
    # S = 2.0 x 26.8 = 53.6; VO2 = 3.5 + 5.36 = 8.86
    # forward kcal/min = 8.86 x 80 / 1000 x 5 = 3.544; backward x 1.3 = 4.6072
    # 30 s -> 2.3036 kcal
    result = estimate(step(0.5, 2.0, direction="backward"), kg=80)
    assert BACKWARD_FACTOR == 1.3
    assert result.total_kcal == pytest.approx(2.3036)
    assert result.backward_kcal == pytest.approx(2.3036)
    assert kcal_per_min(53.6, 80, backward=True) == pytest.approx(1.3 * kcal_per_min(53.6, 80))


def test_backward_recovery_counts_as_backward_too() -> None:
    # Any backward step costs more, whatever its kind: 8.86 x 70 / 1000 x 5 x 1.3 = 4.0313
    result = estimate(step(1, 2.0, direction="backward", kind="recover"))
    assert result.backward_kcal == pytest.approx(4.0313)


def test_kmh_session() -> None:
    # S = 8.0 x 1000 / 60 = 133.333...; running (>= 99.16 m/min)
    # VO2 = 3.5 + 0.2 x 133.333 = 30.1667; kcal/min = 30.1667 x 60 / 1000 x 5 = 9.05
    # 15 min -> 135.75 kcal
    result = estimate(step(15, 8.0), units="kmh", kg=60)
    assert result.total_kcal == pytest.approx(135.75)
    # 4.0 km/h = 66.667 m/min, walking: VO2 = 3.5 + 6.6667 = 10.1667
    # backward: 10.1667 x 60 / 1000 x 5 x 1.3 = 3.965 kcal/min; 2 min -> 7.93 kcal
    backward = estimate(step(2, 4.0, direction="backward"), units="kmh", kg=60)
    assert backward.total_kcal == pytest.approx(7.93)


def test_walk_run_switch_is_at_3_7_mph_in_either_unit() -> None:
    assert math.isclose(WALK_RUN_THRESHOLD_M_PER_MIN, 99.16)
    # 3.69 mph = 98.892 m/min: walking, 3.5 + 9.8892 = 13.3892
    assert forward_vo2(3.69 * 26.8) == pytest.approx(13.3892)
    # 3.7 mph = 99.16 m/min: running, 3.5 + 19.832 = 23.332
    assert forward_vo2(3.7 * 26.8) == pytest.approx(23.332)
    # The same physical speeds in km/h switch the same way: 5.9496 km/h = 99.16 m/min.
    walking = speed_in_metres_per_min(5.94, "kmh")
    running = speed_in_metres_per_min(5.9496, "kmh")
    assert walking is not None and running is not None
    assert forward_vo2(walking) == pytest.approx(3.5 + 0.1 * 99.0)
    assert forward_vo2(running) == pytest.approx(3.5 + 0.2 * 99.16)


def test_uses_actual_seconds_not_planned() -> None:
    # Planned 2 min, ran 1 min (cut short): 3.0 mph forward, 70 kg = 4.039 kcal/min x 1
    result = estimate(step(1, 3.0, planned_min=2, skipped=True))
    assert result.total_kcal == pytest.approx(4.039)
    assert result.total_min == pytest.approx(1)


def test_partial_coverage_reports_covered_and_total_minutes() -> None:
    # 18 min estimated (3.0 mph forward, 4.039 kcal/min -> 72.702 kcal) + 7 min with no speed.
    result = estimate(step(18, 3.0), step(7, None))
    assert result.total_kcal == pytest.approx(72.702)
    assert result.covered_min == pytest.approx(18)
    assert result.total_min == pytest.approx(25)
    assert result.is_partial
    assert format_energy(result) == "≈ 73 kcal (estimate for 18 of 25 min)"


def test_mixed_session_adds_up() -> None:
    # 10 min run at 6.0 mph: VO2 = 3.5 + 32.16 = 35.66; x 0.35 = 12.481 kcal/min -> 124.81
    # 4 x 30 s backward at 2.5 mph: S = 67; VO2 = 3.5 + 6.7 = 10.2; x 0.35 = 3.57; x 1.3 = 4.641
    #   kcal/min; 2 min in all -> 9.282
    # 4 x 90 s forward walk at 3.0 mph: 4.039 kcal/min x 6 min = 24.234
    # total = 124.81 + 9.282 + 24.234 = 158.326
    steps = [step(10, 6.0)]
    for _ in range(4):
        steps += [step(0.5, 2.5, direction="backward"), step(1.5, 3.0, kind="recover")]
    result = estimate(*steps)
    assert result.total_kcal == pytest.approx(158.326)
    assert result.backward_kcal == pytest.approx(9.282)
    assert format_energy(result) == "≈ 158 kcal (estimate)"


def test_body_mass_scales_linearly() -> None:
    light = estimate(step(10, 3.0), kg=50).total_kcal
    heavy = estimate(step(10, 3.0), kg=100).total_kcal
    assert heavy == pytest.approx(2 * light)


def test_no_step_with_a_speed_gives_no_estimate() -> None:
    assert session_energy(session(step(10, None), step(5, None)), 70) is None
    assert session_energy(session(), 70) is None


def test_unknown_units_give_no_estimate() -> None:
    assert session_energy(session(step(10, 3.0), units="furlongs"), 70) is None
    assert speed_in_metres_per_min(3.0, "furlongs") is None


def test_unusable_values_from_a_hand_edited_log() -> None:
    # A zero or infinite speed is not a speed; a negative time counts as 0 s.
    assert session_energy(session(step(10, 0.0), step(1, math.inf)), 70) is None
    result = estimate(step(10, 3.0), step(-1, 3.0))
    assert result.total_kcal == pytest.approx(40.39)
    assert result.total_min == pytest.approx(10)


@pytest.mark.parametrize("kg", [0.0, -70.0, math.nan, math.inf])
def test_body_mass_must_be_positive_and_finite(kg: float) -> None:
    with pytest.raises(ValueError, match="body mass"):
        session_energy(session(step(10, 3.0)), kg)


def test_format_never_shows_a_partial_estimate_as_complete() -> None:
    # 24.6 of 25 min: covered rounds down, total rounds up.
    almost = EnergyEstimate(total_kcal=211.6, backward_kcal=0, covered_min=24.6, total_min=25.0)
    assert format_energy(almost) == "≈ 212 kcal (estimate for 24 of 25 min)"
    whole = EnergyEstimate(total_kcal=211.6, backward_kcal=0, covered_min=25.0, total_min=25.0)
    assert format_energy(whole) == "≈ 212 kcal (estimate)"
