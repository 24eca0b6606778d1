"""What bench_load drives: a gunicorn of the production settings, the buyer's login
over HTTP, one wrk process per URL group, and the CPU the processes spent."""

import http.client
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).with_name("bench_load.lua")
REDIS_DB = "redis://127.0.0.1:6379/14"  # a database of its own: FLUSHDB-safe


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_flush(url: str) -> None:
    """Empty the benchmark's own Redis database (page cache, listings, sessions)."""
    import redis

    redis.Redis.from_url(url).flushdb()


def production_env(work_dir: Path) -> dict[str, str]:
    """The environment a production web process gets, for a local run."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shop.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-load-only-not-a-secret"),
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "600"),
        "REDIS_URL": os.environ.get("REDIS_URL", REDIS_DB),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(work_dir / "static"),
    }


class Gunicorn:
    """`gunicorn shop.wsgi` on a free port, its log in the work folder."""

    def __init__(self, *, work_dir: Path, workers: int, threads: int, fresh=False):
        self.work_dir, self.workers, self.threads = work_dir, workers, threads
        self.fresh = fresh  # collect the static files again
        self.env = production_env(work_dir)
        self.process = None

    def describe(self) -> str:
        kind = "sync" if self.threads == 1 else f"gthread × {self.threads} threads"
        return f"{self.workers} workers ({kind}), shop.settings.production"

    def collectstatic(self) -> None:
        if (self.work_dir / "static" / "staticfiles.json").exists() and not self.fresh:
            return
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=self.env,
            cwd=ROOT,
            check=True,
        )
        print(f"collectstatic: {time.perf_counter() - start:.0f} s")

    def start(self) -> str:
        self.collectstatic()
        port = _free_port()
        log = open(self.work_dir / "gunicorn.log", "w")  # noqa: SIM115 (kept open)
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "shop.wsgi",
            f"--workers={self.workers}",
            f"--bind=127.0.0.1:{port}",
            "--timeout=60",
            f"--control-socket={self.work_dir / 'gunicorn.ctl'}",
            f"--worker-class={'sync' if self.threads == 1 else 'gthread'}",
            f"--threads={self.threads}",
        ]
        self.process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        base_url = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        while time.monotonic() < started + 300:  # a busy machine boots slowly
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited: see {log.name}")
            try:
                http_get(base_url, "/accounts/login/", {})
            except OSError:
                time.sleep(0.5)
                continue
            print(f"gunicorn answered after {time.monotonic() - started:.0f} s")
            return base_url
        raise SystemExit(f"gunicorn did not answer in 300 s: see {log.name}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # quick shutdown: no draining
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def pids(self) -> list[int]:
        if self.process is None:
            return []
        return [self.process.pid, *_children(self.process.pid)]


def http_get(base_url, path, headers, *, method="GET", body=None):
    """(status, Set-Cookie values, body text) of one request, redirects not followed."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        plain = {**headers, "Accept-Encoding": "identity"}  # a body to read
        connection.request(method, path, body=body, headers=plain)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, response.headers.get_all("Set-Cookie") or [], text
    finally:
        connection.close()


def _cookies(set_cookie: list[str]) -> dict[str, str]:
    jar = SimpleCookie()
    for header in set_cookie:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def buyer_login(*, base_url, headers, email, password) -> str:
    """Log in through the login form; the Cookie header of the session."""
    status, set_cookie, page = http_get(base_url, "/accounts/login/", headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None:
        raise SystemExit(f"login page: {status}, no CSRF token")
    csrf = _cookies(set_cookie)["csrftoken"]
    host = urlsplit(base_url).netloc
    status, set_cookie, _ = http_get(
        base_url,
        "/accounts/login/",
        {
            **headers,
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"https://{host}/accounts/login/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
        body=urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "login-username": email,
                "login-password": password,
                "login_submit": "1",
            }
        ),
    )
    session = _cookies(set_cookie).get("sessionid")
    if status != 302 or session is None:
        raise SystemExit(f"login of {email} failed: {status}")
    return f"sessionid={session}; csrftoken={csrf}"


def preflight(*, base_url, groups, headers, marker) -> None:
    """A few paths of every group must answer 200 (the buyer's with the marker)."""
    for group, paths in groups.items():
        for path in sorted(set(paths))[:5]:
            status, _, body = http_get(base_url, path, headers[group])
            if status != 200:
                raise SystemExit(f"{group} {path}: {status}, not 200")
            if group == "buyer" and marker not in body:
                raise SystemExit(f"{group} {path}: not logged in ({marker} missing)")


def run_wrk_group(*, base_url, paths_file, headers, marker, connections, seconds, seed):
    """Start wrk on one group's paths; returns a function that waits for its figures."""
    out = Path(tempfile.mkstemp(suffix=".wrk", dir=paths_file.parent)[1])
    env = {
        **os.environ,
        "BENCH_LOAD_URLS": str(paths_file),
        "BENCH_LOAD_OUT": str(out),
        "BENCH_LOAD_HEADERS": "\n".join(f"{k}: {v}" for k, v in headers.items()),
        "BENCH_LOAD_MARKER": marker,
        "BENCH_LOAD_SEED": str(seed),
    }
    process = subprocess.Popen(
        [
            "wrk",
            "--threads=1",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=10s",
            f"--script={LUA}",
            base_url + "/",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    def wait() -> dict:
        _, stderr = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"wrk failed: {stderr.decode()}")
        return _wrk_result(out.read_text())

    return wait


def _wrk_result(text: str) -> dict:
    result = {"latency": {}, "statuses": {}}
    for line in text.splitlines():
        key, _, rest = line.partition(" ")
        if key == "latency":
            value, count = rest.split()
            result["latency"][int(value)] = int(count)
        elif key == "statuses":
            for item in rest.split():
                code, count = item.split("=")
                result["statuses"][code] = result["statuses"].get(code, 0) + int(count)
        else:
            result[key] = int(rest)
    result["statuses"] = [f"{c}: {n}" for c, n in sorted(result["statuses"].items())]
    return result


# -- CPU --------------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the state on


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields and int(fields[1]) == parent:
                found.append(int(entry.name))
    return found


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _cpu_by_pid(pids) -> dict[int, float]:
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        fields = _stat(pid)
        if fields:
            found[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return found


def cpu_sample(*, web_pids, db_pids) -> dict:
    """CPU seconds so far: of each web process and each PostgreSQL backend of the
    database, of the finished child processes (wrk), and the machine's busy time."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split()[1:11]]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "time": time.monotonic(),
        "web": _cpu_by_pid(web_pids),
        "db": _cpu_by_pid(db_pids),
        "wrk": children.ru_utime + children.ru_stime,
        "machine": (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK"),
    }


def cpu_spent(before, after) -> dict[str, float]:
    """CPU seconds between two samples; a process born in between counts from 0."""

    def grown(key):
        return sum(v - before[key].get(pid, 0.0) for pid, v in after[key].items())

    return {
        "seconds": after["time"] - before["time"],
        "gunicorn": grown("web"),
        "postgres": grown("db"),
        "wrk": after["wrk"] - before["wrk"],
        "machine": after["machine"] - before["machine"],
    }
