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

    api.waiting_task(application, ApplicationFlow.revision_overdue_decide)  # the office decides next


def at(day: dt.date, hour=8):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC), tick=False)


def revision_asked(fund, people, club, deadline=dt.date(2026, 11, 16)):
    """Apply on 2 November; the office asks for a revision due by `deadline`."""
    with time_machine.travel(NOVEMBER, tick=False):
        application = journey.apply(journey.login(club[1]), fund)
        journey.office_step(journey.login(people["office"]), application, ApplicationFlow.check_completeness,
                            {"complete": "no", "checklist": ALL[:-1], "message": "Angebote fehlen.",
                             "deadline": deadline.isoformat()})  # fmt: skip
    return application


def sweep(day: dt.date) -> int:
    with at(day):
        return tasks.deadline_sweep()["revision_to_office"]


def decide(people, application, data):
    """The office decides the unanswered revision through its task; returns the task page's answer."""
    office = journey.login(people["office"])
    task = api.waiting_task(application, ApplicationFlow.revision_overdue_decide, statuses=["NEW", "ASSIGNED"])
    if task.status == "NEW":
        assert office.post(f"/geschaeftsstelle/aufgaben/{task.pk}/uebernehmen/").status_code == 302
    task_url = f"/geschaeftsstelle/vorgang/{task.process_id}/aufgabe/{task.pk}/"
    assert "Angebote fehlen." in office.get(task_url).content.decode()
    return office.post(task_url, data)


def test_the_office_decides_only_once_the_deadline_passed_and_the_sweep_honours_a_new_deadline(fund, people, club):
    application = revision_asked(fund, people, club)
    assert sweep(dt.date(2026, 11, 16)) == 0  # the deadline day still counts
    assert not ApplicationFlow.task_class.objects.filter(flow_task=ApplicationFlow.revision_overdue_decide).exists()
    assert sweep(dt.date(2026, 11, 17)) == 1
    assert sweep(dt.date(2026, 11, 17)) == 0  # handed over once
    assert application.audit_events.filter(action="revision_overdue").count() == 1

    with at(dt.date(2026, 11, 17), hour=9):
        refused = decide(people, application, {"outcome": "extend", "deadline": "2026-11-10"})
        assert "Die neue Frist muss nach der bisherigen liegen" in refused.content.decode()
        refused = decide(people, application, {"outcome": "extend"})
        assert "Legen Sie die neue Frist fest." in refused.content.decode()
        assert decide(people, application, {"outcome": "extend", "deadline": "2026-11-30"}).status_code == 302
    revision = application.revision_requests.get()
    assert revision.deadline == dt.date(2026, 11, 30)
    assert application.audit_events.get(action="revision_extend").after == {"deadline": "2026-11-30"}
    told = Notification.objects.get(dedupe_key__startswith=f"revision-extended:{revision.pk}:2026-11-30")
    assert told.email == club[0].email and str(told.context["deadline"]) == "2026-11-30"
    # The deadline was set by letter, and so is its extension; the first letter stays in the file.
    assert told.document == revision.letter and application.documents.filter(kind="revision_request").count() == 2
    with revision.letter.file.open("rb") as letter:
        text = pdf_text(letter.read())
    for part in ("Verlängerung der Frist zur Nachforderung", "bis zum 16.11.2026 zu ergänzen",
                 "verlängern die Frist für Ihre Antwort bis zum 30.11.2026", "Angebote fehlen."):  # fmt: skip
        assert part in text, part
    api.waiting_task(application, ApplicationFlow.await_revision)  # waiting for the applicant again

    assert sweep(dt.date(2026, 11, 30)) == 0
    assert sweep(dt.date(2026, 12, 1)) == 1
    api.waiting_task(application, ApplicationFlow.revision_overdue_decide)


def test_the_office_reminds_once_and_decides_again_a_week_later(fund, people, club):
    application = revision_asked(fund, people, club)
    assert sweep(dt.date(2026, 11, 17)) == 1
    with at(dt.date(2026, 11, 17), hour=9):
        assert decide(people, application, {"outcome": "remind"}).status_code == 302
    revision = application.revision_requests.get()
    assert revision.deadline == dt.date(2026, 11, 16) and revision.reminded_on == dt.date(2026, 11, 17)
    assert application.audit_events.get(action="revision_remind").after == {"deadline": "2026-11-16"}
    reminder = Notification.objects.get(dedupe_key__startswith=f"revision-reminder:{revision.pk}")
    assert reminder.template == "revision_requested" and reminder.email == club[0].email

    assert sweep(dt.date(2026, 11, 24)) == 0  # a week to answer the reminder
    assert sweep(dt.date(2026, 11, 25)) == 1
    with at(dt.date(2026, 11, 25), hour=9):
        refused = decide(people, application, {"outcome": "remind"})
    assert "wurde bereits erinnert" in refused.content.decode()
    assert Notification.objects.filter(dedupe_key__startswith="revision-reminder:").count() == 1


def test_an_answer_while_the_office_decides_settles_the_task_and_goes_to_the_check(fund, people, club):
    application = revision_asked(fund, people, club)
    assert sweep(dt.date(2026, 11, 17)) == 1
    office = journey.login(people["office"])
    task = api.waiting_task(application, ApplicationFlow.revision_overdue_decide)
    assert office.post(f"/geschaeftsstelle/aufgaben/{task.pk}/uebernehmen/").status_code == 302
    with at(dt.date(2026, 11, 18)):
        assert journey.login(club[1]).post(f"/antraege/{application.pk}/absenden/").status_code == 302
    application.refresh_from_db()
    task.refresh_from_db()
    assert application.status == "submitted" and task.status == "DONE"
    api.waiting_task(application, ApplicationFlow.check_completeness)


@pytest.mark.django_db(transaction=True)
def test_a_recommended_rejection_goes_to_the_next_meeting_and_the_body_decides(
    fund, people, club, celery_eager, smtp_sink
):
    application = revision_asked(fund, people, club)
    assert sweep(dt.date(2026, 12, 2)) == 1
    with at(dt.date(2026, 12, 2), hour=9):
        answer = decide(people, application, {"outcome": "reject", "note": "Keine Rückmeldung auf zwei Anrufe."})
    assert answer.status_code == 302
    application.refresh_from_db()
    assert application.status == "on_agenda"
    assert application.meeting.date == dt.date(2027, 1, 20)  # complete never: the cut-off counts from today
    recommendation = application.recommendations.get()
    assert recommendation.motion == "reject" and recommendation.amount == 0
    assert "Die Akte blieb unvollständig" in recommendation.reasoning
    assert "16.11.2026" in recommendation.reasoning and "Keine Rückmeldung auf zwei Anrufe." in recommendation.reasoning
    item = application.agenda_items.get()
    assert item.meeting == application.meeting and item.motions.get().kind == "reject"
    assert application.audit_events.filter(action="recommend_incomplete").exists()
    assert sweep(dt.date(2026, 12, 10)) == 0  # no longer in revision

    item = journey.vote_all(people["members"][:4], application)
    decision = journey.close_vote(people["chair"], item, reasons="Die Unterlagen fehlen bis heute.")
    assert decision.kind == "reject"
    wait_until(lambda: application.documents.filter(kind="rejection").exists(), message="the rejection letter")
    application.refresh_from_db()
    assert application.status == "rejected"
