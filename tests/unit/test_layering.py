"""The domain never imports textual, and its imports run one way.

Layers, bottom to top: the basics (locations, durable files, TOML text,
speech), then plan -> workout -> history -> coach -> devices -> interchange,
then the settings. A module may import from its own layer and the ones below
it, never from one above; the command line, the presentation module and the
Textual shell sit on top.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import retro_tui

PACKAGE_DIR = Path(retro_tui.__file__).parent
LAYERS = [
    ["paths", "files", "tomltext", "voice"],
    ["plan"],
    ["workout"],
    ["history"],
    ["coach"],
    ["devices"],
    ["interchange"],
    # The user's settings may name things of the domain (a plan's units); the domain
    # never reads them: the shell passes each setting where it is needed.
    ["config"],
]
DOMAIN = [part for layer in LAYERS for part in layer]


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
    assert {
        "retro_tui.plan.loader",
        "retro_tui.workout.engine",
        "retro_tui.history.log",
        "retro_tui.coach.progression",
        "retro_tui.tomltext.locate",
        "retro_tui.files",
    } <= set(domain_modules())


def source_of(name: str) -> Path:
    relative = name.removeprefix("retro_tui.").replace(".", "/")
    path = PACKAGE_DIR / f"{relative}.py"
    return path if path.exists() else PACKAGE_DIR / relative / "__init__.py"


def imported_by(name: str) -> list[str]:
    """Every module ``name`` imports, at the top or inside a function."""
    tree = ast.parse(source_of(name).read_text(encoding="utf-8"))
    modules: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.append(node.module or "")
    return modules


def layer_of(module: str) -> int | None:
    """The layer of a ``retro_tui`` module; ``None`` for the top (cli, tui, ...)."""
    parts = module.split(".")
    if parts[0] != "retro_tui" or len(parts) < 2:
        return None
    for number, layer in enumerate(LAYERS):
        if parts[1] in layer:
            return number
    return None


def test_no_domain_source_file_mentions_textual() -> None:
    offenders = [
        f"{source_of(name)}: {module}"
        for name in domain_modules()
        for module in imported_by(name)
        if module.split(".")[0] == "textual"
    ]
    assert offenders == []


def test_the_domain_imports_run_one_way() -> None:
    offenders = []
    for name in domain_modules():
        own = layer_of(name)
        assert own is not None, name
        for module in imported_by(name):
            if module.split(".")[0] != "retro_tui" or module == "retro_tui":
                continue
            layer = layer_of(module)
            if layer is None or layer > own:
                offenders.append(f"{name} imports {module}")
    assert offenders == []


def test_no_relative_imports_hide_a_layer() -> None:
    # The check above reads absolute imports; the code base uses only those.
    relative = []
    for name in domain_modules():
        tree = ast.parse(source_of(name).read_text(encoding="utf-8"))
        relative += [
            f"{name}: line {node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level > 0
        ]
    assert relative == []


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
