"""Organizations and tenant isolation: no route leaks across organizations."""

import pytest

from conftest import assert_error, uniq


# -- creating organizations --------------------------------------------------------

def test_create_organization(server, admin):
    slug = uniq("acme")
    r = admin.api("POST", "/api/v1/organizations", json={"name": "Acme Inc.", "slug": slug})
    assert r.status_code == 201, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"organization", "token"}
    o = body["organization"]
    assert set(o) == {"id", "name", "slug"}
    assert isinstance(o["id"], str) and o["id"]
    assert (o["name"], o["slug"]) == ("Acme Inc.", slug)
    token = body["token"]
    assert token.startswith("kodo_") and len(token) >= 40 and token != server.token

    client = server.client(token)
    assert client.services() == []
    assert client.all_incidents() == []
    assert server.api("GET", "/api/v1/services", token=None,
                      headers={"X-API-Key": token}).status_code == 200


@pytest.mark.parametrize("slug", ["a", "0", "a-b", "z" * 63, "9-lives", "x-", "a--b"])
def test_slug_accepted(admin, slug):
    # Each literal slug is used only here, on this module's own server.
    r = admin.api("POST", "/api/v1/organizations", json={"name": "ok", "slug": slug})
    assert r.status_code == 201, (slug, r.text)
    assert r.json()["organization"]["slug"] == slug


def test_slug_of_exactly_63_then_64(admin):
    base = uniq("s").replace("-", "")
    ok = (base + "a" * 63)[:63]
    r = admin.api("POST", "/api/v1/organizations", json={"name": "ok", "slug": ok})
    assert r.status_code == 201, r.text
    r = admin.api("POST", "/api/v1/organizations", json={"name": "ok", "slug": ok + "b"})
    assert_error(r, 422, "validation_failed", field="slug")


BAD_ORGS = [
    ({"name": "ok", "slug": ""}, "slug"),
    ({"name": "ok", "slug": "-abc"}, "slug"),
    ({"name": "ok", "slug": "Abc"}, "slug"),
    ({"name": "ok", "slug": "a_b"}, "slug"),
    ({"name": "ok", "slug": "a b"}, "slug"),
    ({"name": "ok", "slug": "a.b"}, "slug"),
    ({"name": "ok", "slug": "a/b"}, "slug"),
    ({"name": "ok", "slug": "é"}, "slug"),
    ({"name": "ok", "slug": "abc\n"}, "slug"),
    ({"name": "ok", "slug": "b" * 64}, "slug"),
    ({"name": "ok", "slug": 5}, "slug"),
    ({"name": "ok", "slug": None}, "slug"),
    ({"name": "ok"}, "slug"),
    ({"slug": "fine-slug"}, "name"),
    ({"name": "", "slug": "fine-slug"}, "name"),
    ({"name": "n" * 101, "slug": "fine-slug"}, "name"),
    ({"name": None, "slug": "fine-slug"}, "name"),
    ({"name": 1, "slug": "fine-slug"}, "name"),
    ({"name": "ok", "slug": "fine-slug", "bogus": 1}, "bogus"),
    ({"name": "ok", "slug": "fine-slug", "id": "x"}, "id"),
]


@pytest.mark.parametrize("body,field", BAD_ORGS, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD_ORGS)])
def test_create_organization_rejects(admin, body, field):
    fresh = uniq("fine")
    body = {k: (fresh if v == "fine-slug" else v) for k, v in body.items()}
    r = admin.api("POST", "/api/v1/organizations", json=body)
    assert_error(r, 422, "validation_failed", field=field)
    if body.get("slug") == fresh:
        # Nothing was created: the valid slug is still free.
        r = admin.api("POST", "/api/v1/organizations", json={"name": "probe", "slug": fresh})
        assert r.status_code == 201, r.text


def test_name_of_exactly_100(admin):
    r = admin.api("POST", "/api/v1/organizations", json={"name": "ü" * 100, "slug": uniq("n100")})
    assert r.status_code == 201, r.text
    assert r.json()["organization"]["name"] == "ü" * 100


def test_duplicate_slug(admin):
    slug = uniq("dup")
    admin.create_org(slug=slug)
    r = admin.api("POST", "/api/v1/organizations", json={"name": "Other name", "slug": slug})
    assert_error(r, 409, "conflict")
    assert_error(admin.api("POST", "/api/v1/organizations",
                           json={"name": "x", "slug": "default"}), 409, "conflict")


def test_only_the_instance_owner_creates_organizations(server, admin):
    _, b = admin.create_org()
    slug = uniq("by-b")
    r = b.api("POST", "/api/v1/organizations", json={"name": "B's child", "slug": slug})
    assert_error(r, 403, "forbidden")
    r = server.api("POST", "/api/v1/organizations", token=None,
                   json={"name": "anon", "slug": slug})
    assert_error(r, 401, "unauthorized")
    # The slug was not taken by either attempt.
    admin.create_org(slug=slug)


# -- isolation -------------------------------------------------------------------------

@pytest.fixture
def two_orgs(admin):
    """Two fresh organizations, each with a service, a published incident and a draft."""
    _, a = admin.create_org()
    _, b = admin.create_org()
    world = {}
    for name, c in (("a", a), ("b", b)):
        svc = c.create_service(name="Shared name", description=f"{name}'s")
        own = c.create_service(name=f"Only in {name}")
        inc = c.create_incident(title=f"{name} incident", severity="critical",
                                services=[svc["id"], own["id"]])
        draft = c.create_incident(title=f"{name} draft", draft=True, services=[svc["id"]])
        world[name] = {"client": c, "svc": svc, "own": own, "inc": inc, "draft": draft}
    return world


