import os
import subprocess
import sys

import pytest
from django.conf import settings

from operations.models import Heartbeat
from tests import journey
from tests.conftest import BASE_DIR, _database_url, wait_until


@pytest.fixture
def celery_beat_process(celery_worker_process, tmp_path):
    """A real Celery beat process on the test database, stopped after the test."""
    from django.db import connection

    env = {**os.environ, "DATABASE_URL": _database_url(connection), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    log_path = tmp_path / "beat.log"
    with log_path.open("w") as log:
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
             f"--schedule={tmp_path / 'beat-schedule'}"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_until(
                lambda: Heartbeat.objects.filter(kind=Heartbeat.BEAT).exists() or beat.poll() is not None,
                timeout=60,
                message="beat's first heartbeat",
            )
            assert beat.poll() is None, log_path.read_text()
            yield beat
        finally:
            beat.terminate()
            beat.wait(timeout=20)


def decide(fund, people, club):
    """Apply, check, recommend and approve through the real URLs; the flow then orders the letter."""
    application = journey.apply(journey.login(club[1]), fund)
    office = journey.login(people["office"])
    journey.check_complete(office, application)
    journey.recommend(office, application, amount="2000.00", reasoning="Passt zum Fonds.")
    item = journey.vote_all(people["members"][:4], application)
    return journey.close_vote(people["chair"], item, reasons="Das Projekt passt zu den Zielen des Fonds.")
