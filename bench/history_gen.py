"""A seeded generator of realistic history logs, for the reader's tests and the history benchmark.

The log it writes is what a coach's ``history.toml`` looks like after years
of use: a dozen athletes, each on their own plans (starter, rehab walks,
interval sets, incline work, a speed ladder) in mph or km/h, three or four
sessions a week spread over several years, in each athlete's time zone
(summer time included), with the odd ended-early or recovered session, step
ratings, session notes (quotes, brackets, non-ASCII text, line breaks), a
heart-rate strap's time in zone on about a third of the sessions, and now and
then a key this version does not know. Every block is rendered with
:func:`retro_tui.history.record.render_session` and the blocks are joined
exactly as :func:`retro_tui.history.log.append_session` joins them (a blank
line between sessions), so the bytes are the same as appending one by one,
without the ``fsync`` per session.

The same ``count`` and ``seed`` always give the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from retro_tui.history.record import SessionRecord, SessionStatus, StepRecord, render_session

# (kind, direction, planned seconds, speed factor of the athlete's easy pace, incline)
Shape = tuple[str, str, int, float, float | None]


@dataclass(frozen=True)
class Plan:
    name: str
    file: str
    steps: tuple[tuple[str, Shape], ...]

    @property
    def intervals(self) -> int:
        return sum(1 for _, (kind, way, *_) in self.steps if kind == "work" and way == "backward")


def _ladder(name: str, kind: str, way: str, speeds: tuple[float, ...]) -> list[tuple[str, Shape]]:
    """One-minute rungs at rising shares of the athlete's easy pace."""
    return [
        (f"{name} {number}", (kind, way, 60, speed, None))
        for number, speed in enumerate(speeds, start=1)
    ]


def _intervals(
    rounds: int, work_s: int, rest_s: int, speed: float, incline: float | None = None
) -> list[tuple[str, Shape]]:
    steps: list[tuple[str, Shape]] = []
    for number in range(1, rounds + 1):
        steps.append((f"Backward {number}", ("work", "backward", work_s, speed, incline)))
        steps.append(("Recovery walk", ("recover", "forward", rest_s, 0.6, incline)))
    return steps


WARMUP: list[tuple[str, Shape]] = [
    *_ladder("Build-up", "warmup", "forward", (0.7, 0.8, 0.9)),
    ("Easy run", ("warmup", "forward", 600, 1.0, None)),
    ("Walk and get ready", ("recover", "forward", 60, 0.6, None)),
]
COOLDOWN: tuple[str, Shape] = ("Cool-down walk", ("cooldown", "forward", 240, 0.6, None))

PLANS: tuple[Plan, ...] = (
    Plan("Retro starter", "starter.toml", (*WARMUP, *_intervals(3, 30, 90, 0.5), COOLDOWN)),
    Plan(
        "Rehab backward walk",
        "rehab-walk.toml",
        (
            ("Easy walk", ("warmup", "forward", 300, 0.3, None)),
            *_intervals(4, 30, 120, 0.2),
            COOLDOWN,
        ),
    ),
    Plan(
        "Treadmill introduction",
        "treadmill-intro.toml",
        (
            ("Easy walk", ("warmup", "forward", 180, 0.5, None)),
            ("First backward steps", ("work", "backward", 30, 0.2, None)),
            ("Forward walk", ("recover", "forward", 60, 0.2, None)),
            *_ladder("Backward ladder", "work", "backward", (0.2, 0.3, 0.4)),
            COOLDOWN,
        ),
    ),
    Plan(
        "Backward block session",
        "block-session.toml",
        (*WARMUP, *_intervals(3, 60, 60, 0.6), *_intervals(3, 60, 60, 0.6), COOLDOWN),
    ),
    Plan(
        "Advanced incline",
        "advanced-incline.toml",
        (
            *WARMUP,
            *_intervals(2, 60, 60, 0.7, 0.0),
            *_intervals(2, 60, 60, 0.7, 4.0),
            COOLDOWN,
        ),
    ),
    Plan("Quick retro", "", (("Backward", ("work", "backward", 120, 0.5, None)),)),
)

NOTES = (
    "left calf tight",
    "felt strong, could have done one more",
    'coach: "keep the chin up"',
    "Arms [relaxed] [/] and no markup",
    "Gut gelaufen – ruhig, 5 × 30 s",
    "rainy day\nshort on time",
    "hips sore after yesterday's squats",
    "走得很好",
    'quote " and backslash \\ in one note',
    "treadmill 3 (the wobbly one)",
)


@dataclass(frozen=True)
class Athlete:
    name: str
    units: str
    offset_h: float
    summer_time: bool
    pace: float  # easy forward pace in mph
    plans: tuple[Plan, ...]


def _athletes(rng: random.Random, count: int) -> list[Athlete]:
    # Europe with summer time, the Americas with theirs, India and Japan without.
    zones = ((1.0, True), (0.0, True), (-5.0, True), (-8.0, True), (5.5, False), (9.0, False))
    athletes = []
    for number in range(count):
        offset, summer = zones[number % len(zones)]
        athletes.append(
            Athlete(
                name=f"athlete-{number + 1:02d}",
                units="kmh" if offset >= 0 and number % 3 else "mph",
                offset_h=offset,
                summer_time=summer,
                pace=rng.uniform(4.5, 7.0),
                plans=tuple(rng.sample(PLANS, rng.randint(2, 4))),
            )
        )
    return athletes


