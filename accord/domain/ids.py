"""Deterministic identifiers for things that are unique by a natural key."""

from __future__ import annotations

from uuid import UUID

ACCORD_NAMESPACE = UUID("c19aa759-c3c0-48e4-a8ea-eceea22f817b")
"""The UUID namespace from which natural-key ids are derived (uuid5)."""
