"""Key bindings shared by several screens."""

from __future__ import annotations

from textual.binding import Binding

from retro_tui.coach.effort import RPE_KEYS, TEN_KEY


def rating_bindings(description: str, action: str = "rate", *, show: bool = True) -> list[Binding]:
    """``0``-``9`` and ``x`` (10) to ``action`` (``rate``), shown once in the footer."""
    return [
        Binding(
            key,
            f"{action}({value})",
            description,
            key_display=f"0-9 {TEN_KEY}",
            show=show and value == 0,
        )
        for key, value in RPE_KEYS.items()
    ]
