"""Every URL pattern of the resolver, with every role, own and foreign ids and ids next to them,
by GET and POST: no leak, no IBAN on a steering page, no error page. New URL patterns join the
matrix by themselves; one without a rule below fails the test until it gets one."""

import io
import re
from collections import Counter

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from pypdf import PdfReader

from grants import roles, services
from grants.models import (
    AgendaItem,
    Application,
    Attachment,
    AuditEvent,
    BankAccountChange,
    CircularBallot,
    ConflictFlag,
    Document,
    FiscalYear,
    Meeting,
    MemberTie,
    Organisation,
)
from notifications.models import Notification
from tests.factories import ApplicationFactory, FundFactory, FundRoleFactory, UserFactory
from tests.samples import pdf_bytes
from tests.steps import on_agenda
from workflows.demo import seed_demo
from workflows.flows import ApplicationFlow

# Reachable without a role of one's own (the page itself decides what it shows).
OPEN = re.compile(
    r"^(home|health_\w+|metrics|account_\w+|mfa_\w+|set_language|grants:public_\w+|grants:invitation_accept|\?)$"
)
# Lists and forms without an id: for any signed-in user, never for the anonymous.
LISTS = {
    "workflows:queue", "grants:applications", "grants:application_create", "grants:bank_changes",
    "grants:notifications_failed", "grants:meetings", "grants:statistics", "grants:circular_inbox",
    "grants:declarations", "grants:repayment_claims", "grants:ledger_years", "workflows:bulk_assign",
    "grants:organisation_create", "grants:application_begin",
}  # fmt: skip


def holds(user, fund, *held):
    return user.is_authenticated and user.fund_roles.filter(fund=fund, role__in=held).exists()


def member_of(user, organisation):
    return user.is_authenticated and organisation.members.filter(pk=user.pk).exists()


def own_application(user, application):
    return member_of(user, application.organisation)


def reads_file(user, application):
    on_agenda = application.agenda_items.exists()
    return holds(user, application.fund, roles.OFFICE) or (on_agenda and holds(user, application.fund, *roles.STEERING))


def presides(user, item):
    return holds(user, item.meeting.fund, roles.CHAIR)


def works_on(user, application):
    return holds(user, application.fund, roles.OFFICE)


def reads_letter(user, document):
    if document.meeting_id:
        return sees_meeting(user, document.meeting)
    return own_application(user, document.application) or works_on(user, document.application)


def confirms_bank_change(user, change):
    running = change.organisation.applications.filter(status__in=["approved", "paid", "reported"])
    return any(works_on(user, application) for application in running)


def retries(user, notification):
    return (
        notification.status == "failed" and bool(notification.application) and works_on(user, notification.application)
    )


def sits_in(user, meeting):
    return holds(user, meeting.fund, *roles.STEERING)


def sees_meeting(user, meeting):
    return sits_in(user, meeting) or holds(user, meeting.fund, roles.OFFICE)


def chairs(user, meeting):
    return holds(user, meeting.fund, *roles.PRESIDING)


def own(user, obj):
    return obj.member_id == user.pk


def claims(user, task):
    return works_on(user, task.process.applicationprocess.application)


def works_task(user, task):
    return task.owner_id == user.pk and claims(user, task)


