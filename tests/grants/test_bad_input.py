"""Bad input, case by case: each gets a clear German message at its field (and in the error
summary) and stores nothing, not even half; markup is shown as text everywhere."""

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from grants.models import Application, Attachment, AuditEvent, CostLine, Organisation
from tests.factories import PASSWORD, UserFactory
from tests.samples import executable_bytes, pdf_bytes, upload

START = (timezone.localdate() + dt.timedelta(days=120)).isoformat()
END = (timezone.localdate() + dt.timedelta(days=200)).isoformat()


@pytest.fixture
def draft(fund, club):
    """A draft with a cost plan of 3,000 EUR, begun through the task list."""
    client = Client()
    client.force_login(club[1])
    response = client.post("/antraege/beginnen/", {"fonds": fund.slug, "organisation": club[0].pk})
    application = Application.objects.get(pk=int(response.url.strip("/").split("/")[-1]))
    costs = {"costs-TOTAL_FORMS": "2", "costs-INITIAL_FORMS": "0", "costs-MIN_NUM_FORMS": "0",
             "costs-MAX_NUM_FORMS": "1000", "costs-0-category": "fees", "costs-0-description": "Trainer",
             "costs-0-amount": "3000", "costs-1-category": "other", "version": "0"}  # fmt: skip
    assert client.post(f"/antraege/{application.pk}/abschnitt/kosten/", costs).status_code == 302
    application.refresh_from_db()
    return client, application


def state(application=None):
    """Everything a refused input must leave as it was."""
    rows = (AuditEvent.objects.count(), Organisation.objects.count(), Attachment.objects.count(),
            CostLine.objects.count(), Application.objects.count())  # fmt: skip
    if application is None:
        return rows
    application.refresh_from_db()
    fields = ("title", "version", "own_funds", "requested_amount", "start_date", "end_date")
    return rows + tuple(getattr(application, name) for name in fields)


def project(fund, **changes):
    return {"title": "Nachtfußball", "summary": "Freitags.", "aims": [fund.aims.first().pk],
            "target_group": "Jugendliche", "neighbourhood": "Heimfeld", "start_date": START, "end_date": END,
            **changes}  # fmt: skip


def refused(response, message, field_id=None):
    page = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert 'class="error-summary"' in page, "no error summary"
    assert page.count(message) >= (2 if field_id else 1), f"message not shown: {message}"
    if field_id:
        assert f'href="#{field_id}"' in page, f"summary does not link to the field {field_id}"


ORGANISATION = {"name": "Nachbarn", "legal_form": "ev", "street": "Weg 1", "postcode": "21073", "city": "Hamburg",
                "contact_name": "Nina Neu", "email": "n@example.org", "account_holder": "Nachbarn"}  # fmt: skip


def test_an_iban_with_a_wrong_checksum(db):
    client = Client()
    client.force_login(UserFactory())
    before = state()
    response = client.post("/organisation/neu/", {**ORGANISATION, "iban": "DE89 3704 0044 0532 0130 01"})
    refused(response, "Das ist keine gültige IBAN.", "id_iban")
    assert state() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("own_funds", "-50", "Geben Sie einen Betrag von 0 oder mehr ein."),
        ("requested_amount", "99.999.999,00", "weit über dem, was der Fonds zahlen kann"),
        ("own_work", "zwölf", "Bitte eine Zahl eingeben."),
    ],
)
def test_a_negative_or_absurd_amount(draft, field, value, message):
    client, application = draft
    before = state(application)
    data = {"version": application.version, "requested_amount": "1000", field: value}
    refused(client.post(f"/antraege/{application.pk}/abschnitt/finanzierung/", data), message, f"id_{field}")
    assert state(application) == before


def test_a_negative_cost_line(draft):
    client, application = draft
    before = state(application)
    costs = {"costs-TOTAL_FORMS": "1", "costs-INITIAL_FORMS": "0", "costs-MIN_NUM_FORMS": "0",
             "costs-MAX_NUM_FORMS": "1000", "costs-0-category": "fees", "costs-0-description": "Minus",
             "costs-0-amount": "-10", "version": application.version}  # fmt: skip
    refused(client.post(f"/antraege/{application.pk}/abschnitt/kosten/", costs), "Betrag über 0", "id_costs-0-amount")
    assert state(application) == before


