"""Workout plans: the model, the TOML loader and finding plans by file or name.

No UI framework is imported here; a script can load and inspect plans directly::

    from retro_tui.plan import load_plan
    plan = load_plan("plans/starter.toml")
    print(plan.name, plan.total_s)
"""

from retro_tui.plan.errors import PlanError, PlanIssue
from retro_tui.plan.loader import load_plan, parse_plan_bytes, parse_plan_text
from retro_tui.plan.model import Cue, Direction, Kind, Level, Origin, Plan, Step, Units

__all__ = [
    "Cue",
    "Direction",
    "Kind",
    "Level",
    "Origin",
    "Plan",
    "PlanError",
    "PlanIssue",
    "Step",
    "Units",
    "load_plan",
    "parse_plan_bytes",
    "parse_plan_text",
]
