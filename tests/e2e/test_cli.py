"""End-to-end tests of the `kodo` command-line client (issue 6).

The CLI binary (the same ASan+UBSan build as the server, $KODO_BIN) runs as
a subprocess against a real `kodo serve` on 127.0.0.1, with a temporary HOME
so that no real config file is read or written.  Every command is run; its
--json output is parsed and checked against the server's own view, its
human output for the key fields, and every exit code: 0 ok, 1 API error,
2 usage error, 3 cannot reach the server (a closed port on 127.0.0.1).
`kodo ping` is tested against small HTTP servers in this file.
"""

import json
import os
import pty
import re
import select
import shutil
import socket
import stat
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import (KODO_BIN, REPO_ROOT, SANITIZER_ENV, SANITIZER_MARKERS,
                      assert_time, check_incident_shape, check_service_shape,
                      uniq)

CLI_TIMEOUT_S = 60
MAN_PAGE = REPO_ROOT / "docs" / "kodo.1"

# Every CLI command, as typed after `kodo`.
COMMANDS = [
    ["login"], ["incident", "create"], ["incident", "list"],
    ["incident", "show"], ["incident", "update"], ["incident", "resolve"],
    ["incident", "publish"], ["service", "list"], ["service", "create"],
    ["service", "delete"], ["monitor", "list"], ["monitor", "create"],
    ["monitor", "pause"], ["monitor", "resume"], ["status"], ["ping"],
    ["completion"],
]

