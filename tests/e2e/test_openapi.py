"""docs/openapi.yaml against the server: the documented routes are exactly
the routes of src/http/router.c's table, and the documented objects have
exactly the fields the running server sends.

Only the `routes` array of router.c is compared (the /api/v1 API and
/healthz); other modules' tables, such as the public status page's, are
not part of this file's promise yet.
"""

import re

import pytest
import yaml

from conftest import REPO_ROOT

OPENAPI = REPO_ROOT / "docs" / "openapi.yaml"
ROUTER = REPO_ROOT / "src" / "http" / "router.c"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def load_spec():
    with open(OPENAPI, encoding="utf-8") as f:
        return yaml.safe_load(f)


def router_routes():
    """{(METHOD, pattern)} of the `routes` array in router.c, `{}` → `{id}`."""
    source = ROUTER.read_text(encoding="utf-8")
    table = re.search(r"static\s+const\s+struct\s+route\s+routes\[\]\s*=\s*\{(.*?)\n\};",
                      source, re.S)
    assert table, "no `static const struct route routes[] = {...};` in router.c"
    entries = re.findall(r'\{\s*"([A-Z]+)"\s*,\s*"([^"]+)"', table.group(1))
    assert entries, "the route table in router.c parsed as empty"
    return {(method, pattern.replace("{}", "{id}")) for method, pattern in entries}


def spec_routes(spec):
    return {(method.upper(), path)
            for path, item in spec["paths"].items()
            for method in item if method in HTTP_METHODS}


def test_openapi_lists_exactly_the_router_routes():
    spec = load_spec()
    assert spec["openapi"] == "3.0.3"
    served, documented = router_routes(), spec_routes(spec)
    undocumented = sorted(served - documented)
    not_served = sorted(documented - served)
    assert not undocumented and not not_served, (
        f"routes in router.c missing from docs/openapi.yaml: {undocumented}; "
        f"routes in docs/openapi.yaml that router.c does not serve: {not_served}")


def test_openapi_is_self_consistent():
    spec = load_spec()
    for name in ("Service", "Incident", "Update", "Automation", "Organization", "Error"):
        assert name in spec["components"]["schemas"], f"schema {name} missing"
    text = OPENAPI.read_text(encoding="utf-8")
    for ref in set(re.findall(r'\$ref:\s*"#/([^"]+)"', text)):
        node = spec
        for part in ref.split("/"):
            assert isinstance(node, dict) and part in node, f"dangling $ref #/{ref}"
            node = node[part]
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            assert op.get("responses"), f"{method} {path} documents no response"
            params = item.get("parameters", []) + op.get("parameters", [])
            names = {resolve(spec, p)["name"] for p in params
                     if resolve(spec, p)["in"] == "path"}
            assert names == set(re.findall(r"\{([^}]+)\}", path)), \
                f"{method} {path}: path parameters {names} do not match the template"


def resolve(spec, node):
    while "$ref" in node:
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


def schema_fields(spec, name):
    schema = spec["components"]["schemas"][name]
    props = set(schema["properties"])
    assert set(schema.get("required", [])) == props, \
        f"{name}: the server always sends every field, so all must be required"
    return props


@pytest.fixture(scope="module")
def spec():
    return load_spec()


def test_documented_objects_match_the_server(admin, spec):
    svc = admin.create_service()
    incident = admin.create_incident(services=[svc["id"]])
    reply = admin.post_update(incident["id"], "identified")
    body, _ = admin.create_org()

    assert set(svc) == schema_fields(spec, "Service")
    assert set(reply["incident"]) == schema_fields(spec, "Incident")
    assert set(reply["update"]) == schema_fields(spec, "Update")
    assert set(body["organization"]) == schema_fields(spec, "Organization")
    assert set(body) == set(spec["components"]["schemas"]["OrganizationCreated"]["properties"])
    assert set(admin.settings()) == schema_fields(spec, "Automation")

    r = admin.api("POST", "/api/v1/services", json={"name": svc["name"], "colour": "red"})
    assert r.status_code == 422
    error_schema = spec["components"]["schemas"]["Error"]["properties"]["error"]
    err = r.json()["error"]
    assert set(r.json()) == {"error"}
    assert set(error_schema["required"]) <= set(err) <= set(error_schema["properties"])
    assert err["code"] in error_schema["properties"]["code"]["enum"]
    assert err["field"] == "colour"
