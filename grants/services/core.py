"""What every service shares: the audit trail, the locked status transition, and
the checks of who acts for an organisation or a fund."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from notifications.services import notify

from ..models import Application, AuditEvent, Organisation
from ..roles import has_fund_role
from ..status import TRANSITIONS


def audit(*, actor, action, obj, application=None, before=None, after=None) -> AuditEvent:
    """Record who did what to which object, with the values before and after."""
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        application=application,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        before=_jsonable(before or {}),
        after=_jsonable(after or {}),
    )


def _jsonable(values):
    return {
        key: value if isinstance(value, (str, int, bool, type(None))) else str(value) for key, value in values.items()
    }


def lock_application(application: Application) -> Application:
    """Lock the application's row and reload it, so checks see the committed state."""
    Application.objects.select_for_update().filter(pk=application.pk).exists()
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
