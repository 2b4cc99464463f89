#!/usr/bin/env bash
# Start web server, Celery worker and Celery beat side by side; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/log

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

$PY -m celery -A config worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
pids+=($!)
$PY -m celery -A config beat --loglevel=INFO >var/log/beat.log 2>&1 &
pids+=($!)
$PY -m gunicorn config.wsgi --bind "$HOST:$PORT" --workers 2 --access-logfile - &
pids+=($!)

cat <<MSG

  Verfügungsfonds läuft / is running:  http://$HOST:$PORT/
  Worker and beat log to var/log/. Mails are written to var/mail/. Stop with Ctrl-C.
  Office, steering and admin logins need a code from an authenticator app: add the secret
  below to one, or run ".venv/bin/python manage.py demo_logins" for fresh codes.
MSG
$PY manage.py demo_logins
wait -n "${pids[@]}"
