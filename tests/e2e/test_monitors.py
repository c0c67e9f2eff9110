"""HTTP uptime monitors and the safeguard pipeline, end to end.

A real `kodo serve` checks real HTTP targets on 127.0.0.1 that the tests
control. KODO_SECOND_MS shortens every configured second (intervals,
cooldowns, windows, publish delays) so that a 10 s interval runs every
0.3 s; the scheduler, the checks and the pipeline are the real ones.
"""

import time

import pytest

from conftest import Server, assert_error, uniq, wait_until
from monitor_target import KEYWORD, Target, self_signed_cert

SECOND_MS = 30
INTERVAL = 10  # configured seconds: 0.3 s of real time
WAIT = 30.0    # deadline for anything the pipeline should do


class FastServer(Server):
    def env(self):
        env = super().env()
        env["KODO_SECOND_MS"] = str(SECOND_MS)
        return env


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = FastServer(tmp_path_factory.mktemp("kodo-mon"))
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def target():
    t = Target()
    yield t
    t.close()


def make_monitor(client, url, services=(), **fields):
    body = {"name": uniq("mon"), "type": "http", "url": url,
            "interval_s": INTERVAL, "timeout_ms": 2000,
            "services": list(services)}
    body.update(fields)
    r = client.api("POST", "/api/v1/monitors", json=body)
    assert r.status_code == 201, r.text
    return r.json()["monitor"]


def monitor(client, mid):
    r = client.api("GET", f"/api/v1/monitors/{mid}")
    assert r.status_code == 200, r.text
    return r.json()["monitor"]


def all_pages(client, path, key):
    """Every item of a list, newest first, following next_cursor."""
    items, params = [], {"limit": 500}
    while True:
        r = client.api("GET", path, params=params)
        assert r.status_code == 200, r.text
        items += r.json()[key]
        if not r.json()["next_cursor"]:
            return items
        params["cursor"] = r.json()["next_cursor"]


def results(client, mid):
    return all_pages(client, f"/api/v1/monitors/{mid}/results", "results")


def events(client, mid):
    return all_pages(client, f"/api/v1/monitors/{mid}/events", "events")


def auto_incidents(client):
    return [i for i in client.all_incidents() if i["source"] == "auto_uptime"]


def set_automation(client, **values):
    r = client.api("PATCH", "/api/v1/settings/automation", json=values)
    assert r.status_code == 200, r.text


def wait_checks(client, mid, n, what="checks"):
    """Waits until the monitor has at least n stored results; returns them,
    newest first."""
    def enough():
        got = results(client, mid)
        return got if len(got) >= n else None
    return wait_until(enough, WAIT, 0.05, what)


def wait_incident(client, pred=lambda i: True, what="an auto-incident"):
    return wait_until(lambda: [i for i in auto_incidents(client) if pred(i)],
                      WAIT, 0.05, what)


def statuses(incident):
    return [u["status"] for u in reversed(incident["updates"])]


# -- the acceptance flow ------------------------------------------------------

def test_failing_target_opens_exactly_one_incident_then_resolves(org, target):
    svc = org.create_service(uniq("API"))
    mon = make_monitor(org, target.url, [svc["id"]])
    wait_checks(org, mon["id"], 2)
    assert auto_incidents(org) == []
    target.set("500")
    inc = wait_incident(org)[0]
    assert inc["severity"] == "major"
    assert inc["status"] == "investigating"
    assert inc["draft"] is False
    assert [s["id"] for s in inc["services"]] == [svc["id"]]
    assert "status 500" in inc["updates"][-1]["message"]
    # Opened only after failures_to_open (3) failing checks; started_at is
    # the first of them, not the time the threshold was crossed.
    fails = [r for r in results(org, mon["id"]) if not r["ok"]]
    assert len(fails) >= 3
    first_fail = min(r["at"] for r in fails)
    assert inc["started_at"] == first_fail
    assert inc["started_at"] <= inc["created_at"]
    assert org.get_service(svc["id"])["status"] == "partial_outage"
    assert monitor(org, mon["id"])["incident_id"] == inc["id"]
    # Further failures add nothing new: still one incident.
    n = len(results(org, mon["id"]))
    wait_checks(org, mon["id"], n + 3)
    assert len(auto_incidents(org)) == 1

    target.set("ok")
    done = wait_incident(org, lambda i: i["status"] == "resolved", "auto-resolve")[0]
    assert done["id"] == inc["id"]
    assert statuses(done)[-2:] == ["monitoring", "resolved"]
    assert done["resolved_at"] is not None
    assert len(auto_incidents(org)) == 1
    assert org.get_service(svc["id"])["status"] == "operational"
    kinds = [e["kind"] for e in events(org, mon["id"])]
    assert {"opened", "monitoring", "resolved"} <= set(kinds)


