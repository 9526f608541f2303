"""An energy estimate for a finished session, from the ACSM metabolic equations.

Every figure this module makes is an *estimate* and is labelled so: the equations
describe an average adult walking or running forward on a treadmill, not this person.

How a step is estimated
    Oxygen cost (VO2, mL/kg/min) comes from the ACSM forward equations, with the speed
    ``S`` in metres per minute and the grade ``G`` as a decimal (incline % / 100)::

        walking  VO2 = 3.5 + 0.1 * S + 1.8 * S * G
        running  VO2 = 3.5 + 0.2 * S + 0.9 * S * G

    and ``kcal/min = VO2 * body mass (kg) / 1000 * 5`` (about 5 kcal per litre of
    oxygen). Speeds convert as ``mph * 26.8`` and ``km/h * 1000 / 60`` m/min.

Walking or running
    The walking equation is used below 3.7 mph (99.16 m/min, about 5.95 km/h) and the
    running equation at or above it. ACSM gives the walking equation for about
    50-100 m/min (1.9-3.7 mph), so 3.7 mph is the top of the range the walking equation
    was built for; the app cannot see whether someone walks or jogs, so it switches at
    the first speed the walking equation no longer covers. The threshold is kept in m/min
    so mph and km/h sessions switch at the same physical speed.

Inclines
    Declines (negative inclines) are treated as level: both equations were made for level
    and uphill treadmill work, and their grade term would otherwise *subtract* energy,
    which is not what walking or running downhill does.

Backward steps
    A backward step costs the forward estimate x 1.3. That factor is our inference, not a
    published equation: Wright & Weyand (2001, J Exp Biol 204:1805) measured backward
    running at about 35 % more metabolic energy than forward running at the same speed,
    and 1.3 stays at the cautious end of the 30-35 % usually quoted.

What is counted
    Each step counts with the seconds it actually ran (``actual_s``, so a step cut short
    counts for the time it really lasted), not the planned seconds. A step without a speed
    (a plan that leaves the speed to the person) cannot be estimated: its minutes are left
    out of the estimate and reported, so the screen can say "estimate for 18 of 25 min".
    A session whose units are neither ``mph`` nor ``kmh`` has no usable speeds at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from retro_tui.history.record import SessionRecord, StepRecord

METRES_PER_MIN_PER_MPH = 26.8
METRES_PER_MIN_PER_KMH = 1000 / 60
WALK_RUN_THRESHOLD_MPH = 3.7
WALK_RUN_THRESHOLD_M_PER_MIN = WALK_RUN_THRESHOLD_MPH * METRES_PER_MIN_PER_MPH  # 99.16
BACKWARD_FACTOR = 1.3
KCAL_PER_LITRE_O2 = 5.0
RESTING_VO2 = 3.5

_METRES_PER_MIN = {"mph": METRES_PER_MIN_PER_MPH, "kmh": METRES_PER_MIN_PER_KMH}


@dataclass(frozen=True)
class EnergyEstimate:
    """The estimated energy of one session and how much of the session it covers.

    ``covered_min`` is the time of the steps that had a speed (the only ones that can
    be estimated); ``total_min`` is the time of every step. Both use the time each step
    actually ran.
    """

    total_kcal: float
    backward_kcal: float
    covered_min: float
    total_min: float

    @property
    def is_partial(self) -> bool:
        """True when some steps had no speed, so the estimate leaves part of the session out."""
        return self.covered_min < self.total_min - 1e-9


def speed_in_metres_per_min(speed: float, units: str) -> float | None:
    """A treadmill speed in m/min, or ``None`` for units this module does not know."""
    factor = _METRES_PER_MIN.get(units)
    return None if factor is None else speed * factor


def forward_vo2(metres_per_min: float, incline_percent: float = 0.0) -> float:
    """ACSM oxygen cost (mL/kg/min) of moving forward at a speed and incline.

    Walking equation below 3.7 mph (99.16 m/min), running equation at or above it;
    a decline counts as level (see the module docstring for both choices).
    """
    grade = max(0.0, incline_percent) / 100
    if metres_per_min < WALK_RUN_THRESHOLD_M_PER_MIN:
        return RESTING_VO2 + 0.1 * metres_per_min + 1.8 * metres_per_min * grade
    return RESTING_VO2 + 0.2 * metres_per_min + 0.9 * metres_per_min * grade


def kcal_per_min(
    metres_per_min: float,
    body_mass_kg: float,
    *,
    incline_percent: float = 0.0,
    backward: bool = False,
) -> float:
    """Estimated kcal per minute; a backward step is the forward estimate x 1.3 (an inference)."""
    forward = forward_vo2(metres_per_min, incline_percent) * body_mass_kg / 1000 * KCAL_PER_LITRE_O2
    return forward * BACKWARD_FACTOR if backward else forward


def _has_speed(step: StepRecord) -> bool:
    # A zero, negative or infinite speed can only come from a hand-edited log: no estimate.
    return step.speed is not None and math.isfinite(step.speed) and step.speed > 0


def _step_kcal(step: StepRecord, seconds: float, units: str, body_mass_kg: float) -> float | None:
    if step.speed is None or not _has_speed(step):
        return None
    metres_per_min = speed_in_metres_per_min(step.speed, units)
    if metres_per_min is None:
        return None
    rate = kcal_per_min(
        metres_per_min,
        body_mass_kg,
        # An unreadable incline is taken as level rather than spoiling the whole estimate.
        incline_percent=step.incline if step.incline and math.isfinite(step.incline) else 0.0,
        backward=step.is_backward,
    )
    return rate * seconds / 60


def session_energy(session: SessionRecord, body_mass_kg: float) -> EnergyEstimate | None:
    """The session's estimated energy, or ``None`` when no step has a speed to estimate from.

    Raises :class:`ValueError` for a body mass that is not a positive, finite number of kg.
    """
    if not math.isfinite(body_mass_kg) or body_mass_kg <= 0:
        raise ValueError(f"body mass must be a positive number of kg, not {body_mass_kg!r}")
    if session.units not in _METRES_PER_MIN or not any(map(_has_speed, session.steps)):
        return None
    total_kcal = 0.0
    backward_kcal = 0.0
    covered_s = 0.0
    total_s = 0.0
    for step in session.steps:
        # A negative or non-finite time would come only from a hand-edited log; it ran for 0 s.
        seconds = step.actual_s if math.isfinite(step.actual_s) and step.actual_s > 0 else 0.0
        total_s += seconds
        kcal = _step_kcal(step, seconds, session.units, body_mass_kg)
        if kcal is None:
            continue
        covered_s += seconds
        total_kcal += kcal
        if step.is_backward:
            backward_kcal += kcal
    return EnergyEstimate(
        total_kcal=total_kcal,
        backward_kcal=backward_kcal,
        covered_min=covered_s / 60,
        total_min=total_s / 60,
    )


def format_energy(estimate: EnergyEstimate) -> str:
    """``≈ 212 kcal (estimate)``, or ``≈ 150 kcal (estimate for 18 of 25 min)`` when partial.

    Covered minutes round down and total minutes round up, so a partial estimate never
    reads as "25 of 25 min".
    """
    kcal = round(estimate.total_kcal)
    if not estimate.is_partial:
        return f"≈ {kcal} kcal (estimate)"
    covered = math.floor(estimate.covered_min + 1e-9)
    total = math.ceil(estimate.total_min - 1e-9)
    return f"≈ {kcal} kcal (estimate for {covered} of {total} min)"
