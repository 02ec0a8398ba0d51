"""Imports and exports of commitments: the OGP dataset, and Accord's action-plan template.

Every import is one atomic save of everything it changed, idempotent (ids come from the data),
and reports each rejected row with the line of the file where it starts. See docs/imports.md.
"""
