"""Every transition of the application status: allowed from its sources, refused from any other."""

import pytest
from django.core.exceptions import ValidationError

from grants import services
from grants.models import Application, AuditEvent
from grants.status import TRANSITIONS, Status
from workflows.demo import draft


@pytest.fixture
def application(fund, club):
    from decimal import Decimal

    organisation, user = club
    return draft(fund, organisation, user, "Nachtcafé", Decimal("800"), Decimal("1000"))


def set_status(application, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()


@pytest.mark.parametrize("name", TRANSITIONS)
def test_each_transition_moves_from_its_sources_to_its_target(application, name):
    transition = TRANSITIONS[name]
    for source in transition.sources:
        set_status(application, source)
        services._transition(application, name, actor=application.created_by)
        assert Application.objects.get(pk=application.pk).status == transition.target
        event = AuditEvent.objects.filter(action=name).latest("pk")
        assert (event.before["status"], event.after["status"]) == (source, transition.target)


@pytest.mark.parametrize("name", TRANSITIONS)
def test_each_transition_is_refused_from_every_other_status(application, name):
    transition = TRANSITIONS[name]
    for status in set(Status) - set(transition.sources):
        set_status(application, status)
        with pytest.raises(ValidationError):
            services._transition(application, name, actor=application.created_by)
        assert Application.objects.get(pk=application.pk).status == status


def test_every_transition_has_labels_for_staff_and_applicant():
    for transition in TRANSITIONS.values():
        assert str(transition.staff_label) and str(transition.applicant_label)
