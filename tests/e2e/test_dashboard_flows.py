"""The dashboard's flows over HTTP, checked against the REST API and the
public page: Create Incident and the lifecycle to Resolved with a
retrospective, edits, drafts (publish, discard), source badges and filters,
the stale flag, services, monitors, settings, API tokens, invitations and
password changes."""

import re

import pytest
import requests

from conftest import HTTP_TIMEOUT_S, Server, assert_error, free_port, uniq, wait_until
from dashboard_helpers import Dash, signed_in, text_of


@pytest.fixture(scope="module")
def d(server):
    return signed_in(server)


def public(server, path="/"):
    r = requests.get(server.url + path, timeout=HTTP_TIMEOUT_S)
    assert r.status_code == 200
    return r.text


def row_of(page, iid):
    m = re.search(r'<tr class="inc[^"]*" data-id="%s">.*?</tr>' % iid, page, re.S)
    assert m, f"no row for {iid}"
    return m.group(0)


def test_create_incident_and_run_it_to_resolution(server, admin, d):
    api_svc = d.post("/dashboard/services", {"name": uniq("API"), "group": "Core"})
    assert api_svc.status_code == 303
    svcs = {s["name"]: s["id"] for s in admin.services()}
    sid = [i for n, i in svcs.items() if n.startswith("API-")][-1]
    form = d.page("/dashboard/incidents/new")
    assert 'name="severity" value="major"' in form and f'value="{sid}"' in form
    assert "Significant impact, core functionality degraded" in form
    title = uniq("Elevated API errors")
    iid = d.create_incident(title=title, severity="major", services=[sid],
                            message="We are *investigating*.")
    page = d.page(f"/dashboard/incidents/{iid}?done=incident_created")
    assert "Incident created." in page and "Post update" in page
    inc = admin.get_incident(iid)
    assert inc["source"] == "manual" and inc["draft"] is False
    assert inc["severity"] == "major" and inc["status"] == "investigating"
    assert [s["id"] for s in inc["services"]] == [sid]
    assert inc["updates"][0]["message"] == "We are *investigating*."
    assert inc["updates"][0]["author"] == "admin"
    # No source badge for a manual incident, and it is public at once.
    row = row_of(d.page("/dashboard/incidents"), iid)
    assert 'class="badge src"' not in row and "Draft" not in row
    assert "Major" in row and "Investigating" in row
    assert title in public(server)
    assert admin.get_service(sid)["status"] == "partial_outage"
    assert "retrospective" not in d.page(f"/dashboard/incidents/{iid}").lower().split("timeline")[0]
    for status, label in (("identified", "Identified"), ("monitoring", "Monitoring"),
                          ("resolved", "Resolved")):
        r = d.post(f"/dashboard/incidents/{iid}/updates",
                   {"status": status, "message": f"Now {status}."})
        assert r.status_code == 303
        assert r.headers["Location"] == f"/dashboard/incidents/{iid}?done=update_posted"
        assert admin.get_incident(iid)["status"] == status
        assert label in row_of(d.page("/dashboard/incidents?state=all"), iid)
    inc = admin.get_incident(iid)
    assert [u["status"] for u in inc["updates"]] == ["resolved", "monitoring", "identified",
                                                     "investigating"]
    assert inc["resolved_at"] is not None
    assert iid in d.page("/dashboard/incidents?state=resolved")
    assert iid not in d.page("/dashboard/incidents")
    # A retrospective, once resolved; shown on the public incident page.
    page = d.page(f"/dashboard/incidents/{iid}")
    assert "Save retrospective" in page
    r = d.post(f"/dashboard/incidents/{iid}/retrospective",
               {"retrospective": "A bad deploy.\r\nWe added a canary."})
    assert r.status_code == 303
    assert admin.get_incident(iid)["retrospective"] == "A bad deploy.\nWe added a canary."
    assert "We added a canary." in public(server, f"/incidents/{iid}")


def test_a_bad_form_is_shown_again_with_the_error(server, admin, d):
    before = len(admin.all_incidents())
    r = d.post("/dashboard/incidents", {"title": "Keep me", "severity": "huge",
                                        "message": "Kept too."})
    assert r.status_code == 422
    assert "severity must be one of" in text_of(r.text)
    assert 'value="Keep me"' in r.text and "Kept too." in r.text
    assert 'aria-invalid="true"' in r.text
    r = d.post("/dashboard/incidents", {"title": "", "severity": "minor", "message": "m"})
    assert r.status_code == 422
    assert len(admin.all_incidents()) == before
    iid = d.create_incident()
    r = d.post(f"/dashboard/incidents/{iid}/updates", {"status": "fixed", "message": "m"})
    assert r.status_code == 422 and "status must be one of" in text_of(r.text)


