"""The use-of-funds report in the fund's simple variant: the fund admin allows it (for grants up to an
amount, or for informal groups); the recipient then files only the receipt list with its uploads, the
unused amount is computed, and the office's check shows the receipts, sends the list back once, and
claims the rest back."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from grants.models import Fund, Report
from grants.rules.reports import simple_report_allowed, unused_amount
from tests import journey, pages
from tests.aftercare import granted, order_and_pay, request_money, review
from tests.factories import OrganisationFactory, UserFactory
from tests.grants.test_repayments import claim_task
from tests.samples import executable_bytes, pdf_bytes, upload
from workflows.flows import ApplicationFlow

MARCH = dt.datetime(2026, 3, 2, 10)
CLEAN_UP = {"requested": "300.00", "own": "50.00", "costs": ("350.00",), "title": "Saubere Außenmühle"}


def receipt(number, date, payee, purpose, amount, **more) -> dict:
    prefix = f"receipts-{number}-"
    return {f"{prefix}date": date, f"{prefix}payee": payee, f"{prefix}purpose": purpose,
            f"{prefix}amount": amount, **{prefix + key: value for key, value in more.items()}}  # fmt: skip


@pytest.fixture
def group(db):
    user = UserFactory(email="nora@heimfeld.example")
    organisation = OrganisationFactory(
        name="Müllsammelgruppe Heimfeld", legal_form="informal", contact_name="Nora Aydin",
        account_holder="Nora Aydin", members=[user],
    )  # fmt: skip
    return organisation, user


def allow_simple_report(fund, **settings):
    """The fund admin changes the fund's report settings in the admin, leaving everything else as it is."""
    admin = journey.login(UserFactory(is_staff=True, is_superuser=True))
    response = pages.submit(admin, f"/admin/grants/fund/{fund.pk}/change/", settings)
    assert response.status_code == 302, response.content.decode()[:3000]


def paid_grant(fund, people, organisation_and_user, **form):
    application = granted(fund, people, organisation_and_user, amount=form.get("requested", "2000.00"), **form)
    assert request_money(organisation_and_user, application, str(application.decisions.get().amount)).status_code == 302
    order_and_pay(people, application, "2026-03-02")
    application.refresh_from_db()
    assert application.status == "paid"
    return application


