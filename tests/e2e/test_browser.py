"""An applicant's journey in headless Chromium (Debian's browser, driven by Playwright)."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from grants.models import Application
from tests.factories import PASSWORD

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
def browser_page(tmp_path):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls here stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        context = browser.new_context(locale="en-US")
        page = context.new_page()
        page.csp_violations = []  # pages must keep working under the Content-Security-Policy
        page.on(
            "console",
            lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text),
        )
        yield page
        assert not page.csp_violations, page.csp_violations
        page.screenshot(path=str(tmp_path / "last.png"), full_page=True)
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="session")
def static_files():
    """Collect the static files before the live server (and WhiteNoise) starts."""
    call_command("collectstatic", interactive=False, verbosity=0)


def test_an_applicant_signs_in_fills_in_and_submits_an_application(
    static_files, live_server, fund, people, club, celery_eager, browser_page
):
    organisation, user = club
    page = browser_page
    page.goto(f"{live_server.url}/anmelden/")
    assert page.locator("html").get_attribute("lang") == "de"
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/antraege/")
    assert "Meine Anträge" in page.title()  # German, although the browser asks for en-US

    page.goto(f"{live_server.url}/antraege/neu/")
    start = dt.date.today() + dt.timedelta(days=90)
    page.fill("input[name=title]", "Mitternachtsfußball")
    page.fill("textarea[name=summary]", "Freitags Fußball von 22 bis 24 Uhr.")
    page.check(f"input[name=aims][value='{fund.aims.get(number=1).pk}']")
    page.fill("input[name=target_group]", "Jugendliche")
    page.fill("input[name=neighbourhood]", "Eißendorf")
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=end_date]", (start + dt.timedelta(days=90)).isoformat())
    page.fill("input[name=own_funds]", "600")
    page.fill("input[name=requested_amount]", "2400")
    page.fill("input[name='costs-0-description']", "Hallenmiete")
    page.fill("input[name='costs-0-amount']", "3000")
    for declaration in ["not_started", "no_double_funding", "truthful", "privacy"]:
        page.check(f"input[name=declared_{declaration}]")
    page.click("main form button[type=submit]")

    application = Application.objects.get(organisation=organisation)
    page.wait_for_url(f"{live_server.url}/antraege/{application.pk}/")
    page.goto(f"{live_server.url}/antraege/{application.pk}/absenden/")
    assert "3.000,00 EUR" in page.content()
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/antraege/{application.pk}/")

    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.reference in page.locator("[role=status], .messages").first.inner_text()
    assert page.request.get(f"{live_server.url}/static/css/app.css").status == 200
