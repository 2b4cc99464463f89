"""A steering member's meeting in headless Chromium (Debian's browser, driven by Playwright):
sign-in with password and authenticator code, a conflict of interest declared on one item,
votes on the others; axe-core finds no WCAG 2.1 A/AA violation on these pages."""

import re
import time

from allauth.mfa import app_settings as mfa_settings

from accounts.second_factor import current_code
from grants import services
from grants.models import ConflictDeclaration, Vote
from tests.factories import PASSWORD, TOTP_SECRET, ApplicationFactory, OrganisationFactory, UserFactory
from tests.steps import on_agenda

TITLES = ["Mitternachtsfußball", "Stadtteilfest Phoenix", "Hausaufgabenhilfe Eißendorf"]


def meeting_in_session(fund, people):
    """Three applications on the agenda of one meeting; the chair has opened it, recorded the
    members with a vote as present and called every item."""
    items = []
    for title in TITLES:
        organisation = OrganisationFactory(members=[UserFactory()])
        items.append(on_agenda(ApplicationFactory(fund=fund, organisation=organisation, title=title), people["office"]))
    meeting = items[0].meeting
    assert all(item.meeting_id == meeting.pk for item in items)
    chair = people["chair"]
    services.meeting_open(meeting=meeting, actor=chair)
    voting = [member for member in people["members"] if member.fund_roles.filter(fund=fund, has_vote=True).exists()]
    services.attendance_record(meeting=meeting, actor=chair, present=voting)
    for item in items:
        services.item_open(agenda_item=item, actor=chair)
    return meeting, items


def authenticator_code() -> str:
    """The app's code now, or after the next step begins if this one is about to run out
    (the portal accepts only the current step's code)."""
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < 5:
        time.sleep(left + 0.2)
    return current_code(TOTP_SECRET)


def test_a_member_signs_in_with_a_second_factor_declares_a_conflict_and_votes(
    static_files, live_server, fund, people, celery_eager, browser_page, axe_audit
):
    meeting, (recused, approved, rejected) = meeting_in_session(fund, people)
    member = people["members"][1]
    page = browser_page

    # Sign in: password, then the code of the authenticator app.
    page.goto(f"{live_server.url}/konto/login/")
    assert page.locator("html").get_attribute("lang") == "de"
    axe_audit(page, "Anmeldung")
    page.fill("input[name=login]", member.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/konto/2fa/authenticate/")
    assert page.locator("html").get_attribute("lang") == "de"
    axe_audit(page, "Zweiter Faktor")
    page.fill("input[name=code]", authenticator_code())
    page.click("main form button[type=submit]:not([form])")

    # Signed in: the meeting list, in German although the browser asks for en-US.
    page.wait_for_url(f"{live_server.url}/sitzungen/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.title().startswith("Sitzungen")
    assert page.locator("h1").inner_text() == "Sitzungen der Lenkungsgruppe"
    assert "Angemeldet als" in page.locator(".header__user").inner_text()
    axe_audit(page, "Sitzungen")

    page.click(f"main a[href='/sitzungen/{meeting.pk}/']")
    page.wait_for_url(f"{live_server.url}/sitzungen/{meeting.pk}/")
    items = {item.pk: page.locator(f"#item-{item.pk}") for item in (recused, approved, rejected)}
    for item in items.values():
        assert item.get_by_role("button", name="Stimme abgeben").is_visible()

    # A conflict of interest on the first item: its vote controls go, a notice says why.
    first = items[recused.pk]
    first.locator("summary", has_text="Ich bin befangen").click()
    first.get_by_label("Grund der Befangenheit").fill("Ich bin Mitglied im Vorstand des antragstellenden Vereins.")
    axe_audit(page, "Sitzung, Formular zur Befangenheit geöffnet")
    with page.expect_navigation():
        first.get_by_role("button", name="Befangenheit erklären").click()
    assert "Ihre Befangenheit wurde vermerkt" in page.locator("main .messages [role=status]").inner_text()
    assert first.locator("form.vote-form, input[name=choice]").count() == 0
    assert first.get_by_role("button", name=re.compile("Stimme")).count() == 0
    assert "Sie haben sich bei diesem Antrag für befangen erklärt" in first.locator(".notice").inner_text()

    # Votes on the other two items, each through its own radio buttons and button.
    for item, label in ((approved, "Ja"), (rejected, "Nein")):
        controls = items[item.pk]
        controls.get_by_role("radio", name=label, exact=True).check()
        with page.expect_navigation():
            controls.get_by_role("button", name="Stimme abgeben").click()
        assert "Ihre Stimme wurde gespeichert" in page.locator("main .messages [role=status]").inner_text()
        assert items[item.pk].get_by_role("radio", name=label, exact=True).is_checked()
        assert items[item.pk].get_by_role("button", name="Stimme ändern").is_visible()
    axe_audit(page, "Sitzung nach Befangenheit und Stimmabgabe")

    votes = Vote.objects.filter(member=member).values_list("motion__agenda_item", "choice")
    assert sorted(votes) == sorted([(approved.pk, Vote.YES), (rejected.pk, Vote.NO)])
    assert not Vote.objects.filter(motion__agenda_item=recused).exists()
    declaration = ConflictDeclaration.objects.get(member=member)
    assert declaration.agenda_item_id == recused.pk
    assert declaration.reason.startswith("Ich bin Mitglied im Vorstand")

    axe_audit.assert_clean()
