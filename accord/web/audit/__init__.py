"""The audit endpoints: the log's public key, its signed checkpoints and RFC 9162 proofs.

All are public reads, answered in JSON (the key in plain text, the checkpoints also as an
Atom feed), so that anyone can keep copies of the checkpoints and check events against them.
docs/audit.md describes what each answer means and how to verify it.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree

from flask import Blueprint, Response, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from accord.platform.audit import AuditLog
from accord.platform.policy import Action
from accord.web.access import allow
from accord.web.context import services
from accord.web.errors import json_error

blueprint = Blueprint("audit", __name__, url_prefix="/audit")

ATOM = "http://www.w3.org/2005/Atom"
EPOCH = "1970-01-01T00:00:00Z"


class BadParameter(Exception):
    """A query parameter Accord cannot use: the message says why."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter, self.message = parameter, message


@blueprint.errorhandler(BadParameter)
def bad_parameter(error: BadParameter) -> ResponseReturnValue:
    return json_error(400, error.message, parameter=error.parameter)


def audit() -> AuditLog:
    return services().audit


@blueprint.get("/public-key")
@allow(Action.READ_PUBLIC)
def public_key() -> ResponseReturnValue:
    """The raw 32-byte Ed25519 public key that signs the checkpoints, in standard base64."""
    return Response(audit().public_key(), mimetype="text/plain")


@blueprint.get("/checkpoints")
@allow(Action.READ_PUBLIC)
def checkpoints() -> ResponseReturnValue:
    """Every signed checkpoint, oldest first."""
    log = audit()
    return jsonify(log_id=log.key.log_id(), public_key=log.public_key(),
                   checkpoints=[checkpoint.as_json() for checkpoint in log.checkpoints()])


@blueprint.get("/checkpoints.atom")
@allow(Action.READ_PUBLIC)
def checkpoints_feed() -> ResponseReturnValue:
    """Every signed checkpoint as an Atom feed, newest first; each entry's content is the
    checkpoint's JSON."""
    log = audit()
    made = list(reversed(log.checkpoints()))
    home, address = _public_url("audit.checkpoints"), _public_url("audit.checkpoints_feed")
    feed = ElementTree.Element("feed", xmlns=ATOM)
    _text(feed, "id", address)
    _text(feed, "title", _("Accord: signed checkpoints of the event log"))
    _text(feed, "updated", made[0].timestamp if made else EPOCH)
    _text(ElementTree.SubElement(feed, "author"), "name", "Accord")
    ElementTree.SubElement(feed, "link", rel="self", href=address)
    ElementTree.SubElement(feed, "link", rel="alternate", type="application/json", href=home)
    for checkpoint in made:
        entry = ElementTree.SubElement(feed, "entry")
        _text(entry, "id", f"{home}#{checkpoint.tree_size}-{checkpoint.timestamp}")
        _text(entry, "title", _("%(count)s events, root %(root)s",
                                count=f"{checkpoint.tree_size:,}", root=checkpoint.root_hash))
        _text(entry, "updated", checkpoint.timestamp)
        content = _text(entry, "content", json.dumps(checkpoint.as_json(), sort_keys=True))
        content.set("type", "text")
    body = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml")


def _public_url(endpoint: str) -> str:
    """The address at Accord's public base URL: a feed's ids never depend on the request."""
    return services().settings.base_url.rstrip("/") + url_for(endpoint)


def _text(parent: ElementTree.Element, tag: str, text: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag)
    element.text = text
    return element


@blueprint.get("/proof/inclusion")
@allow(Action.READ_PUBLIC)
def inclusion() -> ResponseReturnValue:
    """The audit path of the event ``id`` in the tree of ``tree_size`` events (by default,
    that of the latest checkpoint)."""
    log = audit()
    notification_id = _whole("id", minimum=1)
    tree_size = _tree_size(log, "tree_size", default_to_latest=True)
    index = log.leaf_index(notification_id)
    if index is None:
        return json_error(404, _("No event with notification id %(id)s is in the audit "
                                 "record: there is none, or it is newer than the latest "
                                 "checkpoint.", id=notification_id))
    if index >= tree_size:
        raise BadParameter("tree_size", _(
            "Event %(id)s is leaf %(index)s of the tree: ask for a tree_size above %(index)s.",
            id=notification_id, index=index))
    proof = log.inclusion_proof(index, tree_size)
    return jsonify(notification_id=proof.notification_id, leaf_index=proof.leaf_index,
                   tree_size=proof.tree_size, leaf_hash=proof.leaf_hash.hex(),
                   root_hash=proof.root_hash.hex(),
                   audit_path=[node.hex() for node in proof.audit_path])


@blueprint.get("/proof/consistency")
@allow(Action.READ_PUBLIC)
def consistency() -> ResponseReturnValue:
    """The consistency path from the tree of ``first`` events to that of ``second``."""
    log = audit()
    first = _tree_size(log, "first")
    second = _tree_size(log, "second")
    if first > second:
        raise BadParameter("first", _("first must not be larger than second."))
    proof = log.consistency_proof(first, second)
    return jsonify(first=proof.first, second=proof.second, first_root=proof.first_root.hex(),
                   second_root=proof.second_root.hex(),
                   consistency_path=[node.hex() for node in proof.consistency_path])


def _whole(name: str, *, minimum: int) -> int:
    """The query parameter ``name`` as a whole number of at least ``minimum``."""
    value = request.args.get(name, "").strip()
    if not value:
        raise BadParameter(name, _("Give %(name)s, a whole number.", name=name))
    if not value.isdecimal() or len(value) > 18 or int(value) < minimum:
        raise BadParameter(name, _("%(name)s must be a whole number of at least %(minimum)s.",
                                   name=name, minimum=minimum))
    return int(value)


def _tree_size(log: AuditLog, name: str, *, default_to_latest: bool = False) -> int:
    """A tree size from the query: at least 1 and at most the log's size."""
    if default_to_latest and not request.args.get(name, "").strip():
        latest = log.latest_checkpoint()
        if latest is None or latest.tree_size == 0:
            raise BadParameter(name, _("No checkpoint has been made yet: give %(name)s.",
                                       name=name))
        return latest.tree_size
    size = _whole(name, minimum=1)
    available = log.size()
    if size > available:
        raise BadParameter(name, _("%(name)s is %(size)s, but the audit record holds "
                                   "%(available)s events.", name=name, size=size,
                                   available=available))
    return size


@blueprint.after_app_request
def checkpoint_when_due(response: Response) -> Response:
    """After a change is recorded, sign a checkpoint if one is due (looked at once a minute)."""
    if request.method == "POST" and response.status_code < 400:
        services().audit.checkpoint_if_due()
    return response
