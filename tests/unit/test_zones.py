"""Heart-rate zones, worked out by hand; the out-of-zone cue and the time in each zone.

Shares of the highest heart rate, 190 bpm: zone 2 from 0.6 x 190 = 114, zone 3
from 133, zone 4 from 152, zone 5 from 171. Shares of the reserve with a resting
rate of 60: the reserve is 130, so zone 2 from 60 + 0.6 x 130 = 138, zone 3
from 60 + 91 = 151, zone 4 from 60 + 104 = 164, zone 5 from 60 + 117 = 177.
"""

from __future__ import annotations

import pytest

from retro_tui.coach.zones import (
    HeartRateZones,
    TargetZoneWatch,
    ZoneCue,
    ZoneTimer,
    zone_name,
)

BY_MAX = HeartRateZones(190)
BY_RESERVE = HeartRateZones(190, resting_bpm=60, method="reserve")


def test_the_bounds_of_shares_of_the_highest_heart_rate() -> None:
    assert [BY_MAX.bounds(zone) for zone in range(1, 6)] == [
        (0, 113),
        (114, 132),
        (133, 151),
        (152, 170),
        (171, 190),
    ]


def test_the_bounds_of_shares_of_the_reserve() -> None:
    assert [BY_RESERVE.bounds(zone) for zone in range(1, 6)] == [
        (60, 137),
        (138, 150),
        (151, 163),
        (164, 176),
        (177, 190),
    ]


def test_a_share_that_is_not_a_whole_bpm_starts_at_the_next_one() -> None:
    # 0.6 x 185 = 111, 0.7 x 185 = 129.5 -> 130, 0.8 x 185 = 148, 0.9 x 185 = 166.5 -> 167.
    zones = HeartRateZones(185)
    assert [zones.bounds(zone)[0] for zone in range(2, 6)] == [111, 130, 148, 167]
    assert (zones.zone(129), zones.zone(130)) == (2, 3)


@pytest.mark.parametrize(
    ("bpm", "by_max", "by_reserve"),
    [
        (45, 1, 1),  # below resting: still zone 1
        (113, 1, 1),
        (114, 2, 1),
        (132, 2, 1),
        (133, 3, 1),
        (137, 3, 1),
        (138, 3, 2),
        (151, 3, 3),
        (152, 4, 3),
        (164, 4, 4),
        (171, 5, 4),
        (177, 5, 5),
        (190, 5, 5),
        (205, 5, 5),  # above the highest: zone 5
    ],
)
def test_the_zone_of_a_heart_rate(bpm: int, by_max: int, by_reserve: int) -> None:
    assert BY_MAX.zone(bpm) == by_max
    assert BY_RESERVE.zone(bpm) == by_reserve


def test_no_reading_has_no_zone() -> None:
    assert BY_MAX.zone(0) is None
    assert BY_MAX.zone(-5) is None


def test_the_zones_are_named_and_described() -> None:
    assert [zone_name(zone) for zone in range(1, 6)] == [
        "Recovery",
        "Easy",
        "Steady",
        "Hard",
        "Maximum",
    ]
    assert BY_MAX.describe() == (
        "Shares of the highest heart rate (190): Z1 Recovery up to 113, Z2 Easy 114-132, "
        "Z3 Steady 133-151, Z4 Hard 152-170, Z5 Maximum 171-190 bpm"
    )
    assert BY_RESERVE.describe() == (
        "Shares of the reserve (60 resting to 190 highest): Z1 Recovery up to 137, "
        "Z2 Easy 138-150, Z3 Steady 151-163, Z4 Hard 164-176, Z5 Maximum 177-190 bpm"
    )


@pytest.mark.parametrize(
    ("max_bpm", "resting_bpm", "method", "fragment"),
    [
        (190, None, "reserve", "need a resting heart rate"),
        (190, 190, "max", "below the highest"),
        (190, 0, "reserve", "above 0"),
        (0, None, "max", "above 0"),
        (190, None, "karvonen", "max or reserve"),
    ],
)
def test_zones_that_cannot_be(
    max_bpm: int, resting_bpm: int | None, method: str, fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment):
        HeartRateZones(max_bpm, resting_bpm, method)


def test_a_zone_outside_one_to_five_has_no_bounds() -> None:
    with pytest.raises(ValueError, match="zones 1 to 5"):
        BY_MAX.bounds(6)


# -- the out-of-zone cue -------------------------------------------------------------------

HIGH_FOR_2 = ZoneCue(high=True, target=(2, 2))
LOW_FOR_2 = ZoneCue(high=False, target=(2, 2))


