"""The application as a task list: sections in any order, their status, check your answers,
the error summary, two tabs, and typed text that survives a sign-in."""

import datetime as dt

import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from grants.models import Application, AuditEvent
from tests.factories import PASSWORD

START = (timezone.localdate() + dt.timedelta(days=120)).isoformat()
END = (timezone.localdate() + dt.timedelta(days=200)).isoformat()


def applicant(club):
    client = Client()
    client.force_login(club[1])
    return client


def begin(client, fund, club) -> Application:
    response = client.post("/antraege/beginnen/", {"fonds": fund.slug, "organisation": club[0].pk})
    assert response.status_code == 302
    return Application.objects.get(pk=int(response.url.strip("/").split("/")[-1]))


def section(client, application, slug, data):
    application.refresh_from_db()
    return client.post(f"/antraege/{application.pk}/abschnitt/{slug}/", {"version": application.version, **data})


def project(fund, **changes):
    return {"title": "Nachtfußball", "summary": "Freitags Fußball.", "aims": [fund.aims.first().pk],
            "target_group": "Jugendliche", "neighbourhood": "Heimfeld, Sporthalle", "start_date": START,
            "end_date": END, **changes}  # fmt: skip


COSTS = {"costs-TOTAL_FORMS": "3", "costs-INITIAL_FORMS": "0", "costs-MIN_NUM_FORMS": "0",
         "costs-MAX_NUM_FORMS": "1000", "costs-0-category": "fees", "costs-0-description": "Trainer",
         "costs-0-amount": "2.000,00", "costs-1-category": "material", "costs-1-description": "Bälle",
         "costs-1-amount": "1000", "costs-2-category": "other"}  # fmt: skip


def statuses(client, application):
    page = client.get(f"/antraege/{application.pk}/").content.decode()
    return [label for label in ("Nicht begonnen", "In Bearbeitung", "Vollständig") for _ in range(page.count(label))]


def test_sections_are_filled_in_any_order_each_with_its_status_then_checked_and_submitted(fund, club):
    client = applicant(club)
    application = begin(client, fund, club)
    assert begin(client, fund, club) == application  # a start posted twice leaves one draft
    assert statuses(client, application).count("Nicht begonnen") == 5
    assert section(client, application, "erklaerungen", {"declared_truthful": "on"}).status_code == 302
    assert (
        section(client, application, "finanzierung", {"own_funds": "600", "requested_amount": "2400"}).status_code
        == 302
    )
    page = client.get(f"/antraege/{application.pk}/").content.decode()
    assert page.count("In Bearbeitung") == 2
    assert section(client, application, "kosten", COSTS).status_code == 302
    assert section(client, application, "projekt", project(fund)).status_code == 302
    assert section(client, application, "erklaerungen", {"declared_truthful": "on", "declared_not_started": "on",
                   "declared_no_double_funding": "on", "declared_privacy": "on"}).status_code == 302  # fmt: skip
    page = client.get(f"/antraege/{application.pk}/").content.decode()
    assert page.count("Vollständig") == 4  # attachments: no quote yet
    check = client.get(f"/antraege/{application.pk}/absenden/").content.decode()
    assert f"/antraege/{application.pk}/abschnitt/projekt/" in check and "3.000,00 EUR" in check
    assert client.post(f"/antraege/{application.pk}/absenden/").status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted" and application.cost_lines.get(description="Trainer").category == "fees"


def test_an_invalid_section_shows_the_error_summary_and_the_field_error_and_stores_nothing(fund, club):
    client = applicant(club)
    application = begin(client, fund, club)
    events = AuditEvent.objects.count()
    response = section(client, application, "projekt", project(fund, end_date="2020-01-01"))
    page = response.content.decode()
    assert response.status_code == 200 and 'class="error-summary"' in page
    assert page.count("Das Projekt kann nicht enden, bevor es beginnt.") == 2  # in the summary and at the field
    assert 'href="#id_end_date"' in page
    application.refresh_from_db()
    assert application.title == "" and application.version == 0 and AuditEvent.objects.count() == events


def test_a_second_tab_cannot_overwrite_the_first_silently(fund, club):
    client = applicant(club)
    application = begin(client, fund, club)
    first_tab = {**project(fund, title="Aus Tab eins"), "version": 0}
    second_tab = {**project(fund, title="Aus Tab zwei"), "version": 0}
    url = f"/antraege/{application.pk}/abschnitt/projekt/"
    assert client.post(url, first_tab).status_code == 302
    response = client.post(url, second_tab)
    page = response.content.decode()
    assert response.status_code == 200 and "in einem anderen Tab" in page
    assert 'value="Aus Tab zwei"' in page  # what was typed is still on the page
    application.refresh_from_db()
    assert application.title == "Aus Tab eins" and application.version == 1
    assert client.post(url, first_tab).status_code == 200  # the same form posted twice is refused too


@override_settings(SESSION_IDLE_TIMEOUT_APPLICANT=600)
def test_typed_text_survives_an_expired_session_and_the_sign_in(fund, club):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post("/konto/login/", {"login": club[1].email, "password": PASSWORD})
        application = begin(client, fund, club)
    with time_machine.travel(start + dt.timedelta(seconds=900), tick=False):
        response = section(client, application, "projekt", project(fund, title="Mein langer Text"))
        assert response.status_code == 302 and "/konto/login/" in response.url
        application.refresh_from_db()
        assert application.title == ""  # nothing saved without a session
        response = client.post("/konto/login/", {"login": club[1].email, "password": PASSWORD,
                                                 "next": f"/antraege/{application.pk}/abschnitt/projekt/"})  # fmt: skip
        page = client.get(response.url).content.decode()
        assert 'value="Mein langer Text"' in page and "Hier ist, was Sie eingegeben haben" in page


