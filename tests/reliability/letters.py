"""Many decided applications at once: one decided through the services, the rest copied from it row by
row (application, recommendation, agenda item, motion, decision), each waiting for its letter."""

from grants import services
from grants.models import AgendaItem, Application, Decision, Motion, Recommendation
from tests import steps
from tests.factories import ApplicationFactory


def _copy(obj, **fields):
    obj.pk = obj.id = None
    obj._state.adding = True
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def decided_applications(fund, people, club, count: int) -> list[int]:
    """`count` rejections decided by the body, none of them with its letter yet; their ids."""
    organisation, user = club
    first = ApplicationFactory(fund=fund, organisation=organisation, created_by=user)
    item = steps.on_agenda(first, people["office"], motion="reject", amount=0, reasoning="Nicht förderfähig.")
    steps.vote(item, people["members"][:4], "yes")
    services.vote_close(
        agenda_item=item, actor=steps.chair_of(item), reasons="Das Projekt liegt außerhalb des Gebiets."
    )
    decision = Decision.objects.get(application=first)
    ids = [decision.pk]
    for number in range(1, count):
        application = _copy(Application.objects.get(pk=first.pk), reference=f"{first.reference}-{number}")
        recommendation = _copy(Recommendation.objects.filter(application=first).latest("pk"), application=application)
        agenda_item = _copy(AgendaItem.objects.get(pk=item.pk), application=application, recommendation=recommendation)
        motion = _copy(Motion.objects.get(pk=decision.motion_id), agenda_item=agenda_item)
        copy = _copy(Decision.objects.get(pk=decision.pk), application=application, agenda_item=agenda_item,
                     motion=motion)  # fmt: skip
        ids.append(copy.pk)
    return ids
