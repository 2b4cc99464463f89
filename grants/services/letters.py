"""Decision letters: filed once as a Document with their SHA-256 and the dates they
state, e-mailed once through the outbox; a correction is a new Document."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.pdf import render_pdf

from ..letters import TYPES, decision_letter_context, letter_kind, receipt_letter_context
from ..models import Application, Decision, Document, Objection
from ..roles import OFFICE
from ..rules import dates
from .core import audit, require_fund_role, tell_applicant


def _file(decision: Decision, pdf: bytes, *, kind: str, **fields) -> Document:
    document = Document(
        application=decision.application,
        decision=decision,
        kind=kind,
        sha256=hashlib.sha256(pdf).hexdigest(),
        **fields,
    )
    document.file.save(f"{decision.application.reference}-{kind}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


@transaction.atomic
def decision_letter_issue(*, decision: Decision) -> Document:
    """File the decision's letter once, dated today, and e-mail it once; safe to run twice."""
    decision = (
        Decision.objects.select_for_update(no_key=True, of=("self", "application"))
        .select_related("application__fund")
        .get(pk=decision.pk)
    )
    kind = letter_kind(decision)
    document = Document.objects.filter(decision=decision, kind=kind, supersedes=None).first()
    if document is None:
        today = timezone.localdate()
        fund = decision.application.fund
        decision.notified_on = dates.deemed_notified(today, days=fund.notification_days)
        decision.appeal_ends_on = dates.appeal_period_end(
            decision.notified_on, months=fund.appeal_months, state=fund.state
        )
        decision.save(update_fields=["notified_on", "appeal_ends_on"])
        pdf = render_pdf(
            TYPES[kind].template, decision_letter_context(decision, letter_date=today), parts=TYPES[kind].parts
        )
        document = _file(decision, pdf, kind=kind)
        Objection.objects.filter(remedy_decision=decision, letter=None).update(letter=document)
        audit(actor=None, action="letter_issue", obj=document, application=decision.application,
              after={"kind": kind, "sha256": document.sha256, "appeal_ends_on": decision.appeal_ends_on})  # fmt: skip
    tell_applicant(decision.application, "decision_letter", key=f"letter:{document.pk}", document=document)
    return document


@transaction.atomic
def receipt_letter_issue(*, application: Application) -> Document:
    """File the confirmation of receipt once and e-mail it with the PDF attached; safe to run twice."""
    application = (
        Application.objects.select_for_update(no_key=True, of=("self",))
        .select_related("fund", "meeting")
        .get(pk=application.pk)
    )
    document = Document.objects.filter(application=application, kind=Document.RECEIPT).first()
    if document is None:
        kind = TYPES[Document.RECEIPT]
        context = receipt_letter_context(application, letter_date=timezone.localdate(application.submitted_at))
        pdf = render_pdf(kind.template, context, parts=kind.parts)
        document = Document(application=application, kind=Document.RECEIPT, sha256=hashlib.sha256(pdf).hexdigest())
        document.file.save(f"{application.reference}-receipt.pdf", ContentFile(pdf), save=False)
        document.save()
        audit(actor=None, action="letter_issue", obj=document, application=application,
              after={"kind": Document.RECEIPT, "sha256": document.sha256})  # fmt: skip
    facts = receipt_letter_context(application, letter_date=None)
    tell_applicant(application, "application_received", key=f"received:{application.pk}", document=document,
                   meeting_date=facts["meeting"].date if facts["meeting"] else None,
                   starts_before_meeting=facts["starts_before_meeting"])  # fmt: skip
    return document


@transaction.atomic
def document_correct(*, document: Document, actor, reason: str) -> Document:
    """Issue a corrected letter that supersedes `document`; both are kept, linked.

    The correction states the same notification and appeal dates as the original:
    correcting an obvious error (§ 42 VwVfG) does not restart the appeal period."""
    document = (
        Document.objects.select_for_update(no_key=True, of=("self",))
        .select_related("application__fund", "decision")
        .get(pk=document.pk)
    )
    require_fund_role(document.application.fund, actor, OFFICE, message=_("Only the office corrects letters."))
    if document.decision_id is None:  # reminders and other letters are not decisions: issue a new one
        raise ValidationError(_("Only a decision letter is corrected here."))
    if not reason.strip():
        raise ValidationError(_("Say what the correction changes."))
    if not document.is_current:
        raise ValidationError(_("This letter has already been corrected; correct the newest version."))
    context = decision_letter_context(document.decision, letter_date=timezone.localdate(), corrects=document)
    context["correction_reason"] = reason.strip()
    pdf = render_pdf(TYPES[document.kind].template, context, parts=TYPES[document.kind].parts)
    correction = _file(
        document.decision, pdf, kind=document.kind, supersedes=document, correction_reason=reason.strip(),
        created_by=actor,
    )  # fmt: skip
    audit(actor=actor, action="letter_correct", obj=correction, application=document.application,
          before={"document": document.pk, "sha256": document.sha256},
          after={"document": correction.pk, "sha256": correction.sha256, "reason": reason})  # fmt: skip
    tell_applicant(document.application, "letter_corrected", key=f"letter:{correction.pk}", document=correction)
    return correction