def test_change_severity_and_services(server, admin, d):
    a = admin.create_service(name=uniq("a"))
    b = admin.create_service(name=uniq("b"))
    iid = d.create_incident(severity="minor", services=[a["id"]])
    r = d.post(f"/dashboard/incidents/{iid}/edit", {"edit": "1", "title": "Renamed",
                                                    "severity": "critical",
                                                    "services": [a["id"], b["id"]]})
    assert r.status_code == 303
    inc = admin.get_incident(iid)
    assert inc["title"] == "Renamed" and inc["severity"] == "critical"
    assert sorted(s["id"] for s in inc["services"]) == sorted([a["id"], b["id"]])
    assert admin.get_service(b["id"])["status"] == "major_outage"


def test_drafts_publish_and_discard(server, admin, d):
    title = uniq("SECRET-DRAFT")
    iid = d.create_incident(title=title, draft=True)
    inc = admin.get_incident(iid)
    assert inc["draft"] is True and inc["source"] == "manual"
    assert title not in public(server)
    row = row_of(d.page("/dashboard/incidents?state=drafts"), iid)
    assert '<span class="badge draft">Draft</span>' in row
    page = d.page(f"/dashboard/incidents/{iid}")
    assert "not on the public status page" in page and ">Publish</button>" in page
    assert "View on the status page" not in page
    r = d.post(f"/dashboard/incidents/{iid}/publish")
    assert r.status_code == 303
    assert admin.get_incident(iid)["draft"] is False
    assert title in public(server)
    assert "Draft" not in row_of(d.page("/dashboard/incidents"), iid)
    # Discard: a confirmation page, then the POST; published ones cannot go.
    other = d.create_incident(draft=True)
    page = d.page(f"/dashboard/incidents/{other}/discard")
    assert "Discard this draft?" in page
    r = d.post(f"/dashboard/incidents/{other}/discard")
    assert r.status_code == 303
    assert admin.api("GET", f"/api/v1/incidents/{other}").status_code == 404
    r = d.post(f"/dashboard/incidents/{iid}/discard")
    assert r.status_code == 409
    assert admin.get_incident(iid)["draft"] is False


def test_source_badges_and_filters(server, admin, d):
    via_api = admin.create_incident(title=uniq("from-api"))
    manual = d.create_incident(title=uniq("from-dashboard"))
    page = d.page("/dashboard/incidents")
    assert '<span class="badge src">API</span>' in row_of(page, via_api["id"])
    assert 'badge src' not in row_of(page, manual)
    page = d.page("/dashboard/incidents?state=all&source=api")
    assert via_api["id"] in page and manual not in page
    page = d.page("/dashboard/incidents?state=all&source=manual")
    assert manual in page and via_api["id"] not in page
    page = d.page("/dashboard/incidents?state=all&source=auto_uptime")
    assert manual not in page and via_api["id"] not in page


def test_stale_incidents_are_flagged(server, admin, d):
    r = admin.api("PATCH", "/api/v1/settings/automation", json={"stale_after_s": 1})
    assert r.status_code == 200 and r.json()["automation"]["stale_after_s"] == 1
    try:
        iid = d.create_incident()
        draft = d.create_incident(draft=True)
        wait_until(lambda: "badge stale" in row_of(d.page("/dashboard/incidents"), iid),
                   10, 0.2, "the stale badge")
        page = d.page(f"/dashboard/incidents/{iid}")
        assert "No update for" in page and "keep your users" in page
        # Drafts are not flagged: nobody outside has seen them.
        assert "badge stale" not in row_of(d.page("/dashboard/incidents?state=drafts"), draft)
        admin.api("PATCH", "/api/v1/settings/automation", json={"stale_after_s": 3600})
        d.post(f"/dashboard/incidents/{iid}/updates", {"status": "identified", "message": "m"})
        assert "badge stale" not in row_of(d.page("/dashboard/incidents"), iid)
        assert "No update for" not in d.page(f"/dashboard/incidents/{iid}")
    finally:
        admin.api("PATCH", "/api/v1/settings/automation", json={"stale_after_s": 1800})


