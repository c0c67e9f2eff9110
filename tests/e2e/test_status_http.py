"""HTTP behavior of the public routes: ETag and 304, Cache-Control, gzip when
accepted (and only then), CORS on JSON and feeds, HEAD, no auth needed."""

import gzip

import pytest

from status_helpers import (ALL_SUFFIXES, FEED_SUFFIXES, JSON_SUFFIXES, new_page, public,
                            public_raw)


def paths(slug):
    return [f"/status/{slug}{s}" for s in ALL_SUFFIXES]


@pytest.fixture
def page(admin):
    client, slug = new_page(admin)
    svc = client.create_service("API")
    inc = client.create_incident(severity="major", services=[svc["id"]],
                                 message="A message long enough to be worth compressing. " * 10)
    return client, slug, inc


def test_etag_and_304_on_every_route(admin, page):
    client, slug, inc = page
    for path in paths(slug) + [f"/status/{slug}/incidents/{inc['id']}"]:
        r = public(admin.server, path)
        assert r.status_code == 200, path
        etag = r.headers["ETag"]
        assert etag.startswith('"') and etag.endswith('"'), etag
        cc = r.headers["Cache-Control"]
        assert cc.startswith("public") and "max-age=" in cc
        assert 0 < int(cc.split("max-age=")[1].split(",")[0]) <= 30
        r2 = public(admin.server, path, {"If-None-Match": etag})
        assert r2.status_code == 304, path
        assert r2.content == b""
        assert r2.headers["ETag"] == etag
        # Weak comparison, lists and * also match; another tag does not.
        for inm in (f"W/{etag}", f'"nope", {etag}', "*"):
            assert public(admin.server, path, {"If-None-Match": inm}).status_code == 304
        assert public(admin.server, path, {"If-None-Match": '"nope"'}).status_code == 200


def test_etag_changes_with_the_data(admin, page):
    client, slug, inc = page
    before = {p: public(admin.server, p).headers["ETag"] for p in paths(slug)}
    client.post_update(inc["id"], "identified", "Something new.")
    for p in paths(slug):
        if p.endswith(("/components.json", "/status.json")):
            continue  # the update does not change these documents
        r = public(admin.server, p, {"If-None-Match": before[p]})
        assert r.status_code == 200, p
        assert r.headers["ETag"] != before[p]


def test_gzip_only_when_accepted(admin, page):
    _, slug, _ = page
    for path in paths(slug):
        plain = public(admin.server, path)
        assert "Content-Encoding" not in plain.headers
        r, raw = public_raw(admin.server, path, {"Accept-Encoding": "gzip, deflate"})
        assert r.headers["Content-Encoding"] == "gzip", path
        assert r.headers["Vary"] == "Accept-Encoding"
        assert gzip.decompress(raw) == plain.content
        assert len(raw) < len(plain.content)
        assert r.headers["ETag"] != plain.headers["ETag"]
        # 304 works for the gzip representation too.
        r2, _ = public_raw(admin.server, path, {"Accept-Encoding": "gzip",
                                                "If-None-Match": r.headers["ETag"]})
        assert r2.status_code == 304
        for refuse in ("gzip;q=0", "identity", "br", "gzip;q=0, *;q=1"):
            r3, raw3 = public_raw(admin.server, path, {"Accept-Encoding": refuse})
            assert "Content-Encoding" not in r3.headers, (path, refuse)
            assert raw3 == plain.content
        r4, raw4 = public_raw(admin.server, path, {"Accept-Encoding": "*"})
        assert r4.headers.get("Content-Encoding") == "gzip"


def test_cors_on_json_and_feeds(admin, page):
    _, slug, _ = page
    for suffix in JSON_SUFFIXES + FEED_SUFFIXES:
        r = public(admin.server, f"/status/{slug}{suffix}",
                   {"Origin": "https://widget.example"})
        assert r.headers["Access-Control-Allow-Origin"] == "*", suffix
    for suffix in JSON_SUFFIXES + FEED_SUFFIXES:
        assert public(admin.server, suffix).headers["Access-Control-Allow-Origin"] == "*"


def test_head_has_headers_and_no_body(admin, page):
    _, slug, _ = page
    for path in paths(slug):
        g = public(admin.server, path)
        h = public(admin.server, path, method="HEAD")
        assert h.status_code == 200 and h.content == b""
        assert h.headers["ETag"] == g.headers["ETag"]
        assert h.headers["Content-Type"] == g.headers["Content-Type"]


def test_public_routes_need_no_token_and_refuse_writes(admin, page):
    _, slug, _ = page
    for path in paths(slug):
        assert public(admin.server, path).status_code == 200
        r = public(admin.server, path, method="POST")
        assert r.status_code == 405, path
        assert "GET" in r.headers["Allow"]


def test_many_requests_share_one_rendering(admin, page):
    """Repeated views return the identical bytes (served from memory)."""
    _, slug, _ = page
    first = public(admin.server, f"/status/{slug}")
    for _ in range(20):
        r = public(admin.server, f"/status/{slug}")
        assert r.content == first.content and r.headers["ETag"] == first.headers["ETag"]
