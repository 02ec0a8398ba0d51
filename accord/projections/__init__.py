"""Read models built from the event log, in SQL tables that can be dropped and rebuilt at will."""
