"""Two people take the same step at the same moment: one wins, the other gets a clear German
message, and nobody gets an error page (real concurrent requests, on PostgreSQL in CI)."""

import threading

import pytest
from django.db import connection

from grants.models import Decision, Vote
from tests import journey
from tests.steps import vote
from workflows.flows import ApplicationFlow


def at_once(*requests):
    """Send the requests from separate threads and connections, released together."""
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def send(index, request):
        try:
            barrier.wait()
            responses[index] = request()
        except Exception as error:  # an error page in production: reported, so that the test fails
            responses[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=pair) for pair in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return responses


@pytest.fixture
def item(fund, people, club):
    office = journey.login(people["office"])
    application = journey.apply(journey.login(club[1]), fund)
    journey.check_complete(office, application)
    journey.recommend(office, application, amount="2400.00")
    item = journey.open_item(application)
    vote(item, people["members"][:4], Vote.YES)
    return item


@pytest.mark.django_db(transaction=True)
def test_two_tabs_closing_the_same_vote_make_one_decision_and_no_error_page(item, people, celery_eager):
    tabs = [journey.login(people["chair"]) for _ in range(2)]
    url = f"/tagesordnung/{item.pk}/abschliessen/"
    responses = at_once(*[lambda tab=tab: tab.post(url, {"reasons": ""}) for tab in tabs])
    assert sorted(getattr(r, "status_code", 500) for r in responses) in ([200, 302], [302, 302]), responses
    assert Decision.objects.filter(agenda_item=item).count() == 1
    loser = next((r for r in responses if r.status_code == 200), None)
    if loser is not None:
        page = loser.content.decode()
        assert "bereits entschieden" in page or "gerade jemand anderes" in page, page[page.find("<main") :][:3000]


@pytest.mark.django_db(transaction=True)
def test_two_office_users_claiming_the_same_task_one_gets_it_and_the_other_a_message(fund, people, club):
    from tests.factories import FundRoleFactory

    application = journey.apply(journey.login(club[1]), fund)
    colleague = FundRoleFactory(fund=fund, role="office").user
    task = application.process.task_set.get(flow_task=ApplicationFlow.check_completeness)
    clients = [journey.login(people["office"]), journey.login(colleague)]
    url = f"/geschaeftsstelle/aufgaben/{task.pk}/uebernehmen/"
    responses = at_once(*[lambda client=client: client.post(url, follow=True) for client in clients])
    assert [response.status_code for response in responses] == [200, 200]
    pages = [response.content.decode() for response in responses]
    assert sum("bereits übernommen" in page for page in pages) == 1
    task.refresh_from_db()
    assert task.owner in (people["office"], colleague)


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_submits_once(fund, club, celery_eager):
    applicant = journey.login(club[1])
    response = applicant.post(f"/antraege/neu/?fonds={fund.slug}", journey.application_form(fund))
    url = response["Location"] + "absenden/"
    responses = at_once(lambda: applicant.post(url), lambda: journey.login(club[1]).post(url))
    assert all(response.status_code in (200, 302) for response in responses), responses
    application = fund.applications.get()
    assert application.reference.endswith("-0001")
    assert application.process is not None and application.audit_events.filter(action="submit").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_office_task_sent_twice_from_two_tabs_is_done_once(fund, people, club, celery_eager):
    application = journey.apply(journey.login(club[1]), fund)
    office = journey.login(people["office"])
    task = application.process.task_set.get(flow_task=ApplicationFlow.check_completeness)
    task_url = office.post(f"/geschaeftsstelle/aufgaben/{task.pk}/uebernehmen/")["Location"]
    tabs = [journey.login(people["office"]) for _ in range(2)]
    responses = at_once(
        *[lambda tab=tab: tab.post(task_url, {"complete": "yes", "checklist": journey.ALL_IN_ORDER}) for tab in tabs]
    )
    assert all(getattr(response, "status_code", 500) != 500 for response in responses), responses
    application.refresh_from_db()
    assert application.status == "assessment"
    assert application.audit_events.filter(action="accept_complete").count() == 1
    assert application.process.task_set.filter(flow_task=ApplicationFlow.assess).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI)")
def test_a_vote_in_progress_does_not_hold_up_the_funds_other_audited_work(item, people):
    """CI's smoke test deadlocked: a vote locked its item with FOR UPDATE over a join, which locked
    the fund's row too, so the worker's audit event (holding the fund's audit chain) waited for the
    fund while the vote waited for the chain. Locks now stay on the rows that need them."""
    from django.db import transaction

    from grants.services.core import audit
    from grants.services.steering import lock_open_item

    audited = threading.Event()

    def worker_audits_the_meeting():
        try:
            with transaction.atomic():
                audit(actor=None, action="meeting_invite", obj=item.meeting)
            audited.set()
        finally:
            connection.close()

    with transaction.atomic():
        lock_open_item(item)  # as vote_cast does first
        other = threading.Thread(target=worker_audits_the_meeting)
        other.start()
        finished = audited.wait(timeout=10)
    other.join(timeout=30)
    assert finished, "an audit event elsewhere in the fund waited for the vote's transaction"