# Variables that would change what the CLI does if they leaked in.
_SCRUBBED = ("NO_COLOR", "XDG_CONFIG_HOME", "TERM", "http_proxy", "https_proxy",
             "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


def closed_port():
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_no_sanitizer(text):
    for marker in SANITIZER_MARKERS:
        assert marker not in text, f"sanitizer report ({marker}):\n{text}"


class Cli:
    """Runs the kodo binary with a private HOME and a chosen environment."""

    def __init__(self, home, url=None, token=None):
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.url = url
        self.token = token

    def env(self, extra=None, with_server=True):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("KODO_") and k not in _SCRUBBED}
        env.update(SANITIZER_ENV)
        env["HOME"] = str(self.home)
        if with_server and self.url:
            env["KODO_URL"] = self.url
        if with_server and self.token:
            env["KODO_TOKEN"] = self.token
        env.update(extra or {})
        return {k: v for k, v in env.items() if v is not None}

    def run(self, *args, env=None, with_server=True, input=None, expect=None,
            timeout=CLI_TIMEOUT_S):
        proc = subprocess.run(
            [str(KODO_BIN), *args], input=input, capture_output=True,
            text=True, timeout=timeout, env=self.env(env, with_server))
        assert_no_sanitizer(proc.stderr)
        if expect is not None:
            assert proc.returncode == expect, (
                f"kodo {' '.join(args)} exited {proc.returncode}, expected "
                f"{expect}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
        return proc

    def json(self, *args, **kw):
        """Runs with --json, expects exit 0, returns the parsed stdout."""
        proc = self.run(*args, "--json", expect=0, **kw)
        return json.loads(proc.stdout)


@pytest.fixture
def cli(server, tmp_path):
    """The CLI pointed at the shared server with the bootstrap token (env)."""
    return Cli(tmp_path / "home", url=server.url, token=server.token)


@pytest.fixture
def org_cli(server, org, tmp_path):
    """The CLI with a brand-new organization's token: no services, no
    incidents."""
    return Cli(tmp_path / "home", url=server.url, token=org.token)


def table_rows(text):
    """A human table as a list of rows of cells (split on 2+ spaces)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return [re.split(r"\s{2,}", ln.strip()) for ln in lines]


# -- help, usage errors ---------------------------------------------------------

def test_top_level_help_lists_the_commands(cli):
    proc = cli.run("--help", expect=0)
    for words in COMMANDS:
        assert words[0] in proc.stdout
    for word in ("incident create", "incident resolve", "ping", "completion bash"):
        assert word in proc.stdout
    assert "0 ok, 1 API error, 2 usage error, 3 cannot" in proc.stdout


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: "-".join(w))
def test_every_command_has_help(cli, words):
    # --help wins even over missing required options, and needs no server.
    proc = cli.run(*words, "--help", with_server=False, expect=0)
    assert proc.stdout.startswith("usage: kodo " + " ".join(words)), proc.stdout
    for opt in ("--url", "--token", "--org", "--json", "--timeout", "--help"):
        assert opt in proc.stdout
    # The precedence is documented where people look for it.
    assert "flags first, then KODO_URL" in proc.stdout
    assert proc.stderr == ""


@pytest.mark.parametrize("noun", ["incident", "service", "monitor"])
def test_noun_help_lists_its_verbs(cli, noun):
    proc = cli.run(noun, "--help", expect=0)
    verbs = [w[1] for w in COMMANDS if w[0] == noun]
    for verb in verbs:
        assert re.search(rf"^\s+{verb}\s", proc.stdout, re.M), proc.stdout
    # Without a verb it is a usage error that shows the same list.
    proc = cli.run(noun, expect=2)
    assert all(v in proc.stderr for v in verbs)


@pytest.mark.parametrize("args,message", [
    (["frobnicate"], "unknown command 'frobnicate'"),
    (["incident", "frobnicate"], "unknown command 'frobnicate'"),
    (["incident", "list", "--frobnicate"], "unknown option '--frobnicate'"),
    (["incident", "list", "-x"], "unknown option '-x'"),
    (["incident", "create", "--severity", "minor", "--message", "m"], "--title is required"),
    (["incident", "create", "--title", "t", "--severity", "minor"], "--message is required"),
    (["incident", "create", "--title"], "--title needs a value"),
    (["incident", "show"], "missing ID"),
    (["incident", "show", "a", "b"], "unexpected argument 'b'"),
    (["incident", "list", "--active", "--resolved"], "exclude each other"),
    (["incident", "list", "--limit", "0"], "--limit must be 1 to 500"),
    (["incident", "list", "--json=yes"], "--json takes no value"),
    (["incident", "list", "--timeout", "0"], "--timeout must be"),
    (["incident", "list", "--url", "ftp://127.0.0.1/"], "must start with http://"),
    (["incident", "list", "--url", ""], "--url must not be empty"),
    (["ping", "u", "--retries", "x"], "--retries must be"),
    (["ping", "http://127.0.0.1:1/", "--start", "--fail"], "exclude each other"),
    (["ping", "http://127.0.0.1:1/", "--exit-code", "256"], "--exit-code must be"),
    (["monitor", "create", "--name", "m", "--interval", "ten"], "--interval must be an integer"),
    (["completion", "zsh"], "only bash"),
    ([], None),
])
def test_usage_errors_exit_2(cli, args, message):
    proc = cli.run(*args, expect=2)
    assert proc.stdout == ""
    assert "usage: kodo" in proc.stderr
    if message:
        assert message in proc.stderr, proc.stderr


def test_no_server_or_token_configured_is_a_usage_error(cli):
    proc = cli.run("incident", "list", with_server=False, expect=2)
    assert "no server URL" in proc.stderr and "kodo login" in proc.stderr
    proc = cli.run("incident", "list", with_server=False,
                   env={"KODO_URL": cli.url}, expect=2)
    assert "no API token" in proc.stderr
    # `kodo status` reads public JSON: a URL is enough (no token).
    proc = cli.run("status", "--help", with_server=False, expect=0)
    assert "needs no token" in proc.stdout


def test_global_options_may_come_before_the_noun(cli, server):
    proc = cli.run("--url", server.url, "--json", "service", "list",
                   with_server=False, env={"KODO_TOKEN": server.token}, expect=0)
    assert "services" in json.loads(proc.stdout)
    proc = cli.run("--url=" + server.url, "incident", "list", "--json",
                   with_server=False, env={"KODO_TOKEN": server.token}, expect=0)
    assert "incidents" in json.loads(proc.stdout)


# -- the acceptance flow --------------------------------------------------------

def test_acceptance_create_then_resolve(cli, admin):
    api_svc = admin.create_service(uniq("API"))
    web_svc = admin.create_service(uniq("Web"))
    title = uniq("Elevated API errors")
    # One service by name, one by id.
    proc = cli.run("incident", "create", "--title", title, "--severity", "major",
                   "--service", api_svc["name"], "--service", web_svc["id"],
                   "--message", "We are investigating.", expect=0)
    lines = proc.stdout.splitlines()
    assert len(lines) == 2, proc.stdout
    iid, url = lines
    assert re.fullmatch(r"[A-Za-z0-9_-]+", iid), iid
    assert url == f"{cli.url}/incidents/{iid}"
    assert proc.stderr == ""

    inc = admin.get_incident(iid)
    check_incident_shape(inc)
    assert inc["title"] == title
    assert inc["source"] == "api"
    assert inc["severity"] == "major"
    assert inc["status"] == "investigating"
    assert inc["draft"] is False
    assert {s["id"] for s in inc["services"]} == {api_svc["id"], web_svc["id"]}
    assert [u["message"] for u in inc["updates"]] == ["We are investigating."]
    assert admin.get_service(api_svc["id"])["status"] == "partial_outage"

    proc = cli.run("incident", "resolve", iid, "--message", "Fixed: rolled back.",
                   expect=0)
    assert iid in proc.stdout and "resolved" in proc.stdout
    inc = admin.get_incident(iid)
    check_incident_shape(inc)
    assert inc["status"] == "resolved"
    assert_time(inc["resolved_at"])
    assert inc["updates"][0]["message"] == "Fixed: rolled back."
    assert inc["updates"][0]["status"] == "resolved"
    assert admin.get_service(api_svc["id"])["status"] == "operational"


# -- incidents ------------------------------------------------------------------

def test_incident_create_json_is_the_apis_reply(org_cli, org):
    svc = org.create_service(uniq("svc"))
    body = org_cli.json("incident", "create", "--title", "Slow pages",
                        "--severity", "minor", "--service", svc["name"],
                        "--message", "Looking.", "--status", "identified")
    assert set(body) == {"incident"}
    inc = body["incident"]
    check_incident_shape(inc)
    assert inc == org.get_incident(inc["id"])
    assert inc["status"] == "identified" and inc["severity"] == "minor"
    assert inc["source"] == "api"
    assert inc["services"] == [{"id": svc["id"], "name": svc["name"]}]


def test_incident_create_draft_then_publish(org_cli, org):
    proc = org_cli.run("incident", "create", "--title", "Quiet", "--severity",
                       "critical", "--message", "m", "--draft", expect=0)
    iid = proc.stdout.splitlines()[0]
    assert "draft" in proc.stderr and f"kodo incident publish {iid}" in proc.stderr
    assert org.get_incident(iid)["draft"] is True

    listed = org_cli.json("incident", "list", "--drafts")["incidents"]
    assert [i["id"] for i in listed] == [iid]
    rows = table_rows(org_cli.run("incident", "list", "--drafts", expect=0).stdout)
    assert rows[1][0] == iid and "[draft] Quiet" in rows[1][-1]

    proc = org_cli.run("incident", "publish", iid, expect=0)
    assert proc.stdout.splitlines()[0] == f"Published {iid}"
    assert f"/incidents/{iid}" in proc.stdout
    inc = org.get_incident(iid)
    assert inc["draft"] is False
    assert_time(inc["published_at"])
    # Publishing again is idempotent, and --json prints the incident.
    body = org_cli.json("incident", "publish", iid)
    assert body["incident"]["id"] == iid and body["incident"]["draft"] is False
    assert org_cli.json("incident", "list", "--drafts")["incidents"] == []


def test_incident_list_filters_and_table(org_cli, org):
    a = org.create_incident(title="First", severity="minor")
    b = org.create_incident(title="Second", severity="critical")
    org.post_update(a["id"], "resolved", "Done.")
    d = org.create_incident(title="Draft one", draft=True)

    def ids(*flags):
        return [i["id"] for i in org_cli.json("incident", "list", *flags)["incidents"]]

    assert ids() == [d["id"], b["id"], a["id"]]  # newest first
    assert ids("--active") == [d["id"], b["id"]]
    assert ids("--resolved") == [a["id"]]
    assert ids("--drafts") == [d["id"]]
    assert ids("--source", "api") == [d["id"], b["id"], a["id"]]
    assert ids("--source", "auto_uptime") == []

    proc = org_cli.run("incident", "list", expect=0)
    rows = table_rows(proc.stdout)
    assert rows[0] == ["ID", "SEVERITY", "STATUS", "SOURCE", "AGE", "TITLE"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id[b["id"]][1:4] == ["critical", "investigating", "api"]
    assert by_id[b["id"]][5] == "Second"
    assert re.fullmatch(r"\d+[smhd]", by_id[b["id"]][4])
    assert by_id[a["id"]][2] == "resolved"
    # Aligned: every row's second column starts at the same offset.
    lines = proc.stdout.splitlines()
    starts = {ln.index(cells[1], len(cells[0])) for ln, cells in zip(lines, rows)}
    assert len(starts) == 1, proc.stdout
    assert "\x1b[" not in proc.stdout  # not a terminal: no color

    # Paging: --limit, and the hint names the cursor that gives the rest.
    first = org_cli.json("incident", "list", "--limit", "2")
    assert [i["id"] for i in first["incidents"]] == [d["id"], b["id"]]
    assert first["next_cursor"]
    rest = org_cli.json("incident", "list", "--limit", "2", "--cursor", first["next_cursor"])
    assert [i["id"] for i in rest["incidents"]] == [a["id"]]
    proc = org_cli.run("incident", "list", "--limit", "2", expect=0)
    assert f"--cursor {first['next_cursor']}" in proc.stderr
    # A bad filter value is the server's to refuse: exit 1, with the field.
    proc = org_cli.run("incident", "list", "--source", "carrier_pigeon", expect=1)
    assert "(field: source)" in proc.stderr


def test_incident_list_empty(org_cli):
    proc = org_cli.run("incident", "list", expect=0)
    assert proc.stdout == "" and "No incidents" in proc.stderr
    assert org_cli.json("incident", "list") == {"incidents": [], "next_cursor": None}


def test_incident_show(org_cli, org):
    svc = org.create_service("Checkout")
    inc = org.create_incident(title="Payments failing", severity="major",
                              services=[svc["id"]], message="Investigating.")
    org.post_update(inc["id"], "identified", "Card processor down.\nFailing over.")
    proc = org_cli.run("incident", "show", inc["id"], expect=0)
    out = proc.stdout
    assert out.splitlines()[0] == f"{inc['id']}  Payments failing"
    for label, value in (("Severity:", "major"), ("Status:", "identified"),
                         ("Source:", "api"), ("Services:", "Checkout"),
                         ("Draft:", "no"), ("Resolved:", "-"),
                         ("URL:", f"{org_cli.url}/incidents/{inc['id']}")):
        assert re.search(rf"^{re.escape(label)}\s+{re.escape(value)}$", out, re.M), out
    timeline = out[out.index("Timeline"):]
    # Newest first, each with its status, author and (multi-line) message.
    assert timeline.index("identified") < timeline.index("investigating")
    assert "    Card processor down.\n    Failing over.\n" in timeline
    author = org.get_incident(inc["id"])["updates"][0]["author"]
    assert "Investigating." in timeline and f"by {author}" in timeline

    body = org_cli.json("incident", "show", inc["id"])
    assert body == {"incident": org.get_incident(inc["id"])}

    proc = org_cli.run("incident", "show", "inc_doesnotexist", expect=1)
    assert proc.stderr.startswith("kodo: not_found: ")
    assert proc.stdout == ""


def test_incident_update(org_cli, org):
    inc = org.create_incident(severity="minor")
    body = org_cli.json("incident", "update", inc["id"], "--status", "monitoring",
                        "--message", "Fix deployed.")
    assert set(body) == {"update", "incident"}
    assert body["update"]["status"] == "monitoring"
    assert body["update"]["message"] == "Fix deployed."
    assert body["incident"]["status"] == "monitoring"
    # Without --status, the update keeps the current status.
    proc = org_cli.run("incident", "update", inc["id"], "--message", "Still watching.",
                       expect=0)
    assert proc.stdout == f"Updated {inc['id']}: monitoring\n"
    got = org.get_incident(inc["id"])
    assert [(u["status"], u["message"]) for u in got["updates"][:2]] == [
        ("monitoring", "Still watching."), ("monitoring", "Fix deployed.")]
    # A bad status is refused by the server, naming the field.
    proc = org_cli.run("incident", "update", inc["id"], "--status", "panicking",
                       "--message", "x", expect=1)
    assert proc.stderr.startswith("kodo: validation_failed: ")
    assert "(field: status)" in proc.stderr
    proc = org_cli.run("incident", "update", "inc_doesnotexist", "--message", "x",
                       expect=1)
    assert "not_found" in proc.stderr


def test_incident_resolve_json(org_cli, org):
    inc = org.create_incident()
    body = org_cli.json("incident", "resolve", inc["id"], "--message", "All good.")
    assert body["incident"]["status"] == "resolved"
    assert body["update"]["message"] == "All good."
    check_incident_shape(body["incident"])


def test_api_error_prints_code_message_and_field(org_cli):
    proc = org_cli.run("incident", "create", "--title", "", "--severity", "major",
                       "--message", "m", expect=1)
    assert proc.stderr == "kodo: validation_failed: title must not be empty (field: title)\n"
    assert proc.stdout == ""
    proc = org_cli.run("incident", "create", "--title", "t", "--severity", "dire",
                       "--message", "m", expect=1)
    assert "(field: severity)" in proc.stderr
    proc = org_cli.run("incident", "create", "--title", "t", "--severity", "minor",
                       "--message", "m", "--service", "no such service", expect=1)
    assert "(field: services)" in proc.stderr
    # --json does not change where errors go.
    proc = org_cli.run("incident", "create", "--title", "", "--severity", "major",
                       "--message", "m", "--json", expect=1)
    assert proc.stdout == "" and "(field: title)" in proc.stderr


def test_bad_token_is_an_api_error_with_a_hint(cli):
    proc = cli.run("incident", "list", env={"KODO_TOKEN": "kodo_wrong"}, expect=1)
    assert proc.stderr.startswith("kodo: unauthorized: ")
    assert "the token came from KODO_TOKEN" in proc.stderr


def test_server_text_cannot_reach_the_terminal_raw(org_cli, org):
    """Control characters in server text (here, an update message) are
    replaced before they are printed: no escape sequences by proxy."""
    inc = org.create_incident(message="evil \x1b]0;pwned\x07 \x1b[2J text \u009b31m end")
    out = org_cli.run("incident", "show", inc["id"], expect=0).stdout
    assert "\x1b" not in out and "\x07" not in out and "\u009b" not in out
    assert "evil" in out and "end" in out
    # --json is the API's JSON: the characters stay, escaped by JSON.
    body = org_cli.json("incident", "show", inc["id"])
    assert "\x1b]0;pwned" in body["incident"]["updates"][0]["message"]


# -- exit code 3 ----------------------------------------------------------------

@pytest.mark.parametrize("words", [
    ["incident", "list"], ["incident", "show", "inc_x"],
    ["incident", "create", "--title", "t", "--severity", "minor", "--message", "m"],
    ["incident", "resolve", "inc_x", "--message", "m"],
    ["service", "list"], ["service", "delete", "x"], ["monitor", "list"],
    ["monitor", "pause", "mon_x"], ["status"],
])
def test_server_down_exits_3(cli, words):
    url = f"http://127.0.0.1:{closed_port()}"
    proc = cli.run(*words, env={"KODO_URL": url}, expect=3)
    assert proc.stderr.startswith(f"kodo: cannot reach {url}: "), proc.stderr
    assert proc.stdout == ""


def test_server_that_stops_answering_times_out_with_3(cli):
    """A server that accepts the connection but never replies: --timeout."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
        t0 = time.monotonic()
        proc = cli.run("incident", "list", "--timeout", "1",
                       env={"KODO_URL": url}, expect=3)
        took = time.monotonic() - t0
    assert "cannot reach" in proc.stderr
    assert 0.9 <= took < 20, took


# -- precedence: flags > environment > config file ----------------------------

def write_config(path, **values):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    path.chmod(0o600)


def test_precedence_of_url(cli, server):
    down = f"http://127.0.0.1:{closed_port()}"
    config = cli.home / ".config" / "kodo" / "config"
    tok = {"KODO_TOKEN": server.token}
    # The config file alone.
    write_config(config, url=server.url, token=server.token)
    cli.run("service", "list", with_server=False, expect=0)
    # The environment beats the file ...
    cli.run("service", "list", with_server=False, env={"KODO_URL": down}, expect=3)
    write_config(config, url=down, token=server.token)
    cli.run("service", "list", with_server=False, env={"KODO_URL": server.url},
            expect=0)
    # ... and the flag beats both.
    cli.run("service", "list", "--url", server.url, with_server=False,
            env={"KODO_URL": down, **tok}, expect=0)
    cli.run("service", "list", "--url", down, with_server=False,
            env={"KODO_URL": server.url, **tok}, expect=3)
    # An empty variable counts as unset.
    cli.run("service", "list", with_server=False, env={"KODO_URL": ""}, expect=3)


def test_precedence_of_token(cli, server):
    config = cli.home / ".config" / "kodo" / "config"
    url = {"KODO_URL": server.url}
    write_config(config, url=server.url, token="kodo_bad_from_file")
    proc = cli.run("service", "list", with_server=False, expect=1)
    assert "the token came from config file" in proc.stderr
    cli.run("service", "list", with_server=False,
            env={"KODO_TOKEN": server.token, **url}, expect=0)
    proc = cli.run("service", "list", "--token", "kodo_bad_from_flag",
                   with_server=False, env={"KODO_TOKEN": server.token, **url},
                   expect=1)
    assert "the token came from --token" in proc.stderr
    write_config(config, url=server.url, token=server.token)
    cli.run("service", "list", with_server=False, expect=0)
    cli.run("service", "list", "--token", "kodo_bad", with_server=False, expect=1)


def test_xdg_config_home_is_honored(cli, server, tmp_path):
    xdg = tmp_path / "xdg"
    write_config(xdg / "kodo" / "config", url=server.url, token=server.token)
    write_config(cli.home / ".config" / "kodo" / "config", url="http://127.0.0.1:1",
                 token="kodo_bad")
    cli.run("service", "list", with_server=False,
            env={"XDG_CONFIG_HOME": str(xdg)}, expect=0)
    # A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
    cli.run("service", "list", with_server=False,
            env={"XDG_CONFIG_HOME": "relative/dir"}, expect=3)


def test_malformed_config_is_a_usage_error(cli):
    config = cli.home / ".config" / "kodo" / "config"
    write_config(config, url="http://127.0.0.1:1")
    config.write_text("url=http://127.0.0.1:1\nthis line has no equals sign\n")
    proc = cli.run("service", "list", with_server=False, expect=2)
    assert f"{config}:2: expected key=value" in proc.stderr


# -- login -----------------------------------------------------------------------

def test_login_writes_a_private_config(cli, server):
    proc = cli.run("login", "--url", server.url + "/", "--token", server.token,
                   with_server=False, expect=0)
    config = cli.home / ".config" / "kodo" / "config"
    assert str(config) in proc.stdout
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    lines = [ln for ln in config.read_text().splitlines() if not ln.startswith("#")]
    assert lines == [f"url={server.url}", f"token={server.token}"]
    assert not [p for p in config.parent.iterdir() if p != config]  # no temp left
    # Later commands need nothing else.
    body = cli.json("service", "list", with_server=False)
    assert "services" in body
    # Logging in again replaces the file, still 0600, now with an org.
    body = cli.json("login", "--url", server.url, "--token", server.token,
                    "--org", "default", with_server=False)
    assert body == {"url": server.url, "org": "default", "config": str(config),
                    "verified": True}
    assert f"org=default" in config.read_text()
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_login_checks_the_token_first(cli, server):
    config = cli.home / ".config" / "kodo" / "config"
    proc = cli.run("login", "--url", server.url, "--token", "kodo_wrong",
                   with_server=False, expect=1)
    assert "unauthorized" in proc.stderr
    assert not config.exists()
    down = f"http://127.0.0.1:{closed_port()}"
    cli.run("login", "--url", down, "--token", server.token, with_server=False,
            expect=3)
    assert not config.exists()
    # --no-verify saves without asking the server.
    cli.run("login", "--url", down, "--token", "kodo_x", "--no-verify",
            with_server=False, expect=0)
    assert f"url={down}" in config.read_text()


def test_login_takes_env_and_stdin(cli, server, tmp_path):
    config = cli.home / ".config" / "kodo" / "config"
    cli.run("login", with_server=True, expect=0)  # KODO_URL and KODO_TOKEN
    assert f"token={server.token}" in config.read_text()
    config.unlink()
    cli.run("login", "--url", server.url, "--token", "-", with_server=False,
            input=server.token + "\n", expect=0)
    assert f"token={server.token}" in config.read_text()
    # Without a URL from a flag or the environment there is nothing to save.
    proc = cli.run("login", "--token", server.token, with_server=False, expect=2)
    assert "--url (or KODO_URL) is required" in proc.stderr
    proc = cli.run("login", "--url", server.url, "--token", "has space",
                   with_server=False, expect=2)
    assert "must not contain spaces" in proc.stderr


def test_login_under_xdg_config_home(cli, server, tmp_path):
    xdg = tmp_path / "xdg-login"
    cli.run("login", "--url", server.url, "--token", server.token,
            with_server=False, env={"XDG_CONFIG_HOME": str(xdg)}, expect=0)
    assert stat.S_IMODE((xdg / "kodo" / "config").stat().st_mode) == 0o600
    assert not (cli.home / ".config").exists()


def test_config_readable_by_others_is_warned_about(cli, server):
    config = cli.home / ".config" / "kodo" / "config"
    write_config(config, url=server.url, token=server.token)
    config.chmod(0o644)
    proc = cli.run("service", "list", with_server=False, expect=0)
    assert "can be read by others" in proc.stderr and "chmod 600" in proc.stderr


# -- services --------------------------------------------------------------------

def test_lists_follow_next_cursor_past_one_page(org_cli, org):
    """The API gives at most 500 items a page; the CLI lists them all."""
    names = [f"svc-{i:03d}" for i in range(501)]
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(org.create_service, names))
    listed = org_cli.json("service", "list")["services"]
    assert sorted(s["name"] for s in listed) == names
    rows = table_rows(org_cli.run("service", "list", expect=0).stdout)
    assert len(rows) == 1 + 501
    # A name on the second page resolves too.
    last = next(s for s in listed if s["name"] == "svc-500")
    body = org_cli.json("incident", "create", "--title", "Late page", "--severity", "minor",
                        "--message", "On page two.", "--service", "svc-500")
    assert [x["id"] for x in body["incident"]["services"]] == [last["id"]]


