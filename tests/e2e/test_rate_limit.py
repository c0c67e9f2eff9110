"""API rate limits: a token bucket per caller (`--rate-limit N` requests
per second, bursts of 10 s worth). Over it: 429 `rate_limited` with
Retry-After, nothing done; other callers and the public pages unaffected;
the caller is served again once the bucket refills."""

import subprocess

import pytest

from conftest import KODO_BIN, SANITIZER_ENV, Client, Server, wait_until
from dashboard_helpers import Dash


@pytest.fixture
def limited(tmp_path):
    """A server allowing 2 requests/s per caller: bursts of 20."""
    srv = Server(tmp_path, args=["--rate-limit", "2"]).start()
    yield srv
    srv.stop()


def test_over_the_limit_is_429_with_retry_after_and_nothing_done(limited):
    admin = Client(limited, limited.token)
    _, other = admin.create_org()  # one request of the burst
    for i in range(19):
        r = admin.api("GET", "/api/v1/services")
        assert r.status_code == 200, (i, r.text)
    r = admin.api("POST", "/api/v1/services", json={"name": "Refused"})
    assert r.status_code == 429, r.text
    assert r.json()["error"]["code"] == "rate_limited"
    assert "retry in" in r.json()["error"]["message"]
    assert int(r.headers["Retry-After"]) >= 1
    # Another caller has its own bucket; public pages are not limited.
    assert other.api("GET", "/api/v1/services").status_code == 200
    for _ in range(30):
        assert limited.session.get(limited.url + "/api/v2/summary.json").status_code == 200
    # The refused write did not happen; the caller is back once refilled
    # (refusals take nothing from the bucket).
    def listed():
        r = admin.api("GET", "/api/v1/services")
        assert r.status_code in (200, 429), r.text
        return r.json() if r.status_code == 200 else None

    body = wait_until(listed, 5, 0.1, "the bucket to refill")
    assert "Refused" not in [s["name"] for s in body["services"]]


def test_a_dashboard_session_is_limited_too(limited):
    """The dashboard's pages count against the session's bucket; over it,
    a 429 page with Retry-After, and a form post does nothing."""
    d = Dash(limited)
    d.login("admin", limited.password)
    csrf = d.token()  # one page view
    codes = [d.get("/dashboard/incidents").status_code for _ in range(25)]
    assert codes[:19] == [200] * 19 and codes[-1] == 429, codes
    r = d.post("/dashboard/services", {"name": "Refused"}, csrf=csrf)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert "Slow down" in r.text
    # Its API token is another caller: not slowed by the session.
    assert Client(limited, limited.token).api("GET", "/api/v1/services").json()["services"] == []


def test_the_default_limit_is_on(tmp_path):
    """Without the option: 100/s with bursts of 1,000. One client asking as
    fast as it can gets at least the burst, then a 429 (it asks far faster
    than 100/s), and nothing but 200 or 429."""
    srv = Server(tmp_path).start()
    try:
        ok = 0
        for _ in range(20000):
            r = srv.api("GET", "/api/v1/services")
            assert r.status_code in (200, 429), r.text
            if r.status_code == 429:
                break
            ok += 1
        assert r.status_code == 429, f"no 429 after {ok} requests"
        assert ok >= 1000, ok
        assert r.headers["Retry-After"] == "1"
    finally:
        srv.stop()


@pytest.mark.parametrize("value", ["-1", "abc", "1000001", ""])
def test_a_bad_rate_limit_is_a_usage_error(tmp_path, value):
    proc = subprocess.run([str(KODO_BIN), "serve", "--data", str(tmp_path / "d"),
                           "--rate-limit", value], capture_output=True, text=True,
                          timeout=10, env=SANITIZER_ENV | {"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 2  # a usage error, as for every option
    assert "--rate-limit must be 0-1000000" in proc.stderr
