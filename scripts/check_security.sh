#!/usr/bin/env bash
# Part of `make lint`: Django's deployment checks on the documented production settings,
# bandit on our code, and pip-audit where the vulnerability service can be reached.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

# The production environment of the README (with a throwaway key): no warning allowed.
DEBUG=off HTTPS=on ALLOWED_HOSTS=foerderung.bezirk.example SITE_URL=https://foerderung.bezirk.example \
  CSRF_TRUSTED_ORIGINS=https://foerderung.bezirk.example VAR_DIR="$PWD/var/lint" \
  SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')" \
  $PY manage.py check --deploy --fail-level WARNING

$PY -m bandit -q -r accounts config grants notifications workflows operations -x '*/migrations/*' \
  --severity-level medium --confidence-level medium

# pip-audit asks PyPI's vulnerability data; from a machine that only reaches a package mirror
# every dependency comes back "not found", which says nothing about vulnerabilities.
if output=$($PY -m pip_audit --progress-spinner off --strict -l 2>&1); then
  echo "pip-audit: no known vulnerability"
elif grep -q "could not be audited" <<<"$output" && ! grep -q "Found [1-9]" <<<"$output"; then
  echo "pip-audit: skipped, the vulnerability service cannot be reached from here"
else
  echo "$output"
  exit 1
fi
