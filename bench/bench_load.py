"""Load on the production stack: gunicorn with the production settings on PostgreSQL
and Redis, 100,000 products, mixed browsing by wrk — category pages, product pages,
article searches and a logged-in contract buyer's category listings — req/s and
p50/p95/p99 per URL group and overall. Target: ≥ 100 req/s at p95 ≤ 250 ms.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/shop_load .venv/bin/python -m bench
bench_load [options]. Needs wrk (Debian package `wrk`) and PostgreSQL.

The database is created and filled on the first run (`manage.py migrate`, `load_demo
--products N`, which also builds the search index, then VACUUM ANALYZE) and kept: a
later run reuses it when it holds N products, their search documents and a contract.
The static files are collected once into var/bench_load/static (the production
storage serves them from a manifest).

The groups: `category` — every category page (page 1 mostly, pages 2 and 3 where
they exist; load_demo puts 98% of the products under one leaf category, so 2 of its
10 categories list 98,000 products); `product` — 2,000 product pages; `search` —
the article, its lower-case spaced form, the maker's number and a cross-reference of
500 products; `buyer` — the contract company's buyer on the category pages of its
contract items, logged in through the login form. Each group is one wrk process
(closed loop: a connection sends its next request when the answer arrives) with its
share of the connections, all at once, so the server sees the mix; latency is from
sending to the last byte, queueing in gunicorn's backlog included. Every answer that
is not a 200 — or a buyer's page without the active company in its header — and every
timeout (10 s) is an error; any error fails the run after the figures are printed.
Requests carry `X-Forwarded-Proto: https` (as behind the TLS proxy of production, so
the Secure cookies and HTTPS redirects of the production settings stay as they are)
and a browser's `Accept-Encoding`.

Besides req/s and latency, each level prints the CPU the web processes and this
database's PostgreSQL backends spent per request, and the req/s that would make on
idle cores: on a machine shared with other work that is the figure to compare.
"cached" is the share of answers served from the page cache (`X-Page-Cache: hit`,
docs/ARCHITECTURE.md "Caching"). A run that starts its own gunicorn empties its Redis
database first (db 14, unless REDIS_URL is set), so every run starts with cold page
and listing caches and the warm-up fills them; the product and search groups have
about 2,000 URLs each, so within a short run most of their pages are first visits.

Options:
  --products N        catalogue size (default 100000)
  --rebuild           drop and rebuild the database (its name must contain "load")
                      and collect the static files again
  --workers N         gunicorn workers (default 5, as `make serve` on 2 cores)
  --threads N         threads per worker: 1 is the sync worker, more is gthread
  --concurrency LIST  open connections, one run per level, e.g. 8,16,32 (default 16)
  --duration S        seconds measured per level (default 30)
  --warmup S          seconds of the same mix before measuring, not counted (default 10)
  --mix SPEC          connection shares, default category=3,product=3,search=2,buyer=2
  --url URL           measure a server already running (e.g. `make serve`) instead of
                      starting gunicorn; it must use the same database
"""

import argparse
import os
import random
import shutil
import tempfile
from pathlib import Path

from bench.load_data import buyer_email, ensure_data, url_groups
from bench.load_stack import (
    REDIS_DB,
    Gunicorn,
    buyer_login,
    cpu_sample,
    cpu_spent,
    preflight,
    redis_flush,
    run_wrk_group,
)

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "var" / "bench_load"
GROUPS = ("category", "product", "search", "buyer")
TARGET_RPS, TARGET_P95_MS = 100, 250
BUYER_MARKER = 'class="topbar__company"'


def _options(argv):
    parser = argparse.ArgumentParser(prog="python -m bench bench_load")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--concurrency", default="16")
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--mix", default="category=3,product=3,search=2,buyer=2")
    parser.add_argument("--url", default="")
    options, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"bench_load ignores {' '.join(unknown)}")
    options.levels = [int(c) for c in options.concurrency.split(",")]
    options.weights = {
        name: int(share)
        for name, share in (part.split("=") for part in options.mix.split(","))
    }
    if set(options.weights) - set(GROUPS) or min(options.levels) < len(options.weights):
        parser.error(f"--mix names {GROUPS}; each level needs a connection per group")
    return options


# -- measuring -----------------------------------------------------------------------


def _split(total: int, weights: dict[str, int]) -> dict[str, int]:
    """Connections per group: one each, the rest by largest remainder of the shares."""
    share = sum(weights.values())
    exact = {g: (total - len(weights)) * w / share for g, w in weights.items()}
    counts = {g: 1 + int(x) for g, x in exact.items()}
    for g in sorted(exact, key=lambda g: exact[g] - int(exact[g]), reverse=True):
        if sum(counts.values()) >= total:
            break
        counts[g] += 1
    return counts


def _percentile(histogram: dict[int, int], p: float) -> float:
    total = sum(histogram.values())
    rank, seen = total * p / 100, 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value / 1000
    return 0.0


def _row(name, conns, result) -> str:
    h = result["latency"]
    seconds = result["duration_us"] / 1e6
    errors = _errors(result)
    return (
        f"{name:<9}{conns:>6}{result['requests']:>10}"
        f"{result['requests'] / seconds:>9.1f}"
        f"{_percentile(h, 50):>9.0f}{_percentile(h, 95):>9.0f}"
        f"{_percentile(h, 99):>9.0f}{max(h, default=0) / 1000:>9.0f}{errors:>8}"
        f"{100 * result['cache_hits'] / max(result['requests'], 1):>8.0f}%"
    )