def test_services_create_rename_group_order_delete(server, admin, d):
    names = [uniq(n) for n in ("web", "api", "db")]
    for n in names:
        assert d.post("/dashboard/services", {"name": n, "description": "d"}).status_code == 303
    ids = {s["name"]: s["id"] for s in admin.services()}
    # Duplicate name: the form comes back with the error.
    r = d.post("/dashboard/services", {"name": names[0]})
    assert r.status_code == 409 and "already exists" in text_of(r.text)
    # Move the last one to the top, then the first one down.
    db = ids[names[2]]
    assert d.post(f"/dashboard/services/{db}/move", {"dir": "up"}).status_code == 303
    assert d.post(f"/dashboard/services/{db}/move", {"dir": "up"}).status_code == 303
    got = [s["name"] for s in admin.services() if s["name"] in names]
    assert got == [names[2], names[0], names[1]]
    page = d.page("/dashboard/services")
    assert page.index(names[2]) < page.index(names[0]) < page.index(names[1])
    # Rename and group; then ungroup.
    web = ids[names[0]]
    r = d.post(f"/dashboard/services/{web}", {"name": "renamed-" + names[0],
                                              "description": "Public site", "group": "Front"})
    assert r.status_code == 303
    svc = admin.get_service(web)
    assert svc["name"] == "renamed-" + names[0] and svc["group"] == "Front"
    assert svc["description"] == "Public site"
    d.post(f"/dashboard/services/{web}", {"name": svc["name"], "description": "", "group": ""})
    assert admin.get_service(web)["group"] is None
    # Delete, after a confirmation page.
    assert "cannot be undone" in d.page(f"/dashboard/services/{web}/delete")
    assert d.post(f"/dashboard/services/{web}/delete").status_code == 303
    assert admin.api("GET", f"/api/v1/services/{web}").status_code == 404
    assert svc["name"] not in d.page("/dashboard/services")


def test_monitors_create_edit_pause_delete(server, admin, d):
    svc = admin.create_service(name=uniq("svc"))
    port = free_port()
    r = d.post("/dashboard/monitors", {
        "name": "Health", "url": f"http://127.0.0.1:{port}/health", "method": "HEAD",
        "interval_s": "30", "timeout_ms": "2000", "expected_status": "200, 204-299",
        "keyword": "", "headers": "X-Probe: kodo\r\nAccept: text/plain\r\n",
        "services": [svc["id"]], "severity": "critical", "failures_to_open": "",
        "cert_expiry_days": "14", "tls_verify": "1"})
    assert r.status_code == 303, text_of(r.text)[:500]
    mid = re.match(r"^/dashboard/monitors/(mon_[a-z0-9]+)\?done=monitor_created$",
                   r.headers["Location"]).group(1)
    m = admin.api("GET", f"/api/v1/monitors/{mid}").json()["monitor"]
    assert m["name"] == "Health" and m["method"] == "HEAD" and m["interval_s"] == 30
    assert m["timeout_ms"] == 2000 and m["expected_status"] == [200, "204-299"]
    assert m["headers"] == {"X-Probe": "kodo", "Accept": "text/plain"}
    assert m["services"] == [{"id": svc["id"], "name": svc["name"]}]
    assert m["severity"] == "critical" and m["failures_to_open"] is None
    assert m["keyword"] is None and m["tls_verify"] is True and m["cert_expiry_days"] == 14
    page = d.page("/dashboard/monitors")
    assert "Health" in page and f"127.0.0.1:{port}/health" in page
    # Its page: state, recent checks, the form filled in.
    page = d.page(f"/dashboard/monitors/{mid}")
    assert "Recent checks" in page and "Decisions" in page
    assert "X-Probe: kodo" in page and 'value="200, 204-299"' in page
    # Pause and resume.
    assert d.post(f"/dashboard/monitors/{mid}/pause").status_code == 303
    assert admin.api("GET", f"/api/v1/monitors/{mid}").json()["monitor"]["paused"] is True
    assert "Paused" in d.page("/dashboard/monitors")
    assert ">Resume</button>" in d.page(f"/dashboard/monitors/{mid}")
    assert d.post(f"/dashboard/monitors/{mid}/resume").status_code == 303
    assert admin.api("GET", f"/api/v1/monitors/{mid}").json()["monitor"]["paused"] is False
    # Edit: a bad value comes back with its error, a good one is saved.
    r = d.post(f"/dashboard/monitors/{mid}", {"name": "Health", "url": m["url"],
                                              "interval_s": "5", "timeout_ms": "2000",
                                              "expected_status": "200"})
    assert r.status_code == 422 and "interval_s" in text_of(r.text)
    r = d.post(f"/dashboard/monitors/{mid}", {"name": "Health v2", "url": m["url"],
                                              "interval_s": "120", "timeout_ms": "3000",
                                              "expected_status": "200-399", "headers": "",
                                              "failures_to_open": "2", "severity": "",
                                              "tls_verify": "1", "cert_expiry_days": "30"})
    assert r.status_code == 303
    m = admin.api("GET", f"/api/v1/monitors/{mid}").json()["monitor"]
    assert m["name"] == "Health v2" and m["interval_s"] == 120 and m["failures_to_open"] == 2
    assert m["headers"] == {} and m["severity"] == "major" and m["services"] == []
    # Delete after confirming.
    assert "cannot be undone" in d.page(f"/dashboard/monitors/{mid}/delete")
    assert d.post(f"/dashboard/monitors/{mid}/delete").status_code == 303
    assert admin.api("GET", f"/api/v1/monitors/{mid}").status_code == 404


