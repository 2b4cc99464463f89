"""Scenario 3, already started.

The applicant ordered the flyers before the decision, so the project has started and
cannot be funded. The office recommends rejection; the steering group adopts it; the
chair closes the vote on the close page, which offers the office's reasoning as the
start of the reasons. The Celery worker process renders and e-mails the rejection
letter (Ablehnungsbescheid) with the reasons and the Widerspruch remedy, and the
process ends in its `rejected` end node.
"""

import html
import io
import re

import pytest
from pypdf import PdfReader

from grants.models import Decision, LedgerEntry, Motion
from tests import journey
from tests.conftest import wait_until
from tests.workflows.test_process import pdf_text, wait_for_letter
from workflows.flows import ApplicationFlow
from workflows.models import ApplicationProcess

OFFICE_REASONING = (
    "Der Verein hat die Flyer bereits vor der Entscheidung bestellt. Damit hat das Projekt begonnen; "
    "ein begonnenes Projekt kann nicht gefördert werden."
)
CHAIR_ADDITION = "Die Lenkungsgruppe folgt der Empfehlung der Geschäftsstelle."
EMPTY_REASONS_ERROR = "Geben Sie die Begründung der Lenkungsgruppe ein: Der Bescheid nennt sie."


def reasons_field(page: str) -> str:
    """The text the close page puts into the reasons field."""
    match = re.search(r'<textarea[^>]*name="reasons"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert match, "the close page has no reasons field"
    return html.unescape(match.group(1)).strip()


@pytest.fixture
def rejection_before_the_body(fund, people, club):
    """A flyer project on the agenda with the office's recommendation to reject it,
    and the voting members' yes to that motion."""
    office = journey.login(people["office"])
    application = journey.apply(journey.login(club[1]), fund, title="Flyer für saubere Straßen")
    journey.check_complete(office, application)
    journey.recommend(office, application, motion="reject", reasoning=OFFICE_REASONING)
    item = journey.vote_all(people["members"][:4], application, "yes")
    return application, item


@pytest.mark.worker
def test_the_body_rejects_a_started_project_and_the_letter_gives_reasons_and_remedy(
    people, club, smtp_sink, celery_worker_process, rejection_before_the_body
):
    organisation, _user = club
    application, item = rejection_before_the_body
    chair = journey.login(people["chair"])

    page = chair.get(f"/tagesordnung/{item.pk}/abschliessen/").content.decode()
    assert reasons_field(page) == OFFICE_REASONING
    assert "Wenn Sie die Abstimmung jetzt schließen, ist der Antrag abgelehnt." in page

    reasons = f"{OFFICE_REASONING}\n\n{CHAIR_ADDITION}"
    decision = journey.close_vote(people["chair"], item, reasons=reasons)
    assert decision.kind == Decision.REJECT
    assert decision.reasons == reasons
    assert decision.motion.result == Motion.Result.ADOPTED
    assert decision.motion.votes_yes == 4

    # The worker renders, files and mails the letter, then moves the process on.
    message, pdf = wait_for_letter(smtp_sink)
    assert message["To"] == organisation.email
    assert application.reference in message["Subject"]
    process = ApplicationProcess.objects.get(application=application)
    wait_until(
        lambda: process.task_set.filter(flow_task=ApplicationFlow.await_objection, status="NEW").exists(),
        message="the process to wait for an objection after the letter",
    )
    assert not process.task_set.filter(flow_task=ApplicationFlow.await_final).exists()

    decision.refresh_from_db()
    assert decision.appeal_ends_on is not None, "the letter task did not record the appeal period"
    text = pdf_text(pdf)
    assert "Ablehnungsbescheid" in text
    assert application.reference in text
    assert "2.400,00 EUR" in text
    assert OFFICE_REASONING in text
    assert CHAIR_ADDITION in text
    assert "Rechtsbehelfsbelehrung" in text
    assert "Widerspruch" in text
    assert f"die Widerspruchsfrist endet daher mit Ablauf des {decision.appeal_ends_on:%d.%m.%Y}" in text

    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"], "the letter is not a tagged PDF"
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "de"

    application.refresh_from_db()
    assert application.status == "rejected"
    assert not LedgerEntry.objects.filter(application=application).exists()


def test_closing_a_rejection_without_reasons_is_refused_and_changes_nothing(people, rejection_before_the_body):
    application, item = rejection_before_the_body
    chair = journey.login(people["chair"])

    response = chair.post(f"/tagesordnung/{item.pk}/abschliessen/", {"reasons": "   "})

    assert response.status_code == 200
    assert EMPTY_REASONS_ERROR in html.unescape(response.content.decode())
    item.refresh_from_db()
    assert item.closed_at is None
    assert not Decision.objects.filter(application=application).exists()
    assert item.motions.get().result == Motion.Result.OPEN
    application.refresh_from_db()
    assert application.status == "on_agenda"
    process = ApplicationProcess.objects.get(application=application)
    assert process.task_set.filter(flow_task=ApplicationFlow.await_decision, status="NEW").count() == 1
    assert not application.documents.exists()
