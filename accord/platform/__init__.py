"""Use cases: the event-sourced application, permissions and the store of personal data."""