# -- failure reasons -----------------------------------------------------------

@pytest.mark.parametrize("mode,fields,reason", [
    ("500", {}, "status 500"),
    ("slow", {"timeout_ms": 150}, "timeout after 150 ms"),
    ("nokeyword", {"keyword": KEYWORD}, "keyword"),
    ("close", {}, "empty reply"),
    ("loop", {}, "too many redirects"),
])
def test_failure_reasons(org, target, mode, fields, reason):
    target.slow_s = 1.0
    target.set(mode)
    mon = make_monitor(org, target.url, **fields)
    got = wait_checks(org, mon["id"], 1)
    assert not got[0]["ok"]
    assert reason in got[0]["detail"], got[0]


def test_keyword_present_passes(org, target):
    mon = make_monitor(org, target.url, keyword=KEYWORD)
    got = wait_checks(org, mon["id"], 2)
    assert all(r["ok"] and r["http_status"] == 200 for r in got), got


def test_redirects_are_followed(org, target):
    target.set("redirect")
    mon = make_monitor(org, target.url, keyword=KEYWORD)
    got = wait_checks(org, mon["id"], 2)
    assert all(r["ok"] and r["http_status"] == 200 for r in got), got


def test_connection_refused(org):
    from conftest import free_port
    mon = make_monitor(org, f"http://127.0.0.1:{free_port()}/")
    got = wait_checks(org, mon["id"], 1)
    assert not got[0]["ok"]
    assert got[0]["detail"].startswith("connection refused"), got[0]


def test_tls_errors_and_certificate_expiry(org, tmp_path):
    crt, key = self_signed_cert(tmp_path, days=10)
    tls = Target(tls_cert=(crt, key))
    try:
        strict = make_monitor(org, tls.url)
        got = wait_checks(org, strict["id"], 1)
        assert not got[0]["ok"] and got[0]["detail"].startswith("TLS error"), got[0]
        lax = make_monitor(org, tls.url, tls_verify=False, cert_expiry_days=30)
        got = wait_checks(org, lax["id"], 1)
        assert got[0]["ok"], got[0]
        assert "certificate expires in" in got[0]["detail"], got[0]
    finally:
        tls.close()


def test_expected_status_and_method(org, target):
    target.set("503")
    mon = make_monitor(org, target.url, method="HEAD", expected_status=[503, "200-299"])
    got = wait_checks(org, mon["id"], 2)
    assert all(r["ok"] for r in got), got


# -- flap protection ---------------------------------------------------------------

def test_blip_below_threshold_is_suppressed(org, target):
    mon = make_monitor(org, target.url)
    wait_checks(org, mon["id"], 1)
    target.script("500", "500")
    wait_until(lambda: any(e["kind"] == "suppressed_flap_protection"
                           for e in events(org, mon["id"])), WAIT, 0.05, "suppression")
    assert auto_incidents(org) == []


def test_monitor_overrides_failures_to_open(org, target):
    mon = make_monitor(org, target.url, failures_to_open=1)
    assert mon["failures_to_open"] == 1
    wait_checks(org, mon["id"], 1)
    target.script("500")
    wait_incident(org)
    assert len(auto_incidents(org)) == 1


