"""Search benchmark: the Whoosh backend against Wagtail's database backend on SQLite (FTS5).

Usage: .venv/bin/python bench/search_bench.py [--documents 50000] [--queries 500]

In a temporary folder (removed at the end) it creates a SQLite database with N library
documents (a title, 200-400 words of Norwegian-like text and tags, all from a fixed seed), then
for each backend, through Wagtail's search API: builds the index with `update_index` (timed),
and runs the same fixed 1-3-word queries, top 10 (`LibraryDocument.objects.search(q)[:10]`,
every word required), once to warm up and once timed (`--budget` caps the seconds of each pass,
and says how many queries were timed when it is spent; `--query-timeout` stops one database
query that runs longer and counts it at that time, so its figures are then lower bounds). It
prints the build time, p50 and p95 latency for both backends and their ratio (Whoosh /
database). Targets: a 50k build under 60 s and Whoosh's p95 no worse than the database
backend's. A third row, not a Wagtail backend, runs the same searches straight on the FTS5 table
the database backend built: what SQLite itself costs, for reference.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20210203

SYLLABLES = str.split(
    "ar beid mar ked kom mu ne til tak skap lig het sel ning for del sam fun dre tje nes te "
    "ut dan ning vel ferd bo ste in klu de ring kva li fi se plass le der an svar y tel se "
    "ei er sty ring be drift lø nn tid ord fyl ke stat nav vtaa aft mål grup pe"
)
COMMON_WORDS = str.split(
    "og i det som en på er til av for med at har de ikke den om et var fra men kan skal vil "
    "kommunen arbeid arbeidsmarkedsbedrift tiltak deltakere plasser eierskap styring tilskudd "
    "rapport funn anbefaling lov forskrift tjenester kommunene staten nav vta aft samarbeid "
    "oppfølging kvalifisering inkludering utdanning sysselsetting ungdom bedrift ressurser"
)


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words = set(COMMON_WORDS)
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5))))
    return sorted(words)


def zipf_weights(n: int) -> list[float]:
    return [1.0 / (rank + 1) ** 1.05 for rank in range(n)]


def configure(var: Path) -> None:
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-only",
        USE_TZ=True,
        TIME_ZONE="Europe/Oslo",
        LANGUAGE_CODE="nb",
        WAGTAIL_CONTENT_LANGUAGES=[("nb", "Norsk bokmål")],
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "taggit",
            "wagtail",
            "wagtail.search",
            "bench.support.searchbench",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(var / "bench.sqlite3")}},
        WAGTAILSEARCH_BACKENDS={
            "default": {"BACKEND": "wagtail.search.backends.database"},
            "whoosh": {
                "BACKEND": "knowledge.search.backend",
                "PATH": str(var / "index"),
            },
        },
        STATIC_URL="/static/",
        LOGGING_CONFIG=None,
    )
    django.setup()


def generate(count: int) -> tuple[list[str], list[str]]:
    from django.core.management import call_command

    from bench.support.searchbench.models import LibraryDocument

    call_command("migrate", run_syncdb=True, verbosity=0)
    rng = random.Random(SEED)
    words = vocabulary(rng)
    rng.shuffle(words)
    weights = zipf_weights(len(words))
    cumulative = list(__import__("itertools").accumulate(weights))
    tags = ["VTA", "AFT", "eierstyring", "NAV", "kommune", "forskning", "lov", "tilskudd", "ungdom", "helse"]
    batch = []
    for number in range(count):
        body_words = rng.choices(words, cum_weights=cumulative, k=rng.randint(200, 400))
        title_words = rng.choices(words, cum_weights=cumulative, k=rng.randint(3, 8))
        batch.append(
            LibraryDocument(
                title=" ".join(title_words).capitalize() + f" {number}",
                body=" ".join(body_words),
                tags=" ".join(rng.sample(tags, 2)),
            )
        )
        if len(batch) == 2000:
            LibraryDocument.objects.bulk_create(batch)
            batch = []
    LibraryDocument.objects.bulk_create(batch)
    return words, weights


def fixed_queries(words: list[str], weights: list[float], count: int) -> list[str]:
    rng = random.Random(SEED + 1)
    # Words a reader would type: neither the rarest nor pure stop words.
    pool = [word for word in words[:3000] if word not in COMMON_WORDS[:25]]
    pool_weights = [weights[words.index(word)] for word in pool]
    queries = []
    for _ in range(count):
        queries.append(" ".join(rng.choices(pool, weights=pool_weights, k=rng.randint(1, 3))))
    return queries


def build(backend_name: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds of `update_index` (on shared cores the CPU time shows what
    the build costs when others load the machine)."""
    from django.core.management import call_command

    started, cpu = time.perf_counter(), time.process_time()
    call_command("update_index", backend_name=backend_name, verbosity=0)
    return time.perf_counter() - started, time.process_time() - cpu


