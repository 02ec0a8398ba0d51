"""Aggregates, their events and the pure rules of the domain.

Plain Python and ``eventsourcing.domain`` only: no web framework, no SQL.
"""