def test_flapping_opens_at_most_one_incident(org, target):
    set_automation(org, failures_to_open=1, successes_to_resolve=1,
                   flap_max_transitions=2, flap_window_s=3600)
    mon = make_monitor(org, target.url)
    wait_checks(org, mon["id"], 1)
    for _ in range(4):
        target.script("500", "ok", "ok")
    n = len(results(org, mon["id"]))
    wait_checks(org, mon["id"], n + 12)
    incs = auto_incidents(org)
    assert len(incs) == 1, [i["title"] for i in incs]
    kinds = [e["kind"] for e in events(org, mon["id"])]
    assert any("flapping" in k for k in kinds), kinds
    assert incs[0]["status"] != "resolved"  # held open while flapping


# -- dedup, grouping, dependencies --------------------------------------------------

def test_reason_change_adds_an_update(org, target):
    target.slow_s = 1.0
    mon = make_monitor(org, target.url, timeout_ms=150)
    target.set("500")
    inc = wait_incident(org)[0]
    target.set("slow")
    got = wait_until(lambda: [i for i in auto_incidents(org)
                              if any("timeout" in u["message"] for u in i["updates"])],
                     WAIT, 0.05, "reason update")
    assert got[0]["id"] == inc["id"]
    assert len(auto_incidents(org)) == 1
    assert "reason_changed" in [e["kind"] for e in events(org, mon["id"])]


def test_monitors_of_one_service_join_one_incident(org, target):
    svc = org.create_service(uniq("Web"))
    other = org.create_service(uniq("Other"))
    a = make_monitor(org, target.url, [svc["id"]])
    b = make_monitor(org, target.url + "?b", [svc["id"], other["id"]])
    target.set("500")
    wait_until(lambda: monitor(org, a["id"])["incident_id"] and
               monitor(org, b["id"])["incident_id"], WAIT, 0.05, "both attached")
    incs = auto_incidents(org)
    assert len(incs) == 1
    assert monitor(org, a["id"])["incident_id"] == monitor(org, b["id"])["incident_id"]
    ids = {s["id"] for s in org.get_incident(incs[0]["id"])["services"]}
    assert ids == {svc["id"], other["id"]}
    target.set("ok")
    wait_incident(org, lambda i: i["status"] == "resolved", "resolution")
    assert len(auto_incidents(org)) == 1


def test_child_joins_parent_incident(org, target):
    child_target = Target()
    try:
        parent = make_monitor(org, target.url, failures_to_open=1)
        child = make_monitor(org, child_target.url, depends_on=parent["id"])
        assert child["depends_on"] == parent["id"]
        target.set("500")
        inc = wait_incident(org)[0]
        child_target.set("500")
        wait_until(lambda: monitor(org, child["id"])["incident_id"] == inc["id"],
                   WAIT, 0.05, "child joins")
        assert len(auto_incidents(org)) == 1
        assert "joined_parent" in [e["kind"] for e in events(org, child["id"])]
    finally:
        child_target.close()


def test_depends_on_cycle_is_refused(org, target):
    a = make_monitor(org, target.url)
    b = make_monitor(org, target.url, depends_on=a["id"])
    r = org.api("PATCH", f"/api/v1/monitors/{a['id']}", json={"depends_on": b["id"]})
    assert_error(r, 422, "validation_failed", field="depends_on")
    r = org.api("PATCH", f"/api/v1/monitors/{a['id']}", json={"depends_on": a["id"]})
    assert_error(r, 422, "validation_failed", field="depends_on")


# -- cooldown ------------------------------------------------------------------------

def test_failure_within_cooldown_reopens_the_incident(org, target):
    set_automation(org, cooldown_s=3600)
    make_monitor(org, target.url)
    target.set("500")
    first = wait_incident(org)[0]
    target.set("ok")
    wait_incident(org, lambda i: i["status"] == "resolved", "resolution")
    target.set("500")
    again = wait_incident(org, lambda i: i["status"] == "investigating", "reopen")[0]
    assert again["id"] == first["id"]
    assert again["resolved_at"] is None
    assert "cooldown" in again["updates"][0]["message"]
    assert len(auto_incidents(org)) == 1


