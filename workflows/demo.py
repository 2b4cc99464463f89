"""Demo data: the Harburg fund, one login per role and applications standing in
every step, each moved there through the real flow and services."""

import datetime as dt
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.timers import fire_due_timers

from accounts.models import User
from grants import roles, selectors, services
from grants.models import Aim, Application, BaseRate, Fund, FundRole, Meeting, Organisation, RepaymentClaim, Vote
from grants.services import changes, deadlines

from . import api
from .demo_pages import create_public_pages
from .flows import ApplicationFlow
from .tasks import decision_letter_issue

PASSWORD = "demo"
DEMO_LOGINS = {
    "Antragsteller (Verein)": "verein@tsv-harburg.example",
    "Antragsteller (Initiative)": "nachbarn@phoenix.example",
    "Geschäftsstelle": "geschaeftsstelle@lawaetz.example",
    "Vorsitz": "vorsitz@harburg.example",
    "Stellvertretender Vorsitz": "cdu@harburg.example",
    "Mitglied der Lenkungsgruppe": "spd@harburg.example",
    "Fondsverwaltung (Admin)": "admin@harburg.example",
}
CONDITION = "Zusammenarbeit mit dem Jugendbeauftragten des PK 46"
AIMS = [
    "Gewalt und Kriminalität zurückdrängen",
    "Vandalismus vorbeugen",
    "Saubere Straßen und Plätze",
    "Soziale Konflikte zwischen Menschen lösen",
    "Kommunikation verbessern",
    "Den Bewohnerinnen und Bewohnern ein Gefühl der Sicherheit geben",
    "Identifikation der Bewohnerinnen und Bewohner mit ihrem Quartier stärken",
]
MEMBERS = [
    ("vorsitz@harburg.example", "Dana", "Vogt", roles.CHAIR, True, "Bezirksamtsleitung"),
    ("spd@harburg.example", "Selin", "Peters", roles.MEMBER, True, "SPD-Fraktion"),
    ("cdu@harburg.example", "Carsten", "Dohm", roles.MEMBER, True, "CDU-Fraktion"),
    ("gruene@harburg.example", "Greta", "Ünal", roles.MEMBER, True, "Fraktion GRÜNE"),
    ("linke@harburg.example", "Lars", "Kühn", roles.MEMBER, True, "Fraktion DIE LINKE"),
    ("polizei@harburg.example", "Paul", "Ohl", roles.MEMBER, False, "Polizeikommissariat 46"),
]


def _user(email, first, last, **extra):
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last, **extra})
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


def create_fund() -> Fund:
    fund = Fund.objects.create(
        name="Verfügungsfonds der Sicherheitskonferenz Harburg",
        slug="harburg",
        owner_body="Bezirksamt Harburg",
        body_name="Lenkungsgruppe der Sicherheitskonferenz Harburg",
        office_name="Geschäftsstelle Sicherheitskonferenz (Johann Daniel Lawaetz-Stiftung)",
        office_address="Neumühlen 16–20\n22763 Hamburg",
        office_email="geschaeftsstelle@lawaetz.example",
        objection_address="Harburger Rathausplatz 4, 21073 Hamburg",
        reference_prefix="VF",
        cap=Decimal("5000.00"),
        quorum=4,
        signatory_name="Dana Vogt",
        signatory_title="Bezirksamtsleiterin",
        rules_text="Gefördert werden einmalige Projekte und Anschubfinanzierungen in Harburg.",
        simple_report_up_to=Decimal("500.00"),
        simple_report_informal=True,
        meeting_place="Rathaus Harburg, Harburger Rathausplatz 1, 21073 Hamburg",
        receipt_letter=True,
    )
    Aim.objects.bulk_create(Aim(fund=fund, number=n, title=title) for n, title in enumerate(AIMS, 1))
    create_public_pages(fund)
    year = timezone.localdate().year
    for fiscal_year in (year, year + 1):
        services.fiscal_year_create(fund=fund, year=fiscal_year, budget=Decimal("40000.00"), actor=None)
        services.meetings_schedule(fund=fund, year=fiscal_year)
    return fund


def _second_factor(user) -> None:
    """Give a demo login an authenticator app with a fresh secret (printed by demo_logins)."""
    TOTP.activate(user, generate_totp_secret())


