"""Shared machinery for Kodo's end-to-end tests.

Every test talks to a real `kodo serve` process over HTTP on 127.0.0.1.
The binary comes from $KODO_BIN (default: build/test/kodo at the repo root,
an ASan+UBSan build).  A `Server` owns one process and one data directory;
it can be stopped (SIGTERM, exit code 0 and clean sanitizer output are
asserted), killed with SIGKILL, and started again on the same data.
"""

import datetime as dt
import os
import re
import secrets
import signal
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
KODO_BIN = Path(os.environ.get("KODO_BIN", REPO_ROOT / "build" / "test" / "kodo"))

START_DEADLINE_S = 15.0
STOP_DEADLINE_S = 20.0
HTTP_TIMEOUT_S = 30.0
MAX_BODY = 1048576

SANITIZER_MARKERS = ("LeakSanitizer", "AddressSanitizer", "runtime error:")

SANITIZER_ENV = {
    "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
}

TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")

_DEFAULT = object()
_ALL_SERVERS = []


def new_token():
    """An API token in Kodo's shape: kodo_ + 43 url-safe characters."""
    return "kodo_" + secrets.token_urlsafe(32)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def uniq(prefix="x"):
    """A name no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def wait_until(predicate, timeout, interval=0.02, what="condition"):
    """Poll `predicate` until it returns a truthy value or the deadline passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def read_credentials(path):
    values = {}
    for line in Path(path).read_text().splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        assert sep, f"initial-credentials line without '=': {line!r}"
        values[key.strip()] = value.strip()
    return values


