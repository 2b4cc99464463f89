"""The application as a task list: which sections there are and how far each is filled in."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

NOT_STARTED, IN_PROGRESS, COMPLETE = "not_started", "in_progress", "complete"
STATUS_LABELS = {NOT_STARTED: _("Not started"), IN_PROGRESS: _("In progress"), COMPLETE: _("Complete")}

SECTIONS = {
    "projekt": _("The project"),
    "kosten": _("Cost plan"),
    "finanzierung": _("Financing plan"),
    "anlagen": _("Attachments"),
    "erklaerungen": _("Declarations"),
}


@dataclass(frozen=True)
class SectionFacts:
    """What the section statuses look at, as plain values."""

    project_fields: tuple  # title, summary, target group, neighbourhood, start, end
    aims: int
    period_valid: bool
    cost_lines: int
    total_cost: Decimal
    requested: Decimal
    financing_total: Decimal
    other_financing: Decimal
    quotes: int
    quotes_required: int
    other_attachments: int
    declarations: tuple[bool, ...]


def _status(filled: int, complete: bool) -> str:
    if complete:
        return COMPLETE
    return IN_PROGRESS if filled else NOT_STARTED


def section_statuses(facts: SectionFacts) -> dict[str, str]:
    """Each section's status: not started, in progress or complete."""
    filled_project = sum(1 for value in facts.project_fields if value) + facts.aims
    project = _status(filled_project, all(facts.project_fields) and facts.aims > 0 and facts.period_valid)
    costs = _status(facts.cost_lines, facts.cost_lines > 0)
    started_financing = facts.requested > 0 or facts.other_financing > 0
    financing = _status(
        int(started_financing),
        facts.requested > 0 and facts.cost_lines > 0 and facts.financing_total == facts.total_cost
        and facts.requested <= facts.total_cost,
    )  # fmt: skip
    uploads = facts.quotes + facts.other_attachments
    attachments = _status(uploads, facts.quotes >= facts.quotes_required and facts.cost_lines > 0)
    declarations = _status(sum(facts.declarations), all(facts.declarations))
    return {"projekt": project, "kosten": costs, "finanzierung": financing, "anlagen": attachments,
            "erklaerungen": declarations}  # fmt: skip


def financing_gap(*, total_cost: Decimal, own: Decimal, third_party: Decimal) -> Decimal:
    """What is left to finance after own money, work in kind and third-party money."""
    return max(total_cost - own - third_party, Decimal("0.00"))


def requested_share(*, total_cost: Decimal, requested: Decimal) -> Decimal | None:
    """The requested amount as a percentage of the total cost, one decimal place."""
    if total_cost <= 0:
        return None
    return (requested * 100 / total_cost).quantize(Decimal("0.1"))
