"""Services: create, list, get, patch, delete, validation, derived status."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import assert_error, assert_time, check_service_shape, service_of, uniq


def test_create_minimal(org):
    r = org.api("POST", "/api/v1/services", json={"name": "API"})
    assert r.status_code == 201, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    svc = service_of(r)
    check_service_shape(svc)
    assert svc["name"] == "API"
    assert svc["description"] == ""
    assert svc["group"] is None
    assert svc["status"] == "operational"
    assert svc["created_at"] == svc["updated_at"]


def test_create_full_and_get_and_list(org):
    body = {"name": "Web app", "description": "The dashboard people use", "group": "Frontend"}
    r = org.api("POST", "/api/v1/services", json=body)
    assert r.status_code == 201, r.text
    svc = service_of(r)
    check_service_shape(svc)
    for k, v in body.items():
        assert svc[k] == v

    r = org.api("GET", f"/api/v1/services/{svc['id']}")
    assert r.status_code == 200
    assert service_of(r) == svc

    r = org.api("GET", "/api/v1/services")
    assert r.status_code == 200
    body = r.json()
    assert set(body) <= {"services", "next_cursor"}
    assert body["services"] == [svc]


def test_single_service_replies_share_one_shape(org):
    """Whatever wrapper is used for one service, POST/GET/PATCH agree on it."""
    r1 = org.api("POST", "/api/v1/services", json={"name": uniq("shape")})
    sid = service_of(r1)["id"]
    r2 = org.api("GET", f"/api/v1/services/{sid}")
    r3 = org.api("PATCH", f"/api/v1/services/{sid}", json={"description": "d"})
    assert r3.status_code == 200, r3.text
    shapes = {frozenset(r.json()) for r in (r1, r2, r3)}
    assert len(shapes) == 1, shapes


def test_list_holds_every_service_once(org):
    ids = [org.create_service(name=f"svc {i}")["id"] for i in range(12)]
    listed = [s["id"] for s in org.services()]
    assert sorted(listed) == sorted(ids)
    for s in org.services():
        check_service_shape(s)


def test_ids_are_unique_and_opaque(org):
    ids = {org.create_service()["id"] for _ in range(5)}
    assert len(ids) == 5
    assert all(isinstance(i, str) and i for i in ids)


def test_name_counts_code_points(org):
    for name in ("é" * 100, "😀" * 100, "a" * 100, "x"):
        r = org.api("POST", "/api/v1/services", json={"name": name})
        assert r.status_code == 201, (len(name), r.text)
        assert service_of(r)["name"] == name


def test_unicode_round_trips(org):
    name = "Zahlungs-API ✓ 日本語 \"quoted\" \\ back <b>&amp;</b>"
    svc = org.create_service(name=name, description="line1\nline2\ttab \u00e9 \U0001F680",
                             group="Grüppe")
    got = org.get_service(svc["id"])
    assert got["name"] == name
    assert got["description"] == "line1\nline2\ttab \u00e9 \U0001F680"
    assert got["group"] == "Grüppe"


def test_boundaries_exactly_at_max(org):
    svc = org.create_service(name="n" * 100, description="d" * 2000, group="g" * 100)
    got = org.get_service(svc["id"])
    assert len(got["name"]) == 100
    assert len(got["description"]) == 2000
    assert len(got["group"]) == 100


BAD_CREATE = [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "n" * 101}, "name"),
    ({"name": "é" * 101}, "name"),
    ({"name": "😀" * 101}, "name"),
    ({"name": None}, "name"),
    ({"name": 42}, "name"),
    ({"name": True}, "name"),
    ({"name": ["API"]}, "name"),
    ({"name": {"x": 1}}, "name"),
    ({"name": "ok", "description": "d" * 2001}, "description"),
    ({"name": "ok", "description": 5}, "description"),
    ({"name": "ok", "description": ["d"]}, "description"),
    ({"name": "ok", "description": False}, "description"),
    ({"name": "ok", "group": "g" * 101}, "group"),
    ({"name": "ok", "group": 5}, "group"),
    ({"name": "ok", "group": {"name": "g"}}, "group"),
    ({"name": "ok", "group": True}, "group"),
    ({"name": "ok", "bogus": 1}, "bogus"),
    ({"name": "ok", "status": "major_outage"}, "status"),
    ({"name": "ok", "id": "chosen-id"}, "id"),
    ({"name": "ok", "created_at": "2020-01-01T00:00:00Z"}, "created_at"),
]


@pytest.mark.parametrize("body,field", BAD_CREATE, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD_CREATE)])
def test_create_rejects(org, body, field):
    org.create_service(name="existing")
    before = org.snapshot()
    r = org.api("POST", "/api/v1/services", json=body)
    assert_error(r, 422, "validation_failed", field=field)
    assert org.snapshot() == before


def test_duplicate_name_conflicts(org):
    org.create_service(name="Database")
    before = org.snapshot()
    r = org.api("POST", "/api/v1/services", json={"name": "Database", "description": "again"})
    assert_error(r, 409, "conflict", field="name")
    assert org.snapshot() == before


def test_concurrent_creates_with_one_name(org):
    """Uniqueness holds under a race: exactly one of 16 identical creates wins."""
    srv = org.server

    def create(_):
        with requests.Session() as sess:
            return srv.api("POST", "/api/v1/services", token=org.token,
                           json={"name": "Raced"}, session=sess)

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(create, range(16)))
    codes = sorted(r.status_code for r in results)
    assert codes == [201] + [409] * 15, codes
    for r in results:
        if r.status_code == 409:
            assert_error(r, 409, "conflict", field="name")
    assert [s["name"] for s in org.services()] == ["Raced"]


def test_patch_each_field(org):
    svc = org.create_service(name="Old", description="old desc", group="G1")

    r = org.api("PATCH", f"/api/v1/services/{svc['id']}", json={"name": "New"})
    assert r.status_code == 200, r.text
    got = service_of(r)
    check_service_shape(got)
    assert (got["name"], got["description"], got["group"]) == ("New", "old desc", "G1")
    assert got["id"] == svc["id"] and got["created_at"] == svc["created_at"]
    assert assert_time(got["updated_at"]) >= assert_time(svc["updated_at"])

    got = service_of(org.api("PATCH", f"/api/v1/services/{svc['id']}", json={"description": ""}))
    assert (got["name"], got["description"], got["group"]) == ("New", "", "G1")

    got = service_of(org.api("PATCH", f"/api/v1/services/{svc['id']}", json={"group": None}))
    assert (got["name"], got["description"], got["group"]) == ("New", "", None)

    got = service_of(org.api("PATCH", f"/api/v1/services/{svc['id']}",
                             json={"name": "Newer", "description": "d", "group": "G2"}))
    assert (got["name"], got["description"], got["group"]) == ("Newer", "d", "G2")
    assert org.get_service(svc["id"]) == got


def test_patch_name_to_itself_is_not_a_conflict(org):
    svc = org.create_service(name="Same")
    r = org.api("PATCH", f"/api/v1/services/{svc['id']}", json={"name": "Same"})
    assert r.status_code == 200, r.text


BAD_PATCH = [
    ({"name": ""}, "name"),
    ({"name": "n" * 101}, "name"),
    ({"name": None}, "name"),
    ({"name": 1}, "name"),
    ({"description": "d" * 2001}, "description"),
    ({"description": 1}, "description"),
    ({"group": "g" * 101}, "group"),
    ({"group": []}, "group"),
    ({"status": "major_outage"}, "status"),
    ({"id": "other"}, "id"),
    ({"bogus": True}, "bogus"),
    ({"name": "fine", "bogus": True}, "bogus"),
    ({"name": "fine", "description": 7}, "description"),
]


@pytest.mark.parametrize("body,field", BAD_PATCH, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD_PATCH)])
def test_patch_rejects(org, body, field):
    svc = org.create_service(name="Target", description="keep", group="G")
    before = org.snapshot()
    r = org.api("PATCH", f"/api/v1/services/{svc['id']}", json=body)
    assert_error(r, 422, "validation_failed", field=field)
    assert org.snapshot() == before


def test_patch_to_duplicate_name_conflicts(org):
    org.create_service(name="Taken")
    svc = org.create_service(name="Mine")
    before = org.snapshot()
    r = org.api("PATCH", f"/api/v1/services/{svc['id']}", json={"name": "Taken"})
    assert_error(r, 409, "conflict", field="name")
    assert org.snapshot() == before


def test_delete(org):
    keep = org.create_service(name="Keep")
    gone = org.create_service(name="Gone")
    r = org.api("DELETE", f"/api/v1/services/{gone['id']}")
    assert r.status_code == 204, r.text
    assert r.content == b""
    assert_error(org.api("GET", f"/api/v1/services/{gone['id']}"), 404, "not_found")
    assert_error(org.api("PATCH", f"/api/v1/services/{gone['id']}", json={"name": "x"}),
                 404, "not_found")
    assert_error(org.api("DELETE", f"/api/v1/services/{gone['id']}"), 404, "not_found")
    assert [s["id"] for s in org.services()] == [keep["id"]]
    # The name is free again.
    again = org.create_service(name="Gone")
    assert again["id"] != gone["id"]


def test_deleted_service_cannot_be_referenced(org):
    svc = org.create_service()
    assert org.api("DELETE", f"/api/v1/services/{svc['id']}").status_code == 204
    before = org.snapshot()
    for ref in (svc["id"], svc["name"]):
        r = org.api("POST", "/api/v1/incidents",
                    json={"title": "t", "severity": "minor", "message": "m", "services": [ref]})
        assert_error(r, 422, "validation_failed", field="services")
    assert org.snapshot() == before


# -- derived status --------------------------------------------------------------

def status_of(org, sid):
    return org.get_service(sid)["status"]


@pytest.mark.parametrize("severity,expected", [
    ("minor", "degraded_performance"),
    ("major", "partial_outage"),
    ("critical", "major_outage"),
])
def test_status_follows_severity(org, severity, expected):
    svc = org.create_service()
    other = org.create_service()
    inc = org.create_incident(severity=severity, services=[svc["id"]])
    assert status_of(org, svc["id"]) == expected
    assert status_of(org, other["id"]) == "operational"
    listed = {s["id"]: s["status"] for s in org.services()}
    assert listed[svc["id"]] == expected and listed[other["id"]] == "operational"
    org.post_update(inc["id"], "resolved", "Fixed.")
    assert status_of(org, svc["id"]) == "operational"


def test_worst_open_incident_wins(org):
    svc = org.create_service()
    minor = org.create_incident(severity="minor", services=[svc["id"]])
    assert status_of(org, svc["id"]) == "degraded_performance"
    critical = org.create_incident(severity="critical", services=[svc["name"]])
    assert status_of(org, svc["id"]) == "major_outage"
    major = org.create_incident(severity="major", services=[svc["id"]])
    assert status_of(org, svc["id"]) == "major_outage"
    org.post_update(critical["id"], "resolved")
    assert status_of(org, svc["id"]) == "partial_outage"
    org.post_update(major["id"], "monitoring")  # still open
    assert status_of(org, svc["id"]) == "partial_outage"
    org.post_update(major["id"], "resolved")
    assert status_of(org, svc["id"]) == "degraded_performance"
    org.post_update(minor["id"], "resolved")
    assert status_of(org, svc["id"]) == "operational"
    # Reopening brings the impact back.
    org.post_update(critical["id"], "investigating")
    assert status_of(org, svc["id"]) == "major_outage"


def test_status_follows_incident_patches(org):
    a = org.create_service()
    b = org.create_service()
    inc = org.create_incident(severity="minor", services=[a["id"]])
    assert (status_of(org, a["id"]), status_of(org, b["id"])) == ("degraded_performance", "operational")

    r = org.api("PATCH", f"/api/v1/incidents/{inc['id']}", json={"severity": "critical"})
    assert r.status_code == 200, r.text
    assert status_of(org, a["id"]) == "major_outage"

    r = org.api("PATCH", f"/api/v1/incidents/{inc['id']}", json={"services": [b["id"]]})
    assert r.status_code == 200, r.text
    assert (status_of(org, a["id"]), status_of(org, b["id"])) == ("operational", "major_outage")

    r = org.api("PATCH", f"/api/v1/incidents/{inc['id']}", json={"services": []})
    assert r.status_code == 200, r.text
    assert (status_of(org, a["id"]), status_of(org, b["id"])) == ("operational", "operational")


def test_drafts_never_affect_status(org):
    svc = org.create_service()
    draft = org.create_incident(severity="critical", draft=True, services=[svc["id"]])
    assert status_of(org, svc["id"]) == "operational"
    org.post_update(draft["id"], "identified")
    assert status_of(org, svc["id"]) == "operational"
    r = org.api("PATCH", f"/api/v1/incidents/{draft['id']}", json={"severity": "major"})
    assert r.status_code == 200, r.text
    assert status_of(org, svc["id"]) == "operational"
    r = org.api("POST", f"/api/v1/incidents/{draft['id']}/publish")
    assert r.status_code == 200, r.text
    assert status_of(org, svc["id"]) == "partial_outage"


def test_incident_created_resolved_has_no_impact(org):
    svc = org.create_service()
    org.create_incident(severity="critical", status="resolved", services=[svc["id"]])
    assert status_of(org, svc["id"]) == "operational"


def test_renamed_service_shows_new_name_in_incidents(org):
    svc = org.create_service(name="Before")
    inc = org.create_incident(services=[svc["id"]])
    r = org.api("PATCH", f"/api/v1/services/{svc['id']}", json={"name": "After"})
    assert r.status_code == 200
    assert org.get_incident(inc["id"])["services"] == [{"id": svc["id"], "name": "After"}]


def test_services_list_is_paged_with_cursors(org):
    made = [org.create_service(uniq(f"svc{i}"))["id"] for i in range(7)]
    seen, params, sizes = [], {"limit": 3}, []
    while True:
        r = org.api("GET", "/api/v1/services", params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        sizes.append(len(page["services"]))
        seen += [s["id"] for s in page["services"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert sizes == [3, 3, 1]
    assert seen == made  # display order: creation order by default
    for bad in ({"limit": 0}, {"limit": 501}, {"limit": "x"}):
        assert_error(org.api("GET", "/api/v1/services", params=bad),
                     422, "validation_failed", field="limit")
    assert_error(org.api("GET", "/api/v1/services", params={"cursor": "zz"}),
                 422, "validation_failed", field="cursor")
