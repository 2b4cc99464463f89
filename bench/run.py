#!/usr/bin/env python
"""Page benchmark: seed N applications, then count the SQL queries and time the
pages people use every day. See bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_grants VAR_DIR=/tmp/bench-var \
        .venv/bin/python bench/run.py --sizes 10000 100000

The database is WIPED for every size: never point DATABASE_URL at real data.
"""

import argparse
import bisect
import contextlib
import cProfile
import datetime as dt
import gc
import hashlib
import io
import json
import os
import platform
import pstats
import random
import re
import shlex
import statistics
import subprocess
import sys
import time
from collections import Counter
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.db.models import Count, Q, Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from viewflow.workflow.fields import get_flow_ref, get_task_ref  # noqa: E402
from viewflow.workflow.models import Process, Task  # noqa: E402
from viewflow.workflow.status import PROCESS, STATUS  # noqa: E402

import config.urls  # noqa: E402,F401  (viewflow's Node.reverse() needs the URLconf loaded)
from accounts.models import User  # noqa: E402
from grants import roles, selectors, services  # noqa: E402
from grants.audit_chain import GENESIS, chain_key, event_hash  # noqa: E402
from grants.models import (  # noqa: E402
    AgendaItem,
    Aim,
    Application,
    Attendance,
    AuditChain,
    AuditEvent,
    CircularBallot,
    CircularProcedure,
    ConflictDeclaration,
    ConflictFlag,
    CostLine,
    Decision,
    Document,
    FiscalYear,
    Fund,
    LedgerEntry,
    Meeting,
    MemberTie,
    Motion,
    MotionKind,
    Organisation,
    Payout,
    Recommendation,
    Report,
    RevisionRequest,
    Vote,
)
from grants.roles import OFFICE_TASK  # noqa: E402
from grants.rules import dates  # noqa: E402
from grants.rules.money import financing_plan  # noqa: E402
from grants.status import TRANSITIONS  # noqa: E402
from workflows.demo import CONDITION as CONDITIONS  # noqa: E402
from workflows.demo import create_fund, create_people  # noqa: E402
from workflows.flows import ApplicationFlow as F  # noqa: E402

BATCH = 2000  # rows per INSERT
CHUNK = 5000  # applications built in memory at a time
SLOW_MS = 500  # a page slower than this gets a profile and an EXPLAIN of its slowest query
AGENDA_SIZE = 30
YEARS = 3  # closed files are spread over this many years back
BUDGET = Decimal("40000.00")  # the demo's yearly budget; see Seeder._fiscal_year_totals
FAILED_APPROVALS = 4  # one rejection in 4 is an approval voted down, the others follow a recommendation to reject

# Where each status stands in the flow: (nodes done, node waiting or None).
_CHECKED = [F.start, F.check_completeness, F.is_complete]
_ASSESSED = _CHECKED + [F.assess]
_DECIDED = _ASSESSED + [F.await_decision, F.route_decision, F.queue_letter, F.await_letter, F.is_approved]
_PAID = _DECIDED + [F.await_final, F.payout]
PATHS = {
    "draft": None,
    "submitted": ([F.start], F.check_completeness),
    "revision": (_CHECKED, F.await_revision),
    "assessment": (_CHECKED, F.assess),
    "on_agenda": (_ASSESSED, F.await_decision),
    "approved": (_DECIDED + [F.await_final], F.payout),
    "paid": (_PAID, F.await_report),
    "reported": (_PAID + [F.await_report], F.review_report),
    "closed": (_PAID + [F.await_report, F.review_report, F.is_closed, F.closed], None),
    "rejected": (_DECIDED + [F.rejected], None),
}
# Timeline key at which each node's task was created and finished.
NODE_TIMES = {
    F.start: ("submit", "submit"),
    F.check_completeness: ("submit", "complete"),
    F.is_complete: ("complete", "complete"),
    F.await_revision: ("complete", None),
    F.assess: ("complete", "recommend"),
    F.await_decision: ("recommend", "decided"),
    F.route_decision: ("decided", "decided"),
    F.queue_letter: ("decided", "decided"),
    F.await_letter: ("decided", "letter"),
    F.is_approved: ("letter", "letter"),
    F.rejected: ("letter", "letter"),
    F.await_final: ("letter", "final"),
    F.payout: ("final", "paid"),
    F.await_report: ("paid", "reported"),
    F.review_report: ("reported", "closed"),
    F.is_closed: ("closed", "closed"),
    F.closed: ("closed", "closed"),
}
# Status transitions recorded in the audit trail (what the history box shows).
TRANSITIONS_OF = {
    "draft": [],
    "submitted": ["submit"],
    "revision": ["submit", "request_revision"],
    "assessment": ["submit", "accept_complete"],
    "on_agenda": ["submit", "accept_complete", "recommend"],
    "approved": ["submit", "accept_complete", "recommend", "approve"],
    "paid": ["submit", "accept_complete", "recommend", "approve", "pay"],
    "reported": ["submit", "accept_complete", "recommend", "approve", "pay", "report"],
    "closed": ["submit", "accept_complete", "recommend", "approve", "pay", "report", "close"],
    "rejected": ["submit", "accept_complete", "recommend", "reject"],
}
TRANSITION_TIME = {
    "submit": "submit", "request_revision": "complete", "accept_complete": "complete",
    "recommend": "recommend", "approve": "decided", "reject": "decided", "pay": "paid",
    "report": "reported", "close": "closed",
}  # fmt: skip
# Days before today on which applications of a status were submitted (closed and rejected: see plan()).
SUBMITTED_DAYS_AGO = {
    "draft": (0, 60), "submitted": (0, 20), "revision": (5, 30), "assessment": (5, 30),
    "on_agenda": (25, 50), "approved": (60, 120), "paid": (100, 250), "reported": (200, 400),
}  # fmt: skip
TITLES = [
    "Mitternachtsfußball", "Graffiti-Workshop", "Kiezspaziergang mit Licht-Check", "Streitschlichtung im Treppenhaus",
    "Nachtcafé für Jugendliche", "Sauberer Spielplatz", "Sicher nach Hause", "Nachbarschaftsfest",
    "Selbstbehauptungskurs", "Müllsammelaktion", "Elterncafé", "Fahrradwerkstatt", "Hausaufgabenhilfe",
]  # fmt: skip
PLACES = ["Harburg-Innenstadt", "Heimfeld", "Eißendorf", "Wilstorf", "Neuwiedenthal", "Phoenix-Viertel", "Sinstorf"]
GROUPS = ["Jugendliche von 14 bis 21 Jahren", "Kinder und Eltern", "Seniorinnen und Senioren", "Alle im Quartier"]
LEGAL_FORMS = ["ev", "ev", "ev", "ggmbh", "school", "informal"]
FITS = "Das Projekt passt zu den Zielen 1, 4 und 6 des Fonds."
DOES_NOT_FIT = "Das Projekt passt nicht zu den Zielen des Fonds."


