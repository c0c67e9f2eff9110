"""Nothing acknowledged is lost: 2xx writes survive `kill -9`."""

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from conftest import check_incident_shape, service_of

WRITES = 200
THREADS = 16


def test_acknowledged_writes_survive_kill9(fresh_server):
    srv = fresh_server
    srv.start()
    admin = srv.client(srv.token)
    org_body, other = admin.create_org()
    services = [admin.create_service(name=f"Durable {i}", group="G") for i in range(4)]
    settings = admin.api("PATCH", "/api/v1/settings/automation",
                         json={"draft_mode": True, "cooldown_s": 42}).json()["automation"]
    other_svc = other.create_service(name="Other org's")

    local = threading.local()

    def session():
        if not hasattr(local, "s"):
            local.s = requests.Session()
        return local.s

    severities = ("minor", "major", "critical")
    statuses = ("investigating", "identified", "monitoring", "resolved")

    def create(i):
        body = {
            "title": f"durable #{i} ✓",
            "severity": severities[i % 3],
            "status": statuses[i % 4],
            "draft": i % 7 == 0,
            "message": f"message for {i}: " + "x" * (i % 50),
            "services": [services[j]["id"] for j in range(i % 5) if j < 4],
        }
        r = srv.api("POST", "/api/v1/incidents", json=body, session=session())
        assert r.status_code == 201, r.text
        return body, r.json()["incident"]

    with ThreadPoolExecutor(THREADS) as pool:
        acked = list(pool.map(create, range(WRITES)))

    # A few follow-up writes of other kinds.
    first = acked[1][1]
    after_update = admin.post_update(first["id"], "monitoring", "Watching it.")["incident"]
    patched = admin.api("PATCH", f"/api/v1/incidents/{acked[2][1]['id']}",
                        json={"retrospective": "What happened.", "title": "Renamed"}).json()["incident"]
    published = admin.api("POST", f"/api/v1/incidents/{acked[0][1]['id']}/publish").json()["incident"]
    renamed = service_of(admin.api("PATCH", f"/api/v1/services/{services[3]['id']}",
                                   json={"name": "Durable renamed"}))
    r = admin.api("DELETE", f"/api/v1/incidents/{acked[7][1]['id']}")  # a draft (7 % 7 == 0)
    assert r.status_code == 204

    srv.kill9()
    srv.start()
    admin = srv.client(srv.token)
    deleted = acked[7][1]["id"]
    for body, inc in acked:
        if inc["id"] == deleted:
            assert srv.api("GET", f"/api/v1/incidents/{deleted}").status_code == 404
            continue
        got = admin.get_incident(inc["id"])
        check_incident_shape(got)
        assert got["title"] == (patched["title"] if inc["id"] == patched["id"] else body["title"])
        assert got["severity"] == body["severity"]
        assert got["source"] == "api"
        assert got["created_at"] == inc["created_at"]
        assert got["updates"][-1]["message"] == body["message"]
        assert {s["id"] for s in got["services"]} == set(body["services"])
        if inc["id"] == first["id"]:
            assert got == after_update
        elif inc["id"] == published["id"]:
            assert got["draft"] is False
            assert got["published_at"] == published["published_at"]
        elif inc["id"] == patched["id"]:
            assert got["retrospective"] == "What happened."
        else:
            assert got["status"] == body["status"]
            assert got["draft"] == body["draft"]
            assert got["published_at"] == inc["published_at"]
            assert got["resolved_at"] == inc["resolved_at"]
            assert got["updates"] == inc["updates"]

    listed = [i["id"] for i in admin.all_incidents()]
    assert len(listed) == len(set(listed)) == WRITES - 1
    assert set(listed) == {inc["id"] for _, inc in acked} - {deleted}

    assert admin.settings() == settings
    by_id = {s["id"]: s for s in admin.services()}
    assert by_id[services[3]["id"]]["name"] == "Durable renamed" == renamed["name"]
    assert set(by_id) == {s["id"] for s in services}

    # The organization created before the crash, and its token, survived.
    other = srv.client(other.token)
    assert [s["id"] for s in other.services()] == [other_svc["id"]]
    r = admin.api("POST", "/api/v1/organizations",
                  json={"name": "again", "slug": org_body["organization"]["slug"]})
    assert r.status_code == 409

    # And the server still takes writes after recovery.
    admin.create_incident(title="after recovery")


def test_kill9_twice_in_a_row(fresh_server):
    srv = fresh_server
    srv.start()
    inc = srv.client(srv.token).create_incident(title="first life")
    srv.kill9()
    srv.start()
    inc2 = srv.client(srv.token).create_incident(title="second life")
    srv.kill9()
    srv.start()
    c = srv.client(srv.token)
    assert [i["id"] for i in c.all_incidents()] == [inc2["id"], inc["id"]]
    assert c.get_incident(inc["id"])["title"] == "first life"


def test_graceful_restart_keeps_everything(fresh_server):
    srv = fresh_server
    srv.start()
    c = srv.client(srv.token)
    c.create_service(name="kept")
    c.create_incident(title="kept", draft=True)
    before = c.snapshot()
    srv.restart()
    assert srv.client(srv.token).snapshot() == before
