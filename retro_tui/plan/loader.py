"""Read a plan file (TOML, format v1), check every key, and expand it into a :class:`Plan`.

The loader is strict because a plan drives a treadmill: an unknown key is a
typo that would silently change a workout, so it is an error with a "did you
mean". Every problem is reported with the file, the line of the offending key
(or table header) and its key path, and all problems of a file are reported
at once. Nothing is returned unless the whole plan is valid.

The format is documented in ``docs/plan-format.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from retro_tui.plan.checker import DocumentChecker, show_value, type_name
from retro_tui.plan.durations import format_duration
from retro_tui.plan.errors import PlanError, PlanIssue, as_plan_error
from retro_tui.plan.limits import (
    HEART_RATE_ZONES,
    MAX_CUE_CHARS,
    MAX_DEPTH,
    MAX_NAME_CHARS,
    MAX_REPEAT,
    MAX_STEPS,
    MAX_SUMMARY_CHARS,
    MAX_TOTAL_S,
)
from retro_tui.plan.model import (
    Cue,
    Direction,
    Kind,
    Level,
    Origin,
    Plan,
    Step,
    Units,
    default_step_name,
)
from retro_tui.tomltext import (
    KeyPath,
    LineLocator,
    decode_toml,
    did_you_mean,
    display_path,
    parse_toml,
    read_toml_bytes,
)

PLAN_KEYS = ("name", "summary", "units", "level", "cues")
STEP_KEYS = (
    "name",
    "kind",
    "direction",
    "duration",
    "speed",
    "incline",
    "cues",
    "rate",
    "target_rpe",
    "target_hr_zone",
)
BLOCK_KEYS = ("name", "repeat", "step")
LADDER_STEP_KEYS = (
    "name", "kind", "direction", "ladder", "incline", "cues", "rate", "target_rpe",
    "target_hr_zone",
)  # fmt: skip
LADDER_KEYS = ("from", "to", "by", "hold")
CUE_KEYS = ("at", "text")

_E = TypeVar("_E", Kind, Direction, Units, Level)


def load_plan(path: Path | str) -> Plan:
    """Read and validate the plan file at ``path``; raise :class:`PlanError` if it can't run."""
    path = Path(path)
    with as_plan_error():
        data = read_toml_bytes(path, "plan")
    return parse_plan_bytes(data, str(path), source=path)


def parse_plan_bytes(data: bytes, label: str = "<plan>", source: Path | None = None) -> Plan:
    """Validate plan bytes as read from a file (size and encoding checks included)."""
    with as_plan_error():
        text = decode_toml(data, label, "plan")
    return parse_plan_text(text, label, source)


def parse_plan_text(text: str, label: str = "<plan>", source: Path | None = None) -> Plan:
    """Validate plan text and return the expanded :class:`Plan`."""
    locator = LineLocator(text)
    with as_plan_error():
        document = parse_toml(text, label, "plan", locator=locator)
    return plan_from_document(document, label, locator, (), source)


def plan_from_document(
    document: dict[str, object],
    label: str,
    locator: LineLocator,
    prefix: KeyPath = (),
    source: Path | None = None,
) -> Plan:
    """Validate an already parsed plan document, which may sit inside a bigger file.

    A program file holds whole plans under ``week[N].session[M]``: ``prefix`` is
    that key path, prepended to every reported key path and used to look up
    lines (of errors and of the steps' :class:`Origin`) in ``locator``, which
    maps the whole file. Raises :class:`PlanError` with every problem found.
    """
    checker = _PlanReader(label, locator, prefix)
    plan = checker.plan(document, source)
    if checker.issues or plan is None:
        # Top to bottom, as a person fixes a file.
        issues = sorted(checker.issues, key=lambda issue: issue.line or 0)
        raise PlanError(
            (issues or [PlanIssue(label, 1, display_path(prefix), "not a valid plan")])
            + checker.more_problems()
        )
    return plan


# -- intermediate, validated tree (before expansion) -----------------------------------


