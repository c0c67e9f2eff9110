"""Dashboard sign-in and sessions: redirects to /login, the cookie's
attributes, sign-in by name or email, login throttling, logout, session
expiry (idle and absolute), and the session cookie on the REST API."""

import hashlib
import re
import time

import pytest
import requests

from conftest import HTTP_TIMEOUT_S, assert_error, uniq
from dashboard_helpers import Dash, db_exec, form_token, signed_in, text_of

PAGES = ["/dashboard", "/dashboard/incidents", "/dashboard/incidents/new",
         "/dashboard/services", "/dashboard/monitors", "/dashboard/team",
         "/dashboard/settings/automation", "/dashboard/settings/status-page",
         "/dashboard/settings/tokens", "/dashboard/account",
         "/dashboard/incidents/inc_00000000000000000000"]


@pytest.mark.parametrize("path", PAGES)
def test_unauthenticated_get_redirects_to_sign_in(server, path):
    r = requests.get(server.url + path, allow_redirects=False, timeout=HTTP_TIMEOUT_S)
    assert r.status_code == 303
    assert r.headers["Location"] == f"/login?next={path}"
    assert r.text == ""


def test_unauthenticated_post_redirects_and_changes_nothing(server, admin):
    before = len(admin.all_incidents())
    r = requests.post(server.url + "/dashboard/incidents", allow_redirects=False,
                      data={"title": "x", "severity": "minor", "message": "m"},
                      timeout=HTTP_TIMEOUT_S)
    assert r.status_code == 303 and r.headers["Location"] == "/login"
    assert len(admin.all_incidents()) == before


def test_forged_or_garbage_cookie_is_no_session(server):
    for value in ("x", "A" * 43, "A" * 500, "'; DROP TABLE sessions; --"):
        r = requests.get(server.url + "/dashboard/incidents", allow_redirects=False,
                         cookies={"kodo_session": value}, timeout=HTTP_TIMEOUT_S)
        assert r.status_code == 303, value


def test_sign_in_sets_a_strict_cookie_and_goes_back(server):
    d = Dash(server)
    r = d.get("/login?next=/dashboard/services")
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Cache-Control"] == "no-store"
    pre = r.headers["Set-Cookie"]
    assert pre.startswith("kodo_pre=") and "HttpOnly" in pre and "SameSite=Lax" in pre
    r = d.s.post(server.url + "/login", allow_redirects=False, timeout=HTTP_TIMEOUT_S,
                 data={"csrf": form_token(r.text), "login": "admin",
                       "password": server.password, "next": "/dashboard/services"})
    assert r.status_code == 303
    assert r.headers["Location"] == "/dashboard/services"
    cookie = r.headers["Set-Cookie"]
    assert re.match(r"^kodo_session=[A-Za-z0-9_-]{43}; ", cookie), cookie
    attrs = [a.strip() for a in cookie.split(";")[1:]]
    assert "HttpOnly" in attrs and "SameSite=Lax" in attrs and "Path=/" in attrs
    assert "Secure" not in attrs  # plain HTTP
    assert d.page("/dashboard/services")


def test_cookie_is_secure_behind_a_tls_proxy(server):
    d = Dash(server)
    r = d.login("admin", server.password, headers={"X-Forwarded-Proto": "https"})
    attrs = [a.strip() for a in r.headers["Set-Cookie"].split(";")]
    assert "Secure" in attrs


def test_only_a_hash_of_the_session_is_stored(server):
    d = signed_in(server)
    value = d.session_cookie()
    digest = hashlib.sha256(value.encode()).hexdigest()
    assert db_exec(server, "UPDATE sessions SET seen_at = seen_at WHERE hash = ?", (value,)) == 0
    assert db_exec(server, "UPDATE sessions SET seen_at = seen_at WHERE hash = ?", (digest,)) == 1


def test_next_is_never_an_open_redirect(server):
    for nxt in ("https://evil.example/", "//evil.example", "/dashboard/../../x",
                "/dashboard\\evil", "javascript:alert(1)"):
        d = Dash(server)
        r = d.get("/login", params={"next": nxt})
        assert "evil" not in r.text and "javascript:" not in r.text
        r = d.s.post(server.url + "/login", allow_redirects=False, timeout=HTTP_TIMEOUT_S,
                     data={"csrf": form_token(r.text), "login": "admin",
                           "password": server.password, "next": nxt})
        assert r.status_code == 303 and r.headers["Location"] == "/dashboard/incidents", nxt


