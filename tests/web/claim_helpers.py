"""How the claim tests fill in the claim form, go through check your answers, and read the
commitment page."""

from __future__ import annotations

import io
from uuid import UUID

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

from tests.web.conftest import form_fields, html

ANSWERS = {"status": "limited", "period_start": "2024-01-01", "period_end": "2024-06-30",
           "narrative": "Contract awards are published.",
           "evidence": "https://example.org/awards\nhttps://example.org/register"}
CLAIM_FORM = "form[action$='/claims']"

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
CSV = b"contract,awarded\nroads,2024-03-01\n"


def browser_fields(soup: BeautifulSoup, selector: str) -> dict[str, str]:
    """What a browser sends for the form at ``selector``, selects included (the option
    marked selected, else the first)."""
    fields = form_fields(soup, selector)
    form = soup.select_one(selector)
    assert form is not None
    for select in form.select("select[name]"):
        chosen = select.select_one("option[selected]") or select.select_one("option")
        fields[str(select["name"])] = str(chosen["value"]) if chosen else ""
    return fields


def new_claim_url(commitment_id: UUID | str, **query: str) -> str:
    """The address of the claim form, with ``replaces``, ``challenges`` or ``milestone``."""
    suffix = "&".join(f"{name}={value}" for name, value in query.items())
    return f"/commitments/{commitment_id}/claims/new" + (f"?{suffix}" if suffix else "")


def claim_form(client: FlaskClient, commitment_id: UUID | str, *, url: str | None = None,
               **answers: str) -> dict[str, str]:
    """The claim form as its page serves it, filled in with valid answers and ``answers``."""
    soup = html(client.get(url or new_claim_url(commitment_id)))
    return {**browser_fields(soup, CLAIM_FORM), **ANSWERS, **answers}


def post_form(client: FlaskClient, url: str, fields: dict[str, str],
              *files: tuple[bytes, str]) -> TestResponse:
    """Send a form, with ``files`` as (content, name) in its "files" input if any.

    A form with files is encoded in memory: the test client's own encoding spools large
    bodies to a temporary file that it never closes."""
    if not files:
        return client.post(url, data=fields)
    data = MultiDict(list(fields.items()))
    for content, name in files:
        data.add("files", FileStorage(io.BytesIO(content), name))
    boundary, body = encode_multipart(data)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def submit(client: FlaskClient, commitment_id: UUID | str, fields: dict[str, str],
           *files: tuple[bytes, str]) -> TestResponse:
    """Press "Continue" on the claim form."""
    return post_form(client, f"/commitments/{commitment_id}/claims", fields, *files)


def record(client: FlaskClient, check_url: str) -> TestResponse:
    """Press "Record the claim" on the check page as it is served."""
    soup = html(client.get(check_url))
    form = soup.find("button", string="Record the claim").find_parent("form")
    return client.post(str(form["action"]), data=form_fields(str(form)))


def make_claim(client: FlaskClient, commitment_id: UUID | str, *, url: str | None = None,
               **answers: str) -> TestResponse:
    """The whole journey, answers to record: the form, check your answers, record."""
    response = submit(client, commitment_id, claim_form(client, commitment_id, url=url,
                                                        **answers))
    assert response.status_code == 303, response.get_data(as_text=True)
    return record(client, response.location)


def error_links(soup: BeautifulSoup) -> dict[str, str]:
    """The error summary's links (target -> message); each target must be on the page."""
    links = {str(a["href"]): a.get_text(strip=True) for a in soup.select(".error-summary a")}
    for target in links:
        if target.startswith("#"):
            assert soup.select_one(target) is not None, f"the error summary links to no {target}"
    return links


def timeline(soup: BeautifulSoup) -> list[str]:
    """The timeline's top-level entries, newest first, as their text."""
    return [" ".join(entry.get_text(" ").split())
            for entry in soup.select("#timeline > ol.timeline > .timeline__entry")]


def csrf_token(client: FlaskClient) -> str:
    """The session's CSRF token, from the sign-out form that every signed-in page has."""
    return form_fields(html(client.get("/")), "form[action='/logout']")["csrf_token"]


def sign_out(client: FlaskClient) -> None:
    """Press "Sign out"."""
    client.post("/logout", data=form_fields(html(client.get("/")), "form[action='/logout']"))