def test_failure_after_cooldown_opens_a_new_incident(org, target):
    set_automation(org, cooldown_s=0)
    make_monitor(org, target.url)
    target.set("500")
    first = wait_incident(org)[0]
    target.set("ok")
    wait_incident(org, lambda i: i["status"] == "resolved", "resolution")
    target.set("500")
    wait_until(lambda: len(auto_incidents(org)) == 2, WAIT, 0.05, "second incident")
    assert {i["id"] for i in auto_incidents(org)} > {first["id"]}


# -- draft mode ------------------------------------------------------------------------

def test_draft_mode_hides_until_published(org, target):
    set_automation(org, draft_mode=True)
    svc = org.create_service(uniq("API"))
    make_monitor(org, target.url, [svc["id"]])
    target.set("500")
    inc = wait_incident(org)[0]
    assert inc["draft"] is True and inc["published_at"] is None
    assert org.get_service(svc["id"])["status"] == "operational"
    r = org.api("POST", f"/api/v1/incidents/{inc['id']}/publish")
    assert r.status_code == 200, r.text
    assert r.json()["incident"]["draft"] is False
    assert org.get_service(svc["id"])["status"] == "partial_outage"


def test_draft_is_published_automatically_while_failing(org, target):
    set_automation(org, draft_mode=True, auto_publish_after_s=20)
    mon = make_monitor(org, target.url)
    target.set("500")
    inc = wait_incident(org)[0]
    assert inc["draft"] is True
    published = wait_incident(org, lambda i: not i["draft"], "auto-publish")[0]
    assert published["id"] == inc["id"]
    assert published["published_at"] is not None
    assert "published" in [e["kind"] for e in events(org, mon["id"])]


def test_draft_resolved_quietly_when_monitor_recovers(org, target):
    set_automation(org, draft_mode=True)
    mon = make_monitor(org, target.url)
    target.set("500")
    wait_incident(org)
    target.set("ok")
    done = wait_incident(org, lambda i: i["status"] == "resolved", "quiet resolve")[0]
    assert done["draft"] is True and done["published_at"] is None
    assert "resolved_quietly" in [e["kind"] for e in events(org, mon["id"])]


def test_auto_resolve_off_leaves_incident_to_the_team(org, target):
    set_automation(org, auto_resolve=False)
    mon = make_monitor(org, target.url)
    target.set("500")
    inc = wait_incident(org)[0]
    target.set("ok")
    wait_until(lambda: "auto_resolve_off" in [e["kind"] for e in events(org, mon["id"])],
               WAIT, 0.05, "detach")
    assert org.get_incident(inc["id"])["status"] == "monitoring"


def test_manual_incidents_are_never_auto_resolved(org, target):
    svc = org.create_service(uniq("API"))
    manual = org.create_incident(title="Manual", severity="minor",
                                 services=[svc["id"]], message="By hand")
    make_monitor(org, target.url, [svc["id"]])
    target.set("500")
    wait_incident(org)
    target.set("ok")
    wait_incident(org, lambda i: i["status"] == "resolved", "auto resolve")
    assert org.get_incident(manual["id"])["status"] == "investigating"


# -- pause, restart ----------------------------------------------------------------------

def test_pause_stops_checks_and_resume_restarts_them(org, target):
    mon = make_monitor(org, target.url)
    wait_checks(org, mon["id"], 1)
    r = org.api("POST", f"/api/v1/monitors/{mon['id']}/pause")
    assert r.status_code == 200 and r.json()["monitor"]["state"] == "paused"
    settled = len(wait_until(lambda: results(org, mon["id"]), WAIT))
    seen = target.count()
    # A paused monitor makes no requests over several of its intervals.
    deadline = time.monotonic() + 5 * INTERVAL * SECOND_MS / 1000
    while time.monotonic() < deadline:
        assert target.count() <= seen + 1  # at most one check in flight
        time.sleep(0.05)
    assert len(results(org, mon["id"])) <= settled + 1
    r = org.api("POST", f"/api/v1/monitors/{mon['id']}/resume")
    assert r.status_code == 200 and r.json()["monitor"]["paused"] is False
    wait_until(lambda: target.count() >= seen + 3, WAIT, 0.05, "checks resume")


