"""Readiness checks: each returns what it found, and raises when its part is not ready."""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.db.utils import load_backend
from django.utils import timezone

from . import selectors
from .broker import default_queue_length
from .models import Heartbeat

logger = logging.getLogger(__name__)
PROBE_FOLDER = ".health"  # the media check's scratch files; backups leave it out


class NotReady(Exception):
    """A part of the installation is not ready; the message says why, without secrets."""


def check_database() -> dict:
    """Open a new connection to every configured database and run a query on it.

    A new connection, not the request's: it proves the server still accepts connections
    (a server at its connection limit fails here), as every new request needs."""
    for alias in connections:
        settings_dict = connections.settings[alias]
        probe = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=f"{alias}-readiness")
        try:
            with probe.cursor() as cursor:
                cursor.execute("SELECT 1")
        finally:
            probe.close()
    return {"databases": list(connections)}


def check_broker() -> dict:
    return {"queue_length": default_queue_length()}


def _heartbeat_age(kind: str, max_age: int) -> dict:
    seen = selectors.last_heartbeat(kind)
    if seen is None:
        raise NotReady(f"no {kind} heartbeat recorded")
    age = (timezone.now() - seen) / dt.timedelta(seconds=1)
    if age > max_age:
        raise NotReady(f"last {kind} heartbeat {age:.0f} s ago, more than {max_age} s")
    return {"age_seconds": round(age, 1)}


def check_worker() -> dict:
    return _heartbeat_age(Heartbeat.WORKER, settings.HEALTH_WORKER_MAX_AGE)


def check_beat() -> dict:
    return _heartbeat_age(Heartbeat.BEAT, settings.HEALTH_BEAT_MAX_AGE)


def check_media() -> dict:
    """Write and delete a small file in the media store."""
    name = default_storage.save(f"{PROBE_FOLDER}/probe-{uuid.uuid4().hex}", ContentFile(b"ok"))
    default_storage.delete(name)
    return {}


CHECKS = {
    "database": check_database,
    "broker": check_broker,
    "worker": check_worker,
    "beat": check_beat,
    "media": check_media,
}


def run_check(name: str) -> dict:
    try:
        return {"ok": True, **CHECKS[name]()}
    except NotReady as reason:
        return {"ok": False, "error": str(reason)}
    except Exception as error:
        # Only the kind of error is answered: its text may name hosts or users.
        logger.warning("readiness check %s failed: %r", name, error)
        return {"ok": False, "error": type(error).__name__}


def readiness() -> dict:
    """Run every check; the answer names the failing ones."""
    checks = {name: run_check(name) for name in CHECKS}
    failing = [name for name, result in checks.items() if not result["ok"]]
    return {"status": "fail" if failing else "ok", "failing": failing, "checks": checks}
