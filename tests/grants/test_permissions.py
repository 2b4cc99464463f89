"""Object-level permissions: other people's objects are not found (404)."""

import pytest
from django.urls import reverse

from grants.models import Application
from tests import journey
from tests.factories import FundRoleFactory, OrganisationFactory, UserFactory
from workflows.demo import seed_demo
from workflows.flows import ApplicationFlow

APPLICANT_URLS = [
    "grants:application",
    "grants:application_edit",
    "grants:application_submit",
    "grants:appeal_waive",
    "grants:report_submit",
]
STAFF_URLS = ["grants:staff_application"]


@pytest.fixture
def demo(transactional_db, celery_eager):
    seed_demo()
    return Application.objects.exclude(reference=None)


def test_a_member_of_another_organisation_gets_404_on_every_url_of_an_application(demo):
    stranger = UserFactory()
    OrganisationFactory(members=[stranger])
    client = journey.login(stranger)
    applications = list(Application.objects.all())
    assert len(applications) >= 9
    for application in applications:
        for name in APPLICANT_URLS + STAFF_URLS:
            url = reverse(name, args=[application.pk])
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url
        for document in application.documents.all():
            assert client.get(reverse("grants:document", args=[document.pk])).status_code == 404
    assert "VF-" not in client.get(reverse("grants:applications")).content.decode()


def test_an_applicant_reaches_only_its_own_organisations_applications(demo):
    own = Application.objects.filter(organisation__name__startswith="TSV").first()
    other = Application.objects.filter(organisation__name__startswith="Nachbarschaft").first()
    client = journey.login(own.organisation.members.get())
    assert client.get(reverse("grants:application", args=[own.pk])).status_code == 200
    assert client.get(reverse("grants:application", args=[other.pk])).status_code == 404
    for document in own.documents.all():
        response = client.get(reverse("grants:document", args=[document.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_an_applicant_cannot_open_the_office_queue_tasks_or_files(demo):
    own = Application.objects.filter(organisation__name__startswith="TSV").first()
    client = journey.login(own.organisation.members.get())
    assert client.get(reverse("grants:staff_application", args=[own.pk])).status_code == 404
    task = own.process.task_set.filter(flow_task_type="HUMAN").first()
    if task is not None:
        url = reverse("workflows:task", args=[task.process_id, task.pk])
        assert client.get(url).status_code == 404
        assert client.post(reverse("workflows:claim", args=[task.pk])).status_code == 404
    assert "VF-" not in client.get(reverse("workflows:queue")).content.decode()


def test_steering_members_never_see_bank_data(demo):
    from grants.models import FundRole

    member = FundRole.objects.filter(role="member").first().user
    client = journey.login(member)
    on_agenda = Application.objects.filter(agenda_items__isnull=False).distinct()
    assert on_agenda.exists()
    for application in on_agenda:
        page = client.get(reverse("grants:staff_application", args=[application.pk])).content.decode()
        assert application.reference in page
        assert application.organisation.iban not in page
    office = journey.login(FundRole.objects.get(role="office").user)
    page = office.get(reverse("grants:staff_application", args=[on_agenda[0].pk])).content.decode()
    assert on_agenda[0].organisation.iban in page


def test_a_steering_member_cannot_see_applications_not_on_an_agenda(demo):
    from grants.models import FundRole

    member = FundRole.objects.filter(role="member").first().user
    not_on_agenda = Application.objects.filter(agenda_items__isnull=True).first()
    client = journey.login(member)
    assert client.get(reverse("grants:staff_application", args=[not_on_agenda.pk])).status_code == 404


def test_the_office_of_another_fund_sees_nothing_of_this_fund(demo):
    from tests.factories import FundFactory

    other = FundFactory(name="Verfügungsfonds Wilhelmsburg", slug="wilhelmsburg", reference_prefix="WB")
    officer = FundRoleFactory(fund=other, role="office").user
    client = journey.login(officer)
    assert "VF-" not in client.get(reverse("workflows:queue")).content.decode()
    for application in Application.objects.all():
        assert client.get(reverse("grants:staff_application", args=[application.pk])).status_code == 404
    open_tasks = ApplicationFlow.task_class.objects.filter(flow_task_type="HUMAN", status="NEW")
    assert open_tasks.exists()
    for task in open_tasks:
        assert client.post(reverse("workflows:claim", args=[task.pk])).status_code == 404
        assert client.get(reverse("workflows:task", args=[task.process_id, task.pk])).status_code == 404


def test_a_missing_page_answers_with_a_german_404_page(club):
    response = journey.login(club[1]).get("/antraege/999999/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_a_claimed_task_belongs_to_its_owner_alone(demo):
    from grants.models import Fund, FundRole

    office = FundRole.objects.get(role="office").user
    colleague = FundRoleFactory(fund=Fund.objects.get(), role="office").user
    task = ApplicationFlow.task_class.objects.filter(flow_task_type="HUMAN", status="NEW").first()
    claim_url = reverse("workflows:claim", args=[task.pk])
    task_url = reverse("workflows:task", args=[task.process_id, task.pk])

    assert journey.login(colleague).get(task_url).status_code == 403  # not claimed yet
    assert journey.login(office).post(claim_url)["Location"] == task_url
    second = journey.login(colleague)
    assert second.post(claim_url)["Location"] == reverse("workflows:queue")
    assert second.get(task_url).status_code == 403
    task.refresh_from_db()
    assert task.owner == office


def test_steering_members_see_what_they_need_to_decide_and_no_contact_or_money_details(demo):
    from grants.models import FundRole, Payout

    paid = Payout.objects.select_related("application__organisation").first().application
    organisation = paid.organisation
    member = journey.login(FundRole.objects.filter(role="member").first().user)
    page = member.get(reverse("grants:staff_application", args=[paid.pk])).content.decode()
    assert paid.title in page and organisation.name in page and "1.250,00 EUR" in page  # project and costs
    private = [organisation.iban, organisation.email, organisation.street, organisation.contact_name]
    assert not [value for value in private if value in page]
    assert "Auszahlung" not in page and "Verwendungsnachweis" not in page and "Bescheid" not in page


def test_the_steering_selector_itself_withholds_what_members_may_not_read(demo):
    from grants import selectors
    from grants.models import FundRole

    member = FundRole.objects.filter(role="member").first().user
    on_agenda = Application.objects.filter(agenda_items__isnull=False).first()
    file = selectors.file_for_steering(member, on_agenda.pk)["application"]
    assert file.title == on_agenda.title and file.organisation.name == on_agenda.organisation.name
    for hidden in ("iban", "email", "phone", "street", "contact_name", "account_holder", "members"):
        with pytest.raises(AttributeError):
            getattr(file.organisation, hidden)
    for hidden in ("payouts", "report", "documents", "audit_events", "created_by", "revision_requests"):
        with pytest.raises(AttributeError):
            getattr(file, hidden)