def test_a_heart_rate_out_of_the_zone_is_said_after_twenty_seconds_then_each_minute() -> None:
    watch = TargetZoneWatch(BY_MAX)
    watch.new_step((2, 2))  # 114-132 bpm
    said = []
    # In zone for 10 s, then 150 bpm (zone 3) from second 10 on, a reading a second.
    for second in range(0, 200):
        bpm = 125 if second < 10 else 150
        cue = watch.observe(float(second), bpm)
        if cue is not None:
            said.append((second, cue))
    # Out from 10: more than 20 s out at 31; again at 91 and 151, never in between.
    assert said == [(31, HIGH_FOR_2), (91, HIGH_FOR_2), (151, HIGH_FOR_2)]
    assert HIGH_FOR_2.text == "Heart rate high for zone 2: ease off"
    assert watch.off_target == "high"


def test_exactly_twenty_seconds_out_is_not_yet_said() -> None:
    watch = TargetZoneWatch(BY_MAX)
    watch.new_step((2, 2))
    assert watch.observe(100.0, 150) is None
    assert watch.observe(120.0, 150) is None  # 20 s out: not more than 20
    assert watch.observe(120.5, 150) == HIGH_FOR_2


def test_back_in_the_zone_starts_the_wait_again() -> None:
    watch = TargetZoneWatch(BY_MAX)
    watch.new_step((2, 2))
    readings = [(0.0, 100), (15.0, 100), (16.0, 120), (17.0, 100), (36.0, 100), (38.0, 100)]
    said = [(at, cue) for at, bpm in readings if (cue := watch.observe(at, bpm)) is not None]
    # Low from 0, back in at 16, low again from 17: said at 38 (21 s), not at 36 (19 s).
    assert said == [(38.0, LOW_FOR_2)]
    assert LOW_FOR_2.text == "Heart rate low for zone 2"
    watch.observe(39.0, 125)  # back in the zone: nothing is off any more
    assert watch.off_target is None


def test_a_new_step_or_a_pause_starts_the_wait_again() -> None:
    watch = TargetZoneWatch(BY_MAX)
    watch.new_step((2, 3))
    assert watch.observe(0.0, 160) is None  # zone 4, above 2-3
    watch.new_step((2, 3))  # the next step, the same target: waits again
    assert watch.observe(15.0, 160) is None
    assert watch.observe(30.0, 160) is None  # 15 s into the new step
    cue = watch.observe(35.5, 160)
    assert cue == ZoneCue(high=True, target=(2, 3))
    assert cue.text == "Heart rate high for zones 2 to 3: ease off"
    watch.reset()  # a pause
    assert watch.observe(40.0, 160) is None
    assert watch.observe(60.5, 160) == cue  # 20.5 s after the pause, not 60 s after the cue


def test_crossing_to_the_other_side_or_losing_the_reading_starts_again() -> None:
    watch = TargetZoneWatch(BY_MAX)
    watch.new_step((3, 3))
    assert watch.observe(0.0, 160) is None  # high
    assert watch.observe(15.0, 110) is None  # low now: a new stretch from 15
    assert watch.observe(30.0, 110) is None
    assert watch.observe(36.0, None) is None  # the strap lost its reading
    assert watch.observe(37.0, 110) is None
    assert watch.observe(57.5, 110) == ZoneCue(high=False, target=(3, 3))


def test_a_step_without_a_target_says_nothing() -> None:
    watch = TargetZoneWatch(BY_MAX)
    watch.new_step(None)
    assert all(watch.observe(float(second), 185) is None for second in range(300))


# -- time in zone --------------------------------------------------------------------------


def test_each_reading_holds_until_the_next() -> None:
    timer = ZoneTimer(BY_MAX)
    assert timer.seconds is None  # nothing counted yet
    for at, bpm in [(0.0, 100), (10.0, 120), (25.0, 140), (26.5, 175), (30.0, 175)]:
        timer.observe(at, bpm)
    # 0-10 and 10-25 are gaps too long to join; 25-26.5 holds 140 (zone 3), 26.5-30 175 (5).
    assert timer.seconds == (0.0, 0.0, 1.5, 0.0, 3.5)


def test_readings_a_second_apart_add_up_by_zone() -> None:
    timer = ZoneTimer(BY_RESERVE)
    for second in range(0, 61):
        timer.observe(1000.0 + second, 140 if second < 40 else 180)  # zone 2, then zone 5
    assert timer.seconds == (0.0, 40.0, 0.0, 0.0, 20.0)


def test_a_pause_or_a_gap_is_counted_in_no_zone() -> None:
    timer = ZoneTimer(BY_MAX)
    timer.observe(0.0, 120)
    timer.observe(2.0, 120)  # 2 s in zone 2
    timer.observe(3.0, None)  # paused: 1 s more, then nothing
    timer.observe(50.0, 120)
    timer.observe(51.0, 150)  # 1 s more in zone 2
    timer.observe(60.0, 150)  # 9 s since the last reading: too long a gap to count
    timer.observe(61.0, 150)  # 1 s in zone 3
    assert timer.seconds == (0.0, 4.0, 1.0, 0.0, 0.0)
