"""Financing types compute the grant and a plan that always adds up; budgets and quotes."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from grants.models import FinancingType
from grants.rules.money import available, budget_problem, financing_plan, quotes_required

D = Decimal


def plan(kind, amount, *, total="3000", own="600", work="0", third="0"):
    return financing_plan(
        kind, total_costs=D(total), own_funds=D(own), own_work=D(work), third_party_funds=D(third), amount=D(amount)
    )


def columns(p):
    return p.own_funds + p.own_work + p.third_party_funds + p.grant + p.uncovered


def test_gap_financing_pays_the_gap_and_a_reduced_grant_shrinks_the_eligible_costs():
    full = plan(FinancingType.GAP, "2400")
    assert (full.grant, full.eligible_costs, full.uncovered) == (D("2400"), D("3000"), D("0"))
    reduced = plan(FinancingType.GAP, "2000")
    assert (reduced.grant, reduced.eligible_costs, reduced.uncovered) == (D("2000"), D("2600"), D("0"))
    assert reduced.costs_reduced and reduced.share == D("76.92")


def test_a_fixed_sum_keeps_the_costs_and_states_the_gap_left_to_the_recipient():
    reduced = plan(FinancingType.FIXED, "2000")
    assert (reduced.grant, reduced.eligible_costs, reduced.uncovered) == (D("2000"), D("3000"), D("400"))


def test_a_share_of_costs_states_its_percentage_and_the_gap():
    reduced = plan(FinancingType.SHARE, "2000")
    assert (reduced.grant, reduced.share, reduced.uncovered) == (D("2000"), D("66.67"), D("400"))


def test_no_type_pays_more_than_the_gap_after_own_and_third_party_money():
    for kind in FinancingType.values:
        assert plan(kind, "2400", own="600", third="500").grant == D("1900")


money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


@given(kind=st.sampled_from(FinancingType.values), total=money, own=money, work=money, third=money, amount=money)
def test_the_plan_always_adds_up_to_the_eligible_costs(kind, total, own, work, third, amount):
    p = financing_plan(kind, total_costs=total, own_funds=own, own_work=work, third_party_funds=third, amount=amount)
    assert columns(p) == p.eligible_costs
    assert D(0) <= p.grant <= amount
    assert p.uncovered >= 0


def test_available_money_and_budget_changes():
    assert available(budget=D("40000"), committed=D("39000"), released=D("200")) == D("1200")
    assert budget_problem(D("38800"), committed=D("39000"), released=D("200")) is None
    assert "38.800,00 EUR" in budget_problem(D("38799.99"), committed=D("39000"), released=D("200"))


def test_quotes_needed_by_amount():
    thresholds = {"one_up_to": D("500"), "two_up_to": D("2500")}
    assert [quotes_required(D(a), **thresholds) for a in ("500", "500.01", "2500", "2500.01", "15000")] == [
        1, 2, 2, 3, 3,
    ]  # fmt: skip


def test_too_few_quotes_stop_a_submission_only_where_the_fund_wants_them_with_the_application():
    from grants.rules.submission import DraftFacts, quotes_problem, submission_problems

    def draft(uploaded, *, at_submission=True):
        return DraftFacts(cost_lines=1, total_cost=D("2600"), financing_total=D("2600"), requested_amount=D("2000"),
                          start_date=None, end_date=None, aims=1, declarations=(True,), quotes=uploaded,
                          quotes_required=3, quotes_at_submission=at_submission)  # fmt: skip

    two = quotes_problem(draft(2))
    assert "2.600,00 EUR braucht der Fonds 3 vergleichbare Angebote" in two
    assert "Sie haben 2 Angebote hochgeladen" in two
    assert "Sie haben noch kein Angebot hochgeladen." in quotes_problem(draft(0))
    assert quotes_problem(draft(3)) is None and quotes_problem(draft(1, at_submission=False)) is None
    assert quotes_problem(draft(1)) in submission_problems(draft(1))
