"""Graceful shutdown: SIGTERM finishes or cleanly drops in-flight work, loses
nothing acknowledged, and exits 0 (with no leak report) in bounded time."""

import signal
import socket
import threading
import time

import requests

from conftest import STOP_DEADLINE_S, wait_until

WORKERS = 16


def test_sigterm_when_idle(fresh_server):
    srv = fresh_server
    srv.start()
    srv.client(srv.token).create_service(name="idle")
    t0 = time.monotonic()
    rc = srv.stop()
    assert rc == 0
    assert time.monotonic() - t0 < STOP_DEADLINE_S


def test_sigterm_with_requests_in_flight(fresh_server):
    srv = fresh_server
    srv.start()
    svc = srv.client(srv.token).create_service(name="busy")
    url = srv.url + "/api/v1/incidents"
    headers = {"Authorization": f"Bearer {srv.token}"}

    lock = threading.Lock()
    acked = []        # (id, body) of every 2xx
    unexpected = []   # anything that is neither 2xx nor a connection failure
    conn_failures = [0]

    def worker(w):
        sess = requests.Session()
        n = 0
        while True:
            body = {"title": f"w{w} n{n}", "severity": "major", "message": f"m {w}/{n}",
                    "services": [svc["id"]]}
            n += 1
            try:
                r = sess.post(url, json=body, headers=headers, timeout=30)
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                with lock:
                    conn_failures[0] += 1
                return
            except Exception as e:  # a timeout or anything else is a failure
                with lock:
                    unexpected.append(repr(e))
                return
            if 200 <= r.status_code < 300:
                try:
                    inc = r.json()["incident"]
                except Exception as e:
                    with lock:
                        unexpected.append(f"2xx with a bad body: {e!r} {r.text[:200]}")
                    return
                with lock:
                    acked.append((inc["id"], body))
            else:
                with lock:
                    unexpected.append(f"{r.status_code} {r.text[:200]}")
                return

    threads = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(WORKERS)]
    for t in threads:
        t.start()
    wait_until(lambda: len(acked) >= 40 or unexpected, timeout=30, what="40 acknowledged writes")
    assert not unexpected, unexpected

    srv.signal(signal.SIGTERM)
    t0 = time.monotonic()
    rc = srv.wait_exit(STOP_DEADLINE_S)
    assert time.monotonic() - t0 < STOP_DEADLINE_S
    srv.assert_clean_exit(rc)
    for t in threads:
        t.join(timeout=35)
        assert not t.is_alive(), "a client request hung after the server exited"

    assert not unexpected, unexpected
    assert conn_failures[0] == WORKERS  # every worker ended on a connection failure

    srv.start()
    c = srv.client(srv.token)
    stored = {i["id"]: i for i in c.all_incidents()}
    for iid, body in acked:
        assert iid in stored, f"acknowledged incident {iid} lost"
        got = stored[iid]
        assert got["title"] == body["title"]
        assert got["updates"][-1]["message"] == body["message"]
        assert got["services"] == [{"id": svc["id"], "name": "busy"}]
    # Nothing half-written: every stored incident is complete.
    for got in stored.values():
        assert got["updates"] and got["services"] == [{"id": svc["id"], "name": "busy"}]
    assert c.get_service(svc["id"])["status"] == "partial_outage"


def test_sigterm_with_idle_and_half_open_connections(fresh_server):
    srv = fresh_server
    srv.start()
    socks = []
    try:
        idle = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        socks.append(idle)
        half = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        half.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        socks.append(half)
        body_pending = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        body_pending.sendall(b"POST /api/v1/services HTTP/1.1\r\nHost: x\r\n"
                             b"Authorization: Bearer " + srv.token.encode() + b"\r\n"
                             b"Content-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"na")
        socks.append(body_pending)
        # A kept-alive connection that already served a request.
        sess = requests.Session()
        assert sess.get(srv.url + "/healthz", timeout=5).status_code == 200
        assert srv.healthy()

        t0 = time.monotonic()
        rc = srv.stop()  # asserts exit code 0 and clean sanitizer output
        assert rc == 0
        assert time.monotonic() - t0 < STOP_DEADLINE_S
        sess.close()
    finally:
        for s in socks:
            s.close()
    # The half-sent service was never created.
    srv.start()
    assert srv.client(srv.token).services() == []


def test_repeated_start_stop_cycles(fresh_server):
    """Repeated start/stop cycles on one data dir stay clean."""
    srv = fresh_server
    for i in range(3):
        srv.start()
        srv.client(srv.token).create_incident(title=f"cycle {i}")
        srv.stop()
    srv.start()
    titles = [i["title"] for i in srv.client(srv.token).all_incidents()]
    assert titles == ["cycle 2", "cycle 1", "cycle 0"]
