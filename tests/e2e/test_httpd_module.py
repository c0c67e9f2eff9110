"""src/http/httpd.c over real sockets, through tests/httpd_test_server.c.

The test server is compiled here with the project's warning flags and
ASan+UBSan; every server is stopped with SIGTERM at the end and must exit 0
with a clean sanitizer report (its exit code also says whether every shared
body was released exactly once).  The hostile byte sequences are those of
test_errors.py, now with the exact answers this module gives.
"""

import http.client
import json
import os
import re
import select
import signal
import socket
import subprocess
import threading
import time

import pytest

from conftest import REPO_ROOT, SANITIZER_ENV, SANITIZER_MARKERS, raw_exchange, wait_until

MAX_BODY = 1048576
PROMPT_S = 2.0  # "at once", with room for ASan on a loaded machine

WARN = ["-std=c11", "-Wall", "-Wextra", "-Wshadow", "-Wstrict-prototypes",
        "-Wmissing-prototypes", "-Wformat=2", "-Werror"]
SAN = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer",
       "-fno-sanitize-recover=undefined"]
SOURCES = ["tests/httpd_test_server.c", "src/http/httpd.c", "src/http/httpd_parse.c",
           "src/util/buf.c", "src/util/alloc.c", "src/util/log.c", "src/util/clock.c",
           "src/util/kerr.c"]


@pytest.fixture(scope="session")
def binary(tmp_path_factory):
    out = tmp_path_factory.mktemp("httpd") / "httpd_test_server"
    cmd = ["cc", *WARN, "-O1", "-g", *SAN, "-Isrc", "-D_DEFAULT_SOURCE", "-o", str(out),
           *SOURCES, "-lpthread"]
    r = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True)
    assert r.returncode == 0, f"build failed:\n{' '.join(cmd)}\n{r.stderr}"
    return out


class HttpdProc:
    """One httpd_test_server process."""

    def __init__(self, binary, tmp, *args):
        self.stderr_path = tmp / f"httpd-{time.monotonic_ns()}.stderr"
        env = dict(os.environ, **SANITIZER_ENV)
        with open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen([str(binary), *args], stdout=subprocess.PIPE,
                                         stderr=err, env=env, start_new_session=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 15)
        line = self.proc.stdout.readline().decode() if ready else ""
        if not line.startswith("port="):
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"test server did not start: {line!r}\n{self.stderr()}")
        self.port = int(line.strip().split("=")[1])

    def stderr(self):
        return self.stderr_path.read_text(errors="replace")

    def running(self):
        return self.proc.poll() is None

    def stop(self, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"test server did not stop within {timeout}s\n{self.stderr()}")
        self.proc.stdout.close()
        err = self.stderr()
        for marker in SANITIZER_MARKERS:
            assert marker not in err, f"sanitizer report ({marker}):\n{err}"
        assert rc == 0, f"test server exited {rc}\n{err}"
        return rc


@pytest.fixture(scope="module")
def srv(binary, tmp_path_factory):
    s = HttpdProc(binary, tmp_path_factory.mktemp("srv"), "--listen", "127.0.0.1:0",
                   "--threads", "2", "--header-timeout-ms", "3000", "--idle-timeout-ms", "5000")
    yield s
    s.stop()


@pytest.fixture
def start(binary, tmp_path):
    """Starts dedicated servers for one test; stops and checks them after."""
    started = []

    def _start(*args):
        s = HttpdProc(binary, tmp_path, *args)
        started.append(s)
        return s
    yield _start
    for s in started:
        s.stop()


class Resp:
    def __init__(self, status, line, headers, body):
        self.status, self.line, self.headers, self.body = status, line, headers, body

    def header(self, name):
        values = self.headers.get(name.lower(), [])
        assert len(values) <= 1, f"{name} sent {len(values)} times"
        return values[0] if values else None

    def json(self):
        return json.loads(self.body)


