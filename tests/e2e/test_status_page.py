"""The public status page in HTML: banner, services with 90-day bars, active
incidents with their timelines, 14 days of history, incident pages, the
root and /status/{slug} routes, branding from the settings, freshness."""

import datetime
import re

import pytest

from conftest import uniq, wait_until
from status_helpers import new_page, page_path, public, tags_of


def html_of(server, slug):
    r = public(server, page_path(slug))
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    return r.text


def banner_of(text):
    m = re.search(r'<section class="banner s(\d)"[^>]*>.*?<h1>([^<]*)</h1>', text, re.S)
    assert m, text[:2000]
    return int(m.group(1)), m.group(2)


def service_block(text, name):
    """The <li class="svc"> of a service, by its (plain) name."""
    for m in re.finditer(r'<li class="svc">(.*?)</ol>\n<p class="legend">(.*?)</p></li>', text, re.S):
        if f'<span class="sname">{name}</span>' in m.group(1):
            return m.group(1), m.group(2)
    raise AssertionError(f"service {name} not on the page")


# -- the banner -------------------------------------------------------------------

@pytest.mark.parametrize("severity,label,cls", [
    ("minor", "Degraded performance", 2),
    ("major", "Partial outage", 3),
    ("critical", "Major outage", 4),
])
def test_banner_follows_the_worst_open_incident(admin, severity, label, cls):
    client, slug = new_page(admin)
    assert banner_of(html_of(admin.server, slug)) == (0, "All systems operational")
    low = client.create_incident(severity="minor")
    inc = client.create_incident(severity=severity)
    assert banner_of(html_of(admin.server, slug)) == (cls, label)
    client.post_update(inc["id"], "resolved", "Fixed.")
    assert banner_of(html_of(admin.server, slug)) == (2, "Degraded performance")
    client.post_update(low["id"], "resolved", "Fixed.")
    assert banner_of(html_of(admin.server, slug)) == (0, "All systems operational")


def test_root_serves_the_default_organization(server, admin):
    marker = uniq("Root service")
    admin.create_service(marker)
    for path in ("/", "/status/default", "/status/default/"):
        text = html_of(server, None) if path == "/" else public(server, path).text
        assert marker in text, path
    # Links on the root page stay at the root; on /status/default they stay there.
    root = html_of(server, None)
    assert 'href="/history.atom"' in root
    slugged = public(server, "/status/default").text
    assert 'href="/status/default/history.atom"' in slugged


# -- services and bars --------------------------------------------------------------

def test_services_grouped_with_status_and_90_day_bars(admin):
    client, slug = new_page(admin)
    api = client.create_service("API", group="Core", description="The REST API")
    client.create_service("Web app")
    client.create_service("Database", group="Core")
    client.create_incident(severity="major", services=[api["id"]], message="Errors.")
    text = html_of(admin.server, slug)

    # Groups: a heading, then its services, in display order.
    core = text.index('<li class="grp"><h3>Core</h3>')
    assert core < text.index(">API<") < text.index(">Database<") < text.index(">Web app<")

    block, legend = service_block(text, "API")
    assert '<span class="st s3">' in block and "Partial outage" in block
    assert '<p class="desc">The REST API</p>' in block
    days = bar_days(block)
    assert len(days) == 90
    # Today is the last day: partial outage, with the incident in its words.
    assert days[-1][0] == "s3"
    assert "Partial outage" in days[-1][1] and "Incidents: " in days[-1][1]
    assert re.match(r"^[A-Z][a-z]{2} \d{1,2}, \d{4}: \d+(\.\d\d)?% uptime", days[-1][1])
    # Days before the service existed have no data: one element for all.
    assert days[0][0] == "nd" and days[0][1].endswith(": no data")
    assert block.count('<li class="d nd"') == 1
    assert re.search(r"\d+(\.\d\d)?% uptime", legend), legend

    block, legend = service_block(text, "Web app")
    assert "Operational" in block
    days = bar_days(block)
    assert len(days) == 90 and days[-1][0] == "s0"
    assert "100% uptime" in legend


MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def day_of(words, year):
    """The date that begins a bar element's words ("Sep 2" or "Sep 2, 2026")."""
    m = re.match(r"([A-Z][a-z]{2}) (\d{1,2})(?:, (\d{4}))?", words)
    return datetime.date(int(m.group(3) or year), MONTHS.index(m.group(1)) + 1, int(m.group(2)))


