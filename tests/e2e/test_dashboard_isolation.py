"""No page of one organization is reachable with another's session: every
dashboard route with an id of another organization is a 404 (reads and
writes alike) and changes nothing; lists never show another's data."""

import re

import pytest
import requests

from conftest import HTTP_TIMEOUT_S, assert_error, uniq
from dashboard_helpers import db_state, new_org_owner, signed_in, text_of, token_id, user_id


@pytest.fixture(scope="module")
def two_orgs(server, admin):
    """Organization A (default: the bootstrap admin) with one of
    everything, and organization B with its own signed-in owner."""
    a = signed_in(server)
    b, slug, b_token = new_org_owner(a)
    marker = uniq("ONLY-IN-A")
    svc = admin.create_service(name=marker + "-svc", group=marker + "-group")
    inc = admin.create_incident(title=marker + "-incident", services=[svc["id"]])
    draft = admin.create_incident(title=marker + "-draft", draft=True)
    r = admin.api("POST", "/api/v1/monitors", json={
        "name": marker + "-monitor", "type": "http", "url": "http://127.0.0.1:9/",
        "interval_s": 3600})
    assert r.status_code == 201
    tok = uniq(marker + "-token")
    assert a.post("/dashboard/settings/tokens", {"name": tok, "role": "viewer"}).status_code == 201
    user, _ = a.create_user(name=marker + "-user", role="viewer", password="pass-word-1")
    ids = {"svc": svc["id"], "inc": inc["id"], "draft": draft["id"],
           "mon": r.json()["monitor"]["id"], "tok": token_id(server, tok),
           "usr": user_id(server, user)}
    return {"a": a, "b": b, "slug": slug, "b_token": b_token, "marker": marker,
            "ids": ids}


def foreign_gets(ids):
    return [f"/dashboard/incidents/{ids['inc']}", f"/dashboard/incidents/{ids['draft']}",
            f"/dashboard/incidents/{ids['draft']}/discard",
            f"/dashboard/services/{ids['svc']}", f"/dashboard/services/{ids['svc']}/delete",
            f"/dashboard/monitors/{ids['mon']}", f"/dashboard/monitors/{ids['mon']}/delete",
            f"/dashboard/settings/tokens/{ids['tok']}/revoke",
            f"/dashboard/team/{ids['usr']}/remove"]


def foreign_posts(ids):
    monitor = {"name": "x", "url": "http://127.0.0.1:9/", "interval_s": "60",
               "timeout_ms": "1000", "expected_status": "200"}
    return [
        (f"/dashboard/incidents/{ids['inc']}/updates", {"status": "resolved", "message": "m"}),
        (f"/dashboard/incidents/{ids['inc']}/edit", {"title": "stolen", "severity": "minor"}),
        (f"/dashboard/incidents/{ids['inc']}/retrospective", {"retrospective": "stolen"}),
        (f"/dashboard/incidents/{ids['draft']}/publish", {}),
        (f"/dashboard/incidents/{ids['draft']}/discard", {}),
        (f"/dashboard/services/{ids['svc']}", {"name": "stolen"}),
        (f"/dashboard/services/{ids['svc']}/move", {"dir": "down"}),
        (f"/dashboard/services/{ids['svc']}/delete", {}),
        (f"/dashboard/monitors/{ids['mon']}", monitor),
        (f"/dashboard/monitors/{ids['mon']}/pause", {}),
        (f"/dashboard/monitors/{ids['mon']}/resume", {}),
        (f"/dashboard/monitors/{ids['mon']}/delete", {}),
        (f"/dashboard/settings/tokens/{ids['tok']}/revoke", {}),
        (f"/dashboard/team/{ids['usr']}/role", {"role": "admin"}),
        (f"/dashboard/team/{ids['usr']}/remove", {}),
    ]


def test_another_organizations_pages_are_not_found(server, two_orgs):
    b, ids = two_orgs["b"], two_orgs["ids"]
    for path in foreign_gets(ids):
        r = b.get(path)
        assert r.status_code == 404, (path, r.status_code)
        assert two_orgs["marker"] not in r.text, path


