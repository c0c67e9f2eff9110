"""Dashboard writes: every form route rejects a missing, wrong or other
session's CSRF token, and enforces roles (viewers read only; members run
incidents; admins the rest; the instance owner, organizations) — and a
refused write changes nothing."""

import random

import pytest

from conftest import uniq
from dashboard_helpers import Dash, db_state, signed_in, text_of, token_id, user_id

PW = {"viewer": "viewer-password", "member": "member-password",
      "admin": "admin-password", "owner": "owner-password"}
RANK = {"viewer": 1, "member": 2, "admin": 3, "owner": 4, "instance": 5}


@pytest.fixture(scope="module")
def people(server):
    """Signed-in browsers: the bootstrap admin (an owner, and the instance
    owner) and one user per role."""
    instance = signed_in(server)
    out = {"instance": instance}
    for role, pw in PW.items():
        name, _ = instance.create_user(name=uniq(role), role=role, password=pw)
        d = Dash(server)
        d.login(name, pw)
        out[role] = d
    return out


def targets(admin):
    """Fresh things for one write to act on."""
    svc = admin.create_service(name=uniq("svc"))
    inc = admin.create_incident(services=[svc["id"]])
    draft = admin.create_incident(draft=True)
    draft2 = admin.create_incident(draft=True)
    r = admin.api("POST", "/api/v1/monitors", json={
        "name": uniq("mon"), "type": "http", "url": "http://127.0.0.1:9/",
        "interval_s": 3600})
    assert r.status_code == 201, r.text
    mon = r.json()["monitor"]
    r = admin.api("POST", "/api/v1/incidents/" + inc["id"] + "/updates",
                  json={"status": "resolved", "message": "done"})
    assert r.status_code == 201
    return {"svc": svc["id"], "inc": inc["id"], "draft": draft["id"],
            "draft2": draft2["id"], "mon": mon["id"]}


# (path, form, the least role that may do it)
def routes(server, admin, owner_dash):
    t = targets(admin)
    tok_name = uniq("tok")
    r = owner_dash.post("/dashboard/settings/tokens", {"name": tok_name, "role": "viewer"})
    assert r.status_code == 201
    victim, _ = owner_dash.create_user(role="viewer", password="victim-password")
    tok, usr = token_id(server, tok_name), user_id(server, victim)
    monitor = {"name": "renamed", "url": "http://127.0.0.1:9/x", "method": "GET",
               "interval_s": "60", "timeout_ms": "1000", "expected_status": "200"}
    return [
        ("/dashboard/incidents", {"title": uniq("t"), "severity": "minor", "message": "m"}, "member"),
        (f"/dashboard/incidents/{t['inc']}/updates", {"status": "identified", "message": "m"}, "member"),
        (f"/dashboard/incidents/{t['inc']}/edit", {"title": "new title", "severity": "critical"}, "member"),
        (f"/dashboard/incidents/{t['draft']}/publish", {}, "member"),
        (f"/dashboard/incidents/{t['draft2']}/discard", {}, "member"),
        (f"/dashboard/incidents/{t['inc']}/retrospective", {"retrospective": "r"}, "member"),
        ("/dashboard/services", {"name": uniq("s")}, "admin"),
        (f"/dashboard/services/{t['svc']}", {"name": uniq("renamed"), "group": "G"}, "admin"),
        (f"/dashboard/services/{t['svc']}/move", {"dir": "up"}, "admin"),
        (f"/dashboard/services/{t['svc']}/delete", {}, "admin"),
        ("/dashboard/monitors", dict(monitor, name=uniq("m")), "admin"),
        (f"/dashboard/monitors/{t['mon']}", monitor, "admin"),
        (f"/dashboard/monitors/{t['mon']}/pause", {}, "admin"),
        (f"/dashboard/monitors/{t['mon']}/delete", {}, "admin"),
        ("/dashboard/settings/automation", {"draft_mode": "1",
                                             "cooldown_s": str(random.randint(0, 10 ** 5)),
                                             "failures_to_open": "3"}, "admin"),
        ("/dashboard/settings/status-page", {"name": uniq("Page")}, "admin"),
        ("/dashboard/settings/tokens", {"name": uniq("t"), "role": "viewer"}, "admin"),
        (f"/dashboard/settings/tokens/{tok}/revoke", {}, "admin"),
        ("/dashboard/team", {"name": uniq("u"), "role": "viewer", "password": "pass-word-1"}, "admin"),
        (f"/dashboard/team/{usr}/role", {"role": "member"}, "admin"),
        (f"/dashboard/team/{usr}/remove", {}, "admin"),
        ("/dashboard/settings/organizations", {"org_name": "X", "slug": uniq("x"),
                                               "name": uniq("o"), "password": "pass-word-1"},
         "instance"),
    ]


def test_every_write_needs_the_sessions_csrf_token(server, admin, people):
    owner = people["instance"]
    other_session = signed_in(server)  # same user, another browser
    for path, form, _ in routes(server, admin, owner):
        for bad in (False, "", "x" * 32, other_session.token()):
            before = db_state(server)
            r = owner.post(path, form, csrf=bad)
            assert r.status_code == 403, (path, bad, r.status_code)
            assert "The form expired" in text_of(r.text)
            assert db_state(server) == before, (path, bad)


