import os
import shutil
import socket
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    """In CI the real services are required: fail loudly instead of skipping."""
    if os.environ.get("CI"):
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.exit("CI must run against PostgreSQL: set DATABASE_URL", returncode=3)
        if not os.environ.get("REDIS_URL", "").startswith("redis"):
            pytest.exit("CI must run against Redis: set REDIS_URL", returncode=3)


def pytest_sessionstart(session):
    """Drop messages a previous run left in the filesystem broker."""
    if django_settings.CELERY_BROKER_URL.startswith("filesystem"):
        folder = Path(django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Sign-in throttling counts in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in another language leaves it active in the thread: every test starts in German."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _row_locks_in_order(request, monkeypatch):
    """On PostgreSQL, every query is checked for row locks that could deadlock (tests.locks)."""
    from tests.locks import row_locks_in_order

    yield from row_locks_in_order(request, monkeypatch)


@pytest.fixture(autouse=True)
def _urlconf():
    # viewflow's Node.reverse() needs the URLconf loaded.
    import config.urls  # noqa: F401


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """A real SMTP server on localhost that keeps what it receives."""

    def __init__(self):
        self.messages = []
        self.answers = {}  # address -> an SMTP answer other than OK, e.g. "550 5.1.1 No such user"
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.answers:
            return self.answers[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"

    def wait_for(self, count=1, timeout=60):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(self.messages) >= count, f"expected {count} e-mails, got {len(self.messages)}"
        return self.messages


@pytest.fixture(scope="session")
def smtp_server():
    """One SMTP sink for the whole run; smtp_sink empties it for each test."""
    sink = SmtpSink()
    sink.controller.start()
    yield sink
    sink.controller.stop()


@pytest.fixture
def smtp_sink(smtp_server, settings):
    smtp_server.messages.clear()
    smtp_server.answers.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    return smtp_server


@pytest.fixture
def celery_eager():
    """Run Celery tasks in this process (the real task code, no broker)."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager = False


def _database_url(connection) -> str:
    data = connection.settings_dict
    if data["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{data['NAME']}"
    auth = data["USER"] + (f":{data['PASSWORD']}" if data["PASSWORD"] else "")
    return f"postgres://{auth}@{data['HOST'] or '127.0.0.1'}:{data['PORT'] or 5432}/{data['NAME']}"


@pytest.fixture(scope="session")
def _worker(django_db_setup, django_db_blocker, smtp_server, tmp_path_factory):
    """One real Celery worker process for the run, on the configured broker (Redis in CI) and the test database."""
    from django.db import connection

    if django_settings.REDIS_URL:
        import redis

        redis.Redis.from_url(django_settings.REDIS_URL).ping()  # fails the run when Redis is down
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        # Frequent heartbeats: each test's database flush removes the last one.
        "HEALTH_HEARTBEAT_INTERVAL": "1",
    }
    from config.celery import app

    app.control.purge()  # messages of earlier runs refer to rows that no longer exist
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    log = log_path.open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker.log_path = log_path
    wait_until(
        lambda: " ready." in log_path.read_text() or worker.poll() is not None,
        timeout=60,
        message="the Celery worker to start",
    )
    assert worker.poll() is None, log_path.read_text()
    yield worker
    worker.terminate()
    worker.wait(timeout=20)
    log.close()


@pytest.fixture
def celery_worker_process(_worker, transactional_db, smtp_sink):
    """The shared worker, with the broker emptied of what earlier tests left."""
    from config.celery import app

    app.control.purge()
    assert _worker.poll() is None, _worker.log_path.read_text()[-4000:]
    return _worker


def wait_until(predicate, timeout=90, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {message}")


@pytest.fixture
def fund(db):
    from tests.factories import FundFactory

    return FundFactory(name="Verfügungsfonds der Sicherheitskonferenz Harburg", slug="harburg", reference_prefix="VF")


def steering_group(fund) -> dict:
    """An office user, a chair and four more voting members (one of them deputy chair), one without a vote."""
    from grants import roles
    from tests.factories import FundRoleFactory, UserFactory

    people = {"office": UserFactory(first_name="Olga", last_name="Berg")}
    FundRoleFactory(fund=fund, user=people["office"], role=roles.OFFICE, has_vote=False)
    members = [UserFactory(first_name=name) for name in ("Dana", "Selin", "Carsten", "Greta", "Lars", "Paul")]
    FundRoleFactory(fund=fund, user=members[0], role=roles.CHAIR)
    for member in members[1:5]:
        FundRoleFactory(fund=fund, user=member, role=roles.MEMBER)
    FundRoleFactory(fund=fund, user=members[5], role=roles.MEMBER, has_vote=False)
    FundRoleFactory(fund=fund, user=members[2], role=roles.DEPUTY_CHAIR, has_vote=False)
    return {**people, "members": members, "chair": members[0], "deputy": members[2]}


@pytest.fixture
def people(fund):
    return steering_group(fund)


@pytest.fixture
def club(db):
    from tests.factories import OrganisationFactory, UserFactory

    user = UserFactory(email="kassenwart@sv-example.org")
    return OrganisationFactory(name="SV Harburg-Süd e.V.", members=[user]), user


@pytest.fixture
def application(fund, club):
    """The one draft the rule tests start from: 3,000 EUR costs, 600 own funds, 2,400 requested."""
    from tests.factories import ApplicationFactory

    organisation, user = club
    return ApplicationFactory(fund=fund, organisation=organisation, created_by=user)
