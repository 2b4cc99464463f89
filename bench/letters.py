#!/usr/bin/env python
"""Letter benchmark: letters per second through the letter framework (template, mandatory-part
check, WeasyPrint PDF/A-3a) against bare WeasyPrint on the very same HTML, and the memory of one
process over many letters. Needs no database: the letter is the admin preview's grant decision.

    VAR_DIR=/tmp/bench-var .venv/bin/python bench/letters.py --letters 40 --memory 2000

Results go to stdout as a Markdown section for bench/RESULTS.md.
"""

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils import translation  # noqa: E402
from weasyprint import HTML  # noqa: E402

from grants.letters import TYPES, sample_approval_context  # noqa: E402
from grants.models import Document, Fund, LetterTexts  # noqa: E402
from notifications.pdf import render_pdf  # noqa: E402

KIND = TYPES[Document.APPROVAL]


def sample() -> dict:
    fund = Fund(name="Verfügungsfonds Harburg", reference_prefix="VF", owner_body="Bezirksamt Harburg",
                office_name="Geschäftsstelle", office_address="Harburger Rathausplatz 4\n21073 Hamburg",
                objection_address="Harburger Rathausplatz 4, 21073 Hamburg", signatory_name="Erika Beispiel",
                signatory_title="Leitung der Geschäftsstelle")  # fmt: skip
    return sample_approval_context(fund, LetterTexts(fund=fund), letter_date=dt.date(2026, 11, 25))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rate(render, count: int) -> float:
    render()  # warm-up: fonts and stylesheets loaded once per process
    started = time.perf_counter()
    for _ in range(count):
        render()
    return count / (time.perf_counter() - started)


def speed(count: int) -> dict:
    context = sample()
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(KIND.template, {**context})
    bare = lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/a-3a")  # noqa: E731
    framework = lambda: render_pdf(KIND.template, context, parts=KIND.parts)  # noqa: E731
    results = {"bare": [], "framework": []}
    for _round in range(2):  # interleaved, so that the load of a shared machine hits both alike
        results["bare"].append(rate(bare, count // 2))
        results["framework"].append(rate(framework, count // 2))
    return {name: sum(values) / len(values) for name, values in results.items()}


def memory(count: int, every: int) -> list[tuple[int, float]]:
    context = sample()
    points = [(0, rss_mb())]
    for number in range(1, count + 1):
        render_pdf(KIND.template, context, parts=KIND.parts)
        if number % every == 0:
            points.append((number, rss_mb()))
            print(f"  {number} letters: {points[-1][1]:.0f} MB", file=sys.stderr, flush=True)
    return points


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=40, help="letters per speed measurement")
    parser.add_argument("--memory", type=int, default=2000, help="letters for the memory curve (0: skip)")
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--memory-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_only:  # a fresh process, as a worker child starts
        for number, mb in memory(args.memory, args.every):
            print(f"{number} {mb:.1f}")
        return
    rates = speed(args.letters)
    print("## Letters (bench/letters.py)\n")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the "
          f"start; one process. The grant decision of the admin preview (3 pages, PDF/A-3a).\n")  # fmt: skip
    print("| rendering | letters/s | per letter |\n|---|---:|---:|")
    for name, label in [("bare", "bare WeasyPrint, same HTML"), ("framework", "render_pdf (template, parts, PDF)")]:
        print(f"| {label} | {rates[name]:.2f} | {1000 / rates[name]:.0f} ms |")
    print(f"\nFramework / bare: **{rates['framework'] / rates['bare']:.2f}** (goal: at least 0.8).\n")
    if args.memory:
        child = subprocess.run([sys.executable, __file__, "--memory-only", "--memory", str(args.memory),
                                "--every", str(args.every)], capture_output=True, text=True, check=True)  # fmt: skip
        points = [tuple(map(float, line.split())) for line in child.stdout.split("\n") if line.strip()]
        first, last = points[1], points[-1]
        print(f"Memory of one process over {args.memory} letters (RSS):\n")
        print("| letters | RSS MB |\n|---:|---:|")
        for number, mb in points:
            print(f"| {int(number)} | {mb:.0f} |")
        growth = (last[1] - first[1]) / max(last[0] - first[0], 1)
        print(f"\nGrowth after the first {int(first[0])} letters: {growth * 1000:.0f} kB per letter. A worker child "
              f"is therefore replaced after `CELERY_WORKER_MAX_TASKS_PER_CHILD` (500) tasks or "
              f"`CELERY_WORKER_MAX_MEMORY_PER_CHILD` (300 MB), whichever comes first.")  # fmt: skip


if __name__ == "__main__":
    main()
