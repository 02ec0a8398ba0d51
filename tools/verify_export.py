#!/usr/bin/env python3
"""Check an export of Accord's event log (``accord audit export``), on its own.

    python3 verify_export.py EXPORT.jsonl [--public-key BASE64] [--checkpoint FILE ...]

Needs only the Python standard library and the ``cryptography`` package. It recomputes every
event's leaf hash from its five fields, the Merkle tree hash of RFC 9162 over all of them, and
checks it against the export's signed checkpoint and its Ed25519 signature. ``--public-key``
pins the key (as published at /audit/public-key) instead of trusting the one in the file;
each ``--checkpoint`` is a checkpoint kept earlier (a JSON object, as listed at
/audit/checkpoints) whose root must be that of the export's first ``tree_size`` events.
Exits 0 when everything holds, 1 naming the first line that does not, 2 on bad usage.
The algorithm is described in docs/audit.md.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "accord-log/1"
LEAF_KEYS = ("id", "originator_id", "originator_version", "state", "topic")
SIGNED_KEYS = ("log_id", "root_hash", "timestamp", "tree_size")


class Invalid(Exception):
    """The export does not verify; the message says where and why."""


def canonical(value: Any) -> bytes:
    """Keys sorted, no whitespace, text as UTF-8 (not escaped)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def hash_leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class TreeHasher:
    """The RFC 9162 tree hash of leaves added one by one, keeping one hash per set bit of
    the count."""

    def __init__(self) -> None:
        self.count = 0
        self.peaks: list[bytes] = []  # perfect subtrees, largest first

    def add(self, leaf: bytes) -> None:
        self.peaks.append(leaf)
        merged = self.count
        while merged & 1:  # each trailing one bit is a subtree of the same size to merge
            right = self.peaks.pop()
            self.peaks[-1] = hash_children(self.peaks[-1], right)
            merged >>= 1
        self.count += 1

    def root(self) -> bytes:
        if not self.peaks:
            return hashlib.sha256(b"").digest()
        result = self.peaks[-1]
        for peak in reversed(self.peaks[:-1]):
            result = hash_children(peak, result)
        return result


def root_of(leaves: Iterable[bytes]) -> bytes:
    """The tree hash of a sequence of leaf hashes."""
    hasher = TreeHasher()
    for leaf in leaves:
        hasher.add(leaf)
    return hasher.root()


def verify_inclusion(leaf: bytes, index: int, size: int, path: Sequence[bytes],
                     root: bytes) -> bool:
    """RFC 9162, 2.1.3.2: whether ``path`` proves ``leaf`` at ``index`` under ``root``."""
    if not 0 <= index < size:
        return False
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = hash_children(sibling, result)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = hash_children(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and result == root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       path: Sequence[bytes]) -> bool:
    """RFC 9162, 2.1.4.2: whether ``path`` proves the tree of ``first`` leaves a prefix of
    the tree of ``second`` leaves."""
    if not 0 < first <= second:
        return False
    if first == second:
        return not path and first_root == second_root
    if first & (first - 1) == 0:  # a power of two: its root is the first node
        path = [first_root, *path]
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    old, new = path[0], path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            old, new = hash_children(node, old), hash_children(node, new)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            new = hash_children(new, node)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and old == first_root and new == second_root


def check_checkpoint(checkpoint: dict[str, Any], public_key: bytes, where: str) -> None:
    """Raise ``Invalid`` unless the checkpoint is signed by ``public_key`` and names its log."""
    try:
        body = {key: checkpoint[key] for key in SIGNED_KEYS}
        signature = base64.b64decode(checkpoint["signature"], validate=True)
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, canonical(body))
    except (KeyError, TypeError, ValueError, binascii.Error, InvalidSignature):
        raise Invalid(f"{where}: the checkpoint's signature is not valid") from None
    if checkpoint["log_id"] != hashlib.sha256(public_key).hexdigest():
        raise Invalid(f"{where}: the checkpoint's log_id is not the SHA-256 of the key")


def verify_export(lines: Iterable[str], public_key: str | None = None,
                  kept: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """Check an export, line by line; return its checkpoint or raise ``Invalid``."""
    numbered = enumerate(lines, start=1)
    try:
        header = json.loads(next(numbered)[1])
        checkpoint, key_text = header["checkpoint"], public_key or header["public_key"]
        if header["format"] != FORMAT:
            raise Invalid(f"line 1: the format is {header['format']!r}, not {FORMAT!r}")
        key = base64.b64decode(key_text, validate=True)
    except (StopIteration, ValueError, KeyError, TypeError, binascii.Error):
        raise Invalid("line 1: not an accord-log/1 header") from None
    if public_key and header["public_key"] != public_key:
        raise Invalid("line 1: the export's public key is not the one given")
    check_checkpoint(checkpoint, key, "line 1")
    wanted = {int(c["tree_size"]): c for c in kept}
    for number, c in enumerate(kept, start=1):
        check_checkpoint(c, key, f"kept checkpoint {number}")
    hasher = TreeHasher()
    for number, line in numbered:
        hasher.add(_leaf_of(number, line))
        if hasher.count in wanted and hasher.root().hex() != wanted[hasher.count]["root_hash"]:
            raise Invalid(f"line {number}: the first {hasher.count} events do not match the "
                          f"kept checkpoint of that size")
    size = int(checkpoint["tree_size"])
    if hasher.count != size:
        raise Invalid(f"line {hasher.count + 1}: the export holds {hasher.count} events, "
                      f"the checkpoint {size}")
    if hasher.root().hex() != checkpoint["root_hash"]:
        raise Invalid("the root hash of the events is not the checkpoint's")
    if any(s > size for s in wanted):
        raise Invalid("a kept checkpoint is larger than the export")
    result: dict[str, Any] = checkpoint
    return result


def _leaf_of(number: int, line: str) -> bytes:
    """The leaf hash of one event line, checked against the hash it states."""
    try:
        record = json.loads(line)
        fields = {key: record[key] for key in LEAF_KEYS}
        stated = record["leaf_hash"]
    except (ValueError, KeyError, TypeError):
        raise Invalid(f"line {number}: not an event line") from None
    leaf = hash_leaf(canonical(fields))
    if leaf.hex() != stated:
        raise Invalid(f"line {number} (event {fields['id']}): the leaf hash does not match "
                      "the event's fields")
    return leaf


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check an export of Accord's event log.")
    parser.add_argument("export", help="the file written by `accord audit export`")
    parser.add_argument("--public-key", help="the log's key, as published (base64)")
    parser.add_argument("--checkpoint", action="append", default=[],
                        help="a checkpoint kept earlier, as a JSON file (repeatable)")
    arguments = parser.parse_args(argv)
    try:
        kept = []
        for name in arguments.checkpoint:
            with open(name, encoding="utf-8") as file:
                kept.append(json.load(file))
        with open(arguments.export, encoding="utf-8") as lines:
            checkpoint = verify_export(lines, arguments.public_key, kept)
    except (OSError, ValueError) as error:
        print(f"cannot read: {error}", file=sys.stderr)
        return 2
    except Invalid as error:
        print(f"INVALID: {error}", file=sys.stderr)
        return 1
    print(f"OK: {checkpoint['tree_size']} events, root {checkpoint['root_hash']}, signed at "
          f"{checkpoint['timestamp']} by log {checkpoint['log_id']}")
    if not arguments.public_key:
        print("Note: the signature was checked with the key in the file; compare it with the "
              "one published at /audit/public-key, or pass it with --public-key.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
