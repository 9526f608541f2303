"""Property tests: whatever a plan file holds, the loader answers with a Plan or a PlanError.

Three kinds of input: arbitrary bytes, TOML documents built from the real key
names (so the validator is exercised deep inside steps, blocks, ladders and
cues), and arbitrary or mutated text. No other exception may escape, every
reported line must exist in the file, and every plan that loads must respect
the limits of the format.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from retro_tui.plan import Plan, PlanError, Units, parse_plan_bytes, parse_plan_text
from retro_tui.plan.limits import MAX_DEPTH, MAX_STEPS, MAX_TOTAL_S
from retro_tui.tomltext.locate import LineLocator

# The one function-scoped fixture used here, time_limit, holds no state between examples.
SLOW_TO_DRAW = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.function_scoped_fixture,
]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=SLOW_TO_DRAW)
# Nested documents take longer to draw than to check; fewer of them keep the file quick.
DEEP = settings(max_examples=80, deadline=None, suppress_health_check=SLOW_TO_DRAW)

SEED_PLAN = """\
[plan]
name = "Seed"
units = "mph"
cues = ["Look ahead"]

[[step]]
kind = "warmup"
duration = "5m"
speed = 3.0
cues = ["Easy", { at = "1m", text = "Relax" }]

[[step]]
name = "Set"
repeat = 3
  [[step.step]]
  direction = "backward"
  duration = "30s"
  speed = 2.0
  [[step.step]]
  kind = "recover"
  duration = 60