def test_a_requested_amount_above_the_total_cost(draft):
    client, application = draft
    before = state(application)
    data = {"version": application.version, "requested_amount": "3.000,01"}
    response = client.post(f"/antraege/{application.pk}/abschnitt/finanzierung/", data)
    refused(response, "nicht mehr beantragen als die Gesamtkosten von 3.000,00 EUR", "id_requested_amount")
    assert state(application) == before


def test_an_end_date_before_the_start(draft, fund):
    client, application = draft
    before = state(application)
    response = client.post(f"/antraege/{application.pk}/abschnitt/projekt/",
                           {"version": application.version, **project(fund, end_date="2020-01-01")})  # fmt: skip
    refused(response, "Das Projekt kann nicht enden, bevor es beginnt.", "id_end_date")
    assert state(application) == before


def test_an_executable_renamed_pdf(draft):
    client, application = draft
    before = state(application)
    response = client.post(f"/antraege/{application.pk}/anlagen/",
                           {"kind": "quote", "file": upload("angebot.pdf", executable_bytes())})  # fmt: skip
    refused(response, "Nur PDF-, JPEG- und PNG-Dateien", "id_file")
    assert state(application) == before


@override_settings(UPLOAD_MAX_BYTES=2048)
def test_a_file_over_the_limit(draft):
    client, application = draft
    before = state(application)
    big = upload("gross.pdf", pdf_bytes() + b"\n%" + b"x" * 4096)
    response = client.post(f"/antraege/{application.pk}/anlagen/", {"kind": "quote", "file": big})
    refused(response, "Die Datei ist größer als", "id_file")
    assert state(application) == before


def test_markup_and_script_in_text_fields_are_shown_as_text(draft, fund):
    client, application = draft
    evil = '<script>alert("x")</script><b>fett</b>'
    response = client.post(f"/antraege/{application.pk}/abschnitt/projekt/",
                           {"version": application.version, **project(fund, title=evil, summary=evil)})  # fmt: skip
    assert response.status_code == 302
    for url in (f"/antraege/{application.pk}/", f"/antraege/{application.pk}/absenden/", "/antraege/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<b>fett</b>" not in page, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page, url


def test_a_form_posted_twice(draft, fund):
    client, application = draft
    data = {"version": application.version, **project(fund, title="Einmal")}
    assert client.post(f"/antraege/{application.pk}/abschnitt/projekt/", data).status_code == 302
    before = state(application)
    refused(client.post(f"/antraege/{application.pk}/abschnitt/projekt/", data), "in einem anderen Tab")
    assert state(application) == before
    drafts = Application.objects.count()
    for _attempt in range(2):
        client.post("/antraege/beginnen/", {"fonds": fund.slug, "organisation": application.organisation.pk})
    assert Application.objects.count() == drafts + 1  # one new draft, not two


@override_settings(SESSION_IDLE_TIMEOUT_APPLICANT=600)
def test_an_expired_session_in_the_middle_of_a_section(draft, fund, club):
    _client, application = draft
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post("/konto/login/", {"login": club[1].email, "password": PASSWORD})
        client.get(f"/antraege/{application.pk}/abschnitt/projekt/")  # the page is opened, then left alone
    with time_machine.travel(start + dt.timedelta(seconds=700), tick=False):
        before = state(application)
        data = {"version": application.version, **project(fund, summary="Ein langer, mühsam getippter Text.")}
        response = client.post(f"/antraege/{application.pk}/abschnitt/projekt/", data)
        assert response.status_code == 302 and state(application) == before
        client.post("/konto/login/", {"login": club[1].email, "password": PASSWORD})
        page = client.get(f"/antraege/{application.pk}/abschnitt/projekt/").content.decode()
        assert "Ein langer, mühsam getippter Text." in page
        assert client.post(f"/antraege/{application.pk}/abschnitt/projekt/", data).status_code == 302
        application.refresh_from_db()
        assert application.summary == "Ein langer, mühsam getippter Text."
