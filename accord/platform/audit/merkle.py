"""The Merkle tree hash of RFC 9162, section 2.1, and the shapes of its proofs.

A tree of ``n`` leaves is split at ``k``, the largest power of two smaller than ``n``: its hash
is that of the node over the trees of the first ``k`` leaves and of the rest. A leaf's hash is
SHA-256(0x00 || data), a node's is SHA-256(0x01 || left || right), and the empty tree's is
SHA-256 of nothing.

Every node of such a tree covers a range ``[start, end)`` of leaves. A *perfect* node covers
``2**level`` leaves from ``position * 2**level``; any other node lies on the right edge of the
tree and is made of the perfect nodes given by the binary digits of its width, largest first.
So the hash of any node, hence any proof, can be put together from perfect nodes alone, and
only those are ever stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()

Range = tuple[int, int]
"""The leaves ``[start, end)`` under a node."""

Node = tuple[int, int]
"""A perfect node: ``(level, position)``, covering ``2**level`` leaves."""


def leaf_hash(data: bytes) -> bytes:
    """The hash of a leaf holding ``data``."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of the node over two subtrees."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(size: int) -> int:
    """Where a tree of ``size`` (at least 2) leaves splits: the largest power of two below it."""
    return 1 << ((size - 1).bit_length() - 1)


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The nodes whose hashes prove leaf ``index`` in the tree of ``size`` leaves, leaf-side
    first (RFC 9162's PATH)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    path: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        middle = start + split(end - start)
        if index < middle:
            path.append((middle, end))
            end = middle
        else:
            path.append((start, middle))
            start = middle
    path.reverse()
    return path


def consistency_ranges(first: int, second: int) -> list[Range]:
    """The nodes whose hashes prove that the tree of ``first`` leaves is a prefix of the tree of
    ``second`` leaves, leaf-side first (RFC 9162's PROOF and SUBPROOF)."""
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from {first} to {second} leaves")
    path: list[Range] = []
    start, end, whole = 0, second, True
    while first - start != end - start:
        middle = start + split(end - start)
        if first <= middle:
            path.append((middle, end))
            end = middle
        else:
            path.append((start, middle))
            start, whole = middle, False
    if not whole:
        path.append((start, end))
    path.reverse()
    return path


def perfect_parts(start: int, end: int) -> list[Node]:
    """The perfect nodes that make up the node over ``[start, end)``, left to right."""
    parts: list[Node] = []
    width, position = end - start, start
    for level in range(width.bit_length() - 1, -1, -1):
        if width >> level & 1:
            parts.append((level, position >> level))
            position += 1 << level
    return parts


def fold(hashes: Sequence[bytes]) -> bytes:
    """The hash of the node made of perfect subtrees given left to right, largest first."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def perfect_hash(hashes: Sequence[bytes]) -> bytes:
    """The hash of the perfect tree over ``2**k`` equal-sized subtrees given left to right."""
    level = list(hashes)
    while len(level) > 1:
        level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


class Frontier:
    """A tree growing one leaf at a time, kept as its perfect subtrees: O(log n) memory.

    ``keep`` says of which levels the completed nodes are collected in ``completed`` (for
    storing them); by default none are.
    """

    def __init__(self, parts: Iterable[tuple[Node, bytes]] = (),
                 keep: Callable[[int], bool] | None = None) -> None:
        self.stack: list[tuple[int, int, bytes]] = [(level, position, digest)
                                                     for (level, position), digest in parts]
        self.size = sum(1 << level for level, _, _ in self.stack)
        self.keep = keep
        self.completed: list[tuple[int, int, bytes]] = []

    def append(self, leaf: bytes) -> None:
        """Add the next leaf's hash."""
        stack = self.stack
        level, position, digest = 0, self.size, leaf
        while stack and stack[-1][0] == level:
            _, left_position, left = stack.pop()
            level, position, digest = level + 1, left_position >> 1, node_hash(left, digest)
            if self.keep is not None and self.keep(level):
                self.completed.append((level, position, digest))
        stack.append((level, position, digest))
        self.size += 1

    def root(self) -> bytes:
        """The tree hash of the leaves so far."""
        return fold([digest for _, _, digest in self.stack])
