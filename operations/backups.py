"""Backups: one archive holding the database dump, the file stores (media; the retention
archive) and a manifest with the SHA-256 of every file and the code version. A restore
checks every sum before it touches anything, and restores only into an empty database and
empty file stores."""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .database_dumps import DUMP_FILES, database_is_empty, dump_database, restore_database, vendor
from .health import PROBE_FOLDER
from .retention import archives_to_keep
from .version import code_version

FORMAT = 1
MANIFEST = "manifest.json"
ARCHIVE_NAME = "verfuegungsfonds-%Y%m%dT%H%M%SZ.tar.gz"


class BackupRefused(Exception):
    """The archive is damaged or incomplete, or the target is not empty: nothing was restored."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_stores() -> dict[str, Path]:
    """The folders a backup holds, by their folder name in the archive."""
    stores = {"media": Path(settings.MEDIA_ROOT)}
    # The retention archive holds a file's only full copy once its personal data is deleted.
    if getattr(settings, "ARCHIVE_ROOT", None):
        stores["archive"] = Path(settings.ARCHIVE_ROOT)
    return stores


def _stored_files() -> dict[str, Path]:
    """Every file of every store, by its name in the archive (the health check's scratch files left out)."""
    files = {}
    for store, root in _file_stores().items():
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.relative_to(root).parts[0] != PROBE_FOLDER:
                files[f"{store}/{path.relative_to(root).as_posix()}"] = path
    return files


def _latest_migrations() -> dict:
    latest = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def backup_create(*, directory: Path) -> Path:
    """Write one archive of the database, the file stores and their manifest into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    created = timezone.now().astimezone(dt.UTC)
    archive = directory / created.strftime(ARCHIVE_NAME)
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        # The database first: a letter filed meanwhile then only adds a file no row points
        # to, never a row whose file is missing.
        dump = dump_database(Path(scratch))
        members = {dump.name: dump, **_stored_files()}
        manifest = {
            "format": FORMAT,
            "created": created.isoformat(),
            "code_version": code_version(),
            "database": {"vendor": vendor(), "file": dump.name},
            "migrations": _latest_migrations(),
            "files": {name: {"sha256": _sha256(path), "size": path.stat().st_size} for name, path in members.items()},
        }
        partial = directory / f"{archive.name}.partial"
        # Created private from the start: the archive holds personal data.
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as stream:
            with tarfile.open(fileobj=stream, mode="w:gz") as tar:
                for name, path in members.items():
                    tar.add(path, arcname=name, recursive=False)
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(created.timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
        partial.rename(archive)
    return archive


def _verified_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupRefused(f"the archive has no readable {MANIFEST}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupRefused(f"unknown archive format {manifest.get('format')!r}")
    found = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()} - {MANIFEST}
    listed = set(manifest["files"])
    if found != listed:
        raise BackupRefused(
            f"missing from the archive: {sorted(listed - found)}; not in the manifest: {sorted(found - listed)}"
        )
    damaged = [name for name, entry in manifest["files"].items() if _sha256(folder / name) != entry["sha256"]]
    if damaged:
        raise BackupRefused(f"SHA-256 differs from the manifest for: {damaged}")
    if manifest["database"]["vendor"] != vendor() or manifest["database"]["file"] != DUMP_FILES[vendor()]:
        raise BackupRefused(f"the archive holds a {manifest['database']['vendor']} database, this is {vendor()}")
    return manifest


def _require_empty_target() -> None:
    if not database_is_empty():
        raise BackupRefused("the database is not empty: restore only into a new, empty database")
    if _stored_files():
        folders = ", ".join(str(root) for root in _file_stores().values())
        raise BackupRefused(f"the file stores are not empty: {folders}")


def backup_restore(*, archive: Path) -> dict:
    """Check `archive` against its manifest, then restore it into the empty database and file stores."""
    _require_empty_target()
    with tempfile.TemporaryDirectory(dir=settings.VAR_DIR) as scratch:
        folder = Path(scratch)
        try:
            with tarfile.open(archive) as tar:
                tar.extractall(folder, filter="data")  # refuses absolute paths and links out of the folder
        except (OSError, tarfile.TarError) as error:
            raise BackupRefused(f"the archive cannot be read: {error}") from error
        manifest = _verified_manifest(folder)
        restore_database(folder / manifest["database"]["file"])
        stores = _file_stores()
        for name in manifest["files"]:
            store, _slash, relative = name.partition("/")
            if store in stores:
                target = stores[store] / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(folder / name, target)
    return manifest


def backups_prune(*, directory: Path, today: dt.date) -> list[Path]:
    """Delete the archives in `directory` that the retention rule (BACKUP_KEEP_*) no longer keeps."""
    archives = {}
    for path in directory.glob("verfuegungsfonds-*.tar.gz"):
        try:
            archives[dt.datetime.strptime(path.name, ARCHIVE_NAME)] = path
        except ValueError:
            continue  # not one of ours: leave it alone
    keep = archives_to_keep(
        list(archives), today=today, keep_daily=settings.BACKUP_KEEP_DAILY, keep_monthly=settings.BACKUP_KEEP_MONTHLY
    )
    deleted = [path for created, path in sorted(archives.items()) if created not in keep]
    for path in deleted:
        path.unlink()
    return deleted
