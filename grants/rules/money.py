"""Money rules: the three financing types, the money left in a year, quotes."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from ..models import FinancingType
from ..templatetags.money import format_euro

CENT = Decimal("0.01")


@dataclass(frozen=True)
class FinancingPlan:
    """The binding financing plan of a grant; its columns always add up to the eligible costs."""

    financing_type: str
    applied_costs: Decimal  # the total costs as applied for
    eligible_costs: Decimal
    own_funds: Decimal
    own_work: Decimal
    third_party_funds: Decimal
    grant: Decimal
    uncovered: Decimal  # what the recipient still has to find, stated in the letter

    @property
    def share(self) -> Decimal:
        """The grant as a percentage of the eligible costs."""
        if not self.eligible_costs:
            return Decimal("0.00")
        return (self.grant * 100 / self.eligible_costs).quantize(CENT, ROUND_HALF_UP)

    @property
    def costs_reduced(self) -> bool:
        return self.eligible_costs < self.applied_costs

    def decision_fields(self) -> dict:
        """The plan as the Decision stores it, binding from the day of the decision."""
        return {
            "amount": self.grant,
            "financing_type": self.financing_type,
            "eligible_costs": self.eligible_costs,
            "own_funds": self.own_funds,
            "own_work": self.own_work,
            "third_party_funds": self.third_party_funds,
            "uncovered": self.uncovered,
            "share": self.share,
        }


def financing_plan(
    financing_type: str,
    *,
    total_costs: Decimal,
    own_funds: Decimal,
    own_work: Decimal,
    third_party_funds: Decimal,
    amount: Decimal,
) -> FinancingPlan:
    """Compute the grant and the plan for a financing type, `amount` being the most the body granted.

    - The grant never exceeds the gap left after own and third-party money (no over-financing).
    - Fehlbedarf (gap): a grant below the gap shrinks the eligible costs to what is financed.
    - Festbetrag (fixed) and Anteil (share): the eligible costs stay; a grant below the gap
      leaves an uncovered amount that the recipient must cover, and the plan says so."""
    others = own_funds + own_work + third_party_funds
    gap = max(total_costs - others, Decimal("0.00"))
    grant = min(amount, gap)
    if financing_type == FinancingType.GAP:
        eligible, uncovered = others + grant, Decimal("0.00")
    else:
        # Own money beyond the costs (an over-financed plan) stays in the plan as it was applied for.
        eligible, uncovered = max(total_costs, others), gap - grant
    return FinancingPlan(
        financing_type=financing_type,
        applied_costs=total_costs,
        eligible_costs=eligible,
        own_funds=own_funds,
        own_work=own_work,
        third_party_funds=third_party_funds,
        grant=grant,
        uncovered=uncovered,
    )


def available(*, budget: Decimal, committed: Decimal, released: Decimal) -> Decimal:
    """Money still free in a fiscal year: budget - commitments + releases."""
    return budget - committed + released


def budget_problem(new_budget: Decimal, *, committed: Decimal, released: Decimal) -> str | None:
    """Why a fiscal year's budget cannot be set to `new_budget`, if it cannot."""
    if new_budget < 0:
        return _("The budget cannot be negative.")
    bound = committed - released
    if new_budget < bound:
        return _("The budget cannot be lower than the %(bound)s already committed in this year.") % {
            "bound": format_euro(bound)
        }
    return None


def quotes_required(amount: Decimal, *, one_up_to: Decimal, two_up_to: Decimal) -> int:
    """How many quotes the fund asks for: e.g. 1 up to 500 EUR, 2 up to 2,500 EUR, 3 above."""
    if amount <= one_up_to:
        return 1
    if amount <= two_up_to:
        return 2
    return 3