def create_people(fund):
    people = {"office": _user("geschaeftsstelle@lawaetz.example", "Olga", "Berg")}
    FundRole.objects.create(fund=fund, user=people["office"], role=roles.OFFICE)
    people["admin"] = _user("admin@harburg.example", "Anna", "Admin", is_staff=True, is_superuser=True)
    FundRole.objects.create(fund=fund, user=people["admin"], role=roles.ADMIN)
    people["members"] = []
    for email, first, last, role, has_vote, affiliation in MEMBERS:
        user = _user(email, first, last)
        FundRole.objects.create(fund=fund, user=user, role=role, has_vote=has_vote, affiliation=affiliation)
        people["members"].append(user)
    people["chair"] = people["members"][0]
    # The CDU member stands in for the chair on items where the chair is recused.
    FundRole.objects.create(fund=fund, user=people["members"][2], role=roles.DEPUTY_CHAIR)
    for user in [people["office"], people["admin"], *people["members"]]:
        _second_factor(user)
    return people


def create_organisations():
    club_user = _user("verein@tsv-harburg.example", "Tom", "Schulz")
    club = Organisation.objects.create(
        name="TSV Harburg von 1865 e.V.",
        legal_form="ev",
        street="Vahrenwinkelweg 2",
        postcode="21075",
        contact_name="Tom Schulz",
        email="verein@tsv-harburg.example",
        charitable=True,
        account_holder="TSV Harburg von 1865 e.V.",
        iban="DE89370400440532013000",
    )
    club.members.add(club_user)
    group_user = _user("nachbarn@phoenix.example", "Nora", "Aydin")
    group = Organisation.objects.create(
        name="Nachbarschaftsinitiative Phoenix-Viertel",
        legal_form="informal",
        street="Maretstraße 10",
        postcode="21073",
        contact_name="Nora Aydin",
        email="nachbarn@phoenix.example",
        account_holder="Nora Aydin",
        iban="DE02120300000000202051",
    )
    group.members.add(group_user)
    return club, club_user, group, group_user


def draft(fund, organisation, user, title, amount, total):
    today = timezone.localdate()
    data = {
        "title": title,
        "summary": f"{title}: ein Projekt für mehr Sicherheit im Quartier.",
        "target_group": "Jugendliche von 14 bis 21 Jahren",
        "neighbourhood": "Harburg-Innenstadt",
        "start_date": today + dt.timedelta(days=60),
        "end_date": today + dt.timedelta(days=180),
        "own_funds": total - amount,
        "requested_amount": amount,
        "declared_not_started": True,
        "declared_no_double_funding": True,
        "declared_truthful": True,
        "declared_privacy": True,
        "aims": list(fund.aims.filter(number__in=[1, 4, 6])),
    }
    lines = [
        {"description": "Honorare", "amount": total * Decimal("0.6")},
        {"description": "Sachkosten", "amount": total * Decimal("0.4")},
    ]
    return services.application_create(fund=fund, organisation=organisation, actor=user, data=data, cost_lines=lines)


def office_step(application, node, user, perform):
    """Claim an office task and work it, as the office would through its queue."""
    task = api.waiting_task(application, node)
    with task.activation() as activation:
        activation.assign(user)
        activation.start(None)
        perform()
        activation.execute()


def accept_complete(application, office):
    """The office finds the application complete."""
    office_step(
        application,
        ApplicationFlow.check_completeness,
        office,
        lambda: services.application_accept_complete(application=application, actor=office),
    )


def recommend(application, office, *, motion="approve", amount=None, conditions="", reasoning="Passt zum Fonds."):
    """The office recommends, which puts the application on the next meeting's agenda."""
    office_step(
        application,
        ApplicationFlow.assess,
        office,
        lambda: services.recommendation_create(
            application=application,
            actor=office,
            motion=motion,
            amount=amount or application.requested_amount,
            financing_type="gap",
            conditions=conditions,
            reasoning=reasoning,
        ),
    )


def in_session(item, people):
    """The chair opens the item's meeting (once), records the first four members with a vote as
    present, and calls the item."""
    meeting = item.meeting
    meeting.refresh_from_db()
    if meeting.status == meeting.Status.PLANNED:
        services.meeting_open(meeting=meeting, actor=people["chair"])
        services.attendance_record(meeting=meeting, actor=people["chair"], present=people["members"][:4])
    services.item_open(agenda_item=item, actor=people["chair"])