class Conn:
    """A raw client connection that reads responses one after another."""

    def __init__(self, port, host="127.0.0.1", timeout=10):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def _more(self):
        data = self.sock.recv(1 << 20)
        if not data:
            raise EOFError("connection closed by the server")
        self.buf += data

    def response(self, head=False):
        """The next response; head=True for one without a body (HEAD)."""
        while b"\r\n\r\n" not in self.buf:
            self._more()
        raw, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = raw.decode("latin-1").split("\r\n")
        assert re.fullmatch(r"HTTP/1\.1 \d{3} .*", lines[0]), f"not a status line: {lines[0][:80]!r}"
        headers = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            assert sep, f"bad header line {line!r}"
            headers.setdefault(name.lower(), []).append(value.strip())
        status = int(lines[0].split(" ")[1])
        n = 0 if head else int(headers.get("content-length", ["0"])[0])
        while len(self.buf) < n:
            self._more()
        body, self.buf = self.buf[:n], self.buf[n:]
        return Resp(status, lines[0], headers, body)

    def closed(self, timeout=PROMPT_S):
        """True once the server closes (EOF or reset) within timeout."""
        self.sock.settimeout(timeout)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return True
                self.buf += data
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False


def get(path, extra=b""):
    return b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n"


def post(path, body, extra=b""):
    return (b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
            % len(body) + extra + b"\r\n" + body)


def chunks(body, piece=65536):
    for i in range(0, len(body), piece):
        part = body[i:i + piece]
        yield b"%x\r\n" % len(part) + part + b"\r\n"
    yield b"0\r\n\r\n"


def healthy(port):
    with Conn(port) as c:
        c.send(get("/healthz"))
        r = c.response()
        return r.status == 200 and r.json() == {"status": "ok"}


def assert_refusal(resp, status, code):
    assert resp.status == status, (resp.line, resp.body[:200])
    assert resp.header("content-type") == "application/json"
    assert resp.json()["error"]["code"] == code
    assert resp.header("connection") == "close"


# -- hostile requests: the list of test_errors.py, with exact answers -------------

HOSTILE = [
    ("garbage", b"GARBAGE\r\n\r\n", 400, "bad_request"),
    ("no-target", b"GET\r\n\r\n", 400, "bad_request"),
    ("bad-version", b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 505, "http_version_not_supported"),
    ("bad-header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n", 400,
     "bad_request"),
    ("big-header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n",
     431, "header_fields_too_large"),
    ("long-uri", b"GET /" + b"a" * 200000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),
    ("negative-length", b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400,
     "bad_request"),
    ("non-numeric-length", b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400,
     "bad_request"),
    ("bad-chunk", b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
     400, "bad_request"),
    ("binary-nul-first", b"\x00\x01\x02\x03\xff\xfe\r\n\r\n", 400, "bad_request"),
    ("binary", b"\xff\xfe\r\n\r\n", 400, "bad_request"),
    ("nul-in-target", b"GET /healthz\x00x HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"),
    ("many-headers", b"GET /healthz HTTP/1.1\r\n" + b"X-H: v\r\n" * 5000 + b"\r\n", 431,
     "header_fields_too_large"),
    ("cl-and-te", b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
     b"Transfer-Encoding: chunked\r\n\r\nabc", 400, "bad_request"),
    ("two-lengths", b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
     b"Content-Length: 4\r\n\r\nabcd", 400, "bad_request"),
    ("obs-fold", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", 400, "bad_request"),
    ("no-host", b"GET /healthz HTTP/1.1\r\n\r\n", 400, "bad_request"),
    ("bare-lf", b"GET /healthz HTTP/1.1\nHost: x\n\n", 400, "bad_request"),
    ("gzip-coding", b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501,
     "not_implemented"),
    ("nul-in-path", b"GET /healthz%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"),
    ("nul-in-query", b"GET /echo?q=a%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"),
]


@pytest.mark.parametrize("raw,status,code", [h[1:] for h in HOSTILE],
                         ids=[h[0] for h in HOSTILE])
def test_hostile_requests_get_prompt_exact_answers(srv, raw, status, code):
    t0 = time.monotonic()
    got, headers, payload = raw_exchange(srv.port, raw, timeout=10)
    assert time.monotonic() - t0 < PROMPT_S
    assert got == status, (got, payload[:200])
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    assert json.loads(payload)["error"]["code"] == code
    assert srv.running()
    assert healthy(srv.port)


@pytest.mark.parametrize("prefix,status", [
    (b"\x00", 400), (b"\xff\xfe", 400), (b"GARBAGE\r", 400), (b"GET\r", 400),
    (b"GET /healthz\x00", 400), (b"GET / HTTP/9.9\r", 505), (b"GET / HTTP/1.1\n", 400),
    (b"GET / HTTP/1.1\r\nHost: x\r\nBroken ", 400), (b"GET / HTTP/1.1\r\nX: a\x00", 400),
    (b"GET / HTTP/1.1\r\nHost: x\r\n folded", 400),
])
def test_refused_without_waiting_for_the_rest(srv, prefix, status):
    """Bytes that cannot begin a valid request are answered as they arrive,
    without the end of the head, and the connection is then closed."""
    with Conn(srv.port) as c:
        t0 = time.monotonic()
        c.send(prefix)
        r = c.response()
        assert time.monotonic() - t0 < PROMPT_S
        assert r.status == status
        assert c.closed()


def test_nul_in_credentials_is_not_truncated(srv):
    for name in (b"Authorization: Bearer ", b"X-API-Key: "):
        with Conn(srv.port) as c:
            c.send(post("/auth", b"{}", name + b"secret-token\x00junk\r\n"))
            assert_refusal(c.response(), 400, "bad_request")
        for value, status in ((b"secret-token", 200), (b"secret-token  ", 200),
                              (b"secret-tokenjunk", 401), (b"secret-toke", 401)):
            with Conn(srv.port) as c:
                c.send(post("/auth", b"{}", name + value + b"\r\n"))
                assert c.response().status == status, (name, value)


# -- body limits ---------------------------------------------------------------------

@pytest.mark.parametrize("length", [MAX_BODY + 1, 10000000000])
def test_413_on_content_length_before_the_body(srv, length):
    with Conn(srv.port) as c:
        t0 = time.monotonic()
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % length)
        assert_refusal(c.response(), 413, "payload_too_large")
        assert time.monotonic() - t0 < PROMPT_S


