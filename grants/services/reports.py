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
    *,
    application: Application,
    actor,
    narrative: str,
    actual_costs: Decimal,
    unused_amount: Decimal,
    receipts: str,
    line_actuals: dict | None = None,
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
            "line_actuals": {str(key): str(value) for key, value in (line_actuals or {}).items()},
            "submitted_at": timezone.now(),
            "reviewed_at": None,
        },
    )
    transition(application, "report", actor=actor)
    audit(actor=actor, action="report_submit", obj=report, application=application,
          after={"actual_costs": actual_costs, "unused_amount": unused_amount})  # fmt: skip
    return report


ACCEPT, MORE, CLAIM = "accept", "more", "claim"


@transaction.atomic
def report_review(*, application: Application, actor, accepted: bool, note: str) -> Report:
    """Check the report: accept it and close the file, or send it back with a note."""
    return report_check(application=application, actor=actor, outcome=ACCEPT if accepted else MORE, note=note)


@transaction.atomic
def report_check(
    *,
    application: Application,
    actor,
    outcome: str,
    note: str,
    claim_amount: Decimal | None = None,
    claim_reason: str = "unused",
) -> Report:
    """Check the report (Prüfvermerk): accept it, release the money never paid and close the file;
    send it back for more; or claim money back, which starts the repayment path."""
    from .repayments import release_never_paid, repayment_claim

    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office checks reports."))
    if outcome != ACCEPT and not note.strip():
        raise ValidationError(_("Say what the applicant must add to the report.") if outcome == MORE
                              else _("Explain why the money is claimed back."))  # fmt: skip
    report = Report.objects.select_for_update().get(application=application)
    if outcome == ACCEPT and report.unused_amount > 0:
        raise ValidationError(
            _("The report shows %(unused)s unused: claim it back instead of accepting the report.")
            % {"unused": format_euro(report.unused_amount)}
        )
    report.reviewed_at = timezone.now()
    report.review_note = note
    report.save(update_fields=["reviewed_at", "review_note"])
    audit(actor=actor, action="report_review", obj=report, application=application,
          after={"outcome": outcome, "note": note})  # fmt: skip
    if outcome == ACCEPT:
        release_never_paid(application)
        transition(application, "close", actor=actor, closed_at=report.reviewed_at)
    elif outcome == MORE:
        transition(application, "request_report_changes", actor=actor)
    else:
        amount = claim_amount if claim_amount is not None else report.unused_amount
        repayment_claim(application=application, actor=actor, amount=amount, reason=claim_reason, explanation=note)
    return report
