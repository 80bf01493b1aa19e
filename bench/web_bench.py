"""Web benchmark: every public page type, uncached and from the anonymous page cache, against a
minimal Django view served the same way (gunicorn, 2 sync workers, 127.0.0.1), with wrk.

Usage: .venv/bin/python bench/web_bench.py [--duration 3] [--rounds 3] [--scale 10]

It builds a throwaway database in a temporary folder (never var/): migrate, load_programme,
bulk content from every app that offers it (AppConfig.bench_bulk_content = "module.function",
called with --scale), update_index. It prints one table: page, SQL queries (warm caches, and the
first request's), req/s, p50, p99 and the ratio to the minimal view measured in the same round
(median of the rounds). Every server it starts is stopped. Needs wrk (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")

PICK_URLS = r"""
import json
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.module_loading import import_string
from wagtail.models import Page

urls = {}
for page in Page.objects.live().public().exclude(depth=1).specific().order_by("path"):
    urls.setdefault(type(page).__name__, page.url)
for config in apps.get_app_configs():
    for name, url in getattr(config, "bench_urls", {}).items():
        urls.setdefault(name, url)
client = Client()
rows = []
with override_settings(PAGE_CACHE_ENABLED=False):
    for name, url in urls.items():
        # The first request fills the shared caches (navigation, section addresses, the routing
        # memory); the second is what every later reader costs.
        with CaptureQueriesContext(connection) as cold:
            client.get(url, HTTP_HOST="localhost")
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url, HTTP_HOST="localhost").status_code
        rows.append({"name": name, "url": url, "queries": len(queries), "cold": len(cold), "status": status})
print("JSON" + json.dumps(rows))
"""

BULK = r"""
from django.apps import apps
from django.db import transaction
from django.utils.module_loading import import_string
scale = SCALE
with transaction.atomic():
    for config in apps.get_app_configs():
        dotted = getattr(config, "bench_bulk_content", None)
        if dotted:
            import_string(dotted)(scale=scale)
            print("bulk content:", config.label)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"server for {url} exited")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server for {url} did not start")


def wrk(url: str, duration: int) -> tuple[float, float, float]:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{duration}s", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return rps, percentile("50"), percentile("99")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("WEB_BENCH_SECONDS", "3")))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk mangler: apt-get install wrk")

    var = Path(tempfile.mkdtemp(prefix="fia-web-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "VAR_DIR": str(var),
        "AXES_ENABLED": "false",
    }
    env.pop("DATABASE_URL", None)
    servers: list[subprocess.Popen] = []
    try:

        def manage(*command: str) -> str:
            return subprocess.run(
                [PYTHON, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, check=True
            ).stdout

        print(f"Building the benchmark site in {var} …", flush=True)
        manage("migrate", "--noinput")
        manage("load_programme")
        print(
            manage("shell", "-c", BULK.replace("SCALE", str(args.scale))).strip() or "no bulk content offered"
        )
        manage("update_index")
        manage("collectstatic", "--noinput")
        pages = json.loads(manage("shell", "-c", PICK_URLS).split("JSON", 1)[1])

        def serve(app: str, extra_env: dict[str, str]) -> str:
            port = free_port()
            server = subprocess.Popen(
                [GUNICORN, app, "--bind", f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "sync"],
                cwd=ROOT,
                env={**env, **extra_env},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            servers.append(server)
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/", server)
            return base

        minimal = serve("bench.support.minimal_wsgi:application", {"PYTHONPATH": str(ROOT)})
        uncached = serve("config.wsgi:application", {"PAGE_CACHE_ENABLED": "false"})
        cached = serve("config.wsgi:application", {"PAGE_CACHE_ENABLED": "true"})

        results: dict[tuple[str, str], list[tuple[float, float, float, float]]] = {}
        for round_number in range(1, args.rounds + 1):
            print(f"Round {round_number}/{args.rounds} …", flush=True)
            for page in pages:
                for mode, base in (("uncached", uncached), ("cached", cached)):
                    urllib.request.urlopen(base + page["url"], timeout=10).read()  # warm up / fill cache
                    yardstick = wrk(minimal + "/", args.duration)[0]
                    rps, p50, p99 = wrk(base + page["url"], args.duration)
                    results.setdefault((page["name"], mode), []).append((rps, p50, p99, rps / yardstick))

        print()
        columns = ("page", 28, "<"), ("url", 34, "<"), ("queries", 7, ">"), ("cold", 4, ">"), ("mode", 9, "<")
        columns += ("req/s", 8, ">"), ("p50 ms", 7, ">"), ("p99 ms", 7, ">"), ("ratio", 6, ">")
        header = " ".join(f"{name:{align}{width}}" for name, width, align in columns)
        print(header)
        print("-" * len(header))
        for page in pages:
            for mode in ("uncached", "cached"):
                runs = results[(page["name"], mode)]
                rps, p50, p99, ratio = (statistics.median(values) for values in zip(*runs, strict=True))
                print(
                    f"{page['name'][:28]:28} {page['url'][:34]:34} {page['queries']:>7} {page['cold']:>4} "
                    f"{mode:9} {rps:>8.0f} {p50:>7.1f} {p99:>7.1f} {ratio:>6.1%}"
                )
        print(
            "\nratio = the page's req/s over the minimal Django view's in the same round (median of rounds)"
        )
        print("queries = SQL queries of a request with warm caches; cold = of the first request after start")
        print("targets: uncached ≥ 10 %, cached ≥ 85 %, queries ≤ 10 per page")
        for mode, target in (("uncached", 0.10), ("cached", 0.85)):
            ratios = {
                name: statistics.median(run[3] for run in runs)
                for (name, measured), runs in results.items()
                if measured == mode
            }
            missed = sorted(name for name, ratio in ratios.items() if ratio < target)
            print(
                f"{mode}: {len(ratios) - len(missed)} of {len(ratios)} page types meet {target:.0%}"
                + (f"; below: {', '.join(missed)}" if missed else "")
            )
        over = [page["name"] for page in pages if page["queries"] > 10]
        print(
            f"queries: {len(pages) - len(over)} of {len(pages)} page types ≤ 10"
            + (f"; over: {', '.join(over)}" if over else "")
        )
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