def test_a_list_failing_on_a_later_page_prints_nothing(cli):
    """A list is printed whole or not at all: page two answering 500 is
    exit 1 with the server's words, and no half list on stdout."""
    answers = [(200, {"services": [{"id": "svc_1", "name": "API", "group": "",
                                    "status": "operational"}],
                      "next_cursor": "c1"}),
               (500, {"error": {"code": "internal_error", "message": "disk on fire"}})]
    asked = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            status, body = answers[min(len(asked), len(answers)) - 1]
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        for words in (["service", "list"], ["service", "list", "--json"]):
            asked.clear()
            proc = cli.run(*words, env={"KODO_URL": url}, expect=1)
            assert proc.stdout == "", proc.stdout
            assert "disk on fire" in proc.stderr, proc.stderr
            assert asked == ["/api/v1/services?limit=500",
                             "/api/v1/services?limit=500&cursor=c1"], asked
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def test_service_commands(org_cli, org):
    proc = org_cli.run("service", "list", expect=0)
    assert proc.stdout == "" and "No services" in proc.stderr
    sid = org_cli.run("service", "create", "--name", "API", "--group", "Core",
                      "--description", "The public API", expect=0).stdout.strip()
    svc = org.get_service(sid)
    assert (svc["name"], svc["group"], svc["description"]) == ("API", "Core", "The public API")
    body = org_cli.json("service", "create", "--name", "Web")
    assert set(body) == {"service"}
    check_service_shape(body["service"])
    web = body["service"]

    listed = org_cli.json("service", "list")
    assert sorted(s["id"] for s in listed["services"]) == sorted([sid, web["id"]])
    rows = table_rows(org_cli.run("service", "list", expect=0).stdout)
    assert rows[0] == ["ID", "NAME", "GROUP", "STATUS"]
    assert [sid, "API", "Core", "operational"] in rows[1:]
    assert [web["id"], "Web", "-", "operational"] in rows[1:]

    proc = org_cli.run("service", "create", "--name", "API", expect=1)
    assert "(field: name)" in proc.stderr

    # Delete by name, then by id.
    proc = org_cli.run("service", "delete", "API", expect=0)
    assert proc.stdout == f"Deleted service {sid}\n"
    proc = org_cli.run("service", "delete", web["id"], "--json", expect=0)
    assert proc.stdout == ""  # a 204 has no JSON
    assert org.services() == []
    proc = org_cli.run("service", "delete", "API", expect=1)
    assert "not_found" in proc.stderr


