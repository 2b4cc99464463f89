#!/usr/bin/env bash
# make deploy-check: start the production configuration on this machine (DEBUG off,
# PostgreSQL, Redis with AOF, gunicorn, a Celery worker, beat), run `check --deploy` and
# the smoke test (deploy/smoke.py) against it, then stop everything it started.
#
# It uses its own database on the local PostgreSQL server (DEPLOYCHECK_DATABASE_URL), its
# own Redis on a free port in a temporary folder and free ports for the rest; it never
# stops or reconfigures the machine's shared services.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
DATABASE_URL=${DEPLOYCHECK_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/verfuegungsfonds_deploycheck}
DB_NAME=${DATABASE_URL##*/}
DB_SERVER=${DATABASE_URL%/*}/postgres

WORK=$(mktemp -d /tmp/deploycheck.XXXXXX)
pids=()
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
psql_server() { psql -q -v ON_ERROR_STOP=1 "$DB_SERVER" "$@"; }
stop() {
  status=$?
  echo "--- stopping what deploy-check started"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ $status -ne 0 ]; then
    echo "--- deploy-check FAILED; the last lines of each log:"
    for log in "$WORK"/*.log; do [ -e "$log" ] && { echo "== $log"; tail -n 25 "$log"; }; done
  fi
  psql_server -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  exit $status
}
trap stop EXIT INT TERM

command -v pg_dump >/dev/null || { echo "deploy-check needs the PostgreSQL client tools (pg_dump)"; exit 1; }
pg_isready -q -d "$DB_SERVER" || { echo "deploy-check needs a PostgreSQL server at $DB_SERVER"; exit 1; }
command -v redis-server >/dev/null || { echo "deploy-check needs redis-server"; exit 1; }

echo "--- Redis with an append-only file, in $WORK/redis"
REDIS_PORT=$(free_port)
mkdir -p "$WORK/redis"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" --appendonly yes --appendfsync everysec \
  --save "" --daemonize no --logfile "$WORK/redis.log" &
pids+=($!)
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.2; done
[ "$(redis-cli -p "$REDIS_PORT" config get appendonly | tail -1)" = yes ] || { echo "Redis runs without AOF"; exit 1; }

echo "--- a fresh database $DB_NAME"
psql_server -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)"
psql_server -c "CREATE DATABASE \"$DB_NAME\""

SMTP_PORT=$(free_port)
WEB_PORT=$(free_port)
# The production environment (deploy/production.env.example), with local values.
export DEBUG=off HTTPS=on LOG_FORMAT=json LOG_LEVEL=INFO
export SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export ALLOWED_HOSTS=127.0.0.1,localhost CSRF_TRUSTED_ORIGINS=https://127.0.0.1
export SITE_URL=https://127.0.0.1 DEFAULT_FROM_EMAIL=verfuegungsfonds@localhost
export DATABASE_URL="$DATABASE_URL?connect_timeout=5"
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export EMAIL_URL=smtp://127.0.0.1:$SMTP_PORT EMAIL_TIMEOUT=10
export VAR_DIR=$WORK/var MEDIA_ROOT=$WORK/var/media BACKUP_DIR=$WORK/backups
export METRICS_TOKEN=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(32))')
export METRICS_ALLOWED_NETWORKS=127.0.0.1/32 TRUSTED_PROXIES=127.0.0.1/32
export HEALTH_HEARTBEAT_INTERVAL=5 PROMETHEUS_MULTIPROC_DIR=$WORK/metrics
export GUNICORN_BIND=127.0.0.1:$WEB_PORT GUNICORN_WORKERS=2

if command -v systemd-analyze >/dev/null; then
  echo "--- the systemd units, pointed at this checkout"
  mkdir -p "$WORK/units"
  for unit in deploy/systemd/*; do sed "s|/opt/verfuegungsfonds|$ROOT|g" "$unit" >"$WORK/units/${unit##*/}"; done
  SYSTEMD_LOG_LEVEL=err systemd-analyze verify --man=no "$WORK"/units/* >"$WORK/units.log" 2>&1 \
    || { cat "$WORK/units.log"; exit 1; }
  echo "ok   systemd-analyze verify"
fi

echo "--- migrate, collectstatic, check --deploy"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py check --deploy --fail-level WARNING
"$PY" manage.py seed_demo >/dev/null

echo "--- an SMTP sink, gunicorn, a worker and beat"
"$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" >"$WORK/smtp.log" 2>&1 &
pids+=($!)
"$ROOT/.venv/bin/gunicorn" config.wsgi --config deploy/gunicorn.conf.py >"$WORK/web.log" 2>&1 &
pids+=($!)
"$PY" -m celery -A config worker --loglevel=INFO --concurrency=2 >"$WORK/worker.log" 2>&1 &
pids+=($!)
"$PY" -m celery -A config beat --loglevel=INFO >"$WORK/beat.log" 2>&1 &
pids+=($!)

SMOKE_URL=http://127.0.0.1:$WEB_PORT
if command -v nginx >/dev/null; then
  echo "--- nginx with deploy/nginx/verfuegungsfonds.conf and a self-signed certificate"
  TLS_PORT=$(free_port)
  HTTP_PORT=$(free_port)
  openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 \
    -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
  sed -e "s|/etc/letsencrypt/live/foerderung.example.de/fullchain.pem|$WORK/tls.crt|" \
      -e "s|/etc/letsencrypt/live/foerderung.example.de/privkey.pem|$WORK/tls.key|" \
      -e "s|server 127.0.0.1:8000;|server 127.0.0.1:$WEB_PORT;|" \
      -e "s|listen 443 ssl http2;|listen 127.0.0.1:$TLS_PORT ssl http2;|" \
      -e "s|listen 80;|listen 127.0.0.1:$HTTP_PORT;|" -e "/listen \[::\]/d" \
      deploy/nginx/verfuegungsfonds.conf >"$WORK/site.conf"
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx.conf" <<NGINX
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx.log;
events {}
http {
    access_log off;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    include $WORK/site.conf;
}
NGINX
  nginx -t -q -c "$WORK/nginx.conf" -g "daemon off;"
  nginx -c "$WORK/nginx.conf" -g "daemon off;" &
  pids+=($!)
  SMOKE_URL=https://127.0.0.1:$TLS_PORT
  for _ in $(seq 50); do curl -sk -o /dev/null "$SMOKE_URL/health/" && break; sleep 0.2; done
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/")" = 301 ] || { echo "HTTP is not redirected"; exit 1; }
  echo "ok   nginx redirects HTTP to HTTPS"
else
  echo "--- nginx is not installed: the proxy example is not exercised, gunicorn is tested directly"
fi

echo "--- smoke test against $SMOKE_URL"
"$PY" deploy/smoke.py "$SMOKE_URL" "http://127.0.0.1:$WEB_PORT"

echo "--- the logs are JSON lines without e-mail addresses"
"$PY" - "$WORK/web.log" "$WORK/worker.log" "$WORK/beat.log" <<'PYTHON'
import json, re, sys
for path in sys.argv[1:]:
    lines = [line for line in open(path) if line.startswith("{")]  # gunicorn's own lines are plain text
    assert lines, f"{path}: no JSON log lines"
    for line in lines:
        json.loads(line)
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.-]+", line), f"{path}: an e-mail address in {line}"
print(f"ok   {', '.join(sys.argv[1:])}: JSON lines, no e-mail address")
PYTHON
redis-cli -p "$REDIS_PORT" info persistence | grep -q "^aof_enabled:1" && ls "$WORK"/redis/appendonlydir/*.aof >/dev/null
echo "ok   Redis keeps an append-only file"
echo "--- deploy-check passed"
