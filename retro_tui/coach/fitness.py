"""Fitness, fatigue and form over weeks, and the acute:chronic workload ratio.

Two loads per session, both per day summed over that day's sessions:

Session load (the default)
    Foster's session RPE x active minutes (:func:`retro_tui.coach.load.session_load`); a
    session without a session RPE adds nothing.
Heart-rate load
    Edwards' TRIMP: the minutes spent in each heart-rate zone times the zone's number,
    ``TRIMP = 1 x min(z1) + 2 x min(z2) + 3 x min(z3) + 4 x min(z4) + 5 x min(z5)``. The
    minutes come from the session's time in zone (recorded with the athlete's zones of the
    day); a session from before zones were recorded but with each step's average heart
    rate counts each step's minutes in the zone of its average, by today's zones. A session
    without a heart rate adds nothing. Edwards' form was chosen over Banister's because it
    needs only the zones a person already set, not a resting rate and a sex-specific
    constant, and because backward intervals are short: minutes in zone describe them
    better than one session average.

Fitness and fatigue (the "performance management" model coaches know from TrainingPeaks
and intervals.icu) are exponentially weighted averages of the daily load with time
constants of 42 and 7 days: ``today = yesterday + (load - yesterday) / days``, from 0 on
the day before the first session. A constant daily load L therefore gives
``L x (1 - (41/42)^n)`` after n days. Form is fitness minus fatigue, both of the same day.
Its word (fresh above +5 % of fitness, tired below -30 %, building between) goes by the
share of fitness once each average allows for the days it has had (:func:`form_share`),
so a steady load is not read as "tired" while fitness is still catching up.

The acute:chronic workload ratio (ACWR) compares the last 7 days with the last 28:

rolling
    mean daily load of the last 7 days / mean daily load of the last 28 days (today
    included in both);
EWMA
    Williams et al. (2017): averages with decay 2/(N+1), N = 7 and 28 days.

Both are ``None`` until the history spans 28 days (a shorter chronic window would make
every early week look like a spike) and when the last 28 days hold no load. Coaches read 0.8-1.3
as the range where load builds safely and above 1.5 as a spike that comes before injuries
(Gabbett 2016); the words here say so and never forbid a session.

Nothing here reads files or the clock: the caller passes the sessions and today.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from retro_tui.coach.load import session_load
from retro_tui.history.record import SessionRecord
from retro_tui.history.stats import athlete_key, chronological, session_date
from retro_tui.plan.model import Plan

if TYPE_CHECKING:
    from retro_tui.coach.zones import HeartRateZones

FITNESS_DAYS = 42
FATIGUE_DAYS = 7
ACUTE_DAYS = 7
CHRONIC_DAYS = 28
SPIKE_RATIO = 1.5
"""A 7:28 ratio above this is a spike (Gabbett 2016): warned about before a session."""
SAFE_RATIO = (0.8, 1.3)
"""The range coaches read as load building safely."""
WEEKLY_RISE = 0.10
"""Weekly load rising by more than this share, week after week, is warned about."""
RISING_WEEKS = 3
FRESH_FORM = 0.05
"""Form above this share of fitness: fresh."""
TIRED_FORM = -0.30
"""Form below this share of fitness: tired (between the two: building)."""
ZONE_COUNT = 5
CORRECTED_UNTIL_DAYS = 120
"""Until then the share the word goes by differs from form / fitness enough to be said."""


class LoadSource(StrEnum):
    """Which load the fitness model runs on."""

    SESSION = "session RPE x minutes"
    HEART_RATE = "heart rate (TRIMP)"


class Form(StrEnum):
    """Today's form in one word, as the trends and the library say it."""

    NEW = "too early to tell"
    FRESH = "fresh"
    BUILDING = "building"
    TIRED = "tired"


FORM_ADVICE = {
    # Said of the share the word goes by, not of the plain figures beside it: early on,
    # fatigue is above fitness even for a steady load (see form_share).
    Form.NEW: "Two weeks of sessions are needed before form means anything.",
    Form.FRESH: "Rested: a good day for a harder session.",
    Form.BUILDING: "Training is building, as it should.",
    Form.TIRED: "Tired: an easier session or a rest day helps now.",
}