def test_413_on_content_length_with_the_body_streaming(srv):
    body = b"a" * (MAX_BODY + 1)
    head = b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body)
    status, _, payload = raw_exchange(srv.port, head, [body])
    assert status == 413
    assert json.loads(payload)["error"]["code"] == "payload_too_large"


def test_413_chunked_as_soon_as_the_limit_is_passed(srv):
    """Exactly MAX_BODY bytes of chunks are read without an answer; the next
    chunk size line that passes the limit is answered at once, before its
    data is sent."""
    with Conn(srv.port) as c:
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        piece = b"a" * 65536
        for _ in range(MAX_BODY // len(piece)):
            c.send(b"10000\r\n" + piece + b"\r\n")
        assert not c.closed(timeout=0.3)  # nothing answered yet
        assert c.buf == b""
        t0 = time.monotonic()
        c.send(b"1\r\n")
        assert_refusal(c.response(), 413, "payload_too_large")
        assert time.monotonic() - t0 < PROMPT_S
        assert c.closed()


def test_413_chunked_like_test_errors(srv):
    head = b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    status, _, payload = raw_exchange(srv.port, head, chunks(b"b" * (MAX_BODY + 1)))
    assert status == 413
    assert json.loads(payload)["error"]["code"] == "payload_too_large"
    assert healthy(srv.port)


def test_bodies_of_exactly_the_limit_are_read(srv):
    body = b"c" * MAX_BODY
    with Conn(srv.port) as c:
        c.send(post("/echo", body))
        r = c.response()
        assert r.status == 200
        assert r.json()["body_len"] == MAX_BODY and r.json()["body"] == body.decode()
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        for part in chunks(body, piece=100000):
            c.send(part)
        r = c.response()
        assert r.status == 200 and r.json()["body_len"] == MAX_BODY
        assert r.json()["body"] == body.decode()
        assert r.json()["body_nul"] is True


def test_chunked_framing_is_removed(srv):
    raw = (b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"3;ext=1\r\nabc\r\n0001\r\nd\r\n2 ; x\r\nef\r\n0\r\nTrailer: t\r\n\r\n")
    with Conn(srv.port) as c:
        for i in range(len(raw)):  # one byte at a time
            c.send(raw[i:i + 1])
        r = c.response()
        assert r.status == 200 and r.json()["body"] == "abcdef"
        assert r.header("connection") is None  # still open
        c.send(get("/healthz"))
        assert c.response().status == 200


# -- connection handling ---------------------------------------------------------------

def test_pipelined_requests_are_answered_in_order(srv):
    raw = (get("/echo?q=n&n=1") + post("/echo?q=n&n=2", b"two")
           + b"POST /echo?q=n&n=3 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
             b"5\r\nthree\r\n0\r\n\r\n"
           + b"HEAD /shared HTTP/1.1\r\nHost: x\r\n\r\n" + get("/echo?q=n&n=5"))
    with Conn(srv.port) as c:
        c.send(raw)
        got = [c.response() for _ in range(3)]
        assert [r.json()["param"] for r in got] == ["1", "2", "3"]
        assert [r.json()["body"] for r in got] == ["", "two", "three"]
        head = c.response(head=True)
        assert head.status == 200 and head.header("content-length") == "30000"
        last = c.response()
        assert last.json()["param"] == "5"
        assert c.buf == b""


def test_pipelining_behind_a_large_slow_read_answer(srv):
    """A response larger than the socket buffers: the next request waits for
    it, and both arrive whole and in order."""
    n = 6000000
    with Conn(srv.port) as c:
        c.send(get("/shared?n=%d" % n) + get("/healthz"))
        time.sleep(0.3)  # let the server fill the buffers and block
        r = c.response()
        assert r.status == 200 and len(r.body) == n
        assert r.body[:52] == b"abcdefghijklmnopqrstuvwxyz" * 2
        assert r.body[-1:] == bytes([ord("a") + (n - 1) % 26])
        assert c.response().json() == {"status": "ok"}


def test_keep_alive_serves_many_requests_on_one_connection(srv):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    conn.connect()
    local = conn.sock.getsockname()
    for i in range(200):
        conn.request("GET", f"/echo?q=i&i={i}")
        r = conn.getresponse()
        assert r.status == 200 and json.loads(r.read())["param"] == str(i)
        assert conn.sock is not None and conn.sock.getsockname() == local
    conn.close()


def test_connection_close(srv):
    with Conn(srv.port) as c:
        c.send(get("/healthz", b"Connection: close\r\n"))
        r = c.response()
        assert r.status == 200 and r.header("connection") == "close"
        assert c.closed()
    with Conn(srv.port) as c:  # the handler asks for it
        c.send(get("/close"))
        r = c.response()
        assert r.body == b"bye" and r.header("connection") == "close"
        assert c.closed()


def test_http10(srv):
    with Conn(srv.port) as c:
        c.send(b"GET /healthz HTTP/1.0\r\n\r\n")
        r = c.response()
        assert r.status == 200 and r.line.startswith("HTTP/1.1 200")
        assert r.header("connection") == "close"
        assert c.closed()
    with Conn(srv.port) as c:
        for _ in range(3):
            c.send(b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            r = c.response()
            assert r.status == 200 and r.header("connection") == "keep-alive"


def test_head_has_the_get_length_and_no_body(srv):
    with Conn(srv.port) as c:
        c.send(b"HEAD /shared HTTP/1.1\r\nHost: x\r\n\r\n" + get("/healthz"))
        r = c.response(head=True)
        assert r.status == 200 and r.header("content-length") == "30000"
        nxt = c.response()  # right after the head: no body bytes between
        assert nxt.json() == {"status": "ok"}


def test_every_answer_has_date_and_length(srv):
    with Conn(srv.port) as c:
        c.send(get("/owned"))
        r = c.response()
        assert r.body == b"owned" and r.header("content-length") == "5"
        date = r.header("date")
        assert date and date.endswith(" GMT")
        time.strptime(date, "%a, %d %b %Y %H:%M:%S GMT")


@pytest.mark.parametrize("code,line", [
    (299, "HTTP/1.1 299 "), (99, "HTTP/1.1 500 Internal Server Error"),
    (101, "HTTP/1.1 500 Internal Server Error"), (600, "HTTP/1.1 500 Internal Server Error"),
    (404, "HTTP/1.1 404 Not Found"), (422, "HTTP/1.1 422 Unprocessable Content"),
])
def test_status_lines(srv, code, line):
    with Conn(srv.port) as c:
        c.send(get("/status?code=%d" % code))
        r = c.response()
        assert r.line == line and r.body == b"x"


@pytest.mark.parametrize("code", [204, 304])
def test_no_body_statuses(srv, code):
    with Conn(srv.port) as c:
        c.send(get("/status?code=%d" % code) + get("/healthz"))
        r = c.response()
        assert r.status == code and r.header("content-length") is None
        assert c.response().json() == {"status": "ok"}


def test_response_headers_are_checked(srv):
    with Conn(srv.port) as c:
        c.send(get("/headers"))
        r = c.response()
        assert r.json() == {"crlf": -1, "nul_name": -1, "length": -1, "te": -1,
                            "bad_name": -1, "ok": 0}
        assert "set-cookie" not in r.headers and "x-a" not in r.headers
        assert r.header("x-ok") == "fine\tvalue"
        assert r.header("content-length") == str(len(r.body))


# -- request view ------------------------------------------------------------------

def test_headers_and_query_as_the_handler_sees_them(srv):
    with Conn(srv.port) as c:
        c.send(get("/ec%68o?h=x-custom&q=na%6De&name=a+b%20c%zz",
                   b"X-Custom: \t v1 \t with\ttab \t\r\nx-custom: second\r\n"))
        j = c.response().json()
        assert j["path"] == "/echo"
        assert j["query"] == "h=x-custom&q=na%6De&name=a+b%20c%zz"
        assert j["header"] == "v1 \t with\ttab"
        assert j["param"] == "a b c%zz"
        assert j["minor"] == 1 and j["method"] == "GET"
        c.send(get("/echo?h=X-Missing&q=missing"))
        j = c.response().json()
        assert j["header"] is None and j["param"] is None
        c.send(get("/echo?h=X-Utf8", b"X-Utf8: caf\xc3\xa9 \xff\r\n"))
        # exact bytes (the echo writes each byte >= 0x7f as \u00XX)
        assert c.response().json()["header"] == b"caf\xc3\xa9 \xff".decode("latin-1")


def test_absolute_form_and_decoded_paths(srv):
    with Conn(srv.port) as c:
        c.send(b"GET http://example.com/echo?q=a&a=1 HTTP/1.1\r\nHost: example.com\r\n\r\n")
        j = c.response().json()
        assert j["path"] == "/echo" and j["param"] == "1"
        c.send(get("/a%2Fb"))
        assert c.response().status == 404  # decoded to /a/b, no such route
        c.send(get("/a%zz"))
        assert_refusal(c.response(), 400, "bad_request")


def test_expect_100_continue(srv):
    with Conn(srv.port) as c:
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
               b"Content-Length: 5\r\n\r\n")
        r = c.response()
        assert r.status == 100 and r.line == "HTTP/1.1 100 Continue"
        c.send(b"hello")
        r = c.response()
        assert r.status == 200 and r.json()["body"] == "hello"
        # chunked, same connection
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n")
        assert c.response().status == 100
        c.send(b"2\r\nhi\r\n0\r\n\r\n")
        assert c.response().json()["body"] == "hi"
        # the body came along already: no 100
        c.send(post("/echo", b"abc", b"Expect: 100-continue\r\n"))
        r = c.response()
        assert r.status == 200 and r.json()["body"] == "abc"
    with Conn(srv.port) as c:  # too large: refused, never a 100 first
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
               b"Content-Length: %d\r\n\r\n" % (MAX_BODY + 1))
        assert_refusal(c.response(), 413, "payload_too_large")
    with Conn(srv.port) as c:
        c.send(post("/echo", b"abc", b"Expect: something\r\n"))
        assert_refusal(c.response(), 417, "expectation_failed")


