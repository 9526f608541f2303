"""Where a person is in a multi-week program, worked out from their history log.

Every session run from a program carries a :class:`ProgramSlot` (program name,
week, session and run id). :func:`next_session` reads those slots back and
answers what a person at the treadmill wants to know: which session is next,
what is already done, and anything worth saying about it. The rules:

- Only sessions of this program (by name) and this athlete count, and of
  those only the latest run: the run of the most recent session. Starting
  over is simply a new run id (:func:`restart`), after which older runs are
  ignored.
- A slot is done when a session for it was completed or recovered; a
  session that ended early does not tick it off.
- Next is the first slot after the most recently done one that is not done
  yet. Someone who jumped ahead carries on from there (the weeks jumped over
  are mentioned, not forced), and repeating an earlier session does not
  send them back.
- After a break of more than two weeks, next goes back to the first session
  of the week before, to ease back in. A break in the middle of a run counts
  too: the sessions after it pick up from that earlier point.

Nothing here reads files; the caller passes the sessions it loaded.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from retro_tui.history.record import ProgramSlot, SessionRecord, SessionStatus
from retro_tui.history.stats import athlete_key, chronological, session_date
from retro_tui.plan.program import Program, ProgramSession

# More days than this between sessions and the program steps back a week.
LONG_BREAK_DAYS = 14
DONE_STATUSES = frozenset({SessionStatus.COMPLETED, SessionStatus.RECOVERED})


def counts_as_done(session: SessionRecord) -> bool:
    """Whether a session ticks its program slot off.

    It must have run to its end (or been recovered after a crash) and include
    backward work that was really done: a session whose every backward
    interval was skipped reached its end, but not its purpose.
    """
    if session.status not in DONE_STATUSES:
        return False
    work = [step for step in session.steps if step.is_backward_work]
    if work:
        return any(not step.skipped for step in work)
    # Steps skipped within a second are not recorded at all: a session skipped straight
    # through holds no backward work though its plan had some.
    return not session.planned_intervals


@dataclass(frozen=True)
class ProgramProgress:
    """One person's place in one run of a program, ready for a checklist and a start button."""

    program: Program
    run: str
    """The run id to stamp on the next session (see :func:`slot_for`)."""
    next_slot: tuple[int, int] | None
    """``(week, session)`` to do next, both from 1; ``None`` once the program is finished."""
    done: tuple[tuple[bool, ...], ...]
    """``done[week - 1][session - 1]``: whether that slot was completed in this run."""
    last_date: date | None = None
    """The day of the run's most recent session (any status); ``None`` for a new run."""
    note: str = ""
    """One line for the person: skipped weeks, easing back in after a break, what after."""
    first_date: date | None = None
    """The day of the run's first session (any status); ``None`` for a new run."""
    eased_back: tuple[tuple[int, date], ...] = ()
    """Every time a long break sent the run back, oldest first: the week it went back to
    and the first day back (the day of the session after the break, or ``today`` for a
    break still going on). The calendar plans those weeks again from that day."""

    @property
    def finished(self) -> bool:
        return self.next_slot is None

    @property
    def is_new(self) -> bool:
        """Whether the run has no sessions yet."""
        return self.last_date is None

    @property
    def sessions_done(self) -> int:
        """How many of the program's sessions this run has done (a repeat counts once)."""
        return sum(flag for week in self.done for flag in week)

    @property
    def session_count(self) -> int:
        return self.program.session_count

    @property
    def next_session(self) -> ProgramSession | None:
        """The session to do next, with its plan; ``None`` once the program is finished."""
        if self.next_slot is None:
            return None
        return self.program.session(*self.next_slot)

    def is_done(self, week: int, number: int) -> bool:
        """Whether session ``number`` of week ``week`` (both from 1) is done in this run."""
        if 1 <= week <= len(self.done) and 1 <= number <= len(self.done[week - 1]):
            return self.done[week - 1][number - 1]
        return False


def new_run_id(now: datetime) -> str:
    """A run id: the start time plus 16 random bits, like a session id."""
    return f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(2)}"


def restart(program: Program, now: datetime) -> ProgramProgress:
    """A new run from week 1, session 1.

    The older runs stop counting once a session carrying the new run id is in
    the history, so keep this progress (or its :func:`slot_for`) until then.
    """
    return _fresh(program, new_run_id(now))


def slot_for(progress: ProgramProgress, slot: tuple[int, int] | None = None) -> ProgramSlot:
    """The slot to stamp on the session about to run: the next one, or ``slot`` if given.

    ``slot`` is ``(week, session)`` for a person who picks another session
    than the one offered (jumping ahead, or repeating one). Raises
    :class:`ValueError` when the program is finished and no slot is given, or
    for a slot the program does not have.
    """
    chosen = slot or progress.next_slot
    if chosen is None:
        raise ValueError(f"{progress.program.name} is finished; restart it for a new run")
    week, number = chosen
    try:
        progress.program.session(week, number)
    except KeyError as error:
        raise ValueError(error.args[0]) from None
    source = progress.program.source
    return ProgramSlot(
        name=progress.program.name,
        week=week,
        session=number,
        run=progress.run,
        file=source.name if source is not None else "",
    )