def test_another_organizations_things_cannot_be_changed(server, two_orgs):
    b, ids = two_orgs["b"], two_orgs["ids"]
    before = db_state(server)
    for path, form in foreign_posts(ids):
        r = b.post(path, form)
        assert r.status_code == 404, (path, r.status_code, text_of(r.text)[:300])
        assert two_orgs["marker"] not in r.text, path
    assert db_state(server) == before


def test_lists_show_only_ones_own_organization(server, two_orgs):
    b = two_orgs["b"]
    for path in ("/dashboard/incidents", "/dashboard/incidents?state=all",
                 "/dashboard/incidents?state=drafts", "/dashboard/incidents?state=resolved",
                 "/dashboard/incidents/new", "/dashboard/services", "/dashboard/monitors",
                 "/dashboard/monitors/new", "/dashboard/team", "/dashboard/settings/tokens",
                 "/dashboard/settings/automation", "/dashboard/settings/status-page",
                 "/dashboard/account"):
        page = b.page(path)
        assert two_orgs["marker"] not in page, path
        for i in two_orgs["ids"].values():
            assert i not in page, (path, i)
    # B's pages name B and link B's own status page.
    page = b.page("/dashboard/incidents")
    assert f'href="/status/{two_orgs["slug"]}"' in page
    assert b.get("/dashboard/settings/organizations").status_code == 403


def test_another_organizations_service_cannot_be_attached(server, two_orgs):
    b, ids = two_orgs["b"], two_orgs["ids"]
    before = db_state(server)["links"]
    r = b.post("/dashboard/incidents", {"title": "t", "severity": "minor",
                                        "message": "m", "services": [ids["svc"]]})
    assert r.status_code == 422
    assert db_state(server)["links"] == before


def test_the_api_with_a_session_cookie_is_scoped_too(server, two_orgs):
    b, ids = two_orgs["b"], two_orgs["ids"]
    jar = {"kodo_session": b.session_cookie()}
    r = requests.get(server.url + f"/api/v1/incidents/{ids['inc']}", cookies=jar,
                     timeout=HTTP_TIMEOUT_S)
    assert_error(r, 404, "not_found")
    r = requests.get(server.url + "/api/v1/incidents?state=all", cookies=jar,
                     timeout=HTTP_TIMEOUT_S)
    assert r.status_code == 200 and two_orgs["marker"] not in r.text
    r = requests.post(server.url + f"/api/v1/incidents/{ids['draft']}/publish", cookies=jar,
                      headers={"X-CSRF-Token": b.token()}, timeout=HTTP_TIMEOUT_S)
    assert_error(r, 404, "not_found")


def test_and_the_other_way_round(server, two_orgs):
    """B's own incident is not reachable from A's session either."""
    b, a = two_orgs["b"], two_orgs["a"]
    iid = b.create_incident(title=uniq("ONLY-IN-B"))
    assert b.get(f"/dashboard/incidents/{iid}").status_code == 200
    assert a.get(f"/dashboard/incidents/{iid}").status_code == 404
    assert a.post(f"/dashboard/incidents/{iid}/updates",
                  {"status": "resolved", "message": "m"}).status_code == 404
    assert "ONLY-IN-B" not in a.page("/dashboard/incidents?state=all")
    # B's incident is on B's public page, not A's.
    assert "ONLY-IN-B" in requests.get(server.url + f"/status/{two_orgs['slug']}",
                                       timeout=HTTP_TIMEOUT_S).text
    assert "ONLY-IN-B" not in requests.get(server.url + "/", timeout=HTTP_TIMEOUT_S).text
    # B's owner API token (shown once at creation) works for B only.
    r = requests.get(server.url + f"/api/v1/incidents/{iid}", timeout=HTTP_TIMEOUT_S,
                     headers={"Authorization": f"Bearer {two_orgs['b_token']}"})
    assert r.status_code == 200 and r.json()["incident"]["source"] == "manual"
    assert re.match(r"^kodo_", two_orgs["b_token"])
