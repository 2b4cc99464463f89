"""The office's internal notes on a file."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Application, InternalNote
from ..roles import OFFICE
from .core import audit, require_fund_role

NOTE_MAX_LENGTH = 5000


@transaction.atomic
def note_add(*, application: Application, actor, text: str) -> InternalNote:
    """Add an internal note: the office of the fund reads it, the applicant and the steering group never."""
    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office writes internal notes."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the note first."))
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(_("A note can be at most %(count)s characters long.") % {"count": NOTE_MAX_LENGTH})
    note = InternalNote.objects.create(application=application, author=actor, text=text)
    # The trail records that a note was written, not what it says (it may name people).
    audit(actor=actor, action="note_add", obj=note, application=application, after={"length": len(text)})
    return note
