"""The preview of a plan: totals, safety warnings and a timeline of its steps, or its errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from retro_tui.coach.zones import zone_range_label
from retro_tui.plan.catalog import PlanEntry
from retro_tui.plan.durations import format_clock
from retro_tui.plan.errors import PlanError
from retro_tui.plan.model import Plan, Step

MAX_ROWS = 200


def speed_text(plan: Plan, step: Step) -> str:
    return f"{step.speed:.1f} {plan.units.label}" if step.speed is not None else ""


def step_summary(plan: Plan, step: Step) -> str:
    """``Recovery 1:30 at 3.0 mph, 2 %`` for the "next" line and the preview."""
    text = f"{step.name} {format_clock(step.duration_s)}"
    if step.speed is not None:
        text += f" at {speed_text(plan, step)}"
    if step.incline:
        text += f", {step.incline:g} % incline"
    return text


def totals_line(plan: Plan) -> Text:
    intervals = plan.backward_intervals
    return Text.assemble(
        (format_clock(plan.total_s), "bold"),
        " total · ",
        (format_clock(plan.backward_s), "bold"),
        " backward · ",
        (str(intervals), "bold"),
        f" backward interval{'s' if intervals != 1 else ''}",
    )  # fmt: skip


def warning_lines(entry: PlanEntry) -> list[Text]:
    """``Safety, line 12: message`` for each linter warning: worth a look, but the plan runs."""
    lines = []
    for issue in entry.warnings:
        where = f"line {issue.line}" if issue.line is not None else entry.path.name
        if issue.key:
            where += f" ({issue.key})"
        lines.append(
            Text.assemble(("Safety, ", "bold yellow"), (f"{where}: {issue.message}", "yellow"))
        )
    return lines


def load_warning_lines(warnings: Sequence[str]) -> list[Text]:
    """``Load: ...`` for each warning about doing this session today; it still runs."""
    return [Text.assemble(("Load: ", "bold yellow"), (warning, "yellow")) for warning in warnings]


def broken_preview(what: str, path: Path, error: PlanError | None) -> RenderableType:
    """Why a plan or program file cannot run: every problem, and what to do about it."""
    assert error is not None
    lines = [Text(f"This {what} cannot run:", style="bold red")]
    lines += [Text(str(issue)) for issue in error.issues]
    lines.append(Text(f"\nFix {path} and press r to reload.", style="dim"))
    return Group(*lines)


def plan_preview(entry: PlanEntry, load_warnings: Sequence[str] = ()) -> RenderableType:
    """The plan's preview; ``load_warnings``: what doing it today would do to the load."""
    if entry.plan is None:
        return broken_preview("plan", entry.path, entry.error)
    plan = entry.plan
    header: list[RenderableType] = [Text(plan.name, style="bold")]
    if plan.summary:
        header.append(Text(plan.summary))
    details = [str(plan.level) if plan.level else "", entry.path.name]
    if entry.converted_from:
        details.append(f"a {entry.converted_from}, converted: e makes a plan of it to edit")
    header.append(Text(" · ".join(part for part in details if part), style="dim"))
    header.append(totals_line(plan))
    header += warning_lines(entry)
    header += load_warning_lines(load_warnings)
    table = Table(box=None, pad_edge=False, expand=True, show_edge=False)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("step", overflow="ellipsis", no_wrap=True, ratio=1)
    table.add_column("dir", no_wrap=True)
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column(plan.units.label, justify="right", no_wrap=True)
    table.add_column("incl", justify="right", no_wrap=True)
    # A heart-rate column only for a plan that sets a target zone somewhere.
    zones = any(step.target_hr_zone is not None for step in plan.steps)
    if zones:
        table.add_column("HR", justify="right", no_wrap=True)
    for number, step in enumerate(plan.steps[:MAX_ROWS], start=1):
        direction = Text("BACK", style="bold") if step.is_backward else Text("fwd")
        cells: list[str | Text] = [
            str(number),
            Text(step.name),
            direction,
            format_clock(step.duration_s),
            f"{step.speed:.1f}" if step.speed is not None else "",
            f"{step.incline:g} %" if step.incline else "",
        ]
        if zones:
            target = step.target_hr_zone
            cells.append(zone_range_label(target) if target is not None else "")
        table.add_row(*cells)
    if len(plan.steps) > MAX_ROWS:
        more = Text(f"... and {len(plan.steps) - MAX_ROWS} more steps")
        table.add_row("", more, *[""] * (len(table.columns) - 2))
    return Group(*header, Text(""), table)
