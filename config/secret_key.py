"""Where the SECRET_KEY comes from, and which keys are refused.

Production sets SECRET_KEY. Without it, a development or demo installation gets a
random key of its own, made once and kept in VAR_DIR: no installation ever runs on
a key that is published in this repository."""

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

MINIMUM_LENGTH = 50
PUBLISHED = {"insecure-demo-key-change-me-in-production"}  # the key earlier versions fell back to


def secret_key(configured: str, *, var_dir: Path, production: bool) -> str:
    """The key to use: the configured one, checked, or this installation's own random key."""
    if configured:
        if configured in PUBLISHED or len(configured) < MINIMUM_LENGTH:
            raise ImproperlyConfigured(
                f"SECRET_KEY must be a random value of at least {MINIMUM_LENGTH} characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
            )
        return configured
    if production:
        raise ImproperlyConfigured("Set SECRET_KEY: with HTTPS on, this is a production installation.")
    path = var_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()
