"""The words the workout says, and when: numbers, durations, speeds, announcements, the narrator."""

from __future__ import annotations

import pytest

from retro_tui.plan import parse_plan_text
from retro_tui.plan.model import Units
from retro_tui.workout import FakeClock, Workout
from retro_tui.workout.speech import (
    HALFWAY,
    HALFWAY_MIN_S,
    RATING_PROMPT,
    WORKOUT_DONE,
    Narrator,
    countdown_word,
    decimal_words,
    duration_words,
    incline_words,
    join_phrases,
    number_words,
    speed_words,
    step_announcement,
)

LATE_S = 0.75


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zero"),
        (1, "one"),
        (13, "thirteen"),
        (20, "twenty"),
        (42, "forty-two"),
        (100, "one hundred"),
        (105, "one hundred and five"),
        (999, "nine hundred and ninety-nine"),
        (2000, "two thousand"),
        (2005, "two thousand and five"),
        (2150, "two thousand one hundred and fifty"),
    ],
)
def test_number_words(number: int, words: str) -> None:
    assert number_words(number) == words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (3.0, "three"),
        (2.5, "two point five"),
        (0.5, "zero point five"),
        (10.25, "ten point two five"),
        (1.05, "one point zero five"),
        (12.0, "twelve"),
    ],
)
def test_decimal_words(value: float, words: str) -> None:
    assert decimal_words(value) == words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "one second"),
        (30, "thirty seconds"),
        (45, "forty-five seconds"),
        (60, "one minute"),
        (90, "one minute thirty"),
        (61, "one minute and one second"),
        (107, "one minute and forty-seven seconds"),
        (120, "two minutes"),
        (135, "two minutes fifteen"),
        (1200, "twenty minutes"),
        (3600, "one hour"),
        (5400, "one hour thirty minutes"),
        (7230, "two hours thirty seconds"),
    ],
)
def test_duration_words(seconds: int, words: str) -> None:
    assert duration_words(seconds) == words


def test_speeds_in_both_units_and_own_pace() -> None:
    assert speed_words(2.5, Units.MPH) == "two point five miles an hour"
    assert speed_words(1.0, Units.MPH) == "one mile an hour"
    assert speed_words(8.0, Units.KMH) == "eight kilometres an hour"
    assert speed_words(1.0, Units.KMH) == "one kilometre an hour"
    assert speed_words(None, Units.KMH) == "your own pace"


def test_incline_and_countdown_words() -> None:
    assert incline_words(1.0) == "one percent incline"
    assert incline_words(2.5) == "two point five percent incline"
    assert [countdown_word(n) for n in (3, 2, 1)] == ["three", "two", "one"]


ANNOUNCED = """
[plan]
name = "Announced"
units = "{units}"

[[step]]
name = "Easy run"
kind = "warmup"
duration = "1m30s"
speed = 5.5

[[step]]
direction = "backward"
duration = "30s"
speed = 2.5
incline = 1.5

[[step]]
kind = "recover"
duration = "2m"

[[step]]
name = "Walk backward slowly"
direction = "backward"
duration = "45s"
speed = 1.0
"""


def test_step_announcements_say_name_direction_time_speed_and_incline() -> None:
    plan = parse_plan_text(ANNOUNCED.format(units="mph"))
    said = [step_announcement(plan, step) for step in plan.steps]
    assert said == [
        "Easy run, forward, one minute thirty, five point five miles an hour",
        "Backward, thirty seconds, two point five miles an hour, one point five percent incline",
        "Recovery, forward, two minutes, your own pace",
        "Walk backward slowly, forty-five seconds, one mile an hour",
    ]


def test_announcements_name_a_turn_and_an_incline_back_to_zero() -> None:
    plan = parse_plan_text(ANNOUNCED.format(units="mph"))
    run, backward, recovery, _ = plan.steps
    assert step_announcement(plan, backward, run) == (
        "Backward, turn around, thirty seconds, two point five miles an hour, "
        "one point five percent incline"
    )
    assert step_announcement(plan, recovery, backward) == (
        "Recovery, forward, turn around, two minutes, your own pace, incline back to zero"
    )
    # No turn and the same incline: nothing more to say than the step itself.
    assert step_announcement(plan, backward, backward) == step_announcement(plan, backward)


def test_step_announcements_in_kilometres_an_hour() -> None:
    plan = parse_plan_text(ANNOUNCED.format(units="kmh"))
    assert step_announcement(plan, plan.steps[0]).endswith("five point five kilometres an hour")
    assert "one kilometre an hour" in step_announcement(plan, plan.steps[3])


