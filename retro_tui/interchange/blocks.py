"""The repeat blocks of a plan, found again in its expanded steps.

A loaded plan is a flat list of steps; each step's origin says which block and
round it came from. Formats that have a repeat of their own (a FIT workout's
repeat step, Zwift's IntervalsT) need the tree back: :func:`blocks_of` rebuilds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from retro_tui.plan.model import Step


@dataclass(frozen=True)
class Leaf:
    """One step, run as it is."""

    step: Step


@dataclass(frozen=True)
class Block:
    """A repeat block: its rounds, each the nodes that one round runs."""

    rounds: tuple[tuple[Node, ...], ...]


Node = Leaf | Block
"""A step or a block, as the plan file nests them."""


def blocks_of(steps: Sequence[Step], depth: int) -> tuple[Node, ...]:
    """The expanded ``steps`` (all inside the same ``depth`` enclosing block rounds) as a tree.

    A step with more than ``depth`` rounds in its origin belongs to a block at this
    level; the block is named by the step table's index at this level
    (``origin.path[depth]``), and consecutive steps of the same block split into rounds
    where their round number changes.
    """
    nodes: list[Node] = []
    index = 0
    while index < len(steps):
        step = steps[index]
        if len(step.origin.rounds) <= depth:
            nodes.append(Leaf(step))
            index += 1
            continue
        block = _block_key(step, depth)
        end = index + 1
        while (
            end < len(steps)
            and len(steps[end].origin.rounds) > depth
            and _block_key(steps[end], depth) == block
        ):
            end += 1
        nodes.append(Block(_rounds_of(steps[index:end], depth)))
        index = end
    return tuple(nodes)


def _block_key(step: Step, depth: int) -> tuple[int | None, int]:
    path = step.origin.path
    return (path[depth] if depth < len(path) else None, step.origin.rounds[depth][1])


def _rounds_of(steps: Sequence[Step], depth: int) -> tuple[tuple[Node, ...], ...]:
    rounds: list[tuple[Node, ...]] = []
    start = 0
    for index in range(1, len(steps) + 1):
        if (
            index == len(steps)
            or steps[index].origin.rounds[depth][0] != steps[start].origin.rounds[depth][0]
        ):
            rounds.append(blocks_of(steps[start:index], depth + 1))
            start = index
    return tuple(rounds)
