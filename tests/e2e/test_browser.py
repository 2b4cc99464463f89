"""An applicant's journey in headless Chromium (Debian's browser, driven by Playwright; fixtures in conftest.py)."""

import datetime as dt

from grants.models import Application
from tests.factories import PASSWORD


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
