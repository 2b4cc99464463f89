#!/usr/bin/env bash
# make upgrade-check: the migrations apply forward on a copy of a database seeded by the
# previous release tag, and that release still reads every table afterwards (the
# migrations are expand-only, so the old code keeps serving while they run).
# Without a release tag there is nothing to upgrade from: it says so and passes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python

# The newest tag before this commit (HEAD itself may be the release being made).
TAG=${UPGRADE_FROM_TAG:-$(git describe --tags --abbrev=0 HEAD~1 2>/dev/null || true)}
if [ -z "$TAG" ]; then
  echo "upgrade-check: SKIPPED: no release tag before this commit, so there is no previous release to upgrade from"
  echo "upgrade-check: (tag a release with 'git tag -a vX.Y.Z'; the next commits are then checked against it)"
  exit 0
fi

SERVER_URL=${UPGRADECHECK_SERVER_URL:-postgres://postgres@127.0.0.1:5432}
SEEDED=verfuegungsfonds_upgrade_seeded
COPY=verfuegungsfonds_upgrade_copy
WORK=$(mktemp -d /tmp/upgradecheck.XXXXXX)
psql_server() { psql -q -v ON_ERROR_STOP=1 "$SERVER_URL/postgres" "$@"; }
cleanup() {
  status=$?
  for db in "$SEEDED" "$COPY"; do psql_server -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT INT TERM
pg_isready -q -d "$SERVER_URL/postgres" || { echo "upgrade-check needs a PostgreSQL server at $SERVER_URL"; exit 1; }

echo "--- the previous release $TAG, in its own virtual environment"
mkdir -p "$WORK/old"
git archive "$TAG" | tar -x -C "$WORK/old"
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q "$WORK/old"
OLD_PY=$WORK/venv/bin/python

echo "--- $TAG migrates and seeds a database"
for db in "$SEEDED" "$COPY"; do psql_server -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"; done
psql_server -c "CREATE DATABASE $SEEDED"
(cd "$WORK/old" && VAR_DIR=$WORK/old-var DATABASE_URL=$SERVER_URL/$SEEDED "$OLD_PY" manage.py migrate --noinput -v0)
if [ -e "$WORK/old/workflows/management/commands/seed_demo.py" ]; then
  (cd "$WORK/old" && VAR_DIR=$WORK/old-var DATABASE_URL=$SERVER_URL/$SEEDED "$OLD_PY" manage.py seed_demo >/dev/null)
fi

echo "--- this commit migrates a copy of it forward"
psql_server -c "CREATE DATABASE $COPY TEMPLATE $SEEDED"
VAR_DIR=$WORK/new-var DATABASE_URL=$SERVER_URL/$COPY "$PY" manage.py migrate --noinput
VAR_DIR=$WORK/new-var DATABASE_URL=$SERVER_URL/$COPY "$PY" manage.py migrate --check

echo "--- $TAG still reads every table of the migrated copy"
(cd "$WORK/old" && VAR_DIR=$WORK/old-var DATABASE_URL=$SERVER_URL/$COPY "$OLD_PY" manage.py shell -c "
from django.apps import apps
for model in apps.get_models():
    list(model._base_manager.all()[:5])
print(f'ok   {len(apps.get_models())} models read by the old code')
")
echo "--- upgrade-check from $TAG passed"
