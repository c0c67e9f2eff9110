"""What the public page must never do: show a draft (or an update of one) on
any route, show one organization's data on another's page, or let user text
become markup (scripts, javascript: links, attributes)."""

import json
import xml.etree.ElementTree as ET

from conftest import uniq
from status_helpers import all_bodies, assert_inert, new_page, page_path, public


# -- drafts ------------------------------------------------------------------------

def test_draft_appears_on_no_public_route(admin):
    client, slug = new_page(admin)
    svc = client.create_service("Billing")
    published = client.create_incident(title="Visible one", severity="minor",
                                       services=[svc["id"]])
    token = uniq("DRAFTSECRET").replace("-", "")
    draft = client.create_incident(title=f"{token} title", severity="critical",
                                   services=[svc["id"]], draft=True,
                                   message=f"{token} first message")
    r = client.api("POST", f"/api/v1/incidents/{draft['id']}/updates",
                   json={"status": "identified", "message": f"{token} update"})
    assert r.status_code == 201, r.text
    r = client.api("PATCH", f"/api/v1/incidents/{draft['id']}",
                   json={"retrospective": f"{token} retro"})
    assert r.status_code == 200, r.text

    bodies = all_bodies(admin.server, slug, [published["id"], draft["id"]])
    assert len(bodies) >= 3 * 10
    for where, (status, text) in bodies.items():
        assert token not in text, where
        assert draft["id"] not in text, where
        if f"/incidents/{draft['id']}" in where:
            assert status == 404, where
        else:
            assert status == 200, where
    # Nor does it change any status: the critical draft counts for nothing.
    status = json.loads(bodies[f"/status/{slug}/api/v2/status.json"][1])["status"]
    assert status["indicator"] == "minor"
    comps = json.loads(bodies[f"/status/{slug}/api/v2/components.json"][1])["components"]
    assert [c["status"] for c in comps] == ["degraded_performance"]

    # Published, it shows everywhere at once.
    r = client.api("POST", f"/api/v1/incidents/{draft['id']}/publish")
    assert r.status_code == 200, r.text
    assert token in public(admin.server, page_path(slug)).text
    r = public(admin.server, f"/status/{slug}/incidents/{draft['id']}")
    assert r.status_code == 200 and f"{token} update" in r.text
    for suffix in ("/api/v2/summary.json", "/history.atom", "/history.rss"):
        assert token in public(admin.server, f"/status/{slug}{suffix}").text, suffix


def test_draft_of_the_default_org_on_root_routes(server, admin):
    token = uniq("ROOTDRAFT").replace("-", "")
    draft = admin.create_incident(title=token, severity="critical", draft=True,
                                  message=token)
    for where, (status, text) in all_bodies(server, None, [draft["id"]]).items():
        assert token not in text, where
        if draft["id"] in where:
            assert status == 404
    r = admin.api("DELETE", f"/api/v1/incidents/{draft['id']}")
    assert r.status_code == 204


# -- tenants -------------------------------------------------------------------------

def test_one_organization_never_shows_anothers_data(server, admin):
    a, slug_a = new_page(admin, name="Alpha Org")
    b, slug_b = new_page(admin, name="Beta Org")
    tok = uniq("ALPHAONLY").replace("-", "")
    svc = a.create_service(f"{tok} service", group=f"{tok} group", description=tok)
    inc = a.create_incident(title=f"{tok} incident", severity="critical",
                            services=[svc["id"]], message=tok)
    r = a.api("PATCH", "/api/v1/settings/status-page",
              json={"name": f"{tok} page", "logo_url": f"https://{tok}.test/l.png"})
    assert r.status_code == 200, r.text
    b.create_service("Beta service")

    # A's page has it all; B's and the default's have none of it.
    a_bodies = all_bodies(server, slug_a, [inc["id"]])
    assert all(tok in text for where, (_, text) in a_bodies.items()
               if "HEAD" not in where)
    for slug in (slug_b, None):
        bodies = all_bodies(server, slug, [inc["id"]])
        for where, (status, text) in bodies.items():
            assert tok not in text, where
            assert inc["id"] not in text and svc["id"] not in text, where
        # A's incident id under B's page is simply not found.
        assert bodies[(f"/status/{slug}" if slug else "") + f"/incidents/{inc['id']}"][0] == 404
    summary = json.loads(public(server, f"/status/{slug_b}/api/v2/summary.json").text)
    assert summary["page"]["name"] == "Beta Org"
    assert summary["status"]["indicator"] == "none"
    assert [c["name"] for c in summary["components"]] == ["Beta service"]


# -- XSS ---------------------------------------------------------------------------------

PAYLOAD = "\n\n".join([
    "<script>alert('xss1')</script>",
    "[click me](javascript:alert('xss2'))",
    "[upper](JaVaScRiPt:alert('xss3'))",
    "<img src=x onerror=\"alert('xss4')\">",
    "<a href=\"javascript:alert(5)\" onclick=\"alert(6)\">raw link</a>",
    "[quote](https://ok.example/\"onmouseover=\"alert(7))",
    "![pic](javascript:alert(8))",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<svg onload=alert(9)>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4=)",
    "`<script>in code</script>`",
    "A [safe link](https://docs.example/page?a=1&b=2) and *emphasis*.",
])


def test_update_messages_render_inert(admin):
    client, slug = new_page(admin)
    svc = client.create_service("<b onmouseover=alert(11)>Svc</b>", group="\"><script>alert(12)</script>",
                                description="<img src=x onerror=alert(13)>")
    inc = client.create_incident(title="\"><script>alert(14)</script><x onclick=alert(15)>",
                                 severity="major", services=[svc["id"]], message=PAYLOAD)
    client.post_update(inc["id"], "identified", PAYLOAD)
    r = client.api("PATCH", f"/api/v1/incidents/{inc['id']}", json={"retrospective": PAYLOAD})
    assert r.status_code == 200

    for path in (page_path(slug), f"/status/{slug}/incidents/{inc['id']}"):
        text = public(admin.server, path).text
        assert_inert(text)
        assert text.count("<script") == 1  # only the page's own script tag
        # The safe parts still work, escaped where needed.
        assert ('<a href="https://docs.example/page?a=1&amp;b=2" '
                'rel="nofollow noopener noreferrer ugc">safe link</a>') in text
        assert "<em>emphasis</em>" in text
        assert "&lt;script&gt;alert(&#39;xss1&#39;)&lt;/script&gt;" in text
        assert "<code>&lt;script&gt;in code&lt;/script&gt;</code>" in text
        assert "&quot;&gt;&lt;script&gt;alert(14)&lt;/script&gt;" in text
        for attr_text in ("href=\"javascript", "onerror=\"alert", "onclick=\"alert",
                          "onmouseover=\"alert", "onload=alert(9)>"):
            assert attr_text not in text, attr_text

    # Feeds carry the same HTML, escaped once more for XML: once unescaped
    # by an XML parser, it is just as inert.
    for suffix, tag in (("/history.atom", "{http://www.w3.org/2005/Atom}content"),
                        ("/history.rss", "description")):
        root = ET.fromstring(public(admin.server, f"/status/{slug}{suffix}").content)
        htmls = [e.text for e in root.iter(tag) if e.text and "emphasis" in e.text]
        assert htmls, suffix
        for html in htmls:
            assert_inert(html)
            assert "<script" not in html and "<img" not in html
