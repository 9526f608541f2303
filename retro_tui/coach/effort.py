"""The 0-10 effort (RPE) scale in retro-tui's own words, and the keys that enter it.

The wording is ours (a category-ratio scale: 0 is rest, 10 is the most you
can do); one key press gives each value, with ``x`` for 10 so that no rating
needs two keys.
"""

from __future__ import annotations

RPE_WORDS: dict[int, str] = {
    0: "rest",
    1: "very easy",
    2: "easy",
    3: "moderate",
    4: "somewhat hard",
    5: "hard",
    6: "harder",
    7: "very hard",
    8: "very, very hard",
    9: "almost all-out",
    10: "maximal",
}

TEN_KEY = "x"
"""The key for a rating of 10, named in every prompt."""

RPE_KEYS: dict[str, int] = {str(value): value for value in range(10)} | {TEN_KEY: 10}


def rpe_label(value: int) -> str:
    return f"{value} {RPE_WORDS[value]}"


def scale_line(width: int | None = None) -> str:
    """The scale in one line for prompts: ``0 rest · 1 very easy · ... · x=10 maximal``.

    Given the ``width`` there is, a line too long for it names fewer points of the
    scale (the help and the summary have the whole of it).
    """
    for values in ((0, 1, 2, 3, 4, 5, 7), (0, 3, 5, 7)):
        parts = [f"{value} {RPE_WORDS[value]}" for value in values]
        line = " · ".join(parts) + f" · {TEN_KEY}=10 {RPE_WORDS[10]}"
        if width is None or len(line) <= width:
            break
    return line


# Pain after a session, for rehab users above all: how much (0-10, the same keys as effort)
# and where, one digit each. The places are the ones backward walking is used to rehabilitate,
# plus the calves and feet that take the new load.
PAIN_PLACES: dict[int, str] = {
    1: "knee",
    2: "calf",
    3: "shin",
    4: "hamstring",
    5: "hip",
    6: "groin",
    7: "low back",
    8: "ankle or foot",
    9: "somewhere else",
}


def pain_label(level: int, where: str = "") -> str:
    if level == 0:
        return "no pain"
    return f"pain {level}/10" + (f", {where}" if where else "")


def places_line() -> str:
    return " · ".join(f"{key} {place}" for key, place in PAIN_PLACES.items())