[[step]]
direction = "backward"
ladder = { from = 1.0, to = 2.0, by = 0.5, hold = "45s" }
"""

# Placeholders for numbers tomli_w cannot write (str() of them fails) but TOML allows.
HUGE_HEX = "@@HUGE_HEX@@"
HUGE_DECIMAL = "@@HUGE_DECIMAL@@"
REPLACEMENTS = {
    f'"{HUGE_HEX}"': "0x" + "F" * 4000,
    f'"{HUGE_DECIMAL}"': "9" * 4400,
}

TimeLimit = Callable[[float], AbstractContextManager[None]]


def check_outcome(text: str, call: Any) -> Plan | None:
    """Run ``call``; it must return a valid Plan or raise a PlanError with real lines."""
    try:
        plan = call()
    except PlanError as error:
        last_line = text.count("\n") + 1
        assert error.issues
        for issue in error.issues:
            assert issue.line is None or 1 <= issue.line <= last_line, (issue, text)
            assert str(issue)
        return None
    assert isinstance(plan, Plan)
    check_plan(plan)
    return plan


def check_plan(plan: Plan) -> None:
    """Every plan the loader returns keeps the limits of the format."""
    assert plan.name.strip() == plan.name and plan.name
    assert 1 <= len(plan.steps) <= MAX_STEPS
    assert 0 < plan.total_s <= MAX_TOTAL_S
    top_speed = 15.0 if plan.units is Units.MPH else 24.0
    for index, step in enumerate(plan.steps):
        assert step.duration_s > 0
        assert step.speed is None or 0 < step.speed <= top_speed
        assert step.incline is None or -3 <= step.incline <= 40
        assert step.target_rpe is None or 0 <= step.target_rpe <= 10
        assert all(cue.at is None or 0 <= cue.at < step.duration_s for cue in step.cues)
        assert len(step.origin.path) <= MAX_DEPTH
        assert step.origin.line >= 1
        assert plan.position_label(index)


# -- 1: arbitrary bytes ----------------------------------------------------------------


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    data = bytearray(SEED_PLAN.encode())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(min_size=1, max_size=4))
    return bytes(data)


@FAST
@given(st.binary(max_size=400) | mutated_bytes())
@example(b"[plan]\nname = 'caf\xe9'\n")
@example(b"\xef\xbb\xbf" + SEED_PLAN.encode())
def test_arbitrary_bytes_give_a_plan_or_a_plan_error(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    check_outcome(text, lambda: parse_plan_bytes(data, "fuzz.toml"))


# -- 2: TOML documents built from the real keys ----------------------------------------

REAL_KEYS = [
    "plan", "step", "name", "summary", "units", "level", "cues", "kind", "direction",
    "duration", "speed", "incline", "rate", "target_rpe", "repeat", "ladder", "from",
    "to", "by", "hold", "at", "text",
]  # fmt: skip
TYPO_KEYS = ["nmae", "sped", "durration", "repaet", "hodl", "txt", "stpe", "Step", ""]
KEYS = st.sampled_from(REAL_KEYS) | st.sampled_from(TYPO_KEYS) | st.text(max_size=8)

SCALARS = st.one_of(
    st.booleans(),
    st.integers(min_value=-5, max_value=200),
    st.integers(),
    st.sampled_from([0, 1, 10, 100, 101, 2000, 2001, 21600, 21601, 2**63 - 1]),
    st.floats(),
    st.sampled_from([5e-324, 1e-310, 0.1, 0.5, 15.0, 15.01, 24.0, 40.0, -3.0, 1e308]),
    st.sampled_from(["30s", "1m30s", "0s", "-5s", "1h", "6h", "7h", "1:30", "90", "x", HUGE_HEX]),
    st.sampled_from(["mph", "kmh", "forward", "backward", "work", "recover", "warmup"]),
    st.sampled_from(["cooldown", "beginner", "advanced", "", " ", "a\nb", "[/]", HUGE_DECIMAL]),
    st.text(max_size=12),
    st.dates(),
    st.times(),
    st.datetimes(),
)
ANY_VALUE = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=5,
)


def plan_documents(*, wild: bool) -> st.SearchStrategy[dict[str, Any]]:
    """Plan-shaped documents: ``wild`` mixes in bad values and unknown keys, else all is sane."""

    def field(good: list[Any], bad: list[Any] | None = None) -> st.SearchStrategy[Any]:
        if not wild:
            return st.sampled_from(good)
        return st.one_of(st.sampled_from(good), st.sampled_from(good + (bad or [])), ANY_VALUE)

    def table(
        required: dict[str, st.SearchStrategy[Any]], optional: dict[str, st.SearchStrategy[Any]]
    ) -> st.SearchStrategy[dict[str, Any]]:
        strategy = st.fixed_dictionaries(required, optional=optional)
        if not wild:
            return strategy
        # Sometimes add keys the format does not know (or knows, with any value).
        junk = st.dictionaries(KEYS, ANY_VALUE, max_size=2)
        return st.tuples(strategy, junk, st.integers(0, 3)).map(
            lambda parts: {**parts[1], **parts[0]} if parts[2] == 0 else parts[0]
        )

    duration = field(["30s", "1m", "1m30s", 45, "2m"], ["0s", -1, "7h", 1.5, "soon", HUGE_HEX])
    speed = field([1.0, 2.0, 2.5, 3, 14.9, 15], [20, 0, -1, float("inf"), "fast", HUGE_HEX])
    rung_speed = field([1.0, 2.0, 2.5, 3, 15])
    text = field(["Tall chest", "Look ahead", "Arms [relaxed] [/]"], ["", 5, "a\nb"])
    cue_keys = {"at": field(["5s", 0, 29], ["1h", "x", [HUGE_HEX]]), "text": text}
    cue = text | (table({}, cue_keys) if wild else table(cue_keys, {}))
    common = {
        "name": text,
        "kind": field(["work", "warmup", "recover", "cooldown"], ["sprint"]),
        "direction": field(["forward", "backward"], ["backwards"]),
        "incline": field([0, 1.5, -3, 40], [41, -4, HUGE_HEX]),
        "cues": st.lists(cue, max_size=3) | (ANY_VALUE if wild else st.nothing()),
        "rate": field([True, False], ["yes"]),
        "target_rpe": field([0, 4, 10], [11, -1, HUGE_HEX]),
    }
    # A sane step always has a duration; a wild one may lack it.
    plain = table(
        {} if wild else {"duration": duration},
        {**common, "speed": speed} | ({"duration": duration} if wild else {}),
    )
    ladder = table(
        {}
        if wild
        else {"from": rung_speed, "to": rung_speed, "by": field([0.5]), "hold": duration},
        {
            "from": speed,
            "to": speed,
            "by": field([0.5, 1], [0.25, 0, -0.5, 1e-9, 5e-324, HUGE_HEX]),
            "hold": duration,
        }
        if wild
        else {},
    )
    ladder_step = table({"ladder": ladder | (ANY_VALUE if wild else st.nothing())}, common)
    steps = st.recursive(
        st.lists(plain | ladder_step, min_size=1, max_size=3),
        lambda inner: st.lists(
            plain
            | table(
                {"step": inner, "repeat": field([1, 2, 4], [0, 100, 101, "3", HUGE_HEX])}
                if not wild
                else {"step": inner},
                {}
                if not wild
                else {"repeat": field([1, 2, 4], [0, 100, 101, "3", HUGE_HEX]), "name": text},
            ),
            min_size=1,
            max_size=3,
        ),
        max_leaves=6,
    )
    plan = table(
        {"name": text} if not wild else {},
        {
            "summary": text,
            "units": field(["mph", "kmh"], ["knots"]),
            "level": field(["beginner", "intermediate", "advanced"], ["expert"]),
            "cues": st.lists(text, max_size=2) | (ANY_VALUE if wild else st.nothing()),
        }
        | ({"name": text} if wild else {}),
    )
    if not wild:
        return st.fixed_dictionaries({"plan": plan, "step": steps})
    return st.one_of(
        table({}, {"plan": plan, "step": steps}),
        table({"plan": plan, "step": steps}, {}),
    )


DOCUMENTS = st.one_of(
    plan_documents(wild=True),
    plan_documents(wild=False),
    st.dictionaries(KEYS, ANY_VALUE, max_size=4),
)
STEPS = plan_documents(wild=True).map(lambda document: document.get("step", []))


def serialise(document: dict[str, Any]) -> str:
    text = tomli_w.dumps(document)
    for placeholder, literal in REPLACEMENTS.items():
        text = text.replace(placeholder, literal)
    return text


@DEEP
@given(DOCUMENTS)
# Values that once crashed the loader: numbers too big for str() or float(), a tiny ladder step.
@example({"plan": {"name": HUGE_DECIMAL}, "step": [{"duration": 30}]})
@example({"plan": {"name": "x"}, "step": [{"duration": HUGE_HEX}]})
@example({"plan": {"name": "x"}, "step": [{"duration": 30, "speed": HUGE_HEX}]})
@example({"plan": {"name": "x"}, "step": [{"duration": 30, "incline": HUGE_HEX}]})
@example({"plan": {"name": "x"}, "step": [{"duration": 30, "target_rpe": HUGE_HEX}]})
@example({"plan": {"name": "x"}, "step": [{"duration": 30, "cues": [{"at": [HUGE_HEX]}]}]})
@example({"plan": {"name": "x"}, "step": [{"repeat": HUGE_HEX, "step": [{"duration": 1}]}]})
@example({"step": [{"ladder": {"from": 1, "to": 2, "by": 5e-324, "hold": 1}}]})
def test_toml_documents_give_a_plan_or_a_plan_error(document: dict[str, Any]) -> None:
    text = serialise(document)
    check_outcome(text, lambda: parse_plan_text(text, "fuzz.toml"))


@DEEP
@given(st.fixed_dictionaries({"plan": st.just({"name": "Valid"}), "step": STEPS}))
def test_loaded_plans_keep_their_limits_and_errors_point_at_real_keys(
    document: dict[str, Any],
) -> None:
    # With a valid [plan] table, every error is about a step and names its key path.
    text = serialise(document)
    try:
        plan = parse_plan_text(text, "fuzz.toml")
    except PlanError as error:
        locator = LineLocator(text)
        for issue in error.issues:
            if issue.line is not None and issue.key.startswith("step["):
                assert issue.line in set(locator.lines.values()), (issue, text)
        return
    check_plan(plan)


@DEEP
@given(plan_documents(wild=False))
def test_sane_documents_load_unless_too_big(document: dict[str, Any]) -> None:
    # Built only from sensible values, a plan is refused for its size or nesting alone.
    text = serialise(document)
    try:
        plan = parse_plan_text(text, "fuzz.toml")
    except PlanError as error:
        for issue in error.issues:
            assert issue.message.startswith(
                ("steps nest more than", "the plan expands to", "the plan lasts")
            ), (issue, text)
        return
    check_plan(plan)
    assert plan.name in ("Tall chest", "Look ahead", "Arms [relaxed] [/]")


# -- 3: arbitrary text -----------------------------------------------------------------


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    """The seed plan with a few characters inserted, deleted or replaced."""
    text = SEED_PLAN
    pieces = st.sampled_from(list("[]{}\"'#=.,\n \\")) | st.text(max_size=3)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(pieces) + text[at + cut :]
    return text


TEXTS = st.text(max_size=300) | mutated_text()


@FAST
@given(TEXTS)
def test_arbitrary_text_gives_a_plan_or_a_plan_error(text: str) -> None:
    check_outcome(text, lambda: parse_plan_text(text, "fuzz.toml"))


@FAST
@given(TEXTS | st.text(alphabet="[]{}\"'\\uUx=.#\n 0123456789abcdef,", max_size=200))
# Inputs that once raised or looped forever.
@example('"\\UFFFFFFFF" = 1')
@example("a = " + "[" * 3000)
@example("a = [}")
def test_arbitrary_text_into_the_locator(time_limit: TimeLimit, text: str) -> None:
    with time_limit(5):
        locator = LineLocator(text)
    last_line = text.count("\n") + 1
    assert all(1 <= line <= last_line for line in locator.lines.values())
    assert 1 <= locator.line_of(("step", 0, "duration")) <= last_line