def test_sign_in_form_needs_its_own_token(server):
    d = Dash(server)
    r = d.get("/login")
    token = form_token(r.text)
    body = {"login": "admin", "password": server.password}
    # No token, a wrong token, or no pre-session cookie (another site's form).
    r = d.s.post(server.url + "/login", data=body, allow_redirects=False, timeout=HTTP_TIMEOUT_S)
    assert r.status_code == 403 and "kodo_session" not in r.headers.get("Set-Cookie", "")
    r = d.s.post(server.url + "/login", data=dict(body, csrf="x" * 32),
                 allow_redirects=False, timeout=HTTP_TIMEOUT_S)
    assert r.status_code == 403
    r = requests.post(server.url + "/login", data=dict(body, csrf=token),
                      allow_redirects=False, timeout=HTTP_TIMEOUT_S)
    assert r.status_code == 403
    assert "kodo_session" not in r.headers.get("Set-Cookie", "")


def test_wrong_password_and_unknown_user_look_the_same(server):
    r1 = Dash(server).login("admin", "not-the-password", expect=401)
    r2 = Dash(server).login(uniq("nobody"), "not-the-password", expect=401)
    assert text_of(r1.text).count("do not match") == 1
    assert "kodo_session" not in r1.headers.get("Set-Cookie", "")
    m1 = re.search(r'role="alert"[^>]*>([^<]+)<', r1.text).group(1)
    m2 = re.search(r'role="alert"[^>]*>([^<]+)<', r2.text).group(1)
    assert m1 == m2


def test_sign_in_by_name_or_email(server):
    admin = signed_in(server)
    email = f"{uniq('ana')}@Example.com"
    name, _ = admin.create_user(role="member", password="member-pass-1", email=email)
    for login in (name, email, email.lower(), email.upper()):
        d = Dash(server)
        d.login(login, "member-pass-1")
        page = d.page("/dashboard/account")
        assert name in page and "member" in page


def test_login_throttling(server):
    admin = signed_in(server)
    name, _ = admin.create_user(role="viewer", password="viewer-pass-1")
    other, _ = admin.create_user(role="viewer", password="viewer-pass-2")
    for _ in range(5):
        Dash(server).login(name, "wrong-password", expect=401)
    # Now refused even with the right password, in any letter case...
    r = Dash(server).login(name, "viewer-pass-1", expect=429)
    assert 1 <= int(r.headers["Retry-After"]) <= 900
    assert "Too many failed sign-ins" in text_of(r.text)
    assert "kodo_session" not in r.headers.get("Set-Cookie", "")
    Dash(server).login(name.upper(), "viewer-pass-1", expect=429)
    # ...while other accounts sign in as usual.
    Dash(server).login(other, "viewer-pass-2")
    # The failures are in the store: they survive a restart. The lock ends
    # when the oldest failure is 15 minutes old (moved back here).
    server.restart()
    Dash(server).login(name, "viewer-pass-1", expect=429)
    db_exec(server, "UPDATE login_failures SET at = at - 15 * 60 * 1000")
    Dash(server).login(name, "viewer-pass-1")


def test_logout(server):
    d = signed_in(server)
    old = d.session_cookie()
    # GET only asks; a POST without the token is refused.
    assert "Sign out of this browser?" in d.page("/logout")
    r = d.post("/logout", csrf=False)
    assert r.status_code == 403
    assert d.get("/dashboard/incidents").status_code == 200
    r = d.post("/logout")
    assert r.status_code == 303 and r.headers["Location"] == "/login?done=signed_out"
    assert "kodo_session=;" in r.headers["Set-Cookie"] and "Max-Age=0" in r.headers["Set-Cookie"]
    # The old cookie no longer works anywhere, even if a copy was kept.
    r = requests.get(server.url + "/dashboard/incidents", cookies={"kodo_session": old},
                     allow_redirects=False, timeout=HTTP_TIMEOUT_S)
    assert r.status_code == 303
    r = requests.get(server.url + "/api/v1/incidents", cookies={"kodo_session": old},
                     timeout=HTTP_TIMEOUT_S)
    assert_error(r, 401, "unauthorized")