def test_join_phrases_ends_each_phrase_once() -> None:
    assert join_phrases(["Backward, thirty seconds", "", RATING_PROMPT, "three"]) == (
        "Backward, thirty seconds. How hard was that? Zero to ten. three"
    )
    assert join_phrases(["Eyes on your mark"]) == "Eyes on your mark"
    assert join_phrases([]) == ""


# -- the narrator on a running workout ------------------------------------------------------

NARRATED = """
[plan]
name = "Narrated"
cues = ["First cue", "Second cue", "Third cue"]

[[step]]
kind = "warmup"
duration = "80s"
speed = 3.0

[[step]]
direction = "backward"
duration = "30s"
speed = 2.0

[[step]]
kind = "recover"
duration = "40s"
speed = 3.0
"""


def narrate_seconds(
    text: str = NARRATED, seconds: int = 150, cue_seconds: float = 10
) -> list[tuple[int, str]]:
    """Run the plan second by second; what the narrator says, and when (seconds from start)."""
    plan = parse_plan_text(text)
    clock = FakeClock(start=100.0)
    workout = Workout(plan, clock)
    narrator = Narrator(plan, cue_seconds, LATE_S)
    workout.start()
    said: list[tuple[int, str]] = []
    for second in range(seconds + 1):
        if second:
            clock.advance(1)
        if workout.is_over:
            break
        utterance = narrator.utterance(workout, workout.poll(), clock())
        if utterance:
            said.append((second, utterance))
    return said


def test_narrator_says_each_thing_once_at_its_moment() -> None:
    said = narrate_seconds()
    assert said == [
        (0, "Warm-up, forward, one minute twenty, three miles an hour"),
        (4, "First cue"),  # the step's cue, once the announcement is said
        (10, "Second cue"),
        (20, "Third cue"),
        (30, "First cue"),
        (40, "Halfway. Second cue"),
        (50, "Third cue"),
        (60, "First cue"),
        (70, "Second cue"),
        (77, "three"),
        (78, "two"),
        (79, "one"),
        (80, "Backward, turn around, thirty seconds, two miles an hour"),
        (84, "First cue"),
        (90, "Second cue"),
        (100, "Third cue"),
        (107, "three"),
        (108, "two"),
        (109, "one"),
        (
            110,
            f"Recovery, forward, turn around, forty seconds, three miles an hour. {RATING_PROMPT}",
        ),
        (114, "First cue"),
        (120, "Second cue"),
        (130, "Third cue"),
        (140, "First cue"),
        (147, "three"),
        (148, "two"),
        (149, "one"),
        (150, WORKOUT_DONE),
    ]


def test_narrator_ignores_short_steps_for_halfway_and_keeps_quiet_after_a_start() -> None:
    said = dict(narrate_seconds(cue_seconds=2))
    assert HALFWAY_MIN_S > 30 and HALFWAY_MIN_S <= 80
    assert said[40].startswith("Halfway. ")
    # The 30 s backward step: no halfway; no cue in its first seconds or last five.
    backward = {second: words for second, words in said.items() if 80 < second < 110}
    assert HALFWAY not in " ".join(backward.values())
    assert min(backward) >= 84
    assert all(
        second < 105 or words in ("three", "two", "one") for second, words in backward.items()
    )


def test_narrator_wakes_for_halfway_and_after_a_stall_says_only_the_present() -> None:
    plan = parse_plan_text(NARRATED)
    clock = FakeClock(start=100.0)
    workout = Workout(plan, clock)
    narrator = Narrator(plan, 10, LATE_S)
    workout.start()
    narrator.utterance(workout, workout.poll(), clock())
    assert narrator.seconds_to_halfway(workout) == pytest.approx(40)
    clock.advance(39.5)
    narrator.utterance(workout, workout.poll(), clock())
    assert narrator.seconds_to_halfway(workout) == pytest.approx(0.5)
    # The laptop sleeps through the end of the warm-up and most of the backward step.
    clock.advance(40.5 + 20)
    said = narrator.utterance(workout, workout.poll(), clock())
    assert said == "Backward, turn around, thirty seconds, two miles an hour"
    assert narrator.seconds_to_halfway(workout) is None  # a 30 s step has none


def test_narrator_says_nothing_while_paused_and_nothing_stale_after() -> None:
    plan = parse_plan_text(NARRATED)
    clock = FakeClock(start=100.0)
    workout = Workout(plan, clock)
    narrator = Narrator(plan, 10, LATE_S)
    workout.start()
    narrator.utterance(workout, workout.poll(), clock())
    clock.advance(5)
    workout.pause()
    clock.advance(300)
    assert narrator.utterance(workout, workout.poll(), clock()) is None
    workout.resume()
    clock.advance(5)
    assert narrator.utterance(workout, workout.poll(), clock()) == "Second cue"
