"""Scenario 4, conflict of interest: a member sits on the board of the applying club. The member
declares it; the vote controls are gone for that member on that item (and a crafted vote is
refused); quorum and majority are counted without them; the minutes show the recusal by name."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from grants.models import Decision, Document, Vote
from tests import journey
from tests.workflows.test_process import pdf_text, wait_for_letter


@pytest.mark.worker
def test_a_recused_board_member_takes_no_part_and_the_minutes_say_so(fund, people, club, celery_worker_process,
                                                                      smtp_sink):  # fmt: skip
    organisation, applicant = club
    office = journey.login(people["office"])
    application = journey.apply(journey.login(applicant), fund)
    journey.check_complete(office, application)
    journey.recommend(office, application, amount="2400.00", reasoning="Gute Jugendarbeit.")
    item = journey.open_item(application)
    board_member = people["members"][3]
    member = journey.login(board_member)

    # A standing declaration flags the club's item; the member confirms the conflict.
    member.post("/erklaerungen/", {"organisation": organisation.pk, "note": "Vorstand des SV Harburg-Süd",
                                   "fund": fund.pk})  # fmt: skip
    flag = item.conflict_flags.get(member=board_member)
    member.post(f"/erklaerungen/hinweise/{flag.pk}/", {"decision": "confirm"})
    assert item.conflicts.get(member=board_member).reason == "Vorstand des SV Harburg-Süd"

    # In session, with five members with a vote present: the recused one sees no vote controls.
    journey.in_session(item, people["members"][:5])
    page = member.get(f"/sitzungen/{item.meeting_id}/").content.decode()
    assert f'action="/tagesordnung/{item.pk}/abstimmen/"' not in page
    assert "befangen" in page
    member.post(f"/tagesordnung/{item.pk}/abstimmen/", {"choice": "no"})  # crafted
    assert not Vote.objects.filter(member=board_member).exists()

    # Quorum and majority without them: four present and not recused, 2 yes, 2 no is a tie: rejected.
    journey.vote_all(people["members"][:2], application, "yes")
    journey.vote_all([people["members"][2], people["members"][4]], application, "no")
    closing = journey.login(people["chair"]).get(f"/tagesordnung/{item.pk}/abschliessen/").content.decode()
    assert "ist der Antrag abgelehnt" in " ".join(closing.split())
    decision = journey.close_vote(people["chair"], item, reasons="Keine Mehrheit in der Lenkungsgruppe.")
    assert (decision.kind, decision.motion.recused, decision.motion.votes_yes) == (Decision.REJECT, 1, 2)
    _message, pdf = wait_for_letter(smtp_sink)
    assert "Keine Mehrheit in der Lenkungsgruppe." in pdf_text(pdf)

    chair = journey.login(people["chair"])
    assert chair.post(f"/sitzungen/{item.meeting_id}/schliessen/").status_code == 302
    response = chair.post(f"/sitzungen/{item.meeting_id}/protokoll/")
    assert response.status_code == 302, response.content.decode()[response.content.decode().find("<main") :][:1500]
    minutes = Document.objects.get(meeting=item.meeting, kind=Document.MINUTES)
    with minutes.file.open("rb") as data:
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data.read())).pages).split())
    assert f"{board_member} (Vorstand des SV Harburg-Süd)" in text
    assert "2 Ja, 2 Nein, 0 Enthaltungen, 1 befangen" in text
    assert application.reference in text and "Beschluss: Abgelehnt" in text
    assert Decimal(decision.amount) == Decimal("0")
