"""The Merkle tree's shapes, in memory: RFC 9162's definitions written out literally here
(recursion over lists of leaves) agree with Accord's range-based construction, and with the
stand-alone verifier's hasher."""

from __future__ import annotations

import ast
import hashlib
import sys

from accord.platform.audit.leaves import canonical_json
from accord.platform.audit.merkle import (
    EMPTY_ROOT,
    Frontier,
    consistency_ranges,
    fold,
    inclusion_ranges,
    leaf_hash,
    node_hash,
    perfect_hash,
    perfect_parts,
)
from tests.audit_support import VERIFIER_PATH, verifier

LEAVES = [leaf_hash(bytes([n % 256]) * (n % 5)) for n in range(130)]


def mth(leaves: list[bytes]) -> bytes:
    """RFC 9162's MTH over leaf hashes, as the RFC writes it."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    """RFC 9162's PATH(m, D[n])."""
    if len(leaves) == 1:
        return []
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m < k:
        return [*path(m, leaves[:k]), mth(leaves[k:])]
    return [*path(m - k, leaves[k:]), mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    """RFC 9162's SUBPROOF(m, D[n], b)."""
    if m == len(leaves):
        return [] if whole else [mth(leaves)]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m <= k:
        return [*subproof(m, leaves[:k], whole), mth(leaves[k:])]
    return [*subproof(m - k, leaves[k:], False), mth(leaves[:k])]


def hashes(ranges: list[tuple[int, int]]) -> list[bytes]:
    """Accord's way: each node put together from its perfect parts."""
    def perfect(level: int, position: int) -> bytes:
        return perfect_hash(LEAVES[position << level:(position + 1) << level])
    return [fold([perfect(*part) for part in perfect_parts(a, b)]) for a, b in ranges]


def test_the_empty_tree_and_one_leaf() -> None:
    assert EMPTY_ROOT.hex() == ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
                                "7852b855")
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert Frontier().root() == EMPTY_ROOT == fold([])


def test_roots_of_every_size_agree_with_the_rfc_and_the_stand_alone_verifier() -> None:
    frontier = Frontier()
    for size in range(1, len(LEAVES) + 1):
        frontier.append(LEAVES[size - 1])
        expected = mth(LEAVES[:size])
        assert frontier.root() == expected == verifier.root_of(LEAVES[:size])
        assert hashes([(0, size)]) == [expected]


def test_inclusion_and_consistency_paths_are_the_rfcs() -> None:
    for size in range(1, 71):
        for index in range(size):
            assert hashes(inclusion_ranges(index, size)) == path(index, LEAVES[:size])
        for first in range(1, size + 1):
            assert (hashes(consistency_ranges(first, size))
                    == subproof(first, LEAVES[:size], True))


def test_a_frontier_restored_from_its_perfect_parts_goes_on_growing_alike() -> None:
    grown = Frontier(keep=lambda level: level % 4 == 0)
    for leaf in LEAVES[:77]:
        grown.append(leaf)
    parts = perfect_parts(0, 77)
    assert parts == [(6, 0), (3, 8), (2, 18), (0, 76)]
    restored = Frontier(zip(parts, hashes([(a << lv, (a + 1) << lv) for lv, a in parts]),
                            strict=True))
    for leaf in LEAVES[77:]:
        grown.append(leaf)
        restored.append(leaf)
    assert restored.root() == grown.root() == mth(LEAVES)
    # the completed nodes of every fourth level, each the hash of its leaves
    assert [(level, position) for level, position, _ in grown.completed] == [
        (4, position) for position in range(len(LEAVES) // 16)]
    for level, position, digest in grown.completed:
        assert digest == mth(LEAVES[position << level:(position + 1) << level])


def test_canonical_json_sorts_keys_without_spaces_and_keeps_text_as_utf8() -> None:
    assert canonical_json({"topic": "é\n\"", "id": 3}) == '{"id":3,"topic":"é\\n\\""}'.encode()


def test_the_stand_alone_verifier_needs_only_the_standard_library_and_cryptography() -> None:
    tree = ast.parse(VERIFIER_PATH.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}
    roots = {name.split(".")[0] for name in imported}
    assert "cryptography" in roots
    assert roots - {"cryptography"} <= sys.stdlib_module_names | {"__future__"}
