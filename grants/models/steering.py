"""The steering group at work: agenda items, the motions put to the vote, votes,
conflicts of interest and the decision each item ends in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import roles
from .applications import Application, FinancingType, MotionKind, Recommendation
from .funds import Meeting
from .money_fields import MONEY, NON_NEGATIVE, non_negative


class AgendaItem(models.Model):
    """An application on a meeting's agenda; it stays open until the body decides or defers it.

    An item can instead refer the body to an objection or a change request about the application
    (a referral): a motion to approve then means remedy (or approve the change), one to reject
    uphold the decision (or refuse the change)."""

    class Outcome(models.TextChoices):  # what a referral ended in
        REMEDIED = "remedied", _("objection remedied")
        UPHELD = "upheld", _("objection not remedied: decision upheld")
        APPROVED = "approved", _("change approved")
        REFUSED = "refused", _("change refused")
        DEFERRED = "deferred", _("deferred to the next meeting")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="agenda_items")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="+")
    objection = models.ForeignKey(
        "grants.Objection", on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    change_request = models.ForeignKey(
        "grants.ChangeRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)  # the chair calls the item
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "application"],
                condition=models.Q(objection=None, change_request=None),
                name="agenda_item_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(objection=None) | models.Q(change_request=None), name="agenda_item_one_referral"
            ),
        ]

    @property
    def is_referral(self) -> bool:
        return self.objection_id is not None or self.change_request_id is not None


class Motion(models.Model):
    """A motion put to the vote on an item: first the office's recommendation, then
    whatever the chair puts (an amended amount, a reduced amount, a rejection, a deferral)."""

    class Result(models.TextChoices):
        OPEN = "open", _("open")
        ADOPTED = "adopted", _("adopted")
        NOT_ADOPTED = "not_adopted", _("not adopted")
        NO_QUORUM = "no_quorum", _("no quorum")
        OVER_BUDGET = "over_budget", _("adopted, but more than the budget left")
        WITHDRAWN = "withdrawn", _("withdrawn")
        NOT_DEALT_WITH = "not_dealt_with", _("not dealt with before the meeting closed")

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="motions")
    kind = models.CharField(_("motion"), max_length=10, choices=MotionKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY, default=0, validators=NON_NEGATIVE)
    financing_type = models.CharField(
        _("financing type"), max_length=10, choices=FinancingType.choices, default=FinancingType.GAP
    )
    conditions = models.TextField(_("conditions"), blank=True)
    defer_to = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("defer to")
    )
    amended = models.BooleanField(_("differs from the recommendation"), default=False)
    put_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    put_at = models.DateTimeField(auto_now_add=True)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, default=Result.OPEN)
    votes_yes = models.PositiveSmallIntegerField(default=0)
    votes_no = models.PositiveSmallIntegerField(default=0)
    votes_abstain = models.PositiveSmallIntegerField(default=0)
    recused = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["put_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item"], condition=models.Q(result="open"), name="motion_one_open_per_item"
            ),
            *non_negative("motion", "amount"),
        ]
        verbose_name = _("motion")
        verbose_name_plural = _("motions")


class Vote(models.Model):
    YES, NO, ABSTAIN = "yes", "no", "abstain"
    CHOICES = [(YES, _("yes")), (NO, _("no")), (ABSTAIN, _("abstain"))]
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=10, choices=CHOICES)
    cast_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(  # the office, recording the votes of the room
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["motion", "member"], name="vote_unique")]


class ConflictDeclaration(models.Model):
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agenda_item", "member"], name="conflict_unique")]


class Decision(models.Model):
    """What the body decided on an item, with the binding financing plan of an approval."""

    APPROVE, REJECT, DEFER = MotionKind.APPROVE, MotionKind.REJECT, MotionKind.DEFER
    KINDS = [(APPROVE, _("approved")), (REJECT, _("rejected")), (DEFER, _("deferred"))]
    PRESIDING = [(roles.CHAIR, _("chair")), (roles.DEPUTY_CHAIR, _("deputy chair"))]
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="decision")
    motion = models.OneToOneField(Motion, on_delete=models.PROTECT, related_name="decision")
    kind = models.CharField(_("decision"), max_length=10, choices=KINDS)
    amount = models.DecimalField(_("amount granted"), **MONEY, default=0, validators=NON_NEGATIVE)
    financing_type = models.CharField(_("financing type"), max_length=10, choices=FinancingType.choices, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    conditions_block_payout = models.BooleanField(
        _("the conditions block payout until met"),
        default=True,
        db_default=True,
        help_text=_("Auflagen that must be shown to be met before any instalment is paid."),
    )
    conditions_met_at = models.DateTimeField(_("conditions recorded as met"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    # The binding financing plan (columns sum to eligible_costs), fixed at the decision.
    eligible_costs = models.DecimalField(_("eligible costs"), **MONEY, default=0)
    own_funds = models.DecimalField(_("own funds"), **MONEY, default=0)
    own_work = models.DecimalField(_("own work in kind"), **MONEY, default=0)
    third_party_funds = models.DecimalField(_("third-party funds"), **MONEY, default=0)
    uncovered = models.DecimalField(_("still to be covered by the recipient"), **MONEY, default=0)
    share = models.DecimalField(_("share of eligible costs (%)"), max_digits=5, decimal_places=2, default=0)
    decided_at = models.DateTimeField()
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    presided_as = models.CharField(_("closed by"), max_length=10, choices=PRESIDING, default=roles.CHAIR)
    # Set when the decision letter goes out: the dates it states.
    notified_on = models.DateField(_("deemed notified on"), null=True, blank=True)
    appeal_ends_on = models.DateField(_("appeal period ends"), null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        constraints = non_negative(
            "decision", "amount", "eligible_costs", "own_funds", "own_work", "third_party_funds", "uncovered", "share"
        )


class Attendance(models.Model):
    """Who attends a meeting; a deputy present stands in for an absent member and votes for them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stands_in_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique")]


