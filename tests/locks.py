"""A guard for every test on PostgreSQL (CI): the row locks the code takes cannot deadlock.

A deadlock in CI's deploy check came from a vote that locked its fund's row through a join: every
audit event of the fund references that row, so the worker's audit event (holding the fund's
audit chain) waited for the vote while the vote waited for the chain."""

import re
import sys

LOCK = re.compile(r"\bFOR (NO KEY )?UPDATE\b( OF)?")
LOCKED_TABLE = re.compile(r'SELECT .*? FROM "(\w+)"')
# The rows a service locks to serialise its work, and that most other rows reference.
ROOTS = {f"grants_{name}" for name in ("fund", "application", "fiscalyear", "meeting", "agendaitem")}
LOCKED_IDS = re.compile(r'WHERE \(?"(\w+)"\."id" (= %s|IN \((?:%s(?:, )?)+\))')


def _seeding_the_demo() -> bool:
    """The demo is created in one transaction, on a database that nobody else uses yet."""
    frame = sys._getframe()
    while frame is not None:
        if frame.f_code.co_name == "seed_demo" and frame.f_globals.get("__name__") == "workflows.demo":
            return True
        frame = frame.f_back
    return False


def row_locks_in_order(request, monkeypatch):
    """Row locks that cannot deadlock, checked on every query on PostgreSQL:

    - locks on the rows that most rows reference are FOR NO KEY UPDATE, and a lock on a query that
      joins other tables names its own (FOR ... OF); else PostgreSQL blocks every insert that
      references the locked row, or locks the joined rows too (a vote once locked its fund that
      way, so every audit event of the fund waited for the vote while the vote waited for the
      audit chain);
    - the audit chain is the last lock of a transaction: after it, a transaction locks none of
      these rows it has not locked before (services.core.audit)."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        yield
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    base = 0 if transactional else 1  # the depth of a service's own transaction
    state = {"chain": False, "locked": set()}
    enter = transaction.Atomic.__enter__

    def entering(atomic):
        if len(connection.atomic_blocks) == base:  # a new transaction of a service
            state["chain"], state["locked"] = False, set()
        return enter(atomic)

    def check(execute, sql, params, many, context):
        lock = LOCK.search(sql)
        table = lock and LOCKED_TABLE.match(sql)
        if table:
            table = table.group(1)
            assert lock.group(2) or " JOIN " not in sql, f"a row lock spreads to the joined tables: {sql}"
            assert lock.group(1) or table not in ROOTS, f"a row lock that blocks references (use no_key=True): {sql}"
            ids = LOCKED_IDS.search(sql)
            rows = (
                {(table, value) for value in params[sql[: ids.start()].count("%s") :][: ids.group(2).count("%s")]}
                if ids and ids.group(1) == table
                else {(table, sql, tuple(params or ()))}
            )
            if table == "grants_auditchain":
                state["chain"] = True
            elif table in ROOTS and state["chain"] and not rows <= state["locked"] and not _seeding_the_demo():
                raise AssertionError(
                    f"a row locked after the audit chain (lock it before the first audit event): {sql}"
                )
            state["locked"] |= rows
        return execute(sql, params, many, context)

    monkeypatch.setattr(transaction.Atomic, "__enter__", entering)
    with connection.execute_wrapper(check):
        yield