# url name -> (the objects its id points to, who may reach one of them)
RULES = {
    "grants:application": (Application, own_application),
    "grants:application_edit": (Application, own_application),
    "grants:application_submit": (Application, own_application),
    "grants:application_withdraw": (Application, own_application),
    "grants:appeal_waive": (Application, own_application),
    "grants:report_submit": (Application, own_application),
    "grants:instalment_request": (Application, own_application),
    "grants:change_request": (Application, own_application),
    "grants:conditions_met": (Application, works_on),
    "grants:objection_record": (Application, works_on),
    "grants:repayment_claim": (Application, works_on),
    "grants:staff_application": (Application, reads_file),
    "grants:note_add": (Application, works_on),
    "grants:recommendation_paper": (Application, reads_file),
    "grants:document": (Document, reads_letter),
    "grants:document_correct": (Document, lambda user, doc: bool(doc.application) and works_on(user, doc.application)),
    "grants:organisation_update": (Organisation, member_of),
    "grants:organisation_members": (Organisation, member_of),
    "grants:application_attachments": (Application, own_application),
    "grants:application_section": (Application, own_application),
    "grants:attachment": (Attachment, lambda user, upload: own_application(user, upload.application)
                          or works_on(user, upload.application)),
    "grants:attachment_remove": (Attachment, lambda user, upload: own_application(user, upload.application)),
    "grants:organisation_leave": (Organisation, member_of),
    "grants:bank_change_decide": (BankAccountChange, confirms_bank_change),
    "grants:notification_retry": (Notification, retries),
    "grants:meeting": (Meeting, sees_meeting),
    "grants:meeting_open": (Meeting, chairs),
    "grants:attendance_record": (Meeting, lambda user, meeting: chairs(user, meeting) or sees_meeting(user, meeting)
                                 and holds(user, meeting.fund, roles.OFFICE)),
    "grants:meeting_close": (Meeting, chairs),
    "grants:agenda_pack": (Meeting, sees_meeting),
    "grants:letter_progress": (Meeting, sees_meeting),
    "grants:minutes": (Meeting, sees_meeting),
    "grants:item_open": (AgendaItem, lambda user, item: sits_in(user, item.meeting)),
    "grants:votes_record": (AgendaItem, lambda user, item: holds(user, item.meeting.fund, roles.OFFICE)),
    "grants:agenda_item_move": (AgendaItem, lambda user, item: holds(user, item.meeting.fund, roles.OFFICE)),
    "grants:circular_start": (AgendaItem, presides),
    "grants:circular_deadline_move": (AgendaItem, presides),
    "grants:circular_ballot_cast": (CircularBallot, own),
    "grants:tie_withdraw": (MemberTie, own),
    "grants:flag_decide": (ConflictFlag, lambda user, flag: own(user, flag) and flag.status == "open"),
    "grants:vote_cast": (AgendaItem, lambda user, item: sits_in(user, item.meeting)),
    "grants:conflict_declare": (AgendaItem, lambda user, item: sits_in(user, item.meeting)),
    "grants:motion_put": (AgendaItem, presides),
    "grants:vote_close": (AgendaItem, presides),
    "grants:ledger": (FiscalYear, lambda user, year: holds(user, year.fund, roles.OFFICE)),
    "workflows:claim": ("task", claims),
    "workflows:assign": ("task", claims),
    "workflows:release": ("task", claims),
    "workflows:task": ("task", works_task),
}  # fmt: skip


def url_patterns(patterns=None, prefix="", namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "?")
            yield prefix + str(pattern.pattern), name


def sample(queryset, limit=8):
    """The objects to try: some of every kind (own and foreign alike), and an id that does not exist."""
    objects = list(queryset.order_by("pk")[:limit])
    last = queryset.order_by("-pk").first()
    return objects, (last.pk + 1 if last else 1)


@pytest.fixture
def world(transactional_db, celery_eager):
    """The demo fund in every step, and a second fund with its own office and member."""
    seed_demo()
    second = FundFactory(name="Präventionsfonds Süderelbe", slug="suederelbe", reference_prefix="PR")
    office2 = FundRoleFactory(fund=second, role=roles.OFFICE).user
    member2 = FundRoleFactory(fund=second, role=roles.MEMBER).user
    group = Organisation.objects.get(legal_form="informal")
    on_agenda(ApplicationFactory(fund=second, organisation=group, created_by=group.members.first()), office2)
    club = Organisation.objects.get(legal_form="ev")
    services.organisation_update(organisation=club, actor=club.members.first(),
                                 data={"iban": "DE02120300000000202051"})  # a held bank change  # fmt: skip
    Notification.objects.filter(pk=Notification.objects.first().pk).update(status="failed")
    for application in Application.objects.exclude(status="draft").order_by("organisation", "pk").distinct()[:6]:
        upload = Attachment(application=application, kind="quote", original_name="angebot.pdf", size=10,
                            content_type="application/pdf", uploaded_by=application.created_by,
                            uploaded_at=application.created)  # fmt: skip
        upload.file.save("angebot.pdf", ContentFile(pdf_bytes()))  # submitted: kept, not removable
    users = {
        "anonymous": None,
        "applicant A": club.members.first(),
        "applicant B": group.members.first(),
        "office": UserFactory._meta.model.objects.get(email="geschaeftsstelle@lawaetz.example"),
        "member": UserFactory._meta.model.objects.get(email="spd@harburg.example"),
        "chair": UserFactory._meta.model.objects.get(email="vorsitz@harburg.example"),
        "admin": UserFactory._meta.model.objects.get(email="admin@harburg.example"),
        "office of fund 2": office2,
        "member of fund 2": member2,
    }
    return users


