"""The public side: start page, a fund's page with its rules and calendar, the mandatory pages."""

import pytest
from django.test import Client

from grants.models import FundPage
from tests.factories import UserFactory
from workflows.demo_pages import create_public_pages


@pytest.fixture
def published(fund):
    create_public_pages(fund)
    return fund


def test_the_start_page_lists_the_funds_without_a_login(published):
    response = Client().get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert published.name in page and f"/foerderung/{published.slug}/" in page
    assert "Konto anlegen" in page  # a newcomer meets a way in, not a login form


def test_a_signed_in_applicant_still_goes_to_the_applications(published, club):
    client = Client()
    client.force_login(club[1])
    assert client.get("/").url == "/antraege/"
    assert client.get("/foerderung/").status_code == 200


def test_the_fund_page_shows_who_decides_the_rules_and_the_next_meetings(published, fund):
    page = Client().get(f"/foerderung/{fund.slug}/").content.decode()
    for expected in (
        fund.body_name,
        fund.office_name,
        "Lenkungsgruppe der Sicherheitskonferenz",  # the admin's description
        "Höchstens 5.000,00 EUR",
        "ein angemessener Eigenanteil",  # own contribution text of the fund
        "bevor die Sitzung",  # not started before the decision
        "ein Angebot bis 500,00 EUR",
        "Nächste Sitzungen",
        "Projekte, die schon begonnen haben",  # what it does not pay for
        "Telefon 040 123456-0",
    ):
        assert expected in page, expected
    assert page.count("<tr>") >= 2  # header and at least one meeting


def test_mandatory_pages_are_fund_data_edited_by_the_admin_and_shown_escaped(published):
    page = FundPage.objects.get(fund=published, kind="impressum")
    page.body = "## Verantwortlich\n<script>alert(1)</script>\n\n- Punkt eins\n- Punkt zwei"
    page.save()
    content = Client().get("/seiten/impressum/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content and "<script>alert" not in content
    assert '<h2 class="heading-m">Verantwortlich</h2>' in content and "<li>Punkt zwei</li>" in content
    for kind in ("datenschutz", "barrierefreiheit", "leichte-sprache"):
        assert Client().get(f"/seiten/{kind}/").status_code == 200
    assert Client().get("/seiten/gibt-es-nicht/").status_code == 404
    assert Client().get("/foerderung/gibt-es-nicht/").status_code == 404


def test_every_page_links_the_privacy_notice_and_the_imprint(published):
    content = Client().get("/konto/login/").content.decode()
    assert "/seiten/datenschutz/" in content and "/seiten/impressum/" in content and "Leichte Sprache" in content


def test_staff_keep_their_own_start_page(published):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200  # no role yet: the page that explains how to get one
