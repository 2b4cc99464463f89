"""Uploads of an application: checked by content (grants.uploads), stored under a random name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from ..models import Application, Attachment
from ..status import Status
from ..uploads import ALLOWED, upload_problem
from .core import audit, lock_application, require_member

# Receipts and photos belong to the report, after the grant; everything else to the application.
REPORT_KINDS = {Attachment.Kind.RECEIPT, Attachment.Kind.PHOTO}
EDITABLE = {Status.DRAFT, Status.REVISION}
REPORTING = {Status.APPROVED, Status.PAID}


def _may_change(application: Application, kind: str) -> bool:
    return application.status in EDITABLE or (kind in REPORT_KINDS and application.status in REPORTING)


@transaction.atomic
def attachment_add(*, application: Application, actor, kind: str, upload) -> Attachment:
    """Store an uploaded file for the application once it passed the content checks."""
    require_member(application.organisation, actor)
    lock_application(application)
    if not _may_change(application, kind):
        raise ValidationError(_("Documents can no longer be added to this application."))
    if kind not in Attachment.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of document this is.")})
    data = b"" if upload.size > settings.UPLOAD_MAX_BYTES else upload.read()
    problem, content_type = upload_problem(data=data, size=upload.size)
    if problem:
        raise ValidationError({"file": problem})
    name = get_valid_filename(upload.name.rsplit("/", 1)[-1])[:150] or "datei"
    attachment = Attachment(application=application, kind=kind, original_name=name, content_type=content_type,
                            size=upload.size, uploaded_by=actor, uploaded_at=timezone.now())  # fmt: skip
    attachment.file.save(f"upload.{ALLOWED[content_type]}", ContentFile(data), save=False)
    attachment.save()
    audit(actor=actor, action="attachment_add", obj=attachment, application=application,
          after={"kind": kind, "name": name, "size": upload.size})  # fmt: skip
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor) -> None:
    """Delete an upload while the application can still be changed."""
    application = attachment.application
    require_member(application.organisation, actor)
    lock_application(application)
    if not _may_change(application, attachment.kind):
        raise ValidationError(_("Documents of this application can no longer be removed."))
    audit(actor=actor, action="attachment_remove", obj=attachment, application=application,
          before={"kind": attachment.kind, "name": attachment.original_name})  # fmt: skip
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))
