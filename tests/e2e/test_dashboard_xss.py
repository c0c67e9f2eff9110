"""Every dashboard page escapes user text: names, titles, messages,
retrospectives, groups, monitor fields, token and user names, page
settings, and what the sign-in form echoes back. Markdown keeps only safe
links."""

import re

import pytest

from conftest import uniq
from dashboard_helpers import Dash, signed_in

# Each would run script or add an element if it reached the page raw.
PAYLOAD = "<script>window.__x=1</script>\"'><img src=x onerror=alert(1)>"
RAW = ("<script>window.__x", "<img src=x", "\"'><img")
ESCAPED = "&lt;script&gt;window.__x=1&lt;/script&gt;"


def assert_inert(page, where):
    for raw in RAW:
        assert raw not in page, f"{where}: raw {raw!r} in page"
    # Only the page's own script tag, in the head.
    assert len(re.findall(r"<script", page)) == 1, where
    assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", ""), where


@pytest.fixture(scope="module")
def seeded(server, admin):
    d = signed_in(server)
    tag = uniq("x")
    svc = admin.create_service(name=f"{tag} {PAYLOAD}"[:100],
                               description=PAYLOAD, group=f"G {PAYLOAD}"[:100])
    inc = admin.create_incident(title=f"{tag} {PAYLOAD}", services=[svc["id"]],
                                message=PAYLOAD + "\n\n[click](javascript:alert(1)) "
                                        "<a href=\"javascript:alert(2)\">x</a>")
    admin.post_update(inc["id"], "resolved", PAYLOAD)
    r = admin.api("PATCH", f"/api/v1/incidents/{inc['id']}", json={"retrospective": PAYLOAD})
    assert r.status_code == 200
    draft = admin.create_incident(title=f"draft {PAYLOAD}", draft=True)
    r = admin.api("POST", "/api/v1/monitors", json={
        "name": f"{tag} {PAYLOAD}"[:100], "type": "http", "url": "http://127.0.0.1:9/?q=%3Cscript%3E",
        "keyword": PAYLOAD, "headers": {"X-Test": PAYLOAD}, "interval_s": 3600,
        "services": [svc["id"]]})
    assert r.status_code == 201, r.text
    mon = r.json()["monitor"]
    assert d.post("/dashboard/settings/tokens", {"name": PAYLOAD[:100], "role": "viewer"}).status_code == 201
    d.create_user(name=f"u {PAYLOAD}".replace("@", "")[:100], role="viewer", password="pass-word-1")
    r = admin.api("PATCH", "/api/v1/settings/status-page", json={"name": f"Page {PAYLOAD}"})
    assert r.status_code == 200
    return {"d": d, "svc": svc["id"], "inc": inc["id"], "draft": draft["id"], "mon": mon["id"]}


def test_every_page_escapes_user_text(server, seeded):
    d = seeded["d"]
    pages = ["/dashboard/incidents", "/dashboard/incidents?state=all",
             "/dashboard/incidents?state=drafts", "/dashboard/incidents?state=resolved",
             f"/dashboard/incidents/{seeded['inc']}", f"/dashboard/incidents/{seeded['draft']}",
             f"/dashboard/incidents/{seeded['draft']}/discard", "/dashboard/incidents/new",
             "/dashboard/services", f"/dashboard/services/{seeded['svc']}",
             f"/dashboard/services/{seeded['svc']}/delete", "/dashboard/monitors",
             f"/dashboard/monitors/{seeded['mon']}", f"/dashboard/monitors/{seeded['mon']}/delete",
             "/dashboard/team", "/dashboard/settings/tokens", "/dashboard/settings/status-page",
             "/dashboard/settings/automation", "/dashboard/account",
             "/dashboard/settings/organizations"]
    shown = 0
    for path in pages:
        page = d.page(path)
        assert_inert(page, path)
        shown += ESCAPED in page
    assert shown >= 12, shown  # the payload really was on the pages, escaped


def test_markdown_links_are_safe(server, seeded):
    page = seeded["d"].page(f"/dashboard/incidents/{seeded['inc']}")
    assert 'href="javascript' not in page and "href='javascript" not in page
    # The link keeps its words; raw HTML is shown as text.
    assert "<p>click &lt;a href=&quot;javascript:alert(2)&quot;&gt;x&lt;/a&gt;" in page


def test_what_forms_echo_back_is_escaped(server, seeded):
    d = seeded["d"]
    # A rejected form shows what was typed, escaped.
    r = d.post("/dashboard/incidents", {"title": PAYLOAD, "severity": "bogus", "message": PAYLOAD})
    assert r.status_code == 422
    assert_inert(r.text, "create incident error")
    assert ESCAPED in r.text
    r = d.post("/dashboard/services", {"name": PAYLOAD * 3})
    assert r.status_code == 422
    assert_inert(r.text, "service error")
    # The sign-in form keeps the login name, escaped.
    r = Dash(server).login(PAYLOAD, "wrong", expect=401)
    assert_inert(r.text, "login")
    assert "&lt;script&gt;" in r.text
    # Unknown flash keys and filters are not reflected.
    page = d.page("/dashboard/incidents?done=" + PAYLOAD + "&state=" + PAYLOAD + "&source=" + PAYLOAD)
    assert_inert(page, "query")