def id_routes(w):
    s, i, d = w["svc"]["id"], w["inc"]["id"], w["draft"]["id"]
    return [
        ("GET", f"/api/v1/services/{s}", None),
        ("PATCH", f"/api/v1/services/{s}", {"name": "hijacked"}),
        ("DELETE", f"/api/v1/services/{s}", None),
        ("GET", f"/api/v1/incidents/{i}", None),
        ("PATCH", f"/api/v1/incidents/{i}", {"title": "hijacked"}),
        ("DELETE", f"/api/v1/incidents/{i}", None),
        ("POST", f"/api/v1/incidents/{i}/updates", {"status": "resolved", "message": "hijacked"}),
        ("POST", f"/api/v1/incidents/{i}/publish", None),
        ("GET", f"/api/v1/incidents/{d}", None),
        ("PATCH", f"/api/v1/incidents/{d}", {"retrospective": "hijacked"}),
        ("DELETE", f"/api/v1/incidents/{d}", None),
        ("POST", f"/api/v1/incidents/{d}/updates", {"status": "resolved", "message": "hijacked"}),
        ("POST", f"/api/v1/incidents/{d}/publish", None),
    ]


@pytest.mark.parametrize("owner,intruder", [("a", "b"), ("b", "a")])
def test_other_orgs_ids_are_404(two_orgs, owner, intruder):
    victim = two_orgs[owner]["client"]
    attacker = two_orgs[intruder]["client"]
    before_v = victim.snapshot()
    before_a = attacker.snapshot()
    for method, path, body in id_routes(two_orgs[owner]):
        r = attacker.api(method, path, json=body)
        assert_error(r, 404, "not_found")
    assert victim.snapshot() == before_v
    assert attacker.snapshot() == before_a


@pytest.mark.parametrize("owner,intruder", [("a", "b"), ("b", "a")])
def test_lists_show_only_own_objects(two_orgs, owner, intruder):
    mine = two_orgs[intruder]
    theirs = two_orgs[owner]
    c = mine["client"]
    assert {s["id"] for s in c.services()} == {mine["svc"]["id"], mine["own"]["id"]}
    for params in ({}, {"state": "all"}, {"state": "active"}, {"draft": "true"},
                   {"draft": "false"}, {"source": "api"}):
        ids = {i["id"] for i in c.all_incidents(**params)}
        assert not ids & {theirs["inc"]["id"], theirs["draft"]["id"]}, params
    assert {i["id"] for i in c.all_incidents()} == {mine["inc"]["id"], mine["draft"]["id"]}


@pytest.mark.parametrize("owner,intruder", [("a", "b"), ("b", "a")])
def test_cannot_reference_other_orgs_services(two_orgs, owner, intruder):
    theirs = two_orgs[owner]
    c = two_orgs[intruder]["client"]
    mine_inc = two_orgs[intruder]["inc"]
    before = c.snapshot()
    before_theirs = theirs["client"].snapshot()
    for ref in (theirs["own"]["id"], theirs["own"]["name"], theirs["svc"]["id"]):
        r = c.api("POST", "/api/v1/incidents",
                  json={"title": "t", "severity": "critical", "message": "m", "services": [ref]})
        assert_error(r, 422, "validation_failed", field="services")
        r = c.api("PATCH", f"/api/v1/incidents/{mine_inc['id']}", json={"services": [ref]})
        assert_error(r, 422, "validation_failed", field="services")
    assert c.snapshot() == before
    assert theirs["client"].snapshot() == before_theirs


def test_same_name_resolves_within_own_org(two_orgs):
    a, b = two_orgs["a"], two_orgs["b"]
    inc = b["client"].create_incident(severity="minor", services=["Shared name"])
    assert inc["services"] == [{"id": b["svc"]["id"], "name": "Shared name"}]
    # A's service with the same name is untouched.
    assert a["client"].get_service(a["svc"]["id"])["status"] == "major_outage"
    assert b["client"].get_service(b["svc"]["id"])["status"] == "major_outage"


def test_status_derivation_does_not_cross(two_orgs):
    a, b = two_orgs["a"], two_orgs["b"]
    a["client"].post_update(a["inc"]["id"], "resolved", "done")
    assert a["client"].get_service(a["svc"]["id"])["status"] == "operational"
    assert b["client"].get_service(b["svc"]["id"])["status"] == "major_outage"


def test_duplicate_service_names_only_within_an_org(two_orgs):
    a, b = two_orgs["a"], two_orgs["b"]
    r = a["client"].api("POST", "/api/v1/services", json={"name": "Only in b"})
    assert r.status_code == 201, r.text
    r = b["client"].api("POST", "/api/v1/services", json={"name": "Only in b"})
    assert_error(r, 409, "conflict", field="name")


def test_settings_are_isolated(two_orgs, admin):
    a, b = two_orgs["a"]["client"], two_orgs["b"]["client"]
    r = a.api("PATCH", "/api/v1/settings/automation", json={"draft_mode": True, "cooldown_s": 7})
    assert r.status_code == 200, r.text
    assert b.settings()["draft_mode"] is False
    assert b.settings()["cooldown_s"] == 900
    assert admin.settings()["cooldown_s"] == 900


def test_default_org_sees_nothing_of_others(admin, two_orgs):
    ids = {s["id"] for s in admin.services()}
    for w in two_orgs.values():
        assert w["svc"]["id"] not in ids and w["own"]["id"] not in ids
        assert_error(admin.api("GET", f"/api/v1/incidents/{w['inc']['id']}"), 404, "not_found")
    inc_ids = {i["id"] for i in admin.all_incidents()}
    for w in two_orgs.values():
        assert w["inc"]["id"] not in inc_ids and w["draft"]["id"] not in inc_ids
