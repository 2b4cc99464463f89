"""gunicorn settings for production (systemd) and make deploy-check: gunicorn config.wsgi -c <this file>"""

import os
import shutil
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = 60
graceful_timeout = 30
# Recycle workers now and then, so a slow leak never grows into an outage.
max_requests = 2000
max_requests_jitter = 200
# No access log: the application logs every request with its request id and without the
# client's address (personal data).
accesslog = None
errorlog = "-"


def on_starting(server):
    # Latency histograms of all workers are gathered in this folder; empty it at start so
    # counts of a previous run are not mixed in.
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
