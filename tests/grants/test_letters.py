"""Decision letters read back from their PDFs: a financing plan that adds up, the dates of
German administrative law, the body's reasons, and corrections that supersede."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from grants import services
from grants.models import Document, Vote
from notifications.models import Notification
from tests import journey
from tests.steps import on_agenda, vote

REASONS = "Gefördert werden nur die Honorare."


def read(document) -> str:
    with document.file.open("rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def decide(application, people, *, amount, financing_type="gap", reasons=REASONS, choice=Vote.YES):
    item = on_agenda(application, people["office"], amount=amount, financing_type=financing_type)
    vote(item, people["members"][:4], choice)
    return services.vote_close(agenda_item=item, actor=people["chair"], reasons=reasons).decision


def euros(text: str, label: str) -> Decimal:
    """The amount printed after `label` in the letter, as a Decimal."""
    match = re.search(re.escape(label) + r" ([\d.]+,\d\d) EUR", text)
    assert match, f"{label} not in the letter"
    return Decimal(match.group(1).replace(".", "").replace(",", "."))


PLAN_ROWS = ["Eigenmittel", "Eigenleistung (geldwert)", "Drittmittel", "Zuwendung"]


# Rule 4: financing types are computed and the plan adds up --------------------------------


@pytest.mark.parametrize(
    ("financing_type", "eligible", "uncovered"),
    [("gap", Decimal("2600.00"), None), ("fixed", Decimal("3000.00"), Decimal("400.00")),
     ("share", Decimal("3000.00"), Decimal("400.00"))],
)  # fmt: skip
def test_a_reduced_grant_prints_a_financing_plan_that_adds_up(application, people, financing_type, eligible, uncovered):
    decision = decide(application, people, amount=Decimal("2000"), financing_type=financing_type)
    text = read(services.decision_letter_issue(decision=decision))
    rows = [euros(text, row) for row in PLAN_ROWS]
    if uncovered is not None:
        rows.append(euros(text, "Noch zu decken (weitere Eigen- oder Drittmittel)"))
        assert rows[-1] == uncovered
    total = euros(text, "Summe = zuwendungsfähige Gesamtausgaben")
    assert sum(rows) == total == eligible == euros(text, "Zuwendungsfähige Gesamtausgaben")
    assert euros(text, "Zuwendung") == Decimal("2000.00")
    assert REASONS in text  # a grant below the request states the body's reasons


def test_gap_financing_says_the_eligible_costs_were_reduced(application, people):
    text = read(services.decision_letter_issue(decision=decide(application, people, amount=Decimal("2000"))))
    assert "auf 2.600,00 EUR festgesetzt" in text
    assert "Fehlbedarfsfinanzierung" in text


def test_a_share_of_costs_states_its_percentage(application, people):
    decision = decide(application, people, amount=Decimal("2000"), financing_type="share")
    assert decision.share == Decimal("66.67")
    assert "Anteilfinanzierung (66,67 % der zuwendungsfähigen Ausgaben)" in read(
        services.decision_letter_issue(decision=decision)
    )


# Rule 1: the rejection letter prints the decision's reasons, never the office's ---------------


def test_the_rejection_letter_prints_the_bodys_reasons(application, people):
    decision = decide(application, people, amount=Decimal("2400"), choice=Vote.NO,
                      reasons="Das Projekt erreicht die Zielgruppe nicht.")  # fmt: skip
    text = read(services.decision_letter_issue(decision=decision))
    assert "Ablehnungsbescheid" in text
    assert "Das Projekt erreicht die Zielgruppe nicht." in text
    assert "Zustimmung empfohlen" not in text


# Rule 6: the dates of German administrative law -------------------------------------------------


def test_the_letter_states_notification_appeal_end_and_payout_date(application, people):
    decision = decide(application, people, amount=Decimal("2400"))
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, 0), tick=False):  # a Wednesday
        text = read(services.decision_letter_issue(decision=decision))
    decision.refresh_from_db()
    # Notified on the fourth day, a Sunday (fixed); one month later is Tuesday 29 December.
    assert (decision.notified_on, decision.appeal_ends_on) == (dt.date(2026, 11, 29), dt.date(2026, 12, 29))
    assert "gilt am 29.11.2026 als bekannt gegeben" in text
    assert "endet mit Ablauf des 29.12.2026" in text
    assert "ab dem 30.12.2026 kann die Zuwendung ausgezahlt werden" in text


def test_an_appeal_period_ending_at_christmas_runs_to_the_next_working_day_and_payout_waits(application, people):
    decision = decide(application, people, amount=Decimal("2400"))
    with time_machine.travel(dt.datetime(2026, 11, 21, 12, 0), tick=False):  # notified on 25 November
        text = read(services.decision_letter_issue(decision=decision))
    assert "endet mit Ablauf des 28.12.2026" in text  # 25 and 26 December are holidays, 27 a Sunday
    pay = {"application": application, "actor": people["office"], "amount": Decimal("1000"),
           "paid_on": dt.date(2026, 12, 29)}  # fmt: skip
    with time_machine.travel(dt.datetime(2026, 12, 28, 12, 0), tick=False):
        with pytest.raises(ValidationError, match="ab dem 29.12.2026"):
            services.payout_record(**pay)
    with time_machine.travel(dt.datetime(2026, 12, 29, 9, 0), tick=False):
        assert services.payout_record(**pay).amount == Decimal("1000.00")


def test_a_fund_of_a_land_on_the_third_day_rule_counts_three_days(application, people):
    application.fund.notification_days = 3
    application.fund.save(update_fields=["notification_days"])
    decision = decide(application, people, amount=Decimal("2400"))
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, 0), tick=False):
        services.decision_letter_issue(decision=decision)
    decision.refresh_from_db()
    assert decision.notified_on == dt.date(2026, 11, 28)


# Rule 8: a correction is a new document ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_office_corrects_a_letter_and_both_are_kept_linked(application, people, smtp_sink, celery_eager):
    original = services.decision_letter_issue(decision=decide(application, people, amount=Decimal("2400")))
    application.organisation.street = "Vahrenwinkelweg 2"  # the address was wrong
    application.organisation.save(update_fields=["street"])
    office = journey.login(people["office"])
    assert "Berichtigen" in office.get(f"/akten/{application.pk}/").content.decode()
    assert office.get(f"/dokumente/{original.pk}/korrigieren/").status_code == 200
    response = office.post(f"/dokumente/{original.pk}/korrigieren/", {"reason": "Die Anschrift war falsch."})
    assert response.status_code == 302

    correction = Document.objects.get(supersedes=original)
    assert (correction.decision, correction.kind, correction.created_by) == (original.decision, "approval",
                                                                              people["office"])  # fmt: skip
    assert correction.sha256 != original.sha256 and original.file.storage.exists(original.file.name)
    text = read(correction)
    assert "Berichtigung" in text and "Die Anschrift war falsch." in text and "Vahrenwinkelweg 2" in text
    assert "endet mit Ablauf des" in text  # the original's dates stand
    original.refresh_from_db()
    assert not original.is_current and correction.is_current
    mail = Notification.objects.get(document=correction)
    assert mail.template == "letter_corrected" and mail.status == Notification.SENT

    with pytest.raises(ValidationError, match="bereits berichtigt"):
        services.document_correct(document=original, actor=people["office"], reason="Noch einmal")
    second = services.document_correct(document=correction, actor=people["office"], reason="Tippfehler")
    assert second.supersedes == correction
    assert application.documents.count() == 3


def test_only_the_office_of_the_fund_corrects_letters(application, people, club):
    original = services.decision_letter_issue(decision=decide(application, people, amount=Decimal("2400")))
    for outsider in (club[1], people["chair"]):
        assert journey.login(outsider).get(f"/dokumente/{original.pk}/korrigieren/").status_code == 404
    with pytest.raises(ValidationError):
        services.document_correct(document=original, actor=people["chair"], reason="x")


def test_the_applicant_is_told_the_grant_letter_was_sent_only_once_it_is_issued(application, people, club):
    """Earlier letters in the file (here the revision request) do not count as the decision letter."""
    office, applicant = people["office"], club[1]
    services.application_submit(application=application, actor=applicant)
    services.application_request_revision(application=application, actor=office, message="Das Angebot fehlt.",
                                          deadline=dt.date.today() + dt.timedelta(days=14))  # fmt: skip
    services.application_resubmit(application=application, actor=applicant)
    services.application_accept_complete(application=application, actor=office)
    services.recommendation_create(application=application, actor=office, motion="approve", financing_type="gap",
                                   amount=application.requested_amount, conditions="", reasoning="Passt.")  # fmt: skip
    item = application.agenda_items.get()
    vote(item, people["members"][:4], Vote.YES)
    decision = services.vote_close(agenda_item=item, actor=people["chair"], reasons="").decision
    page = journey.login(applicant).get(f"/antraege/{application.pk}/").content.decode()
    assert "Bewilligungsbescheid wird gerade erstellt" in page and "wurde Ihnen zugeschickt" not in page
    services.decision_letter_issue(decision=decision)
    page = journey.login(applicant).get(f"/antraege/{application.pk}/").content.decode()
    assert "Der Bewilligungsbescheid wurde Ihnen zugeschickt" in page