# Seeding ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def explicit_timestamps():
    """Let bulk_create keep the historical dates we set instead of auto_now(_add)."""
    fields = [
        (model._meta.get_field(name), attr)
        for model, name, attr in [
            (Application, "created", "auto_now_add"),
            (Recommendation, "created", "auto_now_add"),
            (Motion, "put_at", "auto_now_add"),
            (LedgerEntry, "created", "auto_now_add"),
            (Document, "created", "auto_now_add"),
            (RevisionRequest, "requested_at", "auto_now_add"),
            (ConflictDeclaration, "declared_at", "auto_now_add"),
            (CircularProcedure, "started_at", "auto_now_add"),
            (Vote, "cast_at", "auto_now"),
            (Attendance, "recorded_at", "auto_now"),
        ]
    ]
    saved = [(field, attr, getattr(field, attr)) for field, attr in fields]
    for field, attr in fields:
        setattr(field, attr, False)
    try:
        yield
    finally:
        for field, attr, value in saved:
            setattr(field, attr, value)


def wipe():
    """Empty every table of the project (keeps migrations, content types and permissions)."""
    prefixes = (
        "accounts_",
        "account_",  # allauth: e-mail addresses
        "mfa_",  # allauth: the second factors of the demo people
        "grants_",
        "workflows_",
        "notifications_",
        "viewflow_",
        "django_session",
        "django_admin_log",
    )
    tables = [t for t in connection.introspection.table_names() if t.startswith(prefixes)]
    sql = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
    connection.ops.execute_sql_flush(sql)