# -- timeouts and limits ---------------------------------------------------------------

def test_header_timeout_and_idle_timeout(start):
    # Far apart, so that the wrong timer cannot pass for the right one.
    s = start("--threads", "1", "--header-timeout-ms", "500", "--idle-timeout-ms", "3000")
    # Lower bounds count from before the client acts (the server's clock
    # starts later, never earlier); upper bounds leave room for a loaded box.
    t0 = time.monotonic()
    with Conn(s.port) as c:  # silent
        assert c.closed(timeout=5)
        assert 0.45 < time.monotonic() - t0 < 2.5
    with Conn(s.port) as c:  # slowloris: progress does not extend the header deadline
        t0 = time.monotonic()
        closed = False
        for b in b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
            try:
                c.send(bytes([b]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            if c.closed(timeout=0.05):
                closed = True
                break
        assert closed, "a head dripping in was never cut"
        assert time.monotonic() - t0 < 2.5
    with Conn(s.port) as c:  # idle keep-alive
        t0 = time.monotonic()
        c.send(get("/healthz"))
        assert c.response().status == 200
        assert c.closed(timeout=8)
        assert 2.95 < time.monotonic() - t0 < 5.5
    with Conn(s.port) as c:  # slow but in time is served
        c.send(b"GET /healthz HTTP/1.1\r\n")
        time.sleep(0.2)
        c.send(b"Host: x\r\n\r\n")
        assert c.response().status == 200


def test_max_connections(start):
    s = start("--threads", "2", "--max-conns", "3")
    held = [Conn(s.port) for _ in range(3)]
    try:
        for c in held:  # each one accepted and served
            c.send(get("/healthz"))
            assert c.response().status == 200
        with Conn(s.port) as extra:
            assert extra.closed(), "a connection over the limit was kept"
        held.pop().sock.close()

        def served():
            try:
                with Conn(s.port) as c:
                    c.send(get("/healthz"))
                    return c.response().status == 200
            except (EOFError, ConnectionError):
                return False
        wait_until(served, timeout=5, what="a slot to free up")
    finally:
        for c in held:
            c.sock.close()


def test_shared_body_released_when_the_client_goes_away(srv):
    def stats():
        with Conn(srv.port) as c:
            c.send(get("/stats"))
            return c.response().json()
    with Conn(srv.port) as c:
        c.send(get("/shared?n=8000000"))
        c.sock.recv(1000)  # the answer has started
    wait_until(lambda: stats()["acquired"] == stats()["released"], timeout=10,
               what="the shared body to be released")


def test_blocking_handler_does_not_stall_other_workers(start):
    s = start("--threads", "2", "--accept", "shared")
    with Conn(s.port) as slow:
        slow.send(get("/slow?ms=2000"))
        time.sleep(0.2)  # the slow handler now holds one worker
        t0 = time.monotonic()
        for _ in range(10):
            assert healthy(s.port)
        assert time.monotonic() - t0 < 1.5
        assert slow.response().body == b"slow"


def test_stop_drains_in_flight_requests(start):
    s = start("--threads", "2", "--accept", "shared", "--drain-ms", "5000")
    idle = Conn(s.port)
    idle.send(get("/healthz"))
    assert idle.response().status == 200
    busy = Conn(s.port)
    busy.send(get("/slow?ms=1500"))
    time.sleep(0.3)
    t0 = time.monotonic()
    s.proc.send_signal(signal.SIGTERM)
    assert idle.closed(timeout=2), "an idle connection was kept during the drain"
    r = busy.response()
    assert r.body == b"slow" and r.header("connection") == "close"
    assert busy.closed()
    with pytest.raises((ConnectionError, EOFError, OSError)):
        with Conn(s.port, timeout=2) as late:
            late.send(get("/healthz"))
            late.response()
    assert s.proc.wait(timeout=10) == 0
    assert time.monotonic() - t0 < 5
    idle.sock.close()
    busy.sock.close()


def test_blocking_pool_keeps_the_worker_serving(start):
    """One worker, five handlers blocking on the pool: the worker goes on
    serving other connections, and the handlers run side by side."""
    s = start("--threads", "1", "--pool", "8")
    with Conn(s.port) as c:
        c.send(get("/thread"))
        assert c.response().json()["thread"] == "httpd-w0"
        c.send(get("/thread?pool=1"))
        assert c.response().json()["thread"] == "httpd-blocking"
    slow = [Conn(s.port) for _ in range(5)]
    t0 = time.monotonic()
    for c in slow:
        c.send(get("/slow?ms=1000"))
    time.sleep(0.2)
    for _ in range(10):
        assert healthy(s.port)
    assert time.monotonic() - t0 < 1.0
    for c in slow:
        assert c.response().body == b"slow"
        c.sock.close()
    assert time.monotonic() - t0 < 2.5  # in parallel, not one after another


def test_pipelining_through_the_pool_keeps_order(start):
    """Pooled and inline requests on one connection are answered in order;
    a pooled body is NUL-terminated and the next request's first byte,
    lent for that NUL, is given back."""
    s = start("--threads", "1", "--pool", "4")
    with Conn(s.port) as c:
        c.send(post("/echo?q=n&n=1&pool=1", b"one") + post("/echo?q=n&n=2", b"two")
               + get("/slow?ms=300")
               + b"POST /echo?q=n&n=4&pool=1 HTTP/1.1\r\nHost: x\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n4\r\nfour\r\n0\r\n\r\n"
               + get("/healthz"))
        r = [c.response() for _ in range(5)]
        assert [x.json()["param"] for x in (r[0], r[1], r[3])] == ["1", "2", "4"]
        assert [x.json()["body"] for x in (r[0], r[1], r[3])] == ["one", "two", "four"]
        assert all(x.json()["body_nul"] for x in (r[0], r[1], r[3]))
        assert r[2].body == b"slow" and r[4].json() == {"status": "ok"}


def test_stop_waits_for_pooled_handlers(start):
    s = start("--threads", "1", "--pool", "2", "--drain-ms", "5000")
    with Conn(s.port) as busy:
        busy.send(get("/slow?ms=1000"))
        time.sleep(0.2)
        s.proc.send_signal(signal.SIGTERM)
        r = busy.response()
        assert r.body == b"slow" and r.header("connection") == "close"
    assert s.proc.wait(timeout=10) == 0


def test_drain_deadline_with_a_handler_still_running(start):
    """At the deadline every connection goes except those in a handler,
    which cannot be interrupted: the server waits for it, tries once to
    answer, and exits cleanly."""
    s = start("--threads", "1", "--pool", "2", "--drain-ms", "300")
    busy = Conn(s.port)
    busy.send(get("/slow?ms=1500"))
    partial = Conn(s.port)
    partial.send(b"GET /healthz HTTP/1.1\r\n")  # not idle: kept until the deadline
    time.sleep(0.2)
    t0 = time.monotonic()
    s.proc.send_signal(signal.SIGTERM)
    assert partial.closed(timeout=3)
    assert time.monotonic() - t0 < 1.5
    try:
        r = busy.response()
        assert r.body == b"slow" and r.header("connection") == "close"
    except (EOFError, ConnectionResetError):
        pass  # the one try may lose the race with the close; never a hang
    assert s.proc.wait(timeout=10) == 0
    busy.sock.close()
    partial.sock.close()


@pytest.mark.parametrize("mode", ["reuseport", "shared"])
def test_port_in_use_is_refused(binary, srv, tmp_path, mode):
    r = subprocess.run([str(binary), "--listen", f"127.0.0.1:{srv.port}", "--accept", mode],
                       capture_output=True, text=True, timeout=20,
                       env=dict(os.environ, **SANITIZER_ENV))
    assert r.returncode == 1 and "cannot listen" in r.stderr, r.stderr
    assert healthy(srv.port)


def test_ipv6_loopback(start):
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    s = start("--listen", "[::1]:0")
    with Conn(s.port, host="::1") as c:
        c.send(get("/healthz"))
        assert c.response().status == 200


def test_concurrent_clients(srv):
    """Many clients at once on both workers, each keeping its connection."""
    errors = []

    def client(k):
        try:
            with Conn(srv.port) as c:
                for i in range(50):
                    c.send(post("/echo?q=k&k=%d" % k, b"x" * i))
                    j = c.response().json()
                    assert j["param"] == str(k) and j["body_len"] == i
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))
    threads = [threading.Thread(target=client, args=(k,)) for k in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []


def test_still_healthy_at_the_end(srv):
    assert srv.running()
    assert healthy(srv.port)
