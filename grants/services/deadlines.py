"""The deadline sweeps: idempotent, run by beat every hour (grants.tasks.deadline_sweep) or by
`manage.py run_due_jobs` from cron. Each notice carries a dedupe key of object, kind and due date,
so a sweep that runs twice sends nothing twice, and a moved date starts its notices afresh.

When beat was down across several stages, only the latest stage due is sent (a reminder that the
report is due in 14 days is pointless once it is overdue)."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction

from notifications.models import Notification
from notifications.pdf import render_pdf
from notifications.services import notify

from .. import selectors
from ..letters import TYPES, report_reminder_context
from ..models import Application, Document
from ..roles import OFFICE
from ..selectors import deadlines as due
from .core import audit


@dataclass(frozen=True)
class Stage:
    event: str  # the e-mail template
    offset: int  # days after the due date (negative: before)
    to_office: bool = False
    letter: str = ""  # a Document kind filed and attached


REPORT_STAGES = (
    Stage("report_upcoming", -14),
    Stage("report_due_today", 0),
    Stage("report_reminder", 7, letter=Document.REPORT_REMINDER),
    Stage("report_final_reminder", 14, letter=Document.FINAL_REMINDER),
    Stage("report_escalation", 21, to_office=True),
)
FINAL_REMINDER_DAYS = 14  # the final reminder's last date, counted from its letter date
REVISION_STAGES = (Stage("revision_reminder", -3), Stage("revision_overdue", 1, to_office=True))


def latest_stage(stages, due_date: dt.date, today: dt.date) -> Stage | None:
    reached = [stage for stage in stages if due_date + dt.timedelta(days=stage.offset) <= today]
    return reached[-1] if reached else None


def office_emails(fund) -> list[str]:
    people = fund.roles.filter(role=OFFICE, user__is_active=True).values_list("user__email", flat=True)
    return [email for email in dict.fromkeys([fund.office_email, *people]) if email]


def _already(key: str) -> bool:
    return Notification.objects.filter(dedupe_key__startswith=f"{key}:").exists()


def _file_letter(application: Application, kind: str, today: dt.date) -> Document:
    answer_by = today + dt.timedelta(days=FINAL_REMINDER_DAYS) if kind == Document.FINAL_REMINDER else None
    context = report_reminder_context(application, letter_date=today, answer_by=answer_by)
    pdf = render_pdf(TYPES[kind].template, context, parts=TYPES[kind].parts)
    document = Document(application=application, kind=kind, sha256=hashlib.sha256(pdf).hexdigest())
    document.file.save(f"{application.reference}-{kind}.pdf", ContentFile(pdf), save=False)
    document.save()
    audit(actor=None, action="letter_issue", obj=document, application=application,
          after={"kind": kind, "sha256": document.sha256})  # fmt: skip
    return document


@transaction.atomic
def _send_stage(application: Application, stage: Stage, key: str, today: dt.date, **context) -> bool:
    """Send one stage's notice (and file its letter) once per key; the application's row lock keeps
    two sweeps running at once from both filing the letter."""
    application = (
        Application.objects.select_for_update(no_key=True, of=("self",))
        .select_related("fund", "organisation")
        .get(pk=application.pk)
    )
    if _already(key):
        return False
    document = _file_letter(application, stage.letter, today) if stage.letter else None
    emails = office_emails(application.fund) if stage.to_office else [application.organisation.email]
    notify(stage.event, emails=emails, dedupe_key=key, application=application, document=document,
           context={"reference": application.reference, "title": application.title, **context})  # fmt: skip
    return True


def report_reminders_send(today: dt.date) -> list[str]:
    sent = []
    for application in due.reports_outstanding(today, earliest_offset=REPORT_STAGES[0].offset):
        stage = latest_stage(REPORT_STAGES, application.report_due, today)
        key = f"deadline:report:{application.pk}:{stage.event}:{application.report_due.isoformat()}"
        if _send_stage(application, stage, key, today, report_due=application.report_due):
            sent.append(key)
    return sent


def revision_reminders_send(today: dt.date) -> list[str]:
    sent = []
    for request in due.revisions_open(today, earliest_offset=REVISION_STAGES[0].offset):
        stage = latest_stage(REVISION_STAGES, request.deadline, today)
        key = f"deadline:revision:{request.pk}:{stage.event}:{request.deadline.isoformat()}"
        if _send_stage(request.application, stage, key, today, deadline=request.deadline):
            sent.append(key)
    return sent


def final_notices_send(today: dt.date) -> list[str]:
    """Tell the recipient that the grant is final and can be called off (Mittelabruf)."""
    sent = []
    stage = Stage("decision_final", 1)
    for decision in due.grants_become_final(today):
        if decision.pk != selectors.latest_decision(decision.application).pk:
            continue
        key = f"deadline:appeal:{decision.pk}:{stage.event}:{decision.appeal_ends_on.isoformat()}"
        if _send_stage(decision.application, stage, key, today, appeal_ends_on=decision.appeal_ends_on):
            sent.append(key)
    return sent


def deadlines_run(*, today: dt.date) -> dict[str, int]:
    """Every deadline notice due by `today` that has not gone out yet; how many of each kind."""
    return {
        "report": len(report_reminders_send(today)),
        "revision": len(revision_reminders_send(today)),
        "appeal_end": len(final_notices_send(today)),
    }