def bar_days(block):
    """The bar's days, oldest first, as (class, words): an element spanning
    n days (style --n) stands for n alike days, and its words begin with the
    range it spans. Checks that the ranges are whole, in order, end on the
    bar's last day (data-end), and that no two neighbours are alike (they
    would have been one element)."""
    end = datetime.date.fromisoformat(re.search(r'<ol class="bar" data-end="([\d-]+)"', block).group(1))
    runs = re.findall(r'<li class="d ([^"]+)"(?: style="--n:(\d+)")?><span>(.*?)</span></li>', block)
    days, nxt = [], None
    for (cls, n, words), prev in zip(runs, [None] + runs[:-1]):
        n = int(n or 1)
        span, rest = words.split(": ", 1)
        last = day_of(span.split(" \u2013 ")[-1], None)
        first = day_of(span, last.year)
        assert (last - first).days + 1 == n, words
        assert nxt is None or first == nxt, (words, nxt)
        nxt = last + datetime.timedelta(days=1)
        assert prev is None or (prev[0], prev[2].split(": ", 1)[1]) != (cls, rest), words
        days += [(cls, f"{span}: {rest}")] * n
    assert nxt == end + datetime.timedelta(days=1)
    return days


def test_no_services_and_no_incidents(admin):
    client, slug = new_page(admin)
    text = html_of(admin.server, slug)
    assert "No services yet." in text
    assert "Active incidents" not in text
    assert text.count("No incidents reported.") == 14


# -- incidents ----------------------------------------------------------------------------

