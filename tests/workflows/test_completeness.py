"""The completeness check with its checklist, a revision request that names the items to fix and
a deadline, and the sweep that tells the office when the deadline passes without an answer."""

import datetime as dt
import hashlib

import pytest
import time_machine

from grants import tasks
from grants.models import Document, RevisionRequest
from grants.services.deadlines import office_emails
from notifications.models import Notification
from tests import journey
from tests.conftest import wait_until
from tests.workflows.test_process import pdf_text, pdfs_of
from workflows import api
from workflows.flows import ApplicationFlow

ALL = journey.ALL_IN_ORDER
NOVEMBER = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def test_complete_needs_every_item_of_the_checklist(fund, people, club):
    application = journey.apply(journey.login(club[1]), fund)
    office = journey.login(people["office"])
    task = api.waiting_task(application, ApplicationFlow.check_completeness)
    task_url = office.post(f"/geschaeftsstelle/aufgaben/{task.pk}/uebernehmen/")["Location"]
    form = office.get(task_url).content.decode()
    assert "Checkliste: Was ist in Ordnung?" in form and 'value="quotes"' in form
    refused = office.post(task_url, {"complete": "yes", "checklist": ALL[:-1]})
    assert "Ein Antrag ist erst vollständig, wenn jeder Punkt in Ordnung ist." in refused.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"
    assert office.post(task_url, {"complete": "yes", "checklist": ALL}).status_code == 302
    application.refresh_from_db()
    assert application.status == "assessment"
    assert application.audit_events.get(action="completeness_checklist").after == {"confirmed": ",".join(ALL)}


@pytest.mark.django_db(transaction=True)
def test_a_revision_request_names_the_items_and_the_office_hears_when_the_deadline_passes(
    fund, people, club, celery_eager, smtp_sink
):
    with time_machine.travel(NOVEMBER, tick=False):
        applicant = journey.login(club[1])
        application = journey.apply(applicant, fund)
        office = journey.login(people["office"])
        in_order = [key for key in ALL if key not in ("financing", "quotes")]
        journey.office_step(office, application, ApplicationFlow.check_completeness,
                            {"complete": "no", "checklist": in_order, "message": "Bitte bis zum 16.11. ergänzen.",
                             "deadline": "2026-11-16"})  # fmt: skip
        revision = RevisionRequest.objects.get(application=application)
        assert revision.items == ["financing", "quotes"] and revision.deadline == dt.date(2026, 11, 16)
        page = applicant.get(f"/antraege/{application.pk}/").content.decode()
        assert "Finanzierungsplan: ergibt die Gesamtkosten, Drittmittel angegeben" in page
        assert "Angebote: so viele, wie der Betrag verlangt" in page
        wait_until(lambda: len(smtp_sink.messages) == 2, message="receipt and revision request")
        mail = smtp_sink.messages[1].get_body(("plain",)).get_content()
        assert "- Angebote: so viele, wie der Betrag verlangt" in mail and "16.11.2026" in mail
        # The request is a letter too: filed with its SHA-256, attached, and listed in the applicant's letters.
        letter = Document.objects.get(application=application, kind=Document.REVISION_REQUEST)
        assert revision.letter == letter
        [pdf] = pdfs_of(smtp_sink.messages[1])
        assert hashlib.sha256(pdf).hexdigest() == letter.sha256
        text = pdf_text(pdf)
        for part in ("Nachforderung", application.reference, "Angebote: so viele, wie der Betrag verlangt",
                     "Bitte bis zum 16.11. ergänzen.", "spätestens bis zum 16.11.2026", "Wenn keine Antwort eingeht",
                     fund.signatory_name):  # fmt: skip
            assert part in text, part
        page = applicant.get(f"/antraege/{application.pk}/").content.decode()
        assert f'href="/dokumente/{letter.pk}/"' in page and "Nachforderung (PDF)" in page

    with time_machine.travel(dt.datetime(2026, 11, 16, 20, 0, tzinfo=dt.UTC), tick=False):
        # The deadline day itself still counts: the applicant has been reminded, the office not told.
        assert tasks.deadline_sweep()["revision"] == 1
        assert Notification.objects.filter(template="revision_overdue").count() == 0
    with time_machine.travel(dt.datetime(2026, 11, 17, 8, 0, tzinfo=dt.UTC), tick=False):
        assert tasks.deadline_sweep()["revision"] == 1
        assert tasks.deadline_sweep()["revision"] == 0  # told once, however often the sweep runs
    told = 3 + len(office_emails(fund))  # receipt, revision request, reminder; each office address
    wait_until(lambda: len(smtp_sink.messages) == told, message="the applicant's reminder and the office's e-mails")
    office_mail = next(message for message in smtp_sink.messages if message["To"] == fund.office_email)
    assert office_mail["To"] == fund.office_email
    assert application.reference in office_mail["Subject"]
    asked = "erinnern, die Frist verlängern oder eine Ablehnung empfehlen"
    assert asked in office_mail.get_body(("plain",)).get_content()

    with time_machine.travel(dt.datetime(2026, 11, 17, 9, 0, tzinfo=dt.UTC), tick=False):
        office = journey.login(people["office"])  # a fortnight later: a new session
        page = office.post(f"/akten/{application.pk}/nachbesserung/", {"action": "extend", "deadline": "2026-11-30"},
                           follow=True).content.decode()  # fmt: skip
        assert "Die neue Frist ist versandt." in page, page[page.find("<main") :][:1500]
        page = office.post(f"/akten/{application.pk}/nachbesserung/", {"action": "extend", "deadline": "2026-11-20"},
                           follow=True).content.decode()  # fmt: skip
        assert "Die neue Frist muss nach der bisherigen liegen" in page
        page = office.post(f"/akten/{application.pk}/nachbesserung/", {"action": "remind"}, follow=True)
        assert "Die Antragstellerin oder der Antragsteller wurde erinnert." in page.content.decode()
    revision.refresh_from_db()
    assert revision.deadline == dt.date(2026, 11, 30)
    wait_until(lambda: len(smtp_sink.messages) == told + 2, message="the new deadline and the reminder")
    assert all("30.11.2026" in message.get_body(("plain",)).get_content() for message in smtp_sink.messages[told:])
    with time_machine.travel(dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC), tick=False):
        assert tasks.deadline_sweep()["revision"] == 1  # the new deadline passed too
    assert Notification.objects.filter(template="revision_overdue").count() == 2 * len(office_emails(fund))