# -- loads -----------------------------------------------------------------------------------


def zone_minutes(session: SessionRecord, zones: HeartRateZones | None) -> tuple[float, ...] | None:
    """Minutes in each of the five zones: recorded, else from the steps' averages, else None."""
    recorded = session.heart_rate_zone_s
    if recorded is not None:
        return tuple(seconds / 60.0 for seconds in recorded)
    if zones is None:
        return None
    minutes = [0.0] * ZONE_COUNT
    found = False
    for step in session.steps:
        if step.heart_rate_avg is None or step.actual_s <= 0:
            continue
        zone = zones.zone(round(step.heart_rate_avg))
        if zone is None:
            continue
        minutes[zone - 1] += step.actual_s / 60.0
        found = True
    return tuple(minutes) if found else None


def heart_rate_load(session: SessionRecord, zones: HeartRateZones | None = None) -> float | None:
    """Edwards' TRIMP of a session (see the module's text), or ``None`` without a heart rate."""
    minutes = zone_minutes(session, zones)
    if minutes is None:
        return None
    return math.fsum(number * spent for number, spent in enumerate(minutes, start=1))


def load_function(
    source: LoadSource, zones: HeartRateZones | None = None
) -> Callable[[SessionRecord], float | None]:
    """The per-session load for ``source``."""
    if source is LoadSource.HEART_RATE:
        return lambda session: heart_rate_load(session, zones)
    return session_load


def daily_loads(
    sessions: Iterable[SessionRecord],
    load: Callable[[SessionRecord], float | None] = session_load,
) -> dict[date, float]:
    """Each day's summed load (days with only unloaded sessions are left out)."""
    days: dict[date, float] = {}
    for session in sessions:
        value = load(session)
        if value is not None:
            day = session_date(session)
            days[day] = days.get(day, 0.0) + value
    return days


def day_series(days: dict[date, float], first: date, last: date) -> list[float]:
    """The loads from ``first`` to ``last`` inclusive, one a day, 0 on days without any."""
    count = (last - first).days + 1
    return [days.get(first + timedelta(days=offset), 0.0) for offset in range(max(0, count))]


def loads_until(
    sessions: Iterable[SessionRecord],
    until: date,
    load: Callable[[SessionRecord], float | None] = session_load,
) -> tuple[date | None, list[float]]:
    """The first day with a load up to ``until``, and the daily loads from it to ``until``."""
    days = daily_loads(sessions, load)
    first = min((day for day in days if day <= until), default=None)
    return first, [] if first is None else day_series(days, first, until)


def exponential_average(loads: Sequence[float], days: int, start: float = 0.0) -> list[float]:
    """``today = yesterday + (load - yesterday) / days`` for each day, from ``start``."""
    values = []
    value = start
    for load in loads:
        value += (load - value) / days
        values.append(value)
    return values


def williams_average(loads: Sequence[float], days: int) -> list[float]:
    """Williams et al.'s EWMA: decay ``2 / (days + 1)``, from the first day's load."""
    decay = 2.0 / (days + 1)
    values = []
    value: float | None = None
    for load in loads:
        value = load if value is None else load * decay + (1 - decay) * value
        values.append(value)
    return values


# -- fitness, fatigue, form ------------------------------------------------------------------


@dataclass(frozen=True)
class FitnessDay:
    day: date
    load: float
    fitness: float
    fatigue: float

    @property
    def form(self) -> float:
        return self.fitness - self.fatigue


