import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def receipt_letter_issue(application_id):
    """Render, file and e-mail the confirmation of receipt of a submitted application."""
    from .models import Application

    services.receipt_letter_issue(application=Application.objects.get(pk=application_id))


@shared_task
def retention_run():
    """Archive and anonymise the files whose retention period has ended (beat, daily)."""
    return [str(path) for path in services.retention_run()]


@shared_task
def meeting_invitations():
    """Invite the body to the meetings within their invitation period (beat, hourly); safe to run twice.
    A meeting whose invitation letter is refused (a mandatory part, such as the place, is missing)
    is logged, the office is told once, and it is tried again at the next run; the other meetings
    are invited."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from . import selectors

    invited = []
    for meeting in selectors.meetings_to_invite(timezone.localdate()):
        try:
            invited.append(services.meeting_invite(meeting=meeting) and meeting.pk)
        except ValidationError as error:
            logger.error("The invitation to meeting %s was refused: %s", meeting.pk, " ".join(error.messages))
            services.meeting_invitation_refused(meeting=meeting, problems=error.messages)
    return invited


@shared_task
def deadline_sweep():
    """Report reminders, revision reminders and the end of appeal periods, and unanswered revisions handed
    to the office to decide (beat, hourly); safe to run twice."""
    from django.utils import timezone

    from workflows import api  # the process moves on the grants services, so it imports them

    from .selectors.deadlines import revisions_for_office
    from .services import deadlines

    today = timezone.localdate()
    counts = deadlines.deadlines_run(today=today)
    counts["revision_to_office"] = sum(
        api.revision_overdue(application=revision.application) for revision in revisions_for_office(today)
    )
    return counts


@shared_task
def repayments_overdue():
    """Tell the office once about each repayment not received by its due date (beat, daily)."""
    from django.utils import timezone

    from . import selectors

    return [
        services.repayment_overdue_tell(claim=claim).pk for claim in selectors.repayments_overdue(timezone.localdate())
    ]