# -- monitors ----------------------------------------------------------------------

def test_monitor_commands(org_cli, org):
    svc = org.create_service("API")
    target = f"http://127.0.0.1:{closed_port()}/health"
    body = org_cli.json("monitor", "create", "--name", "API health",
                        "--type", "http", "--target", target,
                        "--interval", "60", "--service", "API",
                        "--expected-status", "200", "--expected-status", "300-399",
                        "--header", "X-Probe: kodo", "--keyword", "ok")
    mon = body["monitor"]
    assert mon["name"] == "API health" and mon["type"] == "http"
    assert mon["url"] == target and mon["interval_s"] == 60
    assert mon["keyword"] == "ok"
    assert mon["headers"] == {"X-Probe": "kodo"}
    assert [s["id"] for s in mon["services"]] == [svc["id"]]  # looked up by name
    assert set(body) == {"monitor"}

    # Without --type it is an http monitor; the human output is the id.
    proc = org_cli.run("monitor", "create", "--name", "Web", "--target", target,
                       expect=0)
    web_id = proc.stdout.strip()
    got = org.api("GET", f"/api/v1/monitors/{web_id}").json()["monitor"]
    assert got["type"] == "http" and got["services"] == []

    listed = org_cli.json("monitor", "list")["monitors"]
    assert sorted(m["id"] for m in listed) == sorted([mon["id"], web_id])
    rows = table_rows(org_cli.run("monitor", "list", expect=0).stdout)
    assert rows[0] == ["ID", "NAME", "TYPE", "STATE", "EVERY", "TARGET"]
    row = next(r for r in rows if r[0] == mon["id"])
    assert row[1:3] == ["API health", "http"] and row[4] == "60s" and row[5] == target
    assert row[3] != "paused"

    proc = org_cli.run("monitor", "pause", mon["id"], expect=0)
    assert proc.stdout == f"Paused {mon['id']}\n"
    got = org.api("GET", f"/api/v1/monitors/{mon['id']}").json()["monitor"]
    assert got["paused"] is True
    rows = table_rows(org_cli.run("monitor", "list", expect=0).stdout)
    assert next(r for r in rows if r[0] == mon["id"])[3] == "paused"
    body = org_cli.json("monitor", "resume", mon["id"])
    assert body["monitor"]["paused"] is False
    got = org.api("GET", f"/api/v1/monitors/{mon['id']}").json()["monitor"]
    assert got["paused"] is False
    proc = org_cli.run("monitor", "pause", web_id, expect=0)
    assert proc.stdout == f"Paused {web_id}\n"
    proc = org_cli.run("monitor", "resume", web_id, expect=0)
    assert proc.stdout == f"Resumed {web_id}\n"

    proc = org_cli.run("monitor", "create", "--name", "x", "--type", "http",
                       "--target", target, "--interval", "1", expect=1)
    assert "(field: interval_s)" in proc.stderr
    proc = org_cli.run("monitor", "create", "--name", "x", "--target", target,
                       "--header", "no colon", expect=2)
    assert "--header must be" in proc.stderr
    proc = org_cli.run("monitor", "pause", "mon_doesnotexist", expect=1)
    assert "not_found" in proc.stderr