@pytest.mark.parametrize("how", ["sigterm", "kill9"])
def test_restart_mid_incident_keeps_one_incident(tmp_path, target, how):
    srv = FastServer(tmp_path)
    srv.start()
    try:
        client = srv.client(srv.token)
        make_monitor(client, target.url)
        target.set("500")
        inc = wait_incident(client)[0]
        if how == "sigterm":
            srv.stop()
            srv.start()
        else:
            srv.kill9()
            srv.start()
        client = srv.client(srv.token)
        seen = target.count()
        wait_until(lambda: target.count() >= seen + 4, WAIT, 0.05, "checks after restart")
        assert [i["id"] for i in auto_incidents(client)] == [inc["id"]]
        target.set("ok")
        done = wait_incident(client, lambda i: i["status"] == "resolved", "resolve")[0]
        assert done["id"] == inc["id"]
        assert len(auto_incidents(client)) == 1
    finally:
        if srv.running():
            srv.stop()


# -- the API ---------------------------------------------------------------------------------

def test_monitor_crud(org, target):
    svc = org.create_service(uniq("API"))
    mon = make_monitor(org, target.url, [svc["name"]], severity="critical",
                       headers={"X-Probe": "kodo"}, keyword=KEYWORD)
    assert mon["type"] == "http" and mon["severity"] == "critical"
    assert mon["services"] == [{"id": svc["id"], "name": svc["name"]}]
    assert mon["headers"] == {"X-Probe": "kodo"}
    assert mon["expected_status"] == ["200-399"]
    assert mon["method"] == "GET" and mon["interval_s"] == INTERVAL
    listed = org.api("GET", "/api/v1/monitors").json()["monitors"]
    assert [m["id"] for m in listed] == [mon["id"]]
    r = org.api("PATCH", f"/api/v1/monitors/{mon['id']}", json={"name": "Renamed", "severity": None})
    assert r.status_code == 200, r.text
    assert r.json()["monitor"]["name"] == "Renamed"
    assert r.json()["monitor"]["severity"] == "major"  # back to the type's default
    assert org.api("DELETE", f"/api/v1/monitors/{mon['id']}").status_code == 204
    assert org.api("GET", f"/api/v1/monitors/{mon['id']}").status_code == 404


@pytest.mark.parametrize("fields,field", [
    ({"url": "ftp://127.0.0.1/"}, "url"),
    ({"url": "not a url"}, "url"),
    ({"url": "file:///etc/passwd"}, "url"),
    ({"url": "http://127.0.0.1/\r\nX: y"}, "url"),
    ({"url": None}, "url"),
    ({"interval_s": 9}, "interval_s"),
    ({"interval_s": "60"}, "interval_s"),
    ({"timeout_ms": 10001}, "timeout_ms"),
    ({"timeout_ms": 50}, "timeout_ms"),
    ({"headers": {"X-Evil": "a\r\nHost: b"}}, "headers"),
    ({"headers": {"Bad Name": "x"}}, "headers"),
    ({"headers": ["X: y"]}, "headers"),
    ({"method": "TRACE"}, "method"),
    ({"method": "HEAD", "keyword": "x"}, "keyword"),
    ({"expected_status": ["2xx"]}, "expected_status"),
    ({"expected_status": [700]}, "expected_status"),
    ({"expected_status": []}, "expected_status"),
    ({"type": "carrier-pigeon"}, "type"),
    ({"type": "heartbeat"}, "type"),
    ({"severity": "apocalyptic"}, "severity"),
    ({"failures_to_open": 0}, "failures_to_open"),
    ({"services": ["no such service"]}, "services"),
    ({"depends_on": "mon_nope"}, "depends_on"),
    ({"name": ""}, "name"),
    ({"bogus": 1}, "bogus"),
])
def test_bad_monitor_input(org, fields, field):
    body = {"name": "m", "type": "http", "url": "http://127.0.0.1:9/",
            "interval_s": 10}
    body.update(fields)
    body = {k: v for k, v in body.items() if not (k == "url" and v is None)}
    before = org.api("GET", "/api/v1/monitors").json()["monitors"]
    r = org.api("POST", "/api/v1/monitors", json=body)
    assert_error(r, 422, "validation_failed", field=field)
    assert org.api("GET", "/api/v1/monitors").json()["monitors"] == before


