"""Standing declarations: a member names the organisations they are tied to, and every agenda
item of such an organisation is flagged for the member to confirm (recusal) or dismiss."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AgendaItem, ConflictFlag, MemberTie
from ..roles import STEERING, has_fund_role
from .core import audit


def flag_ties(item: AgendaItem) -> list[ConflictFlag]:
    """Flag an agenda item for every member tied to the applying organisation."""
    ties = MemberTie.objects.filter(fund_id=item.meeting.fund_id, organisation_id=item.application.organisation_id)
    return [ConflictFlag.objects.get_or_create(agenda_item=item, member_id=tie.member_id, defaults={"tie": tie})[0]
            for tie in ties]  # fmt: skip


@transaction.atomic
def tie_declare(*, fund, member, organisation, note: str) -> MemberTie:
    """Declare a standing tie to an organisation; its open agenda items are flagged at once."""
    if not has_fund_role(member, fund, *STEERING):
        raise ValidationError(_("You are not a member of this body."))
    tie, _created = MemberTie.objects.update_or_create(
        fund=fund, member=member, organisation=organisation, defaults={"note": note}
    )
    for item in AgendaItem.objects.filter(meeting__fund=fund, application__organisation=organisation, closed_at=None):
        flag_ties(item)
    audit(actor=member, action="tie_declare", obj=tie, fund=fund, after={"organisation": organisation.pk, "note": note})
    return tie


@transaction.atomic
def tie_withdraw(*, tie: MemberTie, member) -> None:
    """Withdraw a standing declaration; flags still open on it go with it."""
    if tie.member_id != member.pk:
        raise ValidationError(_("This is not your declaration."))
    tie.flags.filter(status=ConflictFlag.Status.OPEN).delete()
    audit(actor=member, action="tie_withdraw", obj=tie, fund=tie.fund, before={"organisation": tie.organisation_id})
    tie.delete()


@transaction.atomic
def flag_dismiss(*, flag: ConflictFlag, member) -> ConflictFlag:
    """Dismiss a flag as the member it concerns: the tie does not touch this application."""
    flag = ConflictFlag.objects.select_for_update(no_key=True).get(pk=flag.pk)
    if flag.member_id != member.pk or flag.status != ConflictFlag.Status.OPEN:
        raise ValidationError(_("This flag is not open for you."))
    flag.status, flag.decided_at = ConflictFlag.Status.DISMISSED, timezone.now()
    flag.save(update_fields=["status", "decided_at"])
    audit(actor=member, action="flag_dismiss", obj=flag, application=flag.agenda_item.application)
    return flag