def label_of(page: str, field_id: str) -> str:
    """The label (or legend) text of a field as the page renders it."""
    import re

    found = re.search(rf'<label class="(?:label|choice__label)" for="{field_id}">(.*?)</label>', page, re.S)
    return found[1] if found else ""


def test_a_revision_request_marks_the_items_it_names_with_the_deadline_and_no_others(fund, people, club):
    from tests import journey
    from workflows.flows import ApplicationFlow

    client = journey.login(club[1])
    application = journey.apply(client, fund)
    deadline = timezone.localdate() + dt.timedelta(days=14)
    in_order = [key for key in journey.ALL_IN_ORDER if key not in ("period", "quotes")]
    journey.office_step(journey.login(people["office"]), application, ApplicationFlow.check_completeness,
                        {"complete": "no", "checklist": in_order, "message": "Der Zeitraum passt nicht zur Sitzung.",
                         "deadline": deadline.isoformat()})  # fmt: skip
    mark = f"Von der Geschäftsstelle erbeten, bis {deadline:%d.%m.%Y}"

    page = client.get(f"/antraege/{application.pk}/").content.decode()
    assert 'id="task-projekt-asked"' in page and 'id="task-anlagen-asked"' in page and page.count(mark) == 2
    for slug in ("kosten", "finanzierung", "erklaerungen"):
        assert f'id="task-{slug}-asked"' not in page

    project = client.get(f"/antraege/{application.pk}/abschnitt/projekt/").content.decode()
    assert f"Die Geschäftsstelle bittet Sie, dies bis {deadline:%d.%m.%Y} zu ändern" in project
    assert "Zeitraum: plausibel" in project and "Angebote: so viele" not in project
    assert mark in label_of(project, "id_start_date") and mark in label_of(project, "id_end_date")
    for field in ("title", "summary", "target_group", "neighbourhood"):
        assert mark not in label_of(project, f"id_{field}"), field
    assert project.count("form-group--asked") == 2

    attachments = client.get(f"/antraege/{application.pk}/anlagen/").content.decode()
    assert "Angebote: so viele, wie der Betrag verlangt" in attachments and "Zeitraum: plausibel" not in attachments
    for slug in ("kosten", "finanzierung", "erklaerungen"):
        other = client.get(f"/antraege/{application.pk}/abschnitt/{slug}/").content.decode()
        assert "Die Geschäftsstelle bittet Sie" not in other and mark not in other and "form-group--asked" not in other

    # Everything on one page: the same marks, every item named at the top.
    whole = client.get(f"/antraege/{application.pk}/bearbeiten/").content.decode()
    assert "Zeitraum: plausibel" in whole and "Angebote: so viele" in whole
    assert mark in label_of(whole, "id_end_date") and mark not in label_of(whole, "id_requested_amount")


def test_where_the_fund_wants_the_quotes_with_the_application_too_few_stop_the_submission(fund, club):
    from tests import journey
    from tests.samples import pdf_bytes, upload

    fund.quotes_at_submission = True
    fund.save(update_fields=["quotes_at_submission"])
    assert "Laden Sie sie mit dem Antrag hoch" in Client().get(f"/foerderung/{fund.slug}/").content.decode()
    client = journey.login(club[1])
    form = journey.application_form(fund, costs=("2000.00",), requested="1400.00")  # 2,000 EUR: two quotes
    response = client.post(f"/antraege/neu/?fonds={fund.slug}", form)
    application = Application.objects.get(pk=int(response.url.strip("/").split("/")[-1]))
    attachments, check = f"/antraege/{application.pk}/anlagen/", f"/antraege/{application.pk}/absenden/"
    needed = "Für Gesamtkosten von 2.000,00 EUR braucht der Fonds 2 vergleichbare Angebote, bevor Sie den Antrag"
    assert needed in client.get(attachments).content.decode()
    assert "Sie haben noch kein Angebot hochgeladen." in client.get(attachments).content.decode()

    client.post(attachments, {"kind": "quote", "file": upload("angebot-halle.pdf", pdf_bytes())})
    page = client.get(check).content.decode()
    assert needed in page and "Sie haben 1 Angebot hochgeladen." in page and f'href="{attachments}"' in page
    refused = client.post(check)
    assert refused.status_code == 200 and "Sie haben 1 Angebot hochgeladen." in refused.content.decode()
    application.refresh_from_db()
    assert application.status == "draft" and application.reference is None
    assert "Sie haben 1 Angebot hochgeladen." in client.get(attachments).content.decode()

    client.post(attachments, {"kind": "statutes", "file": upload("satzung.pdf", pdf_bytes())})  # not a quote
    assert needed in client.get(check).content.decode()
    client.post(attachments, {"kind": "quote", "file": upload("angebot-trikots.pdf", pdf_bytes())})
    assert needed not in client.get(attachments).content.decode() and needed not in client.get(check).content.decode()
    assert client.post(check).status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
