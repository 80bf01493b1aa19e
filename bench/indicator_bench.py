"""Indicators and budget: SQL queries per public page at 1x and 10x data, and import speed.

Usage: .venv/bin/python bench/indicator_bench.py [--rows 20000]

It builds a throwaway SQLite database in a temporary folder (never var/): migrate and
load_programme. Then it prints, for the indicators page, the budget page and the programme page,
the queries with the seed content, with generated observations, areas, funding sources and
budget categories (1x), and with ten times as many (10x); the budget is 10 and must not grow.
Last, the time to import a generated long-format CSV of --rows observations, and to import it
again (nothing changes).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/indikatorer/", "/budsjett/", "/"]


def setup(tmp: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_programme", verbosity=0)


def grow(scale: int) -> None:
    """`scale` x (5 areas x 30 periods) observations and 20 sources and categories."""
    from programme.models import Area, BudgetCategory, FundingSource, Indicator, Observation

    indicator = Indicator.objects.get(slug="sysselsettingsprosent")
    start = Area.objects.count()
    areas = [
        Area.objects.create(name=f"Benk-område {start + i}", sort_order=100 + start + i)
        for i in range(5 * scale)
    ]
    Observation.objects.bulk_create(
        Observation(indicator=indicator, area=area, period=str(year), value=Decimal("60.5"))
        for area in areas
        for year in range(1995, 2025)
    )
    n = FundingSource.objects.count()
    FundingSource.objects.bulk_create(
        FundingSource(name=f"Benk-kilde {n + i}", status="sokt") for i in range(20 * scale)
    )
    n = BudgetCategory.objects.count()
    BudgetCategory.objects.bulk_create(BudgetCategory(name=f"Benk-post {n + i}") for i in range(20 * scale))


def queries() -> dict[str, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    counts = {}
    with override_settings(PAGE_CACHE_ENABLED=False, ALLOWED_HOSTS=["*"]):
        cache.clear()
        for url in PAGES:
            client.get(url)  # fill the process-wide caches first, as in production
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200, url
            counts[url] = len(captured)
    return counts


def import_speed(rows: int) -> tuple[float, float, str]:
    from programme.imports import import_indicator_file
    from programme.models import Area

    areas = list(Area.objects.values_list("name", flat=True))
    lines = ["indikator;område;periode;verdi"]
    for i in range(rows):
        area = areas[i % len(areas)]
        year, month = 1900 + (i // len(areas)) // 12, (i // len(areas)) % 12 + 1
        lines.append(f"sysselsettingsprosent;{area};{year}M{month:02d};{60 + i % 10},{i % 10}")
    content = "\n".join(lines).encode()
    started = time.perf_counter()
    first = import_indicator_file(content=content, filename="benk.csv")
    middle = time.perf_counter()
    second = import_indicator_file(content=content, filename="benk.csv")
    ended = time.perf_counter()
    return middle - started, ended - middle, f"{first.summary()} / {second.summary()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup(Path(folder))
        seed = queries()
        grow(1)
        one = queries()
        grow(9)
        ten = queries()
        print(f"{'page':<16}{'seed':>6}{'1x':>6}{'10x':>6}  (budget 10, must not grow)")
        for url in PAGES:
            print(f"{url:<16}{seed[url]:>6}{one[url]:>6}{ten[url]:>6}")
        first, second, summary = import_speed(args.rows)
        print(f"import {args.rows} rows: {first:.2f} s; again: {second:.2f} s ({summary})")


if __name__ == "__main__":
    main()
