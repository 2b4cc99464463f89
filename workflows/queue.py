"""The office's queue: its filters, sort orders and search, and the rows it shows with how long
each task has waited and whether it is past the fund's service level for its step. The page
runs a fixed number of queries however many applications there are."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.flow.nodes import View

from accounts.models import User
from grants.fields import MoneyField
from grants.models import Aim, Application, Fund, Meeting
from grants.roles import OFFICE

from .flows import ApplicationFlow

APP = "process__applicationprocess__application__"
PROCESS_FUND = "process__applicationprocess__fund"  # the application's fund, without joining the application
SORTS = {
    "waiting": ("created", "pk"),
    "-waiting": ("-created", "-pk"),
    "reference": (APP + "reference", "pk"),
    "-reference": ("-" + APP + "reference", "-pk"),
    "amount": (APP + "requested_amount", "pk"),
    "-amount": ("-" + APP + "requested_amount", "-pk"),
}
SORT_LABELS = [
    ("waiting", _("longest waiting first")),
    ("-waiting", _("newest first")),
    ("reference", _("reference number")),
    ("-amount", _("largest amount first")),
    ("amount", _("smallest amount first")),
]


def office_steps() -> list[tuple[str, str]]:
    """The process's office steps (its view nodes) as (name, title)."""
    return [(node.name, node.task_title) for node in ApplicationFlow.instance.nodes() if isinstance(node, View)]


def step_node(name: str):
    return getattr(ApplicationFlow, name)


class ListedChoices(ModelChoiceIterator):
    """The choices from one plain query: Django's default walks them with a server-side cursor,
    three round trips to PostgreSQL per list on a page rendered all day."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Reference number, title or organisation"))
    step = forms.ChoiceField(label=_("Step"), required=False)
    fund = ListedModelChoiceField(label=_("Fund"), queryset=Fund.objects.none(), required=False)
    aim = ListedModelChoiceField(label=_("Aim"), queryset=Aim.objects.none(), required=False)
    neighbourhood = forms.CharField(label=_("Neighbourhood"), required=False)
    amount_min = MoneyField(label=_("Amount from"), required=False)
    amount_max = MoneyField(label=_("Amount up to"), required=False)
    meeting = ListedModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none(), required=False)
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_LABELS, required=False)

    def __init__(self, data, *, funds: list[Fund]):
        super().__init__(data)
        fund_ids = [fund.pk for fund in funds]
        self.funds = funds
        self.fields["step"].choices = [("", _("all steps")), *office_steps()]
        self.fields["fund"].queryset = Fund.objects.filter(pk__in=fund_ids).order_by("name")
        self.fields["fund"].empty_label = _("all funds")
        self.fields["aim"].queryset = Aim.objects.filter(fund__in=fund_ids).select_related("fund")
        self.fields["aim"].empty_label = _("all aims")
        # Meetings not yet closed, from a month back: the ones files are waiting for.
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(fund__in=fund_ids, date__gte=timezone.localdate() - dt.timedelta(days=31))
            .exclude(status=Meeting.Status.CLOSED)
            .select_related("fund")
        )
        self.fields["meeting"].empty_label = _("all meetings")


def filtered(tasks: QuerySet, data: dict, *, user, funds: list[Fund], now: dt.datetime) -> QuerySet:
    """The tasks that match the cleaned filters, in the order asked for."""
    if data.get("q"):
        term = data["q"].strip()
        tasks = tasks.filter(
            Q(**{APP + "reference__icontains": term})
            | Q(**{APP + "title__icontains": term})
            | Q(**{APP + "organisation__name__icontains": term})
        )
    if data.get("step"):
        tasks = tasks.filter(flow_task=step_node(data["step"]))
    if data.get("fund"):
        tasks = tasks.filter(**{PROCESS_FUND: data["fund"]})
    if data.get("aim"):
        tasks = tasks.filter(**{APP + "aims": data["aim"]})
    if data.get("neighbourhood"):
        tasks = tasks.filter(**{APP + "neighbourhood__iexact": data["neighbourhood"].strip()})
    if data.get("amount_min") is not None:
        tasks = tasks.filter(**{APP + "requested_amount__gte": data["amount_min"]})
    if data.get("amount_max") is not None:
        tasks = tasks.filter(**{APP + "requested_amount__lte": data["amount_max"]})
    if data.get("meeting"):
        tasks = tasks.filter(**{APP + "meeting": data["meeting"]})
    if data.get("mine"):
        tasks = tasks.filter(owner=user)
    if data.get("overdue"):
        tasks = tasks.filter(overdue_condition(funds, now))
    return tasks.order_by(*SORTS.get(data.get("sort") or "waiting", SORTS["waiting"]))


def overdue_condition(funds: list[Fund], now: dt.datetime) -> Q:
    """Tasks older than their fund's service level for their step. `tasks` holds only the tasks of
    `funds`, so a step whose level is the same in all of them needs no term per fund: that join,
    one index lookup per open task, was a third of the overdue queue's time at a million files."""
    condition = Q(pk__in=[])
    for step, _title in office_steps():
        levels = {fund.pk: (fund.service_levels or {}).get(step) for fund in funds}
        if len(set(levels.values())) == 1:
            levels = {None: next(iter(levels.values()))}
        for fund_pk, days in levels.items():
            if days is not None:
                in_fund = Q(**{PROCESS_FUND: fund_pk}) if fund_pk else Q()
                condition |= in_fund & Q(flow_task=step_node(step), created__lt=now - dt.timedelta(days=days))
    return condition


