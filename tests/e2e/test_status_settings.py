"""Settings > Status page: GET|PATCH /api/v1/settings/status-page — defaults,
partial PATCH, strict validation naming the field, atomicity, auth."""

import pytest

from conftest import assert_error
from status_helpers import new_page, public

PATH = "/api/v1/settings/status-page"
DEFAULT_ACCENT = "#1f5fbf"


def get(client):
    r = client.api("GET", PATH)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    return r.json()


def patch(client, body):
    r = client.api("PATCH", PATH, json=body)
    assert r.status_code == 200, r.text
    return r.json()


def test_defaults_follow_the_organization(admin):
    client, _ = new_page(admin, name="Default Name Co")
    assert get(client) == {"status_page": {"name": "Default Name Co", "logo_url": None,
                                           "accent_color": DEFAULT_ACCENT}}


def test_partial_patch_and_reset(admin):
    client, slug = new_page(admin, name="Patch Co")
    body = patch(client, {"accent_color": "#00AA11"})
    assert body == {"status_page": {"name": "Patch Co", "logo_url": None,
                                    "accent_color": "#00aa11"}}
    body = patch(client, {"name": "Patch Status", "logo_url": "http://cdn.patch.test/x.svg"})
    assert body["status_page"] == {"name": "Patch Status",
                                   "logo_url": "http://cdn.patch.test/x.svg",
                                   "accent_color": "#00aa11"}
    assert get(client) == body
    assert public(admin.server, f"/status/{slug}/api/v2/summary.json").json()["page"]["name"] \
        == "Patch Status"
    # null goes back to the defaults; {} changes nothing.
    assert patch(client, {}) == body
    body = patch(client, {"name": None, "logo_url": None, "accent_color": None})
    assert body["status_page"] == {"name": "Patch Co", "logo_url": None,
                                   "accent_color": DEFAULT_ACCENT}


BAD = [
    ({"name": ""}, "name"),
    ({"name": "n" * 101}, "name"),
    ({"name": "two\nlines"}, "name"),
    ({"name": 5}, "name"),
    ({"logo_url": "javascript:alert(1)"}, "logo_url"),
    ({"logo_url": "ftp://x.test/l.png"}, "logo_url"),
    ({"logo_url": "/logo.png"}, "logo_url"),
    ({"logo_url": "https://"}, "logo_url"),
    ({"logo_url": "https://x.test/a b.png"}, "logo_url"),
    ({"logo_url": "https://x.test/\"onerror=\"alert(1)"}, "logo_url"),
    ({"logo_url": "data:image/png;base64,AAAA"}, "logo_url"),
    ({"logo_url": "https://x.test/" + "a" * 2000}, "logo_url"),
    ({"logo_url": 1}, "logo_url"),
    ({"accent_color": "red"}, "accent_color"),
    ({"accent_color": "#abc"}, "accent_color"),
    ({"accent_color": "#abcdeg"}, "accent_color"),
    ({"accent_color": "abcdef"}, "accent_color"),
    ({"accent_color": "#abcdef;"}, "accent_color"),
    ({"accent_color": ["#abcdef"]}, "accent_color"),
    ({"bogus": 1}, "bogus"),
    ({"name": "ok", "theme": "dark"}, "theme"),
]


@pytest.mark.parametrize("body,field", BAD, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD)])
def test_rejects_with_the_field_named(org, body, field):
    before = get(org)
    r = org.api("PATCH", PATH, json=body)
    assert_error(r, 422, "validation_failed", field=field)
    assert get(org) == before


def test_invalid_patch_changes_nothing(org):
    before = get(org)
    r = org.api("PATCH", PATH, json={"name": "Would change", "accent_color": "nope"})
    assert_error(r, 422, "validation_failed", field="accent_color")
    assert get(org) == before


def test_needs_a_token_and_json(server, org):
    r = server.api("GET", PATH, token=None)
    assert r.status_code == 401
    r = server.api("PATCH", PATH, token=None, json={"name": "x"})
    assert r.status_code == 401
    r = org.api("PATCH", PATH, data="name=x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    r = org.api("PATCH", PATH, data="{", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    r = org.api("POST", PATH, json={})
    assert r.status_code == 405


def test_settings_are_per_organization(admin):
    a, _ = new_page(admin, name="A Co")
    b, _ = new_page(admin, name="B Co")
    patch(a, {"name": "Only A", "accent_color": "#123456"})
    assert get(b)["status_page"] == {"name": "B Co", "logo_url": None,
                                     "accent_color": DEFAULT_ACCENT}