def test_settings_automation_shows_in_the_api(server, admin, d):
    form = {"draft_mode": "1", "auto_publish_after_s": "300", "failures_to_open": "4",
            "successes_to_resolve": "3", "flap_window_s": "600", "flap_max_transitions": "5",
            "cooldown_s": "120", "notification_batch_s": "10", "stale_after_s": "2700"}
    r = d.post("/dashboard/settings/automation", form)
    assert r.status_code == 303
    got = admin.settings()
    assert got == {"draft_mode": True, "auto_publish_after_s": 300, "failures_to_open": 4,
                   "successes_to_resolve": 3, "flap_window_s": 600, "flap_max_transitions": 5,
                   "cooldown_s": 120, "notification_batch_s": 10, "auto_resolve": False,
                   "stale_after_s": 2700}
    page = d.page("/dashboard/settings/automation")
    assert 'name="draft_mode" value="1" checked' in page and 'value="2700"' in page
    # One bad field: nothing changes, and the form says which.
    r = d.post("/dashboard/settings/automation", dict(form, cooldown_s="-1", draft_mode=""))
    assert r.status_code == 422 and "cooldown_s" in text_of(r.text)
    assert admin.settings() == got
    # Empty auto-publish means never.
    r = d.post("/dashboard/settings/automation", dict(form, auto_publish_after_s="",
                                                      auto_resolve="1"))
    assert r.status_code == 303
    got = admin.settings()
    assert got["auto_publish_after_s"] is None and got["auto_resolve"] is True
    admin.api("PATCH", "/api/v1/settings/automation", json={
        "draft_mode": False, "failures_to_open": 3, "successes_to_resolve": 2,
        "flap_window_s": 1800, "flap_max_transitions": 6, "cooldown_s": 900,
        "notification_batch_s": 30, "stale_after_s": 1800})


def test_settings_status_page(server, admin, d):
    r = d.post("/dashboard/settings/status-page", {"name": "Example Cloud",
                                                   "logo_url": "https://example.com/l.png",
                                                   "accent_color": "#5B21B6"})
    assert r.status_code == 303
    got = admin.api("GET", "/api/v1/settings/status-page").json()
    assert "Example Cloud" in str(got) and "#5b21b6" in str(got)
    assert "<title>Example Cloud status</title>" in public(server)
    r = d.post("/dashboard/settings/status-page", {"name": "x", "accent_color": "purple"})
    assert r.status_code == 422 and "accent_color" in text_of(r.text)
    r = d.post("/dashboard/settings/status-page", {"name": "", "logo_url": "", "accent_color": ""})
    assert r.status_code == 303
    assert "Example Cloud" not in public(server)