class Server:
    """One `kodo serve` process on a data directory that outlives it."""

    def __init__(self, base_dir, admin_env=True, token=None, password=None, args=()):
        self.args = list(args)  # extra `kodo serve` options
        self.base_dir = Path(base_dir)
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = self.base_dir / "data"
        self.admin_env = admin_env
        if admin_env:
            self.token = token or new_token()
            self.password = password or ("pw-" + secrets.token_urlsafe(18))
        else:
            self.token = None
            self.password = None
        self.proc = None
        self.port = None
        self.url = None
        self.session = None
        self.runs = 0
        self.stdout_path = None
        self.stderr_path = None
        _ALL_SERVERS.append(self)

    # -- process control -------------------------------------------------

    def env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("KODO_")}
        env.update(SANITIZER_ENV)
        if self.admin_env:
            env["KODO_ADMIN_TOKEN"] = self.token
            env["KODO_ADMIN_PASSWORD"] = self.password
        return env

    def start(self):
        assert self.proc is None, "server already running"
        if not KODO_BIN.exists():
            pytest.fail(f"kodo binary not found at {KODO_BIN} (set KODO_BIN or build it)")
        self.runs += 1
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stdout_path = self.base_dir / f"server-{self.runs}.stdout"
        self.stderr_path = self.base_dir / f"server-{self.runs}.stderr"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                [str(KODO_BIN), "serve", "--data", str(self.data_dir),
                 "--listen", f"127.0.0.1:{self.port}", *self.args],
                stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                env=self.env(), start_new_session=True)
        self.session = requests.Session()
        self._wait_healthy()
        if self.token is None:
            creds = read_credentials(self.data_dir / "initial-credentials")
            self.token = creds["token"]
            self.password = creds.get("password")
        return self

    def _wait_healthy(self):
        deadline = time.monotonic() + START_DEADLINE_S
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"kodo exited with {self.proc.returncode} during start-up\n"
                            f"stderr:\n{self.stderr()}")
            try:
                r = requests.get(self.url + "/healthz", timeout=2)
                if r.status_code == 200 and r.json() == {"status": "ok"}:
                    return
                last = f"{r.status_code} {r.text[:200]}"
            except (requests.RequestException, ValueError) as e:
                last = repr(e)
            time.sleep(0.05)
        self.kill9()
        pytest.fail(f"kodo not healthy within {START_DEADLINE_S}s (last: {last})\n"
                    f"stderr:\n{self.stderr()}")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait_exit(self, timeout=STOP_DEADLINE_S):
        """Wait for the process to exit; on timeout kill it and fail."""
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self._forget()
            pytest.fail(f"kodo did not exit within {timeout}s of SIGTERM\n"
                        f"stderr:\n{self.stderr()}")
        self._forget()
        return rc

    def stop(self, timeout=STOP_DEADLINE_S, check=True):
        """SIGTERM; assert exit code 0 and no sanitizer report."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rc = self.wait_exit(timeout)
        if check:
            self.assert_clean_exit(rc)
        return rc

    def assert_clean_exit(self, rc):
        err = self.stderr()
        for marker in SANITIZER_MARKERS:
            assert marker not in err, f"sanitizer report ({marker}) in stderr:\n{err}"
        assert rc == 0, f"kodo exited with {rc}\nstderr:\n{err}"

    def kill9(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        err = self.stderr()
        self._forget()
        # A SIGKILL leaves no leak report, but memory errors before it count.
        for marker in SANITIZER_MARKERS:
            assert marker not in err, f"sanitizer report ({marker}) in stderr:\n{err}"

    def restart(self):
        """Graceful stop (checked) and start again on the same data dir."""
        self.stop()
        return self.start()

    def _forget(self):
        if self.session is not None:
            self.session.close()
        self.session = None
        self.proc = None

    def stderr(self):
        if self.stderr_path and self.stderr_path.exists():
            return self.stderr_path.read_text(errors="replace")
        return ""

    def stdout(self):
        if self.stdout_path and self.stdout_path.exists():
            return self.stdout_path.read_text(errors="replace")
        return ""

    # -- HTTP ---------------------------------------------------------------

    def api(self, method, path, token=_DEFAULT, json=_DEFAULT, data=None,
            headers=None, params=None, timeout=HTTP_TIMEOUT_S, session=None):
        """One request; `token=None` sends no credentials."""
        if token is _DEFAULT:
            token = self.token
        hdrs = {}
        if token is not None:
            hdrs["Authorization"] = f"Bearer {token}"
        if headers:
            hdrs.update(headers)
        kwargs = {}
        if json is not _DEFAULT:
            kwargs["json"] = json
        sess = session or self.session
        assert sess is not None, "server not running"
        return sess.request(method, self.url + path, headers=hdrs, data=data,
                            params=params, timeout=timeout, **kwargs)

    def healthy(self):
        r = self.api("GET", "/healthz", token=None)
        return r.status_code == 200 and r.json() == {"status": "ok"}

    def client(self, token):
        return Client(self, token)


class Client:
    """The server seen through one token (one organization)."""

    def __init__(self, server, token):
        self.server = server
        self.token = token

    def api(self, method, path, **kw):
        kw.setdefault("token", self.token)
        return self.server.api(method, path, **kw)

    # Convenience wrappers that assert success.

    def create_service(self, name=None, **fields):
        body = {"name": name or uniq("svc")}
        body.update(fields)
        r = self.api("POST", "/api/v1/services", json=body)
        assert r.status_code == 201, r.text
        return service_of(r)

    def create_incident(self, **fields):
        body = {"title": uniq("inc"), "severity": "minor", "message": "Looking into it."}
        body.update(fields)
        r = self.api("POST", "/api/v1/incidents", json=body)
        assert r.status_code == 201, r.text
        return r.json()["incident"]

    def get_service(self, sid):
        r = self.api("GET", f"/api/v1/services/{sid}")
        assert r.status_code == 200, r.text
        return service_of(r)

    def get_incident(self, iid):
        r = self.api("GET", f"/api/v1/incidents/{iid}")
        assert r.status_code == 200, r.text
        return r.json()["incident"]

    def services(self):
        """Every service, following next_cursor to the end."""
        out, params = [], {"limit": 500}
        while True:
            r = self.api("GET", "/api/v1/services", params=params)
            assert r.status_code == 200, r.text
            out += r.json()["services"]
            if not r.json()["next_cursor"]:
                return out
            params["cursor"] = r.json()["next_cursor"]

    def all_incidents(self, limit=500, **params):
        """Every incident matching params, following next_cursor to the end."""
        out = []
        cursor = None
        for _ in range(10000):
            p = dict(params, limit=limit)
            if cursor is not None:
                p["cursor"] = cursor
            r = self.api("GET", "/api/v1/incidents", params=p)
            assert r.status_code == 200, r.text
            body = r.json()
            out.extend(body["incidents"])
            cursor = body["next_cursor"]
            if cursor is None:
                return out
        raise AssertionError("pagination never ended")

    def settings(self):
        r = self.api("GET", "/api/v1/settings/automation")
        assert r.status_code == 200, r.text
        return r.json()["automation"]

    def post_update(self, iid, status, message="Progress."):
        r = self.api("POST", f"/api/v1/incidents/{iid}/updates",
                     json={"status": status, "message": message})
        assert r.status_code == 201, r.text
        return r.json()

    def snapshot(self):
        """Everything this organization can see through the API."""
        return {
            "services": sorted(self.services(), key=lambda s: s["id"]),
            "incidents": self.all_incidents(),
            "settings": self.settings(),
        }

    def create_org(self, name=None, slug=None):
        slug = slug or uniq("org")
        r = self.api("POST", "/api/v1/organizations",
                     json={"name": name or f"Org {slug}", "slug": slug})
        assert r.status_code == 201, r.text
        body = r.json()
        return body, Client(self.server, body["token"])


# -- response helpers --------------------------------------------------------

SERVICE_KEYS = {"id", "name", "description", "group", "status", "created_at", "updated_at"}
INCIDENT_KEYS = {"id", "title", "severity", "status", "source", "draft", "services",
                 "updates", "started_at", "created_at", "updated_at", "published_at",
                 "resolved_at", "retrospective"}
UPDATE_KEYS = {"id", "status", "message", "created_at", "author"}


def service_of(resp):
    """The service object of a single-service reply.

    API.md says "→ 201 service" without naming a wrapper, while every other
    object comes wrapped ({"incident": …}).  Accept either shape; the exact
    key set of the service itself is checked by callers.
    """
    body = resp.json()
    assert isinstance(body, dict), body
    if set(body) == {"service"}:
        return body["service"]
    return body


def is_json(resp):
    ctype = resp.headers.get("Content-Type", "")
    return ctype.split(";")[0].strip().lower() == "application/json"


def assert_error(resp, status, code, field=_DEFAULT):
    assert resp.status_code == status, f"expected {status} {code}, got {resp.status_code}: {resp.text[:500]}"
    assert is_json(resp), f"error without JSON content type: {resp.headers.get('Content-Type')}"
    body = resp.json()
    assert set(body) == {"error"}, body
    err = body["error"]
    assert set(err) <= {"code", "message", "field"}, err
    assert err["code"] == code, err
    assert isinstance(err["message"], str) and err["message"], err
    if field is not _DEFAULT:
        assert err.get("field") == field, err
    return err


def assert_time(value, near=True):
    """RFC 3339 UTC ending in Z, and (by default) within a few minutes of now."""
    assert isinstance(value, str) and TIME_RE.match(value), f"bad time {value!r}"
    parsed = dt.datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
    if near:
        now = dt.datetime.now(dt.timezone.utc)
        assert abs((now - parsed).total_seconds()) < 600, f"time {value} is far from now {now}"
    return parsed


def check_service_shape(svc):
    assert set(svc) == SERVICE_KEYS, svc
    assert isinstance(svc["id"], str) and svc["id"]
    assert isinstance(svc["name"], str) and svc["name"]
    assert isinstance(svc["description"], str)
    assert svc["group"] is None or isinstance(svc["group"], str)
    assert svc["status"] in ("operational", "degraded_performance", "partial_outage",
                             "major_outage", "under_maintenance")
    assert_time(svc["created_at"])
    assert_time(svc["updated_at"])


def check_incident_shape(inc):
    assert set(inc) == INCIDENT_KEYS, inc
    assert isinstance(inc["id"], str) and inc["id"]
    assert isinstance(inc["title"], str) and inc["title"]
    assert inc["severity"] in ("minor", "major", "critical")
    assert inc["status"] in ("investigating", "identified", "monitoring", "resolved")
    assert inc["source"] in ("manual", "api", "auto_uptime", "auto_heartbeat",
                             "auto_integration", "auto_beacon")
    assert isinstance(inc["draft"], bool)
    assert isinstance(inc["services"], list)
    for s in inc["services"]:
        assert set(s) == {"id", "name"}, s
    assert isinstance(inc["updates"], list) and inc["updates"], inc
    for u in inc["updates"]:
        check_update_shape(u)
    assert inc["updates"][0]["status"] == inc["status"], inc
    for k in ("started_at", "created_at", "updated_at"):
        assert_time(inc[k])
    if inc["draft"]:
        assert inc["published_at"] is None, inc
    else:
        assert_time(inc["published_at"])
    if inc["status"] == "resolved":
        assert_time(inc["resolved_at"])
    else:
        assert inc["resolved_at"] is None, inc
    assert inc["retrospective"] is None or isinstance(inc["retrospective"], str)


def check_update_shape(u):
    assert set(u) == UPDATE_KEYS, u
    assert isinstance(u["id"], str) and u["id"]
    assert u["status"] in ("investigating", "identified", "monitoring", "resolved")
    assert isinstance(u["message"], str) and u["message"]
    assert isinstance(u["author"], str) and u["author"], u
    assert_time(u["created_at"])


# -- raw HTTP (for framing the requests library will not produce) -------------

def raw_exchange(port, head, body_chunks=(), timeout=20.0):
    """Send `head` then the body chunks on one socket while reading the reply.

    The sender runs in a thread and ignores EPIPE/ECONNRESET, because a server
    may answer 413 and close before the whole body has been sent.  Returns
    (status, headers dict, body bytes); status None means the server closed
    the connection without a parseable reply, "timeout" that it neither
    replied nor closed within `timeout` seconds.
    """
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send_all():
        try:
            sock.sendall(head)
            for chunk in body_chunks:
                sock.sendall(chunk)
        except OSError:
            pass

    sender = threading.Thread(target=send_all, daemon=True)
    sender.start()
    data = b""
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        while True:
            if time.monotonic() >= deadline:
                timed_out = True
                break
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                timed_out = True
                break
            except OSError:
                break
            if not chunk:
                break
            data += chunk
            parsed = _parse_response(data)
            if parsed is not None:
                return parsed
    finally:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
        sender.join(timeout=5)
    parsed = _parse_response(data, eof=not timed_out)
    if parsed is not None:
        return parsed
    return ("timeout" if timed_out else None), {}, data


def _parse_response(data, eof=False):
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = data[:end].decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", head[0])
    if not m:
        return (None, {}, data) if eof else None
    headers = {}
    for line in head[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    body = data[end + 4:]
    if "content-length" in headers:
        n = int(headers["content-length"])
        if len(body) < n:
            return (int(m.group(1)), headers, body) if eof else None
        return int(m.group(1)), headers, body[:n]
    if headers.get("transfer-encoding", "").lower() == "chunked":
        decoded = _dechunk(body)
        if decoded is None:
            return (int(m.group(1)), headers, body) if eof else None
        return int(m.group(1)), headers, decoded
    if eof:
        return int(m.group(1)), headers, body
    return None


def _dechunk(body):
    out = b""
    while True:
        nl = body.find(b"\r\n")
        if nl < 0:
            return None
        size = int(body[:nl].split(b";")[0], 16)
        if size == 0:
            return out
        if len(body) < nl + 2 + size + 2:
            return None
        out += body[nl + 2: nl + 2 + size]
        body = body[nl + 2 + size + 2:]


# -- fixtures ----------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server shared by the tests of one module; stopped cleanly at the end.

    Its rate limit is far above what any test sends (a module's tests can
    send a few hundred requests a second with one token): the limiter
    still runs on every request, and test_rate_limit.py checks the limit
    itself, default included."""
    srv = Server(tmp_path_factory.mktemp("kodo"), args=["--rate-limit", "100000"])
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def admin(server):
    """The bootstrap (instance owner) token's view: organization `default`."""
    return server.client(server.token)


@pytest.fixture
def org(admin):
    """A brand-new organization (fresh settings, no services, no incidents)."""
    _, client = admin.create_org()
    return client


@pytest.fixture
def fresh_server(tmp_path):
    """A dedicated server for one test; stopped (and checked) afterwards."""
    srv = Server(tmp_path)
    yield srv
    if srv.running():
        srv.stop()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    # Never leave a server behind, whatever happened.
    for srv in _ALL_SERVERS:
        if srv.proc is not None and srv.proc.poll() is None:
            srv.proc.kill()
            srv.proc.wait()
