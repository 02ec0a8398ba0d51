"""Files sent with a form: stored through the blob store, and a larger size limit only on the
forms declared to take files, only for those who may use them."""

from __future__ import annotations

import io

import pytest
from flask import Flask, jsonify, request
from flask.testing import FlaskClient
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

from accord.domain.errors import DomainError
from accord.platform.policy import Action
from accord.services import Services
from accord.web.access import allow
from accord.web.uploads import (
    UPLOAD_LIMIT,
    accepts_uploads,
    allow_large_uploads,
    stored_attachments,
)
from tests.scenario import World
from tests.web.conftest import csrf_token, sign_in

PDF = b"%PDF-1.4\n%%EOF\n"
MEGABYTE = 1024 * 1024


def store_files() -> ResponseReturnValue:
    """What a claim form does with its file inputs."""
    try:
        attachments = stored_attachments(request.files.getlist("files"))
    except DomainError as refused:
        return jsonify(field=refused.field, message=str(refused)), 422
    return jsonify([[a.name, a.media_type, a.size] for a in attachments])


@allow(Action.READ_PUBLIC)
@accepts_uploads
def declared() -> ResponseReturnValue:
    return store_files()


@allow(Action.READ_PUBLIC)
def raised_in_the_view() -> ResponseReturnValue:
    allow_large_uploads()  # too late: the CSRF check has already read the form
    return store_files()


@allow(Action.CLAIM_STATUS)
@accepts_uploads
def members_only() -> ResponseReturnValue:
    return store_files()


@pytest.fixture
def upload_app(app: Flask) -> Flask:
    """The application with three test forms that take files."""
    for view in (declared, raised_in_the_view, members_only):
        app.add_url_rule(f"/test/{view.__name__}", view_func=view, methods=["POST"])
    return app


@pytest.fixture
def browser(upload_app: Flask) -> FlaskClient:
    return upload_app.test_client()


def post_files(client: FlaskClient, path: str, *files: tuple[bytes, str]) -> TestResponse:
    """Send a form with files, encoded in memory (the test client's own encoding of large
    bodies leaves a temporary file open when the application refuses to read it)."""
    fields = MultiDict([("csrf_token", csrf_token(client))])
    for content, name in files:
        fields.add("files", FileStorage(io.BytesIO(content), name))
    boundary, body = encode_multipart(fields)
    with client.post(f"/test/{path}", data=body,
                     content_type=f"multipart/form-data; boundary={boundary}") as response:
        response.get_data()
    return response


def pdf_of(size: int) -> bytes:
    return (PDF + bytes(size))[:size]


def test_files_are_stored_and_empty_inputs_ignored(
        browser: FlaskClient, services: Services) -> None:
    # two files chosen, and one file input left empty (browsers send it without a name)
    response = post_files(browser, "declared", (PDF, "report.pdf"), (b"", ""),
                          (b"a,b\n1,2\n", "/home/amina/table.csv"))
    assert response.status_code == 200
    assert response.get_json() == [["report.pdf", "application/pdf", len(PDF)],
                                   ["table.csv", "text/csv", 8]]


def test_refused_files_come_back_as_the_error_of_the_attachments_field(
        browser: FlaskClient) -> None:
    refused = post_files(browser, "declared", (b"<html></html>", "page.pdf"))
    assert refused.status_code == 422
    assert refused.get_json() == {
        "field": "attachments",
        "message": "page.pdf is not a PDF, an image, an office document or a CSV file."}
    empty = post_files(browser, "declared", (b"", "empty.pdf"))
    assert empty.get_json()["message"] == "empty.pdf is empty."


def test_more_than_five_files_are_refused_before_any_is_stored(
        browser: FlaskClient, services: Services) -> None:
    files = [(pdf_of(100 + number), f"report {number}.pdf") for number in range(6)]
    response = post_files(browser, "declared", *files)
    assert response.status_code == 422
    assert response.get_json()["message"] == "Attach at most 5 files to one claim."
    assert not services.blobs.directory.exists() or not any(
        path.is_file() for path in services.blobs.directory.rglob("*"))


def test_a_declared_form_accepts_five_files_of_ten_megabytes(browser: FlaskClient) -> None:
    files = [(pdf_of(10 * MEGABYTE - number), f"large {number}.pdf") for number in range(5)]
    response = post_files(browser, "declared", *files)
    assert response.status_code == 200
    assert len(response.get_json()) == 5
    # but not a request beyond the raised limit
    assert post_files(browser, "declared", *files, (pdf_of(MEGABYTE + 1), "one more.pdf")
                      ).status_code == 413
    assert UPLOAD_LIMIT == 51 * MEGABYTE


def test_other_forms_keep_the_one_megabyte_limit(browser: FlaskClient) -> None:
    # raising the limit inside the view is too late: the CSRF check read the form first
    response = post_files(browser, "raised_in_the_view", (pdf_of(2 * MEGABYTE), "big.pdf"))
    assert response.status_code == 413


def test_the_limit_is_raised_only_for_those_who_may_use_the_form(
        browser: FlaskClient, world: World) -> None:
    large = (pdf_of(2 * MEGABYTE), "big.pdf")
    # the public may not claim a status: Accord does not read a large request from them
    assert post_files(browser, "members_only", large).status_code == 413
    # a government member may
    sign_in(browser, world.government)
    assert post_files(browser, "members_only", large).status_code == 200


def test_a_form_sent_without_multipart_encoding_has_no_files(
        browser: FlaskClient, services: Services) -> None:
    # a file input sent as ordinary form data arrives as an empty string: no file
    with browser.post("/test/declared", data={"csrf_token": csrf_token(browser), "files": ""}
                      ) as response:
        assert response.status_code == 200
        assert response.get_json() == []
