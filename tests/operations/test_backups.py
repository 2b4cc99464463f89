"""Backup and restore with the real tools (pg_dump/pg_restore on PostgreSQL, SQLite's backup
on SQLite): wipe everything, restore, find every row and every letter byte for byte again."""

import hashlib
import io
import json
import os
import shutil
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from grants import services
from grants.models import Application, AuditEvent, Document, LedgerEntry
from operations.database_dumps import database_is_empty
from operations.version import code_version
from tests.operations.conftest import decide


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ARCHIVE_ROOT = tmp_path / "archive"
    yield settings.MEDIA_ROOT
    # A test that stopped between wipe and restore leaves no tables; later tests need them.
    if not connection.introspection.table_names():
        call_command("migrate", verbosity=0)


@pytest.fixture
def a_file_with_letters(fund, people, club, media, settings, smtp_sink, celery_eager):
    """An approved application with its letter and a corrected letter, ledger and audit trail."""
    decision = decide(fund, people, club)
    services.document_correct(document=decision.documents.get(), actor=people["office"], reason="Tippfehler im Namen.")
    assert Document.objects.count() == 2 and LedgerEntry.objects.exists()
    archived = Path(settings.ARCHIVE_ROOT) / fund.slug / "VF-2019-0001.zip"  # as the retention service files it
    archived.parent.mkdir(parents=True)
    archived.write_bytes(os.urandom(4096))


def snapshot() -> dict:
    letters = Document.objects.order_by("pk")
    return {
        "applications": list(
            Application.objects.order_by("pk").values_list("pk", "reference", "status", "requested_amount")
        ),
        "ledger": list(LedgerEntry.objects.order_by("pk").values_list("pk", "kind", "amount", "application_id")),
        "audit": list(
            AuditEvent.objects.order_by("pk").values_list("pk", "action", "object_id", "before", "after", "at")
        ),
        "letters": [(d.pk, d.file.name, d.sha256, hashlib.sha256(d.file.read()).hexdigest()) for d in letters],
        "retention_archive": {
            path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in Path(settings.ARCHIVE_ROOT).rglob("*.zip")
        },
    }


def wipe() -> None:
    """Empty the database and delete the media folder and the retention archive, as on a new server.

    The database in place rather than a new one: the shared worker stays connected to it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names():
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    shutil.rmtree(settings.MEDIA_ROOT)
    shutil.rmtree(settings.ARCHIVE_ROOT)
    assert database_is_empty()


def backup(tmp_path) -> Path:
    call_command("backup", output_dir=tmp_path / "backups", stdout=io.StringIO())
    [archive] = (tmp_path / "backups").glob("*.tar.gz")
    return archive


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_holds_every_application_ledger_entry_audit_event_and_letter(
    a_file_with_letters, media, tmp_path
):
    before = snapshot()
    assert len(before["letters"]) == 2 and len(before["retention_archive"]) == 1
    archive = backup(tmp_path)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["code_version"] == code_version()
    letters = {f"media/{name}": sha for _pk, name, sha, _read in before["letters"]}
    assert {name: manifest["files"][name]["sha256"] for name in letters} == letters

    wipe()
    call_command("restore", str(archive), stdout=io.StringIO())

    after = snapshot()
    assert after == before
    assert all(stored == read for _pk, _name, stored, read in after["letters"])


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_before_anything_is_restored(a_file_with_letters, media, tmp_path):
    archive = backup(tmp_path)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/letters/"):
                data = data.replace(b"%PDF", b"%PDX", 1)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))

    wipe()
    with pytest.raises(CommandError, match="SHA-256 differs"):
        call_command("restore", str(damaged))
    assert database_is_empty()
    assert not media.exists() or not any(media.rglob("*.pdf"))


@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_database_that_is_not_empty_is_refused(a_file_with_letters, media, tmp_path):
    archive = backup(tmp_path)
    before = snapshot()
    with pytest.raises(CommandError, match="database is not empty"):
        call_command("restore", str(archive))
    assert snapshot() == before
