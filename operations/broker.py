"""The Celery broker as the health check and the metrics see it: a fresh connection to
the configured URL (read at call time, so a test can point it elsewhere)."""

from django.conf import settings
from kombu import Connection
from kombu.exceptions import ChannelError

from config.celery import app as celery_app


def broker_connection() -> Connection:
    return Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=settings.HEALTH_CHECK_TIMEOUT,
    )


def queue_length(connection: Connection, queue: str) -> int:
    """Messages waiting in `queue`; a queue nobody declared yet holds none."""
    try:
        return connection.default_channel.queue_declare(queue=queue, passive=True).message_count
    except ChannelError:
        return 0


def default_queue_length() -> int:
    """Connect to the broker (raising when it cannot be reached) and count the default queue."""
    with broker_connection() as connection:
        connection.ensure_connection(max_retries=1)
        return queue_length(connection, celery_app.conf.task_default_queue)