@pytest.mark.django_db(transaction=True)
def test_an_informal_group_files_only_the_receipt_list_and_the_unused_rest_is_claimed(
    fund, people, group, celery_eager, smtp_sink
):
    allow_simple_report(fund, simple_report_informal="on")
    fund = Fund.objects.get(pk=fund.pk)
    assert fund.simple_report_informal and fund.simple_report_up_to == 0
    with time_machine.travel(MARCH, tick=False):
        application = paid_grant(fund, people, group, **CLEAN_UP)
        applicant = journey.login(group[1])
        url = f"/antraege/{application.pk}/verwendungsnachweis/"
        page = applicant.get(url).content.decode()
        assert "nur die Belegliste" in page and "300,00 EUR" in page
        assert 'name="narrative"' not in page and 'name="unused_amount"' not in page

        # Three more lines: what was typed stays, nothing is stored.
        more = pages.submit(applicant, url, {**receipt(0, "2026-04-11", "Baumarkt Harburg", "Säcke", "20"),
                                             "more_lines": "1"})  # fmt: skip
        assert more.status_code == 200 and 'name="receipts-5-payee"' in more.content.decode()
        assert 'value="Baumarkt Harburg"' in more.content.decode() and not Report.objects.exists()

        # An executable renamed .pdf is refused at its line, and nothing is stored.
        bad = pages.submit(applicant, url, {**receipt(0, "2026-04-11", "Baumarkt Harburg", "Greifzangen", "180,00",
                                                      file=upload("beleg.pdf", executable_bytes()))})  # fmt: skip
        assert bad.status_code == 200 and "Nur PDF-, JPEG- und PNG-Dateien" in bad.content.decode()
        assert not Report.objects.exists() and not application.attachments.exists()

        response = pages.submit(applicant, url, {
            **receipt(0, "2026-04-11", "Baumarkt Harburg", "Greifzangen und Säcke", "180,00",
                      file=upload("beleg-baumarkt.pdf", pdf_bytes())),
            **receipt(1, "2026-04-12", "Getränke Kaya", "Wasser für den Aktionstag", "100,00"),
            **receipt(2, "2026-04-13", "Café Heimfeld", "Kaffee für das Orga-Team", "50,00"),
        })  # fmt: skip
        assert response.status_code == 302, response.content.decode()[:3000]
        assert "unverbraucht: 0,00 EUR" in applicant.get(url).content.decode()

        # The office sends it back; the group removes the coffee, its first receipt keeps its upload.
        review(people, application, "more", note="Der Kaffee für das Orga-Team ist nicht förderfähig.")
        page = applicant.get(url).content.decode()
        assert "Café Heimfeld" in page and "Für diese Zeile ist ein Beleg hochgeladen." in page
        response = pages.submit(applicant, url, {"receipts-2-DELETE": "on"})
        assert response.status_code == 302, response.content.decode()[:3000]
        assert "unverbraucht: 20,00 EUR" in applicant.get(url).content.decode()

    report = Report.objects.get(application=application)
    assert report.simple and (report.actual_costs, report.unused_amount) == (Decimal("280.00"), Decimal("20.00"))
    lines = list(report.receipt_lines.order_by("date"))
    assert [(line.payee, line.amount) for line in lines] == [("Baumarkt Harburg", Decimal("180.00")),
                                                              ("Getränke Kaya", Decimal("100.00"))]  # fmt: skip
    assert lines[0].attachment.original_name == "beleg-baumarkt.pdf" and lines[1].attachment is None
    assert application.attachments.count() == 1

    # The office's check shows the receipt list with the upload and the computed rest, and claims it back.
    office = journey.login(people["office"])
    with time_machine.travel(MARCH + dt.timedelta(days=60), tick=False):
        task_url = claim_task(office, application, ApplicationFlow.review_report)
        check = office.get(task_url).content.decode()
        assert "Einfacher Verwendungsnachweis: die Belegliste" in check
        assert "Greifzangen und Säcke" in check and f"/anlagen/{lines[0].attachment.pk}/" in check
        assert "280,00 EUR" in check and "20,00 EUR" in check
        refused = office.post(task_url, {"outcome": "accept", "note": "", "claim_reason": "unused"})
        assert refused.status_code == 200 and "zurückfordern" in refused.content.decode()
        response = office.post(task_url, {"outcome": "claim", "note": "20 EUR wurden nicht verbraucht.",
                                          "claim_amount": "20.00", "claim_reason": "unused"})  # fmt: skip
        assert response.status_code == 302
    assert application.repayment_claims.get().amount == Decimal("20.00")


@pytest.mark.django_db(transaction=True)
def test_the_simple_report_applies_up_to_the_funds_amount_and_not_above(fund, people, club, celery_eager, smtp_sink):
    def public():
        return Client().get(f"/foerderung/{fund.slug}/").content.decode()

    assert "genügt ein einfacher Verwendungsnachweis" not in public()
    allow_simple_report(fund, simple_report_up_to="500.00")
    assert "Für Zuwendungen bis 500,00 EUR genügt ein einfacher Verwendungsnachweis (nur die Belegliste)." in public()
    with time_machine.travel(MARCH, tick=False):
        small = paid_grant(fund, people, club, **CLEAN_UP)
        large = paid_grant(fund, people, club, title="Mitternachtsfußball")
        applicant = journey.login(club[1])
        small_page = applicant.get(f"/antraege/{small.pk}/verwendungsnachweis/").content.decode()
        large_page = applicant.get(f"/antraege/{large.pk}/verwendungsnachweis/").content.decode()
    assert "receipts-0-payee" in small_page and 'name="narrative"' not in small_page
    assert 'name="narrative"' in large_page and "receipts-0-payee" not in large_page


def test_the_rule_for_the_simple_report():
    def allowed(granted, up_to="0", informal=False, informal_allowed=False):
        return simple_report_allowed(granted=Decimal(granted), up_to=Decimal(up_to), informal=informal,
                                     informal_allowed=informal_allowed)  # fmt: skip

    assert allowed("500.00", up_to="500.00") and not allowed("500.01", up_to="500.00")
    assert not allowed("100.00")  # 0: no grant qualifies by its amount
    assert allowed("4000.00", informal=True, informal_allowed=True)
    assert not allowed("300.00", informal=True)
    assert unused_amount(paid=Decimal("300"), spent=Decimal("280")) == Decimal("20")
    assert unused_amount(paid=Decimal("300"), spent=Decimal("320")) == Decimal("0.00")
