"""Statuspage v2-compatible JSON: every endpoint's shape against a fixture of
the fields Atlassian documents for its public API (so existing Statuspage
clients can read Kodo), and the values Kodo puts in them."""

import datetime as dt
import re

import pytest

from status_helpers import JSON_SUFFIXES, base_of, new_page, public

# -- the fixture: Statuspage's documented public API v2 fields ------------------------

STATUSPAGE_V2 = {
    "page": {"id": str, "name": str, "url": str, "time_zone": str, "updated_at": str},
    "status": {"indicator": str, "description": str},
    "component": {
        "id": str, "name": str, "status": str, "created_at": str, "updated_at": str,
        "position": int, "description": (str, type(None)), "showcase": bool,
        "start_date": (str, type(None)), "group_id": (str, type(None)), "page_id": str,
        "group": bool, "only_show_if_degraded": bool,
    },
    # A group component also lists its children's ids.
    "group_extra": {"components": list},
    "incident": {
        "id": str, "name": str, "status": str, "created_at": str, "updated_at": str,
        "monitoring_at": (str, type(None)), "resolved_at": (str, type(None)),
        "impact": str, "shortlink": str, "started_at": str, "page_id": str,
        "incident_updates": list, "components": list,
    },
    "incident_update": {
        "id": str, "status": str, "body": str, "incident_id": str, "created_at": str,
        "updated_at": str, "display_at": str, "affected_components": (list, type(None)),
        "deliver_notifications": bool, "custom_tweet": (str, type(None)),
        "tweet_id": (str, type(None)),
    },
    "documents": {
        "summary.json": {"page", "components", "incidents", "scheduled_maintenances", "status"},
        "status.json": {"page", "status"},
        "components.json": {"page", "components"},
        "incidents.json": {"page", "incidents"},
        "incidents/unresolved.json": {"page", "incidents"},
    },
}
INDICATORS = {"none", "minor", "major", "critical", "maintenance"}
COMPONENT_STATUSES = {"operational", "degraded_performance", "partial_outage",
                      "major_outage", "under_maintenance"}
INCIDENT_STATUSES = {"investigating", "identified", "monitoring", "resolved", "postmortem"}
IMPACTS = {"none", "minor", "major", "critical"}
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def check_fields(obj, spec, extra=()):
    assert isinstance(obj, dict), obj
    assert set(obj) == set(spec) | set(extra), (sorted(set(obj) ^ set(spec)), obj)
    for key, typ in spec.items():
        value = obj[key]
        # bool is an int in Python: keep ints and bools apart.
        if typ is int:
            assert type(value) is int, (key, value)
        else:
            assert isinstance(value, typ), (key, value)
        if key.endswith("_at") and value is not None:
            assert ISO.match(value), (key, value)
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def check_page(page):
    check_fields(page, STATUSPAGE_V2["page"])


def check_status(status):
    check_fields(status, STATUSPAGE_V2["status"])
    assert status["indicator"] in INDICATORS


def check_component(c):
    extra = STATUSPAGE_V2["group_extra"] if c.get("group") else {}
    check_fields(c, STATUSPAGE_V2["component"], extra)
    assert c["status"] in COMPONENT_STATUSES
    if c["start_date"] is not None:
        dt.date.fromisoformat(c["start_date"])
    if c["group"]:
        assert all(isinstance(i, str) for i in c["components"])


def check_incident(inc):
    check_fields(inc, STATUSPAGE_V2["incident"])
    assert inc["status"] in INCIDENT_STATUSES and inc["impact"] in IMPACTS
    for u in inc["incident_updates"]:
        check_fields(u, STATUSPAGE_V2["incident_update"])
        assert u["incident_id"] == inc["id"] and u["status"] in INCIDENT_STATUSES
    for c in inc["components"]:
        check_component(c)


def get_doc(server, slug, name):
    r = public(server, f"{base_of(slug)}/api/v2/{name}")
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    doc = r.json()
    assert set(doc) == STATUSPAGE_V2["documents"][name], doc.keys()
    check_page(doc["page"])
    for c in doc.get("components", []):
        check_component(c)
    for inc in doc.get("incidents", []):
        check_incident(inc)
    if "status" in doc:
        check_status(doc["status"])
    return doc


@pytest.fixture
def populated(admin):
    """An org with a group, an open major incident and a resolved one."""
    client, slug = new_page(admin, name="Shape Co")
    api = client.create_service("API", group="Core", description="REST")
    db = client.create_service("DB", group="Core")
    web = client.create_service("Web")
    old = client.create_incident(title="Old blip", severity="minor", services=[web["id"]])
    client.post_update(old["id"], "monitoring", "Watching.")
    client.post_update(old["id"], "resolved", "Done.")
    open_ = client.create_incident(title="API errors", severity="major",
                                   services=[api["id"]], message="Investigating **now**.")
    client.post_update(open_["id"], "identified", "Found it.")
    return client, slug, {"api": api, "db": db, "web": web, "old": old, "open": open_}


