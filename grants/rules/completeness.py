"""The completeness check's checklist: what the office confirms before an application goes to
assessment. An item not confirmed is what a revision request asks the applicant to fix."""

from django.utils.translation import gettext_lazy as _

CHECKLIST = [
    ("organisation", _("Organisation: name, legal form, address and contact are complete")),
    ("project", _("Project: description, aims, target group and neighbourhood are clear")),
    ("period", _("Period: plausible, and the project has not started")),
    ("costs", _("Cost plan: every line named and plausible")),
    ("financing", _("Financing plan: adds up to the total cost, third-party funds stated")),
    ("quotes", _("Quotes: as many as the amount requires")),
    ("declarations", _("Declarations: all given")),
]
LABELS = dict(CHECKLIST)


def missing_items(confirmed) -> list[str]:
    """The checklist items not confirmed, in checklist order."""
    confirmed = set(confirmed)
    return [key for key, _label in CHECKLIST if key not in confirmed]


def labels_of(keys) -> list[str]:
    return [str(LABELS[key]) for key in keys if key in LABELS]


# Where the applicant fixes each item: its section of the task list (None: the organisation's
# page) and the fields of that section it concerns (none named: the whole section).
WHERE = {
    "organisation": (None, ()),
    "project": ("projekt", ("title", "summary", "aims", "target_group", "neighbourhood")),
    "period": ("projekt", ("start_date", "end_date")),
    "costs": ("kosten", ()),
    "financing": ("finanzierung", ("own_funds", "own_work", "third_party_funds", "third_party_status",
                                   "requested_amount")),
    "quotes": ("anlagen", ()),
    "declarations": ("erklaerungen", ("declared_not_started", "declared_no_double_funding", "declared_truthful",
                                      "declared_privacy")),
}  # fmt: skip


def sections_asked(items) -> set[str]:
    """The task-list sections a revision request with these items asks the applicant to change."""
    return {WHERE[key][0] for key in items if key in WHERE and WHERE[key][0]}


def fields_asked(items) -> set[str]:
    """The fields a revision request with these items names."""
    return {field for key in items if key in WHERE for field in WHERE[key][1]}
