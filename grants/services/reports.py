"""The use-of-funds report and the office's check of it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Application, Report
from ..roles import OFFICE
from ..templatetags.money import format_euro
from .core import audit, require_fund_role, require_member, transition


@transaction.atomic
def report_submit(
    *, application: Application, actor, narrative: str, actual_costs: Decimal, unused_amount: Decimal, receipts: str
) -> Report:
    """File (or re-file after a query) the use-of-funds report."""
    require_member(application.organisation, actor)
    paid = selectors.paid_total(application)
    if unused_amount > paid:
        raise ValidationError(_("The unused amount cannot exceed the %(paid)s paid out.") % {"paid": format_euro(paid)})
    report, _created = Report.objects.update_or_create(
        application=application,
        defaults={
            "narrative": narrative,
            "actual_costs": actual_costs,
            "unused_amount": unused_amount,
            "receipts": receipts,
            "submitted_at": timezone.now(),
            "reviewed_at": None,
        },
    )
    transition(application, "report", actor=actor)
    audit(actor=actor, action="report_submit", obj=report, application=application,
          after={"actual_costs": actual_costs, "unused_amount": unused_amount})  # fmt: skip
    return report


@transaction.atomic
def report_review(*, application: Application, actor, accepted: bool, note: str) -> Report:
    """Check the report: accept it and close the file, or send it back with a note."""
    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office checks reports."))
    if not accepted and not note.strip():
        raise ValidationError(_("Say what the applicant must add to the report."))
    report = Report.objects.select_for_update().get(application=application)
    report.reviewed_at = timezone.now()
    report.review_note = note
    report.save(update_fields=["reviewed_at", "review_note"])
    audit(actor=actor, action="report_review", obj=report, application=application,
          after={"accepted": accepted, "note": note})  # fmt: skip
    if accepted:
        transition(application, "close", actor=actor, closed_at=report.reviewed_at)
    else:
        transition(application, "request_report_changes", actor=actor)
    return report