def test_idle_session_expires(server):
    d = signed_in(server)
    digest = hashlib.sha256(d.session_cookie().encode()).hexdigest()
    assert d.get("/dashboard/incidents").status_code == 200
    # Last seen 11 h ago: still fine (and the visit refreshes it).
    db_exec(server, "UPDATE sessions SET seen_at = seen_at - 11*3600*1000 WHERE hash = ?", (digest,))
    assert d.get("/dashboard/incidents").status_code == 200
    db_exec(server, "UPDATE sessions SET seen_at = seen_at - 11*3600*1000 WHERE hash = ?", (digest,))
    assert d.get("/dashboard/incidents").status_code == 200
    # 12 h without a request: over.
    db_exec(server, "UPDATE sessions SET seen_at = seen_at - 12*3600*1000 - 1000 WHERE hash = ?",
            (digest,))
    r = d.get("/dashboard/incidents")
    assert r.status_code == 303 and r.headers["Location"].startswith("/login")
    # And the expired row is gone for good.
    assert db_exec(server, "UPDATE sessions SET seen_at = 0 WHERE hash = ?", (digest,)) == 0


def test_session_ends_after_seven_days_however_busy(server):
    d = signed_in(server)
    digest = hashlib.sha256(d.session_cookie().encode()).hexdigest()
    db_exec(server, "UPDATE sessions SET created_at = created_at - 6*86400*1000 WHERE hash = ?", (digest,))
    assert d.get("/dashboard/incidents").status_code == 200
    db_exec(server, "UPDATE sessions SET created_at = created_at - 86400*1000 WHERE hash = ?", (digest,))
    assert d.get("/dashboard/incidents").status_code == 303


def test_sessions_survive_a_restart(server):
    d = signed_in(server)
    server.restart()
    assert d.get("/dashboard/incidents").status_code == 200


def test_session_cookie_on_the_api(server, admin):
    d = signed_in(server)
    jar = {"kodo_session": d.session_cookie()}
    r = requests.get(server.url + "/api/v1/settings/automation", cookies=jar, timeout=HTTP_TIMEOUT_S)
    assert r.status_code == 200 and "automation" in r.json()
    body = {"title": uniq("via cookie"), "severity": "minor", "message": "m"}
    # A write needs the CSRF token in a header...
    r = requests.post(server.url + "/api/v1/incidents", json=body, cookies=jar, timeout=HTTP_TIMEOUT_S)
    assert_error(r, 401, "unauthorized")
    r = requests.post(server.url + "/api/v1/incidents", json=body, cookies=jar,
                      headers={"X-CSRF-Token": "wrong"}, timeout=HTTP_TIMEOUT_S)
    assert_error(r, 401, "unauthorized")
    assert not [i for i in admin.all_incidents() if i["title"] == body["title"]]
    r = requests.post(server.url + "/api/v1/incidents", json=body, cookies=jar,
                      headers={"X-CSRF-Token": d.token()}, timeout=HTTP_TIMEOUT_S)
    assert r.status_code == 201, r.text
    inc = r.json()["incident"]
    # ...and what a person does in the dashboard's session is "manual".
    assert inc["source"] == "manual"
    assert inc["updates"][0]["author"] == "admin"
    # A bad bearer token is not rescued by a cookie.
    r = requests.get(server.url + "/api/v1/incidents", cookies=jar,
                     headers={"Authorization": "Bearer kodo_nope_nope_nope_nope"}, timeout=HTTP_TIMEOUT_S)
    assert_error(r, 401, "unauthorized")


def test_dashboard_root_and_assets(server):
    d = signed_in(server)
    r = d.get("/dashboard")
    assert r.status_code == 303 and r.headers["Location"] == "/dashboard/incidents"
    page = d.page("/dashboard/incidents")
    css = re.search(r'href="(/assets/dashboard\.css\?v=[0-9a-f]+)"', page).group(1)
    js = re.search(r'src="(/assets/dashboard\.js\?v=[0-9a-f]+)"', page).group(1)
    for path, ctype in ((css, "text/css"), (js, "text/javascript")):
        r = requests.get(server.url + path, timeout=HTTP_TIMEOUT_S)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(ctype)
        assert "max-age" in r.headers["Cache-Control"] and r.content
        r2 = requests.get(server.url + path, headers={"If-None-Match": r.headers["ETag"]},
                          timeout=HTTP_TIMEOUT_S)
        assert r2.status_code == 304


def test_many_sign_ins_at_once(server):
    """Password hashing is gated (64 MiB each): many sign-ins at once all
    finish, and none take the server down."""
    import concurrent.futures
    def one(_):
        t = time.monotonic()
        Dash(server).login("admin", server.password)
        return time.monotonic() - t
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        times = list(pool.map(one, range(16)))
    assert len(times) == 16
    assert server.healthy()
