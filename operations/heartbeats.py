"""Heartbeats: every worker and beat record when they last ran, in the shared database,
so that any web server can tell whether the background processes are alive."""

import logging

from celery import bootsteps
from celery.beat import PersistentScheduler
from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)


def _record_safely(kind: str, name: str) -> None:
    # A database outage must not stop the worker or beat; the readiness check shows it.
    # A connection of its own each time: nothing idles between heartbeats or goes stale.
    from .services import heartbeat_record

    try:
        heartbeat_record(kind=kind, name=name)
    except Exception as error:
        logger.warning("could not record the %s heartbeat: %s", kind, error)
    finally:
        connection.close()


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Record the worker's heartbeat once it consumes tasks, then every HEALTH_HEARTBEAT_INTERVAL seconds."""

    # Started after the task consumer: a heartbeat means the worker can take tasks.
    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self.timer_entry = None

    def start(self, consumer):
        _record_safely("worker", consumer.hostname)
        self.timer_entry = consumer.timer.call_repeatedly(
            settings.HEALTH_HEARTBEAT_INTERVAL, _record_safely, ("worker", consumer.hostname)
        )

    def stop(self, consumer):
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None

    shutdown = stop


class HeartbeatScheduler(PersistentScheduler):
    """Celery beat's file-backed scheduler that records beat's heartbeat on every tick."""

    # Tick at least once a minute, however far off the next task is, so the heartbeat stays fresh.
    max_interval = 60

    def tick(self, *args, **kwargs):
        _record_safely("beat", "beat")
        return super().tick(*args, **kwargs)