def next_session(
    program: Program,
    sessions: Sequence[SessionRecord],
    *,
    athlete: str = "",
    today: date,
) -> ProgramProgress:
    """Where ``athlete`` ("" = sessions without an athlete) stands in ``program`` on ``today``."""
    mine = [
        (session, session.program)
        for session in chronological(sessions)
        if session.program is not None
        and _same_name(session.program.name, program.name)
        and _same_name(session.athlete, athlete)
    ]
    if not mine:
        # Nothing to go on but the day; the random part keeps two new runs apart.
        return _fresh(program, new_run_id(datetime.combine(today, time())))
    run = mine[-1][1].run
    slots = [session.slot for session in program.sessions]
    position = {slot: index for index, slot in enumerate(slots)}

    done_ever: set[int] = set()
    # What counts as done when choosing what's next: a break clears the slots
    # from the ease-back point on, so they are done again.
    done_for_next: set[int] = set()
    next_index: int | None = 0
    previous_day: date | None = None
    first_day: date | None = None
    eased_back: list[tuple[int, date]] = []
    for session, slot in mine:
        if slot.run != run:
            continue
        day = session_date(session)
        if (
            previous_day is not None
            and next_index is not None
            and (day - previous_day).days > LONG_BREAK_DAYS
        ):
            next_index = _ease_back(slots, next_index)
            done_for_next = {index for index in done_for_next if index < next_index}
            eased_back.append((slots[next_index][0], day))
        previous_day = day
        first_day = first_day or day
        index = position.get((slot.week, slot.session))
        # A slot the program no longer has (the file was edited) can't be ticked off.
        if not counts_as_done(session) or index is None:
            continue
        done_ever.add(index)
        done_for_next.add(index)
        next_index = next(
            (later for later in range(index + 1, len(slots)) if later not in done_for_next),
            None,
        )

    notes: list[str] = []
    if next_index is not None and previous_day is not None:
        days = (today - previous_day).days
        if days > LONG_BREAK_DAYS:
            eased = _ease_back(slots, next_index)
            if eased != next_index:
                week = slots[eased][0]
                again = any(slots[index][0] == week for index in done_ever)
                verb = "repeat" if again else "go back to"
                notes.append(f"It's been {days // 7} weeks: {verb} week {week} to ease back in")
            next_index = eased
            eased_back.append((slots[eased][0], today))
    if next_index is None:
        notes.append(
            "Program finished: check your backward speed, balance and strength, "
            "then restart it or choose another program"
        )
    skipped = _skipped_weeks(program, slots, done_ever, next_index)
    if skipped:
        notes.append(skipped)
    return ProgramProgress(
        program=program,
        run=run,
        next_slot=None if next_index is None else slots[next_index],
        done=_done_flags(program, slots, done_ever),
        last_date=previous_day,
        note=". ".join(notes),
        first_date=first_day,
        eased_back=tuple(eased_back),
    )


def _same_name(one: str, other: str) -> bool:
    return athlete_key(one) == athlete_key(other)


def _fresh(program: Program, run: str) -> ProgramProgress:
    slots = [session.slot for session in program.sessions]
    return ProgramProgress(program, run, slots[0], _done_flags(program, slots, set()))


def _ease_back(slots: Sequence[tuple[int, int]], next_index: int) -> int:
    """The first session of the week before the one holding ``next_index`` (at least week 1)."""
    week = max(1, slots[next_index][0] - 1)
    return slots.index((week, 1))


def _done_flags(
    program: Program, slots: Sequence[tuple[int, int]], done: set[int]
) -> tuple[tuple[bool, ...], ...]:
    done_slots = {slots[index] for index in done}
    return tuple(
        tuple((week.number, session.number) in done_slots for session in week.sessions)
        for week in program.weeks
    )


def _skipped_weeks(
    program: Program, slots: Sequence[tuple[int, int]], done: set[int], next_index: int | None
) -> str:
    """``Weeks 2-3 were skipped``: whole weeks before the next one with nothing done."""
    if not done:
        return ""
    before = len(program.weeks) + 1 if next_index is None else slots[next_index][0]
    weeks_done = {slots[index][0] for index in done}
    skipped = [number for number in range(1, before) if number not in weeks_done]
    if not skipped:
        return ""
    ranges: list[list[int]] = []
    for number in skipped:
        if ranges and ranges[-1][-1] == number - 1:
            ranges[-1].append(number)
        else:
            ranges.append([number])
    parts = [f"{run[0]}-{run[-1]}" if len(run) > 1 else f"{run[0]}" for run in ranges]
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    if len(skipped) == 1:
        return f"Week {listed} was skipped"
    return f"Weeks {listed} were skipped"
