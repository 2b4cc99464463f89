"""After the decision: the waiver of appeal and the payout to the confirmed account."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Application, Document, LedgerEntry, Payout
from ..roles import OFFICE
from ..rules import dates
from ..status import Status
from ..templatetags.money import format_euro
from .core import audit, lock_application, require_fund_role, require_member, transition
from .instalments import payout_problem
from .ledger import booking_year, ledger_book, lock_fiscal_year


@transaction.atomic
def appeal_waive(*, application: Application, actor) -> Application:
    """Record the recipient's waiver of appeal, which makes the grant payable at once."""
    lock_application(application)
    require_member(application.organisation, actor)
    letter_sent = application.documents.filter(kind=Document.APPROVAL).exists()
    if application.objections.filter(status="open").exists():
        raise ValidationError(_("An objection is open; withdraw it before waiving the right of appeal."))
    if application.status != Status.APPROVED or not letter_sent:
        raise ValidationError(_("A waiver is only possible once the grant decision has been sent."))
    if application.appeal_waived_at:
        return application
    application.appeal_waived_at = timezone.now()
    application.save(update_fields=["appeal_waived_at"])
    audit(actor=actor, action="appeal_waive", obj=application, application=application,
          after={"appeal_waived_at": application.appeal_waived_at})  # fmt: skip
    return application


@transaction.atomic
def payout_record(*, application: Application, actor, amount: Decimal, paid_on: dt.date) -> Payout:
    """Record a payment of the granted money to the organisation's confirmed account."""
    require_fund_role(application.fund, actor, OFFICE, message=_("Only the office records payouts."))
    lock_application(application)
    decision = selectors.latest_decision(application)
    problem = payout_problem(application, decision)
    if problem:
        raise ValidationError(problem)
    left = decision.amount - selectors.paid_total(application)
    if amount <= 0 or amount > left:
        raise ValidationError(
            _("The payout must be more than 0 and at most the %(left)s of the grant not yet paid.")
            % {"left": format_euro(left)}
        )
    organisation = application.organisation
    if not organisation.iban:
        raise ValidationError(_("The organisation has no confirmed bank account."))
    payout = Payout.objects.create(
        application=application, amount=amount, paid_on=paid_on, paid_by=actor,
        account_holder=organisation.account_holder or organisation.name, iban=organisation.iban,
    )  # fmt: skip
    fiscal_year = lock_fiscal_year(application.fund, booking_year(paid_on))
    ledger_book(fiscal_year=fiscal_year, application=application, kind=LedgerEntry.PAYOUT, amount=amount)
    if application.status == Status.APPROVED:  # the first instalment; later ones keep the file "paid"
        transition(
            application, "pay", actor=actor,
            report_due=dates.report_due(application.end_date, weeks=application.fund.report_weeks),
        )  # fmt: skip
    audit(actor=actor, action="payout_record", obj=payout, application=application, after={"amount": amount})
    return payout
