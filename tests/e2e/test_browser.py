"""Journeys in a real browser: htmx enhances the pages, and they work without JavaScript too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

pytestmark = pytest.mark.browser

GHANA_CIVIL_SOCIETY = "coastal-budget-watch@demo.accord.test"
COLOMBIA_CIVIL_SOCIETY = "cuentas-claras@demo.accord.test"
PASSWORD = "accord-demo-2026"


def _sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("You are signed in.")).to_be_visible()


def _first_unreported_commitment(page: Page, base_url: str, country: str) -> str:
    page.goto(f"{base_url}/countries/{country}?agreement=not_reported")
    link = page.locator("#commitments tbody tr a").first
    href = link.get_attribute("href")
    assert href is not None
    return href


def _fill_claim(page: Page, narrative: str) -> None:
    page.locator("input[name=status]").first.check()
    page.get_by_label("Reporting period starts").fill("2025-01-01")
    page.get_by_label("Reporting period ends").fill("2025-06-30")
    page.get_by_label("What has been done, and how you know").fill(narrative)
    page.get_by_label("Evidence links (optional)").fill("https://example.org/demo/e2e")


def test_filtering_a_country_swaps_the_table_in_place_and_keeps_the_filter_in_the_url(
        browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda message: _collect_errors(message, problems))
    # Open Ghana's page and mark the document, to tell a swap from a new page load.
    page.goto(f"{base_url}/countries/GHA")
    assert page.evaluate("typeof window.htmx") == "object"
    page.evaluate("window.accordMarker = 'same document'")
    all_rows = page.locator("#commitments tbody tr").count()
    # Choose "Contested": htmx fetches the fragment and pushes the filtered URL.
    page.get_by_label("Agreement").select_option("contested")
    expect(page).to_have_url(re.compile(r"agreement=contested"))
    expect(page.locator("#commitments tbody tr").first).to_be_visible()
    tags = page.locator("#commitments tbody .tag:not(.tag--overdue)").all_inner_texts()
    assert tags
    assert set(tags) == {"Contested"}
    assert len(tags) < all_rows
    assert page.evaluate("window.accordMarker") == "same document"
    # The filtered URL, opened afresh, shows the same rows with the filter selected.
    page.reload()
    expect(page.get_by_label("Agreement")).to_have_value("contested")
    assert page.locator("#commitments tbody .tag:not(.tag--overdue)").all_inner_texts() == tags
    assert problems == []


def test_what_a_member_types_is_kept_while_typing_and_recorded_after_checking(
        browser: Browser, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: _collect_errors(message, problems))
    # Sign in and open a commitment nobody has reported on yet.
    _sign_in(page, base_url, GHANA_CIVIL_SOCIETY)
    commitment = base_url + _first_unreported_commitment(page, base_url, "GHA")
    page.goto(commitment)
    expect(page.locator("#current-claims .tag")).to_have_text("Not reported")
    # Submit the form empty first: the error summary is at the top of the claim page.
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".error-summary")).to_contain_text("Choose a status.")
    # Type an explanation and wait: htmx keeps it on the server without any submission.
    page.goto(commitment)
    page.get_by_label("What has been done, and how you know").fill("Kept while typing.")
    with page.expect_response(lambda response: response.url.endswith("/claims/draft")) as saved:
        page.wait_for_timeout(100)
    assert saved.value.status == 204
    # A reload (or a new sign-in after a timeout) finds it again in the claim form.
    page.goto(commitment.replace("/commitments/", "/commitments/", 1) + "/claims/new")
    expect(page.get_by_label("What has been done, and how you know")).to_have_value(
        "Kept while typing.")
    # Fill it in and continue: the answers are shown back, and nothing is recorded yet.
    _fill_claim(page, "Seen in the browser test.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.locator(".check-answers")).to_contain_text("Seen in the browser test.")
    # Record it: the commitment shows the claim and the new agreement state at once.
    page.get_by_role("button", name="Record the claim").click()
    expect(page.get_by_text("Your claim has been recorded.")).to_be_visible()
    expect(page.locator("#current-claims .tag").first).to_have_text("Awaiting government")
    expect(page.locator("#current-claims")).to_contain_text("Seen in the browser test.")
    assert problems == []
    context.close()


def test_the_same_claim_journey_works_without_javascript(
        browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    # Sign in and open another unreported commitment, with scripts off.
    _sign_in(page, base_url, COLOMBIA_CIVIL_SOCIETY)
    page.goto(base_url + _first_unreported_commitment(page, base_url, "COL"))
    # Plain form posts: the form, then the answers to check, then the commitment.
    _fill_claim(page, "Recorded without JavaScript.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    page.get_by_role("button", name="Record the claim").click()
    expect(page.get_by_text("Your claim has been recorded.")).to_be_visible()
    expect(page.locator("#current-claims")).to_contain_text("Recorded without JavaScript.")
    expect(page.locator("#current-claims .tag").first).to_have_text("Awaiting government")
    context.close()


def _collect_errors(message: ConsoleMessage, problems: list[str]) -> None:
    # The browser reports every 4xx response; the 422 of a form with errors is expected.
    if message.type == "error" and "status of 422" not in message.text:
        problems.append(message.text)
