"""Backup and restore round trip (docs/DEPLOY.md, "Backup and restore"): a demo
database of its own is dumped with `pg_dump -Fc`, restored with `pg_restore` into a
fresh database, and the private document directory is archived with `tar` and
unpacked elsewhere. Every table keeps its row count, every private document (invoices,
delivery notes, ...) its SHA-256, and a document issued after the restore takes the
next number and the next id (counters and sequences came back too)."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from psycopg import sql

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
DEMO_PRODUCTS = 20

ISSUE_AFTER_RESTORE = """
import json
from django.db import transaction
from invoicing.services.documents import invoice_pdf_render
from invoicing.services.invoices import invoice_create, lines_from_order
from sales.order.models import Order, PaymentMethod

order = Order.objects.exclude(company=None).order_by("pk").first()
with transaction.atomic():
    invoice = invoice_create(
        company=order.company,
        lines=lines_from_order(order),
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
invoice = invoice_pdf_render(invoice=invoice)
print(json.dumps({"pk": invoice.pk, "year": invoice.year, "number": invoice.number,
                  "kind": invoice.kind, "pdf": invoice.pdf.name}))
"""


def _server() -> dict:
    database = settings.DATABASES["default"]
    return {
        "host": database.get("HOST") or "127.0.0.1",
        "port": str(database.get("PORT") or 5432),
        "user": database.get("USER") or "postgres",
        "password": database.get("PASSWORD") or "",
    }


def _url(server: dict, name: str) -> str:
    auth = server["user"] + (f":{server['password']}" if server["password"] else "")
    return f"postgres://{auth}@{server['host']}:{server['port']}/{name}"


def _admin(server: dict, statement):
    with psycopg.connect(_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(statement)


def _pg_env(server: dict) -> dict:
    return {
        **os.environ,
        "PGHOST": server["host"],
        "PGPORT": server["port"],
        "PGUSER": server["user"],
        "PGPASSWORD": server["password"],
    }


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def _hashes(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _create_source(server: dict, name: str, template: str) -> None:
    """A copy of the session's migrated test database when it is free (saves the
    ~60 s of CPU a fresh `migrate` of Oscar + Wagtail takes; the test's `migrate`
    then finds nothing to apply), else an empty database the test migrates."""
    connections.close_all()
    try:
        _admin(
            server,
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            ),
        )
    except psycopg.errors.ObjectInUse:
        _admin(server, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@pytest.fixture
def databases_of_its_own(django_db_setup, django_db_blocker):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("pg_dump/pg_restore round trip: needs PostgreSQL (DATABASE_URL)")
    for tool in ("pg_dump", "pg_restore", "tar"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    server = _server()
    tag = uuid.uuid4().hex[:8]
    names = (f"shop_backup_{tag}_source", f"shop_backup_{tag}_restored")
    template = connection.settings_dict["NAME"]
    if not template.startswith("test_"):
        template = connection.creation._get_test_db_name()
    with django_db_blocker.unblock():
        _create_source(server, names[0], template)
    _admin(server, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(names[1])))
    yield server, names
    for name in names:
        _admin(
            server,
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            ),
        )


def test_pg_dump_and_restore_lose_no_row_and_no_document(
    databases_of_its_own, tmp_path
):
    server, (source, restored) = databases_of_its_own
    var = tmp_path / "var"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shop.settings.dev",
        "DATABASE_URL": _url(server, source),
        "SHOP_VAR_DIR": str(var),
        "SHOP_PRIVATE_ROOT": str(var / "private"),
    }
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "load_demo", "--products", str(DEMO_PRODUCTS), "--seed", "7")
    before_rows = _row_counts(_url(server, source))
    before_files = _hashes(var / "private")

    # The commands of docs/DEPLOY.md, "Backup and restore".
    dump, archive = tmp_path / "shop.dump", tmp_path / "private.tar.gz"
    pg = _pg_env(server)
    subprocess.run(  # noqa: S603
        ["pg_dump", "-Fc", "--no-owner", "-d", source, "-f", str(dump)],
        env=pg,
        check=True,
    )
    subprocess.run(  # noqa: S603
        ["tar", "-C", str(var / "private"), "-czf", str(archive), "."], check=True
    )
    subprocess.run(  # noqa: S603
        ["pg_restore", "--no-owner", "--exit-on-error", "-d", restored, str(dump)],
        env=pg,
        check=True,
    )
    private_restored = tmp_path / "restored" / "private"
    private_restored.mkdir(parents=True)
    subprocess.run(  # noqa: S603
        ["tar", "-C", str(private_restored), "-xzf", str(archive)], check=True
    )

    after_rows = _row_counts(_url(server, restored))
    after_files = _hashes(private_restored)
    assert after_rows == before_rows
    assert before_rows["invoicing_invoice"] > 0
    assert before_rows["order_order"] > 0
    documents = [name for name in before_files if name.endswith(".pdf")]
    assert any(name.startswith("invoices/") for name in documents)
    assert any(name.startswith("delivery-notes/") for name in documents)
    assert after_files == before_files

    issued = json.loads(
        _manage(
            {
                **env,
                "DATABASE_URL": _url(server, restored),
                "SHOP_VAR_DIR": str(tmp_path / "restored"),
                "SHOP_PRIVATE_ROOT": str(private_restored),
            },
            "shell",
            "-c",
            ISSUE_AFTER_RESTORE,
        )
        .strip()
        .splitlines()[-1]
    )
    with psycopg.connect(_url(server, restored)) as conn:
        max_pk, max_number = conn.execute(
            "SELECT max(id) FILTER (WHERE id <> %(pk)s), max(number) FILTER "
            "(WHERE id <> %(pk)s AND year = %(year)s AND kind = %(kind)s) "
            "FROM invoicing_invoice",
            issued,
        ).fetchone()
    assert issued["pk"] > max_pk
    assert issued["number"] == (max_number or 0) + 1
    assert (private_restored / issued["pdf"]).is_file()
