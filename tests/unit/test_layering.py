"""The domain (plan/, workout/, history/, config.py) never imports textual."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import retro_tui

PACKAGE_DIR = Path(retro_tui.__file__).parent
DOMAIN = ["plan", "workout", "history", "config", "paths", "voice"]


def domain_modules() -> list[str]:
    names = []
    for part in DOMAIN:
        if (PACKAGE_DIR / f"{part}.py").exists():
            names.append(f"retro_tui.{part}")
        elif (PACKAGE_DIR / part / "__init__.py").exists():
            names.append(f"retro_tui.{part}")
            prefix = f"retro_tui.{part}."
            names += [
                info.name for info in pkgutil.walk_packages([str(PACKAGE_DIR / part)], prefix)
            ]
    return names


def test_domain_modules_exist() -> None:
    assert {"retro_tui.plan.loader", "retro_tui.workout.engine"} <= set(domain_modules())


def test_no_domain_source_file_mentions_textual() -> None:
    offenders = []
    for name in domain_modules():
        relative = name.removeprefix("retro_tui.").replace(".", "/")
        path = PACKAGE_DIR / f"{relative}.py"
        if not path.exists():
            path = PACKAGE_DIR / relative / "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            offenders += [f"{path}: {m}" for m in modules if m.split(".")[0] == "textual"]
    assert offenders == []


def test_importing_the_domain_and_cli_loads_no_textual() -> None:
    modules = domain_modules() + ["retro_tui.cli"]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
