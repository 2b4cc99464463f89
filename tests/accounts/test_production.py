"""Production settings: no published or short key, HTTPS hardening, CSP, no 500 on a bad Host."""

import os
import secrets
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from config.secret_key import secret_key
from tests.conftest import BASE_DIR


def test_a_published_or_short_key_is_refused(tmp_path):
    for key in ("insecure-demo-key-change-me-in-production", "x" * 49):
        with pytest.raises(ImproperlyConfigured):
            secret_key(key, var_dir=tmp_path, production=False)
    assert secret_key("k" * 50, var_dir=tmp_path, production=True) == "k" * 50


def test_production_without_a_key_refuses_to_start(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="Set SECRET_KEY"):
        secret_key("", var_dir=tmp_path, production=True)


def test_a_development_installation_gets_a_random_key_of_its_own_and_keeps_it(tmp_path):
    first = secret_key("", var_dir=tmp_path, production=False)
    assert len(first) >= 50 and secret_key("", var_dir=tmp_path, production=False) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert secret_key("", var_dir=tmp_path / "other", production=False) != first


def production_env(tmp_path, **extra):
    return {
        **os.environ,
        "DEBUG": "off",
        "HTTPS": "on",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "foerderung.bezirk.example",
        "CSRF_TRUSTED_ORIGINS": "https://foerderung.bezirk.example",
        "SITE_URL": "https://foerderung.bezirk.example",
        "VAR_DIR": str(tmp_path),
        **extra,
    }


def test_check_deploy_reports_no_warning_for_the_documented_production_environment(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=production_env(tmp_path), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_app_refuses_to_start_in_production_on_a_short_key(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=production_env(tmp_path, SECRET_KEY="kurz"),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_an_unknown_host_gets_400_not_500(db):
    response = Client().get("/konto/login/", HTTP_HOST="angreifer.example")
    assert response.status_code == 400


def test_pages_carry_a_content_security_policy_without_inline_script(db):
    policy = Client().get("/konto/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