@dataclass(frozen=True)
class FormReading:
    """Today's fitness, fatigue and form, with the one word for them."""

    fitness: float
    fatigue: float
    form: float
    word: Form
    share: float | None = None
    """Form as a share of fitness, allowing for a short history (see :func:`form_share`):
    -0.2 is fatigue 20 % above fitness. What the word goes by."""
    history_days: int = 0
    """Days from the first loaded session to the day read."""

    @property
    def advice(self) -> str:
        return FORM_ADVICE[self.word]

    @property
    def percent(self) -> str:
        """`` (-37 %)``: the share the word goes by; "" without one."""
        if self.share is None:
            return ""
        share = round(self.share, 2) or 0.0  # no "-0 %" from float noise
        shown = f"{share:+.0%}".replace("%", " %")
        if self.history_days < CORRECTED_UNTIL_DAYS:
            # The correction still counts: say so, or "form -1, fresh" reads as a mistake.
            return f" ({shown} of fitness, allowing for {self.history_days} days of history)"
        return f" ({shown})"

    def figures(self) -> str:
        """``fitness 52 · fatigue 71 · form -19 (-37 %)``, for the trends."""
        return (
            f"fitness {self.fitness:.0f} · fatigue {self.fatigue:.0f} · "
            f"form {self.form:+.0f}{self.percent}"
        )

    def sentence(self) -> str:
        """``Fitness 52, fatigue 71, form -19 (-37 %): tired.``, for the command line."""
        if self.word is Form.NEW:
            return f"Form: {self.word}."
        return (
            f"Fitness {self.fitness:.0f}, fatigue {self.fatigue:.0f}, "
            f"form {self.form:+.0f}{self.percent}: {self.word}."
        )


def fitness_days(
    sessions: Iterable[SessionRecord],
    until: date,
    load: Callable[[SessionRecord], float | None] = session_load,
) -> list[FitnessDay]:
    """Every day from the first loaded session to ``until``; empty without any load."""
    first, loads = loads_until(sessions, until, load)
    if first is None:
        return []
    fitness = exponential_average(loads, FITNESS_DAYS)
    fatigue = exponential_average(loads, FATIGUE_DAYS)
    return [
        FitnessDay(first + timedelta(days=n), loads[n], fitness[n], fatigue[n])
        for n in range(len(loads))
    ]


def form_share(fitness: float, fatigue: float, history_days: int) -> float | None:
    """Form as a share of fitness, each average first divided by the weight its days so far
    carry (``1 - (41/42)^n`` and ``1 - (6/7)^n``); ``None`` without fitness.

    Both averages start from 0, and fitness, the slower, takes months to catch up: a
    steady load read without this correction looks "tired" for its first nine weeks. The
    correction (the one Adam's optimiser makes to its averages) gives a steady load a form
    of 0 from the start, and fades away as the history grows.
    """
    if history_days <= 0:
        return None
    fitness_weight = 1 - (1 - 1 / FITNESS_DAYS) ** history_days
    fatigue_weight = 1 - (1 - 1 / FATIGUE_DAYS) ** history_days
    level = fitness / fitness_weight
    if level <= 0:
        return None
    return (level - fatigue / fatigue_weight) / level


def form_word(fitness: float, fatigue: float, history_days: int) -> Form:
    """The word for a form (see :func:`form_share`), once there are two weeks of history."""
    share = form_share(fitness, fatigue, history_days)
    if history_days < 2 * ACUTE_DAYS or share is None:
        return Form.NEW
    if share > FRESH_FORM:
        return Form.FRESH
    if share < TIRED_FORM:
        return Form.TIRED
    return Form.BUILDING


def form_reading(days: Sequence[FitnessDay]) -> FormReading | None:
    """The last day's form, or ``None`` without any load."""
    if not days:
        return None
    last = days[-1]
    count = len(days)
    return FormReading(
        last.fitness,
        last.fatigue,
        last.form,
        form_word(last.fitness, last.fatigue, count),
        form_share(last.fitness, last.fatigue, count),
        count,
    )


# -- acute:chronic ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkloadRatio:
    """The 7:28 ratio of one day, both ways; ``None`` before 28 days or without chronic load."""

    day: date
    rolling: float | None
    ewma: float | None

    @property
    def highest(self) -> float | None:
        values = [value for value in (self.rolling, self.ewma) if value is not None]
        return max(values) if values else None