@dataclass(frozen=True)
class QueueRow:
    task: object
    application: Application
    days_waiting: int
    service_level: int | None
    urls: dict

    @property
    def overdue(self) -> bool:
        return self.service_level is not None and self.days_waiting > self.service_level

    # The row's wording in Python rather than in template tags: the page repeats it 50 times.
    @property
    def waited(self) -> str:
        return ngettext("%(days)s day", "%(days)s days", self.days_waiting) % {"days": self.days_waiting}

    @property
    def overdue_label(self) -> str:
        return gettext("overdue (service level %(days)s days)") % {"days": self.service_level}

    @property
    def since(self) -> str:
        return self.task.created.isoformat()


MARK, OTHER_MARK = 987654321, 987654322


def _url_patterns() -> dict[str, str]:
    """Each row's links, reversed once per page with placeholders (reversing 250 URLs a page
    took a third of its time)."""
    patterns = {
        "claim": reverse("workflows:claim", args=[MARK]),
        "assign": reverse("workflows:assign", args=[MARK]),
        "release": reverse("workflows:release", args=[MARK]),
        "work": reverse("workflows:task", kwargs={"process_pk": OTHER_MARK, "task_pk": MARK}),
        "file": reverse("grants:staff_application", args=[OTHER_MARK]),
    }
    placeholders = {str(MARK): "{task}", str(OTHER_MARK): "{other}"}
    for mark, placeholder in placeholders.items():
        patterns = {name: url.replace(mark, placeholder) for name, url in patterns.items()}
    return patterns


# What a row shows: loading only these columns of the five joined tables halves the page's work.
ROW_FIELDS = [
    "flow_task", "created", "owner_id", "process_id",
    "owner__first_name", "owner__last_name", "owner__email",
    "process__applicationprocess__application_id",
    APP + "reference", APP + "title", APP + "requested_amount",
    APP + "organisation__name", APP + "fund__service_levels",
]  # fmt: skip


def in_order(pks: list[int]) -> list:
    """The tasks with these primary keys (from the user's filtered queue), with their
    application, in the order of `pks`: looked up by key alone, the filters were applied."""
    tasks = ApplicationFlow.task_class.objects.filter(pk__in=pks).select_related(
        "owner", APP + "organisation", APP + "fund"
    )
    by_pk = {task.pk: task for task in tasks.only(*ROW_FIELDS)}
    return [by_pk[pk] for pk in pks]


def rows(tasks, now: dt.datetime) -> list[QueueRow]:
    """The page's rows: how long each task has waited in its step, against its fund's service level."""
    result = []
    patterns = _url_patterns()
    for task in tasks:
        application = task.process.applicationprocess.application
        levels = application.fund.service_levels or {}
        urls = {name: pattern.format(task=task.pk, other=task.process_id) for name, pattern in patterns.items()}
        urls["file"] = patterns["file"].format(other=application.pk)
        result.append(
            QueueRow(
                task=task,
                application=application,
                days_waiting=(now - task.created).days,
                service_level=levels.get(task.flow_task.name),
                urls=urls,
            )
        )
    return result


def colleagues(funds: list[Fund]) -> QuerySet[User]:
    """Who a task can be assigned to: the office of the funds shown."""
    return (
        User.objects.filter(fund_roles__role=OFFICE, fund_roles__fund__in=[f.pk for f in funds])
        .distinct()
        .order_by("last_name", "pk")
    )


def now() -> dt.datetime:
    return timezone.now()