@pytest.mark.parametrize("name", sorted(STATUSPAGE_V2["documents"]))
def test_every_document_matches_statuspage_fields(admin, populated, name):
    _, slug, _ = populated
    get_doc(admin.server, slug, name)


@pytest.mark.parametrize("name", sorted(STATUSPAGE_V2["documents"]))
def test_every_document_on_the_root_too(server, name):
    get_doc(server, None, name)


def test_summary_values(admin, populated):
    client, slug, x = populated
    doc = get_doc(admin.server, slug, "summary.json")
    assert doc["page"]["name"] == "Shape Co"
    assert doc["page"]["url"] == f"/status/{slug}"
    assert doc["page"]["time_zone"] == "Etc/UTC"
    assert doc["status"] == {"indicator": "major", "description": "Partial System Outage"}
    assert doc["scheduled_maintenances"] == []

    comps = doc["components"]
    assert [c["position"] for c in comps] == list(range(1, len(comps) + 1))
    group = comps[0]
    assert group["group"] is True and group["name"] == "Core"
    assert group["components"] == [x["api"]["id"], x["db"]["id"]]
    assert group["status"] == "partial_outage"  # worst of its children
    by_id = {c["id"]: c for c in comps}
    api = by_id[x["api"]["id"]]
    assert api["group_id"] == group["id"] and api["status"] == "partial_outage"
    assert api["description"] == "REST" and api["page_id"] == doc["page"]["id"]
    assert by_id[x["db"]["id"]]["status"] == "operational"
    web = by_id[x["web"]["id"]]
    assert web["group_id"] is None and web["description"] is None
    assert web["status"] == "operational"

    # summary.json lists unresolved incidents only.
    assert [i["id"] for i in doc["incidents"]] == [x["open"]["id"]]
    inc = doc["incidents"][0]
    assert inc["name"] == "API errors" and inc["impact"] == "major"
    assert inc["status"] == "identified" and inc["resolved_at"] is None
    assert inc["shortlink"] == f"/status/{slug}/incidents/{x['open']['id']}"
    assert [u["body"] for u in inc["incident_updates"]] == ["Found it.", "Investigating **now**."]
    assert [c["id"] for c in inc["components"]] == [x["api"]["id"]]


def test_incidents_and_unresolved(admin, populated):
    _, slug, x = populated
    doc = get_doc(admin.server, slug, "incidents.json")
    assert [i["id"] for i in doc["incidents"]] == [x["open"]["id"], x["old"]["id"]]
    old = doc["incidents"][1]
    assert old["status"] == "resolved" and old["resolved_at"] is not None
    assert old["monitoring_at"] is not None and old["impact"] == "minor"
    assert [u["status"] for u in old["incident_updates"]] == ["resolved", "monitoring",
                                                               "investigating"]
    un = get_doc(admin.server, slug, "incidents/unresolved.json")
    assert [i["id"] for i in un["incidents"]] == [x["open"]["id"]]


def test_status_indicator_follows_the_worst_incident(admin):
    client, slug = new_page(admin)
    assert get_doc(admin.server, slug, "status.json")["status"] == {
        "indicator": "none", "description": "All Systems Operational"}
    minor = client.create_incident(severity="minor")
    assert get_doc(admin.server, slug, "status.json")["status"]["indicator"] == "minor"
    crit = client.create_incident(severity="critical")
    assert get_doc(admin.server, slug, "status.json")["status"]["indicator"] == "critical"
    client.post_update(crit["id"], "resolved", "ok")
    client.post_update(minor["id"], "resolved", "ok")
    assert get_doc(admin.server, slug, "status.json")["status"]["indicator"] == "none"


def test_incidents_json_keeps_the_50_most_recent(admin):
    client, slug = new_page(admin)
    ids = [client.create_incident(title=f"n{i}")["id"] for i in range(53)]
    doc = get_doc(admin.server, slug, "incidents.json")
    assert [i["id"] for i in doc["incidents"]] == list(reversed(ids))[:50]


def test_components_json_empty_org(admin):
    _, slug = new_page(admin)
    doc = get_doc(admin.server, slug, "components.json")
    assert doc["components"] == []


@pytest.mark.parametrize("suffix", JSON_SUFFIXES)
def test_json_is_compact_utf8(admin, populated, suffix):
    _, slug, _ = populated
    r = public(admin.server, f"/status/{slug}{suffix}")
    r.content.decode("utf-8")
    assert r.json()
