"""The use-of-funds report: which variant a grant may use, and what was left unused."""

from decimal import Decimal


def simple_report_allowed(*, granted: Decimal, up_to: Decimal, informal: bool, informal_allowed: bool) -> bool:
    """Whether the recipient may file the fund's simple report (the receipt list only): for a
    grant up to the fund's limit (0: none), or for an informal group where the fund allows it."""
    return (up_to > 0 and granted <= up_to) or (informal and informal_allowed)


def unused_amount(*, paid: Decimal, spent: Decimal) -> Decimal:
    """The money paid out that the receipts do not account for."""
    return max(paid - spent, Decimal("0.00"))