def test_monitor_create_heartbeat_reports_the_servers_refusal(org_cli, org):
    """Heartbeat monitors come with the heartbeat issue; until then the server
    refuses them and the CLI must say so with exit code 1 and the field.
    When heartbeats land, this test becomes: prints the id and the ping URL,
    `kodo ping` that URL succeeds, and `monitor list` shows the row."""
    proc = org_cli.run("monitor", "create", "--name", "Nightly backup",
                       "--type", "heartbeat", "--period", "86400",
                       "--grace", "3600", expect=1)
    assert "validation_failed" in proc.stderr
    assert "field:" in proc.stderr
    rows = org_cli.run("monitor", "list", expect=0).stdout
    assert "Nightly backup" not in rows


# -- status --------------------------------------------------------------------------

def test_status_command(cli, server, admin):
    summary = server.api("GET", "/api/v2/summary.json", token=None)
    assert summary.status_code == 200, summary.text
    body = cli.json("status", with_server=False, env={"KODO_URL": server.url})
    assert body["status"]["indicator"] in ("none", "minor", "major", "critical",
                                           "maintenance")
    assert body["status"] == summary.json()["status"]
    proc = cli.run("status", with_server=False, env={"KODO_URL": server.url},
                   expect=0)
    first = proc.stdout.splitlines()[0]
    assert body["status"]["description"] in first
    assert f"(indicator: {body['status']['indicator']})" in first
    for comp in body.get("components", []):
        assert comp["name"] in proc.stdout


