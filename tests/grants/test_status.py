"""Every transition of the application status: allowed from its sources, refused from any other."""

import pytest
from django.core.exceptions import ValidationError

from grants.models import Application, AuditEvent
from grants.services.core import transition as move
from grants.status import TRANSITIONS, Status


def set_status(application, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()


@pytest.mark.parametrize("name", TRANSITIONS)
def test_each_transition_moves_from_its_sources_to_its_target(application, name):
    step = TRANSITIONS[name]
    for source in step.sources:
        set_status(application, source)
        move(application, name, actor=application.created_by)
        assert Application.objects.get(pk=application.pk).status == step.target
        event = AuditEvent.objects.filter(action=name).latest("pk")
        assert (event.before["status"], event.after["status"]) == (source, step.target)


@pytest.mark.parametrize("name", TRANSITIONS)
def test_each_transition_is_refused_from_every_other_status(application, name):
    step = TRANSITIONS[name]
    for status in set(Status) - set(step.sources):
        set_status(application, status)
        with pytest.raises(ValidationError):
            move(application, name, actor=application.created_by)
        assert Application.objects.get(pk=application.pk).status == status


def test_every_transition_has_labels_for_staff_and_applicant():
    for transition in TRANSITIONS.values():
        assert str(transition.staff_label) and str(transition.applicant_label)
