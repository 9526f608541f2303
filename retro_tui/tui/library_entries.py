"""The plan library's list: its order, where the cursor starts, and how each entry reads.

Programs come first, then plans A to Z by the name shown. The cursor starts on
what the athlete ran last, or on a first run on the bundled starter plan.
Labels are plain text (names come from the user's files).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from rich.text import Text

from retro_tui.coach.programs import ProgramProgress
from retro_tui.history.record import SessionRecord
from retro_tui.history.stats import athlete_key, chronological
from retro_tui.plan.catalog import PlanEntry, ProgramEntry
from retro_tui.plan.durations import format_clock

Entry = PlanEntry | ProgramEntry

STARTER_STEM = "starter"
"""The bundled plan a first run starts on: the one the README's first five minutes walk through."""


def shown_name(entry: Entry) -> str:
    """The name the list shows for ``entry``: its own name, or its file's when it does not load."""
    if isinstance(entry, ProgramEntry):
        return entry.program.name if entry.program else entry.path.name
    return entry.plan.name if entry.plan else entry.path.name


def library_order(entries: list[Entry]) -> list[Entry]:
    """Programs, then plans, each A to Z by the name shown (ignoring case).

    A bundled plan comes before the user's copy of it of the same name; the
    path settles any other tie, so the order never depends on the folders' order.
    """

    def key(entry: Entry) -> tuple[bool, str, bool, str]:
        return (
            not isinstance(entry, ProgramEntry),
            shown_name(entry).casefold(),
            not entry.bundled,
            str(entry.path),
        )

    return sorted(entries, key=key)


def last_run_index(entries: list[Entry], sessions: list[SessionRecord], athlete: str) -> int | None:
    """Where in ``entries`` the plan (or program) of ``athlete``'s newest session is, if listed.

    A program session finds its program. A plan session finds its file (the log keeps
    the file's name) holding a plan of that name, else its file, else a plan of that
    name; the user's own copy before a bundled plan, as that is the one they edit and run.
    """
    wanted = athlete_key(athlete)
    theirs = chronological(s for s in sessions if athlete_key(s.athlete) == wanted)
    if not theirs:
        return None
    latest = theirs[-1]
    if latest.program is not None:
        name = latest.program.name
        return next(
            (
                index
                for index, entry in enumerate(entries)
                if isinstance(entry, ProgramEntry) and entry.program and entry.program.name == name
            ),
            None,
        )
    plans = [
        (entry.bundled, index, entry)
        for index, entry in enumerate(entries)
        if isinstance(entry, PlanEntry) and entry.plan is not None
    ]
    plans.sort(key=lambda item: item[0])  # stable: the user's own plans first
    file_name = latest.plan_file
    for same_file, same_name in ((True, True), (True, False), (False, True)):
        for _, index, entry in plans:
            assert entry.plan is not None
            if same_file and entry.path.name != file_name:
                continue
            if same_name and entry.plan.name != latest.plan:
                continue
            return index
    return None


def starter_index(entries: list[Entry]) -> int | None:
    """Where the bundled starter plan is in ``entries``, if it is listed."""
    return next(
        (
            index
            for index, entry in enumerate(entries)
            if isinstance(entry, PlanEntry) and entry.bundled and entry.path.stem == STARTER_STEM
        ),
        None,
    )


def broken_label(entry: Entry) -> Text:
    """Two lines for a file that does not load: its name, then its first error."""
    assert entry.error is not None
    return Text.assemble(
        ("✗ ", "bold red"), (entry.path.name, "bold"), "\n", (str(entry.error.first), "red")
    )


def program_label(entry: ProgramEntry, progress: ProgramProgress | None) -> Text:
    """Two lines per program: its name, then where the athlete is in it."""
    if entry.program is None:
        return broken_label(entry)
    program = entry.program
    where = f"{len(program.weeks)} weeks · {program.session_count} sessions"
    if progress is not None and not progress.is_new:
        slot = progress.next_slot
        where = (
            "complete" if slot is None else f"next: week {slot[0]}, session {slot[1]}"
        ) + f" · {progress.sessions_done}/{progress.session_count}"
    return Text.assemble(("▦ " + program.name, "bold"), "\n", (where, "dim"))


def entry_label(entry: PlanEntry) -> Text:
    """Two lines per plan: its name, then its length (or the file and its first error)."""
    if entry.plan is None:
        return broken_label(entry)
    plan = entry.plan
    # ★ the user's own plan; ⇄ a workout of another app's (a .zwo), made into a plan.
    mark = "⇄ " if entry.converted_from else "" if entry.bundled else "★ "
    length = f"{format_clock(plan.total_s)} · {format_clock(plan.backward_s)} back"
    if entry.converted_from:
        length += f" · {entry.path.suffix.lstrip('.')}"
    label = Text.assemble((mark + plan.name, "bold"), "\n", (length, "dim"))
    if entry.warnings:
        # A hint to look at the preview, not an error: the plan still runs.
        label.append(f"  ⚠ {len(entry.warnings)}", style="yellow")
    return label


def same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one file (by where they lead, where that can be found)."""
    try:
        return one.resolve() == other.resolve()
    except (OSError, RuntimeError):
        return one.absolute() == other.absolute()


def program_entries(entries: Iterable[Entry]) -> dict[str, ProgramEntry]:
    """The programs that loaded, by name."""
    return {
        entry.program.name: entry
        for entry in entries
        if isinstance(entry, ProgramEntry) and entry.program is not None
    }


def latest_program(
    programs: Mapping[str, ProgramEntry],
    sessions: Sequence[SessionRecord],
    athlete: str,
    restarted: Iterable[str],
    restarted_at: datetime | None,
) -> str | None:
    """The name of the program ``athlete`` ran (or restarted) most recently, if any."""
    wanted = athlete_key(athlete)
    latest = next(
        (
            session
            for session in reversed(sessions)
            if session.program is not None
            and session.program.name in programs
            and athlete_key(session.athlete) == wanted
        ),
        None,
    )
    name = latest.program.name if latest is not None and latest.program else None
    # A restart pressed after the latest program session is the newer intention.
    again = [
        program
        for program in restarted
        if program in programs
        and (latest is None or restarted_at is None or restarted_at > latest.ended)
    ]
    return again[0] if again else name
