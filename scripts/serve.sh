#!/usr/bin/env bash
# `make serve`: the production stack on one machine — gunicorn, the task worker
# (`manage.py db_worker`) and the scheduler (`manage.py run_scheduler`) — on
# PostgreSQL and Redis with shop.settings.production. Creates the database if it is
# missing, migrates and collects static files first. Ctrl-C (or SIGTERM) stops all of
# them; when one of them dies the others are stopped too, and the exit code says so.
#
# Environment (defaults for one's own machine; docs/DEPLOY.md lists them all):
#   DATABASE_URL     postgres://postgres@127.0.0.1:5432/shop_serve
#   REDIS_URL        redis://127.0.0.1:6379/0
#   SERVE_BIND       127.0.0.1:8000          WEB_CONCURRENCY  2 × cores + 1
#   SERVE_WORKERS    1 task worker           SERVE_DEMO_PRODUCTS  load a demo if empty
#   SHOP_HTTPS=0, SHOP_SERVE_MEDIA=1 (plain http, media without a web server)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

export DJANGO_SETTINGS_MODULE=shop.settings.production
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/shop_serve}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export TASKS_BACKEND="${TASKS_BACKEND:-django_tasks_db.DatabaseBackend}"
export SHOP_HTTPS="${SHOP_HTTPS:-0}"
export SHOP_SERVE_MEDIA="${SHOP_SERVE_MEDIA:-1}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export LOG_FORMAT="${LOG_FORMAT:-text}"
export SHOP_VAR_DIR="${SHOP_VAR_DIR:-$PWD/var}"
BIND="${SERVE_BIND:-127.0.0.1:8000}"
WEB_CONCURRENCY="${WEB_CONCURRENCY:-$(($(nproc) * 2 + 1))}"
SERVE_WORKERS="${SERVE_WORKERS:-1}"

mkdir -p "$SHOP_VAR_DIR"
if [ -z "${SECRET_KEY:-}" ]; then
    # A key of this machine's own, kept across runs so sessions survive a restart.
    key_file="$SHOP_VAR_DIR/serve-secret-key"
    [ -s "$key_file" ] || (umask 077 && $PY -c "import secrets; print(secrets.token_urlsafe(64))" >"$key_file")
    SECRET_KEY="$(cat "$key_file")"
    export SECRET_KEY
fi

echo "serve: checking PostgreSQL and Redis"
$PY - <<'PY'
import os, sys
import dj_database_url, psycopg, redis
db = dj_database_url.parse(os.environ["DATABASE_URL"])
if db["ENGINE"] != "django.db.backends.postgresql":
    sys.exit("serve: DATABASE_URL must be a PostgreSQL URL")
params = dict(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None,
              password=db["PASSWORD"] or None, connect_timeout=5)
try:
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
            print(f"serve: created database {db['NAME']}")
except psycopg.OperationalError as exc:
    sys.exit(f"serve: PostgreSQL does not answer: {exc}")
try:
    redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=5).ping()
except redis.RedisError as exc:
    sys.exit(f"serve: Redis does not answer: {exc}")
PY

echo "serve: migrate, collectstatic"
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
if [ -n "${SERVE_DEMO_PRODUCTS:-}" ]; then
    $PY manage.py load_demo --products "$SERVE_DEMO_PRODUCTS" --seed 42 --if-empty
fi

pids=()
stop() {
    trap - INT TERM EXIT
    [ ${#pids[@]} -eq 0 ] && return
    echo "serve: stopping ${pids[*]}" >&2
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 20); do
        alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" -eq 0 ] && return
        sleep 0.5
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

echo "serve: gunicorn on http://${BIND}/ (${WEB_CONCURRENCY} processes), ${SERVE_WORKERS} task worker(s), the scheduler"
.venv/bin/gunicorn shop.wsgi:application --bind "$BIND" --workers "$WEB_CONCURRENCY" \
    --timeout 60 --graceful-timeout 10 --access-logfile - \
    --access-logformat '%(h)s "%(r)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s' &
pids+=($!)
for n in $(seq 1 "$SERVE_WORKERS"); do
    $PY manage.py db_worker --worker-id "serve-$(uname -n | cut -c1-30)-$$-$n" &
    pids+=($!)
done
$PY manage.py run_scheduler &
pids+=($!)

status=0
wait -n "${pids[@]}" || status=$?
echo "serve: a process exited (status ${status}); stopping the others" >&2
exit "$status"
