"""One session in full: every step as run (planned against actual), ratings, notes, status.

Also who trained, any pain they reported, which program session it was, the
change suggested for next time as it was shown then, the minutes in each
heart-rate zone when a strap counted them (a bar a zone), and an energy
estimate when the body mass of that session's athlete is known (and nothing
about energy when it is not). Keys this version does not know (a hand-written log, a newer
version) are listed as they are rather than hidden.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from retro_tui.coach.energy import BACKWARD_FACTOR, format_energy, session_energy
from retro_tui.coach.zones import zone_name
from retro_tui.history.record import SessionRecord, SessionStatus
from retro_tui.plan.durations import elapsed_shares, format_clock, format_elapsed
from retro_tui.presentation import session_summary, show
from retro_tui.tui.screens.base import RetroDialog, ScreenHelp
from retro_tui.tui.themes import ZONE_COLOURS

STATUS_WORDS = {
    SessionStatus.COMPLETED: "completed",
    SessionStatus.ENDED_EARLY: "ended early",
    SessionStatus.RECOVERED: "recovered (the program stopped mid-workout; kept by its journal)",
}


NEXT_TIME = "Next time:"

STEP_NAME_MIN = 8
"""A step's name wraps in a narrow dialog, but never down to nothing."""
ZONE_BAR_CELLS = 20
"""The bar of the zone the session spent longest in; the others in proportion."""


def _value(value: Any) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _pain_words(level: int, where: str) -> str:
    if level == 0:
        return "none (0/10)"
    return f"{level}/10" + (f", {where.strip()}" if where.strip() else "")


def _suggestion_words(text: str) -> str:
    # Suggestions are saved as shown on the summary, "Next time: ...": under the label
    # "Suggested next time" that opening would be said twice.
    words = text.strip()
    if words.casefold().startswith(NEXT_TIME.casefold()):
        words = words[len(NEXT_TIME) :].strip()
    return words


def _labelled(text: Text, label: str, value: str) -> None:
    """A new line ``label: value``; the value is the log's own text, appended as plain text."""
    text.append(f"\n{label}: ", style="bold")
    text.append(value)


def _energy_lines(session: SessionRecord, body_mass_kg: float, text: Text) -> None:
    estimate = session_energy(session, body_mass_kg)
    if estimate is None:
        _labelled(text, "Energy", "no estimate: no step has a speed to estimate from")
        return
    _labelled(text, "Energy", format_energy(estimate))
    if estimate.backward_kcal > 0:
        text.append(f", ≈ {estimate.backward_kcal:.0f} kcal of it backward")
    text.append(
        f"\n  ACSM treadmill equations for {body_mass_kg:g} kg; backward steps count as the "
        f"forward estimate x {BACKWARD_FACTOR:g}, our inference from studies of backward "
        "running, not a published equation.",
        style="dim",
    )


def zone_lines(seconds: tuple[float, ...]) -> Text:
    """Time in each heart-rate zone: ``Z3 Steady    12:30  ██████`` a zone, longest bar
    :data:`ZONE_BAR_CELLS` wide, the others in proportion (none for a zone not reached)."""
    text = Text("Time in heart-rate zones", style="bold")
    longest = max(seconds)
    # Whole seconds that add up to the whole's, as the steps' times do.
    shown = elapsed_shares(seconds)
    for zone, (spent, whole) in enumerate(zip(seconds, shown, strict=True), start=1):
        cells = round(spent / longest * ZONE_BAR_CELLS) if longest > 0 else 0
        if spent > 0:
            cells = max(cells, 1)  # a few seconds in a zone still show
        text.append(f"\n  Z{zone} {zone_name(zone):<9}{format_elapsed(whole):>7}  ")
        text.append("█" * cells, style=ZONE_COLOURS[zone - 1])
    return text


