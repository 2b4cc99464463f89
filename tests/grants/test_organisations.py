"""Applicants keep their organisation's details, with a validated IBAN."""

from grants.models import AuditEvent, Organisation
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
    assert event.before["iban"] == "DE89370400440532013000"
    assert event.after["iban"] == "DE02120300000000202051"


def test_another_organisations_details_are_not_found(club):
    organisation, _user = club
    stranger = UserFactory()
    OrganisationFactory(members=[stranger])
    client = journey.login(stranger)
    assert client.get(f"/organisation/{organisation.pk}/").status_code == 404
    assert client.post(f"/organisation/{organisation.pk}/", details(organisation, name="Übernommen")).status_code == 404
    assert Organisation.objects.get(pk=organisation.pk).name == organisation.name
