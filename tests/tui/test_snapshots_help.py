"""What the help looks like over a running workout: below the clock, which stays in sight.

Update the picture after an intended change with ``pytest --snapshot-update`` and look at
it before committing.
"""

from __future__ import annotations

import pytest

from .conftest import MakeHarness
from .helpers import SIZES, SnapCompare, at


@pytest.mark.parametrize("size", SIZES)
def test_help_over_a_backward_step(
    snap_compare: SnapCompare, harness: MakeHarness, size: tuple[int, int]
) -> None:
    """15 s into the first backward interval: the keys, and that the clock keeps running."""
    h = harness()
    assert snap_compare(h.app, terminal_size=size, run_before=at(h, 55, "question_mark"))
