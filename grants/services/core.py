"""What every service shares: the audit trail, the locked status transition, and
the checks of who acts for an organisation or a fund."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify

from ..audit_chain import GENESIS, chain_key, event_hash
from ..models import Application, AuditChain, AuditEvent, Fund, Organisation
from ..roles import has_fund_role
from ..status import TRANSITIONS

# Personal data never enters the append-only trail in clear text, so that deleting a person's
# data at the end of its retention period leaves nothing of it behind in the audit trail.
MASKED = {"email", "phone", "contact_name", "street", "account_holder", "first_name", "last_name"}


@transaction.atomic
def audit(*, actor, action, obj, application=None, fund=None, before=None, after=None) -> AuditEvent:
    """Record who did what to which object, with the values before and after, as the next link
    of the fund's hash chain (the chain's row lock orders concurrent events).

    The chain's lock is held until the transaction ends, so it is the last lock a transaction
    takes: a service locks the application, the agenda items and the fiscal year it needs before
    its first audit event, never after (a lock taken while holding the chain can deadlock)."""
    fund_id = _fund_id(obj, application, fund)
    key = chain_key(fund_id)
    if application is not None:
        # Lock order: the application's row before the fund's chain. The event's foreign key share-locks
        # the application row; taken after the chain, that deadlocks with a transaction that holds the
        # application (FOR UPDATE, e.g. a deadline sweep) and waits for the chain to audit.
        Application.objects.select_for_update(no_key=True).filter(pk=application.pk).exists()
    AuditChain.objects.get_or_create(key=key, defaults={"last_hash": GENESIS})
    chain = AuditChain.objects.select_for_update(no_key=True).get(key=key)
    event = AuditEvent(
        actor=actor if actor and actor.is_authenticated else None,
        at=timezone.now(),
        action=action,
        fund_id=fund_id,
        application=application,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        before=_recordable(before or {}),
        after=_recordable(after or {}),
        previous_hash=chain.last_hash,
    )
    event.hash = event_hash(chain.last_hash, event)
    event.save()
    chain.last_hash = event.hash
    chain.save(update_fields=["last_hash"])
    return event


def _fund_id(obj, application, fund) -> int | None:
    if fund is not None:
        return fund.pk
    if application is not None:
        return application.fund_id
    if isinstance(obj, Fund):
        return obj.pk
    return getattr(obj, "fund_id", None)


def _recordable(values: dict) -> dict:
    return {key: _masked(key, value) if key in MASKED or key == "iban" else _plain(value)
            for key, value in values.items()}  # fmt: skip


def _plain(value):
    return value if isinstance(value, (str, int, bool, type(None))) else str(value)


def _masked(key, value):
    """An IBAN keeps its country, check digits and last four; other personal data only a fingerprint."""
    text = str(value or "")
    if not text:
        return ""
    if key == "iban":
        return f"{text[:4]}…{text[-4:]}"
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:12]


def lock_application(application: Application) -> Application:
    """Lock the application's row and reload it, so checks see the committed state."""
    Application.objects.select_for_update(no_key=True).filter(pk=application.pk).exists()
    application.refresh_from_db()
    return application


def transition(application: Application, name: str, *, actor, **changes) -> None:
    """Move the application along TRANSITIONS[name] under its row lock, saving `changes` with it."""
    step = TRANSITIONS[name]
    lock_application(application)
    if application.status not in step.sources:
        raise ValidationError(
            _("This step is not possible while the application is “%(status)s”.")
            % {"status": application.get_status_display()}
        )
    before = {"status": application.status, **{k: getattr(application, k) for k in changes}}
    application.status = step.target
    for field, value in changes.items():
        setattr(application, field, value)
    application.save(update_fields=["status", *changes])
    audit(
        actor=actor,
        action=name,
        obj=application,
        application=application,
        before=before,
        after={"status": application.status, **changes},
    )


def require_member(organisation: Organisation, actor) -> None:
    if not organisation.members.filter(pk=actor.pk).exists():
        raise ValidationError(_("You do not act for this organisation."))


def require_fund_role(fund, actor, *roles, message) -> None:
    if not has_fund_role(actor, fund, *roles):
        raise ValidationError(message)


def tell_applicant(application: Application, event: str, *, key: str, document=None, **context) -> None:
    """E-mail the organisation's contact address once per key (through the outbox)."""
    notify(
        event,
        emails=[application.organisation.email],
        dedupe_key=key,
        application=application,
        document=document,
        context=context,
    )