@dataclass
class _Common:
    name: str | None
    kind: Kind
    direction: Direction
    incline: float | None
    cues: tuple[Cue, ...]
    rate: bool
    target_rpe: int | None
    target_hr_zone: tuple[int, int] | None


@dataclass
class _PlainNode:
    path: tuple[int, ...]
    line: int
    common: _Common
    duration_s: int
    speed: float | None

    def count(self) -> int:
        return 1

    def seconds(self) -> int:
        return self.duration_s


@dataclass
class _LadderNode:
    path: tuple[int, ...]
    line: int
    common: _Common
    speeds: tuple[float, ...]
    hold_s: int

    def count(self) -> int:
        return len(self.speeds)

    def seconds(self) -> int:
        return len(self.speeds) * self.hold_s


@dataclass
class _BlockNode:
    path: tuple[int, ...]
    line: int
    name: str | None
    repeat: int
    children: list[_Node] = field(default_factory=list)

    def count(self) -> int:
        return self.repeat * sum(child.count() for child in self.children)

    def seconds(self) -> int:
        return self.repeat * sum(child.seconds() for child in self.children)


_Node = _PlainNode | _LadderNode | _BlockNode


class _PlanReader(DocumentChecker):
    """Walks the parsed TOML, collecting every problem, and builds the plan if there are none."""

    # -- plan ------------------------------------------------------------------------

    def plan(self, document: dict[str, object], source: Path | None) -> Plan | None:
        self.check_keys(document, (), ("plan", "step"), "a plan file")
        head = document.get("plan")
        name: str | None = None
        summary: str | None = None
        level: Level | None = None
        plan_cues: tuple[str, ...] = ()
        if head is None:
            self.error((), 'missing the [plan] table: start the file with [plan] and name = "..."')
        elif not isinstance(head, dict):
            self.error(("plan",), f"must be a table ([plan]), not {type_name(head)}")
        else:
            self.check_keys(head, ("plan",), PLAN_KEYS, "[plan]")
            name = self.text(head, "name", ("plan",), limit=MAX_NAME_CHARS, required=True)
            summary = self.text(head, "summary", ("plan",), limit=MAX_SUMMARY_CHARS, multiline=True)
            self.units = self.choice(head, "units", ("plan",), Units, Units.MPH)
            if "level" in head:
                level = self.choice(head, "level", ("plan",), Level, Level.BEGINNER)
            plan_cues = self.plan_cues(head)

        nodes = self.step_list(document, (), (), depth=1)
        if nodes is not None and not self.issues:
            self.check_size(nodes)
        if self.issues or nodes is None or name is None:
            return None
        steps = tuple(self.expand(nodes))
        return Plan(
            name=name,
            steps=steps,
            summary=summary or "",
            units=self.units,
            level=level,
            cues=plan_cues,
            source=source,
        )

    def plan_cues(self, head: Mapping[str, object]) -> tuple[str, ...]:
        cues, _ = self.cue_list(head, ("plan", "cues"))
        return cues  # the good ones: a plan keeps them while its mistakes are reported

    # -- steps -----------------------------------------------------------------------

    def step_list(
        self, table: Mapping[str, object], path: KeyPath, origin: tuple[int, ...], depth: int
    ) -> list[_Node] | None:
        key_path = path + ("step",)
        raw = table.get("step")
        if raw is None or raw == []:
            if depth == 1:
                self.error(key_path, "the plan has no steps: add at least one [[step]]")
            else:
                self.error(path, "a repeat block needs its own steps: add [[step.step]] tables")
            return None
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            self.error(key_path, "must be a list of step tables ([[step]] or step = [{ ... }])")
            return None
        nodes: list[_Node] = []
        for index, item in enumerate(raw):
            node = self.step(item, key_path + (index,), origin + (index,), depth)
            if node is not None:
                nodes.append(node)
        return nodes if len(nodes) == len(raw) else None

    def step(
        self, table: dict[str, object], path: KeyPath, origin: tuple[int, ...], depth: int
    ) -> _Node | None:
        line = self.line_of(path)
        if "repeat" in table or "step" in table:
            if "ladder" in table:
                self.error(path + ("ladder",), "a step is a repeat block or a ladder, not both")
                return None
            return self.block(table, path, origin, depth, line)
        if "ladder" in table:
            return self.ladder(table, path, origin, line)
        return self.plain(table, path, origin, line)

    def block(
        self,
        table: dict[str, object],
        path: KeyPath,
        origin: tuple[int, ...],
        depth: int,
        line: int,
    ) -> _BlockNode | None:
        for key in table:
            if key in BLOCK_KEYS:
                continue
            if key in STEP_KEYS + LADDER_STEP_KEYS:
                self.error(
                    path + (key,),
                    f"a repeat block only holds name, repeat and its steps; "
                    f"put {key} on the steps inside it",
                )
            else:
                hint = did_you_mean(key, BLOCK_KEYS) or "; a repeat block takes: name, repeat, step"
                self.error(path + (key,), f"unknown key{hint}")
        name = self.text(table, "name", path, limit=MAX_NAME_CHARS)
        repeat = table.get("repeat")
        if repeat is None:
            self.error(path, "steps inside a step need repeat = N on the outer step")
            repeat = 1
        elif isinstance(repeat, bool) or not isinstance(repeat, int):
            self.error(path + ("repeat",), f"must be a whole number, not {type_name(repeat)}")
            repeat = 1
        elif repeat < 1:
            self.error(path + ("repeat",), f"must be at least 1, not {repeat}")
            repeat = 1
        elif repeat > MAX_REPEAT:
            self.error(
                path + ("repeat",), f"{show_value(repeat)} repeats is more than {MAX_REPEAT}"
            )
            repeat = 1
        if depth >= MAX_DEPTH:
            self.error(
                path + ("step",),
                f"steps nest more than {MAX_DEPTH} levels deep; flatten the inner blocks",
            )
            return None
        children = self.step_list(table, path, origin, depth + 1)
        if children is None:
            return None
        return _BlockNode(origin, line, name, repeat, children)

    def common(self, table: Mapping[str, object], path: KeyPath) -> _Common:
        kind = self.choice(table, "kind", path, Kind, Kind.WORK)
        direction = self.choice(table, "direction", path, Direction, Direction.FORWARD)
        rate_default = kind is Kind.WORK and direction is Direction.BACKWARD
        rate = rate_default
        if "rate" in table:
            value = table["rate"]
            if isinstance(value, bool):
                rate = value
            else:
                self.error(path + ("rate",), f"must be true or false, not {type_name(value)}")
        target_rpe: int | None = None
        if "target_rpe" in table:
            value = table["target_rpe"]
            if isinstance(value, bool) or not isinstance(value, int):
                self.error(
                    path + ("target_rpe",), f"must be a whole number 0-10, not {type_name(value)}"
                )
            elif not 0 <= value <= 10:
                self.error(path + ("target_rpe",), f"must be 0-10, not {show_value(value)}")
            else:
                target_rpe = value
        return _Common(
            name=self.text(table, "name", path, limit=MAX_NAME_CHARS),
            kind=kind,
            direction=direction,
            incline=self.incline(table, path),
            cues=(),
            rate=rate,
            target_rpe=target_rpe,
            target_hr_zone=self.target_hr_zone(table, path),
        )

    def target_hr_zone(self, table: Mapping[str, object], path: KeyPath) -> tuple[int, int] | None:
        """``target_hr_zone = 2`` or ``[2, 3]``: the zones to stay in, as (lowest, highest)."""
        if "target_hr_zone" not in table:
            return None
        value, key = table["target_hr_zone"], path + ("target_hr_zone",)
        hint = "a zone 1-5, or two of them like [2, 3]"
        given = value if isinstance(value, list) else [value]
        zones = [zone for zone in given if isinstance(zone, int) and not isinstance(zone, bool)]
        if len(zones) != len(given) or len(zones) != (2 if isinstance(value, list) else 1):
            self.error(key, f"must be {hint}, not {show_value(value)}")
            return None
        wrong = [zone for zone in zones if not 1 <= zone <= HEART_RATE_ZONES]
        if wrong:
            self.error(key, f"zones are 1 to {HEART_RATE_ZONES}, not {show_value(wrong[0])}")
            return None
        low, high = zones[0], zones[-1]
        if low > high:
            self.error(key, f"must go from the lower zone to the higher, like [{high}, {low}]")
            return None
        return (low, high)

    def step_cues(
        self, table: Mapping[str, object], path: KeyPath, step_seconds: int | None
    ) -> tuple[Cue, ...]:
        if "cues" not in table:
            return ()
        value = table["cues"]
        path = path + ("cues",)
        if not isinstance(value, list):
            self.error(path, f"must be a list of cues, not {type_name(value)}")
            return ()
        cues: list[Cue] = []
        for index, item in enumerate(value):
            item_path = path + (index,)
            if isinstance(item, dict):
                self.check_keys(item, item_path, CUE_KEYS, "a timed cue")
                text = self.text(item, "text", item_path, limit=MAX_CUE_CHARS, required=True)
                if "at" not in item:
                    self.error(item_path, 'missing at: when to show it, like at = "15s"')
                    continue
                at = self.duration(item["at"], item_path + ("at",), allow_zero=True)
                if at is not None and step_seconds is not None and at >= step_seconds:
                    self.error(
                        item_path + ("at",),
                        f"{format_duration(at)} is not within the step "
                        f"({format_duration(step_seconds)} long)",
                    )
                    continue
                if text is not None and at is not None:
                    cues.append(Cue(text, at))
            else:
                text = self.check_text(item, item_path, limit=MAX_CUE_CHARS)
                if text is not None:
                    cues.append(Cue(text))
        return tuple(cues)

    def plain(
        self, table: dict[str, object], path: KeyPath, origin: tuple[int, ...], line: int
    ) -> _PlainNode | None:
        self.check_keys(table, path, STEP_KEYS, "a step")
        before = len(self.issues)
        common = self.common(table, path)
        duration: int | None = None
        if "duration" not in table:
            self.error(path, 'missing duration: how long the step lasts, like duration = "30s"')
        else:
            duration = self.duration(table["duration"], path + ("duration",))
        speed = self.speed(table["speed"], path + ("speed",)) if "speed" in table else None
        common.cues = self.step_cues(table, path, duration)
        if duration is None or len(self.issues) > before:
            return None
        return _PlainNode(origin, line, common, duration, speed)

    def ladder(
        self, table: dict[str, object], path: KeyPath, origin: tuple[int, ...], line: int
    ) -> _LadderNode | None:
        before = len(self.issues)
        if "speed" in table:
            self.error(path + ("speed",), "a ladder sets the speed of each rung; remove speed")
        if "duration" in table:
            self.error(
                path + ("duration",), "a ladder holds each speed for ladder.hold; remove duration"
            )
        self.check_keys(
            {key: value for key, value in table.items() if key not in ("speed", "duration")},
            path,
            LADDER_STEP_KEYS,
            "a ladder step",
        )
        common = self.common(table, path)
        raw = table["ladder"]
        ladder_path = path + ("ladder",)
        if not isinstance(raw, dict):
            self.error(
                ladder_path,
                f'must be a table like {{ from = 1.0, to = 3.0, by = 0.5, hold = "1m" }}, '
                f"not {type_name(raw)}",
            )
            return None
        self.check_keys(raw, ladder_path, LADDER_KEYS, "a ladder")
        missing = [key for key in LADDER_KEYS if key not in raw]
        for key in missing:
            self.error(ladder_path, f"missing {key}: a ladder needs from, to, by and hold")
        if missing:
            return None
        start = self.speed(raw["from"], ladder_path + ("from",))
        end = self.speed(raw["to"], ladder_path + ("to",))
        step_by = self.number(raw["by"], ladder_path + ("by",))
        hold = self.duration(raw["hold"], ladder_path + ("hold",))
        common.cues = self.step_cues(table, path, hold)
        if step_by is not None and step_by <= 0:
            self.error(ladder_path + ("by",), f"must be above zero, not {step_by:g}")
            return None
        if start is None or end is None or step_by is None or hold is None:
            return None
        gaps = abs(end - start) / step_by
        if not math.isfinite(gaps):  # a `by` so tiny the rung count overflows
            self.error(
                ladder_path + ("by",), f"is too small; a ladder has at most {MAX_STEPS} rungs"
            )
            return None
        rungs = round(gaps) + 1
        if abs(gaps - round(gaps)) > 1e-6:
            self.error(
                ladder_path + ("to",),
                f"{end:g} is not reached from {start:g} in steps of {step_by:g}",
            )
            return None
        if rungs > MAX_STEPS:
            self.error(ladder_path + ("by",), f"makes {rungs} rungs; at most {MAX_STEPS}")
            return None
        sign = 1.0 if end >= start else -1.0
        speeds = tuple(round(start + sign * step_by * rung, 6) for rung in range(rungs))
        if len(self.issues) > before:
            return None
        return _LadderNode(origin, line, common, speeds, hold)

    # -- size limits and expansion -----------------------------------------------------

    def check_size(self, nodes: list[_Node]) -> None:
        """Refuse a plan too long to run, naming the block that makes it so."""
        limits: tuple[tuple[Callable[[_Node], int], int, Callable[[int, int], str]], ...] = (
            (
                lambda node: node.count(),
                MAX_STEPS,
                lambda total, biggest: (
                    f"the plan expands to {total:,} steps; at most "
                    f"{MAX_STEPS:,} (this block makes {biggest:,})"
                ),
            ),
            (
                lambda node: node.seconds(),
                MAX_TOTAL_S,
                lambda total, biggest: (
                    f"the plan lasts {format_duration(total)}; at most "
                    f"6 hours (this block lasts {format_duration(biggest)})"
                ),
            ),
        )
        for measure, limit, say in limits:
            total = sum(measure(node) for node in nodes)
            if total > limit:
                biggest = max(nodes, key=measure)
                self.error(_top_path(biggest.path), say(total, measure(biggest)))
                return

    def expand(
        self,
        nodes: list[_Node],
        block: str | None = None,
        rounds: tuple[tuple[int, int], ...] = (),
        names: tuple[str | None, ...] = (),
    ) -> Iterable[Step]:
        for node in nodes:
            if isinstance(node, _BlockNode):
                for number in range(1, node.repeat + 1):
                    yield from self.expand(
                        node.children,
                        node.name or block,
                        rounds + ((number, node.repeat),),
                        names + (node.name or None,),
                    )
            elif isinstance(node, _LadderNode):
                for rung, speed in enumerate(node.speeds, start=1):
                    rung_of = (rung, len(node.speeds))
                    origin = Origin(node.path, node.line, block, rounds, rung_of, names)
                    yield _make_step(node.common, node.hold_s, speed, origin)
            else:
                origin = Origin(node.path, node.line, block, rounds, None, names)
                yield _make_step(node.common, node.duration_s, node.speed, origin)


def _top_path(origin: tuple[int, ...]) -> KeyPath:
    path: KeyPath = ()
    for index in origin:
        path += ("step", index)
    return path


def _make_step(common: _Common, seconds: int, speed: float | None, origin: Origin) -> Step:
    return Step(
        name=common.name or default_step_name(common.kind, common.direction),
        kind=common.kind,
        direction=common.direction,
        duration_s=seconds,
        origin=origin,
        speed=speed,
        incline=common.incline,
        cues=common.cues,
        rate=common.rate,
        target_rpe=common.target_rpe,
        target_hr_zone=common.target_hr_zone,
    )