class QueryTimeout:
    """Interrupts a database query that runs past `seconds` (SQLite's `interrupt()`, called from
    a timer thread): the query then counts as taking `seconds`, a lower bound, and is counted."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.interrupted = 0

    def run(self, search):
        from django.db import OperationalError, connection

        if not self.seconds:
            return search()
        connection.ensure_connection()
        timer = threading.Timer(self.seconds, connection.connection.interrupt)
        timer.start()
        try:
            return search()
        except OperationalError as error:
            if "interrupt" not in str(error):
                raise
            self.interrupted += 1
            return None
        finally:
            timer.cancel()


def backend_search(backend_name: str, timeout: QueryTimeout):
    """One search through Wagtail's API: top 10, every word required."""
    from wagtail.search.backends import get_search_backend

    from bench.support.searchbench.models import LibraryDocument

    backend = get_search_backend(backend_name)
    return lambda query: timeout.run(
        lambda: list(backend.search(query, LibraryDocument, operator="and")[:10])
    )


def fts5_search(timeout: QueryTimeout):
    """The same search straight on the FTS5 table Wagtail's database backend built (its MATCH
    expression, bm25 order, top 10, then the 10 objects): a reference for what SQLite itself
    costs. Wagtail's backend instead scores every match in a correlated subquery that runs the
    MATCH again for each matching object, which makes common words slow."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from bench.support.searchbench.models import LibraryDocument

    content_type = ContentType.objects.get_for_model(LibraryDocument).pk
    sql = (
        "SELECT e.object_id FROM wagtailsearch_indexentry_fts f "
        "JOIN wagtailsearch_indexentry e ON f.rowid = e.id "
        "WHERE wagtailsearch_indexentry_fts MATCH %s AND e.content_type_id = %s "
        "ORDER BY bm25(wagtailsearch_indexentry_fts) LIMIT 10"
    )

    def search(query: str):
        match = "{title body} : (" + " AND ".join(f'"{word}"' for word in query.split()) + ")"

        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, [match, content_type])
                ids = [int(row[0]) for row in cursor.fetchall()]
            objects = LibraryDocument.objects.in_bulk(ids)
            return [objects[pk] for pk in ids if pk in objects]

        return timeout.run(run)

    return search


def latencies(search, queries: list[str], budget: float | None, timeout: QueryTimeout):
    """Milliseconds per query, timed on the second pass (the first warms caches, the reused
    searcher and SQLite's pages). With a budget (seconds, for each pass), a pass stops when it
    is spent: the figures are then over the queries that completed, and say so. A query past
    the timeout is stopped and counted at the timeout."""
    deadline = time.perf_counter() + budget if budget else None
    for query in queries:
        search(query)
        if deadline and time.perf_counter() > deadline:
            break
    timeout.interrupted = 0
    deadline = time.perf_counter() + budget if budget else None
    timings, cpu_timings = [], []
    found = 0
    for query in queries:
        started, cpu = time.perf_counter(), time.process_time()
        results = search(query)
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu) * 1000)
        found += len(results or [])
        if deadline and time.perf_counter() > deadline:
            break
    return timings, cpu_timings, found / len(timings)


def segment_count(path: Path) -> int:
    from whoosh import index as windex

    from knowledge.search.backend import INDEX_NAME

    return len(windex.open_dir(str(path), indexname=INDEX_NAME)._segments())


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument(
        "--budget",
        type=float,
        default=300,
        help="seconds per pass of queries and backend (0: none); a pass over budget stops and "
        "reports the queries that completed (printed)",
    )
    parser.add_argument(
        "--query-timeout",
        type=float,
        default=60,
        help="seconds after which one database query is interrupted and counted at that time, a "
        "lower bound (0: none)",
    )
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="fia-search-bench-"))
    # Stopped from outside (timeout, Ctrl-C), it still removes its temporary folder.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        configure(var)
        started = time.perf_counter()
        words, weights = generate(args.documents)
        print(f"{args.documents} documents generated in {time.perf_counter() - started:.1f} s", flush=True)
        queries = fixed_queries(words, weights, args.queries)
        rows = {}
        print(f"{'backend':<24}{'build s':>10}{'p50 ms':>10}{'p95 ms':>10}{'hits/query':>12}", flush=True)
        notes = []
        runs = (
            ("Whoosh", "whoosh", backend_search),
            ("Database (SQLite FTS5)", "default", backend_search),
            ("FTS5 direct (reference)", None, None),
        )
        for label, name, searcher in runs:
            timeout = QueryTimeout(args.query_timeout if name != "whoosh" else None)
            if name is None:  # the database backend's FTS5 table, already built
                build_seconds = build_cpu = 0.0
                search = fts5_search(timeout)
            else:
                build_seconds, build_cpu = build(name)
                search = searcher(name, timeout)
            timings, cpu_timings, mean_found = latencies(search, queries, args.budget, timeout)
            rows[label] = (build_seconds, statistics.median(timings), percentile(timings, 0.95), mean_found)
            build_seconds, p50, p95, mean_found = rows[label]
            build_column = f"{build_seconds:>10.1f}" if name else f"{'-':>10}"
            print(f"{label:<24}{build_column}{p50:>10.2f}{p95:>10.2f}{mean_found:>12.1f}", flush=True)
            notes.append(
                f"{label}: "
                + (
                    f"build {build_seconds:.1f} s wall, {build_cpu:.1f} s CPU in this process; "
                    f"{args.documents / build_seconds:.0f} documents/s; "
                    if name
                    else "not a Wagtail backend; "
                )
            )
            notes[-1] += (
                f"per query CPU time (this process, SQLite included) p50 "
                f"{statistics.median(cpu_timings):.2f} ms, p95 {percentile(cpu_timings, 0.95):.2f} ms"
            )
            if name == "whoosh":
                notes[-1] += f", {segment_count(var / 'index')} segment(s) after the build"
            if len(timings) < len(queries):
                notes[-1] += f"; BUDGET SPENT: timed {len(timings)} of {len(queries)} queries"
            if timeout.interrupted:
                notes[-1] += (
                    f"; {timeout.interrupted} queries stopped at the {timeout.seconds:g} s timeout "
                    "(counted at it: its p50/p95 are lower bounds)"
                )
        for note in notes:
            print(note)
        whoosh, database = rows["Whoosh"], rows["Database (SQLite FTS5)"]
        print(
            f"ratio Whoosh/database: build {whoosh[0] / database[0]:.2f}, "
            f"p50 {whoosh[1] / database[1]:.2f}, p95 {whoosh[2] / database[2]:.2f}"
        )
        print(
            f"targets: build < 60 s: {'ok' if whoosh[0] < 60 else 'MISSED'}; "
            f"Whoosh p95 <= database p95: {'ok' if whoosh[2] <= database[2] else 'MISSED'}"
        )
        reference = rows["FTS5 direct (reference)"]
        print(f"for reference, Whoosh p95 / FTS5 direct p95: {whoosh[2] / reference[2]:.1f}")
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