def client_for(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def targets(name, path):
    """(url, object or None) for each case of one URL pattern."""
    if OPEN.match(name) or name in LISTS or "<" not in path:
        yield "/" + re.sub(r"\^|\$", "", path), None
        return
    if name.startswith("admin:"):
        yield from admin_targets(path)
        return
    assert name in RULES, f"no permission rule for the new URL {name} ({path}): add one to RULES"
    kind, _may = RULES[name]
    if kind == "task":
        tasks = ApplicationFlow.task_class.objects.filter(flow_task_type="HUMAN").select_related("process")
        objects, missing = sample(tasks, 10)
        for task in objects:
            yield task_url(path, task.process_id, task.pk), task
        yield task_url(path, 1, missing), None
        return
    objects, missing = sample(kind.objects.all())
    for obj in objects:
        yield "/" + path.replace("<int:pk>", str(obj.pk)), obj
    yield "/" + path.replace("<int:pk>", str(missing)), None


def task_url(path, process_pk, task_pk):
    return "/" + path.replace("<int:process_pk>", str(process_pk)).replace("<int:task_pk>", str(task_pk))


def admin_targets(path):
    """Django admin: only object lists and add forms, with an id of 1 where one is needed."""
    url = "/" + re.sub(r"<[^>]+>", "1", re.sub(r"\^|\$|\(\?P<\w+>[^)]*\)", "1", path))
    yield url, None


def test_no_role_reaches_what_it_may_not_and_nothing_fails(world):
    ibans = set(Organisation.objects.exclude(iban="").values_list("iban", flat=True)) | set(
        BankAccountChange.objects.values_list("iban", flat=True)
    )
    steering_only = {"member", "chair", "member of fund 2"}
    cases, leaks, errors, exposed = Counter(), [], [], []
    patterns = list(url_patterns())
    for role, user in world.items():
        client = client_for(user)
        for path, name in patterns:
            for url, obj in targets(name, path):
                for method in ("get", "post"):
                    if user is not None and "_auth_user_id" not in client.session:
                        client.force_login(user)  # signed out by an earlier case (the logout URL)
                    audit_before = AuditEvent.objects.count()
                    response = getattr(client, method)(url)
                    cases[role] += 1
                    if response.status_code == 500:  # (503 is the readiness check saying "not ready")
                        errors.append((role, method, url, response.status_code))
                    if name.startswith("admin:"):
                        if response.status_code == 200 and not (user and user.is_staff):
                            leaks.append((role, method, url, "admin"))
                        continue
                    may = may_reach(name, user, obj)
                    if not may and response.status_code == 200:
                        leaks.append((role, method, url, response.status_code))
                    if not may and method == "post" and AuditEvent.objects.count() != audit_before:
                        leaks.append((role, method, url, "data changed"))
                    if role in steering_only and response.status_code == 200:
                        content = readable(response)
                        exposed.extend((role, url, iban) for iban in ibans if iban in content)
    total = sum(cases.values())
    print(f"permission matrix: {total} cases over {len(patterns)} URL patterns and {len(world)} roles")
    assert total >= 1000
    assert not errors, errors[:20]
    assert not leaks, leaks[:20]
    assert not exposed, exposed[:20]


def readable(response) -> str:
    """A page's text, or a PDF's (the meeting papers members download)."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return data.decode(errors="ignore")


def may_reach(name, user, obj):
    if OPEN.match(name):
        return True
    if user is None:
        return False
    if name in LISTS or name not in RULES:
        return True
    if obj is None:
        return False
    return RULES[name][1](user, obj)
