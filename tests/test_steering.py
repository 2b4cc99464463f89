"""The steering group's meeting page: voting, recusal and closing through the real URLs."""

import pytest

from grants.models import Vote

from . import journey


@pytest.fixture
def item(fund, people, club):
    office = journey.login(people["office"])
    application = journey.apply(journey.login(club[1]), fund)
    journey.check_complete(office, application)
    journey.recommend(office, application, amount="2000.00")
    return application.agenda_items.get()


def vote_controls(client, item):
    page = client.get(f"/sitzungen/{item.meeting_id}/").content.decode()
    return f'action="/tagesordnung/{item.pk}/abstimmen/"' in page


def test_a_member_who_declares_a_conflict_loses_the_vote_controls(item, people):
    member = journey.login(people["members"][1])
    assert vote_controls(member, item)
    member.post(f"/tagesordnung/{item.pk}/abstimmen/", {"choice": "yes"})
    assert Vote.objects.filter(agenda_item=item).count() == 1

    response = member.post(f"/tagesordnung/{item.pk}/befangenheit/", {"reason": "Vorstand des Vereins"})
    assert response.status_code == 302
    assert not vote_controls(member, item)
    assert not Vote.objects.filter(agenda_item=item).exists()
    member.post(f"/tagesordnung/{item.pk}/abstimmen/", {"choice": "yes"})
    assert not Vote.objects.filter(agenda_item=item).exists()


def test_a_member_without_voting_right_sees_no_vote_controls(item, people):
    assert not vote_controls(journey.login(people["members"][5]), item)


def test_only_the_chair_may_open_the_closing_page(item, people):
    assert journey.login(people["members"][1]).get(f"/tagesordnung/{item.pk}/abschliessen/").status_code == 403
    assert journey.login(people["chair"]).get(f"/tagesordnung/{item.pk}/abschliessen/").status_code == 200


def test_people_outside_the_steering_group_get_404_on_meetings_and_items(item, club, people):
    for outsider in (club[1], people["office"]):
        client = journey.login(outsider)
        assert client.get(f"/sitzungen/{item.meeting_id}/").status_code == 404
        assert client.post(f"/tagesordnung/{item.pk}/abstimmen/", {"choice": "yes"}).status_code == 404
        assert client.get(f"/tagesordnung/{item.pk}/abschliessen/").status_code == 404
