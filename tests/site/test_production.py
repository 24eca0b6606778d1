"""Production settings: the deploy checklist is clean and static files are served."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "STATIC_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="shop.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="shop.example.com",
        DATABASE_URL="postgres://shop@db.example.com:5432/shop",
        REDIS_URL="redis://cache.example.com:6379/0",
        **extra,
    )
    return env


def _run(args, env, timeout=300):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_check_deploy_has_no_warnings():
    result = _run(["manage.py", "check", "--deploy"], _production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output
    assert "System check identified no issues (0 silenced)." in output


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable." in result.stderr


SERVE_STATIC = """
from django.templatetags.static import static
from django.test import Client
url = static("shop/shop.css")
assert url.startswith("/static/shop/shop.") and url != "/static/shop/shop.css", url
response = Client().get(url, secure=True, HTTP_HOST="shop.example.com",
                        HTTP_ACCEPT_ENCODING="gzip")
body = b"".join(response.streaming_content)
print(url, response.status_code, response.get("Content-Encoding"),
      response["Cache-Control"])
"""


def test_collectstatic_and_whitenoise_serve_hashed_compressed_files(tmp_path):
    env = _production_env(STATIC_ROOT=str(tmp_path / "static"))
    collect = _run(["manage.py", "collectstatic", "--noinput", "-v0"], env, 600)
    assert collect.returncode == 0, collect.stderr
    assert not collect.stderr.strip(), collect.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()

    served = _run(["manage.py", "shell", "-c", SERVE_STATIC], env)
    assert served.returncode == 0, served.stderr
    url, status, encoding, cache = served.stdout.splitlines()[-1].split(maxsplit=3)
    assert status == "200"
    assert encoding == "gzip"
    assert "immutable" in cache


FACTS = """
import json
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
client = Client(HTTP_HOST="shop.example.com", raise_request_exception=False)
try:
    media_view = resolve("/media/images/a.png").url_name
except Resolver404:
    media_view = None
print(json.dumps({
    "cookies_secure": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,
                       settings.OSCAR_BASKET_COOKIE_SECURE],
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "catalogue_over_http": client.get("/catalogue/").status_code,
    "health_over_http": client.get("/health/").status_code,
    "health_web_over_http": client.get("/health/web/").status_code,
    "sessions": [settings.SESSION_ENGINE, settings.SESSION_CACHE_ALIAS,
                 settings.CACHES["sessions"]["BACKEND"],
                 settings.CACHES["default"]["BACKEND"]],
    "media_view": media_view,
    "log_format": settings.LOGGING["handlers"]["console"]["formatter"],
}))
"""


def _facts(**extra) -> dict:
    result = _run(["manage.py", "shell", "-c", FACTS], _production_env(**extra))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_https_by_default_with_redis_sessions_and_json_logs():
    facts = _facts()
    assert facts["cookies_secure"] == [True, True, True]
    assert facts["ssl_redirect"] is True
    assert facts["hsts"] == 31536000
    assert facts["catalogue_over_http"] == 301
    # The balancer probes instances over http: /health/ is not redirected (it
    # answers 500 here, where the database host does not exist).
    assert facts["health_over_http"] != 301
    assert facts["health_web_over_http"] != 301
    assert facts["sessions"] == [
        "django.contrib.sessions.backends.cache",
        "sessions",
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.redis.RedisCache",
    ]
    assert facts["media_view"] != "media"  # no /media/ route without SHOP_SERVE_MEDIA
    assert facts["log_format"] == "json"


def test_shop_https_0_is_plain_http_for_a_local_run():
    facts = _facts(SHOP_HTTPS="0", SHOP_SERVE_MEDIA="1")
    assert facts["cookies_secure"] == [False, False, False]
    assert facts["ssl_redirect"] is False
    assert facts["hsts"] == 0
    assert facts["catalogue_over_http"] != 301
    assert facts["media_view"] == "media"


def test_production_refuses_to_start_without_redis():
    env = _production_env()
    del env["REDIS_URL"]
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "Set the REDIS_URL environment variable." in result.stderr


def test_sentry_starts_only_with_a_dsn():
    probe = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    without = _run(["manage.py", "shell", "-c", probe], _production_env())
    with_dsn = _run(
        ["manage.py", "shell", "-c", probe],
        _production_env(SENTRY_DSN="https://key@127.0.0.1:9/1"),
    )
    assert without.stdout.splitlines()[-1] == "False", without.stderr
    assert with_dsn.stdout.splitlines()[-1] == "True", with_dsn.stderr
