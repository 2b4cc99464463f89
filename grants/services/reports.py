"""The use-of-funds report and the office's check of it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Application, Attachment, ReceiptLine, Report
from ..roles import OFFICE
from ..rules.reports import unused_amount
from ..templatetags.money import format_euro
from .attachments import attachment_add
from .core import audit, lock_application, require_fund_role, require_member, transition


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
    line_actuals = {str(key): str(value) for key, value in (line_actuals or {}).items()}
    return _report_file(application, actor, simple=False, narrative=narrative, actual_costs=actual_costs,
                        unused_amount=unused_amount, receipts=receipts, line_actuals=line_actuals)  # fmt: skip


@transaction.atomic
def report_submit_simple(*, application: Application, actor, receipts: list[dict]) -> Report:
    """File (or re-file) the fund's simple report: the receipt list only, each receipt with its
    upload where given; what the receipts do not account for counts as unused."""
    require_member(application.organisation, actor)
    if not selectors.simple_report_allowed(application):
        raise ValidationError(_("The fund asks for the full use-of-funds report for this grant."))
    if not receipts:
        raise ValidationError(_("List at least one receipt."))
    lines = []
    for receipt in receipts:  # the uploads first: they may be added only while the report is open
        attachment = receipt.get("attachment")
        if attachment is not None and attachment.application_id != application.pk:
            attachment = None
        if receipt.get("file"):
            attachment = attachment_add(application=application, actor=actor, kind=Attachment.Kind.RECEIPT,
                                        upload=receipt["file"])  # fmt: skip
        fields = {name: receipt[name] for name in ("date", "payee", "purpose", "amount")}
        lines.append(ReceiptLine(attachment=attachment, **fields))
    spent = sum((line.amount for line in lines), Decimal("0.00"))
    unused = unused_amount(paid=selectors.paid_total(application), spent=spent)
    report = _report_file(application, actor, simple=True, narrative="", actual_costs=spent, unused_amount=unused,
                          receipts="", line_actuals={})  # fmt: skip
    report.receipt_lines.all().delete()
    for line in lines:
        line.report = report
    ReceiptLine.objects.bulk_create(lines)
    return report


def _report_file(application: Application, actor, **fields) -> Report:
    """Store the report's fields, move the file on to the check and audit it."""
    report, _created = Report.objects.update_or_create(
        application=application, defaults={**fields, "submitted_at": timezone.now(), "reviewed_at": None}
    )
    transition(application, "report", actor=actor)
    audit(actor=actor, action="report_submit", obj=report, application=application,
          after={"simple": fields["simple"], "actual_costs": fields["actual_costs"],
                 "unused_amount": fields["unused_amount"]})  # fmt: skip
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
    from .repayments import grant_year, release_never_paid, repayment_claim

    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office checks reports."))
    if outcome != ACCEPT and not note.strip():
        raise ValidationError(_("Say what the applicant must add to the report.") if outcome == MORE
                              else _("Explain why the money is claimed back."))  # fmt: skip
    lock_application(application)
    report = Report.objects.select_for_update(no_key=True).get(application=application)
    if outcome != MORE:
        grant_year(application)  # the money moves: the lock order is application, fiscal year, audit chain
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