def plan(n, open_per_step, rng):
    """How many applications stand in each status; returns a shuffled list of statuses."""
    counts = {
        "draft": max(10, n // 100),
        "submitted": open_per_step,
        "revision": open_per_step // 4,
        "assessment": open_per_step,
        "on_agenda": AGENDA_SIZE,
        "approved": open_per_step,
        "paid": open_per_step,
        "reported": open_per_step,
        "rejected": n // 10,
    }
    counts["closed"] = n - sum(counts.values())
    if counts["closed"] < n // 2:
        raise SystemExit(f"--open-per-step {open_per_step} is too large for {n} applications")
    statuses = [status for status, count in counts.items() for _ in range(count)]
    rng.shuffle(statuses)
    return statuses, counts


def rejection_recommended(app, status):
    """Whether the office recommended rejecting: for most rejected files; the rest were
    recommended for approval and the body voted the approval down."""
    return status == "rejected" and app.pk % FAILED_APPROVALS != 0


class Seeder:
    def __init__(self, n, open_per_step, seed):
        self.n = n
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.statuses, self.counts = plan(n, open_per_step, self.rng)
        self.flow_ref = get_flow_ref(F)
        self.task_refs = {node: get_task_ref(node) for node in NODE_TIMES}
        self.rows = Counter()

    def run(self):
        started = time.perf_counter()
        wipe()
        with transaction.atomic():
            self._base()  # through the services, with their own timestamps
        with explicit_timestamps():
            with transaction.atomic():
                self._organisations()
            for start in range(0, self.n, CHUNK):
                with transaction.atomic():
                    self._chunk(start, min(start + CHUNK, self.n))
                gc.collect()
                print(f"    {min(start + CHUNK, self.n):>7} / {self.n} applications", end="\r", flush=True)
            with transaction.atomic():
                self._meetings()
                self._agenda_votes()
                self._fiscal_year_totals()
        print()
        check_consistency()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        return time.perf_counter() - started

    # fund, people, calendar

    def _base(self):
        self.fund = create_fund()
        self.people = create_people(self.fund)
        self.office = self.people["office"]
        self.chair = self.people["chair"]
        self.aims = list(Aim.objects.filter(fund=self.fund).order_by("number"))
        first_year = (self.today - dt.timedelta(days=200 + 365 * YEARS + 60)).year
        existing = set(FiscalYear.objects.filter(fund=self.fund).values_list("year", flat=True))
        for year in range(first_year, self.today.year + 2):
            if year not in existing:
                FiscalYear.objects.create(fund=self.fund, year=year, budget=BUDGET)
                services.meetings_schedule(fund=self.fund, year=year)
        self.fiscal_years = {fy.year: fy for fy in FiscalYear.objects.filter(fund=self.fund)}
        self.meetings = list(Meeting.objects.filter(fund=self.fund).order_by("cutoff", "date"))
        # The meeting the page is measured on is in session now: the next scheduled one, held
        # today (brought forward if need be; its cut-off then no later than today, so the
        # calendar stays in order). Opened 45 minutes ago; see _meetings and _agenda_votes.
        self.bench_meeting = next(m for m in self.meetings if m.date >= self.today)
        if self.bench_meeting.date != self.today:
            self.bench_meeting.date = self.today
            self.bench_meeting.cutoff = min(self.bench_meeting.cutoff, self.today)
            self.bench_meeting.save(update_fields=["date", "cutoff"])
        self.session_opened = self.now - dt.timedelta(minutes=45)
        self.cutoffs = [m.cutoff for m in self.meetings]
        self.last_decided = {}  # meeting pk -> when its last item was decided
        self.fund_ct = ContentType.objects.get_for_model(Fund)
        self.ref_seq = Counter()
        self.agenda_position = Counter()
        # What the ledger rows written add up to, per fiscal year (pk): the years' running totals.
        self.committed = Counter()
        self.paid = Counter()
        # The fund's audit hash chain (grants.audit_chain): the events written by COPY continue it.
        self.chain_key = chain_key(self.fund.pk)
        chain, _created = AuditChain.objects.get_or_create(key=self.chain_key, defaults={"last_hash": GENESIS})
        self.last_hash = chain.last_hash

    def _meeting_for(self, submitted: dt.date, not_before: dt.date) -> Meeting:
        """Like services.next_meeting: first meeting whose cut-off the application met."""
        i = bisect.bisect_left(self.cutoffs, submitted)
        while self.meetings[i].date < not_before:
            i += 1
        return self.meetings[i]

    def _organisations(self):
        n_orgs = max(2, self.n // 20)
        password = make_password("demo")
        users = [
            User(
                email=f"mitglied{i}@verein{i}.example",
                first_name="Erika",
                last_name=f"Muster {i}",
                password=password,
            )
            for i in range(n_orgs)
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        orgs = [
            Organisation(
                name=f"Verein {i} für {PLACES[i % len(PLACES)]} e.V.",
                legal_form=LEGAL_FORMS[i % len(LEGAL_FORMS)],
                street=f"Lämmertwiete {i % 90 + 1}",
                postcode="21073",
                contact_name=f"Erika Muster {i}",
                email=f"verein{i}@verein{i}.example",
                charitable=i % 3 != 0,
                account_holder=f"Verein {i} e.V.",
                iban="DE89370400440532013000",
            )
            for i in range(n_orgs)
        ]
        Organisation.objects.bulk_create(orgs, batch_size=BATCH)
        Organisation.members.through.objects.bulk_create(
            [
                Organisation.members.through(organisation_id=o.pk, user_id=u.pk)
                for o, u in zip(orgs, users, strict=True)
            ],
            batch_size=BATCH,
        )
        self.rows.update({User._meta.db_table: n_orgs, Organisation._meta.db_table: n_orgs})
        # Organisation 0 is the big one: it files 1 % of all applications (at least 50).
        self.org_ids = [o.pk for o in orgs]
        self.user_of_org = {o.pk: u.pk for o, u in zip(orgs, users, strict=True)}
        self.account_of_org = {o.pk: (o.account_holder or o.name, o.iban) for o in orgs}
        big_share = max(50, self.n // 100)
        self.big_org = orgs[0].pk
        self.big_user = users[0].pk
        self.big_indexes = set(self.rng.sample(range(self.n), big_share))

    # applications and everything hanging off them

    def _timeline(self, status):
        """Moments of an application's life; all in the past."""
        if status in SUBMITTED_DAYS_AGO:
            low, high = SUBMITTED_DAYS_AGO[status]
        elif status == "rejected":
            low, high = 60, 60 + 365 * YEARS
        else:  # closed
            low, high = 200, 200 + 365 * YEARS
        s = self.now - dt.timedelta(days=self.rng.uniform(low, high))
        t = {"submit": s, "complete": s + dt.timedelta(days=3), "recommend": s + dt.timedelta(days=10)}
        if status == "on_agenda":
            t["meeting"] = self.bench_meeting
        elif status != "draft":
            t["meeting"] = self._meeting_for(timezone.localdate(s), timezone.localdate(t["recommend"]))
        if "meeting" in t:
            decided = timezone.make_aware(dt.datetime.combine(t["meeting"].date, dt.time(18)))
            t["decided"] = max(decided, t["recommend"] + dt.timedelta(hours=1))
            t["letter"] = t["decided"] + dt.timedelta(days=1)
            t["final"] = t["letter"] + dt.timedelta(days=2)
            t["paid"] = t["final"] + dt.timedelta(days=5)
            t["reported"] = t["paid"] + dt.timedelta(days=60)
            t["closed"] = t["reported"] + dt.timedelta(days=10)
        limit = self.now - dt.timedelta(hours=1)
        return {k: (min(v, limit) if isinstance(v, dt.datetime) else v) for k, v in t.items()}

    def _chunk(self, start, stop):
        rng = self.rng
        specs = []
        apps = []
        for i in range(start, stop):
            status = self.statuses[i]
            org = self.big_org if i in self.big_indexes else self.org_ids[rng.randrange(1, len(self.org_ids))]
            t = self._timeline(status)
            requested = Decimal(rng.randrange(300, 5001, 50))
            total = (requested * Decimal("1.25")).quantize(Decimal("1"))
            project_start = timezone.localdate(t["submit"]) + dt.timedelta(days=45)
            app = Application(
                fund=self.fund,
                organisation_id=org,
                created_by_id=self.user_of_org[org],
                status=status,
                title=f"{TITLES[i % len(TITLES)]} {i}",
                summary=f"{TITLES[i % len(TITLES)]}: ein Projekt für mehr Sicherheit im Quartier. " * 3,
                target_group=GROUPS[i % len(GROUPS)],
                neighbourhood=PLACES[i % len(PLACES)],
                start_date=project_start,
                end_date=project_start + dt.timedelta(days=60),
                own_funds=total - requested,
                requested_amount=requested,
                declared_not_started=True,
                declared_no_double_funding=True,
                declared_truthful=True,
                declared_privacy=True,
                created=t["submit"] - dt.timedelta(days=2),
            )
            if status != "draft":
                year = t["submit"].year
                self.ref_seq[year] += 1
                app.reference = f"{self.fund.reference_prefix}-{year}-{self.ref_seq[year]:05d}"
                app.submitted_at = t["submit"]
                app.meeting_id = t["meeting"].pk
            if status in ("approved", "paid", "reported", "closed"):
                app.appeal_waived_at = t["final"]
            if status in ("paid", "reported", "closed"):
                app.report_due = app.end_date + dt.timedelta(weeks=self.fund.report_weeks)
            if status == "closed":
                app.closed_at = t["closed"]
            apps.append(app)
            specs.append((app, status, t))
        self._insert(Application, apps)

        cost_lines = Rows(CostLine, ["application_id", "description", "amount"])
        aims = Rows(Application.aims.through, ["application_id", "aim_id"])
        audit = Rows(
            AuditEvent,
            ["actor_id", "at", "action", "fund_id", "application_id", "object_type", "object_id", "before", "after",
             "previous_hash", "hash"],
        )  # fmt: skip
        for app, status, t in specs:
            total = app.own_funds + app.requested_amount
            honorare = (total * Decimal("0.6")).quantize(Decimal("0.01"))
            cost_lines.add(app.pk, "Honorare", honorare)
            cost_lines.add(app.pk, "Sachkosten", total - honorare)
            for k in (0, 3):
                aims.add(app.pk, self.aims[(app.pk + k) % 7].pk)
            applicant = app.created_by_id
            self._audit(audit, applicant, app.created, "application_create", app.pk, {}, {"title": app.title})
            before = "draft"
            for action in TRANSITIONS_OF[status]:
                actor = applicant if action in ("submit", "report") else self.chair.pk if action in (
                    "approve", "reject") else self.office.pk  # fmt: skip
                target = str(TRANSITIONS[action].target)
                self._audit(audit, actor, t[TRANSITION_TIME[action]], action, app.pk, {"status": before},
                            {"status": target})  # fmt: skip
                before = target
        for rows in (cost_lines, aims, audit):
            self._write(rows)
        del cost_lines, aims, audit

        self._processes([s for s in specs if s[1] != "draft"])
        self._decisions([s for s in specs if s[1] not in ("draft", "submitted", "revision", "assessment")])

        revisions = Rows(RevisionRequest, ["application_id", "message", "deadline", "requested_by_id", "requested_at"])
        for app, status, t in specs:
            if status == "revision":
                deadline = timezone.localdate(t["complete"]) + dt.timedelta(days=14)
                revisions.add(app.pk, "Bitte reichen Sie ein Angebot für die Sachkosten nach.", deadline,
                              self.office.pk, t["complete"])  # fmt: skip
        self._write(revisions)

    def _audit(self, rows, actor, at, action, application, before, after):
        """An event on an application as the next link of the fund's hash chain, as services.audit
        writes it (the chain runs in primary-key order: COPY numbers the rows in the order given)."""
        object_id = str(application)
        at = at.astimezone(dt.UTC)  # as the database gives it back: the hash covers at.isoformat()
        event = SimpleNamespace(
            actor_id=actor, at=at, action=action, application_id=application, fund_id=self.fund.pk,
            object_type="grants.Application", object_id=object_id, before=before, after=after,
        )  # fmt: skip
        digest = event_hash(self.last_hash, event)
        rows.add(actor, at, action, self.fund.pk, application, "grants.Application", object_id, json.dumps(before),
                 json.dumps(after), self.last_hash, digest)  # fmt: skip
        self.last_hash = digest

    def _processes(self, specs):
        processes = [
            Process(
                flow_class=self.flow_ref,
                status=PROCESS.NEW if PATHS[status][1] else PROCESS.DONE,
                created=t["submit"],
                finished=None if PATHS[status][1] else t["closed" if status == "closed" else "letter"],
            )
            for app, status, t in specs
        ]
        self._insert(Process, processes)
        # ApplicationProcess is a multi-table child of Process: bulk_create cannot write it, so its rows go in raw.
        children = [(p.pk, app.pk, app.fund_id) for p, (app, _s, _t) in zip(processes, specs, strict=True)]
        copy_rows("workflows_applicationprocess", ["process_ptr_id", "application_id", "fund_id"], children)
        self.rows["workflows_applicationprocess"] += len(children)
        tasks = Rows(
            Task,
            [
                "process_id", "flow_task", "flow_task_type", "status", "created", "finished", "owner_id", "assigned",
                "started", "owner_permission", "owner_permission_content_type_id", "owner_permission_obj_pk",
            ],
        )  # fmt: skip
        fund_ct, fund_pk, office = self.fund_ct.pk, str(self.fund.pk), self.office.pk
        for process, (_app, status, t) in zip(processes, specs, strict=True):
            done, waiting = PATHS[status]
            for node, state in [(node, STATUS.DONE) for node in done] + ([(waiting, STATUS.NEW)] if waiting else []):
                created_key, finished_key = NODE_TIMES[node]
                created = t[created_key]
                finished = t[finished_key or created_key] if state == STATUS.DONE else None
                if node.task_type == "HUMAN":
                    owner = office if state == STATUS.DONE else None
                    tasks.add(process.pk, self.task_refs[node], "HUMAN", str(state), created, finished, owner,
                              finished and created, finished and created, OFFICE_TASK, fund_ct, fund_pk)  # fmt: skip
                else:
                    tasks.add(process.pk, self.task_refs[node], node.task_type, str(state), created, finished, None,
                              None, None, None, None, None)  # fmt: skip
        self._write(tasks)

    def _decisions(self, specs):
        """Recommendation, agenda item and its first motion (the recommendation, as
        put_on_agenda makes it) for every application that reached the agenda; the closed
        motion, decision, letter, money and report for those further on."""
        recommendations = []
        for app, status, t in specs:
            motion = Recommendation.REJECT if rejection_recommended(app, status) else Recommendation.APPROVE
            approve = motion == Recommendation.APPROVE
            recommendations.append(
                Recommendation(
                    application_id=app.pk,
                    motion=motion,
                    amount=app.requested_amount if approve else 0,
                    financing_type="gap",
                    conditions=CONDITIONS if approve else "",
                    reasoning=FITS if approve else DOES_NOT_FIT,
                    author_id=self.office.pk,
                    created=t["recommend"],
                )
            )
        self._insert(Recommendation, recommendations)
        items = []
        for (app, status, t), recommendation in zip(specs, recommendations, strict=True):
            meeting = t["meeting"]
            self.agenda_position[meeting.pk] += 1
            position = self.agenda_position[meeting.pk]
            if status == "on_agenda":  # the meeting in session: the chair called its items one after the other
                opened_at, closed_at = self.session_opened + dt.timedelta(seconds=30 * position), None
            else:  # decided at a past meeting, a few minutes after the chair called it
                opened_at, closed_at = t["decided"] - dt.timedelta(minutes=5), t["decided"]
                self.last_decided[meeting.pk] = max(self.last_decided.get(meeting.pk, closed_at), closed_at)
            items.append(
                AgendaItem(
                    meeting_id=meeting.pk,
                    application_id=app.pk,
                    recommendation_id=recommendation.pk,
                    position=position,
                    opened_at=opened_at,
                    closed_at=closed_at,
                )
            )
        self._insert(AgendaItem, items)
        motions = []
        for (_app, status, t), recommendation, item in zip(specs, recommendations, items, strict=True):
            motion = Motion(
                agenda_item_id=item.pk,
                kind=recommendation.motion,
                amount=recommendation.amount,
                financing_type=recommendation.financing_type,
                conditions=recommendation.conditions,
                put_at=t["recommend"],
            )
            if status != "on_agenda":
                # Closed by the chair: adopted as recommended (4 yes), or an approval voted down
                # (1 yes, 3 no), which within the cap is a rejection (rules.steering.item_outcome).
                adopted = status != "rejected" or recommendation.motion == Recommendation.REJECT
                motion.result = Motion.Result.ADOPTED if adopted else Motion.Result.NOT_ADOPTED
                motion.votes_yes, motion.votes_no = (4, 0) if adopted else (1, 3)
                motion.closed_at, motion.closed_by_id = t["decided"], self.chair.pk
            motions.append(motion)
        self._insert(Motion, motions)
        decided = [
            (s, item, motion) for s, item, motion in zip(specs, items, motions, strict=True) if s[1] != "on_agenda"
        ]
        decisions = []
        for (app, status, t), item, motion in decided:
            approve = status != "rejected"
            letter_date = timezone.localdate(t["letter"])
            notified_on = dates.deemed_notified(letter_date, days=self.fund.notification_days)
            decision = Decision(
                application_id=app.pk,
                agenda_item_id=item.pk,
                motion_id=motion.pk,
                kind=Decision.APPROVE if approve else Decision.REJECT,
                reasons="" if approve else DOES_NOT_FIT,
                decided_at=t["decided"],
                signed_by_id=self.chair.pk,
                presided_as=roles.CHAIR,
                # The letter (a Document below) went out on t["letter"] and states these dates.
                notified_on=notified_on,
                appeal_ends_on=dates.appeal_period_end(
                    notified_on, months=self.fund.appeal_months, state=self.fund.state
                ),
            )
            if approve:  # as services.steering._approve: the financing plan of the motion adopted
                plan = financing_plan(
                    motion.financing_type,
                    total_costs=app.own_funds + app.requested_amount,  # the two cost lines
                    own_funds=app.own_funds,
                    own_work=app.own_work,
                    third_party_funds=app.third_party_funds,
                    amount=motion.amount,
                )
                for field, value in plan.decision_fields().items():
                    setattr(decision, field, value)
                decision.conditions = motion.conditions
            decisions.append(decision)
        self._insert(Decision, decisions)
        documents = Rows(Document, ["application_id", "decision_id", "kind", "file", "sha256", "created"])
        ledger = Rows(LedgerEntry, ["fiscal_year_id", "application_id", "kind", "amount", "created"])
        payouts = Rows(Payout, ["application_id", "amount", "paid_on", "paid_by_id", "account_holder", "iban"])
        reports = Rows(
            Report,
            ["application_id", "narrative", "actual_costs", "unused_amount", "receipts", "submitted_at",
             "reviewed_at", "review_note"],
        )  # fmt: skip
        for ((app, status, t), _item, _motion), decision in zip(decided, decisions, strict=True):
            kind = Document.APPROVAL if decision.kind == Decision.APPROVE else Document.REJECTION
            letter = t["letter"]
            documents.add(app.pk, decision.pk, kind, f"letters/{letter.year}/{kind}-{app.pk}.pdf", "0" * 64, letter)
            if decision.kind != Decision.APPROVE:
                continue
            # Commitment and payouts are booked in the year of the decision (services.ledger, services.payouts).
            fiscal_year = self.fiscal_years[timezone.localdate(t["decided"]).year].pk
            ledger.add(fiscal_year, app.pk, LedgerEntry.COMMIT, decision.amount, t["decided"])
            self.committed[fiscal_year] += decision.amount
            if status == "approved":
                continue
            payouts.add(app.pk, decision.amount, timezone.localdate(t["paid"]), self.office.pk,
                        *self.account_of_org[app.organisation_id])  # fmt: skip
            ledger.add(fiscal_year, app.pk, LedgerEntry.PAYOUT, decision.amount, t["paid"])
            self.paid[fiscal_year] += decision.amount
            if status == "paid":
                continue
            closed = status == "closed"
            reports.add(
                app.pk, "Das Projekt lief wie geplant. " * 5, app.own_funds + app.requested_amount, Decimal(0),
                "01.06. Druckerei Harburg, Plakate, 250,00 EUR\n" * 4, t["reported"],
                t["closed"] if closed else None, "Nachweis vollständig." if closed else "",
            )  # fmt: skip
        for rows in (documents, ledger, payouts, reports):
            self._write(rows)

    def _meetings(self):
        """The calendar as the services leave it: past meetings closed (opened at the fund's
        meeting time, closed after their last decision), with the papers sent out, the first four
        members present (the four votes of each decided motion) and approved minutes; the
        meeting measured in session since 45 minutes; later meetings planned."""
        fund, chair = self.fund, self.chair.pk
        present = [member.pk for member in self.people["members"][:4]]
        attendance, held = [], []
        documents = Rows(Document, ["meeting_id", "kind", "file", "sha256", "created", "created_by_id"])

        def at(day, time):
            return timezone.make_aware(dt.datetime.combine(day, time))

        def papers(meeting):  # the invitation went out with the meeting papers
            meeting.invited_at = at(meeting.date - dt.timedelta(days=fund.invitation_days), dt.time(9))
            path = f"letters/{meeting.invited_at.year}/{Document.AGENDA_PACK}-{meeting.date}.pdf"
            documents.add(meeting.pk, Document.AGENDA_PACK, path, "0" * 64, meeting.invited_at, None)

        for meeting in self.meetings:
            if meeting.date < self.today:
                meeting.status = Meeting.Status.CLOSED
                meeting.opened_at = at(meeting.date, fund.meeting_time)
                last = self.last_decided.get(meeting.pk)
                meeting.closed_at = max(meeting.opened_at + dt.timedelta(hours=2), last or meeting.opened_at)
                if last:
                    meeting.closed_at += dt.timedelta(minutes=5)
                if self.agenda_position[meeting.pk]:
                    papers(meeting)
                    recorded = meeting.opened_at + dt.timedelta(minutes=2)
                    attendance += [Attendance(meeting=meeting, member_id=m, recorded_at=recorded) for m in present]
                    approved = min(meeting.closed_at + dt.timedelta(days=3), self.now - dt.timedelta(minutes=30))
                    path = f"letters/{approved.year}/{Document.MINUTES}-{meeting.date}.pdf"
                    documents.add(meeting.pk, Document.MINUTES, path, "0" * 64, approved, chair)
                held.append(meeting)
            elif meeting.pk == self.bench_meeting.pk:
                meeting.status, meeting.opened_at = Meeting.Status.OPEN, self.session_opened
                papers(meeting)
                held.append(meeting)
        Meeting.objects.bulk_update(held, ["status", "opened_at", "closed_at", "invited_at"], batch_size=BATCH)
        self._insert(Attendance, attendance)
        self._write(documents)

    def _agenda_votes(self):
        """On the meeting in session that the page shows: who is present, an amended motion,
        votes on the open motions, one conflict of interest, a standing declaration that flags
        an item for the member measured, and a written procedure objected to before the meeting."""
        items = list(
            AgendaItem.objects.filter(meeting=self.bench_meeting, closed_at=None)
            .select_related("application")
            .order_by("position")
        )
        motions = {m.agenda_item_id: m for m in Motion.objects.filter(agenda_item__in=items, result=Motion.Result.OPEN)}
        chair, spd, cdu, gruene, linke, polizei = self.people["members"]
        # As services.attendance_record: the five members with a vote are present (and the police,
        # without one), so the member measured may vote on every item called.
        recorded = self.session_opened + dt.timedelta(minutes=1)
        self._insert(
            Attendance,
            [
                Attendance(meeting=self.bench_meeting, member=member, recorded_at=recorded)
                for member in (chair, spd, cdu, gruene, linke, polizei)
            ],
        )
        if len(items) > 2:
            # As services.motion_put: the chair withdrew the recommendation (before any vote)
            # and put a reduced amount, an amended motion.
            put_at = items[2].opened_at + dt.timedelta(minutes=5)
            first = motions[items[2].pk]
            first.result, first.closed_at, first.closed_by = Motion.Result.WITHDRAWN, put_at, chair
            first.save(update_fields=["result", "closed_at", "closed_by"])
            reduced = Motion(
                agenda_item=items[2],
                kind=MotionKind.APPROVE,
                amount=(first.amount * Decimal("0.8")).quantize(Decimal("1")),
                financing_type=first.financing_type,
                conditions=first.conditions,
                amended=True,
                put_by=chair,
                put_at=put_at,
            )
            self._insert(Motion, [reduced])
            motions[items[2].pk] = reduced
        votes, conflicts = [], []
        for n, item in enumerate(items):
            voters = [chair, cdu, gruene] if n < 10 else []
            voters += [spd] if n < 5 else []
            for member in voters:
                votes.append(
                    Vote(
                        motion=motions[item.pk], member=member, choice=Vote.YES if n % 4 else Vote.NO, cast_at=self.now
                    )
                )
        if len(items) > 6:
            conflicts.append(
                ConflictDeclaration(
                    agenda_item=items[6], member=linke, reason="Mitglied im Verein", declared_at=self.now
                )
            )
        self._insert(Vote, votes)
        self._insert(ConflictDeclaration, conflicts)
        if len(items) > 7:
            # As services.tie_declare: the member measured sits on the board of an applicant;
            # its open items are flagged for the member to confirm or dismiss.
            organisation = items[7].application.organisation_id
            tie = MemberTie(fund=self.fund, member=spd, organisation_id=organisation, note="Vorstandsmitglied")
            self._insert(MemberTie, [tie])
            flagged = [item for item in items if item.application.organisation_id == organisation]
            self._insert(ConflictFlag, [ConflictFlag(agenda_item=item, member=spd, tie=tie) for item in flagged])
        if len(items) > 11:
            # As services.circular_start/close: a written procedure two weeks ago, while the meeting
            # was planned; one objection sent the item to the meeting, its motion stays open.
            started = self.now - dt.timedelta(days=14)
            procedure = CircularProcedure(
                agenda_item=items[11],
                motion=motions[items[11].pk],
                started_by=chair,
                started_at=started,
                deadline=started + dt.timedelta(days=7),
                result=CircularProcedure.Result.OBJECTED,
                closed_at=started + dt.timedelta(days=7),
            )
            self._insert(CircularProcedure, [procedure])
            answers = [(chair, CircularBallot.YES, 1), (spd, CircularBallot.YES, 1), (cdu, CircularBallot.OBJECT, 2),
                       (gruene, "", None), (linke, CircularBallot.NO, 3)]  # fmt: skip
            ballots = [
                CircularBallot(
                    procedure=procedure,
                    member=member,
                    choice=choice,
                    cast_at=started + dt.timedelta(days=days) if days else None,
                )  # fmt: skip
                for member, choice, days in answers
            ]
            self._insert(CircularBallot, ballots)
        AuditChain.objects.filter(key=self.chain_key).update(last_hash=self.last_hash)

    def _fiscal_year_totals(self):
        """The years' running totals are what the ledger rows add up to (no release is written).
        The demo's budget of 40 000 EUR cannot carry N grants, so each year's budget is what was
        committed in it, rounded up to whole thousands, plus those 40 000 EUR: the CHECK
        budget >= committed - released holds and every year has money left."""
        for fiscal_year in self.fiscal_years.values():
            fiscal_year.committed = Decimal(self.committed[fiscal_year.pk])
            fiscal_year.released = Decimal("0.00")
            fiscal_year.paid = Decimal(self.paid[fiscal_year.pk])
            bound = fiscal_year.committed - fiscal_year.released
            fiscal_year.budget = (bound / 1000).to_integral_value(rounding=ROUND_CEILING) * 1000 + BUDGET
            fiscal_year.last_reference_number = self.ref_seq.get(fiscal_year.year, 0)
            fiscal_year.save(update_fields=["budget", "committed", "released", "paid", "last_reference_number"])

    def _insert(self, model, objs):
        """bulk_create in batches: for the tables whose new primary keys the seeding needs."""
        if objs:
            model.objects.bulk_create(objs, batch_size=BATCH)
        self.rows[model._meta.db_table] += len(objs)

    def _write(self, rows):
        rows.write()
        self.rows[rows.label] += len(rows.rows)


def _db_default(field):
    """A field's default as a value the database driver takes as is."""
    if not field.has_default():
        return field.get_default()  # as Django saves it: "" for a string column that is not nullable, else None
    value = field.get_default()
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    if value is None or isinstance(value, (str, int, float, Decimal, dt.date)):
        return value
    return str(value)  # e.g. viewflow's Token


class Rows:
    """Rows of one table given as tuples of database values; the other columns get their
    field defaults. Written with COPY on PostgreSQL: several times faster than bulk_create,
    which spends most of its time turning model instances into parameters."""

    def __init__(self, model, attnames):
        fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
        rest = [f for name, f in fields.items() if name not in attnames]
        self.table = model._meta.db_table
        self.columns = [fields[name].column for name in attnames] + [f.column for f in rest]
        self.defaults = tuple(_db_default(f) for f in rest)
        self.label = model._meta.db_table
        self.rows = []

    def add(self, *values):
        self.rows.append(values + self.defaults)

    def write(self):
        copy_rows(self.table, self.columns, self.rows)


def copy_rows(table, columns, rows):
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            ops = connection.ops

            def adapt(value):
                if isinstance(value, dt.datetime):
                    return ops.adapt_datetimefield_value(value)
                if isinstance(value, dt.date):
                    return ops.adapt_datefield_value(value)
                return str(value) if isinstance(value, Decimal) else value

            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, [tuple(map(adapt, row)) for row in rows[start : start + BATCH]])


def check_consistency():
    """Stop if the seeded data breaks a rule the services keep that no database constraint checks."""
    problems = []
    ledger = Counter()
    for row in LedgerEntry.objects.values("fiscal_year", "kind").annotate(total=Sum("amount")).order_by():
        ledger[row["fiscal_year"], row["kind"]] = row["total"]
    for fy in FiscalYear.objects.all():
        for field, kinds in [("committed", ["commit"]), ("released", ["release", "reversal"]), ("paid", ["payout"])]:
            if getattr(fy, field) != sum((ledger[fy.pk, kind] for kind in kinds), Decimal("0.00")):
                problems.append(f"fiscal year {fy.year}: {field} {getattr(fy, field)} is not the ledger's sum")
    items = AgendaItem.objects.annotate(
        motions_open=Count("motions", filter=Q(motions__result=Motion.Result.OPEN)), motions_all=Count("motions")
    )
    if items.filter(motions_all=0).exists():
        problems.append("an agenda item without a motion")
    if items.filter(closed_at=None).exclude(motions_open=1).exists():
        problems.append("an open agenda item without exactly one open motion")
    if items.exclude(closed_at=None).exclude(motions_open=0).exists():
        problems.append("a closed agenda item with an open motion")
    if Decision.objects.exclude(motion__agenda_item=models.F("agenda_item")).exists():
        problems.append("a decision on a motion of another agenda item")
    if Decision.objects.filter(documents__isnull=False, appeal_ends_on=None).exists():
        problems.append("a decision with a letter but no appeal period")
    if Meeting.objects.exclude(status=Meeting.Status.PLANNED).filter(opened_at=None).exists():
        problems.append("a meeting in session or closed that was never opened")
    if Meeting.objects.filter(status=Meeting.Status.CLOSED, closed_at=None).exists():
        problems.append("a closed meeting without its closing time")
    if AgendaItem.objects.filter(meeting__status=Meeting.Status.CLOSED, closed_at=None).exists():
        problems.append("an open agenda item on a closed meeting")
    # services.vote_cast: votes only on an item the chair called, by a member recorded as present.
    if Vote.objects.filter(motion__agenda_item__opened_at=None).exists():
        problems.append("a vote on an item not called")
    present = Attendance.objects.filter(
        meeting=models.OuterRef("motion__agenda_item__meeting"), member=models.OuterRef("member")
    )
    if Vote.objects.filter(~models.Exists(present)).exists():
        problems.append("a vote by a member not present")
    for chain in AuditChain.objects.all():
        fund_id = None if chain.key == "installation" else int(chain.key.split(":")[1])
        newest = AuditEvent.objects.filter(fund_id=fund_id).order_by("-pk").values_list("hash", flat=True).first()
        if chain.last_hash != (newest or GENESIS):
            problems.append(f"audit chain {chain.key}: its head is not the newest event")
    if problems:
        raise SystemExit("Seeded data is inconsistent: " + "; ".join(problems))


# The scenario: which users and objects the pages are measured with ------------------------------


def scenario():
    """Find the users and objects to measure in whatever the database holds."""
    fund = Fund.objects.get(slug="harburg")
    office = User.objects.get(email="geschaeftsstelle@lawaetz.example")
    member = User.objects.get(email="spd@harburg.example")
    big_org = Organisation.objects.annotate(n=Count("applications")).order_by("-n", "pk").first()
    applicant = big_org.members.order_by("pk").first()
    # The heaviest file: closed, with recommendation, decision, letter, payout, report and full history.
    closed = big_org.applications.filter(status="closed").order_by("pk").first()
    # The meeting in session with the most open items (any meeting with open items, if none is in session).
    meeting = (
        Meeting.objects.filter(fund=fund, agenda_items__closed_at=None)
        .annotate(n=Count("agenda_items"))
        .order_by(models.Case(models.When(status=Meeting.Status.OPEN, then=0), default=1), "-n", "date")
        .first()
    )
    # The items the member may vote on now: called, not decided, not recused; in session and present.
    votable = 0
    with_vote = fund.roles.filter(user=member, role__in=roles.STEERING, has_vote=True).exists()
    present = meeting.attendance.filter(member=member).exists()
    if meeting.status == Meeting.Status.OPEN and with_vote and present:
        votable = (
            meeting.agenda_items.filter(closed_at=None, opened_at__isnull=False)
            .exclude(conflicts__member=member)
            .count()
        )
    fiscal_year = FiscalYear.objects.get(fund=fund, year=timezone.localdate().year)
    return {
        "fund": fund,
        "office": office,
        "member": member,
        "applicant": applicant,
        "big_org_applications": big_org.n,
        "application": closed,
        "meeting": meeting,
        "agenda_items": meeting.agenda_items.count(),
        "called_items": meeting.agenda_items.filter(closed_at=None, opened_at__isnull=False).count(),
        "votable_items": votable,
        "fiscal_year": fiscal_year,
        "open_office_tasks": Task.objects.filter(
            flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED]
        ).count(),
        "ledger_entries_year": fiscal_year.ledger.count(),
    }


# Measuring -----------------------------------------------------------------------------------------


def normalise(sql):
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    return re.sub(r"\s+", " ", sql)


class QueryTimer:
    """execute_wrapper that times every statement with perf_counter (the debug cursor rounds to 1 ms)."""

    def __init__(self):
        self.calls = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.calls.append((sql, params, 1000 * (time.perf_counter() - started)))


def analyse(captured, timed):
    """Slowest query, most repeated query shape and total SQL time of one captured request."""
    shapes = Counter(normalise(q["sql"]) for q in captured)
    shape, repeats = shapes.most_common(1)[0] if shapes else ("", 0)
    slowest = max(range(len(timed)), key=lambda i: timed[i][2], default=None)
    return {
        "sql_ms": sum(ms for _sql, _params, ms in timed),
        "shapes": shapes.most_common(),
        "repeated_sql": shape,
        "repeats": repeats,
        "slowest_sql": captured[slowest]["sql"] if slowest is not None else "",
        "slowest_query": timed[slowest][:2] if slowest is not None else None,
        "slowest_ms": timed[slowest][2] if slowest is not None else 0.0,
    }


def explain(query):
    if query is None or connection.vendor != "postgresql" or not query[0].lstrip().upper().startswith("SELECT"):
        return ""
    sql, params = query
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def profile(call):
    """Where the time of one request goes, from cProfile (which slows Python code down, so the
    shares matter, not the absolute figures)."""
    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(entry[2] for entry in stats.stats.values())

    def cumulative(file_end, function):
        return sum(
            v[3] for (file, _line, name), v in stats.stats.items() if file.endswith(file_end) and name == function
        )

    sql = cumulative("django/db/backends/utils.py", "_execute")
    orm = cumulative("django/db/models/query.py", "_fetch_all")
    urls = cumulative("django/urls/base.py", "reverse")
    lines = [
        f"profiled request: {1000 * total:.0f} ms; SQL (driver round trips) {100 * sql / total:.0f} %, "
        f"ORM fetch incl. SQL and building model instances {100 * orm / total:.0f} %, "
        f"URL reversing {100 * urls / total:.0f} %, the rest is mostly template rendering",
        "",
    ]
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("tottime").print_stats(12)
    text = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(text) if "ncalls" in line), 0)
    site = str(Path(django.__file__).resolve().parent.parent) + "/"
    lines += [line.replace(str(BASE_DIR) + "/", "").replace(site, "") for line in text[start:] if line.strip()]
    return "\n".join(lines)


