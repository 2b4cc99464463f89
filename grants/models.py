"""The domain of a discretionary fund: funds, budgets, organisations, applications
and everything that happens to them. Only grants.services writes these rows."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import roles
from .status import Status
from .validators import validate_iban

MONEY = {"max_digits": 12, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0.00"))]


class Fund(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    reference_prefix = models.CharField(_("reference prefix"), max_length=10, default="VF")
    owner_body = models.CharField(_("issuing body"), max_length=200)
    body_name = models.CharField(_("deciding body"), max_length=200)
    office_name = models.CharField(_("office"), max_length=200)
    office_address = models.TextField(_("office address"), blank=True)
    office_email = models.EmailField(_("office e-mail"), blank=True)
    objection_address = models.CharField(_("address for objections"), max_length=300)
    cap = models.DecimalField(_("cap per application"), **MONEY, validators=NON_NEGATIVE)
    special_majority_numerator = models.PositiveSmallIntegerField(default=2)
    special_majority_denominator = models.PositiveSmallIntegerField(default=3)
    quorum = models.PositiveSmallIntegerField(_("quorum (voting members)"), default=4)
    report_weeks = models.PositiveSmallIntegerField(_("report due weeks after project end"), default=8)
    appeal_period_days = models.PositiveSmallIntegerField(_("appeal period in days"), default=31)
    meeting_weekday = models.PositiveSmallIntegerField(_("meeting weekday (0=Monday)"), default=2)
    meeting_week_of_month = models.PositiveSmallIntegerField(_("meeting week of month"), default=3)
    cutoff_day = models.PositiveSmallIntegerField(_("cut-off day of month"), default=1)
    signatory_name = models.CharField(_("signatory"), max_length=200)
    signatory_title = models.CharField(_("signatory title"), max_length=200)
    repayment_interest_text = models.CharField(
        _("interest on repayments"),
        max_length=200,
        default="fünf Prozentpunkten über dem Basiszinssatz jährlich",
    )
    rules_text = models.TextField(_("funding rules"), blank=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self):
        return self.name


class Aim(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="aims")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["fund", "number"]
        constraints = [models.UniqueConstraint(fields=["fund", "number"], name="aim_unique_number")]
        verbose_name = _("aim")
        verbose_name_plural = _("aims")

    def __str__(self):
        return f"{self.number}. {self.title}"


class FundRole(models.Model):
    ROLE_CHOICES = [
        (roles.OFFICE, _("office")),
        (roles.MEMBER, _("steering member")),
        (roles.CHAIR, _("chair")),
        (roles.ADMIN, _("fund admin")),
    ]
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fund_roles")
    role = models.CharField(_("role"), max_length=10, choices=ROLE_CHOICES)
    has_vote = models.BooleanField(_("voting right"), default=False)
    affiliation = models.CharField(_("faction or institution"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fund", "user", "role"], name="fundrole_unique")]
        verbose_name = _("fund role")
        verbose_name_plural = _("fund roles")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.fund})"


class FiscalYear(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="fiscal_years")
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.DecimalField(_("budget"), **MONEY, validators=NON_NEGATIVE)
    last_reference_number = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="fiscalyear_unique")]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")

    def __str__(self):
        return f"{self.fund} {self.year}"


class Organisation(models.Model):
    LEGAL_FORMS = [
        ("ev", _("registered association (e.V.)")),
        ("ggmbh", _("non-profit company (gGmbH)")),
        ("school", _("school")),
        ("public", _("public body")),
        ("company", _("company")),
        ("informal", _("informal group without legal form")),
    ]
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=10, choices=LEGAL_FORMS)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100, default="Hamburg")
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    charitable = models.BooleanField(_("recognised as charitable"), default=False)
    account_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="organisations", blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Meeting(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    cutoff = models.DateField(_("applications due by"))

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["fund", "date"], name="meeting_unique_date")]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.fund.body_name} {self.date:%d.%m.%Y}"


class Application(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("what is the project about?"))
    aims = models.ManyToManyField(Aim, verbose_name=_("aims of the fund"), blank=True)
    target_group = models.CharField(_("target group"), max_length=200)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=200)
    start_date = models.DateField(_("project start"))
    end_date = models.DateField(_("project end"))
    own_funds = models.DecimalField(_("own funds"), **MONEY, default=0, validators=NON_NEGATIVE)
    own_work = models.DecimalField(_("own work in kind"), **MONEY, default=0, validators=NON_NEGATIVE)
    third_party_funds = models.DecimalField(_("third-party funds"), **MONEY, default=0, validators=NON_NEGATIVE)
    third_party_status = models.CharField(_("third-party funders and status"), max_length=300, blank=True)
    requested_amount = models.DecimalField(_("requested amount"), **MONEY, validators=NON_NEGATIVE)
    declared_not_started = models.BooleanField(_("the project has not started yet"), default=False)
    declared_no_double_funding = models.BooleanField(_("no double funding"), default=False)
    declared_truthful = models.BooleanField(_("the information is true and complete"), default=False)
    declared_privacy = models.BooleanField(_("privacy notice read"), default=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="applications")
    appeal_waived_at = models.DateTimeField(_("appeal waived"), null=True, blank=True)
    report_due = models.DateField(_("report due"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["fund", "status"]), models.Index(fields=["organisation", "-created"])]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        reference = self.reference or gettext("Draft")
        return f"{reference}: {self.title}"

    @property
    def total_cost(self) -> Decimal:
        return sum((line.amount for line in self.cost_lines.all()), Decimal("0.00"))

    @property
    def financing_total(self) -> Decimal:
        return self.own_funds + self.own_work + self.third_party_funds + self.requested_amount


class CostLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="cost_lines")
    description = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY, validators=NON_NEGATIVE)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("cost line")
        verbose_name_plural = _("cost plan")


class RevisionRequest(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="revision_requests")
    message = models.TextField(_("what is missing"))
    deadline = models.DateField(_("answer by"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]


class FinancingType(models.TextChoices):
    FIXED = "fixed", _("fixed sum (Festbetrag)")
    GAP = "gap", _("gap financing (Fehlbedarf)")
    SHARE = "share", _("share of costs (Anteil)")


class Recommendation(models.Model):
    APPROVE, REJECT = "approve", "reject"
    MOTIONS = [(APPROVE, _("approve")), (REJECT, _("reject"))]
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="recommendations")
    motion = models.CharField(_("recommendation"), max_length=10, choices=MOTIONS)
    amount = models.DecimalField(_("proposed amount"), **MONEY, default=0, validators=NON_NEGATIVE)
    financing_type = models.CharField(
        _("financing type"), max_length=10, choices=FinancingType.choices, default=FinancingType.GAP
    )
    conditions = models.TextField(_("conditions"), blank=True)
    reasoning = models.TextField(_("reasoning"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]


class AgendaItem(models.Model):
    """An application on a meeting's agenda; its ballot is open until the chair closes it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="agenda_items")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "application"], name="agenda_item_unique")]


