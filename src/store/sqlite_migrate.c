/*
 * sqlite_migrate — the schema, as numbered migrations applied at start.
 *
 * A migration is never edited once released: a change is a new entry at the
 * end. Each runs in its own transaction together with its version row, so
 * a crash leaves the schema at a known version. Every table that holds an
 * organization's data carries org_id, and every query filters on it.
 */
#include <stdio.h>

#include "store/sqlite_internal.h"
#include "util/log.h"

static const char *const migrations[] = {
	/* 1: organizations, users, tokens, services, incidents, settings */
	"CREATE TABLE orgs ("
	"  id TEXT PRIMARY KEY, name TEXT NOT NULL, slug TEXT NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE users ("
	"  id TEXT PRIMARY KEY,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL, email TEXT, pw_hash TEXT NOT NULL,"
	"  role INTEGER NOT NULL, created_at INTEGER NOT NULL,"
	"  UNIQUE (org_id, name));"
	"CREATE TABLE api_tokens ("
	"  id TEXT PRIMARY KEY,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, role INTEGER NOT NULL,"
	"  instance_owner INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL, revoked_at INTEGER);"
	"CREATE TABLE services ("
	"  id TEXT PRIMARY KEY,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
	"  grp TEXT, position INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
	"  UNIQUE (org_id, name));"
	"CREATE TABLE incidents ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  id TEXT NOT NULL UNIQUE,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  title TEXT NOT NULL, severity INTEGER NOT NULL,"
	"  status INTEGER NOT NULL, source INTEGER NOT NULL,"
	"  draft INTEGER NOT NULL, started_at INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
	"  published_at INTEGER, resolved_at INTEGER, retrospective TEXT,"
	"  monitor_id TEXT);"
	"CREATE INDEX incidents_org ON incidents (org_id, seq);"
	"CREATE TABLE incident_services ("
	"  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
	"  service_id TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,"
	"  org_id TEXT NOT NULL, position INTEGER NOT NULL,"
	"  PRIMARY KEY (incident_id, service_id));"
	"CREATE INDEX incident_services_service ON incident_services (service_id);"
	"CREATE TABLE incident_updates ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  id TEXT NOT NULL UNIQUE,"
	"  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
	"  org_id TEXT NOT NULL, status INTEGER NOT NULL, message TEXT NOT NULL,"
	"  author TEXT NOT NULL, created_at INTEGER NOT NULL);"
	"CREATE INDEX incident_updates_incident ON incident_updates (incident_id, seq);"
	"CREATE TABLE automation_settings ("
	"  org_id TEXT PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,"
	"  draft_mode INTEGER NOT NULL, auto_publish_after_s INTEGER,"
	"  failures_to_open INTEGER NOT NULL, successes_to_resolve INTEGER NOT NULL,"
	"  flap_window_s INTEGER NOT NULL, flap_max_transitions INTEGER NOT NULL,"
	"  cooldown_s INTEGER NOT NULL, notification_batch_s INTEGER NOT NULL,"
	"  auto_resolve INTEGER NOT NULL);",
	/* 2: how an organization's public status page looks (Settings >
	 * Status page); a missing row means the defaults. */
	"CREATE TABLE page_settings ("
	"  org_id TEXT PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,"
	"  name TEXT, logo_url TEXT, accent_color TEXT,"
	"  updated_at INTEGER NOT NULL);",
	/* 3: monitors, their results and rollups, and the safeguard
	 * pipeline's state and decisions. One open auto-incident per monitor
	 * is the database's rule, not the code's hope. */
	"CREATE TABLE monitors ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  id TEXT NOT NULL UNIQUE,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL, type INTEGER NOT NULL, severity INTEGER NOT NULL,"
	"  failures_to_open INTEGER NOT NULL, depends_on TEXT,"
	"  paused INTEGER NOT NULL, spec TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	"CREATE INDEX monitors_org ON monitors (org_id, seq);"
	"CREATE TABLE monitor_services ("
	"  monitor_id TEXT NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,"
	"  service_id TEXT NOT NULL REFERENCES services(id) ON DELETE CASCADE,"
	"  org_id TEXT NOT NULL, position INTEGER NOT NULL,"
	"  PRIMARY KEY (monitor_id, service_id));"
	"CREATE INDEX monitor_services_service ON monitor_services (service_id);"
	"CREATE TABLE monitor_state ("
	"  monitor_id TEXT PRIMARY KEY REFERENCES monitors(id) ON DELETE CASCADE,"
	"  phase INTEGER NOT NULL, fails INTEGER NOT NULL,"
	"  successes INTEGER NOT NULL, first_failure_at INTEGER,"
	"  last_reason TEXT NOT NULL, transitions TEXT NOT NULL,"
	"  flapping INTEGER NOT NULL, last_check_at INTEGER,"
	"  last_ok INTEGER NOT NULL, last_latency_ms INTEGER NOT NULL,"
	"  cert_expires_at INTEGER);"
	"CREATE TABLE monitor_incidents ("
	"  monitor_id TEXT PRIMARY KEY REFERENCES monitors(id) ON DELETE CASCADE,"
	"  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
	"  org_id TEXT NOT NULL, attached_at INTEGER NOT NULL);"
	"CREATE INDEX monitor_incidents_incident ON monitor_incidents (incident_id);"
	"CREATE TABLE check_results ("
	"  monitor_seq INTEGER NOT NULL, at INTEGER NOT NULL, ok INTEGER NOT NULL,"
	"  latency_ms INTEGER NOT NULL, http_status INTEGER NOT NULL,"
	"  dns_ms INTEGER NOT NULL, connect_ms INTEGER NOT NULL,"
	"  tls_ms INTEGER NOT NULL, ttfb_ms INTEGER NOT NULL,"
	"  detail TEXT, PRIMARY KEY (monitor_seq, at)) WITHOUT ROWID;"
	"CREATE TABLE check_rollups ("
	"  monitor_seq INTEGER NOT NULL, period INTEGER NOT NULL,"
	"  start INTEGER NOT NULL, checks INTEGER NOT NULL,"
	"  failures INTEGER NOT NULL, p50_ms INTEGER NOT NULL,"
	"  p95_ms INTEGER NOT NULL,"
	"  PRIMARY KEY (monitor_seq, period, start)) WITHOUT ROWID;"
	"CREATE TABLE monitor_events ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
	"  org_id TEXT NOT NULL, monitor_id TEXT NOT NULL, incident_id TEXT,"
	"  at INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL);"
	"CREATE INDEX monitor_events_monitor ON monitor_events (monitor_id, seq);"
	"CREATE UNIQUE INDEX incidents_open_per_monitor ON incidents (monitor_id)"
	"  WHERE monitor_id IS NOT NULL AND status != 3;",
	/* 4: the team dashboard: sign-in sessions (found by the hash of the
	 * cookie), failed sign-ins for throttling, invitations, emails unique
	 * across the instance (they sign in), and when an active incident
	 * counts as stale (Settings > Automation). */
	"CREATE TABLE sessions ("
	"  hash TEXT PRIMARY KEY,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  csrf TEXT NOT NULL, created_at INTEGER NOT NULL,"
	"  seen_at INTEGER NOT NULL);"
	"CREATE INDEX sessions_user ON sessions (user_id);"
	"CREATE INDEX sessions_seen ON sessions (seen_at);"
	"CREATE TABLE login_failures (key TEXT NOT NULL, at INTEGER NOT NULL);"
	"CREATE INDEX login_failures_key ON login_failures (key, at);"
	"CREATE INDEX login_failures_at ON login_failures (at);"
	"CREATE TABLE invites ("
	"  hash TEXT PRIMARY KEY,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
	"  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  expires_at INTEGER NOT NULL);"
	"CREATE INDEX invites_user ON invites (user_id);"
	"CREATE UNIQUE INDEX users_email ON users (lower(email))"
	"  WHERE email IS NOT NULL;"
	"CREATE INDEX api_tokens_org ON api_tokens (org_id, created_at);"
	"ALTER TABLE automation_settings"
	"  ADD COLUMN stale_after_s INTEGER NOT NULL DEFAULT 1800;",
	/* 5: a monitor's own incidents, newest first, without walking all
	 * of its organization's incidents (the pipeline asks on every edge,
	 * and in a wide outage every monitor has one). */
	"CREATE INDEX incidents_monitor ON incidents (monitor_id, seq)"
	"  WHERE monitor_id IS NOT NULL;",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

static int exec(sqlite3 *db, const char *sql, struct kerr *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	kerr_set(err, KODO_EIO, NULL, "migration failed: %s", msg ? msg : "?");
	sqlite3_free(msg);
	return KODO_EIO;
}

static int current_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(version),0) FROM schema_migrations",
			       -1, &s, NULL) != SQLITE_OK)
		return KODO_EIO;
	int rc = sqlite3_step(s) == SQLITE_ROW ? 0 : KODO_EIO;
	*version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc;
}

int sqlite_migrate(sqlite3 *db, struct kerr *err)
{
	int rc = exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
			  "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
		      err);
	int version = 0;
	if (rc == 0 && current_version(db, &version) != 0)
		rc = kerr_set(err, KODO_EIO, NULL, "cannot read schema version");
	if (rc == 0 && version > N_MIGRATIONS)
		rc = kerr_set(err, KODO_EIO, NULL,
			      "database schema %d is newer than this kodo (%d)",
			      version, N_MIGRATIONS);
	for (int v = version + 1; rc == 0 && v <= N_MIGRATIONS; v++) {
		char mark[128];
		snprintf(mark, sizeof(mark),
			 "INSERT INTO schema_migrations VALUES (%d, strftime('%%s','now'))",
			 v);
		rc = exec(db, "BEGIN IMMEDIATE", err);
		if (rc == 0)
			rc = exec(db, migrations[v - 1], err);
		if (rc == 0)
			rc = exec(db, mark, err);
		rc = rc ? (sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), rc)
			: exec(db, "COMMIT", err);
		if (rc == 0)
			log_info("applied schema migration %d", v);
	}
	return rc;
}
