from celery import shared_task

from . import services


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
    """Invite the body to the meetings within their invitation period (beat, hourly); safe to run twice."""
    from django.utils import timezone

    from . import selectors

    return [services.meeting_invite(meeting=meeting) and meeting.pk
            for meeting in selectors.meetings_to_invite(timezone.localdate())]  # fmt: skip
