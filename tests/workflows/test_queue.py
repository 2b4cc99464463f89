"""The office queue: filters, search, sort, paging, how long each task has waited against the
fund's service level, claiming, assigning, giving back and bulk assignment, a race between two
office users, and a query count that does not grow with the number of applications."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS, STATUS

from grants.models import Application, AuditEvent, Meeting
from grants.roles import OFFICE, OFFICE_TASK
from tests import journey
from tests.factories import ApplicationFactory, FundFactory, FundRoleFactory, OrganisationFactory
from tests.workflows.test_races import at_once
from workflows import api
from workflows.flows import ApplicationFlow

QUEUE = "/geschaeftsstelle/"


def submitted(fund, club, **fields):
    organisation, user = club
    application = ApplicationFactory(fund=fund, organisation=organisation, created_by=user, **fields)
    api.application_submit(application=application, actor=user)
    application.refresh_from_db()
    return application


def task_of(application):
    return application.process.task_set.get(status__in=[STATUS.NEW, STATUS.ASSIGNED], flow_task_type="HUMAN")


def titles(page) -> list[str]:
    body = page.content.decode()
    return [title for title in TITLES if f">{title}</a>" in body]


TITLES = ["Nachtcafé", "Lichtkunst", "Stadtteilfest", "Kiezgarten"]


@pytest.fixture
def four(fund, club):
    other = OrganisationFactory(name="Kulturwerkstatt Heimfeld", members=[club[1]]), club[1]
    apps = {
        "Nachtcafé": submitted(fund, club, title="Nachtcafé", requested_amount=Decimal("800.00"),
                               neighbourhood="Eißendorf"),
        "Lichtkunst": submitted(fund, other, title="Lichtkunst", requested_amount=Decimal("2400.00"),
                                neighbourhood="Heimfeld"),
        "Stadtteilfest": submitted(fund, club, title="Stadtteilfest", requested_amount=Decimal("4000.00"),
                                   neighbourhood="Heimfeld"),
        "Kiezgarten": submitted(fund, other, title="Kiezgarten", requested_amount=Decimal("1500.00"),
                                neighbourhood="Harburg", aims=fund.aims.filter(number=7)),
    }  # fmt: skip
    return apps


def test_the_queue_filters_searches_and_sorts(fund, people, club, four):
    office = journey.login(people["office"])
    assert titles(office.get(QUEUE)) == TITLES
    assert titles(office.get(QUEUE, {"q": "licht"})) == ["Lichtkunst"]
    assert titles(office.get(QUEUE, {"q": four["Kiezgarten"].reference})) == ["Kiezgarten"]
    assert titles(office.get(QUEUE, {"q": "kulturwerkstatt"})) == ["Lichtkunst", "Kiezgarten"]
    assert titles(office.get(QUEUE, {"neighbourhood": "heimfeld"})) == ["Lichtkunst", "Stadtteilfest"]
    assert titles(office.get(QUEUE, {"amount_min": "1.000,00", "amount_max": "2400"})) == ["Lichtkunst", "Kiezgarten"]
    assert titles(office.get(QUEUE, {"aim": fund.aims.get(number=7).pk})) == ["Kiezgarten"]
    assert titles(office.get(QUEUE, {"fund": fund.pk, "step": "check_completeness"})) == TITLES
    assert titles(office.get(QUEUE, {"step": "assess"})) == []
    sorted_page = office.get(QUEUE, {"sort": "-amount"}).content.decode()
    order = sorted(TITLES, key=lambda title: sorted_page.find(f">{title}</a>"))
    assert order == ["Stadtteilfest", "Lichtkunst", "Kiezgarten", "Nachtcafé"]
    assert "Keine offene Aufgabe passt zu diesen Filtern." in office.get(QUEUE, {"q": "gibt es nicht"}).content.decode()


def test_the_meeting_and_mine_filters(fund, people, club, four):
    office = journey.login(people["office"])
    api.task_claim(task=task_of(four["Kiezgarten"]), user=people["office"])
    assert titles(office.get(QUEUE, {"mine": "on"})) == ["Kiezgarten"]
    meeting = four["Nachtcafé"].meeting  # the next meeting after the cut-off, set on submission
    other = Meeting.objects.filter(fund=fund, date__gt=meeting.date).first()
    Application.objects.filter(pk=four["Lichtkunst"].pk).update(meeting=other)
    assert titles(office.get(QUEUE, {"meeting": other.pk})) == ["Lichtkunst"]
    assert titles(office.get(QUEUE, {"meeting": meeting.pk})) == ["Nachtcafé", "Stadtteilfest", "Kiezgarten"]


def test_each_row_shows_how_long_it_waited_and_the_service_level_marks_it_overdue(fund, people, club):
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        submitted(fund, club, title="Nachtcafé")
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        submitted(fund, club, title="Lichtkunst")
    office = journey.login(people["office"])
    with time_machine.travel(dt.datetime(2026, 11, 13, 12, 0, tzinfo=dt.UTC), tick=False):
        page = office.get(QUEUE).content.decode()
        assert "11 Tage" in page and "3 Tage" in page
        assert page.count("überfällig (Bearbeitungsfrist 10 Tage)") == 1
        assert titles(office.get(QUEUE, {"overdue": "on"})) == ["Nachtcafé"]
        fund.service_levels = {"check_completeness": 2}
        fund.save(update_fields=["service_levels"])
        assert titles(office.get(QUEUE, {"overdue": "on"})) == ["Nachtcafé", "Lichtkunst"]
        fund.service_levels = {}
        fund.save(update_fields=["service_levels"])
        assert titles(office.get(QUEUE, {"overdue": "on"})) == []
        assert "überfällig (" not in office.get(QUEUE).content.decode()


def test_overdue_follows_each_funds_own_service_level(fund, people, club):
    second = FundFactory(slug="zweiter", reference_prefix="ZW", service_levels={"check_completeness": 10})
    FundRoleFactory(fund=second, role=OFFICE, user=people["office"])
    fund.service_levels = {"check_completeness": 10}
    fund.save(update_fields=["service_levels"])
    with time_machine.travel(dt.datetime(2026, 11, 6, 9, 0, tzinfo=dt.UTC), tick=False):
        submitted(fund, club, title="Nachtcafé")
        submitted(second, club, title="Lichtkunst")
    office = journey.login(people["office"])
    with time_machine.travel(dt.datetime(2026, 11, 13, 12, 0, tzinfo=dt.UTC), tick=False):
        assert titles(office.get(QUEUE, {"overdue": "on"})) == []  # 7 days: within both funds' 10
        second.service_levels = {"check_completeness": 5}
        second.save(update_fields=["service_levels"])
        assert titles(office.get(QUEUE, {"overdue": "on"})) == ["Lichtkunst"]
        fund.service_levels = {}
        fund.save(update_fields=["service_levels"])
        assert titles(office.get(QUEUE, {"overdue": "on"})) == ["Lichtkunst"]
        second.service_levels = {"check_completeness": 3}
        second.save(update_fields=["service_levels"])
        fund.service_levels = {"check_completeness": 3}
        fund.save(update_fields=["service_levels"])
        assert titles(office.get(QUEUE, {"overdue": "on"})) == ["Nachtcafé", "Lichtkunst"]


def test_claim_assign_give_back_and_bulk_assign(fund, people, club, four):
    colleague = FundRoleFactory(fund=fund, role=OFFICE, user__first_name="Kai", user__last_name="Lund").user
    office = journey.login(people["office"])
    tasks = {title: task_of(application) for title, application in four.items()}

    response = office.post(f"{QUEUE}aufgaben/{tasks['Nachtcafé'].pk}/zuweisen/", {"assignee": colleague.pk,
                                                                              "back": QUEUE + "?q=n"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == QUEUE + "?q=n"
    tasks["Nachtcafé"].refresh_from_db()
    assert tasks["Nachtcafé"].owner == colleague and tasks["Nachtcafé"].status == STATUS.ASSIGNED
    assert AuditEvent.objects.filter(action="task_assign", application=four["Nachtcafé"]).count() == 1

    # Only who holds a task gives it back.
    page = office.post(f"{QUEUE}aufgaben/{tasks['Nachtcafé'].pk}/freigeben/", follow=True).content.decode()
    assert "Nur wer eine Aufgabe übernommen hat, kann sie zurückgeben." in page
    response = journey.login(colleague).post(f"{QUEUE}aufgaben/{tasks['Nachtcafé'].pk}/freigeben/", follow=True)
    assert "wieder in der Aufgabenliste" in response.content.decode()
    tasks["Nachtcafé"].refresh_from_db()
    assert tasks["Nachtcafé"].owner is None and tasks["Nachtcafé"].status == STATUS.NEW

    # Nobody outside the fund's office can be given a task.
    outsider = FundRoleFactory(fund=FundFactory(slug="x", reference_prefix="X"), role=OFFICE).user
    page = office.post(f"{QUEUE}aufgaben/{tasks['Lichtkunst'].pk}/zuweisen/", {"assignee": outsider.pk},
                       follow=True).content.decode()  # fmt: skip
    assert "Wählen Sie die Kollegin oder den Kollegen" in page
    tasks["Lichtkunst"].refresh_from_db()
    assert tasks["Lichtkunst"].owner is None

    api.task_claim(task=tasks["Kiezgarten"], user=people["office"])
    ids = [tasks[title].pk for title in ("Nachtcafé", "Lichtkunst", "Stadtteilfest", "Kiezgarten")]
    page = office.post(f"{QUEUE}aufgaben/zuweisen/", {"tasks": ids, "assignee": colleague.pk},
                       follow=True).content.decode()  # fmt: skip
    assert "4 Aufgaben liegen jetzt bei Kai Lund." in page
    assert {task.owner_id for task in ApplicationFlow.task_class.objects.filter(pk__in=ids)} == {colleague.pk}
    assert titles(journey.login(colleague).get(QUEUE, {"mine": "on"})) == TITLES


def test_a_bulk_assignment_counts_what_moved_on_meanwhile(fund, people, club, four):
    colleague = FundRoleFactory(fund=fund, role=OFFICE).user
    office = journey.login(people["office"])
    done = four["Nachtcafé"]
    journey.check_complete(office, done)
    stale = ApplicationFlow.task_class.objects.get(process__applicationprocess__application=done,
                                                   flow_task=ApplicationFlow.check_completeness)  # fmt: skip
    ids = [stale.pk, task_of(four["Lichtkunst"]).pk]
    page = office.post(f"{QUEUE}aufgaben/zuweisen/", {"tasks": ids, "assignee": colleague.pk},
                       follow=True).content.decode()  # fmt: skip
    assert "1 Aufgabe liegt jetzt bei" in page and "1 Aufgabe wurde nicht zugewiesen" in page


@pytest.mark.django_db(transaction=True)
def test_a_claim_and_an_assignment_at_the_same_moment_one_wins_and_the_other_is_told(fund, people, club):
    application = submitted(fund, club, title="Nachtcafé")
    task = task_of(application)
    colleague = FundRoleFactory(fund=fund, role=OFFICE).user
    url = f"{QUEUE}aufgaben/{task.pk}/"
    claimer, assigner = journey.login(colleague), journey.login(people["office"])
    responses = at_once(
        lambda: claimer.post(url + "uebernehmen/", follow=True),
        lambda: assigner.post(url + "zuweisen/", {"assignee": people["office"].pk, "owner": ""}, follow=True),
    )
    assert [getattr(response, "status_code", 500) for response in responses] == [200, 200], responses
    pages = [response.content.decode() for response in responses]
    lost = ["bereits übernommen" in pages[0], "gerade jemand anderes übernommen" in pages[1]]
    assert sum(lost) == 1, pages
    task.refresh_from_db()
    assert task.owner == (people["office"] if lost[0] else colleague)


def test_assigning_from_a_page_loaded_before_a_colleague_claimed_the_task_changes_nothing(fund, people, club):
    application = submitted(fund, club, title="Nachtcafé")
    task = task_of(application)
    colleague = FundRoleFactory(fund=fund, role=OFFICE).user
    url = f"{QUEUE}aufgaben/{task.pk}/"
    assigner = journey.login(people["office"])
    assert 'name="owner" value=""' in assigner.get(QUEUE).content.decode()  # nobody holds it yet
    journey.login(colleague).post(url + "uebernehmen/")
    page = assigner.post(url + "zuweisen/", {"assignee": people["office"].pk, "owner": ""}, follow=True)
    assert "gerade jemand anderes übernommen" in page.content.decode()
    task.refresh_from_db()
    assert task.owner == colleague


def seed_open_tasks(fund, count, start=0):
    """`count` submitted applications, each waiting in the completeness check (written in bulk)."""
    organisation = OrganisationFactory()
    user = organisation.members.first() or people_user()
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            fund=fund, organisation=organisation, created_by=user, status="submitted", title=f"Projekt {n}",
            summary="-", target_group="-", neighbourhood="Harburg", start_date=now.date(), end_date=now.date(),
            requested_amount=Decimal(100 + n), reference=f"Q-{n:05d}", submitted_at=now,
        )
        for n in range(start, start + count)
    )  # fmt: skip
    processes = Process.objects.bulk_create(
        Process(flow_class=ApplicationFlow, status=PROCESS.NEW, created=now) for _ in applications
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO workflows_applicationprocess (process_ptr_id, application_id, fund_id) VALUES (%s, %s, %s)",
            [
                (process.pk, application.pk, application.fund_id)
                for process, application in zip(processes, applications, strict=True)
            ],  # fmt: skip
        )
    from django.contrib.contenttypes.models import ContentType

    fund_type = ContentType.objects.get_for_model(fund)
    ApplicationFlow.task_class.objects.bulk_create(
        ApplicationFlow.task_class(
            process=process, flow_task=ApplicationFlow.check_completeness, flow_task_type="HUMAN", status=STATUS.NEW,
            owner_permission=OFFICE_TASK, owner_permission_content_type=fund_type, owner_permission_obj_pk=fund.pk,
        )
        for process in processes
    )  # fmt: skip


def people_user():
    from tests.factories import UserFactory

    return UserFactory()


def queue_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(QUEUE, params).status_code == 200
    return len(captured)


def test_the_queue_makes_as_many_queries_with_2000_applications_as_with_10(fund, people):
    office = journey.login(people["office"])
    seed_open_tasks(fund, 10)
    queue_queries(office)  # warm-up: the first request of a session loads what later ones find cached
    few = {name: queue_queries(office, **params) for name, params in FILTERS.items()}
    seed_open_tasks(fund, 1990, start=10)
    many = {name: queue_queries(office, **params) for name, params in FILTERS.items()}
    assert few == many
    page = office.get(QUEUE, {"page": 2, "sort": "amount"}).content.decode()
    assert "Seite 2 von 40" in page and "2000 Aufgaben" in page and "sort=amount&amp;page=3" in page


FILTERS = {
    "plain": {},
    "all filters": {"q": "Projekt", "step": "check_completeness", "amount_min": "1", "amount_max": "99999",
                    "neighbourhood": "Harburg", "sort": "-amount"},
    "overdue and mine": {"overdue": "on", "mine": "on"},
    "page 3": {"page": 3},
}  # fmt: skip


def test_a_row_form_posts_with_the_csrf_token_and_the_way_back_rendered_once_for_the_page(fund, people, club, four):
    """The rows' forms carry the CSRF token and the way back rendered once for the page."""
    from django.test import Client

    office = Client(enforce_csrf_checks=True)
    office.force_login(people["office"])
    page = office.get(QUEUE, {"q": "licht"}).content.decode()
    task = task_of(four["Lichtkunst"])
    claim = re.search(rf'<form method="post" action="([^"]*/{task.pk}/uebernehmen/)".*?</form>', page, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', claim.group(0)))
    assert set(fields) == {"csrfmiddlewaretoken", "back"} and fields["back"] == "/geschaeftsstelle/?q=licht"
    assert office.post(claim.group(1), {"back": fields["back"]}).status_code == 403  # no token, refused
    assert office.post(claim.group(1), fields).status_code == 302
    task.refresh_from_db()
    assert task.owner == people["office"]
