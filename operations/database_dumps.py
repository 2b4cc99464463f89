"""Dump and restore the database with the engine's own tools: pg_dump's custom format for
PostgreSQL, SQLite's online backup for the SQLite file."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

DUMP_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class DatabaseToolFailed(Exception):
    """pg_dump or pg_restore failed; the message is what the tool said."""


def vendor() -> str:
    if connection.vendor not in DUMP_FILES:
        raise DatabaseToolFailed(f"backups support PostgreSQL and SQLite, not {connection.vendor}")
    return connection.vendor


def _postgres_environment() -> dict:
    # Connection details go to libpq through the environment: a password never shows in `ps`.
    settings = connection.settings_dict
    options = settings.get("OPTIONS", {})
    values = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGDATABASE": settings["NAME"],
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGCONNECT_TIMEOUT": options.get("connect_timeout"),
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def _run(arguments: list[str]) -> None:
    result = subprocess.run(arguments, env=_postgres_environment(), capture_output=True, text=True)
    if result.returncode != 0:
        raise DatabaseToolFailed(f"{arguments[0]}: {result.stderr.strip()}")


def dump_database(target_folder: Path) -> Path:
    """Write a consistent copy of the database into `target_folder` and return its path."""
    target = target_folder / DUMP_FILES[vendor()]
    if vendor() == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
    else:
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    return target


def database_is_empty() -> bool:
    """No tables, and on PostgreSQL no other objects (sequences, functions, types) either:
    pg_restore would stumble over any of them halfway through."""
    if vendor() != "postgresql":
        return not connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace)
                    + (SELECT count(*) FROM pg_proc WHERE pronamespace = current_schema()::regnamespace)
                    + (SELECT count(*) FROM pg_type t WHERE typnamespace = current_schema()::regnamespace
                       AND typtype <> 'c')"""
        )
        return cursor.fetchone()[0] == 0


def restore_database(dump: Path) -> None:
    """Load a dump made by dump_database into the (empty) configured database."""
    if vendor() == "postgresql":
        _run(["pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
              f"--dbname={connection.settings_dict['NAME']}", str(dump)])  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
    connection.close()  # the next query sees the restored schema afresh
