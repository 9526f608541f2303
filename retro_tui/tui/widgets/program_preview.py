"""The preview of a multi-week program: every week's sessions ticked off, and what is next."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from retro_tui.coach.programs import ProgramProgress
from retro_tui.plan.catalog import ProgramEntry
from retro_tui.plan.durations import format_clock
from retro_tui.plan.program import ProgramSession
from retro_tui.tui.widgets.plan_preview import broken_preview, load_warning_lines


def session_mark(progress: ProgramProgress, session: ProgramSession) -> str:
    """``▶`` for the session the program offers next, ``✓`` for one done, else nothing."""
    if progress.next_slot == session.slot:
        return "▶"
    return "✓" if progress.is_done(session.week, session.number) else ""


def next_line(progress: ProgramProgress) -> Text:
    """``Next: week 2, session 3 · Retro starter (29:00)`` or that the program is done."""
    session = progress.next_session
    if session is None:
        return Text("Program complete", style="bold")
    return Text.assemble(
        ("Next: ", "bold"),
        (f"week {session.week}, session {session.number}", "bold"),
        " · ",
        session.plan.name,
        (f" ({format_clock(session.plan.total_s)})", "dim"),
    )


def program_preview(
    entry: ProgramEntry, progress: ProgramProgress | None, load_warnings: Sequence[str] = ()
) -> RenderableType:
    """The program's weeks; ``load_warnings``: what its next session today would do to the load."""
    if entry.program is None:
        return broken_preview("program", entry.path, entry.error)
    program = entry.program
    parts: list[RenderableType] = [Text(program.name, style="bold")]
    if program.summary:
        parts.append(Text(program.summary))
    parts.append(
        Text(
            f"program · {len(program.weeks)} weeks · {program.session_count} sessions · "
            f"{entry.path.name}",
            style="dim",
        )
    )
    if progress is not None:
        done = progress.sessions_done
        parts.append(Text(f"{done} of {progress.session_count} sessions done"))
        parts.append(next_line(progress))
        if progress.note:
            parts.append(Text(progress.note, style="italic"))
        parts += load_warning_lines(load_warnings)
        keys = Text()
        if not progress.finished:
            keys.append("Enter", style="bold reverse")
            keys.append(" start the next session  ")
        keys.append("c", style="bold reverse")
        keys.append(" choose one  ")
        keys.append("w", style="bold reverse")
        keys.append(" calendar  ")
        keys.append("R", style="bold reverse")
        keys.append(" start again from week 1")
        parts.append(keys)
    table = Table(box=None, pad_edge=False, expand=True, show_edge=False)
    table.add_column("", no_wrap=True, width=2)
    table.add_column("session", overflow="ellipsis", no_wrap=True, ratio=1)
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("back", justify="right", no_wrap=True)
    for week in program.weeks:
        table.add_row("", Text(week.name, style="bold"), "", "")
        for session in week.sessions:
            mark = session_mark(progress, session) if progress is not None else ""
            table.add_row(
                mark,
                Text(f"{session.number}. {session.plan.name}"),
                format_clock(session.plan.total_s),
                format_clock(session.plan.backward_s),
            )
    return Group(*parts, Text(""), table)
