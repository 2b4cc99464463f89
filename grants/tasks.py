from celery import shared_task

from . import services


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


@shared_task
def revision_deadlines():
    """Tell the office about revision requests unanswered past their deadline (beat, hourly);
    each request and deadline is told once, however often this runs."""
    from django.utils import timezone

    from . import selectors

    return [revision.pk for revision in selectors.revisions_overdue(timezone.localdate())
            if services.revision_overdue_tell_office(revision)]  # fmt: skip
