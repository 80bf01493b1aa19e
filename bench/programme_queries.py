"""SQL queries per public programme page, at 1× and 10× the milestones.

Usage: .venv/bin/python bench/programme_queries.py [--scale 10]

It builds a throwaway SQLite database in a temporary folder (never var/, never DATABASE_URL):
migrate, load_programme, then counts the queries of one request to every public page type of
the programme (programme page, theme index, theme page, timeline, milestone page, status report
with and without a period, and a recommendation page, which lists the milestones acting on it),
after a first request has filled the process caches, as in production. Then it adds generated
milestones (`programme.factories.bulk_content`, linked to themes, recommendations and decisions)
up to --scale times the seed's number and counts again. Every count must be ≤ 10 and equal at
both scales; the script exits non-zero when one is not.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="fia-programme-bench-"))
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "VAR_DIR": str(var),
            "PAGE_CACHE_ENABLED": "false",
            "DEBUG": "false",
        }
    )
    (var / "static").mkdir()
    sys.path.insert(0, str(ROOT))
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("load_programme", verbosity=0)
        first = measure()
        seed_count = milestone_count()
        from programme.factories import bulk_content

        bulk_content(scale=args.scale)
        second = measure()
        ok = report(first, second, seed_count, milestone_count(), args.scale)
    finally:
        shutil.rmtree(var, ignore_errors=True)
    return 0 if ok else 1


def milestone_count() -> int:
    from programme.models import Milestone

    return Milestone.objects.count()


def urls() -> dict[str, str]:
    from wagtail.models import Page

    from knowledge.models import RecommendationPage
    from programme.models import Milestone

    found = {}
    for page in Page.objects.live().public().specific().order_by("path"):
        if page._meta.app_label == "programme":
            found.setdefault(type(page).__name__, page.url)
    timeline = found.get("TimelinePage", "/")
    milestone = Milestone.objects.filter(live=True).order_by("pk").first()
    if milestone:
        found["milestone page"] = f"{timeline}milepaeler/{milestone.slug}/"
    if "StatusReportPage" in found:
        found["StatusReportPage, chosen period"] = (
            found["StatusReportPage"] + "?fra=2021-01-01&til=2025-06-30"
        )
    recommendation = RecommendationPage.objects.live().order_by("path").first()
    if recommendation:
        found["RecommendationPage"] = recommendation.url
    return found


def measure() -> dict[str, tuple[str, int, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    result = {}
    for name, url in urls().items():
        client.get(url, HTTP_HOST="localhost")
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url, HTTP_HOST="localhost").status_code
        result[name] = (url, status, len(captured))
    return result


def report(first, second, seed_count, bulk_count, scale) -> bool:
    ok = True
    print(f"milestones: {seed_count} (1×) and {bulk_count} ({scale}×); budget {BUDGET} queries per page")
    print(f"{'page':<34} {'1×':>4} {f'{scale}×':>5}  status  url")
    for name, (url, status, count) in first.items():
        _url, status_after, count_after = second.get(name, (url, 0, -1))
        flag = ""
        if count > BUDGET or count_after != count or status != 200 or status_after != 200:
            ok = False
            flag = "  <-- over budget, growing or failing"
        print(f"{name:<34} {count:>4} {count_after:>5}  {status_after:>6}  {url}{flag}")
    print("OK: every page within budget and constant" if ok else "FAILED")
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
