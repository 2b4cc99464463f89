"""Decision letters: rendered once with WeasyPrint as tagged PDF/A, filed as a
Document with its SHA-256, and e-mailed through the outbox."""

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from grants.models import Decision, Document
from grants.services import audit, report_due_on

from .services import notify

TEMPLATES = {Document.APPROVAL: "letters/approval.html", Document.REJECTION: "letters/rejection.html"}


def letter_context(decision: Decision) -> dict:
    application = decision.application
    total = application.total_cost
    share = (decision.amount * 100 / total).quantize(Decimal("0.01"), ROUND_HALF_UP) if total else Decimal(0)
    return {
        "fund": application.fund,
        "organisation": application.organisation,
        "application": application,
        "decision": decision,
        "letter_date": timezone.localdate(),
        "report_due": report_due_on(application),
        "share_percent": f"{share:.2f}".replace(".", ","),
    }


def render_letter_pdf(template: str, context: dict) -> bytes:
    """Render a letter template to an archivable, tagged PDF (PDF/A-3a)."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/a-3a")


@transaction.atomic
def decision_letter_issue(*, decision: Decision) -> Document:
    """File the decision's letter (once) and e-mail it to the organisation (once)."""
    kind = Document.APPROVAL if decision.kind == Decision.APPROVE else Document.REJECTION
    document = Document.objects.filter(decision=decision, kind=kind).first()
    if document is None:
        pdf = render_letter_pdf(TEMPLATES[kind], letter_context(decision))
        document = Document(
            application=decision.application, decision=decision, kind=kind, sha256=hashlib.sha256(pdf).hexdigest()
        )
        document.file.save(f"{decision.application.reference}-{kind}.pdf", ContentFile(pdf), save=False)
        document.save()
        audit(
            actor=None,
            action="letter_issue",
            obj=document,
            application=decision.application,
            after={"kind": kind, "sha256": document.sha256},
        )
    notify(
        "decision_letter",
        emails=[decision.application.organisation.email],
        dedupe_key=f"letter:{document.pk}",
        application=decision.application,
        document=document,
    )
    return document
