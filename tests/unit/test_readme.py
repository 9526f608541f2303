"""The README's pictures exist, the script that draws them still works, and its tables are true."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

from retro_tui.config import readme_table

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img[^>]*\bsrc=\"([^\"]+)\"")


def image_links(markdown: str) -> list[str]:
    return [markdown_link or html_src for markdown_link, html_src in IMAGE.findall(markdown)]


def test_the_image_pattern_finds_both_forms() -> None:
    text = '![a](docs/a.svg) and ![b](b.png "title") and <img alt="c" src="c.svg">'
    assert image_links(text) == ["docs/a.svg", "b.png", "c.svg"]


def test_every_image_in_the_readme_exists() -> None:
    links = image_links(README.read_text(encoding="utf-8"))
    assert "docs/images/workout.svg" in links
    local = [link for link in links if not re.match(r"[a-z]+://", link)]
    missing = [link for link in local if not (ROOT / link.split("#")[0]).is_file()]
    assert not missing


def test_the_first_five_minutes_follow_the_quick_start() -> None:
    headings = re.findall(r"^## (.+)$", README.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert headings[:2] == ["Quick start", "First five minutes"]


def test_the_screenshot_script_draws_the_workout_asking_for_a_rating(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "screenshots.py"), str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    svg = (tmp_path / "workout.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    # The SVG writes spaces as no-break spaces; read it as the screen says it.
    shown = html.unescape(svg).replace("\xa0", " ")
    assert "Recovery walk 2 of 3" in shown
    assert "How hard was Backward 2 of 3?" in shown


def test_the_settings_table_is_the_schema() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    table = readme_table()
    start = lines.index(table[0])
    assert lines[start : start + len(table)] == table
    assert len(lines) == start + len(table) or not lines[start + len(table)].startswith("|")