def test_status_of_another_organization(cli, server, admin):
    created, org = admin.create_org()
    slug = created["organization"]["slug"]
    svc = org.create_service("Payments")
    org.create_incident(title="Card errors", severity="critical",
                        services=[svc["id"]])
    body = cli.json("status", "--org", slug, with_server=False,
                    env={"KODO_URL": server.url})
    assert body["status"]["indicator"] == "critical"
    assert [c["status"] for c in body["components"] if c["name"] == "Payments"] == [
        "major_outage"]
    proc = cli.run("status", with_server=False,
                   env={"KODO_URL": server.url, "KODO_ORG": slug}, expect=0)
    rows = table_rows(proc.stdout)
    assert ["Payments", "major_outage"] in rows
    assert any("Card errors" in r for r in rows)
    proc = cli.run("status", "--org", "no-such-org", with_server=False,
                   env={"KODO_URL": server.url}, expect=1)
    assert "not_found" in proc.stderr


def test_incident_url_with_an_organization(cli, server, admin):
    created, org = admin.create_org()
    slug = created["organization"]["slug"]
    proc = cli.run("incident", "create", "--title", "t", "--severity", "minor",
                   "--message", "m", "--org", slug,
                   env={"KODO_TOKEN": org.token}, expect=0)
    iid, url = proc.stdout.splitlines()
    assert url == f"{server.url}/status/{slug}/incidents/{iid}"