def test_a_cross_site_form_in_another_encoding_is_refused(server, admin, people):
    owner = people["instance"]
    before = db_state(server)
    for ctype in ("text/plain", "multipart/form-data; boundary=x", "application/json"):
        r = owner.s.post(server.url + "/dashboard/services", allow_redirects=False,
                         data=f"name=x&csrf={owner.token()}",
                         headers={"Content-Type": ctype})
        assert r.status_code == 415, (ctype, r.status_code)
    assert db_state(server) == before


@pytest.mark.parametrize("role", ["viewer", "member", "admin", "owner", "instance"])
def test_roles_on_every_write(server, admin, people, role):
    d = people[role]
    allowed = 0
    for path, form, least in routes(server, admin, people["instance"]):
        before = db_state(server)
        r = d.post(path, form)
        if RANK[role] < RANK[least]:
            assert r.status_code == 403, (role, path, r.status_code, text_of(r.text)[:300])
            assert db_state(server) == before, (role, path)
        else:
            allowed += 1
            assert r.status_code in (201, 303), (role, path, r.status_code,
                                                 text_of(r.text)[:500])
            assert db_state(server) != before, (role, path)
    assert allowed == {"viewer": 0, "member": 6, "admin": 21, "owner": 21,
                       "instance": 22}[role]


def test_the_instance_owner_creates_organizations(server, admin, people):
    before = len(db_state(server)["orgs"])
    r = people["instance"].post("/dashboard/settings/organizations", {
        "org_name": "New Co", "slug": uniq("newco"), "name": uniq("boss"),
        "password": "pass-word-1"})
    assert r.status_code == 201
    assert len(db_state(server)["orgs"]) == before + 1


def test_viewers_read_everything_and_see_no_write_controls(server, admin, people):
    v = people["viewer"]
    t = targets(admin)
    for path in ("/dashboard/incidents", f"/dashboard/incidents/{t['inc']}",
                 f"/dashboard/incidents/{t['draft']}", "/dashboard/services",
                 f"/dashboard/services/{t['svc']}", "/dashboard/monitors",
                 f"/dashboard/monitors/{t['mon']}", "/dashboard/settings/automation",
                 "/dashboard/settings/status-page", "/dashboard/team", "/dashboard/account"):
        page = v.page(path)
        assert "Create Incident" not in page and "Post update" not in page, path
        assert ">Publish<" not in page and "Add a service" not in page, path
        assert "Save automation settings" not in page and "Add a user" not in page, path
    for path in ("/dashboard/incidents/new", "/dashboard/monitors/new",
                 "/dashboard/settings/tokens", f"/dashboard/services/{t['svc']}/delete",
                 f"/dashboard/incidents/{t['draft']}/discard"):
        assert v.get(path).status_code == 403, path
    # A viewer may still change their own password.
    r = v.post("/dashboard/account", {"current_password": PW["viewer"],
                                      "password": PW["viewer"] + "2"})
    assert r.status_code == 303
    r = v.post("/dashboard/account", {"current_password": PW["viewer"] + "2",
                                      "password": PW["viewer"]})
    assert r.status_code == 303


def test_members_run_incidents_but_nothing_else(server, admin, people):
    m = people["member"]
    page = m.page("/dashboard/incidents")
    assert "Create Incident" in page
    assert m.get("/dashboard/settings/tokens").status_code == 403
    assert "Save automation settings" not in m.page("/dashboard/settings/automation")
    assert m.get("/dashboard/settings/organizations").status_code == 403


def test_nobody_grants_more_than_they_have(server, people):
    a = people["admin"]
    before = db_state(server)
    r = a.post("/dashboard/team", {"name": uniq("o"), "role": "owner", "password": "pass-word-1"})
    assert r.status_code == 403 and "cannot grant" in text_of(r.text)
    r = a.post("/dashboard/settings/tokens", {"name": "t", "role": "owner"})
    assert r.status_code == 403
    owner_id = user_id(server, "admin")
    r = a.post(f"/dashboard/team/{owner_id}/role", {"role": "viewer"})
    assert r.status_code == 403
    r = a.post(f"/dashboard/team/{owner_id}/remove")
    assert r.status_code == 403
    assert db_state(server) == before
    # An owner may step down while another owner remains, but the last
    # owner may not: here the other owner leaves first.
    other = people["owner"]
    r = other.post(f"/dashboard/team/{owner_id}/role", {"role": "admin"})
    assert r.status_code == 303
    me = other.page("/dashboard/account")
    my_id = user_id(server, text_of(me).split("Name")[1].split("Email")[0].strip())
    r = people["instance"].post(f"/dashboard/team/{my_id}/role", {"role": "member"})
    assert r.status_code == 403  # the instance owner is an admin now
    r = other.post(f"/dashboard/team/{my_id}/role", {"role": "admin"})
    assert r.status_code == 409 and "at least one owner" in text_of(r.text)
    r = other.post(f"/dashboard/team/{owner_id}/role", {"role": "owner"})
    assert r.status_code == 303
