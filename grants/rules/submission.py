"""What an application must have before it can be submitted."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..templatetags.money import format_euro


@dataclass(frozen=True)
class DraftFacts:
    """The facts of a draft that the submission rules look at."""

    cost_lines: int
    total_cost: Decimal
    financing_total: Decimal
    requested_amount: Decimal
    start_date: dt.date | None
    end_date: dt.date | None
    aims: int
    declarations: tuple[bool, ...]
    project_complete: bool = True
    quotes: int = 0  # uploaded
    quotes_required: int = 0  # by the fund's thresholds
    quotes_at_submission: bool = False  # the fund's rule: the quotes come with the application


def submission_problems(draft: DraftFacts) -> list[str]:
    """What stops the application from being submitted, in the applicant's words."""
    problems = []
    if not draft.project_complete or draft.start_date is None or draft.end_date is None:
        problems.append(_("Complete the section “The project”: title, summary, target group, place and period."))
    if not draft.cost_lines:
        problems.append(_("Add at least one line to the cost plan."))
    if draft.requested_amount <= 0:
        problems.append(_("Enter the amount you request."))
    if draft.requested_amount > draft.total_cost and draft.cost_lines:
        problems.append(
            _("The requested amount (%(requested)s) cannot be more than the total costs (%(total)s).")
            % {"requested": format_euro(draft.requested_amount), "total": format_euro(draft.total_cost)}
        )
    elif draft.cost_lines and draft.financing_total != draft.total_cost:
        problems.append(
            _("The financing plan (%(financing)s) must cover exactly the total costs (%(total)s).")
            % {"financing": format_euro(draft.financing_total), "total": format_euro(draft.total_cost)}
        )
    if draft.start_date and draft.end_date and draft.end_date < draft.start_date:
        problems.append(_("The project cannot end before it starts."))
    if not draft.aims:
        problems.append(_("Choose at least one aim of the fund."))
    if not all(draft.declarations):
        problems.append(_("Confirm all declarations."))
    quotes = quotes_problem(draft)
    if quotes:
        problems.append(quotes)
    return problems


def quotes_problem(draft: DraftFacts) -> str | None:
    """Where the fund wants the quotes with the application: too few uploaded, in plain words,
    with how many the fund needs for the total costs and how many are there."""
    required, uploaded = draft.quotes_required, draft.quotes
    if not draft.quotes_at_submission or not draft.cost_lines or uploaded >= required:
        return None
    needed = ngettext(
        "For total costs of %(total)s the fund needs %(required)s quote before you can submit.",
        "For total costs of %(total)s the fund needs %(required)s comparable quotes before you can submit.",
        required,
    ) % {"total": format_euro(draft.total_cost), "required": required}
    if uploaded == 0:
        there = _("You have not uploaded a quote yet.")
    else:
        there = ngettext("You have uploaded %(uploaded)s quote.", "You have uploaded %(uploaded)s quotes.",
                         uploaded) % {"uploaded": uploaded}  # fmt: skip
    upload = _("Upload the missing quotes under “Attachments”.")
    return f"{needed} {there} {upload}"


def starts_before_decision(start_date: dt.date, meeting_date: dt.date) -> bool:
    """Whether the planned start lies on or before the meeting that decides: the project
    must not start before the decision, so the applicant is warned."""
    return start_date <= meeting_date


def notices(
    *,
    requested: Decimal,
    total_cost: Decimal,
    cap: Decimal,
    special_majority: tuple[int, int],
    quotes: int,
    start_date: dt.date | None,
    meeting_date: dt.date | None,
) -> list[str]:
    """What the applicant, the office and the steering group should know before deciding."""
    found = []
    if requested > cap:
        found.append(
            _(
                "The request of %(requested)s is above the fund's cap of %(cap)s per project. The steering group "
                "can approve it only with a majority of %(numerator)s/%(denominator)s of the votes cast, or approve "
                "a reduced amount up to the cap."
            )
            % {
                "requested": format_euro(requested),
                "cap": format_euro(cap),
                "numerator": special_majority[0],
                "denominator": special_majority[1],
            }
        )
    found.append(
        ngettext(
            "For total costs of %(total)s the fund asks for %(count)s quote.",
            "For total costs of %(total)s the fund asks for %(count)s comparable quotes.",
            quotes,
        )
        % {"total": format_euro(total_cost), "count": quotes}
    )
    if meeting_date and start_date and starts_before_decision(start_date, meeting_date):
        found.append(
            _(
                "The project is planned to start before the steering group decides on %(date)s. A project must not "
                "start, nor anything be ordered, before the decision, otherwise it cannot be funded."
            )
            % {"date": date_format(meeting_date, "SHORT_DATE_FORMAT")}
        )
    return found
