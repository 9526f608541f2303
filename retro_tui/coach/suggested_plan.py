"""The suggested plan as a file: the original with the one change, saved beside the user's plans.

:func:`suggested_plan_text` edits the original TOML document in place, keeping
its comments, order and layout (tomlkit), adds a comment header with the
suggestion and its reason and a note on the name, and checks that the result
loads and expands to exactly the intended timeline. :func:`save_suggested_plan`
saves it under a new name, never over an existing file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from retro_tui.coach.plan_changes import (
    plan_change,
    warning_count,
)
from retro_tui.coach.suggestion import (
    LEVEL_LIMITS,
    SuggestedPlanError,
    Suggestion,
    SuggestionKind,
    plain_text,
)
from retro_tui.files import create_new
from retro_tui.plan.errors import PlanError
from retro_tui.plan.limits import MAX_NAME_CHARS, MAX_SUMMARY_CHARS
from retro_tui.plan.loader import parse_plan_bytes, parse_plan_text
from retro_tui.plan.model import (
    Plan,
    Step,
)
from retro_tui.tomltext import MAX_FILE_BYTES

# -- writing the suggested plan ----------------------------------------------------------------

_NOTE = re.compile(r"\s*\((?:next|easier): [^()]*\)\s*$")
_HEADER_START = "# Suggested by retro-tui from "
_SUGGESTED_STEM = re.compile(r"-next(?:-\d+)?$")


def suggested_name(name: str, suggestion: Suggestion, note: str) -> str:
    """``Retro starter (next: 45 s intervals)``: an earlier note replaced, within the name limit."""
    base = _NOTE.sub("", name) or name
    word = "easier" if suggestion.kind is SuggestionKind.BACK else "next"
    suffix = f" ({word}: {note})"
    room = MAX_NAME_CHARS - len(suffix)
    if len(base) > room:
        base = base[: room - 1].rstrip() + "…"
    return base + suffix


def _step_signature(steps: Sequence[Step]) -> list[tuple[object, ...]]:
    return [
        (
            step.name,
            step.kind,
            step.direction,
            step.duration_s,
            step.speed,
            step.incline,
            step.rate,
            step.target_rpe,
            step.target_hr_zone,
            step.cues,
        )
        for step in steps
    ]


def _read_plan_file(plan_path: Path) -> bytes:
    try:
        with plan_path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise SuggestedPlanError(plan_path, f"cannot be read: {error.strerror or error}") from None


def suggested_plan_text(plan_path: Path, suggestion: Suggestion) -> str | None:
    """The plan at ``plan_path`` with the suggested change, as TOML text; ``None`` for hold.

    The original document is edited in place (repeat blocks, ladders, inline tables,
    comments and layout stay as they were written) and the result is checked to
    load and to expand to the original timeline with exactly the one change. Raises
    :class:`SuggestedPlanError` if the file can't be read, is no longer a valid plan, or no
    longer allows the change (it was edited since the suggestion was made).
    """
    if suggestion.variable is None:
        return None
    plan_path = Path(plan_path)
    label = str(plan_path)
    data = _read_plan_file(plan_path)
    try:
        plan = parse_plan_bytes(data, label, source=plan_path)
    except PlanError as error:
        raise SuggestedPlanError(
            plan_path, f"is not a valid plan any more: {error.first.message}"
        ) from None
    increase = suggestion.kind is not SuggestionKind.BACK
    change = plan_change(plan, LEVEL_LIMITS[plan.level], suggestion.variable, increase=increase)
    if change is None:
        raise SuggestedPlanError(
            plan_path,
            f"the plan no longer allows this change ({suggestion.kind}: "
            f"{suggestion.variable}); was it edited since the session?",
        )
    original = data.decode("utf-8-sig")
    try:
        # tomlkit keeps what the person wrote: comments, key order, layout, quoting.
        document = tomlkit.parse(original)
        change.edit(document)
    except (KeyError, IndexError, TypeError, ValueError, TOMLKitError) as error:
        raise SuggestedPlanError(plan_path, f"cannot apply the change: {error}") from None
    head = document["plan"]
    head["name"] = suggested_name(plan.name, suggestion, change.name_note)
    # The summary may quote the old numbers ("three 30-second intervals"): say what changed.
    note = f"Changed from {plain_text(plan_path.name, 60)}: {change.wording}."
    summary = f"{plan.summary}\n\n{note}" if plan.summary else note
    if len(summary) <= MAX_SUMMARY_CHARS:
        head["summary"] = tomlkit.string(summary, multiline="\n" in summary)
    header = "".join(
        f"# {plain_text(line, 200)}\n"
        for line in (
            f"Suggested by retro-tui from {plan_path.name}:",
            suggestion.text,
            suggestion.reason,
        )
    )
    text = header + "\n" + _without_suggestion_header(tomlkit.dumps(document))
    try:
        suggested = parse_plan_text(text, label)
    except PlanError as error:  # a bug here, never the user's doing: say so plainly
        raise SuggestedPlanError(
            plan_path, f"the suggested plan would not load: {error.first}"
        ) from None
    if _step_signature(suggested.steps) != _step_signature(change.steps):
        raise SuggestedPlanError(plan_path, "the suggested plan came out different than intended")
    if warning_count(suggested) > warning_count(plan):
        raise SuggestedPlanError(
            plan_path, "the suggested plan would break a safety rule the original keeps"
        )
    return text


def _without_suggestion_header(text: str) -> str:
    """A suggested plan's text without the comment header an earlier suggestion put on top.

    A plan suggested from a suggested plan gets one header, the new one, and keeps
    every comment of the person's own.
    """
    if not text.startswith(_HEADER_START):
        return text
    lines = text.splitlines(keepends=True)
    end = 0
    while end < len(lines) and lines[end].startswith("#"):
        end += 1
    while end < len(lines) and not lines[end].strip():
        end += 1
    return "".join(lines[end:])


MAX_SUGGESTED_FILES = 999


def suggested_file_names(stem: str) -> list[str]:
    """``starter-next.toml``, ``starter-next-2.toml``, ...: the names tried, in order."""
    base = _SUGGESTED_STEM.sub("", stem) or stem
    return [f"{base}-next.toml"] + [
        f"{base}-next-{number}.toml" for number in range(2, MAX_SUGGESTED_FILES + 1)
    ]


def save_suggested_plan(plan: Plan, suggestion: Suggestion, folder: Path) -> Path:
    """Save the suggested plan as a new file in ``folder`` and return its path.

    The name comes from the original file's stem (``starter.toml`` -> ``starter-next.toml``,
    then ``starter-next-2.toml``, ...); an existing file is never overwritten, and the file
    appears complete or not at all. Raises :class:`SuggestedPlanError` (naming the file)
    when the plan has no file, the suggestion is to hold, or the file can't be written.
    """
    if plan.source is None:
        raise SuggestedPlanError(plan.file_label, "the plan has no file to build on")
    text = suggested_plan_text(plan.source, suggestion)
    if text is None:
        raise SuggestedPlanError(plan.source, "nothing to save: the suggestion is to hold")
    data = text.encode("utf-8")
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SuggestedPlanError(
            folder, f"cannot create the plans folder: {error.strerror or error}"
        ) from None
    for name in suggested_file_names(plan.source.stem):
        target = folder / name
        if target.exists() or target.is_symlink():
            continue
        try:
            create_new(target, data)
        except FileExistsError:
            continue  # made by someone else since the check: try the next name
        except OSError as error:
            raise SuggestedPlanError(
                target, f"cannot be written: {error.strerror or error}"
            ) from None
        return target
    raise SuggestedPlanError(
        folder, f"already holds {MAX_SUGGESTED_FILES} suggested plans for {plan.source.name}"
    )
