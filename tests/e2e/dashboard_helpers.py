"""Shared helpers of the dashboard tests (tests/e2e/test_dashboard_*.py).

`Dash` is one browser: a cookie jar that signs in through /login like a
person would (GET the form for its token, POST it), then reads pages and
posts forms with the session's CSRF token.  Redirects are not followed, so
that every test sees the 303s the dashboard answers with.
"""

import html
import re
import sqlite3

import requests

from conftest import HTTP_TIMEOUT_S, uniq

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')
TAG = re.compile(r"<[^>]+>")


def text_of(page):
    """The visible text of an HTML page, tags removed, entities decoded."""
    return html.unescape(TAG.sub(" ", page))


def form_token(page):
    m = CSRF_FIELD.search(page)
    assert m, f"no csrf field in page:\n{page[:2000]}"
    return html.unescape(m.group(1))


class Dash:
    """One browser signed in (or not) to one server's dashboard."""

    def __init__(self, server):
        self.server = server
        self.s = requests.Session()
        self.csrf = None

    def url(self, path):
        return self.server.url + path

    def get(self, path, **kw):
        kw.setdefault("allow_redirects", False)
        kw.setdefault("timeout", HTTP_TIMEOUT_S)
        return self.s.get(self.url(path), **kw)

    def post(self, path, data=None, csrf=True, **kw):
        """A form post; csrf=True adds the session's token."""
        body = dict(data or {})
        if csrf is True:
            body["csrf"] = self.token()
        elif csrf:
            body["csrf"] = csrf
        kw.setdefault("allow_redirects", False)
        kw.setdefault("timeout", HTTP_TIMEOUT_S)
        return self.s.post(self.url(path), data=body, **kw)

    def token(self):
        if self.csrf is None:
            r = self.get("/dashboard/account")
            assert r.status_code == 200, (r.status_code, r.text[:500])
            self.csrf = html.unescape(CSRF_META.search(r.text).group(1))
        return self.csrf

    def login(self, login, password, org=None, expect=303, headers=None):
        r = self.get("/login")
        assert r.status_code in (200, 303), r.status_code
        body = {"login": login, "password": password}
        if org:
            body["org"] = org
        if r.status_code == 200:
            body["csrf"] = form_token(r.text)
        r = self.s.post(self.url("/login"), data=body, allow_redirects=False,
                        headers=headers or {}, timeout=HTTP_TIMEOUT_S)
        assert r.status_code == expect, (r.status_code, text_of(r.text)[:800])
        self.csrf = None
        return r

    def session_cookie(self):
        return self.s.cookies.get("kodo_session")

    def page(self, path, status=200):
        r = self.get(path)
        assert r.status_code == status, (path, r.status_code, text_of(r.text)[:800])
        return r.text

    # -- actions through the dashboard's own forms ---------------------------

    def create_user(self, name=None, role="member", password=None, email=None,
                    expect=201):
        name = name or uniq("user")
        data = {"name": name, "role": role, "password": password or ""}
        if email:
            data["email"] = email
        r = self.post("/dashboard/team", data)
        assert r.status_code == expect, (r.status_code, text_of(r.text)[:800])
        return name, r

    def create_incident(self, title=None, severity="major", services=(),
                        message="We are investigating.", draft=False,
                        status=None):
        data = {"title": title or uniq("Incident"), "severity": severity,
                "message": message, "services": list(services)}
        if draft:
            data["draft"] = "1"
        if status:
            data["status"] = status
        r = self.post("/dashboard/incidents", data)
        assert r.status_code == 303, (r.status_code, text_of(r.text)[:800])
        loc = r.headers["Location"]
        m = re.match(r"^/dashboard/incidents/(inc_[a-z0-9]+)\?done=incident_created$", loc)
        assert m, loc
        return m.group(1)


def signed_in(server, login="admin", password=None, org=None):
    d = Dash(server)
    d.login(login, password or server.password, org=org)
    return d


def new_org_owner(owner_dash, password="owner-password-1"):
    """A new organization made from the instance owner's dashboard, with a
    signed-in Dash for its owner: (dash, slug, api client token)."""
    slug = uniq("org")
    name = uniq("boss")
    r = owner_dash.post("/dashboard/settings/organizations", {
        "org_name": f"Org {slug}", "slug": slug, "name": name,
        "email": f"{name}@example.com", "password": password})
    assert r.status_code == 201, (r.status_code, text_of(r.text)[:800])
    token = re.search(r'id="new-token">([^<]+)<', r.text).group(1)
    d = Dash(owner_dash.server)
    d.login(name, password)
    return d, slug, html.unescape(token)


def db_exec(server, sql, args=()):
    """Runs one statement on the server's database (it is in WAL mode, so a
    second writer waits its turn); returns the rows changed."""
    con = sqlite3.connect(str(server.data_dir / "kodo.db"), timeout=30)
    try:
        cur = con.execute(sql, args)
        con.commit()
        return cur.rowcount
    finally:
        con.close()


def db_state(server):
    """Everything a dashboard write could touch, from the database."""
    con = sqlite3.connect(str(server.data_dir / "kodo.db"), timeout=30)
    try:
        q = lambda sql: con.execute(sql).fetchall()
        return {
            "services": q("SELECT id, name, grp, position FROM services ORDER BY id"),
            "incidents": q("SELECT id, title, severity, status, draft, retrospective"
                           " FROM incidents ORDER BY id"),
            "links": q("SELECT incident_id, service_id FROM incident_services ORDER BY 1, 2"),
            "updates": q("SELECT COUNT(*) FROM incident_updates"),
            "monitors": q("SELECT id, name, paused, spec FROM monitors ORDER BY id"),
            "settings": q("SELECT * FROM automation_settings ORDER BY org_id"),
            "page": q("SELECT org_id, name, logo_url, accent_color FROM page_settings"),
            "tokens": q("SELECT id, revoked_at FROM api_tokens ORDER BY id"),
            "users": q("SELECT id, name, role, pw_hash FROM users ORDER BY id"),
            "orgs": q("SELECT id FROM orgs ORDER BY id"),
        }
    finally:
        con.close()


def user_id(server, name):
    con = sqlite3.connect(str(server.data_dir / "kodo.db"), timeout=30)
    try:
        return con.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchone()[0]
    finally:
        con.close()


def token_id(server, name):
    con = sqlite3.connect(str(server.data_dir / "kodo.db"), timeout=30)
    try:
        return con.execute("SELECT id FROM api_tokens WHERE name = ?", (name,)).fetchone()[0]
    finally:
        con.close()