def decide(application, people, choice=Vote.YES, reasons=""):
    item = application.agenda_items.get(closed_at=None)
    in_session(item, people)
    for member in people["members"][:4]:
        services.vote_cast(agenda_item=item, member=member, choice=choice)
    decision = api.vote_close(agenda_item=item, actor=people["chair"], reasons=reasons).decision
    decision_letter_issue(decision.pk)
    return decision


def object_and_amend(application, people, club_user) -> Meeting:
    """An objection the steering group upholds in the next meeting (Widerspruchsbescheid), then a
    longer grant period the office approves (Änderungsbescheid). Returns that meeting."""
    office, flow = people["office"], ApplicationFlow
    today = timezone.localdate()
    objection = api.objection_record(application=application, actor=office, received_on=today,
                                     grounds="Wir halten die Auflage für zu streng.")  # fmt: skip
    meeting = selectors.meetings_ahead(application.fund).first()
    office_step(
        application, flow.objection_schedule, office,
        lambda: services.objection_schedule(objection=objection, actor=office, meeting=meeting, remedy=False),
    )  # fmt: skip
    item = application.agenda_items.get(closed_at=None, objection=objection)
    in_session(item, people)
    for member in people["members"][:4]:
        services.vote_cast(agenda_item=item, member=member, choice=Vote.YES)
    api.vote_close(agenda_item=item, actor=people["chair"], reasons="Die Auflage sichert den Zweck der Zuwendung.")
    # One extension approved (an amendment letter), a longer one refused (a refusal letter).
    for days, reason, outcome, note in (
        (30, "Der Hallenumbau verzögert sich.", changes.APPROVE, "Die Verlängerung um einen Monat ist begründet."),
        (120, "Wir möchten bis zum Herbst spielen.", changes.REFUSE, "Der Fonds fördert das Winterprojekt."),
    ):  # fmt: skip
        application.refresh_from_db()
        change = api.change_request(application=application, actor=club_user, reason=reason,
                                    new_end_date=application.end_date + dt.timedelta(days=days))  # fmt: skip
        office_step(
            application, flow.change_decide, office,
            lambda change=change, outcome=outcome, note=note: services.change_decide(
                change=change, actor=office, outcome=outcome, note=note),
        )  # fmt: skip
    return meeting


def claim_back(application, office):
    """Money not used: the claim, the hearing and the revocation and repayment decision."""
    flow, today = ApplicationFlow, timezone.localdate()
    # A migration records the published base rates; a database emptied since (as tests do) has none,
    # so the rate in force is recorded here as the fund admin would.
    BaseRate.objects.get_or_create(valid_from=dt.date(2025, 7, 1), defaults={"rate": Decimal("1.27")})
    claim = api.repayment_claim(application=application, actor=office, amount=Decimal("400"),
                                reason=RepaymentClaim.Reason.UNUSED,
                                explanation="Die Beleuchtung wurde günstiger; 400 EUR blieben ungenutzt.")  # fmt: skip
    office_step(
        application, flow.repayment_hearing, office,
        lambda: services.repayment_hearing(claim=claim, actor=office, deadline=today + dt.timedelta(days=14)),
    )  # fmt: skip
    office_step(
        application, flow.repayment_decide, office,
        lambda: services.repayment_decide(claim=claim, actor=office, due_on=today + dt.timedelta(days=30),
                                          statement="Wir zahlen die 400 EUR zurück."),
    )  # fmt: skip


