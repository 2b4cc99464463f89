"""Real parts that the reliability tests kill and restart: a redis-server of their own (AOF on, as
production needs it, on a port of its own so that the shared Redis is never touched), Celery worker
processes started in their own process group, and an SMTP sink that can go down or refuse."""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings

from tests.conftest import BASE_DIR, SmtpSink, _database_url, free_port, wait_until

REDIS_PORT = int(os.environ.get("RELIABILITY_REDIS_PORT", "6391"))


class RedisServer:
    """A redis-server with `appendonly yes` and `appendfsync everysec` in a folder of its own."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port, self.process = folder, port, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--logfile", "redis.log"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.ping, timeout=20, message=f"redis-server on port {self.port}")

    def ping(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def kill(self):
        """SIGKILL, as a crash: only what AOF wrote survives."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path_factory):
    if shutil.which("redis-server") is None and not os.environ.get("CI"):
        pytest.skip("redis-server is not installed (CI requires it)")
    folder = Path(os.environ.get("VAR_DIR", tmp_path_factory.getbasetemp())) / "reliability-redis"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    server = RedisServer(folder, REDIS_PORT)
    server.start()
    yield server
    server.stop()


class FlakySink(SmtpSink):
    """The test suite's SMTP sink that can also refuse an address a number of times, then accept it."""

    def __init__(self):
        super().__init__()
        self.refuse_times = {}  # address -> (answer, how many more times)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer, times = self.refuse_times.get(address, ("", 0))
        if times:
            self.refuse_times[address] = (answer, times - 1)
            return answer
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    def down(self):
        self.controller.stop()

    def up(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def message_ids(self) -> Counter:
        return Counter(message["Message-ID"] for message in self.messages)


@pytest.fixture
def flaky_sink():
    sink = FlakySink()
    sink.controller.start()
    yield sink
    try:
        sink.controller.stop()
    except (AssertionError, RuntimeError):
        pass  # already down


class Workers:
    """Celery worker processes on `own_redis` and the test database; each in its own process group."""

    def __init__(self, broker_url, sink, log_folder, **env):
        from django.db import connection

        self.env = {
            **os.environ,
            "REDIS_URL": broker_url,
            "DATABASE_URL": _database_url(connection),
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "HEALTH_HEARTBEAT_INTERVAL": "5",
            "NOTIFICATION_RETRY_BASE": "1",
            "NOTIFICATION_RETRY_CAP": "4",
            "REDIS_VISIBILITY_TIMEOUT": "20",
            "EMAIL_TIMEOUT": "5",
            **env,
        }
        self.log_folder, self.processes = log_folder, []

    def start(self, concurrency=2):
        log_path = self.log_folder / f"worker-{len(self.processes)}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
             f"--concurrency={concurrency}", "--loglevel=INFO", f"--hostname=rel{len(self.processes)}@%h"],
            cwd=BASE_DIR, env=self.env, stdout=log_path.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        process.log_path, process.concurrency = log_path, concurrency
        self.processes.append(process)
        wait_until(lambda: " ready." in log_path.read_text() or process.poll() is not None, timeout=60,
                   message="a Celery worker to start")  # fmt: skip
        assert process.poll() is None, log_path.read_text()[-3000:]
        return process

    def restart_exited(self) -> int:
        """Start a new worker for each one that exited, as the production units do (systemd
        `Restart=always`): Celery can exit on a lost broker connection (kombu's "Unrecoverable
        error" while it restores unacknowledged messages)."""
        exited = [p for p in self.processes if p.poll() is not None and not getattr(p, "replaced", False)]
        for process in exited:
            process.replaced = True
            self.start(concurrency=process.concurrency)
        return len(exited)

    @staticmethod
    def children(process) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in found.split()]

    def kill_child(self, process) -> int | None:
        """kill -9 one pool child (the process that renders and sends); the parent starts another."""
        children = self.children(process)
        if children:
            os.kill(children[0], signal.SIGKILL)
            return children[0]
        return None

    def kill_all(self, process):
        """kill -9 a whole worker: its parent and every child at once."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(p.log_path.read_text()[-3000:] for p in self.processes)

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def workers(transactional_db, own_redis, flaky_sink, tmp_path):
    pool = Workers(own_redis.url, flaky_sink, tmp_path)
    yield pool
    pool.stop()


def publish(broker_url, task, ids):
    """Queue `task(id)` for each id on the given broker (the test process's own app points elsewhere)."""
    from config.celery import app

    with app.connection_for_write(broker_url) as connection:
        for pk in ids:
            task.apply_async(args=[pk], connection=connection)


def wait_all(predicate, workers, timeout, message, state=lambda: ""):
    """Wait for `predicate`; on a timeout, fail with `state()` (what the database holds) and the logs."""
    try:
        wait_until(predicate, timeout=timeout, message=message)
    except AssertionError:
        raise AssertionError(f"timed out waiting for {message}\n{state()}\n{workers.logs()}") from None


def report(line: str) -> None:
    """Say what the run measured (shown with -s, and kept in VAR_DIR/reliability.log)."""
    print(f"\nRELIABILITY {line}")
    with (Path(os.environ.get("VAR_DIR", "/tmp")) / "reliability.log").open("a") as log:
        log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {line}\n")


__all__ = ["free_port"]
