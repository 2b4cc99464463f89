"""Applicants keep their organisation's details, with a validated IBAN."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from grants.models import AuditEvent, BankAccountChange, Organisation
from tests import journey
from tests.factories import OrganisationFactory, UserFactory


def details(organisation, **changes):
    data = {
        "name": organisation.name, "legal_form": organisation.legal_form, "street": organisation.street,
        "postcode": organisation.postcode, "city": organisation.city, "contact_name": organisation.contact_name,
        "email": organisation.email, "phone": "", "account_holder": organisation.account_holder,
        "iban": organisation.iban,
    }  # fmt: skip
    return {**data, **changes}


def test_a_wrong_iban_is_refused_in_german_and_nothing_is_saved(club):
    organisation, user = club
    client = journey.login(user)
    response = client.post(
        f"/organisation/{organisation.pk}/", details(organisation, iban="DE00 1234 5678 9012 3456 78")
    )
    assert response.status_code == 200
    assert "keine gültige IBAN" in response.content.decode()
    assert Organisation.objects.get(pk=organisation.pk).iban == "DE89370400440532013000"


def test_a_valid_iban_is_saved_normalised_and_audited(club):
    organisation, user = club
    client = journey.login(user)
    response = client.post(
        f"/organisation/{organisation.pk}/", details(organisation, iban="de02 1203 0000 0000 2020 51")
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).iban == "DE02120300000000202051"
    event = AuditEvent.objects.get(action="organisation_update")
    assert event.before["iban"] == "DE89…3000"  # the trail keeps no personal data in clear text
    assert event.after["iban"] == "DE02…2051"


def test_another_organisations_details_are_not_found(club):
    organisation, _user = club
    stranger = UserFactory()
    OrganisationFactory(members=[stranger])
    client = journey.login(stranger)
    assert client.get(f"/organisation/{organisation.pk}/").status_code == 404
    assert client.post(f"/organisation/{organisation.pk}/", details(organisation, name="Übernommen")).status_code == 404
    assert Organisation.objects.get(pk=organisation.pk).name == organisation.name


# Rule 9: bank data after approval -------------------------------------------------------------

NEW_IBAN = "DE02120300000000202051"


def approve(application, people):
    """Approve the application, send its letter and waive the appeal: it can be paid at once."""
    from decimal import Decimal

    from grants import services
    from tests.steps import on_agenda, vote

    item = on_agenda(application, people["office"], amount=Decimal("2400"))
    vote(item, people["members"][:4], "yes")
    decision = services.vote_close(agenda_item=item, actor=people["chair"]).decision
    services.decision_letter_issue(decision=decision)
    services.appeal_waive(application=application, actor=application.created_by)
    return application


@pytest.fixture
def approved(application, people):
    return approve(application, people)


def test_before_any_grant_a_new_iban_applies_at_once(club):
    organisation, user = club
    journey.login(user).post(f"/organisation/{organisation.pk}/", details(organisation, iban=NEW_IBAN))
    assert Organisation.objects.get(pk=organisation.pk).iban == NEW_IBAN
    assert not BankAccountChange.objects.exists()


def test_after_approval_a_new_iban_waits_for_the_office_and_payouts_keep_the_confirmed_one(approved, club, people):
    from decimal import Decimal

    from grants import services
    from notifications.models import Notification

    organisation, user = club
    old = organisation.iban
    response = journey.login(user).post(
        f"/organisation/{organisation.pk}/", details(organisation, iban=NEW_IBAN, account_holder="Kasse SV")
    )
    assert response.status_code == 302
    assert Organisation.objects.get(pk=organisation.pk).iban == old
    change = BankAccountChange.objects.get(status="pending")
    assert (change.iban, change.account_holder, change.requested_by) == (NEW_IBAN, "Kasse SV", user)
    assert AuditEvent.objects.filter(action="bank_change_request").exists()
    assert Notification.objects.filter(template="bank_change_requested", email=approved.fund.office_email).exists()
    assert NEW_IBAN in journey.login(user).get(f"/organisation/{organisation.pk}/").content.decode()

    payout = services.payout_record(application=approved, actor=people["office"], amount=Decimal("1000"),
                                    paid_on=dt.date.today())  # fmt: skip
    assert payout.iban == old

    office = journey.login(people["office"])
    assert "1 Änderung der Bankverbindung zu bestätigen" in office.get("/geschaeftsstelle/").content.decode()
    page = office.get("/geschaeftsstelle/bankverbindungen/").content.decode()
    assert NEW_IBAN in page and old in page
    assert office.post(f"/geschaeftsstelle/bankverbindungen/{change.pk}/", {"decision": "confirm"}).status_code == 302
    organisation.refresh_from_db()
    assert (organisation.iban, organisation.account_holder) == (NEW_IBAN, "Kasse SV")
    event = AuditEvent.objects.get(action="bank_change_confirm")
    assert (event.actor, event.before["iban"], event.after["iban"]) == (people["office"], "DE89…3000", "DE02…2051")
    assert Notification.objects.filter(template="bank_change_decided", email=organisation.email).exists()
    from tests.factories import ApplicationFactory

    another = approve(ApplicationFactory(fund=approved.fund, organisation=organisation, created_by=user), people)
    later = services.payout_record(application=another, actor=people["office"], amount=Decimal("2400"),
                                   paid_on=dt.date.today())  # fmt: skip
    assert later.iban == NEW_IBAN


def test_whoever_asked_for_the_change_cannot_confirm_it(approved, club, people):
    from grants import services

    organisation, _user = club
    organisation.members.add(people["office"])  # an office clerk who also sits on the club's board
    services.organisation_update(organisation=organisation, actor=people["office"],
                                 data=details(organisation, iban=NEW_IBAN, charitable=False))  # fmt: skip
    change = BankAccountChange.objects.get(status="pending")
    with pytest.raises(ValidationError, match="selbst veranlasst"):
        services.bank_change_confirm(change=change, actor=people["office"])
    assert Organisation.objects.get(pk=organisation.pk).iban != NEW_IBAN


def test_a_refused_change_keeps_the_confirmed_account(approved, club, people):
    organisation, user = club
    journey.login(user).post(f"/organisation/{organisation.pk}/", details(organisation, iban=NEW_IBAN))
    change = BankAccountChange.objects.get(status="pending")
    journey.login(people["office"]).post(f"/geschaeftsstelle/bankverbindungen/{change.pk}/", {"decision": "reject"})
    change.refresh_from_db()
    assert change.status == "rejected"
    assert Organisation.objects.get(pk=organisation.pk).iban == "DE89370400440532013000"


def test_another_funds_office_neither_sees_nor_confirms_the_change(approved, club):
    from tests.factories import FundFactory, FundRoleFactory

    organisation, user = club
    journey.login(user).post(f"/organisation/{organisation.pk}/", details(organisation, iban=NEW_IBAN))
    change = BankAccountChange.objects.get(status="pending")
    stranger = journey.login(FundRoleFactory(fund=FundFactory(reference_prefix="PR"), role="office").user)
    assert NEW_IBAN not in stranger.get("/geschaeftsstelle/bankverbindungen/").content.decode()
    response = stranger.post(f"/geschaeftsstelle/bankverbindungen/{change.pk}/", {"decision": "confirm"})
    assert response.status_code == 404
