"""The deployment files stay true to the settings: every environment variable the code
reads is shown in the production environment example and in the README."""

import re

from django.conf import settings

ROOT = settings.BASE_DIR
READ_BY_PROCESSES = {"PROMETHEUS_MULTIPROC_DIR", "GUNICORN_BIND", "GUNICORN_WORKERS"}


def variables_read_by_settings() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text()
    return set(re.findall(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))


def test_the_settings_read_variables_at_all():
    assert {"DATABASE_URL", "REDIS_URL", "METRICS_TOKEN", "LOG_FORMAT"} <= variables_read_by_settings()


def test_every_variable_is_in_the_production_environment_example():
    example = (ROOT / "deploy" / "production.env.example").read_text()
    shown = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, re.MULTILINE))
    assert variables_read_by_settings() | READ_BY_PROCESSES <= shown


def test_every_variable_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = {name for name in variables_read_by_settings() | READ_BY_PROCESSES if f"`{name}`" not in readme}
    assert missing == set()