class Vote(models.Model):
    YES, NO, ABSTAIN = "yes", "no", "abstain"
    CHOICES = [(YES, _("yes")), (NO, _("no")), (ABSTAIN, _("abstain"))]
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=10, choices=CHOICES)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agenda_item", "member"], name="vote_unique")]


class ConflictDeclaration(models.Model):
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agenda_item", "member"], name="conflict_unique")]


class Decision(models.Model):
    APPROVE, REJECT, DEFER = "approve", "reject", "defer"
    KINDS = [(APPROVE, _("approved")), (REJECT, _("rejected")), (DEFER, _("deferred"))]
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="decision")
    kind = models.CharField(_("decision"), max_length=10, choices=KINDS)
    amount = models.DecimalField(_("amount granted"), **MONEY, default=0)
    financing_type = models.CharField(_("financing type"), max_length=10, choices=FinancingType.choices)
    conditions = models.TextField(_("conditions"), blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    votes_yes = models.PositiveSmallIntegerField(default=0)
    votes_no = models.PositiveSmallIntegerField(default=0)
    votes_abstain = models.PositiveSmallIntegerField(default=0)
    recused = models.PositiveSmallIntegerField(default=0)
    decided_at = models.DateTimeField()
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-decided_at"]


class LedgerEntry(models.Model):
    """Append-only money movements of a fiscal year; available = budget - commits + releases."""

    COMMIT, RELEASE, PAYOUT, REPAYMENT, REVERSAL = "commit", "release", "payout", "repayment", "reversal"
    KINDS = [
        (COMMIT, _("commitment")),
        (RELEASE, _("release")),
        (PAYOUT, _("payout")),
        (REPAYMENT, _("repayment")),
        (REVERSAL, _("reversal")),
    ]
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="ledger")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(max_length=10, choices=KINDS)
    amount = models.DecimalField(**MONEY, validators=NON_NEGATIVE)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]
        indexes = [models.Index(fields=["fiscal_year", "kind"])]


class Payout(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payouts")
    amount = models.DecimalField(_("amount"), **MONEY, validators=NON_NEGATIVE)
    paid_on = models.DateField(_("paid on"))
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["paid_on"]


class Report(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="report")
    narrative = models.TextField(_("narrative report"))
    actual_costs = models.DecimalField(_("actual total costs"), **MONEY, validators=NON_NEGATIVE)
    unused_amount = models.DecimalField(_("unused grant money"), **MONEY, default=0, validators=NON_NEGATIVE)
    receipts = models.TextField(_("receipt list (date, payee, purpose, amount)"))
    submitted_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)


class Document(models.Model):
    """A generated letter; never regenerated: a correction is a new document."""

    APPROVAL, REJECTION = "approval", "rejection"
    KINDS = [(APPROVAL, _("grant decision")), (REJECTION, _("rejection"))]
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    file = models.FileField(upload_to="letters/%Y/")
    sha256 = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]
        constraints = [models.UniqueConstraint(fields=["decision", "kind"], name="document_once_per_decision")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def filename(self):
        return f"{self.get_kind_display()} {self.application.reference}.pdf".replace("/", "-")


class AuditEvent(models.Model):
    """Append-only record of every write: who, when, what, before and after."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=60)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True, related_name="audit_events")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
