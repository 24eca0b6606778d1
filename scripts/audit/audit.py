"""`make audit`: Lighthouse (mobile + desktop), axe-core and the Nu HTML checker on
the storefront's main pages, against a fresh SQLite demo served on 127.0.0.1.

Exits non-zero when any Lighthouse score < 95, any axe violation of impact critical
or serious, or any vnu error. Run from the repository root:
    .venv/bin/python scripts/audit/audit.py [--pages home,login] [--skip-lighthouse]
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import redis
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "scripts/audit"
PY = str(ROOT / ".venv/bin/python")
CHROME = "/usr/bin/chromium"
FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-quic --no-first-run --disable-sync"
BUYER, PASSWORD = "buyer@stroymontazh.demo", "demo12345"
PORT = int(os.environ.get("AUDIT_PORT", "8790"))
REDIS_URL = os.environ.get("AUDIT_REDIS_URL", "redis://127.0.0.1:6379/13")
BASE = f"http://127.0.0.1:{PORT}"
MIN_SCORE = 95
LH_FAILED: list[
    dict
] = []  # every Lighthouse run's failing audits, for out/lighthouse.json


def pages(product_url: str, category_url: str) -> list[tuple[str, str, bool, bool]]:
    """(name, path, logged in, meant for search engines). Search results carry
    `noindex` and the account, basket and checkout paths are disallowed in robots.txt
    on purpose: for those Lighthouse's SEO score leaves out `is-crawlable`."""
    return [
        ("home", "/", False, True),
        ("catalogue", "/catalogue/", False, True),
        ("category", category_url, False, True),
        ("product", product_url, False, True),
        ("search", "/search/?q=6203", False, False),
        ("login", "/accounts/login/", False, False),
        ("register", "/accounts/register/", False, False),
        ("cabinet", "/cabinet/", True, False),
        ("orders", "/cabinet/orders/", True, False),
        ("quick-order", "/cabinet/quick-order/", True, False),
        ("basket", "/basket/", True, False),
        ("checkout", "/checkout/", True, False),
    ]


