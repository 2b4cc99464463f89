"""Publishing a Celery message once the caller's transaction has committed, without ever letting a
broker outage undo or hide what was committed: the database row is the truth, and the periodic
sweeps queue again whatever a lost or unpublished message left waiting."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def publish(task, *args) -> bool:
    """Send `task(*args)` to the broker now; False (logged) when the broker cannot be reached."""
    try:
        task.apply_async(args=args)
    except Exception:  # the broker is down or refuses: the row waits for the sweep
        logger.warning("could not publish %s%r; the sweep will queue it again", task.name, args, exc_info=True)
        return False
    return True


def publish_on_commit(task, *args) -> None:
    """Queue `task(*args)` after the current transaction commits (at once outside one); nothing if it
    rolls back. A publish failure is logged, never raised into the request that committed."""
    transaction.on_commit(lambda: publish(task, *args), robust=True)
