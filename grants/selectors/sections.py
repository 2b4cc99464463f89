"""The task list of a draft: each section with its status, and the facts its rules look at."""

from dataclasses import dataclass
from decimal import Decimal

from ..models import Application, Attachment
from ..rules.money import quotes_required
from ..rules.sections import SECTIONS, STATUS_LABELS, SectionFacts, financing_gap, requested_share, section_statuses


@dataclass(frozen=True)
class Task:
    slug: str
    label: str
    status: str
    status_label: str


def section_facts(application: Application) -> SectionFacts:
    fund = application.fund
    lines = list(application.cost_lines.all())
    total = sum((line.amount for line in lines), Decimal("0.00"))
    kinds = list(application.attachments.values_list("kind", flat=True))
    quotes = sum(1 for kind in kinds if kind == Attachment.Kind.QUOTE)
    return SectionFacts(
        project_fields=(
            application.title,
            application.summary,
            application.target_group,
            application.neighbourhood,
            application.start_date,
            application.end_date,
        ),  # fmt: skip
        aims=application.aims.count(),
        period_valid=bool(
            application.start_date and application.end_date and application.end_date >= application.start_date
        ),  # fmt: skip
        cost_lines=len(lines),
        total_cost=total,
        requested=application.requested_amount,
        financing_total=application.financing_total,
        other_financing=application.own_funds + application.own_work + application.third_party_funds,
        quotes=quotes,
        quotes_required=quotes_required(total, one_up_to=fund.one_quote_up_to, two_up_to=fund.two_quotes_up_to),
        other_attachments=len(kinds) - quotes,
        declarations=(
            application.declared_not_started,
            application.declared_no_double_funding,
            application.declared_truthful,
            application.declared_privacy,
        ),  # fmt: skip
    )


def task_list(application: Application) -> list[Task]:
    statuses = section_statuses(section_facts(application))
    return [Task(slug, label, statuses[slug], STATUS_LABELS[statuses[slug]]) for slug, label in SECTIONS.items()]


def financing_figures(application: Application) -> dict:
    """Total cost, the gap left after own and third-party money, and the requested share, for the page."""
    total = application.total_cost
    own = application.own_funds + application.own_work
    return {
        "total_cost": total,
        "gap": financing_gap(total_cost=total, own=own, third_party=application.third_party_funds),
        "share": requested_share(total_cost=total, requested=application.requested_amount),
        "difference": application.financing_total - total,
    }
