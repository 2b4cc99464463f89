"""Steps of the process as people take them: through the real URLs, with the Django test client."""

import datetime as dt
import time

from django.test import Client
from django.utils import timezone

from grants.models import Application
from grants.rules.completeness import CHECKLIST
from tests import pages
from workflows import api
from workflows.flows import ApplicationFlow


def login(user) -> Client:
    """A signed-in client; its second factor counts as just confirmed (a weighty step asks again later)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [{"method": "mfa", "type": "totp", "at": time.time()}]
    session.save()
    return client


def application_form(fund, *, title="Mitternachtsfußball", requested="2400.00", own="600.00", costs=("3000.00",),
                     start_in_days=60, start_date=None, end_date=None):  # fmt: skip
    today = timezone.localdate()
    data = {
        "title": title,
        "summary": "Freitags Fußball von 22 bis 24 Uhr in der Sporthalle Eißendorf.",
        "aims": [aim.pk for aim in fund.aims.filter(number__in=[1, 4])],
        "target_group": "Jugendliche von 14 bis 21 Jahren",
        "neighbourhood": "Eißendorf",
        "start_date": start_date or (today + dt.timedelta(days=start_in_days)).isoformat(),
        "end_date": end_date or (today + dt.timedelta(days=start_in_days + 90)).isoformat(),
        "own_funds": own,
        "own_work": "0",
        "third_party_funds": "0",
        "third_party_status": "",
        "requested_amount": requested,
        "declared_not_started": "on",
        "declared_no_double_funding": "on",
        "declared_truthful": "on",
        "declared_privacy": "on",
        "costs-TOTAL_FORMS": str(len(costs)),
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "1000",
    }
    for index, amount in enumerate(costs):
        data[f"costs-{index}-description"] = f"Kostenposition {index + 1}"
        data[f"costs-{index}-amount"] = amount
    return data


def apply(client, fund, **form) -> Application:
    """Fill in the fund's application form (the page the fund's "Apply now" opens) and submit it
    from the check-your-answers page (the organisation is the user's only one)."""
    response = pages.submit(client, f"/antraege/neu/?fonds={fund.slug}", application_form(fund, **form))
    assert response.status_code == 302, response.content.decode()[:3000]
    application = Application.objects.get(pk=response["Location"].strip("/").split("/")[-1])
    submit(client, application)
    application.refresh_from_db()
    assert application.reference, "the application was not submitted"
    return application


def submit(client, application) -> None:
    """Submit (or after a revision, submit again) from the check-your-answers page."""
    url = f"/antraege/{application.pk}/absenden/"
    response = pages.submit(client, url, action=url)
    assert response.status_code == 302, response.content.decode()[:3000]


def waive_appeal(client, application) -> None:
    """The applicant waives the right of appeal on its confirmation page."""
    url = f"/antraege/{application.pk}/rechtsbehelfsverzicht/"
    response = pages.submit(client, url, action=url)
    assert response.status_code == 302, response.content.decode()[:3000]


def office_step(client, application, node, data) -> None:
    """Claim the application's task of `node` from the queue and work it."""
    task = api.waiting_task(application, node)
    response = client.post(f"/geschaeftsstelle/aufgaben/{task.pk}/uebernehmen/")
    assert response.status_code == 302
    task_url = response["Location"]
    assert client.get(task_url).status_code == 200
    response = client.post(task_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    task.refresh_from_db()
    assert task.status == "DONE"


ALL_IN_ORDER = [key for key, _label in CHECKLIST]


def check_complete(client, application):
    office_step(client, application, ApplicationFlow.check_completeness, {"complete": "yes", "checklist": ALL_IN_ORDER})


def recommend(client, application, **data):
    form = {"motion": "approve", "amount": "", "financing_type": "gap", "conditions": "", "reasoning": "Passt."}
    office_step(client, application, ApplicationFlow.assess, {**form, **data})


def open_item(application):
    return application.agenda_items.get(closed_at=None)


def in_session(item, present):
    """Through the chair's pages: open the meeting if need be, record `present` as attending, call the item."""
    chair = login(item.meeting.fund.roles.filter(role="chair").first().user)
    meeting = item.meeting
    meeting.refresh_from_db()
    if meeting.status == "planned":
        assert chair.post(f"/sitzungen/{meeting.pk}/eroeffnen/").status_code == 302
    attending = set(meeting.attendance.values_list("member_id", flat=True)) | {member.pk for member in present}
    response = chair.post(f"/sitzungen/{meeting.pk}/anwesenheit/", {"present": sorted(attending)})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert chair.post(f"/tagesordnung/{item.pk}/aufrufen/").status_code == 302


def vote_all(members, application, choice="yes"):
    """The members, present in the meeting, vote on the motion now before the body."""
    item = open_item(application)
    in_session(item, members)
    for member in members:
        response = login(member).post(f"/tagesordnung/{item.pk}/abstimmen/", {"choice": choice})
        assert response.status_code == 302
    return item


def put_motion(chair, item, **motion):
    """The chair puts a motion to the vote through the motion page."""
    client = login(chair)
    assert client.get(f"/tagesordnung/{item.pk}/antrag/").status_code == 200
    form = {"kind": "approve", "amount": "", "financing_type": "gap", "conditions": "", "defer_to": ""}
    response = client.post(f"/tagesordnung/{item.pk}/antrag/", {**form, **motion})
    assert response.status_code == 302, response.content.decode()[:3000]


def close_vote(chair, item, reasons=""):
    """The chair closes the vote; returns the decision, or None when the item stays open."""
    client = login(chair)
    assert client.get(f"/tagesordnung/{item.pk}/abschliessen/").status_code == 200
    response = client.post(f"/tagesordnung/{item.pk}/abschliessen/", {"reasons": reasons})
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    return getattr(item, "decision", None) if item.closed_at else None
