import subprocess
from importlib import metadata

from django.conf import settings


def code_version() -> str:
    """The running code's version: CODE_VERSION if the deployment set it, else the package
    version and, in a git checkout, the commit."""
    if settings.CODE_VERSION:
        return settings.CODE_VERSION
    try:
        version = metadata.version("verfuegungsfonds")
    except metadata.PackageNotFoundError:
        version = "unknown"
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"], cwd=settings.BASE_DIR,
            capture_output=True, text=True, timeout=10,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{version}+{commit}" if commit else version