def measure(name, call, repeat, *, rows="", check=None):
    """Warm up once, capture the queries of one call, then time `repeat` calls."""
    result = call()
    if check:
        check(result)
    timer = QueryTimer()
    with connection.execute_wrapper(timer), CaptureQueriesContext(connection) as ctx:
        result = call()
    captured = list(ctx.captured_queries)  # the next request resets the connection's query log
    if check:
        check(result)
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = call()
        times.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - started_cpu))
        if check:
            check(result)
    row = {
        "page": name,
        "queries": len(captured),
        "median_ms": statistics.median(times),
        "min_ms": min(times),
        "cpu_ms": statistics.median(cpu),
        "rows": rows,
    }
    row.update(analyse(captured, timer.calls))
    if row["median_ms"] > SLOW_MS:
        row["profile"] = profile(call)
        row["explain"] = explain(row["slowest_query"])
    return row


def page(client, url, vote_forms=None):
    def call():
        response = client.get(url)
        return response

    def check(response):
        assert response.status_code == 200, f"GET {url} answered {response.status_code}"
        if vote_forms is not None:
            shown = response.content.count(b'class="vote-form"')
            assert shown == vote_forms, f"GET {url} shows {shown} vote forms, not {vote_forms}"

    return call, check


def run_pages(s, repeat):
    clients = {}

    def client_for(user):
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        return clients[user.pk]

    pk = s["application"].pk
    pages = [
        # Both lists are paginated: the first page is measured, the label gives the rows in all.
        ("office queue", "/geschaeftsstelle/", s["office"], f"page 1 of {s['open_office_tasks']} open tasks"),
        ("applicant list", "/antraege/", s["applicant"], f"page 1 of {s['big_org_applications']} applications"),
        ("applicant detail", f"/antraege/{pk}/", s["applicant"], "closed file"),
        ("staff file", f"/akten/{pk}/", s["office"], "closed file"),
        (
            "meeting",
            f"/sitzungen/{s['meeting'].pk}/",
            s["member"],
            f"{s['agenda_items']} agenda items; meeting status {s['meeting'].status}, "
            f"{s['called_items']} items called, {s['votable_items']} vote forms for the member",
        ),
    ]
    results = []
    for name, url, user, rows in pages:
        # The member's meeting page must offer a vote form on every item the member may vote on.
        call, check = page(client_for(user), url, s["votable_items"] if name == "meeting" else None)
        row = measure(f"{name} `GET {url}`", call, repeat, rows=rows, check=check)
        results.append(row)
        print(f"    {name:<18} {row['queries']:>4} queries {row['median_ms']:>8.1f} ms  (CPU {row['cpu_ms']:.1f} ms)")
    # The money left in the current year, as the meeting page and the vote-close page read it:
    # one fiscal-year row with its running totals, no ledger scan.
    fund, year = s["fund"], s["fiscal_year"].year
    row = measure(
        f"selector `current_fiscal_year(fund).available` ({year})",
        lambda: selectors.current_fiscal_year(fund).available,
        repeat,
        rows=f"1 fiscal year (its {s['ledger_entries_year']} ledger entries not read)",
    )
    results.append(row)
    print(f"    {'available money':<18} {row['queries']:>4} queries {row['median_ms']:>8.1f} ms")
    return results


