"""retro-tui imports where Unix-only modules are missing, as on Windows."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import retro_tui

# ``sys.modules[name] = None`` makes ``import name`` raise ImportError, as it does
# on a platform without the module.
IMPORT_EVERYTHING = """
import sys
sys.modules["fcntl"] = None
import importlib, pkgutil, retro_tui
names = [
    info.name
    for info in pkgutil.walk_packages(retro_tui.__path__, "retro_tui.")
    if info.name != "retro_tui.__main__"
]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def test_every_module_imports_without_fcntl() -> None:
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", IMPORT_EVERYTHING],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 50, "the walk found the package's modules"


def test_no_module_imports_fcntl_itself() -> None:
    package = Path(retro_tui.__file__).parent
    offenders = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{path}: {name}" for name in names if name.split(".")[0] == "fcntl"]
    assert offenders == []
