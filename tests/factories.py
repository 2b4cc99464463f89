"""Factories whose defaults state the facts the rule tests rely on: the demo fund's
rules (cap 5,000 EUR, two thirds above it, quorum 4, budget 40,000 EUR, meetings on
the 3rd Wednesday with the 1st as cut-off), written out here rather than borrowed
from the demo module."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from grants import roles, services
from grants.models import Aim, Application, CostLine, FiscalYear, Fund, FundRole, Meeting, Organisation

PASSWORD = "Lange-Testphrase-1"  # every test user's; long enough for the password rules
# The authenticator app secret of every test user who has one: tests compute codes from it.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_second_factor(user) -> None:
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts import second_factor

    if not second_factor.activated(user):
        TOTP.activate(user, TOTP_SECRET)


class UserFactory(factory.django.DjangoModelFactory):
    """A user; Django staff get an authenticator app, as the portal requires (second_factor=False: none)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create, extracted, **kwargs):
        if create:
            self.save()

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        if create and (extracted or (extracted is None and self.is_staff)):
            give_second_factor(self)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Verein {n} e.V.")
    legal_form = "ev"
    street = "Lämmertwiete 1"
    postcode = "21073"
    contact_name = "Erika Muster"
    email = factory.Sequence(lambda n: f"verein{n}@example.org")
    account_holder = factory.SelfAttribute("name")
    iban = "DE89370400440532013000"

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)


class FundFactory(factory.django.DjangoModelFactory):
    """A fund with its aims, its budgets for this year and the next, and a year of meetings each."""

    class Meta:
        model = Fund
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Verfügungsfonds {n}")
    slug = factory.Sequence(lambda n: f"fonds-{n}")
    reference_prefix = factory.Sequence(lambda n: f"VF{n}" if n else "VF")
    owner_body = "Bezirksamt Harburg"
    body_name = "Lenkungsgruppe"
    office_name = "Geschäftsstelle"
    receipt_letter = False  # tests of the receipt letter turn it on (tests/grants/test_after_submitting.py)
    office_address = "Neumühlen 16\n22763 Hamburg"
    office_email = factory.Sequence(lambda n: f"geschaeftsstelle{n}@example.org")
    objection_address = "Harburger Rathausplatz 4, 21073 Hamburg"
    state = "HH"
    cap = Decimal("5000.00")
    special_majority_numerator = 2
    special_majority_denominator = 3
    quorum = 4
    report_weeks = 8
    notification_days = 4
    appeal_months = 1
    meeting_weekday = 2  # Wednesday
    meeting_week_of_month = 3
    cutoff_day = 1
    signatory_name = "Dana Vogt"
    signatory_title = "Bezirksamtsleiterin"
    meeting_place = "Rathaus Harburg, Raum 102"

    @factory.post_generation
    def budget(self, create, extracted, **kwargs):
        if not create:
            return
        Aim.objects.bulk_create(Aim(fund=self, number=n, title=f"Ziel {n}") for n in range(1, 8))
        year = timezone.localdate().year
        for fiscal_year in (year, year + 1):
            FiscalYear.objects.create(fund=self, year=fiscal_year, budget=extracted or Decimal("40000.00"))
            services.meetings_schedule(fund=self, year=fiscal_year)


class FundRoleFactory(factory.django.DjangoModelFactory):
    """A role in a fund; where the fund requires a second factor for it, the user gets one
    (second_factor=False: none, to test the requirement)."""

    class Meta:
        model = FundRole
        skip_postgeneration_save = True

    fund = factory.SubFactory(FundFactory)
    user = factory.SubFactory(UserFactory)
    role = roles.MEMBER
    has_vote = True

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        if create and extracted is not False and self.role in self.fund.second_factor_roles:
            give_second_factor(self.user)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    fund = factory.SubFactory(FundFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    cutoff = factory.LazyAttribute(lambda meeting: meeting.date - dt.timedelta(days=14))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft: 3,000 EUR of costs, 600 own funds, 2,400 requested, starting in 60 days."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    fund = factory.SubFactory(FundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.LazyAttribute(lambda a: a.organisation.members.first() or UserFactory())
    title = "Mitternachtsfußball"
    summary = "Freitags Fußball von 22 bis 24 Uhr in der Sporthalle Eißendorf."
    target_group = "Jugendliche von 14 bis 21 Jahren"
    neighbourhood = "Eißendorf"
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=150))
    own_funds = Decimal("600.00")
    requested_amount = Decimal("2400.00")
    declared_not_started = declared_no_double_funding = declared_truthful = declared_privacy = True

    @factory.post_generation
    def costs(self, create, extracted, **kwargs):
        if create:
            amounts = extracted or [self.own_funds + self.own_work + self.third_party_funds + self.requested_amount]
            CostLine.objects.bulk_create(
                CostLine(application=self, description=f"Kostenposition {n}", amount=amount)
                for n, amount in enumerate(amounts, 1)
            )

    @factory.post_generation
    def aims(self, create, extracted, **kwargs):
        if create:
            self.aims.set(extracted or self.fund.aims.filter(number__in=[1, 4]))
