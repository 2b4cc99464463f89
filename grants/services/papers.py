"""The papers of a meeting: the invitation letter and the agenda pack seven days ahead, and the
minutes the chair approves after the meeting (a correction is a new version)."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.pdf import render_pdf
from notifications.services import notify

from ..calendar import meeting_ics
from ..letters import TYPES, agenda_pack_context, invitation_context, minutes_context
from ..models import Document, Meeting
from ..roles import PRESIDING, STEERING, has_fund_role
from .core import audit


def _file_paper(meeting, kind, pdf: bytes, **fields) -> Document:
    document = Document(meeting=meeting, kind=kind, sha256=hashlib.sha256(pdf).hexdigest(), **fields)
    document.file.save(f"{meeting.date.isoformat()}-{kind}.pdf", ContentFile(pdf), save=False)
    document.save()
    return document


def _current(meeting, kind) -> Document | None:
    return Document.objects.filter(meeting=meeting, kind=kind, superseded_by=None).first()


def agenda_pack_render(meeting: Meeting) -> bytes:
    """The agenda pack as it stands now, as PDF."""
    kind = Document.AGENDA_PACK
    return render_pdf(TYPES[kind].template, agenda_pack_context(meeting, letter_date=timezone.localdate()),
                      parts=TYPES[kind].parts)  # fmt: skip


@transaction.atomic
def meeting_invite(*, meeting: Meeting) -> Document | None:
    """Invite the body: file the invitation letter and the agenda pack and e-mail both, with an
    .ics, to every member. Safe to run twice: a meeting is invited once."""
    meeting = Meeting.objects.select_for_update(no_key=True, of=("self",)).select_related("fund").get(pk=meeting.pk)
    if meeting.invited_at is not None:
        return None
    kind = TYPES[Document.INVITATION]
    facts = invitation_context(meeting, letter_date=timezone.localdate())
    invitation = _file_paper(meeting, Document.INVITATION, render_pdf(kind.template, facts, parts=kind.parts),
                             supersedes=_current(meeting, Document.INVITATION))  # fmt: skip
    pack = _file_paper(meeting, Document.AGENDA_PACK, agenda_pack_render(meeting),
                       supersedes=_current(meeting, Document.AGENDA_PACK))  # fmt: skip
    members = meeting.fund.roles.filter(role__in=STEERING).select_related("user")
    context = {"meeting_date": meeting.date, "body": meeting.fund.body_name, "agenda": facts["agenda"],
               "meeting_id": meeting.pk, "ics": meeting_ics(meeting, facts["agenda"])}  # fmt: skip
    notify("meeting_invitation", emails=sorted({role.user.email for role in members}),
           dedupe_key=f"invitation:{meeting.pk}", document=invitation, attachments=[pack], context=context)  # fmt: skip
    meeting.invited_at = timezone.now()
    meeting.save(update_fields=["invited_at"])
    audit(actor=None, action="meeting_invite", obj=meeting,
          after={"invitation": invitation.sha256, "agenda_pack": pack.sha256})  # fmt: skip
    return invitation


def meeting_invitation_refused(*, meeting: Meeting, problems: list[str]) -> None:
    """Tell the office, once per meeting, that its invitation cannot go out until the fund's data
    is complete (the hourly run keeps trying and invites as soon as it is)."""
    from .deadlines import office_emails

    notify("meeting_invitation_refused", emails=office_emails(meeting.fund),
           dedupe_key=f"invitation-refused:{meeting.pk}",
           context={"meeting_date": meeting.date, "meeting_id": meeting.pk, "problems": problems})  # fmt: skip


@transaction.atomic
def minutes_approve(*, meeting: Meeting, actor, reason: str = "") -> Document:
    """Approve the minutes of a closed meeting as chair; they are then fixed. Approving again is
    a correction: a new version, with its reason, that supersedes the one before."""
    meeting = Meeting.objects.select_for_update(no_key=True, of=("self",)).select_related("fund").get(pk=meeting.pk)
    if not has_fund_role(actor, meeting.fund, *PRESIDING):
        raise ValidationError(_("Only the chair approves the minutes."))
    if meeting.status != Meeting.Status.CLOSED:
        raise ValidationError(_("The minutes are approved once the meeting is closed."))
    previous = _current(meeting, Document.MINUTES)
    if previous and not reason.strip():
        raise ValidationError(_("The minutes are approved already: say what the correction changes."))
    context = minutes_context(meeting, letter_date=timezone.localdate(), corrects=previous, reason=reason.strip())
    pdf = render_pdf(TYPES[Document.MINUTES].template, context, parts=TYPES[Document.MINUTES].parts)
    minutes = _file_paper(meeting, Document.MINUTES, pdf, supersedes=previous, created_by=actor,
                          correction_reason=reason.strip())  # fmt: skip
    audit(actor=actor, action="minutes_approve", obj=minutes, fund=meeting.fund,
          after={"meeting": meeting.date, "sha256": minutes.sha256, "corrects": previous and previous.pk})  # fmt: skip
    return minutes


def recommendation_paper_render(application) -> bytes:
    """The office's latest recommendation on the application as a Beschlussvorlage (PDF)."""
    from ..letters import RECOMMENDATION_PAPER, recommendation_paper_context

    recommendation = application.recommendations.select_related("author").first()
    if recommendation is None:
        raise ValidationError(_("There is no recommendation yet."))
    kind = TYPES[RECOMMENDATION_PAPER]
    context = recommendation_paper_context(application, recommendation, letter_date=timezone.localdate())
    return render_pdf(kind.template, context, parts=kind.parts)