def test_active_incident_shows_its_whole_timeline_newest_first(admin):
    client, slug = new_page(admin)
    svc = client.create_service("Checkout")
    inc = client.create_incident(title="Payments failing", severity="critical",
                                 services=[svc["id"]], message="First: investigating.")
    client.post_update(inc["id"], "identified", "Second: a bad deploy.")
    client.post_update(inc["id"], "monitoring", "Third: rolled back.")
    text = html_of(admin.server, slug)
    active = text[text.index('id="active-h"'):text.index('id="svc-h"')]
    assert "Payments failing" in active
    assert '<span class="badge sev3">Critical</span>' in active
    assert "Affects: Checkout" in active
    order = [active.index(s) for s in ("Third: rolled back.", "Second: a bad deploy.",
                                       "First: investigating.")]
    assert order == sorted(order)
    assert re.findall(r'<strong class="ust u\d">(\w+)</strong>', active) == [
        "Monitoring", "Identified", "Investigating"]
    assert len(re.findall(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">', active)) == 3


def test_a_wide_outage_keeps_the_page_bounded(admin):
    """The newest 10 active incidents in full, the next ones up to 100 as
    one line each, 20 a day in the history; the rest counted. Every one
    keeps its own page."""
    client, slug = new_page(admin)
    made = [client.create_incident(title=f"Check {i:03d} failing", severity="major",
                                   message=f"Timeline of {i:03d}.")
            for i in range(105)]
    text = html_of(admin.server, slug)
    active = text[text.index('id="active-h"'):text.index('id="svc-h"')]
    full = re.findall(r'<article class="incident sev2"><h3><a href="[^"]+">Check (\d{3}) failing<', active)
    assert full == [f"{i:03d}" for i in range(104, 94, -1)]  # newest first
    assert "Timeline of 104." in active and "Timeline of 094." not in active
    lines = re.findall(r'<li><a href="([^"]+)">Check (\d{3}) failing</a>', active)
    assert [n for _, n in lines] == [f"{i:03d}" for i in range(94, 4, -1)]
    assert lines[0][0].endswith("/incidents/" + made[94]["id"])
    assert "And 5 more active incidents." in active
    hist = text[text.index('id="hist-h"'):]
    assert len(re.findall(r'<li><h4>', hist)) == 20
    assert "And 85 more incidents." in hist
    # Bounded: about 40 KB here, and no more with 2,000 incidents; in full
    # these 105 would take 82 KB.
    assert len(text.encode()) < 50_000, len(text.encode())
    # One beyond every list still has its page.
    assert public(admin.server, f"/status/{slug}/incidents/{made[0]['id']}").status_code == 200


def test_history_lists_14_days_day_by_day(admin):
    client, slug = new_page(admin)
    inc = client.create_incident(title="Short blip", severity="minor")
    client.post_update(inc["id"], "resolved", "All good now.")
    text = html_of(admin.server, slug)
    hist = text[text.index('id="hist-h"'):]
    days = re.findall(r'<div class="day"><h3><time datetime="(\d{4}-\d\d-\d\d)">', hist)
    assert len(days) == 14 and days == sorted(days, reverse=True)
    today = hist[:hist.index('<div class="day">', hist.index('<div class="day">') + 1)]
    assert "Short blip" in today and "All good now." in today
    assert "Resolved" in today
    assert hist.count("No incidents reported.") == 13
    # Resolved: no longer active.
    assert "Active incidents" not in text


def test_incident_page_with_timeline_and_retrospective(admin):
    client, slug = new_page(admin)
    inc = client.create_incident(title="Disk full", severity="major", message="Looking.")
    client.post_update(inc["id"], "resolved", "Freed space.")
    r = client.api("PATCH", f"/api/v1/incidents/{inc['id']}",
                   json={"retrospective": "## Cause\n\nLogs were **not** rotated.\n\n- add alerts"})
    assert r.status_code == 200, r.text
    for path in (f"/status/{slug}/incidents/{inc['id']}",):
        r = public(admin.server, path)
        assert r.status_code == 200
        assert r.headers["Content-Type"] == "text/html; charset=utf-8"
        t = r.text
        assert "<h1>Disk full</h1>" in t
        assert t.index("Freed space.") < t.index("Looking.")
        assert "Retrospective" in t and "<strong>not</strong>" in t
        assert "<li>add alerts</li>" in t
        assert "<h2>Cause" not in t  # headings in user text cannot reshape the page
        assert f'href="/status/{slug}"' in t


def test_incident_page_on_the_root(server, admin):
    inc = admin.create_incident(title=uniq("Root incident"))
    r = public(server, f"/incidents/{inc['id']}")
    assert r.status_code == 200 and inc["title"] in r.text
    r = public(server, f"/status/default/incidents/{inc['id']}")
    assert r.status_code == 200 and inc["title"] in r.text


@pytest.mark.parametrize("path", [
    "/incidents/inc_doesnotexist0000000",
    "/status/default/incidents/nope",
    "/status/no-such-org-here",
    "/status/no-such-org-here/incidents/inc_x",
])
def test_unknown_pages_are_404_html(server, path):
    r = public(server, path)
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("text/html")
    assert "Not found" in r.text
    assert "public" not in r.headers.get("Cache-Control", "")


def test_unknown_org_json_is_404_json(server):
    r = public(server, "/status/no-such-org-here/api/v2/summary.json")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


# -- branding ---------------------------------------------------------------------------

def test_page_uses_the_organizations_settings(admin):
    client, slug = new_page(admin, name="Acme Widgets")
    text = html_of(admin.server, slug)
    assert "<title>Acme Widgets status</title>" in text
    assert "--accent:#1f5fbf" in text
    assert not any(t == "img" for t, _ in tags_of(text))
    r = client.api("PATCH", "/api/v1/settings/status-page",
                   json={"name": "Acme Status", "logo_url": "https://cdn.acme.test/logo.png",
                         "accent_color": "#F5D000"})
    assert r.status_code == 200, r.text
    text = html_of(admin.server, slug)
    assert "<title>Acme Status status</title>" in text
    assert '<span class="name">Acme Status</span>' in text
    imgs = [a for t, a in tags_of(text) if t == "img"]
    assert imgs == [{"class": "logo", "src": "https://cdn.acme.test/logo.png", "alt": "",
                     "height": "32"}]
    # A light accent gets dark text, for contrast.
    assert "--accent:#f5d000;--on-accent:#111" in text


# -- the page itself ---------------------------------------------------------------------

def test_html_is_self_contained_and_semantic(server):
    text = html_of(server, None)
    assert text.startswith("<!doctype html>")
    assert '<html lang="en">' in text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    assert '<main id="main"' in text and "<header" in text and "<footer" in text
    css = re.search(r'<link rel="stylesheet" href="(/assets/status\.css\?v=\w+)">', text).group(1)
    js = re.search(r'<script src="(/assets/status\.js\?v=\w+)" defer></script>', text).group(1)
    r = public(server, css)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/css")
    assert "prefers-color-scheme: dark" in r.text and "@media (max-width: 600px)" in r.text
    r = public(server, js)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/javascript")
    csp = public(server, "/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp


def test_page_is_fresh_right_after_each_write(admin):
    client, slug = new_page(admin)
    svc = client.create_service("Search")
    assert "Search" in html_of(admin.server, slug)
    inc = client.create_incident(title="Slow search", severity="minor", services=[svc["id"]])
    for i, status in enumerate(["identified", "monitoring", "resolved"]):
        msg = f"step-{i}-{uniq()}"
        client.post_update(inc["id"], status, msg)
        # The very next request shows it: no waiting, no retry.
        assert msg in html_of(admin.server, slug)
        assert msg in public(admin.server, f"/status/{slug}/incidents/{inc['id']}").text
    r = client.api("PATCH", f"/api/v1/services/{svc['id']}", json={"name": "Search v2"})
    assert r.status_code == 200
    assert "Search v2" in html_of(admin.server, slug)


def test_fresh_within_a_second_under_concurrent_readers(admin):
    """Readers hammer the page while a write lands; the write shows within 1 s."""
    import threading
    import time
    client, slug = new_page(admin)
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            public(admin.server, page_path(slug))

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        title = uniq("Concurrent")
        client.create_incident(title=title)
        start = time.monotonic()
        wait_until(lambda: title in html_of(admin.server, slug), 1.0, what="fresh page")
        assert time.monotonic() - start < 1.0
    finally:
        stop.set()
        for t in threads:
            t.join()