class CircularProcedure(models.Model):
    """A written vote between meetings (Umlaufverfahren) on an item's open motion."""

    class Result(models.TextChoices):
        OPEN = "open", _("running")
        ADOPTED = "adopted", _("adopted")
        NOT_ADOPTED = "not_adopted", _("not adopted")
        OBJECTED = "objected", _("objected to: the meeting decides")

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="circular_procedures")
    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField(_("answers due by"))
    reasons = models.TextField(_("reasons for the letter"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The deadline the last reminder named: when the chair moves the deadline, the members are reminded again.
    reminded_for = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=12, choices=Result.choices, default=Result.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item"], condition=models.Q(result="open"), name="circular_one_running_per_item"
            )
        ]


class CircularBallot(models.Model):
    """One voting member's ballot in a circular procedure: their personal inbox entry."""

    YES, NO, ABSTAIN, OBJECT = "yes", "no", "abstain", "object"
    CHOICES = [
        (YES, _("yes")),
        (NO, _("no")),
        (ABSTAIN, _("abstain")),
        (OBJECT, _("I object to the written procedure")),
    ]
    procedure = models.ForeignKey(CircularProcedure, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=CHOICES, blank=True)
    cast_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["procedure", "member"], name="circular_ballot_unique")]


class MemberTie(models.Model):
    """A member's standing declaration: an organisation they are tied to (board, employer, family)."""

    fund = models.ForeignKey("grants.Fund", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ties")
    organisation = models.ForeignKey("grants.Organisation", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("how you are tied to it"), max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fund", "member", "organisation"], name="tie_unique")]


class ConflictFlag(models.Model):
    """An agenda item that matches a member's standing declaration, for the member to confirm or dismiss."""

    class Status(models.TextChoices):
        OPEN = "open", _("to be confirmed")
        CONFIRMED = "confirmed", _("confirmed: the member is recused")
        DISMISSED = "dismissed", _("dismissed by the member")

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflict_flags")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tie = models.ForeignKey(MemberTie, on_delete=models.CASCADE, related_name="flags")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agenda_item", "member"], name="conflict_flag_unique")]
