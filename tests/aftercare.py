"""Steps after the decision, through the real URLs: a grant approved and made final, money
requested, ordered and paid, a report filed. Used by the money tests and the scenarios."""

from grants.models import Application
from tests import journey, pages
from tests.workflows.test_process import pdf_text
from workflows.flows import ApplicationFlow
from workflows.tasks import fire_workflow_timers


def granted(fund, people, club, *, amount="2000.00", conditions="", waive=True, **form) -> Application:
    """Apply, find complete, recommend, approve; the letter goes out (Celery runs eagerly or in the
    worker); with `waive`, the club waives its right of appeal and the timer sweep makes it payable."""
    applicant, office = journey.login(club[1]), journey.login(people["office"])
    application = journey.apply(applicant, fund, **form)
    journey.check_complete(office, application)
    journey.recommend(office, application, amount=amount, conditions=conditions)
    item = journey.vote_all(people["members"][:4], application)
    journey.close_vote(people["chair"], item, reasons="Die Hallenmiete wird nur anteilig gefördert.")
    if waive:
        journey.waive_appeal(applicant, application)
        fire_workflow_timers()
    application.refresh_from_db()
    return application


def request_money(club, application, amount, interim_report=""):
    """The club asks for an instalment on its page; returns the response (302 when accepted)."""
    return pages.submit(journey.login(club[1]), f"/antraege/{application.pk}/mittelabruf/",
                        {"amount": amount, "interim_report": interim_report})  # fmt: skip


def order_and_pay(people, application, paid_on) -> str:
    """The office issues the payout order, then records the payment; returns the order's text."""
    office = journey.login(people["office"])
    journey.office_step(office, application, ApplicationFlow.payout_order, {"confirmed": "on"})
    order = application.documents.filter(kind="payout_order").latest("created")
    text = pdf_text(order.file.read())
    journey.office_step(office, application, ApplicationFlow.payout, {"paid_on": paid_on})
    return text


def file_report(club, application, *, actual="3000.00", unused="0", receipts="15.02. Sporthalle, Miete, 1.200,00 EUR",
                **lines):  # fmt: skip
    """The club files its report; `lines` are the per-line actuals as actual_<cost line id>."""
    response = pages.submit(
        journey.login(club[1]), f"/antraege/{application.pk}/verwendungsnachweis/",
        {"narrative": "16 Abende mit je 25 Jugendlichen.", "actual_costs": actual, "unused_amount": unused,
         "receipts": receipts, **lines},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]


def review(people, application, outcome, note="", **data):
    journey.office_step(
        journey.login(people["office"]), application, ApplicationFlow.review_report,
        {"outcome": outcome, "note": note, "claim_amount": "", "claim_reason": "unused", **data},
    )  # fmt: skip