def test_monitors_are_scoped_by_organization(org, admin, target):
    mon = make_monitor(org, target.url)
    _, other = admin.create_org()
    assert other.api("GET", "/api/v1/monitors").json()["monitors"] == []
    for method, path in [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/pause"),
                         ("GET", "/results"), ("GET", "/events")]:
        kw = {"json": {"name": "x"}} if method == "PATCH" else {}
        r = other.api(method, f"/api/v1/monitors/{mon['id']}{path}", **kw)
        assert r.status_code == 404, (method, path, r.text)
    assert monitor(org, mon["id"])["name"] == mon["name"]


def test_metrics_count_checks(server, org, target):
    mon = make_monitor(org, target.url)
    wait_checks(org, mon["id"], 2)
    r = server.session.get(server.url + "/metrics", timeout=10)
    assert r.status_code == 200
    line = [l for l in r.text.splitlines() if l.startswith("kodo_checks_total ")][0]
    assert int(line.split()[1]) >= 2


def test_events_since_filters_older_ones(org, target):
    mon = make_monitor(org, target.url)
    wait_checks(org, mon["id"], 1)
    target.script("500", "500")
    wait_until(lambda: events(org, mon["id"]), WAIT, 0.05, "an event")
    first = events(org, mon["id"])[-1]
    later = "2999-01-01T00:00:00Z"
    r = org.api("GET", f"/api/v1/monitors/{mon['id']}/events", params={"since": later})
    assert r.status_code == 200 and r.json()["events"] == []
    r = org.api("GET", f"/api/v1/monitors/{mon['id']}/events",
                params={"since": first["at"]})
    assert first["id"] in [e["id"] for e in r.json()["events"]]
    r = org.api("GET", f"/api/v1/monitors/{mon['id']}/events", params={"since": "yesterday"})
    assert_error(r, 422, "validation_failed", field="since")