def test_api_tokens_create_once_list_revoke(server, admin, d):
    name = uniq("deploy")
    r = d.post("/dashboard/settings/tokens", {"name": name, "role": "member"})
    assert r.status_code == 201
    token = re.search(r'id="new-token">(kodo_[A-Za-z0-9_-]+)<', r.text).group(1)
    assert "shown only this once" in r.text
    auth = {"Authorization": f"Bearer {token}"}
    r = requests.post(server.url + "/api/v1/incidents", headers=auth, timeout=HTTP_TIMEOUT_S,
                      json={"title": "t", "severity": "minor", "message": "m"})
    assert r.status_code == 201 and r.json()["incident"]["source"] == "api"
    page = d.page("/dashboard/settings/tokens")
    assert name in page and token not in page
    tid = re.search(r'<tr data-id="(tok_[a-z0-9]+)"><th scope="row">%s' % re.escape(name),
                    page).group(1)
    assert "stops working at once" in d.page(f"/dashboard/settings/tokens/{tid}/revoke")
    # The token was just used (so it is in the lookup cache): revoking it
    # must still stop it on the very next request.
    assert requests.get(server.url + "/api/v1/incidents", headers=auth,
                        timeout=HTTP_TIMEOUT_S).status_code == 200
    assert d.post(f"/dashboard/settings/tokens/{tid}/revoke").status_code == 303
    r = requests.get(server.url + "/api/v1/incidents", headers=auth, timeout=HTTP_TIMEOUT_S)
    assert_error(r, 401, "unauthorized")
    assert "Revoked" in d.page("/dashboard/settings/tokens")
    assert d.post(f"/dashboard/settings/tokens/{tid}/revoke").status_code == 409


def test_invite_a_user(server, admin, d):
    name = uniq("newbie")
    _, r = d.create_user(name=name, role="member", email=f"{name}@example.com")
    link = re.search(r'id="invite-link">([^<]+)<', r.text).group(1)
    path = re.sub(r"^https?://[^/]+", "", link)
    assert link.startswith("http://127.0.0.1:") and path.startswith("/invite/")
    assert "Invited" in d.page("/dashboard/team")
    Dash(server).login(name, "", expect=401)
    b = Dash(server)
    page = b.page(path)
    assert f"Welcome, {name}" in page
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = b.s.post(server.url + path, data={"csrf": token, "password": "short"},
                 allow_redirects=False, timeout=HTTP_TIMEOUT_S)
    assert r.status_code == 422
    r = b.s.post(server.url + path, data={"csrf": token, "password": "a-long-password"},
                 allow_redirects=False, timeout=HTTP_TIMEOUT_S)
    assert r.status_code == 303 and r.headers["Location"] == "/dashboard/incidents"
    assert name in b.page("/dashboard/account")
    assert b.get(path).status_code == 404  # used once
    Dash(server).login(f"{name}@EXAMPLE.com", "a-long-password")


def test_change_password_signs_out_other_sessions(server, d):
    name, _ = d.create_user(role="viewer", password="first-password")
    one, two = Dash(server), Dash(server)
    one.login(name, "first-password")
    two.login(name, "first-password")
    r = one.post("/dashboard/account", {"current_password": "nope", "password": "second-password"})
    assert r.status_code == 422 and "current password is not right" in text_of(r.text)
    r = one.post("/dashboard/account", {"current_password": "first-password",
                                        "password": "second-password"})
    assert r.status_code == 303
    assert one.get("/dashboard/incidents").status_code == 200
    assert two.get("/dashboard/incidents").status_code == 303
    Dash(server).login(name, "first-password", expect=401)
    Dash(server).login(name, "second-password")


# --- an auto-created draft, from a real monitor ------------------------------

class FastServer(Server):
    def env(self):
        env = super().env()
        env["KODO_SECOND_MS"] = "50"
        return env


def test_auto_created_draft_shows_its_badge_and_is_published(tmp_path):
    srv = FastServer(tmp_path)
    srv.start()
    try:
        admin = srv.client(srv.token)
        admin.api("PATCH", "/api/v1/settings/automation", json={"draft_mode": True})
        r = admin.api("POST", "/api/v1/monitors", json={
            "name": "Down on purpose", "type": "http", "interval_s": 10,
            "failures_to_open": 1, "url": f"http://127.0.0.1:{free_port()}/"})
        assert r.status_code == 201, r.text
        inc = wait_until(lambda: next(iter(admin.all_incidents(draft="true")), None),
                         30, 0.1, "an auto-created draft")
        assert inc["source"] == "auto_uptime" and inc["draft"] is True
        d = signed_in(srv)
        row = row_of(d.page("/dashboard/incidents?state=drafts"), inc["id"])
        assert '<span class="badge src">Auto: Uptime</span>' in row
        assert '<span class="badge draft">Draft</span>' in row
        page = d.page("/dashboard/monitors")
        assert "Down" in page and "Open incident" in page
        assert inc["title"] not in public(srv)
        assert d.post(f"/dashboard/incidents/{inc['id']}/publish").status_code == 303
        assert inc["title"] in public(srv)
        assert admin.get_incident(inc["id"])["draft"] is False
    finally:
        srv.stop()
