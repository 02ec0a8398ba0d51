"""The stewards' import page: upload a CSV file, read the same report as the command line."""

from __future__ import annotations

import io
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from accord.domain.commitment import Commitment
from accord.services import Services
from tests.imports_support import OGP_SAMPLE, Rows, edited, row_index, shared_file
from tests.scenario import World
from tests.web.conftest import form_fields, html, sign_in, steward, text

PAGE = "/manage/imports"
FORM = "main form[method=post]"


def upload(client: FlaskClient, data: bytes | None, kind: str = "ogp", **extra: Any
           ) -> TestResponse:
    """Fill in the page's form with the file and send it, as a browser would."""
    fields: dict[str, Any] = {**form_fields(html(client.get(PAGE)), FORM), "kind": kind,
                              **extra}
    if data is not None:
        fields["file"] = (io.BytesIO(data), "upload.csv")
    return sent(client, fields)


def sent(client: FlaskClient, fields: dict[str, Any]) -> TestResponse:
    """POST the fields as multipart; the body is read, then the request's stream is closed
    (the test client spools large bodies to a temporary file, which it closes with the
    response only when it is asked to follow redirects)."""
    response = client.post(PAGE, data=fields, content_type="multipart/form-data",
                           follow_redirects=True)
    response.get_data()
    response.close()
    return response


def test_a_steward_uploads_the_sample_and_reads_the_summary(
        client: FlaskClient, services: Services, world: World) -> None:
    sample = shared_file(OGP_SAMPLE)
    # A steward finds the page from the directory's navigation.
    sign_in(client, steward(services))
    nav = html(client.get("/manage/organisations")).select_one("nav.subnav")
    assert nav is not None
    assert nav.find("a", string="Imports")["href"] == PAGE
    # The sample (over 1 MB, more than other forms accept) is imported; the world's GH0001
    # was registered before, with other details.
    assert sample.stat().st_size > 1024 * 1024
    response = upload(client, sample.read_bytes())
    assert response.status_code == 200
    assert text(html(response), ".import-summary") == (
        "imported 259 commitments (258 new, 1 changed), 107 action plans (107 new, 0 changed), "
        "258 claims, 0 rejected rows")
    # The commitments are recorded and on the public pages at once.
    assert services.app.exists(Commitment.create_id("ALB", "AL0002"))
    assert "AL0002" in client.get("/countries/ALB").get_data(as_text=True)
    # The IRM, whose ratings the import recorded, is in the directory as a reviewer.
    row = html(client.get("/manage/organisations")).find(
        "a", string="OGP Independent Reporting Mechanism").find_parent("tr")
    assert "Independent reviewer" in row.get_text()


def test_rejected_rows_are_listed_with_their_lines_and_nothing_is_recorded(
        client: FlaskClient, services: Services, world: World) -> None:
    changed: list[int] = []

    def edit(rows: Rows) -> None:
        changed.append(row_index(rows, "AL0002"))
        rows[changed[0]]["End Date"] = "someday"

    data, lines = edited(shared_file(OGP_SAMPLE), edit)
    sign_in(client, steward(services))
    response = upload(client, data)
    # The report says nothing was recorded, and lists the row with its line.
    assert response.status_code == 422
    soup = html(response)
    assert text(soup, ".import-summary") == "nothing recorded: 258 valid rows, 1 rejected row"
    assert text(soup, "#rejected-rows tbody tr") == (
        f'{lines[changed[0]]} The end date "someday" is not a date this import understands.')
    assert not services.app.exists(Commitment.create_id("ALB", "AL0002"))
    # Ticking "record the valid rows" records the others.
    response = upload(client, data, skip_invalid="y")
    assert response.status_code == 200
    assert text(html(response), ".import-summary").startswith("imported 258 commitments")


def test_a_missing_or_wrong_file_gets_an_error_summary(
        client: FlaskClient, services: Services, world: World) -> None:
    sign_in(client, steward(services))
    # No file at all.
    response = upload(client, None)
    assert response.status_code == 422
    summary = html(response).select_one(".error-summary a")
    assert summary is not None
    assert (summary.get_text(strip=True), summary["href"]) == ("Choose a CSV file.", "#file")
    # A CSV file of another kind: its missing columns are named.
    response = upload(client, b"name,value\nx,1\n", kind="plan")
    assert response.status_code == 422
    assert "4 missing (kind, country, reference, title_en)" in text(
        html(response), ".error-summary")
    # A file that is not text.
    response = upload(client, b"%PDF-1.7\x00\x01\x02", kind="plan")
    assert "binary file" in text(html(response), ".error-summary")


def test_only_stewards_may_import(client: FlaskClient, services: Services, world: World
                                  ) -> None:
    # A government member is refused the page and the upload.
    sign_in(client, world.government)
    assert client.get(PAGE).status_code == 403
    token = form_fields(html(client.get("/login")), "form[action^='/login']")["csrf_token"]
    response = sent(client, {"csrf_token": token, "kind": "plan",
                             "file": (io.BytesIO(b"kind,country\n"), "x.csv")})
    assert response.status_code == 403
    # The public is sent to sign in.
    client.post("/logout", data={"csrf_token": token})
    assert "/login" in client.get(PAGE).location


def test_large_uploads_are_open_to_stewards_only(
        client: FlaskClient, services: Services, world: World) -> None:
    big = b"x" * (2 * 1024 * 1024)
    sign_in(client, world.civil_society)
    token = form_fields(html(client.get("/login")), "form[action^='/login']")["csrf_token"]
    # Another account sending two megabytes is stopped by the site-wide limit.
    response = sent(client, {"csrf_token": token, "file": (io.BytesIO(big), "x.csv")})
    assert response.status_code == 413