# -- ping ----------------------------------------------------------------------------

class PingTarget:
    """A loopback HTTP server answering each request with the next status of
    a script (the last one repeats), recording when and what was asked."""

    def __init__(self, statuses, headers=None):
        self.statuses = list(statuses)
        self.headers = headers or {}
        self.requests = []  # (monotonic time, method, path)
        target = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                target.requests.append((time.monotonic(), "GET", self.path))
                i = min(len(target.requests), len(target.statuses)) - 1
                status = target.statuses[i]
                body = b"OK" if status == 200 else b"nope"
                self.send_response(status)
                for k, v in target.headers.get(status, {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


def test_ping_retries_with_backoff_until_it_gets_through(cli):
    with PingTarget([500, 503, 200]) as target:
        t0 = time.monotonic()
        proc = cli.run("ping", target.url + "/ping/tok123", "--backoff", "0.2",
                       expect=0)
        took = time.monotonic() - t0
    assert proc.stdout == "" and proc.stderr == ""  # silent on success (cron)
    times = [t for t, _, _ in target.requests]
    assert [p for _, _, p in target.requests] == ["/ping/tok123"] * 3
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert gaps[0] >= 0.19, gaps          # the first wait: --backoff
    assert gaps[1] >= 0.39, gaps          # then twice that (a constant
                                          # 0.2 s backoff could not reach it)
    assert took < 30


def test_ping_that_always_fails_exits_1_after_the_retries(cli):
    with PingTarget([500]) as target:
        proc = cli.run("ping", target.url + "/ping/tok", "--retries", "3",
                       "--backoff", "0.05", expect=1)
    assert len(target.requests) == 4
    assert "ping failed after 4 attempts: HTTP 500" in proc.stderr


def test_ping_refused_is_not_retried(cli):
    with PingTarget([404]) as target:
        proc = cli.run("ping", target.url + "/ping/unknown", "--backoff", "0.05",
                       expect=1)
    assert len(target.requests) == 1
    assert "after 1 attempt: HTTP 404" in proc.stderr


def test_ping_honors_retry_after(cli):
    with PingTarget([429, 200], headers={429: {"Retry-After": "1"}}) as target:
        cli.run("ping", target.url + "/p", "--backoff", "0.01", expect=0)
    (t1, _, _), (t2, _, _) = target.requests
    assert t2 - t1 >= 0.95


def test_ping_unreachable_exits_3(cli):
    url = f"http://127.0.0.1:{closed_port()}/ping/tok"
    t0 = time.monotonic()
    proc = cli.run("ping", url, "--retries", "2", "--backoff", "0.1", expect=3)
    assert time.monotonic() - t0 >= 0.29  # it did wait between the attempts
    assert "ping failed after 3 attempts" in proc.stderr


def test_ping_token_suffixes_and_json(cli):
    with PingTarget([200]) as target:
        env = {"KODO_URL": target.url}
        cli.run("ping", "tok-1", with_server=False, env=env, expect=0)
        cli.run("ping", "tok-1", "--start", with_server=False, env=env, expect=0)
        cli.run("ping", "tok-1", "--fail", with_server=False, env=env, expect=0)
        cli.run("ping", "tok-1", "--exit-code", "3", with_server=False, env=env,
                expect=0)
        body = cli.json("ping", target.url + "/ping/tok-2/", with_server=False)
    assert [p for _, _, p in target.requests] == [
        "/ping/tok-1", "/ping/tok-1/start", "/ping/tok-1/fail", "/ping/tok-1/3",
        "/ping/tok-2"]
    assert body == {"url": target.url + "/ping/tok-2", "status": 200, "attempts": 1}
    # A bare token needs a server to send it to.
    proc = cli.run("ping", "tok-1", with_server=False, expect=2)
    assert "not a URL" in proc.stderr


# -- color ------------------------------------------------------------------------------

def run_in_pty(cli, args, env):
    """Runs kodo with stdout on a pseudo-terminal; returns (rc, output)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(KODO_BIN), *args], stdout=slave,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env=cli.env(env))
    os.close(slave)
    out = b""
    deadline = time.monotonic() + CLI_TIMEOUT_S
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        elif proc.poll() is not None:
            break
    rc = proc.wait(timeout=CLI_TIMEOUT_S)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    os.close(master)
    assert_no_sanitizer(err)
    return rc, out.decode(errors="replace")


def test_color_only_on_a_terminal_without_no_color(org_cli, org):
    org.create_incident(severity="critical", title="Colorful")
    rc, out = run_in_pty(org_cli, ["incident", "list"], {"TERM": "xterm"})
    assert rc == 0 and "\x1b[31mcritical\x1b[0m" in out, repr(out)
    # The padding counts visible characters, not escape bytes.
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", ln) for ln in out.splitlines()]
    assert lines[1].index("critical") == lines[0].index("SEVERITY")
    rc, out = run_in_pty(org_cli, ["incident", "list"], {"TERM": "xterm", "NO_COLOR": "1"})
    assert rc == 0 and "Colorful" in out and "\x1b[" not in out
    rc, out = run_in_pty(org_cli, ["incident", "list"], {"TERM": "dumb"})
    assert rc == 0 and "\x1b[" not in out
    rc, out = run_in_pty(org_cli, ["incident", "list", "--json"], {"TERM": "xterm"})
    assert rc == 0 and "\x1b[" not in out


# -- completion and man page ------------------------------------------------------------

def complete(cli, line):
    """What bash completion offers for `line` (the cursor at its end)."""
    script = cli.run("completion", "bash", expect=0).stdout
    words = line.split(" ")
    probe = (script + "\nCOMP_WORDS=(" + " ".join(f"'{w}'" for w in words) + ")\n"
             f"COMP_CWORD={len(words) - 1}\n_kodo\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", probe],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return sorted(w for w in proc.stdout.split("\n") if w)


def test_bash_completion(cli):
    script = cli.run("completion", "bash", expect=0).stdout
    check = subprocess.run(["bash", "-n"], input=script, capture_output=True,
                           text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    assert "complete -F _kodo kodo" in script
    top = complete(cli, "kodo ")
    for word in ("serve", "login", "incident", "service", "monitor", "status",
                 "ping", "completion"):
        assert word in top
    assert complete(cli, "kodo incident ") == sorted(
        ["create", "list", "show", "update", "resolve", "publish"])
    assert complete(cli, "kodo incident cr") == ["create"]
    assert complete(cli, "kodo incident create --sev") == ["--severity"]
    assert complete(cli, "kodo incident create --severity ") == ["critical", "major", "minor"]
    assert complete(cli, "kodo incident list --source auto_h") == ["auto_heartbeat"]
    assert complete(cli, "kodo --json incident li") == ["list"]
    assert complete(cli, "kodo incident create --title ") == []
    assert "--draft" in complete(cli, "kodo incident create --")
    assert "--json" in complete(cli, "kodo service list --")
    assert complete(cli, "kodo monitor create --type ") == sorted(
        ["http", "heartbeat", "integration", "beacon"])
    assert complete(cli, "kodo completion ") == ["bash"]
    assert "--listen" in complete(cli, "kodo serve --")


def test_man_page_documents_every_command_and_option(cli):
    assert MAN_PAGE.exists(), MAN_PAGE
    text = MAN_PAGE.read_text()
    assert text.startswith(".TH KODO 1") or "\n.TH KODO 1" in text
    plain = text.replace("\\-", "-").replace("\\fB", "").replace("\\fR", "") \
                .replace("\\fI", "").replace("\\fP", "")
    for words in COMMANDS:
        assert "kodo " + " ".join(words) in plain, words
        help_text = cli.run(*words, "--help", expect=0).stdout
        for opt in set(re.findall(r"^  (--[a-z-]+)", help_text, re.M)):
            assert opt in plain, f"{opt} of kodo {' '.join(words)} not in kodo.1"
    for needle in ("KODO_URL", "KODO_TOKEN", "KODO_ORG", "XDG_CONFIG_HOME",
                   "NO_COLOR", "0600", "EXIT STATUS"):
        assert needle in plain, needle
    if shutil.which("groff"):
        proc = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(MAN_PAGE)],
                              capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