@transaction.atomic
def seed_demo() -> dict | None:
    """Create the demo fund and move one application into every step; its logins, or None if seeded before."""
    if Fund.objects.filter(slug="harburg").exists():
        return None
    fund = create_fund()
    people = create_people(fund)
    club, club_user, group, group_user = create_organisations()
    office = people["office"]
    flow = ApplicationFlow

    draft(fund, club, club_user, "Sommerfest am Außenmühlenteich", Decimal("1500"), Decimal("2000"))

    def submitted(title, amount, total, organisation=club, user=club_user):
        application = draft(fund, organisation, user, title, amount, total)
        api.application_submit(application=application, actor=user)
        application.refresh_from_db()
        return application

    graffiti = submitted("Graffiti-Workshop an der Schule", Decimal("800"), Decimal("1000"))
    # The worker confirms every submission with a letter; this one is filed now, so that the demo shows one.
    services.receipt_letter_issue(application=graffiti)

    revision = submitted("Kiezspaziergang mit Licht-Check", Decimal("300"), Decimal("400"), group, group_user)
    office_step(
        revision,
        flow.check_completeness,
        office,
        lambda: services.application_request_revision(
            application=revision,
            actor=office,
            message="Bitte reichen Sie ein Angebot für die Lampen nach.",
            deadline=timezone.localdate() + dt.timedelta(days=14),
        ),
    )

    assessing = submitted("Streitschlichtung im Treppenhaus", Decimal("1200"), Decimal("1500"))
    accept_complete(assessing, office)

    rejected = submitted("Flyer gegen Müll", Decimal("500"), Decimal("600"))
    accept_complete(rejected, office)
    started = "Die Flyer wurden vor der Entscheidung bestellt; das Projekt hatte damit bereits begonnen."
    recommend(rejected, office, motion="reject", reasoning=started)
    decide(rejected, people, reasons=started)

    for title, stop in [
        ("Nachtcafé für Jugendliche", "approved"),
        ("Sauberer Spielplatz", "paid"),
        ("Sicher nach Hause", "reported"),
        ("Nachbarschaftsfest Heimfeld", "closed"),
        ("Lichtkunst am Bahnhof Harburg", "repayment"),
    ]:
        application = submitted(title, Decimal("1000"), Decimal("1250"))
        accept_complete(application, office)
        recommend(application, office, conditions=CONDITION)
        decide(application, people)
        if stop == "approved":
            objection_meeting = object_and_amend(application, people, club_user)
            continue
        api.appeal_waive(application=application, actor=club_user)
        fire_due_timers()
        services.conditions_met_record(application=application, actor=office, note="Kooperation vereinbart.")
        api.instalment_request(application=application, actor=club_user, amount=Decimal("1000"))
        instalment = application.instalments.get()
        office_step(
            application, flow.payout_order, office,
            lambda i=instalment: services.payout_order_issue(instalment=i, actor=office),
        )  # fmt: skip
        office_step(
            application, flow.payout, office,
            lambda i=instalment: services.instalment_pay(instalment=i, actor=office, paid_on=timezone.localdate()),
        )  # fmt: skip
        if stop == "paid":
            continue
        if stop == "repayment":
            claim_back(application, office)
            continue
        api.report_submit(
            application=application,
            actor=club_user,
            narrative="Das Projekt lief wie geplant.",
            actual_costs=Decimal("1250"),
            unused_amount=Decimal("0"),
            receipts="01.06. Druckerei Harburg, Plakate, 250,00 EUR",
        )
        if stop == "closed":
            office_step(
                application,
                flow.review_report,
                office,
                lambda a=application: services.report_review(
                    application=a, actor=office, accepted=True, note="Nachweis vollständig."
                ),
            )

    # A report three weeks overdue: its reminder letter went out a week after, the final one today.
    late = Application.objects.get(fund=fund, title="Sauberer Spielplatz")
    late.report_due = timezone.localdate() - dt.timedelta(days=14)
    late.save(update_fields=["report_due"])
    deadlines.deadlines_run(today=late.report_due + dt.timedelta(days=7))
    deadlines.deadlines_run(today=timezone.localdate())

    # The meeting that decided is closed and its minutes approved; the next one has an item waiting.
    for decided in (rejected.agenda_items.get().meeting, objection_meeting):
        services.meeting_close(meeting=decided, actor=people["chair"])
        services.minutes_approve(meeting=decided, actor=people["chair"])
    on_agenda = submitted("Mitternachtsfußball", Decimal("2400"), Decimal("3000"))
    accept_complete(on_agenda, office)
    recommend(on_agenda, office, amount=Decimal("2000"), conditions=CONDITION)
    services.meeting_invite(meeting=on_agenda.agenda_items.get().meeting)  # the invitation and the agenda pack
    return DEMO_LOGINS
