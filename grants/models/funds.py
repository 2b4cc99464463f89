"""A fund, its rules, the people with roles in it, its yearly budgets and its meetings."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .. import roles
from .money_fields import MONEY, NON_NEGATIVE, non_negative

# The Länder as the `holidays` package names them: appeal periods end on the
# next working day of the Land whose authority issues the decision.
STATES = [
    ("BB", "Brandenburg"), ("BE", "Berlin"), ("BW", "Baden-Württemberg"), ("BY", "Bayern"),
    ("HB", "Bremen"), ("HE", "Hessen"), ("HH", "Hamburg"), ("MV", "Mecklenburg-Vorpommern"),
    ("NI", "Niedersachsen"), ("NW", "Nordrhein-Westfalen"), ("RP", "Rheinland-Pfalz"),
    ("SH", "Schleswig-Holstein"), ("SL", "Saarland"), ("SN", "Sachsen"), ("ST", "Sachsen-Anhalt"),
    ("TH", "Thüringen"),
]  # fmt: skip


def staff_roles() -> list[str]:
    return [roles.OFFICE, roles.MEMBER, roles.CHAIR, roles.DEPUTY_CHAIR, roles.ADMIN]


def default_service_levels() -> dict:
    """Days an office step may wait before the queue marks it overdue, by step of the process."""
    return {"check_completeness": 10, "assess": 14, "payout": 5, "review_report": 21}


class TieRule(models.TextChoices):
    FAILS = "fails", _("a tie means the motion is not adopted")
    CHAIR_DECIDES = "chair", _("on a tie, the chair's vote decides")


class Fund(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    accepts_applications = models.BooleanField(_("accepts applications"), default=True)
    reference_prefix = models.CharField(_("reference prefix"), max_length=10, unique=True)
    owner_body = models.CharField(_("issuing body"), max_length=200)
    body_name = models.CharField(_("deciding body"), max_length=200)
    office_name = models.CharField(_("office"), max_length=200)
    office_address = models.TextField(_("office address"), blank=True)
    office_email = models.EmailField(_("office e-mail"), blank=True)
    objection_address = models.CharField(_("address for objections"), max_length=300)
    state = models.CharField(_("Land (for public holidays)"), max_length=2, choices=STATES, default="HH")
    cap = models.DecimalField(_("cap per application"), **MONEY, validators=NON_NEGATIVE)
    special_majority_numerator = models.PositiveSmallIntegerField(
        _("special majority above the cap: numerator"), default=2
    )
    special_majority_denominator = models.PositiveSmallIntegerField(
        _("special majority above the cap: denominator"), default=3
    )
    quorum = models.PositiveSmallIntegerField(_("quorum (voting members)"), default=4)
    tie_rule = models.CharField(_("tie rule"), max_length=10, choices=TieRule.choices, default=TieRule.FAILS)
    one_quote_up_to = models.DecimalField(
        _("one quote needed up to"), **MONEY, default=Decimal("500.00"), validators=NON_NEGATIVE
    )
    two_quotes_up_to = models.DecimalField(
        _("two quotes needed up to (three above)"), **MONEY, default=Decimal("2500.00"), validators=NON_NEGATIVE
    )
    quotes_at_submission = models.BooleanField(
        _("the quotes must be uploaded before an application can be submitted"),
        default=False,
        db_default=False,
        help_text=_("Otherwise the office asks for missing quotes in its completeness check."),
    )
    simple_report_up_to = models.DecimalField(
        _("simple report (receipt list only) for grants up to"),
        **MONEY,
        default=Decimal("0.00"),
        db_default=Decimal("0.00"),
        validators=NON_NEGATIVE,
        help_text=_("0: no grant qualifies by its amount alone."),
    )
    simple_report_informal = models.BooleanField(
        _("informal groups without legal form may always file the simple report"),
        default=False,
        db_default=False,
    )
    report_weeks = models.PositiveSmallIntegerField(_("report due weeks after project end"), default=8)
    notification_days = models.PositiveSmallIntegerField(
        _("a letter is deemed notified on this day after dispatch"),
        default=4,
        help_text=_("Federal VwVfG § 41(2) since 2025: the fourth day. Some Länder still say the third."),
    )
    appeal_months = models.PositiveSmallIntegerField(_("appeal period in months"), default=1)
    meeting_weekday = models.PositiveSmallIntegerField(_("meeting weekday (0=Monday)"), default=2)
    meeting_week_of_month = models.PositiveSmallIntegerField(_("meeting week of month"), default=3)
    cutoff_day = models.PositiveSmallIntegerField(_("cut-off day of month"), default=1)
    meeting_time = models.TimeField(_("meetings begin at"), default=dt.time(17, 0))
    meeting_place = models.CharField(_("meetings take place at"), max_length=300, blank=True)
    invitation_days = models.PositiveSmallIntegerField(_("invite to a meeting this many days ahead"), default=7)
    office_may_extend_months = models.PositiveSmallIntegerField(
        _("the office may extend a grant period by up to (months)"),
        default=3,
        db_default=3,
        help_text=_("Longer extensions go to the steering group."),
    )
    office_may_shift_percent = models.PositiveSmallIntegerField(
        _("the office may move up to this share of the grant between cost lines (%)"),
        default=20,
        db_default=20,
        help_text=_("Larger shifts go to the steering group."),
    )
    signatory_name = models.CharField(_("signatory"), max_length=200)
    signatory_title = models.CharField(_("signatory title"), max_length=200)
    repayment_interest_text = models.CharField(
        _("interest on repayments"),
        max_length=200,
        default="fünf Prozentpunkten über dem Basiszinssatz jährlich",
    )
    rules_text = models.TextField(_("funding rules"), blank=True)
    receipt_letter = models.BooleanField(
        _("confirm each submitted application with a letter (PDF) attached to the e-mail"), default=True
    )
    # The fund's public page: plain text, one paragraph per blank line, one list item per line.
    public_description = models.TextField(_("public page: what the fund is and who decides"), blank=True)
    pays_for = models.TextField(_("public page: what the fund pays for (one item per line)"), blank=True)
    does_not_pay_for = models.TextField(_("public page: what it does not pay for (one item per line)"), blank=True)
    procedure_steps = models.TextField(_("public page: how the procedure runs (one step per line)"), blank=True)
    contact_text = models.TextField(_("public page: contact"), blank=True)
    own_contribution_text = models.CharField(
        _("public page: own contribution expected"),
        max_length=300,
        blank=True,
        help_text=_("For example: an appropriate own contribution in money or work in kind."),
    )
    retention_draft_years = models.PositiveSmallIntegerField(_("keep drafts never submitted (years)"), default=1)
    retention_rejected_years = models.PositiveSmallIntegerField(_("keep rejected files (years)"), default=6)
    retention_closed_years = models.PositiveSmallIntegerField(_("keep closed files (years)"), default=10)
    service_levels = models.JSONField(
        _("service level per office step (days)"),
        default=default_service_levels,
        blank=True,
        help_text=_('Step name and the days it may wait, e.g. {"check_completeness": 10}. Older tasks are overdue.'),
    )
    second_factor_roles = models.JSONField(
        _("roles that sign in with a second factor"),
        default=staff_roles,
        blank=True,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            *non_negative("fund", "cap", "one_quote_up_to", "two_quotes_up_to", "simple_report_up_to"),
            models.CheckConstraint(
                condition=Q(special_majority_numerator__lte=F("special_majority_denominator")),
                name="fund_special_majority_is_a_fraction",
            ),
        ]

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
        (roles.DEPUTY_CHAIR, _("deputy chair")),
        (roles.ADMIN, _("fund admin")),
    ]
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fund_roles")
    role = models.CharField(_("role"), max_length=10, choices=ROLE_CHOICES)
    has_vote = models.BooleanField(_("voting right"), default=False)
    affiliation = models.CharField(_("faction or institution"), max_length=200, blank=True)
    substitute_for = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substitutes",
        verbose_name=_("deputy of"),
        help_text=_("A deputy votes only when the member is absent."),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fund", "user", "role"], name="fundrole_unique")]
        verbose_name = _("fund role")
        verbose_name_plural = _("fund roles")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.fund})"


class FiscalYear(models.Model):
    """A fund's budget for a calendar year, with running totals kept under the year's row lock."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="fiscal_years")
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.DecimalField(_("budget"), **MONEY, validators=NON_NEGATIVE)
    committed = models.DecimalField(_("committed"), **MONEY, default=0, editable=False)
    released = models.DecimalField(_("released"), **MONEY, default=0, editable=False)
    paid = models.DecimalField(_("paid out"), **MONEY, default=0, editable=False)
    last_reference_number = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["fund", "year"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year"], name="fiscalyear_unique"),
            *non_negative("fiscalyear", "budget", "committed", "released", "paid"),
            # The last line of defence: no write may ever leave a year overdrawn.
            models.CheckConstraint(
                condition=Q(budget__gte=F("committed") - F("released")), name="fiscalyear_not_overdrawn"
            ),
        ]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")

    def __str__(self):
        return f"{self.fund} {self.year}"

    @property
    def available(self) -> Decimal:
        return self.budget - self.committed + self.released


