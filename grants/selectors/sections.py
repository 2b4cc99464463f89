"""The task list of a draft: each section with its status, and the facts its rules look at."""

from dataclasses import dataclass
from decimal import Decimal

from ..models import Application, Attachment, RevisionRequest
from ..rules.completeness import fields_asked, labels_of, sections_asked
from ..rules.money import quotes_required
from ..rules.sections import SECTIONS, STATUS_LABELS, SectionFacts, financing_gap, requested_share, section_statuses


@dataclass(frozen=True)
class Task:
    slug: str
    label: str
    status: str
    status_label: str
    asked: bool = False  # named in the office's open revision request


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


def open_revision(application: Application) -> RevisionRequest | None:
    """The office's revision request the applicant has still to answer."""
    return application.revision_requests.filter(answered_at=None).first()


def task_list(application: Application) -> list[Task]:
    statuses = section_statuses(section_facts(application))
    revision = open_revision(application)
    asked = sections_asked(revision.items) if revision else set()
    return [Task(slug, label, statuses[slug], STATUS_LABELS[statuses[slug]], slug in asked)
            for slug, label in SECTIONS.items()]  # fmt: skip


def revision_marks(application: Application, section: str | None = None) -> dict:
    """For a page of the draft: the open revision request, and (for `section`) the labels of its
    items there and the fields they name, so the page can mark them."""
    revision = open_revision(application)
    if revision is None:
        return {"revision": None, "asked_labels": [], "asked_fields": set()}
    items = [key for key in revision.items if section is None or section in sections_asked([key])]
    return {"revision": revision, "asked_labels": labels_of(items), "asked_fields": fields_asked(items)}


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