def log(message: str) -> None:
    print(f"audit: {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def demo_env(var_dir: str) -> dict[str, str]:
    """shop.settings.production (DEBUG off, whitenoise, Redis) on a SQLite demo."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shop.settings.production",
        "SHOP_VAR_DIR": var_dir,
        "STATIC_ROOT": os.path.join(var_dir, "static"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "REDIS_URL": REDIS_URL,
        "SHOP_HTTPS": "0",
        "SHOP_SERVE_MEDIA": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SHOP_BASE_URL": BASE,
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    env.pop("DATABASE_URL", None)
    return env


def demo_server(var_dir: str, fresh: bool):
    env = demo_env(var_dir)

    def run(*a, **kw):
        return subprocess.run(
            [PY, "manage.py", *a], cwd=ROOT, env=env, check=True, **kw
        )

    # The audit's own Redis database: cached pages of an earlier demo must not leak.
    redis.Redis.from_url(REDIS_URL).flushdb()
    log("collectstatic (in the background), migrate")
    collect = subprocess.Popen(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env
    )
    run("migrate", "-v0")  # also points the Site at BASE (shop.sites)
    if fresh:
        log("load_demo --products 300 --seed 7")
        run("load_demo", "--products", "300", "--seed", "7", stdout=subprocess.DEVNULL)
    if collect.wait():
        raise SystemExit("audit: collectstatic failed")
    out = run(
        "shell",
        "-c",
        "from catalog.models import Product; "
        "p=Product.objects.filter(is_public=True, structure='standalone')"
        ".exclude(stockrecords=None).order_by('id').first();"
        "print(p.get_absolute_url()); print(p.get_categories().first().get_absolute_url())",
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.split()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "shop.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(os.path.join(var_dir, "gunicorn.log"), "w"),
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(BASE + "/health/", timeout=5)
            break
        except Exception:
            time.sleep(1)
    return server, out[-2], out[-1]


def lighthouse(
    url: str, preset: str, cookie: str | None, crawlable: bool
) -> dict[str, int]:
    cmd = [
        str(HERE / "node_modules/.bin/lighthouse"),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--chrome-flags={FLAGS}",
        "--only-categories=performance,accessibility,best-practices,seo",
    ]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    if not crawlable:
        cmd.append("--skip-audits=is-crawlable")
    if cookie:
        cmd.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": CHROME}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    try:
        report = json.loads(out.stdout)
    except json.JSONDecodeError:
        return {"perf": -1, "a11y": -1, "bp": -1, "seo": -1}
    cats = report["categories"]
    failed = {
        key: [
            ref["id"]
            for ref in cats[key]["auditRefs"]
            if ref["weight"] and (report["audits"][ref["id"]]["score"] or 0) < 0.9
        ]
        for key in cats
    }
    LH_FAILED.append({"url": url, "preset": preset, "failed": failed})
    score = lambda k: round((cats[k]["score"] or 0) * 100)  # noqa: E731
    return {
        "perf": score("performance"),
        "a11y": score("accessibility"),
        "bp": score("best-practices"),
        "seo": score("seo"),
    }


def vnu(html_files: list[Path]) -> dict[str, list[str]]:
    jar = HERE / "node_modules/vnu-jar/build/dist/vnu.jar"
    out = subprocess.run(
        [
            "java",
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            *map(str, html_files),
        ],
        capture_output=True,
        text=True,
    )
    if out.returncode and not out.stderr.strip():
        raise SystemExit(f"audit: vnu failed with exit code {out.returncode}")
    errors: dict[str, list[str]] = {}
    for msg in json.loads(out.stderr or "{}").get("messages", []):
        if msg.get("type") == "error":
            errors.setdefault(Path(msg["url"].removeprefix("file:")).stem, []).append(
                f"l{msg.get('lastLine')}: {msg['message']}"
            )
    return errors


def main() -> int:  # noqa: C901
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", default="")
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument(
        "--var-dir", help="reuse the demo in this SHOP_VAR_DIR (default: a fresh one)"
    )
    args = parser.parse_args()
    started = time.time()
    var_dir = args.var_dir or tempfile.mkdtemp(prefix="shop-audit-")
    fresh = not (Path(var_dir) / "db.sqlite3").exists()
    server, product_url, category_url = demo_server(var_dir, fresh)
    log(f"serving {BASE} from {var_dir}")
    wanted = set(filter(None, args.pages.split(",")))
    rows, failures, html_files = [], [], []
    axe_js = (HERE / "node_modules/axe-core/axe.min.js").read_text()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROME, args=["--no-sandbox", "--disable-gpu"]
            )
            # axe is injected as an inline script, which the site's CSP forbids.
            ctx = {"viewport": {"width": 1366, "height": 900}, "bypass_csp": True}
            anon = browser.new_context(**ctx)
            user = browser.new_context(**ctx)
            page = user.new_page()
            page.goto(BASE + "/accounts/login/")
            page.fill("#id_login-username", BUYER)
            page.fill("#id_login-password", PASSWORD)
            page.click("button[name=login_submit]")
            page.wait_for_load_state()
            page.goto(BASE + product_url)  # a basket line for basket and checkout
            add = page.locator("form[action*='/basket/add/'] button[type=submit]").first
            if add.count():
                add.click()
                page.wait_for_load_state()
            cookie = "; ".join(f"{c['name']}={c['value']}" for c in user.cookies())
            for name, path, logged_in, crawlable in pages(product_url, category_url):
                if wanted and name not in wanted:
                    continue
                tab = (user if logged_in else anon).new_page()
                log(name)
                tab.goto(BASE + path)
                tab.wait_for_load_state("networkidle")
                html = HERE / "out" / f"{name}.html"
                html.parent.mkdir(exist_ok=True)
                html.write_text(tab.content())
                html_files.append(html)
                tab.add_script_tag(content=axe_js)
                result = tab.evaluate(
                    "async () => (await axe.run()).violations.map(v => [v.id, v.impact,"
                    " v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '')"
                    ".slice(0, 300))])"
                )
                bad = [v for v in result if v[1] in ("critical", "serious")]
                tab.close()
                row = {"page": name + ("" if crawlable else "*"), "axe": len(bad)}
                row["axe_ids"] = [v[0] for v in bad]
                (HERE / "out" / f"{name}.axe.json").write_text(
                    json.dumps(bad, indent=1)
                )
                if not args.skip_lighthouse:
                    for preset in ("mobile", "desktop"):
                        row[preset] = lighthouse(
                            BASE + path,
                            preset,
                            cookie if logged_in else None,
                            crawlable,
                        )
                rows.append(row)
            browser.close()
    finally:
        server.terminate()
        server.wait()
    (HERE / "out" / "lighthouse.json").write_text(json.dumps(LH_FAILED, indent=1))
    errors = vnu(html_files)
    print(
        f"{'page':12} {'mobile perf/a11y/bp/seo':>24} {'desktop perf/a11y/bp/seo':>25} {'axe':>4} {'vnu':>4}"
    )
    for row in rows:
        cells = []
        for preset in ("mobile", "desktop"):
            s = row.get(preset)
            cells.append(
                "/".join(str(s[k]) for k in ("perf", "a11y", "bp", "seo")) if s else "-"
            )
            if s and min(s.values()) < MIN_SCORE:
                failures.append(f"{row['page']} {preset} {s}")
        n_vnu = len(errors.get(row["page"].rstrip("*"), []))
        print(
            f"{row['page']:12} {cells[0]:>24} {cells[1]:>25} {row['axe']:>4} {n_vnu:>4}"
        )
        if row["axe"]:
            failures.append(f"{row['page']} axe {row['axe_ids']}")
        for e in errors.get(row["page"].rstrip("*"), []):
            failures.append(f"{row['page']} vnu {e}")
    print("* not for search engines (noindex or robots.txt): SEO without is-crawlable")
    print(f"\n{len(failures)} problem(s), {time.time() - started:.0f} s")
    for f in failures:
        print("  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
