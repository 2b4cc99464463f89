"""Letters after the decision: rendered once with their mandatory parts, filed as a Document
with its SHA-256, and (for letters to the recipient) e-mailed once through the outbox."""

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from notifications.pdf import render_pdf

from ..letters import TYPES, later_letter_context
from ..models import Application, Document
from .core import audit, tell_applicant


def later_letter_issue(*, application: Application, kind: str, actor, tell: bool = True, **facts) -> Document:
    """Render, file and (unless `tell` is False) e-mail one letter of `kind` about the application."""
    context = later_letter_context(application, letter_date=timezone.localdate(), **facts)
    document = letter_file(application=application, kind=kind, context=context, actor=actor)
    if tell:
        tell_applicant(application, "letter_issued", key=f"letter:{document.pk}", document=document)
    return document


def letter_file(*, application: Application, kind: str, context: dict, actor) -> Document:
    """Render the letter of `kind` (refused without a mandatory part) and file it as a Document of
    the application with its SHA-256."""
    pdf = render_pdf(TYPES[kind].template, context, parts=TYPES[kind].parts)
    document = Document(application=application, kind=kind, sha256=hashlib.sha256(pdf).hexdigest(), created_by=actor)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    document.file.save(f"{application.reference}-{kind}-{stamp}.pdf", ContentFile(pdf), save=False)
    document.save()
    audit(actor=actor, action="letter_issue", obj=document, application=application,
          after={"kind": kind, "sha256": document.sha256})  # fmt: skip
    return document