class Meeting(models.Model):
    """A meeting of the deciding body: planned, then opened by the chair, then closed."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        OPEN = "open", _("in session")
        CLOSED = "closed", _("closed")

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    cutoff = models.DateField(_("applications due by"))
    start_time = models.TimeField(_("begins at"), null=True, blank=True, help_text=_("Empty: the fund's usual time."))
    place = models.CharField(_("place"), max_length=300, blank=True, help_text=_("Empty: the fund's usual place."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["fund", "date"], name="meeting_unique_date")]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.fund.body_name} {date_format(self.date, 'SHORT_DATE_FORMAT')}"


class FundPage(models.Model):
    """A page every fund must publish (privacy notice, accessibility statement, imprint, help in
    Leichte Sprache): text a fund admin edits in the admin, shown without a login."""

    class Kind(models.TextChoices):
        PRIVACY = "datenschutz", _("privacy notice")
        ACCESSIBILITY = "barrierefreiheit", _("accessibility statement")
        IMPRINT = "impressum", _("imprint")
        EASY_LANGUAGE = "leichte-sprache", _("help in Leichte Sprache")

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="pages")
    kind = models.CharField(_("page"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Plain text. A blank line starts a new paragraph; a line starting with '## ' a heading.")
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["fund", "kind"]
        constraints = [models.UniqueConstraint(fields=["fund", "kind"], name="fundpage_unique_kind")]
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.fund})"
