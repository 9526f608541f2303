"""The plan preview: a heart-rate column only for a plan that sets a target zone."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from retro_tui.plan.catalog import PlanEntry
from retro_tui.plan.loader import parse_plan_text
from retro_tui.tui.widgets.plan_preview import plan_preview

BY_HEART = """\
[plan]
name = "By heart"

[[step]]
kind = "warmup"
duration = "5m"
speed = 3.0
target_hr_zone = 2

[[step]]
direction = "backward"
duration = "1m"
speed = 2.0
target_hr_zone = [2, 3]

[[step]]
kind = "cooldown"
duration = "2m"
speed = 2.5
"""


def shown(text: str) -> str:
    path = Path("by-heart.toml")
    entry = PlanEntry(path, parse_plan_text(text, str(path), source=path), None)
    console = Console(width=100, record=True, file=io.StringIO(), color_system=None)
    console.print(plan_preview(entry))
    return console.export_text()


def test_target_zones_have_a_column_of_their_own() -> None:
    lines = shown(BY_HEART).splitlines()
    header = next(line for line in lines if line.lstrip().startswith("#"))
    assert header.split()[-1] == "HR"
    rows = [line.split() for line in lines if line.strip()[:1] in {"1", "2", "3"}]
    assert [row[-1] for row in rows] == ["Z2", "Z2-3", "2.5"]


def test_no_column_without_a_target_zone() -> None:
    plain = BY_HEART.replace("target_hr_zone = 2\n", "").replace("target_hr_zone = [2, 3]\n", "")
    header = next(line for line in shown(plain).splitlines() if line.lstrip().startswith("#"))
    assert "HR" not in header.split()
