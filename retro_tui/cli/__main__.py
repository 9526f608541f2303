"""``python -m retro_tui.cli``: the same as the ``retro-tui`` command."""

from __future__ import annotations

import sys

from retro_tui.cli import main

if __name__ == "__main__":
    sys.exit(main())
