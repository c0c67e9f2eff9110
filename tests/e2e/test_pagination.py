"""Cursor pagination over incident lists."""

import pytest

from conftest import assert_error

N = 120


@pytest.fixture(scope="module")
def paged(admin):
    """An organization holding N incidents; every third one resolved, every
    fifth one a draft.  Returned newest first."""
    _, client = admin.create_org()
    made = []
    for i in range(N):
        made.append(client.create_incident(
            title=f"page {i:03d}",
            status="resolved" if i % 3 == 0 else "investigating",
            draft=(i % 5 == 0)))
    return client, list(reversed(made))


def walk(client, limit=None, **params):
    """Follow next_cursor; return the list of pages (lists of ids)."""
    pages = []
    cursor = None
    for _ in range(N + 5):
        p = dict(params)
        if limit is not None:
            p["limit"] = limit
        if cursor is not None:
            p["cursor"] = cursor
        r = client.api("GET", "/api/v1/incidents", params=p)
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"incidents", "next_cursor"}
        pages.append([i["id"] for i in body["incidents"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert isinstance(cursor, str) and cursor
    raise AssertionError("next_cursor never became null")


def check_pages(pages, limit, expected):
    flat = [i for p in pages for i in p]
    assert flat == expected, "pages do not yield every incident once, newest first"
    # Only the last page may be short (an empty trailing page is tolerated).
    if len(pages) > 1 and not pages[-1]:
        pages = pages[:-1]
    for p in pages[:-1]:
        assert len(p) == limit, [len(p) for p in pages]
    assert len(pages[-1]) <= limit


@pytest.mark.parametrize("limit", [1, 7, 50, 119, 120, 500])
def test_walk_all(paged, limit):
    client, made = paged
    pages = walk(client, limit=limit)
    check_pages(pages, limit, [m["id"] for m in made])


def test_default_limit_is_50(paged):
    client, made = paged
    r = client.api("GET", "/api/v1/incidents")
    body = r.json()
    assert [i["id"] for i in body["incidents"]] == [m["id"] for m in made[:50]]
    assert isinstance(body["next_cursor"], str)
    pages = walk(client)
    check_pages(pages, 50, [m["id"] for m in made])
    assert [len(p) for p in pages][:3] == [50, 50, 20]


def test_small_list_has_no_cursor(paged):
    client, made = paged
    r = client.api("GET", "/api/v1/incidents", params={"limit": 500})
    body = r.json()
    assert len(body["incidents"]) == N
    assert body["next_cursor"] is None


@pytest.mark.parametrize("params,keep", [
    ({"state": "resolved"}, lambda i: i % 3 == 0),
    ({"state": "active"}, lambda i: i % 3 != 0),
    ({"draft": "true"}, lambda i: i % 5 == 0),
    ({"draft": "false", "state": "active"}, lambda i: i % 5 != 0 and i % 3 != 0),
    ({"source": "api"}, lambda i: True),
], ids=["resolved", "active", "drafts", "published-active", "source-api"])
@pytest.mark.parametrize("limit", [4, 25])
def test_walk_filtered(paged, params, keep, limit):
    client, made = paged
    expected = [m["id"] for m in made if keep(int(m["title"].split()[1]))]
    check_pages(walk(client, limit=limit, **params), limit, expected)


def test_same_cursor_same_page(paged):
    client, _ = paged
    first = client.api("GET", "/api/v1/incidents", params={"limit": 10}).json()
    cursor = first["next_cursor"]
    a = client.api("GET", "/api/v1/incidents", params={"limit": 10, "cursor": cursor}).json()
    b = client.api("GET", "/api/v1/incidents", params={"limit": 10, "cursor": cursor}).json()
    assert a == b
    assert not {i["id"] for i in a["incidents"]} & {i["id"] for i in first["incidents"]}


def test_inserts_while_paging_do_not_shift_pages(admin):
    """New incidents arriving mid-walk must not make old ones repeat or vanish."""
    _, client = admin.create_org()
    made = [client.create_incident(title=f"old {i}")["id"] for i in range(30)]
    expected = list(reversed(made))
    seen = []
    cursor = None
    for step in range(100):
        params = {"limit": 7}
        if cursor:
            params["cursor"] = cursor
        body = client.api("GET", "/api/v1/incidents", params=params).json()
        seen.extend(i["id"] for i in body["incidents"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
        client.create_incident(title=f"new {step}")
    old_seen = [i for i in seen if i in set(made)]
    assert old_seen == expected
    assert len(seen) == len(set(seen))


def test_garbage_cursor(paged):
    client, _ = paged
    for bad in ("x", "AAAA", "%%%", "0" * 600):
        r = client.api("GET", "/api/v1/incidents", params={"cursor": bad})
        assert_error(r, 422, "validation_failed", field="cursor")
