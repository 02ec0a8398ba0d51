"""Every answer of the API, to requests generated from its OpenAPI document (valid and
invalid parameters alike), matches that document: status, media type, headers and body."""

from __future__ import annotations

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from accord.services import Services
from accord.web.api.openapi import document
from tests.scenario import World, claim

EXAMPLES = 50
"""Requests generated per operation and backend."""


def test_every_answer_matches_the_openapi_document(
        app: Flask, services: Services, world: World) -> None:
    # the two sides disagree on one commitment
    claim(services.app, world.government, world.commitment_id, "limited")
    claim(services.app, world.civil_society, world.commitment_id, "substantial")
    # the API's own description, loaded from the running application
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()
        tried.append(operation.path)

        # requests generated for the operation, valid and invalid: each answer must be one
        # the description allows (no server error, a documented status, media type, body)
        @given(case=operation.as_strategy())
        @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None,
                             suppress_health_check=list(HealthCheck))
        def answers_as_described(case: schemathesis.Case) -> None:
            case.call_and_validate()

        answers_as_described()
    # every operation of the description was tried (but the description itself, which
    # schemathesis leaves out and tests/web/test_api.py checks)
    assert sorted(tried) == sorted(set(document()["paths"]) - {"/openapi.json"})
