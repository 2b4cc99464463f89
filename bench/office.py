#!/usr/bin/env python
"""Office pages benchmark: seed N applications with bench/run.py's seeder, then measure the
office's queue (plain, filtered, a later page), the file view and the fund ledger (years, one
year's page, its XLSX export). Writes its own section of bench/RESULTS.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_office VAR_DIR=/tmp/bench-var \
        .venv/bin/python bench/office.py --sizes 10000

The database is WIPED for every size: never point DATABASE_URL at real data.
"""

import argparse
import gc
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402  (sets up Django)
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from grants.models import Application, FiscalYear  # noqa: E402

BEGIN, END = "<!-- office-bench -->", "<!-- /office-bench -->"


def write_running_balances():
    """The seeder COPYs ledger rows without the balance after each entry that ledger_book
    writes under the year's lock: fill it in as the migration does, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE grants_ledgerentry AS entry SET available_after = walked.available
            FROM (
                SELECT e.id, y.budget - SUM(CASE WHEN e.kind = 'commit' THEN e.amount
                                                 WHEN e.kind IN ('release', 'reversal') THEN -e.amount
                                                 ELSE 0 END)
                       OVER (PARTITION BY e.fiscal_year_id ORDER BY e.created, e.id) AS available
                FROM grants_ledgerentry e JOIN grants_fiscalyear y ON y.id = e.fiscal_year_id
            ) AS walked
            WHERE entry.id = walked.id
            """
        )
        cursor.execute("VACUUM ANALYZE grants_ledgerentry")


def office_pages(s):
    client = Client()
    client.force_login(s["office"])
    fiscal_year = FiscalYear.objects.get(fund=s["fund"], year=timezone.localdate().year)
    waiting = Application.objects.filter(status="submitted").order_by("pk").first()
    entries = fiscal_year.ledger.count()
    tasks = s["open_office_tasks"]
    pages = [
        ("queue", "/geschaeftsstelle/", f"page 1 of {tasks} open tasks"),
        ("queue, overdue + sorted by amount", "/geschaeftsstelle/?overdue=on&sort=-amount", "overdue tasks"),
        ("queue, search", "/geschaeftsstelle/?q=Projekt&step=check_completeness", "search over title/ref/org"),
        ("queue, page 5", "/geschaeftsstelle/?page=5", f"page 5 of {tasks} open tasks"),
        ("file (closed)", f"/akten/{s['application'].pk}/", "closed file, full history"),
        ("file (waiting for check)", f"/akten/{waiting.pk}/", "submitted file, process chart"),
        ("ledger years", "/geschaeftsstelle/haushalt/", "every fiscal year"),
        ("ledger page", f"/geschaeftsstelle/haushalt/{fiscal_year.pk}/", f"50 newest of {entries} entries"),
    ]
    if entries <= 10000:  # the export streams every entry of the year: timed where that stays short
        export = f"/geschaeftsstelle/haushalt/{fiscal_year.pk}/?export=xlsx"
        pages.append(("ledger XLSX", export, f"all {entries} entries"))
    return pages, client


def measure(s, repeat):
    pages, client = office_pages(s)
    results = []
    for name, url, rows in pages:
        call, check = bench.page(client, url)
        row = bench.measure(f"{name} `GET {url}`", call, repeat, rows=rows, check=check)
        results.append(row)
        print(f"    {name:<34} {row['queries']:>4} queries {row['median_ms']:>8.1f} ms  (CPU {row['cpu_ms']:.1f} ms)")
    return results


def render(runs, facts, started_at) -> str:
    out = [
        BEGIN,
        "## Office pages (bench/office.py)",
        "",
        f"- Date: {started_at:%Y-%m-%d %H:%M %Z}; command: `{bench.command_line()}`",
        f"- Database: {facts['database']}; machine: {facts['nproc']} cores, {facts['cpu']}",
        "- Data: bench/run.py's seeder (see bench/README.md); each ledger entry's running balance filled in "
        "afterwards as migration 0012 does. Same columns as above.",
    ]
    for run in runs:
        out += [
            "",
            f"### {run['size']:,} applications".replace(",", " "),
            "",
            f"Seeded in {run['seed_s']:.0f} s; load average (1 min) while measuring: {run['load']:.2f}.",
            "",
            "| page | queries | median ms | min ms | CPU ms | SQL ms | most repeated query | on the page |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for row in run["results"]:
            out.append(
                f"| {row['page']} | {row['queries']} | {row['median_ms']:.1f} | {row['min_ms']:.1f} "
                f"| {row['cpu_ms']:.1f} | {row['sql_ms']:.1f} | {row['repeats']}× | {row['rows']} |"
            )
        out += ["", "<details><summary>Slowest SQL per page</summary>", ""]
        for row in run["results"]:
            out += [f"- **{row['page']}** ({row['slowest_ms']:.1f} ms): `{bench.clip(row['slowest_sql'])}`"]
            if row.get("explain"):
                out += ["", "```", row["explain"], "```", ""]
        out += ["", "</details>"]
    out.append(END)
    return "\n".join(out) + "\n"


def write_section(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", lambda _m: section, text, flags=re.DOTALL)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-seed", action="store_true", help="measure what the database holds (one size)")
    parser.add_argument("--output", default=str(bench.BASE_DIR / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    started_at = timezone.localtime()
    facts = bench.machine_facts()
    runs = []
    for n in args.sizes:
        print(f"== {n} applications")
        seed_s = 0.0
        if not args.no_seed:
            seeder = bench.Seeder(n, max(50, min(400, n // 50)), args.seed)
            seed_s = seeder.run()
            del seeder
            gc.collect()
            write_running_balances()
            print(f"    seeded in {seed_s:.0f} s")
        s = bench.scenario()
        load = os.getloadavg()[0]
        results = measure(s, args.repeat)
        runs.append({"size": n, "seed_s": seed_s, "load": max(load, os.getloadavg()[0]), "results": results})
    section = render(runs, facts, started_at)
    write_section(Path(args.output), section)
    print(section)


if __name__ == "__main__":
    main()
