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
