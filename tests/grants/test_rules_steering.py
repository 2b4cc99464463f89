"""The steering group's rules as pure functions: quorum, majorities, ties, outcomes."""

from decimal import Decimal

import pytest

from grants import roles
from grants.models import Motion, TieRule
from grants.rules.steering import (
    BodyRules,
    Outcome,
    adopted,
    circular_result,
    is_amended,
    item_outcome,
    motion_problems,
    presiding_role,
    reasons_required,
    vote_result,
)
from grants.rules.steering import Tally as T

RULES = BodyRules(quorum=4, cap=Decimal("5000.00"), special_numerator=2, special_denominator=3)
PLENTY = Decimal("40000.00")


def test_below_the_quorum_nothing_is_adopted():
    assert vote_result("approve", Decimal("1000"), T(yes=3, present=3), RULES) == Motion.Result.NO_QUORUM


def test_the_quorum_counts_members_present_and_the_majority_only_votes_cast():
    assert vote_result("approve", Decimal("1000"), T(yes=1, abstain=3, present=4), RULES) == Motion.Result.ADOPTED
    assert vote_result("approve", Decimal("1000"), T(yes=1, no=1, abstain=2, present=4), RULES) == (
        Motion.Result.NOT_ADOPTED
    )
    assert vote_result("approve", Decimal("1000"), T(yes=3, present=4), RULES) == Motion.Result.ADOPTED


def test_a_member_present_who_does_not_vote_still_counts_for_the_quorum_but_an_absent_one_does_not():
    assert vote_result("approve", Decimal("1000"), T(yes=3, present=3), RULES) == Motion.Result.NO_QUORUM
    assert vote_result("approve", Decimal("1000"), T(yes=3, present=5), RULES) == Motion.Result.ADOPTED


def test_a_tie_fails_unless_the_fund_lets_the_chair_decide():
    assert not adopted(T(yes=2, no=2), special=False, rules=RULES)
    chair_decides = BodyRules(quorum=4, cap=Decimal("5000"), tie_rule=TieRule.CHAIR_DECIDES)
    assert adopted(T(yes=2, no=2, chair_vote="yes"), special=False, rules=chair_decides)
    assert not adopted(T(yes=2, no=2, chair_vote="no"), special=False, rules=chair_decides)


@pytest.mark.parametrize(
    ("yes", "no", "expected"), [(4, 2, True), (2, 1, True), (3, 2, False), (5, 3, False), (0, 0, False)]
)
def test_above_the_cap_two_thirds_of_the_votes_cast_are_needed(yes, no, expected):
    assert adopted(T(yes=yes, no=no), special=True, rules=RULES) is expected


def test_the_special_majority_applies_only_to_approvals_above_the_cap():
    three_of_five = T(yes=3, no=2, present=5)
    assert vote_result("approve", Decimal("5000.00"), three_of_five, RULES) == Motion.Result.ADOPTED
    assert vote_result("approve", Decimal("5000.01"), three_of_five, RULES) == Motion.Result.NOT_ADOPTED
    assert vote_result("reject", Decimal("0"), three_of_five, RULES) == Motion.Result.ADOPTED


def test_a_failed_approval_within_the_cap_is_a_rejection():
    outcome = item_outcome("approve", Decimal("2000"), Motion.Result.NOT_ADOPTED, rules=RULES, available=PLENTY)
    assert outcome == (Outcome.REJECT, Motion.Result.NOT_ADOPTED)


def test_a_failed_approval_above_the_cap_leaves_the_item_open_for_a_reduced_amount():
    outcome = item_outcome("approve", Decimal("12000"), Motion.Result.NOT_ADOPTED, rules=RULES, available=PLENTY)
    assert outcome == (Outcome.OPEN, Motion.Result.NOT_ADOPTED)


def test_a_failed_rejection_is_not_a_deferral_but_leaves_the_item_open():
    outcome = item_outcome("reject", Decimal("0"), Motion.Result.NOT_ADOPTED, rules=RULES, available=PLENTY)
    assert outcome == (Outcome.OPEN, Motion.Result.NOT_ADOPTED)