def session_detail(session: SessionRecord, body_mass_kg: float | None = None) -> RenderableType:
    """The session's detail; an energy estimate only with the athlete's ``body_mass_kg``."""
    summary = session_summary(session)
    head = Text()
    head.append(session.plan, style="bold")
    if session.program is not None:
        slot = session.program
        _labelled(head, "Program", f"{slot.name}, week {slot.week}, session {slot.session}")
    head.append(f"\n{session.started:%A %Y-%m-%d %H:%M} · ")
    head.append(STATUS_WORDS[session.status], style="bold")
    if session.athlete.strip():
        _labelled(head, "Athlete", session.athlete.strip())
    moving, backward = format_elapsed(summary.total_s), format_elapsed(session.backward_shown_s)
    head.append(f"\n{moving} moving · {backward} backward")
    if summary.session_rpe is not None:
        head.append(f" · session RPE {summary.session_rpe}")
    if summary.session_load is not None:
        head.append(f" · load {summary.session_load:.0f}")
    if summary.avg_interval_rpe is not None:
        head.append(f" · average interval RPE {show(summary.avg_interval_rpe, 1)}")
    if session.pain is not None:
        _labelled(head, "Pain", _pain_words(session.pain, session.pain_where))
    if body_mass_kg is not None:
        _energy_lines(session, body_mass_kg, head)
    if session.suggestion_text.strip():
        _labelled(head, "Suggested next time", _suggestion_words(session.suggestion_text))
    if session.notes:
        _labelled(head, "Notes", session.notes)
    if session.damage:
        line = f" (line {session.line} of the log)" if session.line else ""
        head.append(f"\n! Damaged{line}: ", style="bold")
        head.append("; ".join(session.damage))

    # One space between columns, not two: at 60 columns the step's name then keeps room.
    steps = Table(box=None, expand=True, header_style="bold", collapse_padding=True, pad_edge=False)
    for name, justify in (
        ("#", "right"), ("step", "left"), ("dir", "left"), ("planned", "right"),
        ("actual", "right"), (session.units, "right"), ("incl", "right"),
        ("RPE", "right"), ("", "left"),
    ):  # fmt: skip
        steps.add_column(
            name,
            justify=justify,  # type: ignore[arg-type]
            no_wrap=name != "step",
            min_width=STEP_NAME_MIN if name == "step" else None,
        )
    # Each row's time is its share of the session's running clock, so the rows add up to the
    # time moving above (five steps of 5.014 s read 0:05 each and 0:25 in all).
    shares = elapsed_shares(step.actual_s for step in session.steps)
    for number, (step, share) in enumerate(zip(session.steps, shares, strict=True), start=1):
        steps.add_row(
            str(number),
            Text(step.name),
            "BACK" if step.is_backward else "fwd",
            format_clock(step.planned_s),
            format_elapsed(share),
            "" if step.speed is None else f"{step.speed:.1f}",
            "" if not step.incline else f"{step.incline:g} %",
            _value(step.rpe),
            "skipped" if step.skipped else "",
        )
    parts: list[RenderableType] = [head, Text(""), steps]
    if session.heart_rate_zone_s is not None:
        parts += [Text(""), zone_lines(session.heart_rate_zone_s)]
    extra = dict(session.extra)
    for number, step in enumerate(session.steps, start=1):
        extra.update({f"step {number}: {key}": value for key, value in step.extra.items()})
    if extra:
        lines = Text("\nOther keys in the log:", style="bold")
        for key, value in extra.items():
            lines.append(f"\n  {key} = {value!r}")
        parts.append(lines)
    return Group(*parts)


class SessionDetailDialog(RetroDialog[None]):
    """Shows one session; Escape, q or Enter closes it."""

    ABOUT = ScreenHelp(
        "Session",
        "One saved session step by step: planned against actual, with ratings.",
    )

    BINDINGS = [Binding("escape,q,enter", "close", "Close")]

    def __init__(self, session: SessionRecord, *, body_mass_kg: float | None = None) -> None:
        """``body_mass_kg``: the mass of the session's athlete; ``None`` shows no energy."""
        super().__init__()
        self.session = session
        self.body_mass_kg = body_mass_kg

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="session-detail"):
            # The keys first, like every dialog's: a long session scrolls under them.
            yield Static(
                Text.assemble(("↑↓", "bold reverse"), " scroll  ", ("Esc", "bold reverse"),
                              " close"),
                id="session-detail-keys",
            )  # fmt: skip
            yield Static(session_detail(self.session, self.body_mass_kg), id="session-detail-body")

    def action_close(self) -> None:
        self.dismiss()
