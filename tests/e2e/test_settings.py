"""Automation settings: defaults, partial PATCH, ranges, types, atomicity."""

import pytest

from conftest import assert_error

DEFAULTS = {
    "draft_mode": False,
    "auto_publish_after_s": None,
    "failures_to_open": 3,
    "successes_to_resolve": 2,
    "flap_window_s": 1800,
    "flap_max_transitions": 6,
    "cooldown_s": 900,
    "notification_batch_s": 30,
    "auto_resolve": True,
    "stale_after_s": 1800,
}

RANGES = {
    "failures_to_open": (1, 100),
    "successes_to_resolve": (1, 100),
    "flap_window_s": (60, 86400),
    "flap_max_transitions": (2, 60),
    "cooldown_s": (0, 604800),
    "notification_batch_s": (0, 3600),
    "auto_publish_after_s": (0, 604800),
    "stale_after_s": (0, 86400),
}

BOOLS = ("draft_mode", "auto_resolve")

PATH = "/api/v1/settings/automation"


def patch(org, body):
    r = org.api("PATCH", PATH, json=body)
    assert r.status_code == 200, r.text
    return r.json()


def test_defaults(org):
    r = org.api("GET", PATH)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() == {"automation": DEFAULTS}
    # Exact types: booleans are booleans, integers are integers.
    got = r.json()["automation"]
    for k in BOOLS:
        assert type(got[k]) is bool
    for k in RANGES:
        if got[k] is not None:
            assert type(got[k]) is int


def test_patch_is_partial_and_returns_everything(org):
    body = patch(org, {"draft_mode": True})
    assert body == {"automation": dict(DEFAULTS, draft_mode=True)}
    body = patch(org, {"cooldown_s": 60, "auto_publish_after_s": 300})
    expected = dict(DEFAULTS, draft_mode=True, cooldown_s=60, auto_publish_after_s=300)
    assert body == {"automation": expected}
    assert org.settings() == expected
    body = patch(org, {"auto_publish_after_s": None})
    expected["auto_publish_after_s"] = None
    assert body["automation"] == expected
    assert org.settings() == expected


def test_patch_everything_at_once(org):
    everything = {"draft_mode": True, "auto_publish_after_s": 0, "failures_to_open": 100,
                  "successes_to_resolve": 1, "flap_window_s": 60, "flap_max_transitions": 2,
                  "cooldown_s": 604800, "notification_batch_s": 0, "auto_resolve": False,
                  "stale_after_s": 0}
    assert patch(org, everything) == {"automation": everything}
    assert org.settings() == everything


def test_empty_patch_changes_nothing(org):
    patch(org, {"cooldown_s": 5})
    r = org.api("PATCH", PATH, json={})
    assert r.status_code == 200, r.text
    assert r.json()["automation"] == dict(DEFAULTS, cooldown_s=5)


def test_bools_round_trip(org):
    for key in BOOLS:
        for value in (True, False, True):
            assert patch(org, {key: value})["automation"][key] is value


@pytest.mark.parametrize("key", sorted(RANGES))
def test_range_bounds_accepted(org, key):
    lo, hi = RANGES[key]
    for value in (lo, hi, (lo + hi) // 2):
        got = patch(org, {key: value})["automation"]
        assert got[key] == value and type(got[key]) is int
        assert org.settings()[key] == value


def bad_values():
    cases = []
    for key, (lo, hi) in sorted(RANGES.items()):
        cases += [(key, lo - 1), (key, hi + 1), (key, str(lo)), (key, lo + 0.5),
                  (key, True), (key, False), (key, [lo]), (key, {"v": lo}),
                  (key, -2 ** 63), (key, 2 ** 64), (key, 1e300)]
        if key != "auto_publish_after_s":
            cases.append((key, None))
    for key in BOOLS:
        cases += [(key, 0), (key, 1), (key, "true"), (key, "false"), (key, None), (key, [])]
    cases += [("bogus", 1), ("draftMode", True), ("DRAFT_MODE", True), ("", 1)]
    return cases


@pytest.mark.parametrize("key,value", bad_values(),
                         ids=[f"{k}={v!r}"[:60] for k, v in bad_values()])
def test_rejects(org, key, value):
    patch(org, {"cooldown_s": 123})
    before = org.settings()
    r = org.api("PATCH", PATH, json={key: value})
    assert_error(r, 422, "validation_failed", field=key)
    assert org.settings() == before


@pytest.mark.parametrize("good,bad,field", [
    ({"draft_mode": True}, {"cooldown_s": -1}, "cooldown_s"),
    ({"cooldown_s": 10}, {"draft_mode": "yes"}, "draft_mode"),
    ({"failures_to_open": 7}, {"nope": 1}, "nope"),
    ({"auto_publish_after_s": 60, "auto_resolve": False}, {"flap_window_s": 59}, "flap_window_s"),
])
def test_one_bad_key_changes_nothing(org, good, bad, field):
    before = org.settings()
    for body in (dict(good, **bad), dict(bad, **good)):
        r = org.api("PATCH", PATH, json=body)
        assert_error(r, 422, "validation_failed", field=field)
        assert org.settings() == before == DEFAULTS


def test_not_an_object(org):
    for raw in (b"[]", b'"draft_mode"', b"null", b"1"):
        r = org.api("PATCH", PATH, data=raw, headers={"Content-Type": "application/json"})
        assert_error(r, 400, "invalid_json")
    assert org.settings() == DEFAULTS


def test_settings_are_per_organization(admin, org):
    _, other = admin.create_org()
    patch(org, {"draft_mode": True, "cooldown_s": 1})
    assert other.settings() == DEFAULTS
    patch(other, {"failures_to_open": 9})
    assert org.settings() == dict(DEFAULTS, draft_mode=True, cooldown_s=1)
    assert other.settings() == dict(DEFAULTS, failures_to_open=9)
