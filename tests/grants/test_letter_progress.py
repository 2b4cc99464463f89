"""After a meeting, the office and the body follow the decision letters on their way (done / total)
on a page that reloads itself until every letter is out."""

import pytest

from grants import services
from grants.models import Decision
from tests import journey, steps
from tests.factories import ApplicationFactory


@pytest.mark.django_db(transaction=True)
def test_the_progress_page_counts_the_letters_sent_and_stops_reloading_when_done(
    fund, people, club, smtp_sink, celery_eager
):
    organisation, user = club
    decisions = []
    for title in ("Mitternachtsfußball", "Nachbarschaftsfest"):
        application = ApplicationFactory(fund=fund, organisation=organisation, created_by=user, title=title)
        item = steps.on_agenda(application, people["office"])
        steps.vote(item, people["members"][:4], "yes")
        services.vote_close(agenda_item=item, actor=steps.chair_of(item), reasons="Gekürzt.")
        decisions.append(Decision.objects.get(application=application))
    meeting = decisions[0].agenda_item.meeting
    assert decisions[1].agenda_item.meeting == meeting
    office = journey.login(people["office"])
    url = f"/sitzungen/{meeting.pk}/bescheide/"

    page = office.get(url).content.decode()
    assert "0 von 2 Bescheiden versandt" in page and 'http-equiv="refresh"' in page
    services.decision_letter_issue(decision=decisions[0])
    assert "1 von 2 Bescheiden versandt" in office.get(f"{url}?part=1").content.decode()
    services.decision_letter_issue(decision=decisions[1])
    page = journey.login(people["chair"]).get(url).content.decode()
    assert "2 von 2 Bescheiden versandt" in page and 'http-equiv="refresh"' not in page
    letters = [
        m for m in smtp_sink.messages if any(p.get_content_type() == "application/pdf" for p in m.iter_attachments())
    ]
    assert len(letters) == 2
    assert journey.login(user).get(url).status_code == 404