def _zone(athlete: Athlete, when: datetime) -> timezone:
    hours = athlete.offset_h
    if athlete.summer_time and 4 <= when.month <= 10:
        hours += 1
    return timezone(timedelta(hours=hours))


def _steps(
    rng: random.Random, athlete: Athlete, plan: Plan, status: SessionStatus
) -> tuple[StepRecord, ...]:
    ran = list(plan.steps)
    if status is not SessionStatus.COMPLETED:
        ran = ran[: rng.randint(1, len(ran))]
    factor = 1.6 if athlete.units == "kmh" else 1.0
    steps = []
    for index, (name, (kind, way, planned, share, incline)) in enumerate(ran):
        last = index == len(ran) - 1
        cut = status is SessionStatus.ENDED_EARLY and last
        actual = planned * (rng.uniform(0.2, 0.9) if cut else rng.uniform(0.995, 1.004))
        rated = kind == "work" and way == "backward" and rng.random() < 0.85
        steps.append(
            StepRecord(
                name=name,
                kind=kind,
                direction=way,
                planned_s=planned,
                actual_s=round(actual, 3),
                skipped=cut,
                speed=round(athlete.pace * share * factor, 1),
                incline=incline,
                rpe=rng.randint(3, 8) if rated else None,
                target_rpe=5 if kind == "work" else None,
                plan_step=index + 1,
            )
        )
    return tuple(steps)


def generate_sessions(count: int, seed: int = 0) -> Iterator[SessionRecord]:
    """``count`` sessions, each athlete's in date order, interleaved as a coach's log is."""
    rng = random.Random(seed)
    # The heart rate draws from a generator of its own, so the rest of a log stays what it
    # was before logs had time in zone.
    hearts = random.Random(seed + 1_000_003)
    athletes = _athletes(rng, 12)
    # Each athlete trains three or four times a week from some day in 2021.
    first = datetime(2021, 1, 4, 6, 0)
    clocks = [first + timedelta(days=rng.uniform(0, 60)) for _ in athletes]
    used: set[str] = set()
    for _ in range(count):
        who = min(range(len(athletes)), key=clocks.__getitem__)
        athlete = athletes[who]
        local = clocks[who].replace(
            hour=rng.choice((6, 7, 12, 17, 18, 19)), minute=rng.randrange(60)
        )
        clocks[who] += timedelta(days=rng.choice((1, 2, 2, 3)), hours=rng.uniform(-2, 2))
        # Whole seconds, as the app stamps them (datetime.now().astimezone() sans microseconds).
        started = local.replace(
            second=rng.randrange(60), microsecond=0, tzinfo=_zone(athlete, local)
        )
        plan = rng.choice(athlete.plans)
        roll = rng.random()
        status = (
            SessionStatus.ENDED_EARLY
            if roll < 0.06
            else SessionStatus.RECOVERED
            if roll < 0.08
            else SessionStatus.COMPLETED
        )
        steps = _steps(rng, athlete, plan, status)
        ended = started + timedelta(seconds=round(sum(step.actual_s for step in steps)) + 40)
        session_id = f"{started:%Y%m%dT%H%M%S}-{rng.getrandbits(16):04x}"
        while session_id in used:
            session_id = f"{started:%Y%m%dT%H%M%S}-{rng.getrandbits(16):04x}"
        used.add(session_id)
        extra: dict[str, object] = {}
        hand = rng.random()
        # Now and then a key added by hand or by a later version: a plain
        # value, or (rarer) an inline table, which only tomllib reads.
        if hand < 0.03:
            extra["shoes"] = rng.choice(("Pegasus 40", "barefoot", "trail shoes"))
        elif hand < 0.04:
            extra["treadmill"] = {"model": "T-101", "belt_m": 1.4}
        yield SessionRecord(
            id=session_id,
            plan=plan.name,
            plan_file=plan.file,
            started=started,
            ended=ended,
            status=status,
            steps=steps,
            units=athlete.units,
            rpe=rng.randint(2, 8) if rng.random() < 0.7 else None,
            notes=rng.choice(NOTES) if rng.random() < 0.3 else "",
            planned_intervals=plan.intervals,
            heart_rate_zone_s=_zone_seconds(hearts, steps),
            extra=extra,
        )


def _zone_seconds(
    rng: random.Random, steps: tuple[StepRecord, ...]
) -> tuple[float, float, float, float, float] | None:
    """A third of the sessions had a strap: their time moving spread over zones 1 to 4."""
    if rng.random() >= 1 / 3:
        return None
    moving = sum(step.actual_s for step in steps)
    shares = [rng.random() for _ in range(4)]
    total = sum(shares)
    first, second, third, fourth = (round(moving * share / total) for share in shares)
    return (float(first), float(second), float(third), float(fourth), 0.0)


def render_log(count: int, seed: int = 0) -> str:
    """The log text: the blocks joined as successive appends would join them."""
    return "\n".join(render_session(session) for session in generate_sessions(count, seed))


def write_log(path: Path, count: int, seed: int = 0) -> Path:
    """Write a generated log of ``count`` sessions to ``path`` (replacing it); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_log(count, seed).encode("utf-8"))
    return path
