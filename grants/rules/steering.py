"""How the steering group decides: quorum, majorities, ties, and what each vote means."""

import enum
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .. import roles
from ..models import Motion, MotionKind, TieRule
from ..templatetags.money import format_euro


@dataclass(frozen=True)
class BodyRules:
    """The fund's rules for its deciding body."""

    quorum: int
    cap: Decimal
    special_numerator: int = 2
    special_denominator: int = 3
    tie_rule: str = TieRule.FAILS

    @classmethod
    def of(cls, fund) -> "BodyRules":
        return cls(
            quorum=fund.quorum,
            cap=fund.cap,
            special_numerator=fund.special_majority_numerator,
            special_denominator=fund.special_majority_denominator,
            tie_rule=fund.tie_rule,
        )


@dataclass(frozen=True)
class Tally:
    """The votes on a motion by members entitled to vote; recused members cast none."""

    yes: int = 0
    no: int = 0
    abstain: int = 0
    recused: int = 0
    present: int = 0  # members with a vote in the room (or standing in for one), not recused
    chair_vote: str | None = None  # how the presiding member voted, for the tie rule

    @property
    def cast(self) -> int:
        """Votes that count for the majority; abstentions do not."""
        return self.yes + self.no


class Outcome(enum.Enum):
    """What closing a vote means for the agenda item."""

    APPROVE = MotionKind.APPROVE
    REJECT = MotionKind.REJECT
    DEFER = MotionKind.DEFER
    OPEN = "open"  # no decision yet: the chair puts another motion


def needs_special_majority(kind: str, amount: Decimal, rules: BodyRules) -> bool:
    """An approval above the cap needs the special majority (e.g. two thirds)."""
    return kind == MotionKind.APPROVE and amount > rules.cap


def quorum_reached(tally: Tally, rules: BodyRules) -> bool:
    """The body can decide when enough members with a vote are present and not recused."""
    return tally.present >= rules.quorum


def adopted(tally: Tally, *, special: bool, rules: BodyRules) -> bool:
    """Whether the motion has the majority of votes cast it needs."""
    if special:
        return tally.cast > 0 and tally.yes * rules.special_denominator >= tally.cast * rules.special_numerator
    if tally.yes != tally.no:
        return tally.yes > tally.no
    return rules.tie_rule == TieRule.CHAIR_DECIDES and tally.chair_vote == "yes"


def vote_result(kind: str, amount: Decimal, tally: Tally, rules: BodyRules) -> str:
    """The result of the vote on a motion: no quorum, adopted or not adopted."""
    if not quorum_reached(tally, rules):
        return Motion.Result.NO_QUORUM
    special = needs_special_majority(kind, amount, rules)
    return Motion.Result.ADOPTED if adopted(tally, special=special, rules=rules) else Motion.Result.NOT_ADOPTED


def item_outcome(kind: str, amount: Decimal, result: str, *, rules: BodyRules, available: Decimal) -> tuple:
    """What a vote's result does to the item, as (Outcome, the motion's final result).

    - No quorum defers the item to the next meeting.
    - An adopted approval beyond the money left stays open: the chair can put the
      available amount, a deferral to the next fiscal year or a rejection.
    - A failed approval within the cap is a rejection; above the cap it stays open,
      so that a reduced amount up to the cap can be put to a simple majority.
    - A failed motion to reject or to defer leaves the item open for another motion."""
    if result == Motion.Result.NO_QUORUM:
        return Outcome.DEFER, result
    if result == Motion.Result.ADOPTED:
        if kind == MotionKind.APPROVE and amount > available:
            return Outcome.OPEN, Motion.Result.OVER_BUDGET
        return Outcome(kind), result
    if kind == MotionKind.APPROVE and not needs_special_majority(kind, amount, rules):
        return Outcome.REJECT, result
    return Outcome.OPEN, result


def circular_result(ballots: dict[str, int], *, voters: int, kind: str, amount: Decimal, rules: BodyRules) -> str:
    """The result of a written procedure: any objection sends the item to the meeting; otherwise
    it needs the majority of all members with a vote (not only of those who answered), and two
    thirds of them for an approval above the cap. Recused members are not counted."""
    if ballots.get("object"):
        return "objected"
    yes = ballots.get("yes", 0)
    if needs_special_majority(kind, amount, rules):
        adopted_by_all = voters > 0 and yes * rules.special_denominator >= voters * rules.special_numerator
    else:
        adopted_by_all = yes * 2 > voters
    return "adopted" if adopted_by_all else "not_adopted"


def reasons_required(outcome: Outcome, amount: Decimal, requested: Decimal, *, referral: bool = False) -> bool:
    """A rejection, a grant below the amount asked for, and every decision on an objection or a
    change request (a referral) must give the body's reasons."""
    if referral:
        return outcome in (Outcome.APPROVE, Outcome.REJECT)
    return outcome == Outcome.REJECT or (outcome == Outcome.APPROVE and amount < requested)


def presiding_role(held: set[str], *, recused: bool, chair_recused: bool) -> str | None:
    """The role in which a member may put motions and close votes on an item, if any.

    The chair presides unless recused; a recused chair hands the item to the deputy chair."""
    if recused:
        return None
    if roles.CHAIR in held:
        return roles.CHAIR
    if roles.DEPUTY_CHAIR in held and chair_recused:
        return roles.DEPUTY_CHAIR
    return None


def motion_problems(kind: str, amount: Decimal, *, requested: Decimal, defer_to=None, needs_amount=True) -> list[str]:
    """What is wrong with a motion before it can be put to the vote (approving a change request
    needs no amount)."""
    if kind == MotionKind.APPROVE and needs_amount and amount <= 0:
        return [_("A motion to approve needs an amount.")]
    if kind == MotionKind.APPROVE and amount > requested:
        return [_("The amount must not exceed the %(requested)s requested.") % {"requested": format_euro(requested)}]
    if kind == MotionKind.DEFER and defer_to is None:
        return [_("Choose the meeting the item is deferred to.")]
    return []


def is_amended(motion: dict, recommendation) -> bool:
    """Whether a motion differs from the office's recommendation (an amended motion)."""
    if motion["kind"] != recommendation.motion:
        return True
    if motion["kind"] != MotionKind.APPROVE:
        return False
    return (
        motion["amount"] != recommendation.amount
        or motion["financing_type"] != recommendation.financing_type
        or motion["conditions"].strip() != recommendation.conditions.strip()
    )
