"""HTTP caching of public answers: ETag and 304, a minute in shared caches for the public,
never for signed-in members or pages that carry a session's form token."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from accord.services import Services
from accord.web.caching import PUBLIC
from tests.scenario import World, claim
from tests.web.conftest import sign_in


def public_addresses(world: World) -> list[str]:
    """A page, a fragment-capable list, a download, a feed and the API."""
    return ["/", "/countries/GHA", f"/commitments/{world.commitment_id}",
            "/commitments.csv?country=GHA", "/commitments.json", "/feeds/changes.atom",
            "/feeds/countries/GHA.atom", "/api/v1/countries", "/api/v1/commitments",
            f"/api/v1/commitments/{world.commitment_id}"]


def test_public_answers_have_an_etag_and_may_be_kept_a_minute(
        client: FlaskClient, world: World) -> None:
    for url in public_addresses(world):
        response = client.get(url)
        assert response.status_code == 200, url
        # a minute in any cache, and a strong validator
        assert response.headers["Cache-Control"] == PUBLIC, url
        etag = response.headers["ETag"]
        assert etag.startswith('"'), url  # strong: not W/"..."
        # the same answer again has the same ETag
        assert client.get(url).headers["ETag"] == etag, url


def test_a_request_with_the_current_etag_gets_304_and_no_body(
        client: FlaskClient, world: World) -> None:
    for url in public_addresses(world):
        etag = client.get(url).headers["ETag"]
        response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 304, url
        assert response.get_data() == b"", url
        # the answer still says how long to keep it, and keeps its security headers
        assert response.headers["ETag"] == etag, url
        assert response.headers["Cache-Control"] == PUBLIC, url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        # another ETag gets the whole answer
        assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200, url


def test_a_change_gives_a_new_etag(
        client: FlaskClient, services: Services, world: World) -> None:
    urls = ["/countries/GHA", "/feeds/countries/GHA.atom", "/api/v1/countries",
            "/commitments.csv"]
    before = {url: client.get(url).headers["ETag"] for url in urls}
    # the government claims on a Ghanaian commitment
    claim(services.app, world.government, world.commitment_id, "limited")
    for url in urls:
        response = client.get(url, headers={"If-None-Match": before[url]})
        # the old ETag no longer holds: the new answer comes whole, with a new ETag
        assert response.status_code == 200, url
        assert response.headers["ETag"] != before[url], url


def test_signed_in_pages_are_never_stored_and_carry_no_etag(
        client: FlaskClient, world: World) -> None:
    sign_in(client, world.government)
    for url in ("/", "/countries/GHA", f"/commitments/{world.commitment_id}",
                "/api/v1/countries"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert "ETag" not in response.headers, url
        assert "Cookie" in response.headers["Vary"], url


def test_pages_vary_on_the_cookie_and_htmx_lists_on_hx_request(
        client: FlaskClient, world: World) -> None:
    # a page differs for a signed-in member: caches must tell the two apart
    assert "Cookie" in client.get("/").headers["Vary"]
    # a list that answers both a page and, for htmx, a fragment says so
    page = client.get("/countries/GHA?agreement=not_reported")
    fragment = client.get("/countries/GHA?agreement=not_reported",
                          headers={"HX-Request": "true"})
    for response in (page, fragment):
        vary = {value.strip() for value in response.headers["Vary"].split(",")}
        assert {"HX-Request", "HX-History-Restore-Request"} <= vary
    # and the two have different ETags, so neither is ever taken for the other
    assert page.headers["ETag"] != fragment.headers["ETag"]


@pytest.mark.parametrize("url", ["/login"])
def test_a_page_with_a_form_token_is_kept_by_nobody_else(
        client: FlaskClient, world: World, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    # the sign-in form carries this session's token: only this browser may keep it
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "ETag" not in response.headers


def test_the_health_check_is_never_cached(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert "ETag" not in response.headers


def test_errors_are_not_cached_as_public_answers(client: FlaskClient, world: World) -> None:
    for url in ("/countries/XYZ", "/api/v1/commitments?agreement=maybe",
                "/feeds/commitments/nothing.atom"):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert "public" not in response.headers.get("Cache-Control", ""), url
        assert "ETag" not in response.headers, url
