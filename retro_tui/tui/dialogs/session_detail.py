"""One session in full: every step as run (planned against actual), ratings, notes, status.

Keys this version does not know (a hand-written log, a newer version) are
listed as they are rather than hidden.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from retro_tui.history.record import SessionRecord, SessionStatus
from retro_tui.history.stats import session_summary, show
from retro_tui.plan.durations import format_clock

STATUS_WORDS = {
    SessionStatus.COMPLETED: "completed",
    SessionStatus.ABORTED: "ENDED EARLY",
    SessionStatus.RECOVERED: "RECOVERED after the program stopped mid-workout",
}


def _value(value: Any) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def session_detail(session: SessionRecord) -> RenderableType:
    summary = session_summary(session)
    head = Text()
    head.append(session.plan, style="bold")
    head.append(f"\n{session.started:%A %Y-%m-%d %H:%M} · ")
    head.append(STATUS_WORDS[session.status], style="bold")
    head.append(
        f"\n{format_clock(summary.total_s)} moving · {format_clock(summary.backward_s)} backward"
    )
    if summary.session_rpe is not None:
        head.append(f" · session RPE {summary.session_rpe}")
    if summary.session_load is not None:
        head.append(f" · load {summary.session_load:.0f}")
    if summary.avg_interval_rpe is not None:
        head.append(f" · average interval RPE {show(summary.avg_interval_rpe, 1)}")
    if session.notes:
        head.append("\nNotes: ", style="bold")
        head.append(session.notes)

    steps = Table(box=None, expand=True, header_style="bold")
    for name, justify in (
        ("#", "right"), ("step", "left"), ("dir", "left"), ("planned", "right"),
        ("actual", "right"), (session.units, "right"), ("incl", "right"),
        ("RPE", "right"), ("", "left"),
    ):  # fmt: skip
        steps.add_column(name, justify=justify, no_wrap=name != "step")  # type: ignore[arg-type]
    for number, step in enumerate(session.steps, start=1):
        steps.add_row(
            str(number),
            Text(step.name),
            "BACK" if step.is_backward else "fwd",
            format_clock(step.planned_s),
            format_clock(step.actual_s),
            "" if step.speed is None else f"{step.speed:.1f}",
            "" if not step.incline else f"{step.incline:g} %",
            _value(step.rpe),
            "skipped" if step.skipped else "",
        )
    parts: list[RenderableType] = [head, Text(""), steps]
    extra = dict(session.extra)
    for number, step in enumerate(session.steps, start=1):
        extra.update({f"step {number}: {key}": value for key, value in step.extra.items()})
    if extra:
        lines = Text("\nOther keys in the log:", style="bold")
        for key, value in extra.items():
            lines.append(f"\n  {key} = {value!r}")
        parts.append(lines)
    return Group(*parts)


class SessionDetailDialog(ModalScreen[None]):
    """Shows one session; Escape, q or Enter closes it."""

    BINDINGS = [Binding("escape,q,enter", "close", "Close")]

    def __init__(self, session: SessionRecord) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="session-detail"):
            yield Static(session_detail(self.session), id="session-detail-body")

    def action_close(self) -> None:
        self.dismiss()