# Report ----------------------------------------------------------------------------------------------


def shell(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "(not available)"


def machine_facts():
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    ) if Path("/proc/cpuinfo").exists() else platform.processor()  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        db_version = cursor.fetchone()[0]
    return {
        "nproc": shell(["nproc"]),
        "free -g": shell(["free", "-g"]),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"{connection.vendor} ({connection.settings_dict['ENGINE']}): {db_version}",
    }


def source_digest():
    """Fingerprint of the application code measured (others may change it between runs)."""
    digest = hashlib.sha256()
    for folder in ("accounts", "config", "grants", "notifications", "templates", "workflows"):
        for path in sorted((BASE_DIR / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(BASE_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def command_line():
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.password:
        url = urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))
    env = [f"DATABASE_URL={url}"] if url else []
    if os.environ.get("VAR_DIR"):
        env.append(f"VAR_DIR={os.environ['VAR_DIR']}")
    script = f"bench/{Path(sys.argv[0]).name}"  # run.py, or office.py that imports it
    return " ".join(env + [".venv/bin/python", script, *map(shlex.quote, sys.argv[1:])])


def clip(sql, length=400):
    sql = re.sub(r"\s+", " ", sql)
    sql = re.sub(r"^SELECT (DISTINCT )?.*? FROM ", r"SELECT \1… FROM ", sql)  # the column list says little
    return sql if len(sql) <= length else sql[:length] + " …"


def render(runs, facts, started_at):
    out = [
        "# Benchmark results",
        "",
        f"- Date: {started_at:%Y-%m-%d %H:%M %Z}",
        f"- Command: `{command_line()}`",
        f"- Database: {facts['database']}",
        "- Code measured (sha256 of accounts/ config/ grants/ notifications/ templates/ workflows/ at each "
        "measurement): " + ", ".join(f"{run['size']}: `{run['source']}`" for run in runs),
        f"- Machine: {facts['nproc']} cores (`nproc`), {facts['cpu']}; "
        f"Python {facts['python']}, Django {facts['django']}",
        "- `free -g`:",
        "",
        "```",
        facts["free -g"],
        "```",
        "",
        "Queries: SQL statements of one request (session and user lookup included). Median and min: wall "
        "time of the request through `django.test.Client` (middleware, view, template) over the timed runs "
        "after one warm-up. CPU ms: median CPU time of the Django process per request (less affected by other "
        "load on the machine than wall time; excludes the database server). SQL ms: time spent in the database "
        "during the captured request. See bench/README.md.",
    ]
    for run in runs:
        n = run["size"]
        out += [
            "",
            f"## {n:,} applications".replace(",", " "),
            "",
            f"Seeded in {run['seed_s']:.0f} s: "
            + ", ".join(f"{v:,} {k}".replace(",", " ") for k, v in run["rows"].items())
            + ". By status: "
            + ", ".join(f"{k} {v}" for k, v in run["counts"].items())
            + ".",
            "",
            f"Load average (1 min) of the machine while measuring: {run['load']:.2f} on {facts['nproc']} cores.",
            "",
            "| page | queries | median ms | min ms | CPU ms | SQL ms | most repeated query | on the page |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for row in run["results"]:
            out.append(
                f"| {row['page']} | {row['queries']} | {row['median_ms']:.1f} | {row['min_ms']:.1f} "
                f"| {row['cpu_ms']:.1f} | {row['sql_ms']:.1f} | {row['repeats']}× | {row['rows']} |"
            )
        out += ["", "<details><summary>Slowest and most repeated SQL per page</summary>", ""]
        for row in run["results"]:
            out += [
                f"**{row['page']}**",
                "",
                f"- slowest ({row['slowest_ms']:.1f} ms): `{clip(row['slowest_sql'])}`",
                f"- most repeated ({row['repeats']}×): `{clip(row['repeated_sql'])}`",
                "- all queries of the request, by shape:",
                "",
                *[f"  - {count}× `{clip(shape, 160)}`" for shape, count in row["shapes"]],
                "",
            ]
            if row.get("profile"):
                out += ["Profile of one request (slower than the page median):", "", "```", row["profile"], "```", ""]
            if row.get("explain"):
                out += ["EXPLAIN ANALYZE of the slowest query:", "", "```", row["explain"], "```", ""]
        out.append("</details>")
    if len(runs) > 1:
        out += ["", "## Growth with N", "", "| page | " + " | ".join(f"{r['size']} q / ms" for r in runs) + " |"]
        out.append("|---|" + "---:|" * len(runs))
        for i, row in enumerate(runs[0]["results"]):
            cells = [f"{r['results'][i]['queries']} / {r['results'][i]['median_ms']:.1f}" for r in runs]
            out.append(f"| {re.sub(r'/[0-9]+/', '/<pk>/', row['page'])} | " + " | ".join(cells) + " |")
        out += ["", "Findings (automatic):", ""]
        findings = []
        for i, row in enumerate(runs[0]["results"]):
            counts = [r["results"][i]["queries"] for r in runs]
            if len(set(counts)) > 1:
                last = runs[-1]["results"][i]
                findings.append(
                    f"- **{row['page']}**: query count changes with N ({' → '.join(map(str, counts))}); "
                    f"most repeated: {last['repeats']}× `{clip(last['repeated_sql'], 200)}`"
                )
        for i, row in enumerate(runs[-1]["results"]):
            first = runs[0]["results"][i]
            if row["median_ms"] > 3 * first["median_ms"] and row["median_ms"] > 50:
                findings.append(
                    f"- **{row['page']}**: same queries, but {row['median_ms'] / first['median_ms']:.1f}× the time "
                    f"({first['median_ms']:.0f} → {row['median_ms']:.0f} ms; on the page: {first['rows']} → "
                    f"{row['rows']})"
                )
        for row in runs[-1]["results"]:
            if row["median_ms"] > SLOW_MS:
                findings.append(
                    f"- **{row['page']}**: {row['median_ms']:.0f} ms at {runs[-1]['size']} (> {SLOW_MS} ms), "
                    f"of which {row['sql_ms']:.0f} ms SQL; slowest query {row['slowest_ms']:.1f} ms"
                )
        for row in runs[-1]["results"]:
            if row["repeats"] > 3:
                findings.append(
                    f"- **{row['page']}**: one query shape runs {row['repeats']}× per request "
                    f"(`{clip(row['repeated_sql'], 200)}`)"
                )
        out += findings or ["- none: constant query counts, every page under the threshold."]
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000], help="numbers of applications")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page (median)")
    parser.add_argument("--open-per-step", type=int, help="open applications per office step (default N/50, 50..400)")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--no-seed", action="store_true", help="measure what the database holds (one size)")
    parser.add_argument("--output", default=str(BASE_DIR / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    if args.no_seed and len(args.sizes) != 1:
        parser.error("--no-seed measures one size")

    started_at = timezone.localtime()
    facts = machine_facts()
    print(f"Database: {facts['database']}")
    runs = []
    for n in args.sizes:
        print(f"== {n} applications")
        open_per_step = args.open_per_step or max(50, min(400, n // 50))
        if args.no_seed:
            seed_s, rows, counts = 0.0, Counter(), Counter()
        else:
            seeder = Seeder(n, open_per_step, args.seed)
            seed_s = seeder.run()
            rows, counts = seeder.rows, seeder.counts
            print(f"    seeded in {seed_s:.0f} s")
            del seeder
            gc.collect()
        s = scenario()
        load = os.getloadavg()[0]
        results = run_pages(s, args.repeat)
        load = max(load, os.getloadavg()[0])
        runs.append(
            {
                "size": n,
                "source": source_digest(),
                "seed_s": seed_s,
                "load": load,
                "rows": dict(rows),
                "counts": dict(counts),
                "results": results,
            }
        )

    report = render(runs, facts, started_at)
    Path(args.output).write_text(report, encoding="utf-8")
    print()
    print(report)
    print(f"Written to {args.output}")


if __name__ == "__main__":
    main()
