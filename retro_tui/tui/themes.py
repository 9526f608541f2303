"""retro-tui's own colour theme, and applying the theme named in the settings.

``retro-high-contrast`` is for reading the screen from the treadmill, two
metres away and often through sweat: pure white text on pure black, and
strong, saturated colours for the banners that matter most, so BACKWARD
(black on yellow) and FORWARD (black on green) can never be mistaken for each
other or for the background. Every other theme is one of Textual's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.theme import Theme

from retro_tui.config import DEFAULT_THEME, HIGH_CONTRAST_THEME, unknown_theme_issue
from retro_tui.plan.errors import PlanIssue

WHITE = "#FFFFFF"
BLACK = "#000000"

ZONE_COLOURS = ("grey70", "dodger_blue1", "green3", "orange1", "red1")
"""Heart-rate zones 1 to 5 as every screen colours them, grey to red as watches do; the
zone's number and name always go with the colour (nobody has to tell colours apart)."""

HIGH_CONTRAST = Theme(
    name=HIGH_CONTRAST_THEME,
    primary="#00D7FF",  # cyan: the highlighted row, focused borders
    secondary="#FF5FFF",
    accent="#FFE600",  # the keys in the footer
    warning="#FFD000",  # the BACKWARD banner, behind black text
    error="#FF3030",  # PAUSED and errors
    success="#00E050",  # the FORWARD banner, behind black text
    foreground=WHITE,
    background=BLACK,
    surface=BLACK,
    panel="#262626",  # title and status bars: set apart from the black, never grey text
    dark=True,
    # Full-strength text: Textual's themes dim text a little, which costs contrast here.
    text_alpha=1.0,
    variables={
        "text": WHITE,
        "text-muted": "#D0D0D0",
        "foreground-muted": "#D0D0D0",
        "block-cursor-foreground": BLACK,
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-foreground": WHITE,
        "block-cursor-blurred-background": "#005F87",
        "border": WHITE,
        "border-blurred": "#8A8A8A",
        "footer-key-foreground": "#FFE600",
        "footer-description-foreground": WHITE,
        "footer-background": "#262626",
        "input-cursor-background": WHITE,
        "input-cursor-foreground": BLACK,
        "scrollbar": "#8A8A8A",
        "scrollbar-hover": WHITE,
        "scrollbar-background": BLACK,
    },
)

APP_THEMES = (HIGH_CONTRAST,)


def register_themes(app: App[Any]) -> None:
    """Make retro-tui's own themes available to ``app`` (before choosing one)."""
    for theme in APP_THEMES:
        app.register_theme(theme)


def theme_names(app: App[Any]) -> list[str]:
    """Every theme ``app`` can use: retro-tui's own first, then Textual's by name."""
    own = [theme.name for theme in APP_THEMES]
    return own + sorted(name for name in app.available_themes if name not in own)


def theme_problem(app: App[Any], theme: str, config_file: Path | None) -> PlanIssue | None:
    """The problem with the settings' ``theme``, if ``app`` has no theme of that name."""
    if theme in app.available_themes:
        return None
    label = config_file if config_file is not None else Path("config.toml")
    return unknown_theme_issue(label, theme, theme_names(app))


def apply_theme(app: App[Any], theme: str, config_file: Path | None) -> PlanIssue | None:
    """Show ``app`` in ``theme``; an unknown name leaves the default and says why."""
    problem = theme_problem(app, theme, config_file)
    app.theme = DEFAULT_THEME if problem is not None else theme
    return problem
