"""The OpenAPI 3.1 description of the API, written by hand as data.

Its enumerations come from the code that checks them (agreement states, themes, orders,
limits), so that the description cannot drift from what the API accepts.
"""

from __future__ import annotations

from typing import Any

import pycountry

from accord.domain.agreement import Agreement
from accord.domain.countries import USER_ASSIGNED
from accord.domain.themes import THEMES
from accord.projections.listing import DEFAULT_SORT, PER_PAGE, PER_PAGE_MAX, SORTS
from accord.projections.progress import TIMELINE_KINDS
from accord.web.filters import PAGE_MAX, PLAN_MAX, Q_MAX, STATUS_MAX

JSON = "application/json"
COUNTRY_CODES = sorted({str(country.alpha_3) for country in pycountry.countries}
                       | set(USER_ASSIGNED))


def ref(name: str) -> dict[str, str]:
    """A reference to a schema of the components."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema``, or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    """An object with exactly these properties, all present."""
    schema: dict[str, Any] = {"type": "object", "properties": properties,
                              "required": sorted(properties), "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
TEXT = nullable(STRING)
URL = {"type": "string", "format": "uri-reference"}
DATE = {"type": "string", "format": "date"}
TIME = {"type": "string", "format": "date-time"}
UUID = {"type": "string", "format": "uuid"}
COUNT = {"type": "integer", "minimum": 0}
ISO3 = {"type": "string", "pattern": "^[A-Z]{3}$"}
AGREEMENT = {"type": "string", "enum": [state.value for state in Agreement],
             "description": "Where the two sides stand: agreed (same status), contested "
                            "(current claims differ), awaiting_government, "
                            "awaiting_civil_society (only one side reported), not_reported."}
PARTY = {"type": "string", "enum": ["government", "civil_society", "independent_reviewer"]}


PRINTABLE = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
"""Text without control characters (tabs and line breaks aside)."""


def parameter(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    """A query parameter."""
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


LIST_PARAMETERS = [
    parameter("country", {"type": "string", "enum": COUNTRY_CODES},
              "A country, by its ISO 3166-1 alpha-3 code (GHA; lower case is accepted too)."),
    parameter("agreement", AGREEMENT, "Only commitments in this agreement state."),
    parameter("status", {"type": "string", "maxLength": STATUS_MAX, "pattern": PRINTABLE},
              "Only commitments where a current claim (of any party) has this status code; "
              "a code that no claim has gives an empty list."),
    parameter("theme", {"type": "string", "enum": sorted(THEMES)}, "Only this theme."),
    parameter("plan", {"type": "string", "maxLength": PLAN_MAX, "pattern": PRINTABLE},
              "Only the commitments of this action plan (AP_GHA03, in any case)."),
    parameter("overdue", {"type": "string", "enum": ["yes", "no", "true", "false", "1", "0"]},
              "yes: only commitments past their end date that not every side calls complete."),
    parameter("q", {"type": "string", "maxLength": Q_MAX, "pattern": PRINTABLE},
              "Words to search for in titles, descriptions, references and institutions."),
    parameter("sort", {"type": "string", "enum": list(SORTS), "default": DEFAULT_SORT},
              "The order; a leading - means newest or latest first."),
    parameter("page", {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": 1},
              "The page, from 1."),
    parameter("per_page", {"type": "integer", "minimum": 1, "maximum": PER_PAGE_MAX,
                           "default": PER_PAGE}, "How many commitments a page holds."),
]

COMMITMENT_ID = {"name": "commitment_id", "in": "path", "required": True, "schema": STRING,
                 "description": "The commitment's id (a UUID)."}

SCHEMAS: dict[str, Any] = {
    "Error": obj({"error": obj({
        "code": {"type": "string", "enum": ["bad_parameter", "bad_request", "forbidden",
                                            "not_found", "method_not_allowed", "too_large",
                                            "too_many_requests", "server_error"]},
        "message": STRING,
        "parameter": nullable(STRING),
    })}),
    "Status": obj({"code": STRING, "label": STRING},
                  "A status of the commitment's framework: its code and its label."),
    "CommitmentLinks": obj({"page": URL, "api": URL, "history": URL, "feed": URL}),
    "CommitmentSummary": obj({
        "id": UUID, "country": ISO3, "country_name": STRING, "action_plan": TEXT,
        "reference": STRING, "title": STRING, "lead_institution": STRING,
        "end_date": nullable(DATE), "overdue": {"type": "boolean"}, "agreement": AGREEMENT,
        "government_status": nullable(ref("Status")),
        "civil_society_statuses": {"type": "array", "items": ref("Status")},
        "civil_society_reports": COUNT, "reviewer_status": nullable(ref("Status")),
        "last_change": TIME, "links": ref("CommitmentLinks"),
    }),
    "CommitmentList": obj({
        "total": COUNT, "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1}, "pages": {"type": "integer",
                                                                "minimum": 1},
        "agreement": obj({state.value: COUNT for state in Agreement},
                         "How many commitments the other filters admit in each agreement "
                         "state, whatever the agreement filter."),
        "next": nullable(URL), "previous": nullable(URL),
        "commitments": {"type": "array", "items": ref("CommitmentSummary")},
    }),
    "Country": obj({
        "code": ISO3, "name": STRING, "total": COUNT, "overdue": COUNT,
        "agreement": obj({state.value: COUNT for state in Agreement}),
        "links": obj({"commitments": URL, "page": URL, "feed": URL}),
    }),
    "CountryList": obj({"countries": {"type": "array", "items": ref("Country")}}),
    "Attachment": obj({"name": STRING, "size": COUNT, "media_type": STRING,
                       "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                       "url": URL}),
    "Claim": obj({
        "id": UUID, "party": PARTY,
        "organisation": obj({"id": UUID, "name": STRING, "verified": {"type": "boolean"}}),
        "status": ref("Status"), "milestone": TEXT,
        "period": obj({"start": DATE, "end": DATE}), "claimed_at": TIME,
        "narrative": STRING, "language": STRING,
        "evidence": {"type": "array", "items": STRING, "description": "Links to evidence."},
        "attachments": {"type": "array", "items": ref("Attachment")},
        "revises": nullable(UUID), "revision_reason": TEXT, "endorses": nullable(UUID),
        "challenges": nullable(UUID),
    }),
    "Claims": obj({party: {"type": "array", "items": ref("Claim")}
                   for party in PARTY["enum"]}, "Each party's current claims."),
    "Milestone": obj({
        "reference": STRING, "parent": TEXT, "title": STRING, "due_date": nullable(DATE),
        "overdue": {"type": "boolean"}, "agreement": AGREEMENT, "claims": ref("Claims"),
    }),
    "Commitment": obj({
        "id": UUID, "country": ISO3, "country_name": STRING, "action_plan": TEXT,
        "reference": STRING, "title": STRING, "description": STRING,
        "lead_institution": STRING, "start_date": nullable(DATE), "end_date": nullable(DATE),
        "overdue": {"type": "boolean"},
        "themes": {"type": "array", "items": {"type": "string", "enum": sorted(THEMES)}},
        "framework": STRING, "agreement": AGREEMENT, "claims": ref("Claims"),
        "milestones": {"type": "array", "items": ref("Milestone")},
        "last_change": TIME, "links": ref("CommitmentLinks"),
    }),
    "Change": obj({
        "position": {"type": "integer", "minimum": 1}, "at": TIME,
        "kind": {"type": "string", "enum": list(TIMELINE_KINDS)}, "description": STRING,
        "party": nullable(PARTY), "organisation": TEXT, "status": nullable(ref("Status")),
        "claim": nullable(UUID), "related_claim": nullable(UUID), "milestone": TEXT,
        "detail": TEXT,
    }),
    "History": obj({
        "commitment": UUID,
        "links": obj({"commitment": URL, "page": URL, "feed": URL}),
        "changes": {"type": "array", "items": ref("Change")},
    }),
    "Index": obj({"links": obj({"countries": URL, "commitments": URL, "openapi": URL})}),
}


def answer(description: str, schema: str) -> dict[str, Any]:
    """A response with a JSON body of the named schema."""
    return {"description": description, "content": {JSON: {"schema": ref(schema)}},
            "headers": {
                "ETag": {"description": "A hash of the body; send it back in If-None-Match.",
                         "schema": STRING},
                "Cache-Control": {"description": "public, max-age=60", "schema": STRING}}}


NOT_MODIFIED = {"description": "Not modified: the ETag sent in If-None-Match still holds."}
BAD = {"description": "A parameter makes no sense; the error names it.",
       "content": {JSON: {"schema": ref("Error")}}}
MISSING = {"description": "There is no such commitment.",
           "content": {JSON: {"schema": ref("Error")}}}


def operation(operation_id: str, summary: str, ok: dict[str, Any],
              parameters: list[dict[str, Any]] | None = None,
              errors: dict[str, Any] | None = None) -> dict[str, Any]:
    """A GET operation: its answer, its parameters, and its errors by status code."""
    return {"get": {"operationId": operation_id, "summary": summary,
                    "parameters": parameters or [],
                    "responses": {"200": ok, "304": NOT_MODIFIED, **(errors or {})}}}


def document() -> dict[str, Any]:
    """The whole description."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Accord API",
            "version": "1.0.0",
            "description": (
                "Read-only access to the commitments Accord tracks: where governments and "
                "civil society agree, where they disagree, and the evidence each gives. No "
                "account is needed. Every error is JSON. See docs/open-data.md."),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/": operation("index", "Where to start", answer("The API's resources.", "Index")),
            "/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This description",
                "responses": {"200": {"description": "The OpenAPI document.",
                                      "content": {JSON: {"schema": {"type": "object"}}}},
                              "304": NOT_MODIFIED}}},
            "/countries": operation(
                "countries", "Every country, with its commitments counted by agreement state",
                answer("The countries that have commitments, by code.", "CountryList")),
            "/commitments": operation(
                "commitments", "Commitments, filtered, sorted and a page at a time",
                answer("One page; `next` is the address of the next page, or null.",
                       "CommitmentList"),
                LIST_PARAMETERS, {"400": BAD}),
            "/commitments/{commitment_id}": operation(
                "commitment", "A commitment with each party's current claims and evidence",
                answer("The commitment.", "Commitment"), [COMMITMENT_ID], {"404": MISSING}),
            "/commitments/{commitment_id}/history": operation(
                "history", "Everything that happened to a commitment, oldest first",
                answer("The commitment's history.", "History"), [COMMITMENT_ID],
                {"404": MISSING}),
        },
        "components": {"schemas": SCHEMAS},
    }
