"""Registration with a confirmed e-mail address, organisations, invitations, leaving."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from grants import services
from grants.models import Organisation, OrganisationInvitation
from notifications.models import Notification
from notifications.services import render_email
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

NEW_PASSWORD = "Laternenumzug-im-Park-42"


def register(client, email="neu@nachbarn.example"):
    return client.post(
        "/konto/signup/",
        {"first_name": "Nina", "last_name": "Neu", "email": email, "password1": NEW_PASSWORD,
         "password2": NEW_PASSWORD},
    )  # fmt: skip


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)", message.body).group(1)


def test_a_newcomer_registers_confirms_the_address_and_only_then_signs_in(db):
    client = Client()
    response = register(client)
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    user = User.objects.get(email="neu@nachbarn.example")
    assert (user.first_name, user.last_name) == ("Nina", "Neu")
    assert len(mail.outbox) == 1
    link = confirmation_link(mail.outbox[0])
    # Not yet confirmed: the right password alone does not let them in.
    other = Client()
    other.post("/konto/login/", {"login": user.email, "password": NEW_PASSWORD})
    assert "_auth_user_id" not in other.session
    assert client.get(link).status_code == 200  # a page with a button; a GET changes nothing
    response = client.post(link)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified
    signed_in = Client()
    signed_in.post("/konto/login/", {"login": user.email, "password": NEW_PASSWORD})
    assert signed_in.session["_auth_user_id"] == str(user.pk)


def test_accounts_created_by_the_office_sign_in_as_before(db):
    user = UserFactory()
    client = Client()
    assert client.post("/konto/login/", {"login": user.email, "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_weak_password_is_refused_with_a_message_at_the_field(db):
    response = Client().post(
        "/konto/signup/", {"first_name": "A", "last_name": "B", "email": "x@example.org", "password1": "harburg2026",
                           "password2": "harburg2026"})  # fmt: skip
    assert response.status_code == 200 and "Es gibt ein Problem" in response.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()


INFORMAL = {
    "name": "Müllsammler Heimfeld", "legal_form": "informal", "street": "Heimfelder Str. 1", "postcode": "21075",
    "city": "Hamburg", "contact_name": "Nina Neu", "email": "neu@nachbarn.example", "phone": "",
    "account_holder": "Nina Neu", "iban": "DE89 3704 0044 0532 0130 00",
}  # fmt: skip


def test_a_user_creates_an_informal_group_whose_contact_person_holds_the_account(db):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.post("/organisation/neu/", INFORMAL)
    assert response.status_code == 302
    group = Organisation.objects.get(name="Müllsammler Heimfeld")
    assert group.iban == "DE89370400440532013000" and list(group.members.all()) == [user]
    assert client.get("/").url == "/antraege/"


def test_an_informal_group_without_the_contact_persons_account_is_refused(db):
    client = Client()
    client.force_login(UserFactory())
    response = client.post("/organisation/neu/", {**INFORMAL, "account_holder": "Jemand Anderes"})
    assert "die Kontaktperson" in response.content.decode()
    response = client.post("/organisation/neu/", {**INFORMAL, "iban": "", "account_holder": ""})
    assert response.status_code == 200
    assert not Organisation.objects.exists()


def test_a_member_invites_someone_who_joins_with_that_address_and_may_leave(db):
    inviter = UserFactory()
    organisation = OrganisationFactory(members=[inviter])
    client = Client()
    client.force_login(inviter)
    assert (
        client.post(f"/organisation/{organisation.pk}/mitglieder/", {"email": "Zweite@Example.org"}).status_code == 302
    )
    invitation = OrganisationInvitation.objects.get()
    assert invitation.email == "zweite@example.org"
    letter = render_email(Notification.objects.get(template="organisation_invitation"))
    assert letter.to == ["zweite@example.org"] and f"/einladung/{invitation.token}/" in letter.body
    stranger, invited = UserFactory(), UserFactory(email="zweite@example.org")
    other = Client()
    other.force_login(stranger)
    assert "an eine andere E-Mail-Adresse" in other.post(f"/einladung/{invitation.token}/").content.decode()
    assert not organisation.members.filter(pk=stranger.pk).exists()
    joined = Client()
    joined.force_login(invited)
    assert joined.post(f"/einladung/{invitation.token}/").status_code == 302
    assert organisation.members.filter(pk=invited.pk).exists()
    assert joined.post(f"/organisation/{organisation.pk}/verlassen/").status_code == 302
    assert not organisation.members.filter(pk=invited.pk).exists()


def test_the_last_member_cannot_leave(db):
    user = UserFactory()
    organisation = OrganisationFactory(members=[user])
    with pytest.raises(Exception, match="letzte Mitglied"):
        services.organisation_leave(organisation=organisation, actor=user)
    assert organisation.members.filter(pk=user.pk).exists()


def test_password_reset_and_a_change_of_email_address_use_allauth(db):
    user = UserFactory(email="alt@example.org")
    client = Client()
    assert client.post("/konto/password/reset/", {"email": user.email}).status_code == 302
    assert mail.outbox[-1].to == [user.email] and "/konto/password/reset/key/" in mail.outbox[-1].body
    client.force_login(user)
    page = client.get("/konto/email/").content.decode()
    assert 'name="email"' in page
    response = client.post("/konto/email/", {"email": "neu@example.org", "action_add": ""})
    assert response.status_code == 302
    assert user.emailaddress_set.filter(email="neu@example.org", verified=False).exists()
    assert "/konto/confirm-email/" in mail.outbox[-1].body and mail.outbox[-1].to == ["neu@example.org"]
