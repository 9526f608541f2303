"""A program's coming sessions as an iCalendar file (``.ics``) for a phone or desktop calendar.

One ``VEVENT`` per coming session of a :class:`~retro_tui.coach.calendar.ProgramCalendar`:

- ``SUMMARY``: ``retro-tui: Week 2 · Session 1 — Retro starter``;
- ``DTSTART``: the day the session is due, at the time asked for, as a *floating*
  local time (no zone, see :func:`calendar_ics`);
- ``DTEND``: that start plus the plan's total time;
- ``DESCRIPTION``: the plan's steps in brief and its backward minutes;
- ``UID``: one per run, week and session (see :func:`event_uid`), so importing
  a newer file again updates the events instead of adding them twice;
- ``DTSTAMP``: when the file was written.

The file is made with the ``icalendar`` library, which escapes the text (a
plan's name is the user's text: commas, semicolons and new lines stay as
written) and folds long lines as RFC 5545 asks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

from icalendar import Calendar, Event

from retro_tui.coach.calendar import PlannedSession, ProgramCalendar
from retro_tui.history.stats import athlete_key
from retro_tui.interchange.blocks import Block, Leaf, Node, blocks_of
from retro_tui.plan.durations import format_duration
from retro_tui.plan.model import Plan, Step

PRODUCT_ID = "-//retro-tui//program calendar//EN"
UID_DOMAIN = "retro-tui"


def event_uid(calendar: ProgramCalendar, session: PlannedSession) -> str:
    """The event's UID: the same for the same program, athlete, week and session in every
    file written.

    Not the run's first day nor its run id: a run not started yet is dated from today and
    has no id (the history gives it one with its first session), so either would change
    between two exports and a phone would show every event twice. With the slot alone, a
    file written later (a session moved, the program started again) moves the events the
    phone already has.
    """
    person = "\n".join((athlete_key(calendar.program.name), athlete_key(calendar.athlete)))
    digest = hashlib.sha256(person.encode()).hexdigest()[:16]
    week, number = session.slot
    return f"{digest}-week{week}-session{number}@{UID_DOMAIN}"


def event_summary(session: PlannedSession) -> str:
    """``retro-tui: Week 2 · Session 1 — Retro starter``."""
    week, number = session.slot
    return f"retro-tui: Week {week} · Session {number} — {session.session.plan.name}"


def plan_description(plan: Plan) -> str:
    """The plan in a few lines: its time and backward minutes, then each part of it."""
    backward_min = plan.backward_s / 60
    lines = [
        f"{plan.name}: {format_duration(plan.total_s)}, "
        f"{backward_min:.1f} backward minutes in {plan.backward_intervals} "
        f"interval{'' if plan.backward_intervals == 1 else 's'}"
    ]
    lines += [f"- {part}" for part in _parts(blocks_of(plan.steps, 0), plan)]
    return "\n".join(lines)


def calendar_ics(calendar: ProgramCalendar, at: time, now: datetime) -> bytes:
    """The coming sessions of ``calendar`` as an .ics file, each starting at ``at``.

    ``now`` (any zone) is the file's ``DTSTAMP``.
    """
    ics = Calendar()
    ics.add("prodid", PRODUCT_ID)
    ics.add("version", "2.0")
    ics.add("calscale", "GREGORIAN")
    ics.add("x-wr-calname", f"retro-tui: {calendar.program.name}")
    stamp = now.astimezone(UTC)
    for session in calendar.coming:
        day = session.due or session.planned
        # Floating time (no zone): "07:00 on the day" wherever the phone is, which is what a
        # morning session means, and every calendar app reads it as its own local time. A
        # zone would need its VTIMEZONE rules written out and this machine's zone name (not
        # just its offset, or the sessions after a daylight-saving change move an hour).
        start = datetime.combine(day, at.replace(tzinfo=None, second=0, microsecond=0))
        plan = session.session.plan
        event = Event()
        event.add("uid", event_uid(calendar, session))
        event.add("dtstamp", stamp)
        event.add("summary", event_summary(session))
        event.add("dtstart", start)
        # DTEND rather than DURATION: some calendar apps import DURATION badly.
        event.add("dtend", start + timedelta(seconds=plan.total_s))
        event.add("description", plan_description(plan))
        event.add("categories", ["retro-tui"])
        ics.add_component(event)
    data: bytes = ics.to_ical()
    return data


# -- the plan in brief -----------------------------------------------------------------------


def _parts(nodes: Sequence[Node], plan: Plan) -> list[str]:
    """A line for each step, ladder or repeat block at the top of the plan."""
    parts: list[str] = []
    index = 0
    while index < len(nodes):
        node = nodes[index]
        if isinstance(node, Block):
            parts.append(_block_line(node, plan))
            index += 1
            continue
        # The rungs of one ladder are one line: they come from one step table.
        rungs = [node.step]
        while (
            node.step.origin.rung is not None
            and index + len(rungs) < len(nodes)
            and isinstance(following := nodes[index + len(rungs)], Leaf)
            and following.step.origin.path == node.step.origin.path
        ):
            rungs.append(following.step)
        parts.append(_ladder_line(rungs, plan) if len(rungs) > 1 else _step_line(node.step, plan))
        index += len(rungs)
    return parts


def _speed(step: Step, plan: Plan) -> str:
    return f" at {step.speed:g} {plan.units.label}" if step.speed is not None else ""


def _step_words(step: Step, plan: Plan) -> str:
    """``30s backward at 2 mph``."""
    return f"{format_duration(step.duration_s)} {step.direction.value}{_speed(step, plan)}"


def _step_line(step: Step, plan: Plan) -> str:
    return f"{step.name}: {_step_words(step, plan)}"


def _ladder_line(rungs: Sequence[Step], plan: Plan) -> str:
    """``Build-up: 3 x 1m forward, 3.5 to 4.5 mph``."""
    first, last = rungs[0], rungs[-1]
    hold = format_duration(first.duration_s)
    line = f"{first.name}: {len(rungs)} x {hold} {first.direction.value}"
    if first.speed is not None and last.speed is not None:
        line += f", {first.speed:g} to {last.speed:g} {plan.units.label}"
    return line


def _block_line(block: Block, plan: Plan) -> str:
    """``4 x (30s backward at 2.5 mph, 1m30s forward at 3 mph)``, or the block's totals when
    its rounds differ or hold blocks of their own."""
    steps = [step for round_ in block.rounds for step in _leaves(round_)]
    name = steps[0].origin.block_names[0] if steps and steps[0].origin.block_names else None
    head = f"{name}: " if name else ""
    first = block.rounds[0]
    same = all(_shape(round_) == _shape(first) for round_ in block.rounds)
    if same and all(isinstance(node, Leaf) for node in first):
        inner = ", ".join(_step_words(step, plan) for step in _leaves(first))
        return f"{head}{len(block.rounds)} x ({inner})"
    total = sum(step.duration_s for step in steps)
    backward = sum(step.duration_s for step in steps if step.is_backward)
    return (
        f"{head}{len(block.rounds)} rounds, {format_duration(total)} "
        f"({format_duration(backward)} backward)"
    )


def _leaves(nodes: Sequence[Node]) -> list[Step]:
    steps: list[Step] = []
    for node in nodes:
        if isinstance(node, Leaf):
            steps.append(node.step)
        else:
            steps += [step for round_ in node.rounds for step in _leaves(round_)]
    return steps


def _shape(nodes: Sequence[Node]) -> tuple[tuple[str, int, str, float | None], ...]:
    return tuple(
        (step.name, step.duration_s, step.direction.value, step.speed) for step in _leaves(nodes)
    )