def ratio_series(loads: Sequence[float], first: date) -> list[WorkloadRatio]:
    """The ratio on every day of ``loads`` (the first being ``first``)."""
    acute = williams_average(loads, ACUTE_DAYS)
    chronic = williams_average(loads, CHRONIC_DAYS)
    sums = [0.0]
    for value in loads:
        sums.append(sums[-1] + value)
    result = []
    for n in range(len(loads)):
        day = first + timedelta(days=n)
        if n + 1 < CHRONIC_DAYS:
            result.append(WorkloadRatio(day, None, None))
            continue
        week = (sums[n + 1] - sums[n + 1 - ACUTE_DAYS]) / ACUTE_DAYS
        month = (sums[n + 1] - sums[n + 1 - CHRONIC_DAYS]) / CHRONIC_DAYS
        if month <= 0:
            # No load in 28 days: the weighted averages are only the tail of older loads,
            # and their ratio would be noise.
            result.append(WorkloadRatio(day, None, None))
            continue
        rolling = week / month
        ewma = acute[n] / chronic[n] if chronic[n] > 0 else None
        result.append(WorkloadRatio(day, rolling, ewma))
    return result


@dataclass(frozen=True)
class FormHistory:
    """One load's model day by day: fitness and fatigue, the 7:28 ratio, today's reading."""

    source: LoadSource
    days: tuple[FitnessDay, ...]
    ratios: tuple[WorkloadRatio, ...]
    """The ratio on each of :attr:`days`."""
    today: FormReading | None

    @property
    def ratio(self) -> WorkloadRatio | None:
        return self.ratios[-1] if self.ratios else None

    def last(self, count: int) -> FormHistory:
        """The same, its days cut to the last ``count`` (the reading is of every day)."""
        return FormHistory(self.source, self.days[-count:], self.ratios[-count:], self.today)


def form_history(
    sessions: Iterable[SessionRecord],
    until: date,
    source: LoadSource = LoadSource.SESSION,
    zones: HeartRateZones | None = None,
) -> FormHistory:
    """The model of ``source`` from the first loaded session to ``until``; no days without
    any load (a heart-rate load without a strap, say)."""
    days = fitness_days(sessions, until, load_function(source, zones))
    ratios = ratio_series([day.load for day in days], days[0].day) if days else []
    return FormHistory(source, tuple(days), tuple(ratios), form_reading(days))


def ratio_words(ratio: float | None) -> str:
    """What a 7:28 ratio means, in a few words."""
    if ratio is None:
        return "needs load in the last 28 days, and 28 days of history"
    if ratio > SPIKE_RATIO:
        return "a spike: injury risk rises"
    if ratio > SAFE_RATIO[1]:
        return "rising fast"
    if ratio >= SAFE_RATIO[0]:
        return "building safely"
    return "lighter than usual"


# -- before a session ------------------------------------------------------------------------


DEFAULT_SESSION_RPE = 5
"""The session RPE expected of a plan nobody has rated yet: "hard" on the CR-10 scale's middle."""
RECENT_RATINGS = 3


def expected_session_rpe(
    plan_name: str, sessions: Sequence[SessionRecord], plan_targets: Sequence[int] = ()
) -> float:
    """How hard a plan is likely to feel: the mean session RPE of its last three rated runs,
    else its steps' target RPEs (a rehab walk is easy however hard the last intervals
    were), else the last three rated sessions of any plan, else 5."""
    rated = chronological(session for session in sessions if session.rpe is not None)
    same = [session.rpe for session in rated if session.plan == plan_name]
    recent = [value for value in same[-RECENT_RATINGS:] if value is not None]
    if recent:
        return sum(recent) / len(recent)
    if plan_targets:
        return sum(plan_targets) / len(plan_targets)
    recent = [session.rpe for session in rated[-RECENT_RATINGS:] if session.rpe is not None]
    if recent:
        return sum(recent) / len(recent)
    return float(DEFAULT_SESSION_RPE)


@dataclass(frozen=True)
class LoadWarning:
    """One plain warning before a session; it never blocks it."""

    kind: str
    """"spike", "rise" or "break"."""
    text: str