def test_an_adopted_approval_beyond_the_money_left_leaves_the_item_open():
    outcome = item_outcome("approve", Decimal("2000"), Motion.Result.ADOPTED, rules=RULES, available=Decimal("1200"))
    assert outcome == (Outcome.OPEN, Motion.Result.OVER_BUDGET)
    outcome = item_outcome("approve", Decimal("1200"), Motion.Result.ADOPTED, rules=RULES, available=Decimal("1200"))
    assert outcome == (Outcome.APPROVE, Motion.Result.ADOPTED)


def test_no_quorum_defers_and_an_adopted_deferral_defers():
    assert item_outcome("approve", Decimal("1"), Motion.Result.NO_QUORUM, rules=RULES, available=PLENTY)[0] == (
        Outcome.DEFER
    )
    assert item_outcome("defer", Decimal("0"), Motion.Result.ADOPTED, rules=RULES, available=PLENTY)[0] == (
        Outcome.DEFER
    )


def test_reasons_are_required_for_a_rejection_and_for_less_than_was_asked():
    assert reasons_required(Outcome.REJECT, Decimal("0"), Decimal("2400"))
    assert reasons_required(Outcome.APPROVE, Decimal("2000"), Decimal("2400"))
    assert not reasons_required(Outcome.APPROVE, Decimal("2400"), Decimal("2400"))
    assert not reasons_required(Outcome.DEFER, Decimal("0"), Decimal("2400"))


def test_every_decision_on_an_objection_or_a_change_request_gives_reasons():
    assert reasons_required(Outcome.APPROVE, Decimal("2400"), Decimal("2400"), referral=True)
    assert reasons_required(Outcome.REJECT, Decimal("0"), Decimal("2400"), referral=True)
    assert not reasons_required(Outcome.DEFER, Decimal("0"), Decimal("2400"), referral=True)


def test_the_chair_presides_unless_recused_and_then_the_deputy_does():
    assert presiding_role({roles.CHAIR}, recused=False, chair_recused=False) == roles.CHAIR
    assert presiding_role({roles.CHAIR}, recused=True, chair_recused=True) is None
    assert presiding_role({roles.DEPUTY_CHAIR}, recused=False, chair_recused=False) is None
    assert presiding_role({roles.DEPUTY_CHAIR}, recused=False, chair_recused=True) == roles.DEPUTY_CHAIR
    assert presiding_role({roles.DEPUTY_CHAIR}, recused=True, chair_recused=True) is None


def test_a_motion_to_approve_needs_an_amount_within_the_request_and_a_deferral_a_meeting():
    assert motion_problems("approve", Decimal("0"), requested=Decimal("2400"))
    assert motion_problems("approve", Decimal("2400.01"), requested=Decimal("2400"))
    assert not motion_problems("approve", Decimal("2400"), requested=Decimal("2400"))
    assert motion_problems("defer", Decimal("0"), requested=Decimal("2400"), defer_to=None)
    assert not motion_problems("reject", Decimal("0"), requested=Decimal("2400"))


class Recommended:
    motion, amount, financing_type, conditions = "approve", Decimal("2000"), "gap", "Jugendbeauftragter"


def motion(kind="approve", amount="2000", conditions="Jugendbeauftragter"):
    return {"kind": kind, "amount": Decimal(amount), "financing_type": "gap", "conditions": conditions}


@pytest.mark.parametrize(
    ("moved", "amended"),
    [(motion(), False), (motion(amount="1500"), True), (motion(conditions=""), True), (motion("reject", "0"), True)],
)
def test_a_motion_that_differs_from_the_recommendation_is_an_amended_motion(moved, amended):
    assert is_amended(moved, Recommended) is amended


def test_a_written_procedure_needs_a_majority_of_all_members_with_a_vote():
    assert circular_result({"yes": 3}, voters=5, kind="approve", amount=Decimal("800"), rules=RULES) == "adopted"
    assert circular_result({"yes": 2, "abstain": 1}, voters=5, kind="approve", amount=Decimal("800"), rules=RULES) == (
        "not_adopted"  # a majority of those who answered is not enough
    )
    assert circular_result({"yes": 4, "object": 1}, voters=5, kind="approve", amount=Decimal("800"), rules=RULES) == (
        "objected"
    )
    assert circular_result({"yes": 3, "no": 1}, voters=5, kind="approve", amount=Decimal("9000"), rules=RULES) == (
        "not_adopted"  # above the cap two thirds of all: 4 of 5
    )
