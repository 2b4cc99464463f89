"""The smoke test of `make deploy-check`, against the running production configuration:
readiness green, the login page served, one decision letter rendered by the worker and
e-mailed, the letter counted by /metrics, a backup written.

Run with the production environment: python deploy/smoke.py PUBLIC_URL [GUNICORN_URL]"""

import os
import ssl
import sys
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

BASE = sys.argv[1].rstrip("/")  # as the public reaches it (through the proxy, if there is one)
DIRECT = sys.argv[-1].rstrip("/")  # gunicorn itself
# As the proxy would say: the request came over TLS (else Django redirects to https).
HEADERS = {"X-Forwarded-Proto": "https", "Authorization": f"Bearer {os.environ.get('METRICS_TOKEN', '')}"}
UNVERIFIED = ssl._create_unverified_context()  # the check's own self-signed certificate
SECURITY_HEADERS = ["Strict-Transport-Security", "Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"]


def get(path: str, headers: dict | None = None, base: str = "") -> tuple[int, str, Message]:
    request = urllib.request.Request((base or BASE) + path, headers={**HEADERS, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30, context=UNVERIFIED) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers


def wait_for(what: str, predicate, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            print(f"ok   {what}")
            return
        time.sleep(0.5)
    raise SystemExit(f"FAIL {what} (waited {timeout:.0f} s)")


def check(what: str, condition: bool, detail: str = "") -> None:
    if not condition:
        raise SystemExit(f"FAIL {what} {detail[:2000]}")
    print(f"ok   {what}")


def main():
    check("/health/ answers 200", get("/health/")[0] == 200)
    wait_for(
        "/health/ready/ answers 200 (database, broker, worker, beat, media)", lambda: get("/health/ready/")[0] == 200
    )
    status, page, headers = get("/anmelden/")
    check("the login page is served in German", status == 200 and "Anmelden" in page, f"{status} {page}")
    for header in SECURITY_HEADERS:
        check(f"the login page sends {header} once", len(headers.get_all(header) or []) == 1, str(headers))
    # As the proxy forwards a client from outside; asked of gunicorn itself, since a real
    # proxy replaces whatever X-Forwarded-For a client sends.
    outside = {"X-Forwarded-For": "203.0.113.7", "Authorization": ""}
    check("/metrics refuses a client outside the allowed networks", get("/metrics", outside, base=DIRECT)[0] == 403)

    from grants import services
    from grants.models import Application, Document
    from notifications.models import Notification
    from workflows import api

    application = Application.objects.get(title="Mitternachtsfußball")  # on the agenda in the demo data
    item = application.agenda_items.get(closed_at=None)
    members = [role.user for role in application.fund.roles.filter(has_vote=True).select_related("user")]
    chair = application.fund.roles.get(role="chair").user
    # Votes are taken in session: the chair opens the meeting, records who is present, calls the item.
    if item.meeting.status == "planned":
        services.meeting_open(meeting=item.meeting, actor=chair)
    services.attendance_record(meeting=item.meeting, actor=chair, present=members[:4])
    services.item_open(agenda_item=item, actor=chair)
    for member in members[:4]:
        services.vote_cast(agenda_item=item, member=member, choice="yes")
    decision = api.vote_close(agenda_item=item, actor=chair, reasons="Passt zu den Zielen des Fonds.").decision
    print(f"     decision {decision.pk} closed; the flow queued its letter for the worker")
    wait_for("the worker rendered the letter", lambda: Document.objects.filter(decision=decision).exists())
    letter = Document.objects.get(decision=decision)
    with letter.file.open("rb") as pdf:
        check("the letter is a PDF", pdf.read(5) == b"%PDF-")
    wait_for(
        "the worker e-mailed the letter",
        lambda: Notification.objects.filter(document=letter, status=Notification.SENT).exists(),
    )
    status, metrics, _headers = get("/metrics")
    sent = Notification.objects.filter(document__isnull=False, status=Notification.SENT).count()
    line = f'verfuegungsfonds_letter_emails{{status="sent"}} {float(sent)}'
    check(f"/metrics counts the sent letters ({line})", line in metrics.splitlines(), metrics)
    check(
        "/metrics gathers the request latency of every gunicorn worker",
        'verfuegungsfonds_http_request_duration_seconds_count{method="GET",view="health_ready"}' in metrics,
    )

    call_command("backup")
    print("ok   a backup archive was written")


if __name__ == "__main__":
    main()