def pages(client, path, key, limit):
    """The pages of a list at the given limit, following next_cursor."""
    out, params = [], {"limit": limit}
    while True:
        r = client.api("GET", path, params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        assert len(body[key]) <= limit
        out.append(body[key])
        if body["next_cursor"] is None:
            return out
        params["cursor"] = body["next_cursor"]


def test_lists_are_paged_with_limit_and_cursor(org, target):
    """Monitors, results and events follow the contract of every list:
    ?limit= (default 50, at most 500), next_cursor until null, no item
    twice, none left out."""
    made = [make_monitor(org, target.url)["id"] for _ in range(5)]
    got = pages(org, "/api/v1/monitors", "monitors", 2)
    assert [len(p) for p in got] == [2, 2, 1]
    assert [m["id"] for p in got for m in p] == made
    mon = made[0]
    for other in made[1:]:  # the target's script is for one monitor
        assert org.api("DELETE", f"/api/v1/monitors/{other}").status_code == 204
    wait_checks(org, mon, 5)
    target.script("500", "500", "500")
    wait_until(lambda: len(events(org, mon)) >= 2, WAIT, 0.05, "two events")
    assert org.api("POST", f"/api/v1/monitors/{mon}/pause").status_code == 200
    for path, key in (("results", "results"), ("events", "events")):
        url = f"/api/v1/monitors/{mon}/{path}"

        def walk():
            # A check in flight at the pause may still land: walk again
            # until nothing moved between two whole reads around the walk.
            before = all_pages(org, url, key)
            paged = pages(org, url, key, 1)
            return (before, paged) if all_pages(org, url, key) == before else None

        everything, paged = wait_until(walk, WAIT, 0.05, f"a stable {path} list")
        assert len(everything) >= 2
        # One at a time: every item once, in the same (newest first) order.
        assert [x for p in paged for x in p] == everything
        stamps = [x["at"] for x in everything]
        assert stamps == sorted(stamps, reverse=True)
    r = org.api("GET", f"/api/v1/monitors/{mon}/results")
    assert r.status_code == 200 and len(r.json()["results"]) <= 50
    for path in ("", f"/{mon}/results", f"/{mon}/events"):
        r = org.api("GET", f"/api/v1/monitors{path}", params={"limit": 501})
        assert_error(r, 422, "validation_failed", field="limit")
        r = org.api("GET", f"/api/v1/monitors{path}", params={"cursor": "nope"})
        assert_error(r, 422, "validation_failed", field="cursor")


def test_deleting_a_parent_clears_depends_on(org, target):
    parent = make_monitor(org, target.url)
    child = make_monitor(org, target.url, depends_on=parent["id"])
    assert org.api("DELETE", f"/api/v1/monitors/{parent['id']}").status_code == 204
    assert monitor(org, child["id"])["depends_on"] is None


def test_resolving_by_hand_detaches_the_monitor(org, target):
    mon = make_monitor(org, target.url)
    target.set("500")
    inc = wait_incident(org)[0]
    org.post_update(inc["id"], "resolved", "Fixed by hand.")
    assert monitor(org, mon["id"])["incident_id"] is None
    # The person's word stands while the monitor keeps failing: no new
    # incident and no reopening until it recovers and fails again.
    n = len(results(org, mon["id"]))
    wait_checks(org, mon["id"], n + 4)
    assert [i["status"] for i in auto_incidents(org)] == ["resolved"]
    target.set("ok")
    wait_until(lambda: monitor(org, mon["id"])["state"] == "up", WAIT, 0.05, "up")
    target.set("500")
    again = wait_incident(org, lambda i: i["status"] == "investigating", "reopen")[0]
    assert again["id"] == inc["id"]  # within the cooldown: reopened


PUBLIC_ROUTES = ["", "/api/v2/summary.json", "/api/v2/incidents.json",
                 "/api/v2/incidents/unresolved.json", "/history.atom", "/history.rss"]


def public_texts(server, slug):
    texts = []
    for path in PUBLIC_ROUTES:
        r = server.session.get(f"{server.url}/status/{slug}{path}", timeout=10)
        assert r.status_code == 200, (path, r.status_code)
        texts.append(r.text)
    return texts


def test_auto_draft_stays_off_every_public_route_until_published(server, admin, target):
    body, org = admin.create_org()
    slug = body["organization"]["slug"]
    set_automation(org, draft_mode=True)
    svc = org.create_service(uniq("Checkout"))
    mon = make_monitor(org, target.url, [svc["id"]], name=uniq("Checkout probe"))
    target.set("500")
    inc = wait_incident(org)[0]
    assert inc["draft"] is True
    title = inc["title"]
    assert mon["name"] in title
    for text in public_texts(server, slug):
        assert title not in text and inc["id"] not in text
    r = server.session.get(f"{server.url}/status/{slug}/incidents/{inc['id']}", timeout=10)
    assert r.status_code == 404
    assert org.api("POST", f"/api/v1/incidents/{inc['id']}/publish").status_code == 200
    # Fresh within a second of the change: poll with a deadline.
    wait_until(lambda: all(title in t or inc["id"] in t
                           for t in public_texts(server, slug)[:3]),
               5, 0.05, "the published incident on the public page")
    r = server.session.get(f"{server.url}/status/{slug}/incidents/{inc['id']}", timeout=10)
    assert r.status_code == 200 and title in r.text
