"""Security events as structured log lines: one JSON object per line, never a secret in it."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from flask import has_request_context, request

log = logging.getLogger("accord.security")

FAILURES = frozenset({
    "sign_in_failed", "sign_in_rate_limited", "authorisation_failed", "csrf_failed",
    "cross_site_request_refused",
})

EVENTS = FAILURES | frozenset({
    "sign_in_succeeded", "sign_in_failed", "sign_in_rate_limited", "signed_out",
    "signed_out_everywhere", "password_changed", "authorisation_failed", "csrf_failed",
    "cross_site_request_refused", "role_changed", "account_deactivated", "account_reactivated",
    "organisation_suspended", "organisation_reinstated", "invitation_sent",
    "invitation_accepted",
})


SECRET_ARGUMENTS = frozenset({"token"})
"""Route arguments that are secrets (an invitation link's token): masked in a logged path."""


def _masked(path: str) -> str:
    for name, value in (request.view_args or {}).items():
        if name in SECRET_ARGUMENTS and value:
            path = path.replace(str(value), "[secret]")
    return path


def log_security_event(event: str, *, account_id: str | None = None, **fields: Any) -> None:
    """Log ``event`` with the account, the client's address and the time in UTC.

    Callers pass ids and codes only: never a password, a token or an e-mail address. A
    ``path`` field is logged with any secret in the address masked.
    """
    assert event in EVENTS, event
    if "path" in fields and has_request_context():
        fields["path"] = _masked(str(fields["path"]))
    record = {
        "event": event,
        "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "account_id": account_id,
        "address": request.remote_addr if has_request_context() else None,
        **fields,
    }
    level = logging.WARNING if event in FAILURES else logging.INFO
    log.log(level, json.dumps(record, sort_keys=True, default=str))
