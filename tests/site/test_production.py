"""Production settings: the deploy checklist is clean and static files are served."""

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
