"""Shared helpers of the public status page tests (tests/e2e/test_status_*.py).

Public routes need no token; `public()` sends none.  Every public route of an
organization is listed here once, so that the draft and tenancy tests can
walk all of them.
"""

import gzip
import html.parser

import requests

from conftest import HTTP_TIMEOUT_S, uniq

# What follows "" (default organization) or "/status/{slug}".
PAGE_SUFFIXES = ["", "/"]
JSON_SUFFIXES = [
    "/api/v2/summary.json",
    "/api/v2/status.json",
    "/api/v2/components.json",
    "/api/v2/incidents.json",
    "/api/v2/incidents/unresolved.json",
]
FEED_SUFFIXES = ["/history.atom", "/history.rss"]
ALL_SUFFIXES = PAGE_SUFFIXES + JSON_SUFFIXES + FEED_SUFFIXES


def base_of(slug):
    """The path prefix of an organization's page ("" for the root)."""
    return "" if slug is None else f"/status/{slug}"


def page_path(slug):
    return "/" if slug is None else f"/status/{slug}"


def public(server, path, headers=None, method="GET"):
    """A request with no credentials, on a fresh connection."""
    hdrs = {"Accept-Encoding": "identity"}
    if headers:
        hdrs.update(headers)
    return requests.request(method, server.url + path, headers=hdrs,
                            timeout=HTTP_TIMEOUT_S)


def public_raw(server, path, headers=None):
    """(response, undecoded body bytes): for checking gzip on the wire."""
    r = requests.get(server.url + path, headers=headers or {}, stream=True,
                     timeout=HTTP_TIMEOUT_S)
    raw = r.raw.read(decode_content=False)
    r.close()
    return r, raw


def new_page(admin, name=None):
    """A fresh organization: (client, slug)."""
    slug = uniq("pg")
    body, client = admin.create_org(name=name or f"Org {slug}", slug=slug)
    return client, body["organization"]["slug"]


def route_paths(slug, incident_ids=()):
    """Every public path of one organization (slug None: the root)."""
    base = base_of(slug)
    paths = [page_path(slug)] + [base + s for s in ALL_SUFFIXES if s]
    paths += [f"{base}/incidents/{i}" for i in incident_ids]
    return paths


def all_bodies(server, slug, incident_ids=()):
    """Every public response of an organization, as text: identity and gzip
    (decompressed here), plus HEAD.  {path + variant: (status, text)}."""
    out = {}
    for path in route_paths(slug, incident_ids):
        r = public(server, path)
        out[path] = (r.status_code, r.text)
        rr, raw = public_raw(server, path, {"Accept-Encoding": "gzip"})
        if rr.headers.get("Content-Encoding") == "gzip":
            text = gzip.decompress(raw).decode("utf-8")
        else:
            text = raw.decode("utf-8")
        out[path + " (gzip)"] = (rr.status_code, text)
        h = public(server, path, method="HEAD")
        out[path + " (HEAD)"] = (h.status_code, h.text)
    return out


class Tags(html.parser.HTMLParser):
    """Every start tag of a document with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def tags_of(text):
    p = Tags()
    p.feed(text)
    p.close()
    return p.tags


def assert_inert(text):
    """No markup can run: scripts only our own file, no on* attributes, no
    javascript:/data: URLs, no raw <img>/<iframe>/<object> from users."""
    for tag, attrs in tags_of(text):
        if tag == "script":
            assert set(attrs) == {"src", "defer"}, attrs
            assert attrs["src"].startswith("/assets/status.js"), attrs
        assert tag not in ("iframe", "object", "embed", "form", "svg", "math"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, attrs)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                v = (value or "").strip().lower()
                assert not v.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
        if tag == "img":
            assert "logo" in attrs.get("class", ""), (tag, attrs)
