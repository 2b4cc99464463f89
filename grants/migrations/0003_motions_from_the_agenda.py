"""Carry existing data into the new shapes: each agenda item gets the motion its
recommendation put to the vote (with the votes and the recorded result), decisions
get their motion and financing plan, payouts the account they went to, and fiscal
years their running totals."""

from decimal import Decimal

from django.db import migrations
from django.db.models import Sum


def forwards(apps, schema_editor):
    AgendaItem = apps.get_model("grants", "AgendaItem")
    Motion = apps.get_model("grants", "Motion")
    Vote = apps.get_model("grants", "Vote")
    Decision = apps.get_model("grants", "Decision")
    Payout = apps.get_model("grants", "Payout")
    FiscalYear = apps.get_model("grants", "FiscalYear")
    CostLine = apps.get_model("grants", "CostLine")

    for item in AgendaItem.objects.select_related("recommendation", "meeting__fund").iterator():
        recommendation = item.recommendation
        decision = Decision.objects.filter(agenda_item=item).first()
        motion = Motion.objects.create(
            agenda_item=item,
            kind=recommendation.motion,
            amount=recommendation.amount,
            financing_type=recommendation.financing_type,
            conditions=recommendation.conditions,
        )
        Vote.objects.filter(agenda_item=item).update(motion=motion)
        if decision is None:
            continue
        present = decision.votes_yes + decision.votes_no + decision.votes_abstain
        if decision.kind == "approve" or (decision.kind == "reject" and recommendation.motion == "reject"):
            result = "adopted"
        elif present < item.meeting.fund.quorum:
            result = "no_quorum"
        else:
            result = "not_adopted"
        Motion.objects.filter(pk=motion.pk).update(
            result=result,
            votes_yes=decision.votes_yes,
            votes_no=decision.votes_no,
            votes_abstain=decision.votes_abstain,
            recused=decision.recused,
            closed_at=item.closed_at,
            closed_by=decision.signed_by,
        )
        decision.motion = motion
        if decision.kind == "approve":
            application = decision.application
            total = CostLine.objects.filter(application=application).aggregate(t=Sum("amount"))["t"] or Decimal(0)
            others = application.own_funds + application.own_work + application.third_party_funds
            gap = max(total - others, Decimal(0))
            decision.own_funds, decision.own_work = application.own_funds, application.own_work
            decision.third_party_funds = application.third_party_funds
            if decision.financing_type == "gap":
                decision.eligible_costs, decision.uncovered = others + decision.amount, Decimal(0)
            else:
                decision.eligible_costs, decision.uncovered = total, max(gap - decision.amount, Decimal(0))
            if decision.eligible_costs:
                decision.share = (decision.amount * 100 / decision.eligible_costs).quantize(Decimal("0.01"))
        decision.save()

    for payout in Payout.objects.select_related("application__organisation"):
        organisation = payout.application.organisation
        payout.account_holder = organisation.account_holder or organisation.name
        payout.iban = organisation.iban
        payout.save(update_fields=["account_holder", "iban"])

    for year in FiscalYear.objects.all():
        def total(*kinds, year=year):
            return year.ledger.filter(kind__in=kinds).aggregate(t=Sum("amount"))["t"] or Decimal(0)

        year.committed = total("commit")
        year.released = total("release", "reversal")
        year.paid = total("payout")
        year.save(update_fields=["committed", "released", "paid"])


class Migration(migrations.Migration):
    dependencies = [("grants", "0002_motions_financing_plans_deadlines_bank_changes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
