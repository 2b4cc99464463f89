"""Reads after the decision: the report against the plan, the open claim, change request and
objection of a file, and the repayment claims still open in the office's funds."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import QuerySet

from ..models import Application, ChangeRequest, Instalment, Objection, ReceiptLine, RepaymentClaim
from ..roles import OFFICE
from ..rules.reports import simple_report_allowed as simple_report_rule
from .files import latest_decision, paid_total

# The amount at the end of a receipt line: 1.200,00 EUR, 1200,00 €, 45,5 or 80
AMOUNT_AT_END = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?\s*(?:EUR|€)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class LineCheck:
    description: str
    planned: Decimal
    actual: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.planned


@dataclass(frozen=True)
class ReportCheck:
    lines: list[LineCheck]
    planned_total: Decimal
    actual_total: Decimal  # as the recipient states it
    lines_total: Decimal | None  # the per-line actuals added up, where given
    receipts_total: Decimal
    receipts_unreadable: list[str]  # receipt lines without an amount at their end
    receipt_lines: list[ReceiptLine]  # the simple report's receipt list
    granted: Decimal
    paid: Decimal
    unused: Decimal


def receipt_amounts(receipts: str) -> tuple[Decimal, list[str]]:
    """The total of a receipt list (one receipt a line, its amount at the end) and the lines
    whose amount could not be read."""
    total, unreadable = Decimal("0.00"), []
    for line in filter(None, (line.strip() for line in receipts.splitlines())):
        match = AMOUNT_AT_END.search(line)
        try:
            total += Decimal(f"{match[1].replace('.', '')}.{(match[2] or '0').ljust(2, '0')}")
        except (TypeError, InvalidOperation):
            unreadable.append(line)
    return total, unreadable


def report_comparison(application: Application) -> ReportCheck:
    """The report's numbers against the financing plan, per cost line, and the receipt list's total;
    for a simple report its receipts, each with its upload."""
    report = application.report
    actuals = {int(key): Decimal(value) for key, value in report.line_actuals.items()}
    lines = [LineCheck(line.description, line.amount, actuals.get(line.pk)) for line in application.cost_lines.all()]
    receipt_lines = list(report.receipt_lines.select_related("attachment")) if report.simple else []
    if report.simple:
        receipts_total, unreadable = sum((line.amount for line in receipt_lines), Decimal("0.00")), []
    else:
        receipts_total, unreadable = receipt_amounts(report.receipts)
    decision = latest_decision(application)
    return ReportCheck(
        lines=lines,
        planned_total=sum((line.planned for line in lines), Decimal("0.00")),
        actual_total=report.actual_costs,
        lines_total=sum(actuals.values(), Decimal("0.00")) if actuals else None,
        receipts_total=receipts_total,
        receipts_unreadable=unreadable,
        receipt_lines=receipt_lines,
        granted=decision.amount if decision else Decimal("0.00"),
        paid=paid_total(application),
        unused=report.unused_amount,
    )


def simple_report_allowed(application: Application) -> bool:
    """Whether the fund lets this grant be reported with the receipt list only."""
    fund, decision = application.fund, latest_decision(application)
    return simple_report_rule(
        granted=decision.amount if decision else Decimal("0.00"),
        up_to=fund.simple_report_up_to,
        informal=application.organisation.legal_form == "informal",
        informal_allowed=fund.simple_report_informal,
    )


def open_repayment_claim(application: Application) -> RepaymentClaim | None:
    return application.repayment_claims.exclude(status=RepaymentClaim.Status.PAID).first()


def open_change_request(application: Application) -> ChangeRequest | None:
    open_ = [ChangeRequest.Status.OPEN, ChangeRequest.Status.REFERRED]
    return application.change_requests.filter(status__in=open_).first()


def change_lines(change: ChangeRequest | None) -> list[tuple[str, Decimal, Decimal]]:
    """(cost line, planned, asked for) for each line the change request moves money on."""
    if change is None:
        return []
    lines = {str(line.pk): line for line in change.application.cost_lines.all()}
    return [(lines[key].description, lines[key].amount, Decimal(value)) for key, value in change.line_amounts.items()]


def open_objection(application: Application) -> Objection | None:
    return application.objections.filter(status=Objection.Status.OPEN).select_related("decision").first()


def instalments_of(application: Application) -> QuerySet[Instalment]:
    return application.instalments.select_related("order", "payout")


def open_claims_for_office(user) -> QuerySet[RepaymentClaim]:
    """Repayment claims not yet paid in the funds whose office the user works in, oldest first."""
    return (
        RepaymentClaim.objects.filter(application__fund__in=user.fund_roles.filter(role=OFFICE).values("fund"))
        .exclude(status=RepaymentClaim.Status.PAID)
        .select_related("application__organisation")
        .order_by("created")
    )


def repayments_overdue(today) -> QuerySet[RepaymentClaim]:
    """Decided repayment claims whose due date has passed without the money."""
    return RepaymentClaim.objects.filter(status=RepaymentClaim.Status.DECIDED, due_on__lt=today).select_related(
        "application__fund"
    )
