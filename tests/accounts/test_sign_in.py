"""Signing in: throttling and lockout, the password rules, the second factor, session timeouts."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from accounts.second_factor import current_code
from tests import journey
from tests.factories import PASSWORD, TOTP_SECRET, FundRoleFactory, UserFactory

LOGIN = "/konto/login/"


def sign_in(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "20/600s/ip,3/600s/key"})
def test_repeated_failures_lock_the_account_even_against_the_right_password_until_the_lock_ends(db):
    user = UserFactory()
    start = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client = Client()
        for _attempt in range(3):
            response = sign_in(client, user.email, "falsch-falsch-falsch")
            assert response.status_code == 200 and "_auth_user_id" not in client.session
        response = sign_in(client, user.email, PASSWORD)
        assert "_auth_user_id" not in client.session
        assert "Zu viele gescheiterte Anmeldeversuche" in response.content.decode()
    with time_machine.travel(start + dt.timedelta(seconds=601), tick=False):
        response = sign_in(Client(), user.email, PASSWORD)
        assert response.status_code == 302


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "4/600s/ip,100/600s/key"})
def test_failures_from_one_address_across_accounts_are_throttled_too(db):
    users = [UserFactory() for _ in range(5)]
    client = Client()
    for user in users[:4]:
        sign_in(client, user.email, "falsch-falsch-falsch")
    sign_in(client, users[4].email, PASSWORD)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("password", ["harburg2026", "Harburg2026!!", "Verfuegungsfonds-1", "123456789012", "kurz"])
def test_weak_passwords_are_refused(fund, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=UserFactory.build(email="erika.muster@example.org"))


def test_a_long_unusual_passphrase_is_accepted(db):
    validate_password("Schwalben über dem Deich 7", user=UserFactory.build(email="erika.muster@example.org"))


def test_a_password_like_the_users_own_name_is_refused(db):
    user = UserFactory.build(email="erika.musterfrau@example.org", first_name="Erika", last_name="Musterfrau")
    with pytest.raises(ValidationError):
        validate_password("erika.musterfrau", user=user)


def test_staff_sign_in_with_password_and_a_code_from_the_authenticator_app(fund):
    office = FundRoleFactory(fund=fund, role="office").user
    client = Client()
    response = sign_in(client, office.email, PASSWORD)
    assert response.status_code == 302 and "_auth_user_id" not in client.session  # the code is still missing
    response = client.post(response["Location"], {"code": "000000"})
    assert "_auth_user_id" not in client.session
    response = client.post("/konto/2fa/authenticate/", {"code": current_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == office.pk
    assert client.get("/geschaeftsstelle/").status_code == 200


def test_a_role_that_needs_a_second_factor_reaches_nothing_before_setting_it_up(fund):
    member = FundRoleFactory(fund=fund, role="member", second_factor=False).user
    client = Client()
    sign_in(client, member.email, PASSWORD)
    response = client.get("/sitzungen/")
    assert response.status_code == 302 and response["Location"] == "/konto/2fa/totp/activate/"
    response = client.get("/konto/2fa/totp/activate/")  # allauth asks for the password once more first
    assert response["Location"].startswith("/konto/reauthenticate/")
    assert client.post(response["Location"], {"password": PASSWORD}).status_code == 302
    page = client.get("/konto/2fa/totp/activate/").content.decode()
    assert 'name="code"' in page and "data:image/svg+xml" in page  # the QR code to scan
    secret = client.session["mfa.totp.secret"]
    response = client.post("/konto/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/sitzungen/").status_code == 200


def test_a_fund_can_waive_the_second_factor_for_a_role(fund):
    fund.second_factor_roles = ["office", "chair", "deputy", "admin"]
    fund.save(update_fields=["second_factor_roles"])
    member = FundRoleFactory(fund=fund, role="member", second_factor=False).user
    assert journey.login(member).get("/sitzungen/").status_code == 200


def test_applicants_need_no_second_factor(club):
    assert journey.login(club[1]).get("/antraege/").status_code == 200


def test_the_office_is_signed_out_after_thirty_idle_minutes_and_applicants_later(fund, club):
    office = journey.login(FundRoleFactory(fund=fund, role="office").user)
    applicant = journey.login(club[1])
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        assert office.get("/geschaeftsstelle/").status_code == 200
        assert applicant.get("/antraege/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        response = office.get("/geschaeftsstelle/", follow=True)
        assert response.redirect_chain[0][0].startswith("/konto/login/?next=")
        assert "30 Minuten ohne Aktivität" in response.content.decode()
        assert applicant.get("/antraege/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=31 + 121), tick=False):
        assert applicant.get("/antraege/").status_code == 302


def test_an_active_session_still_ends_after_its_absolute_lifetime(club, settings):
    applicant = journey.login(club[1])
    start = dt.datetime.now(dt.UTC)
    for minutes in range(0, 12 * 60, 100):  # active every 100 minutes, well within the idle timeout
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert applicant.get("/antraege/").status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=12, minutes=1), tick=False):
        assert applicant.get("/antraege/").status_code == 302


def test_a_privilege_change_gives_the_session_a_new_key(fund, club):
    organisation, user = club
    client = journey.login(user)
    assert client.get("/antraege/").status_code == 200
    before = client.cookies["sessionid"].value
    FundRoleFactory(fund=fund, user=user, role="member", has_vote=False, second_factor=False)
    FundRoleFactory(fund=fund, user=user, role="office")  # gives the user an authenticator app
    assert client.get("/antraege/").status_code == 200
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.get("/antraege/").status_code == 200  # still signed in under the new key


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "4/600s/ip,100/600s/key"}, ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_each_client_address_is_throttled_on_its_own(db):
    attacker, other = UserFactory(), UserFactory()
    for _attempt in range(5):
        Client(HTTP_X_FORWARDED_FOR="203.0.113.7").post(LOGIN, {"login": attacker.email, "password": "falsch-1234"})
    client = Client(HTTP_X_FORWARDED_FOR="198.51.100.23")
    assert sign_in(client, other.email, PASSWORD).status_code == 302  # not locked out by the attacker
    locked = Client(HTTP_X_FORWARDED_FOR="203.0.113.7")
    sign_in(locked, other.email, PASSWORD)
    assert "_auth_user_id" not in locked.session
