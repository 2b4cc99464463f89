"""The Celery application; tasks are discovered in each app's tasks.py."""

import os

from celery import Celery

from operations.heartbeats import WorkerHeartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("verfuegungsfonds")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.steps["consumer"].add(WorkerHeartbeat)  # the readiness check looks for it
