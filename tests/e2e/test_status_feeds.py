"""Atom and RSS feeds of incidents and their updates, checked with a real feed
parser (Debian's python3-feedparser): well-formed (bozo 0), the right
version, one entry per incident with its whole timeline."""

import xml.etree.ElementTree as ET

import feedparser
import pytest

from conftest import uniq
from status_helpers import FEED_SUFFIXES, base_of, new_page, public

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(server, path):
    r = public(server, path)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    # Relative links resolve against the feed's own URL, as readers do.
    d = feedparser.parse(r.content, response_headers={
        "content-location": server.url + path,
        "content-type": r.headers["Content-Type"]})
    assert d.bozo == 0, d.get("bozo_exception")
    return r, d


def test_atom_feed(admin):
    client, slug = new_page(admin, name="Feed Co")
    svc = client.create_service("Mail")
    inc = client.create_incident(title="Mail delayed", severity="major",
                                 services=[svc["id"]], message="Queues are *long*.")
    client.post_update(inc["id"], "resolved", "Queues drained.")
    client.create_incident(title="Later thing", severity="minor")
    path = f"/status/{slug}/history.atom"
    r, d = parse(admin.server, path)
    assert r.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert d.version == "atom10"
    assert d.feed.title == "Feed Co status - incident history"
    assert [e.title for e in d.entries] == ["Later thing", "Mail delayed"]
    e = d.entries[1]
    assert e.link == f"{admin.server.url}/status/{slug}/incidents/{inc['id']}"
    assert e.id.startswith("urn:uuid:")
    assert e.published_parsed and e.updated_parsed
    html = e.content[0].value
    assert e.content[0].type == "text/html"
    assert html.index("Queues drained.") < html.index("Queues are <em>long</em>.")
    assert "Resolved" in html and "Investigating" in html and "Mail" in html
    # Entry ids are stable across renders.
    client.create_incident(title="Third")
    _, d2 = parse(admin.server, path)
    assert {x.id for x in d.entries} <= {x.id for x in d2.entries}
    # And the XML is plainly well-formed for any strict parser.
    root = ET.fromstring(r.content)
    assert root.tag == ATOM + "feed"


def test_rss_feed(admin):
    client, slug = new_page(admin, name="Rss Co")
    inc = client.create_incident(title="DNS issues", severity="critical", message="Resolving.")
    client.post_update(inc["id"], "monitoring", "Looks better.")
    r, d = parse(admin.server, f"/status/{slug}/history.rss")
    assert r.headers["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert d.version == "rss20"
    assert d.feed.title == "Rss Co status - incident history"
    assert len(d.entries) == 1
    e = d.entries[0]
    assert e.title == "DNS issues"
    assert e.link == f"{admin.server.url}/status/{slug}/incidents/{inc['id']}"
    assert e.published_parsed
    assert e.guidislink is False
    assert "Looks better." in e.description and "Resolving." in e.description
    ET.fromstring(r.content)


@pytest.mark.parametrize("suffix", FEED_SUFFIXES)
def test_feeds_of_an_empty_page_and_of_the_root(admin, server, suffix):
    _, slug = new_page(admin)
    _, d = parse(admin.server, f"{base_of(slug)}{suffix}")
    assert d.entries == []
    parse(server, suffix)


@pytest.mark.parametrize("suffix", FEED_SUFFIXES)
def test_feeds_stay_well_formed_with_hostile_text(admin, suffix):
    client, slug = new_page(admin)
    nasty = "Bad ]]> <![CDATA[ & <b>bold</b> \x01\x02\x0b\x7f \u2028 \ufeff é 🚀 </content></entry>"
    title = "T ]]> <![CDATA[ & <b>x</b> \u2028 é 🚀 </title></entry>"  # no controls
    client.create_incident(title=title, severity="minor", message=nasty)
    _, d = parse(admin.server, f"/status/{slug}{suffix}")
    assert len(d.entries) == 1
    assert "🚀" in d.entries[0].title


def test_feed_updates_after_a_write(admin):
    client, slug = new_page(admin)
    inc = client.create_incident(title="Fresh feed")
    msg = uniq("update")
    client.post_update(inc["id"], "identified", msg)
    for suffix in FEED_SUFFIXES:
        assert msg in public(admin.server, f"/status/{slug}{suffix}").text