def weekly_windows(loads: Sequence[float], count: int) -> list[float]:
    """The sums of the last ``count`` 7-day windows ending on the last day, oldest first."""
    windows = []
    for back in range(count - 1, -1, -1):
        end = len(loads) - back * ACUTE_DAYS
        windows.append(math.fsum(loads[max(0, end - ACUTE_DAYS) : max(0, end)]))
    return windows


def warnings_before(
    sessions: Sequence[SessionRecord],
    today: date,
    planned_load: float,
) -> list[LoadWarning]:
    """What to say before a session of ``planned_load`` (session RPE x minutes) done today.

    A spike: the rolling or EWMA 7:28 ratio with this session added goes over 1.5. A
    rise: the last three 7-day windows, this one with the session, each more than 10 %
    above the one before (about four weeks of history needed). A break: no load in the 27
    days before today, after some before them; any session would be a "spike" then, so the
    words say to ease back in instead. Words only; the session can always start.
    """
    first, loads = loads_until(sessions, today)
    if first is None:
        return []
    if len(loads) > CHRONIC_DAYS and not any(loads[-CHRONIC_DAYS:-1]) and not loads[-1]:
        return [
            LoadWarning(
                "break",
                f"No load in the last {CHRONIC_DAYS - 1} days: ease back in with a session "
                "shorter or easier than before the break, and build up again over weeks.",
            )
        ]
    already = ratio_series(loads, first)[-1].highest
    loads[-1] += max(0.0, planned_load)
    found: list[LoadWarning] = []
    ratio = ratio_series(loads, first)[-1]
    highest = ratio.highest
    if already is not None and already > SPIKE_RATIO:
        # No session makes it lower: say what does.
        found.append(
            LoadWarning(
                "spike",
                f"Your 7:28 load ratio is already {already:.1f} before today's session, over "
                f"{SPIKE_RATIO}, where injuries follow: a rest day or an easy recovery session "
                "lets it settle.",
            )
        )
    elif highest is not None and highest > SPIKE_RATIO:
        figures = " and ".join(
            f"{value:.1f} {how}"
            for value, how in ((ratio.rolling, "rolling"), (ratio.ewma, "weighted"))
            if value is not None
        )
        found.append(
            LoadWarning(
                "spike",
                f"Done as planned today, your 7:28 load ratio would be {figures}: over "
                f"{SPIKE_RATIO}, where injuries follow. A shorter or easier session keeps "
                "it lower.",
            )
        )
    windows = weekly_windows(loads, RISING_WEEKS + 1)
    if (
        len(loads) >= (RISING_WEEKS + 1) * ACUTE_DAYS
        and windows[0] > 0
        and all(
            later > earlier * (1 + WEEKLY_RISE) for earlier, later in itertools.pairwise(windows)
        )
    ):
        figures = " → ".join(f"{value:.0f}" for value in windows)
        found.append(
            LoadWarning(
                "rise",
                f"Weekly load has risen more than {WEEKLY_RISE:.0%} a week for "
                f"{RISING_WEEKS} weeks ({figures}, this week with today's session). A lighter "
                "week lets the body catch up.",
            )
        )
    return found


def athletes_sessions(sessions: Iterable[SessionRecord], athlete: str) -> list[SessionRecord]:
    """The sessions of ``athlete`` ("" = those that name nobody), for their own load."""
    wanted = athlete_key(athlete)
    return [session for session in sessions if athlete_key(session.athlete) == wanted]


def planned_load(plan: Plan, sessions: Sequence[SessionRecord]) -> float:
    """The load ``plan`` is likely to add: its minutes x the session RPE it usually gets."""
    targets = [step.target_rpe for step in plan.steps if step.target_rpe is not None]
    return expected_session_rpe(plan.name, sessions, targets) * plan.total_s / 60.0


def session_warnings(
    plan: Plan, sessions: Sequence[SessionRecord], today: date
) -> list[LoadWarning]:
    """The warnings before running ``plan`` today, for someone whose sessions these are."""
    return warnings_before(sessions, today, planned_load(plan, sessions))
