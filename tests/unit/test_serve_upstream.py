"""The textual-serve code that ``retro-tui serve`` does again its own way has not changed.

:data:`retro_tui.cli.web_server.MIRRORED` names each piece of textual-serve that
the server's routes, run loop, websocket handling and page follow, with a
digest of its source in the pinned version. A new textual-serve that changes
one fails here, saying what to read again, instead of the copy drifting away.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import inspect
import re
from pathlib import Path

import pytest
import textual_serve

from retro_tui.cli.web_server import MIRRORED


def upstream_source(name: str) -> bytes:
    """``server.Server.serve`` (a method's source) or ``templates/app_index.html`` (a file)."""
    package = Path(textual_serve.__file__).parent
    if "/" in name:
        return (package / name).read_bytes()
    module_name, class_name, method_name = name.split(".")
    module = importlib.import_module(f"textual_serve.{module_name}")
    method = getattr(getattr(module, class_name), method_name)
    return inspect.getsource(method).encode()


@pytest.mark.parametrize("name", sorted(MIRRORED))
def test_the_textual_serve_code_followed_here_is_unchanged(name: str) -> None:
    follower, digest = MIRRORED[name]
    found = hashlib.sha256(upstream_source(name)).hexdigest()
    version = importlib.metadata.version("textual-serve")
    assert found == digest, (
        f"textual-serve {version} changed {name}, which retro_tui/cli/web_server.py follows in "
        f"{follower}. Read the new upstream code, bring that up to date, then set its digest "
        f"in MIRRORED to {found} (and the textual-serve pin in pyproject.toml to this version)."
    )


def test_the_installed_version_is_the_pinned_one() -> None:
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    pin = re.search(r'"textual-serve>=([0-9.]+),<([0-9.]+)"', pyproject)
    assert pin is not None, "pyproject.toml pins textual-serve to one minor version"

    def numbers(version: str) -> tuple[int, ...]:
        return tuple(int(part) for part in version.split("."))

    installed = numbers(importlib.metadata.version("textual-serve"))
    assert numbers(pin.group(1)) <= installed < numbers(pin.group(2))
