"""First start, initial credentials, health check and the command line."""

import os
import stat
import subprocess

import requests

from conftest import (KODO_BIN, SANITIZER_ENV, SANITIZER_MARKERS, Server, assert_error,
                      is_json, read_credentials)


def run_cli(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KODO_")}
    env.update(SANITIZER_ENV)
    p = subprocess.run([str(KODO_BIN), *args], capture_output=True, timeout=30, env=env,
                       stdin=subprocess.DEVNULL)
    out = p.stdout.decode(errors="replace") + p.stderr.decode(errors="replace")
    for marker in SANITIZER_MARKERS:
        assert marker not in out, out
    return p.returncode, p.stdout.decode(errors="replace"), out


def test_help_and_version():
    rc, _, out = run_cli("--help")
    assert rc == 0, out
    assert "serve" in out, out

    rc, _, out = run_cli("serve", "--help")
    assert rc == 0, out
    assert "--data" in out and "--listen" in out, out

    rc, _, out = run_cli("--version")
    assert rc == 0, out
    assert "kodo" in out.lower(), out


def test_unknown_subcommand_fails():
    rc, _, out = run_cli("definitely-not-a-command")
    assert rc != 0, out


def test_first_start_with_env_credentials(tmp_path):
    srv = Server(tmp_path)
    srv.start()
    try:
        path = srv.data_dir / "initial-credentials"
        assert path.exists()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        creds = read_credentials(path)
        assert creds["url"] == srv.url
        assert creds["user"] == "admin"
        assert creds["password"] == srv.password
        assert creds["token"] == srv.token

        for hdrs in ({"Authorization": f"Bearer {srv.token}"}, {"X-API-Key": srv.token}):
            r = requests.get(srv.url + "/api/v1/services", headers=hdrs, timeout=10)
            assert r.status_code == 200, r.text
            assert r.json()["services"] == []
        assert srv.client(srv.token).all_incidents() == []

        # The organization `default` exists: its slug is taken.
        r = srv.api("POST", "/api/v1/organizations", json={"name": "Again", "slug": "default"})
        assert_error(r, 409, "conflict")
    finally:
        srv.stop()


def test_first_start_with_random_credentials(tmp_path):
    srv = Server(tmp_path, admin_env=False)
    srv.start()  # reads the token from initial-credentials
    try:
        path = srv.data_dir / "initial-credentials"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        creds = read_credentials(path)
        assert creds["url"] == srv.url
        assert creds["user"] == "admin"
        assert creds["password"]
        token = creds["token"]
        assert token.startswith("kodo_") and len(token) >= 40, token

        r = srv.api("GET", "/api/v1/services", token=token)
        assert r.status_code == 200, r.text
        r = srv.api("GET", "/api/v1/services", token=None, headers={"X-API-Key": token})
        assert r.status_code == 200, r.text
        assert_error(srv.api("GET", "/api/v1/services", token=token + "x"), 401, "unauthorized")
        assert_error(srv.api("GET", "/api/v1/services", token=token[:-1]), 401, "unauthorized")

        # The secrets are shown once at start-up (stdout or stderr).
        shown = srv.stdout() + srv.stderr()
        assert token in shown and creds["password"] in shown

        # A second instance gets different random secrets.
        other = Server(tmp_path / "other", admin_env=False)
        other.start()
        try:
            assert other.token != token
            assert read_credentials(other.data_dir / "initial-credentials")["password"] != creds["password"]
            assert_error(other.api("GET", "/api/v1/services", token=token), 401, "unauthorized")
        finally:
            other.stop()
    finally:
        srv.stop()


def test_restart_keeps_credentials_and_data(tmp_path):
    srv = Server(tmp_path)
    srv.start()
    admin = srv.client(srv.token)
    svc = admin.create_service(name="Survives restart")
    before = (srv.data_dir / "initial-credentials").read_text()
    first_token = srv.token

    # Second start with *different* env secrets: the first ones stay in force.
    srv.stop()
    srv.token = "kodo_" + "z" * 43
    srv.password = "another-password"
    srv.start()
    try:
        assert (srv.data_dir / "initial-credentials").read_text() == before
        r = srv.api("GET", f"/api/v1/services/{svc['id']}", token=first_token)
        assert r.status_code == 200, r.text
        names = [s["name"] for s in srv.client(first_token).services()]
        assert names == ["Survives restart"]
    finally:
        srv.stop()


def test_healthz(server):
    r = requests.get(server.url + "/healthz", timeout=10)
    assert r.status_code == 200
    assert is_json(r)
    assert r.json() == {"status": "ok"}
    # No credentials needed, and bad credentials do not break it.
    r = requests.get(server.url + "/healthz", headers={"Authorization": "Bearer nope"}, timeout=10)
    assert r.status_code == 200 and r.json() == {"status": "ok"}