def _merge(results: list[dict]) -> dict:
    merged = {"latency": {}, "duration_us": max(r["duration_us"] for r in results)}
    for key in (
        "requests",
        "not_ok",
        "unmarked",
        "socket_errors",
        "timeouts",
        "cache_hits",
    ):
        merged[key] = sum(r[key] for r in results)
    for result in results:
        for value, count in result["latency"].items():
            merged["latency"][value] = merged["latency"].get(value, 0) + count
    return merged


def _db_pids() -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def _cpu_now(server) -> dict:
    return cpu_sample(web_pids=server.pids() if server else [], db_pids=_db_pids())


def _measure(base_url, files, headers, connections, seconds, server):
    """All groups at once for `seconds`; per-group results, overall, CPU spent."""
    before = _cpu_now(server)
    processes = {
        group: run_wrk_group(
            base_url=base_url,
            paths_file=files[group],
            headers=headers[group],
            marker=BUYER_MARKER if group == "buyer" else "",
            connections=n,
            seconds=seconds,
            seed=i + 1,
        )
        for i, (group, n) in enumerate(connections.items())
    }
    results = {group: wait() for group, wait in processes.items()}
    return results, _merge(list(results.values())), cpu_spent(before, _cpu_now(server))


def _report(level, connections, results, overall, cpu) -> bool:
    print(
        f"\nconcurrency {level} ("
        + ", ".join(f"{g} {n}" for g, n in connections.items())
        + ")"
    )
    print(
        f"{'group':<9}{'conns':>6}{'requests':>10}{'req/s':>9}{'p50 ms':>9}"
        f"{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}{'cached':>9}"
    )
    for group, result in results.items():
        print(_row(group, connections[group], result))
        for code in result["statuses"]:
            print(f"{'':<9}status {code}")
        if result["unmarked"]:
            print(f"{'':<9}{result['unmarked']} pages without the buyer's company")
        if result["timeouts"]:
            print(f"{'':<9}{result['timeouts']} requests timed out (10 s)")
    print(_row("overall", level, overall))
    _report_cpu(cpu, overall["requests"])
    rps = overall["requests"] / (overall["duration_us"] / 1e6)
    p95 = _percentile(overall["latency"], 95)
    met = rps >= TARGET_RPS and p95 <= TARGET_P95_MS
    print(
        f"target ≥ {TARGET_RPS} req/s at p95 ≤ {TARGET_P95_MS} ms: "
        + ("met" if met else "missed")
    )
    return _errors(overall) == 0


def _report_cpu(cpu, requests) -> None:
    """Where the cores went, and what a request costs: the machine may be shared,
    the CPU a request takes is not."""
    seconds = cpu.pop("seconds")
    print(
        "CPU, 100% = one core: "
        + ", ".join(f"{k} {100 * v / seconds:.0f}%" for k, v in cpu.items())
        + f" (of {100 * (os.cpu_count() or 1)}%)"
    )
    if requests and cpu["gunicorn"]:
        web, db = (1000 * cpu[k] / requests for k in ("gunicorn", "postgres"))
        ceiling = 1000 * (os.cpu_count() or 1) / (web + db)
        print(
            f"CPU per request: {web + db:.0f} ms (gunicorn {web:.0f} ms, PostgreSQL "
            f"{db:.0f} ms): at most ~{ceiling:.0f} req/s on idle cores"
        )


def _errors(result) -> int:
    return result["not_ok"] + result["unmarked"] + result["socket_errors"]


def run(argv) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("bench_load needs wrk: apt-get install wrk")
    options = _options(argv)
    ensure_data(options.products, options.rebuild)
    rng = random.Random(14)
    groups, company = url_groups(rng)
    email = buyer_email(company)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    server = None
    if options.url:
        base_url = options.url.rstrip("/")
    else:
        if "REDIS_URL" not in os.environ:
            redis_flush(REDIS_DB)  # cold caches: the warm-up fills them
        server = Gunicorn(
            work_dir=WORK_DIR,
            workers=options.workers,
            threads=options.threads,
            fresh=options.rebuild,
        )
    try:
        if server is not None:
            base_url = server.start()
        _run_levels(options, base_url, groups, email, company, server)
    finally:
        if server is not None:
            server.stop()


def _run_levels(options, base_url, groups, email, company, server) -> None:
    from shop.demo.accounts import PASSWORD

    common = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, deflate, br"}
    cookie = buyer_login(
        base_url=base_url, headers=common, email=email, password=PASSWORD
    )
    headers = {g: common for g in GROUPS} | {"buyer": {**common, "Cookie": cookie}}
    preflight(base_url=base_url, groups=groups, headers=headers, marker=BUYER_MARKER)
    where = f"gunicorn {server.describe()}" if server else f"the server at {base_url}"
    print(
        f"{where}; buyer {email} of {company.name} (contract prices); "
        + ", ".join(f"{len(set(p))} {g} URLs" for g, p in groups.items())
    )
    with tempfile.TemporaryDirectory(dir=WORK_DIR) as tmp:
        files = {}
        for group in options.weights:
            files[group] = Path(tmp) / f"{group}.txt"
            files[group].write_text("\n".join(groups[group]) + "\n")
        clean = True
        first = _split(options.levels[0], options.weights)
        if options.warmup:
            results, overall, _ = _measure(
                base_url, files, headers, first, options.warmup, server
            )
            print(f"warm-up: {options.warmup} s, {overall['requests']} requests")
            clean = _errors(overall) == 0
            for group, result in results.items():
                for code in result["statuses"]:
                    print(f"warm-up {group}: status {code}")
        for level in options.levels:
            connections = _split(level, options.weights)
            results, overall, cpu = _measure(
                base_url, files, headers, connections, options.duration, server
            )
            clean &= _report(level, connections, results, overall, cpu)
    if not clean:
        raise SystemExit("bench_load: some answers were not 200 (see above)")
