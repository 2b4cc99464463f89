"""The audit trail is a hash chain per fund; PostgreSQL refuses to change it; audit_verify finds
the first broken link when someone edits it behind the application's back."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from grants.audit_chain import GENESIS
from grants.models import AuditEvent
from tests.steps import on_agenda


def verify() -> str:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except CommandError:
        return err.getvalue()
    return out.getvalue()


def behind_the_applications_back(sql, *params):
    """What someone with the database owner's rights could do: switch the trigger off and write."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off, as a superuser can
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.fixture
def trail(application, people):
    on_agenda(application, people["office"], amount=Decimal("2000"))
    events = list(AuditEvent.objects.filter(fund=application.fund).order_by("pk"))
    assert len(events) >= 4
    return events


def test_each_event_links_to_the_one_before_it_in_its_funds_chain(trail):
    assert trail[0].previous_hash == GENESIS
    assert all(later.previous_hash == earlier.hash for earlier, later in zip(trail, trail[1:], strict=False))
    assert "intact" in verify()


def test_audit_verify_finds_an_event_edited_in_the_database(trail):
    target = trail[2]
    behind_the_applications_back(
        "UPDATE grants_auditevent SET after = %s WHERE id = %s", '{"status": "approved"}', target.pk
    )
    assert f"broken at audit event {target.pk}" in verify()


def test_audit_verify_finds_a_removed_event(trail):
    behind_the_applications_back("DELETE FROM grants_auditevent WHERE id = %s", trail[1].pk)
    assert f"broken at audit event {trail[2].pk}" in verify()


def test_audit_verify_finds_the_newest_event_removed(trail):
    behind_the_applications_back("DELETE FROM grants_auditevent WHERE id = %s", trail[-1].pk)
    assert "broken" in verify()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_to_update_or_delete_an_event(trail):
    for change in (lambda: AuditEvent.objects.filter(pk=trail[0].pk).update(action="x"),
                   lambda: AuditEvent.objects.filter(pk=trail[0].pk).delete()):  # fmt: skip
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    assert "intact" in verify()


def test_personal_data_enters_the_trail_only_masked(club):
    from grants import services

    organisation, user = club
    data = {"email": "neu@verein.example", "contact_name": "Karl Kassenwart", "iban": "DE02120300000000202051",
            "account_holder": organisation.name}  # fmt: skip
    services.organisation_update(organisation=organisation, actor=user, data=data)
    event = AuditEvent.objects.get(action="organisation_update")
    recorded = str(event.before) + str(event.after)
    assert "neu@verein.example" not in recorded and "Karl Kassenwart" not in recorded
    assert "DE02120300000000202051" not in recorded and event.after["iban"] == "DE02…2051"
