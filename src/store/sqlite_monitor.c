/*
 * sqlite_monitor — monitors and what the safeguard pipeline keeps about
 * them, in SQLite. A monitor's type-specific fields are one JSON column
 * (spec), so a new field needs no migration.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/alloc.h"
#include "util/buf.h"

#define MONITOR_COLS                                                       \
	"seq, id, org_id, name, type, severity, failures_to_open, depends_on," \
	" paused, spec, created_at, updated_at"

static const char *const SQL_INSERT =
	"INSERT INTO monitors (id, org_id, name, type, severity,"
	" failures_to_open, depends_on, paused, spec, created_at, updated_at)"
	" VALUES (?,?,?,?,?,?,?,?,?,?,?)";
static const char *const SQL_STATE_INIT =
	"INSERT INTO monitor_state (monitor_id, phase, fails, successes,"
	" last_reason, transitions, flapping, last_ok, last_latency_ms)"
	" VALUES (?, 0, 0, 0, '', '', 0, 0, 0)";
static const char *const SQL_GET =
	"SELECT " MONITOR_COLS " FROM monitors WHERE org_id = ? AND id = ?";
static const char *const SQL_LIST_ORG =
	"SELECT " MONITOR_COLS " FROM monitors WHERE org_id = ? ORDER BY seq";
static const char *const SQL_LIST_ALL =
	"SELECT " MONITOR_COLS " FROM monitors ORDER BY seq";
static const char *const SQL_SERVICES =
	"SELECT s.id, s.name FROM monitor_services x"
	" JOIN services s ON s.id = x.service_id"
	" WHERE x.monitor_id = ? ORDER BY x.position";
static const char *const SQL_LINK =
	"INSERT INTO monitor_services (monitor_id, service_id, org_id, position)"
	" SELECT ?1, id, org_id, ?4 FROM services WHERE id = ?2 AND org_id = ?3";
static const char *const SQL_UNLINK =
	"DELETE FROM monitor_services WHERE monitor_id = ?";
static const char *const SQL_SAVE =
	"UPDATE monitors SET name = ?, severity = ?, failures_to_open = ?,"
	" depends_on = ?, paused = ?, spec = ?, updated_at = ?"
	" WHERE org_id = ? AND id = ?";
static const char *const SQL_DELETE =
	"DELETE FROM monitors WHERE org_id = ? AND id = ?";
/* What a deleted monitor leaves: its results, rollups and events, and the
 * depends_on of its children. */
static const char *const SQL_DELETE_TRACES[] = {
	"DELETE FROM check_results WHERE monitor_seq ="
	" (SELECT seq FROM monitors WHERE org_id = ?1 AND id = ?2)",
	"DELETE FROM check_rollups WHERE monitor_seq ="
	" (SELECT seq FROM monitors WHERE org_id = ?1 AND id = ?2)",
	"DELETE FROM monitor_events WHERE org_id = ?1 AND monitor_id = ?2",
	"UPDATE monitors SET depends_on = NULL WHERE org_id = ?1"
	" AND depends_on = ?2",
};
static const char *const SQL_STATE_GET =
	"SELECT s.phase, s.fails, s.successes, s.first_failure_at,"
	" s.last_reason, s.transitions, s.flapping, s.last_check_at, s.last_ok,"
	" s.last_latency_ms, COALESCE(i.incident_id, ''), s.cert_expires_at"
	" FROM monitor_state s LEFT JOIN monitor_incidents i"
	" ON i.monitor_id = s.monitor_id WHERE s.monitor_id = ?";
static const char *const SQL_RESULT_INSERT =
	"INSERT OR REPLACE INTO check_results (monitor_seq, at, ok, latency_ms,"
	" http_status, dns_ms, connect_ms, tls_ms, ttfb_ms, detail)"
	" VALUES (?,?,?,?,?,?,?,?,?,?)";
static const char *const SQL_STATE_SAVE =
	"UPDATE monitor_state SET phase = ?, fails = ?, successes = ?,"
	" first_failure_at = ?, last_reason = ?, transitions = ?, flapping = ?,"
	" last_check_at = ?, last_ok = ?, last_latency_ms = ?,"
	" cert_expires_at = COALESCE(?, cert_expires_at)"
	" WHERE monitor_id = (SELECT id FROM monitors WHERE seq = ?)";
static const char *const SQL_RESULTS =
	"SELECT m.id, r.at, r.ok, r.latency_ms, r.http_status, r.detail,"
	" r.dns_ms, r.connect_ms, r.tls_ms, r.ttfb_ms"
	" FROM check_results r JOIN monitors m ON m.seq = r.monitor_seq"
	" WHERE m.org_id = ? AND m.id = ? AND r.at >= ? AND r.at < ?"
	" ORDER BY r.at DESC LIMIT ?";
static const char *const SQL_ROLLUP_READ =
	"SELECT monitor_seq, ok, latency_ms FROM check_results"
	" WHERE at >= ? AND at < ? ORDER BY monitor_seq, latency_ms";
static const char *const SQL_ROLLUP_WRITE =
	"INSERT OR REPLACE INTO check_rollups (monitor_seq, period, start,"
	" checks, failures, p50_ms, p95_ms) VALUES (?,?,?,?,?,?,?)";
static const char *const SQL_PRUNE =
	"DELETE FROM check_results WHERE monitor_seq = ? AND at < ?";
static const char *const SQL_SEQS = "SELECT seq FROM monitors";
static const char *const SQL_ROLLUPS =
	"SELECT r.start, r.checks, r.failures, r.p50_ms, r.p95_ms"
	" FROM check_rollups r JOIN monitors m ON m.seq = r.monitor_seq"
	" WHERE m.org_id = ? AND m.id = ? AND r.period = ? AND r.start >= ?"
	" ORDER BY r.start";
/* Day rollups, plus hour rollups of days that have none yet (today). */
static const char *const SQL_DAY_CHECKS =
	"SELECT service_id, day, SUM(checks), SUM(failures) FROM ("
	"  SELECT ms.service_id, r.start AS day, r.checks, r.failures"
	"  FROM check_rollups r JOIN monitors m ON m.seq = r.monitor_seq"
	"  JOIN monitor_services ms ON ms.monitor_id = m.id"
	"  WHERE m.org_id = ?1 AND r.period = 1 AND r.start >= ?2"
	"  UNION ALL"
	"  SELECT ms.service_id, r.start - r.start % 86400000, r.checks,"
	"  r.failures"
	"  FROM check_rollups r JOIN monitors m ON m.seq = r.monitor_seq"
	"  JOIN monitor_services ms ON ms.monitor_id = m.id"
	"  WHERE m.org_id = ?1 AND r.period = 0 AND r.start >= ?2"
	"  AND NOT EXISTS (SELECT 1 FROM check_rollups d"
	"   WHERE d.monitor_seq = r.monitor_seq AND d.period = 1"
	"   AND d.start = r.start - r.start % 86400000))"
	" GROUP BY service_id, day ORDER BY service_id, day";
static const char *const SQL_ATTACH =
	"INSERT OR REPLACE INTO monitor_incidents (monitor_id, incident_id,"
	" org_id, attached_at) VALUES (?,?,?,?)";
static const char *const SQL_DETACH =
	"DELETE FROM monitor_incidents WHERE monitor_id = ?";
static const char *const SQL_ATTACHED_COUNT =
	"SELECT COUNT(*) FROM monitor_incidents WHERE incident_id = ?"
	" AND monitor_id != ?";
/* Both run on every edge of every monitor, so both start from the
 * monitor: "+org_id" keeps the planner off the organization's index
 * (all of its incidents), CROSS JOIN keeps the order monitor → its
 * services → their incidents. */
static const char *const SQL_LAST_INCIDENT =
	"SELECT id, created_at, status FROM incidents"
	" WHERE +org_id = ? AND monitor_id = ? ORDER BY seq DESC LIMIT 1";
static const char *const SQL_GROUP_INCIDENT =
	"SELECT i.id FROM monitor_services ms"
	" CROSS JOIN incident_services x ON x.service_id = ms.service_id"
	" CROSS JOIN incidents i ON i.id = x.incident_id"
	" WHERE ms.monitor_id = ?2 AND i.org_id = ?1 AND i.status != 3"
	" AND i.monitor_id IS NOT NULL AND i.monitor_id != ?2"
	" AND i.created_at >= ?3 ORDER BY i.seq DESC LIMIT 1";
static const char *const SQL_EVENT_INSERT =
	"INSERT INTO monitor_events (id, org_id, monitor_id, incident_id, at,"
	" kind, detail) VALUES (?,?,?,?,?,?,?)";
static const char *const SQL_EVENTS =
	"SELECT id, monitor_id, COALESCE(incident_id,''), at, kind, detail, seq"
	" FROM monitor_events WHERE org_id = ? AND monitor_id = ? AND at >= ?"
	" AND seq < ? ORDER BY seq DESC LIMIT ?";

/* --- the spec column --- */

static char *spec_to_json(const struct http_spec *h)
{
	json_t *expected = json_array(), *headers = json_array();
	for (int i = 0; i < h->n_expected; i++)
		json_array_append_new(expected,
				      json_pack("[i,i]", h->expected[i].lo,
						h->expected[i].hi));
	for (size_t i = 0; i < h->n_headers; i++)
		json_array_append_new(headers,
				      json_pack("[s,s]", h->headers[i].name,
						h->headers[i].value));
	json_t *o = json_pack("{s:s?, s:s?, s:I, s:I, s:o, s:s?, s:o, s:b, s:I}",
			      "url", h->url, "method", h->method, "interval_s",
			      (json_int_t)h->interval_s, "timeout_ms",
			      (json_int_t)h->timeout_ms, "expected", expected,
			      "keyword", h->keyword, "headers", headers,
			      "tls_verify", h->tls_verify, "cert_expiry_days",
			      (json_int_t)h->cert_expiry_days);
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

static char *jdup(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static void spec_from_json(const char *text, struct http_spec *h)
{
	memset(h, 0, sizeof(*h));
	json_t *o = json_loads(text ? text : "{}", 0, NULL);
	if (!o)
		return;
	h->url = jdup(o, "url");
	h->method = jdup(o, "method");
	h->keyword = jdup(o, "keyword");
	h->interval_s = json_integer_value(json_object_get(o, "interval_s"));
	h->timeout_ms = json_integer_value(json_object_get(o, "timeout_ms"));
	h->tls_verify = json_is_true(json_object_get(o, "tls_verify"));
	h->cert_expiry_days =
		json_integer_value(json_object_get(o, "cert_expiry_days"));
	json_t *e = json_object_get(o, "expected");
	for (size_t i = 0; i < json_array_size(e) && i < MONITOR_MAX_RANGES; i++) {
		json_t *r = json_array_get(e, i);
		h->expected[h->n_expected].lo =
			(int)json_integer_value(json_array_get(r, 0));
		h->expected[h->n_expected++].hi =
			(int)json_integer_value(json_array_get(r, 1));
	}
	json_t *hs = json_object_get(o, "headers");
	h->n_headers = json_array_size(hs);
	h->headers = xcalloc(h->n_headers, sizeof(*h->headers));
	for (size_t i = 0; i < h->n_headers; i++) {
		json_t *pair = json_array_get(hs, i);
		h->headers[i].name =
			xstrdup(json_string_value(json_array_get(pair, 0)));
		h->headers[i].value =
			xstrdup(json_string_value(json_array_get(pair, 1)));
	}
	json_decref(o);
}

/* --- monitors --- */

static void monitor_read_row(sqlite3_stmt *s, struct monitor *m)
{
	memset(m, 0, sizeof(*m));
	m->seq = sqlite3_column_int64(s, 0);
	col_id(s, 1, m->id);
	col_id(s, 2, m->org_id);
	m->name = col_text(s, 3);
	m->type = (enum monitor_type)sqlite3_column_int(s, 4);
	m->severity = (enum severity)sqlite3_column_int(s, 5);
	m->failures_to_open = sqlite3_column_int64(s, 6);
	col_id(s, 7, m->depends_on);
	m->paused = sqlite3_column_int(s, 8) != 0;
	spec_from_json((const char *)sqlite3_column_text(s, 9), &m->http);
	m->created_at = sqlite3_column_int64(s, 10);
	m->updated_at = sqlite3_column_int64(s, 11);
}

static int read_services(struct conn *c, struct monitor *m)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_SERVICES);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, m->id);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (m->n_services == cap) {
			cap = cap ? cap * 2 : 4;
			m->services = xrealloc(m->services,
					       cap * sizeof(*m->services));
		}
		col_id(s, 0, m->services[m->n_services].id);
		m->services[m->n_services++].name = col_text(s, 1);
	}
	sqlite3_reset(s);
	return sqlite_rc(c, r, "monitor services");
}

static int link_services(struct conn *c, const struct monitor *m,
			 struct kerr *err)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_UNLINK);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, m->id);
	int rc = sqlite_rc(c, sqlite3_step(s), "monitor unlink");
	for (size_t i = 0; rc == 0 && i < m->n_services; i++) {
		s = conn_stmt(c, SQL_LINK);
		if (!s)
			return KODO_EIO;
		bind_text(s, 1, m->id);
		bind_text(s, 2, m->services[i].id);
		bind_text(s, 3, m->org_id);
		sqlite3_bind_int64(s, 4, (int64_t)i);
		rc = sqlite_rc(c, sqlite3_step(s), "monitor link");
		if (rc == 0 && sqlite3_changes(c->db) == 0)
			rc = kerr_set(err, KODO_EINVAL, "services",
				      "service %s no longer exists",
				      m->services[i].id);
	}
	return rc;
}

static int create_job(struct conn *c, void *arg, struct kerr *err)
{
	struct monitor *m = arg;
	sqlite3_stmt *s = conn_stmt(c, SQL_INSERT);
	if (!s)
		return KODO_EIO;
	char *spec = spec_to_json(&m->http);
	bind_text(s, 1, m->id);
	bind_text(s, 2, m->org_id);
	bind_text(s, 3, m->name);
	sqlite3_bind_int(s, 4, (int)m->type);
	sqlite3_bind_int(s, 5, (int)m->severity);
	sqlite3_bind_int64(s, 6, m->failures_to_open);
	bind_text(s, 7, m->depends_on[0] ? m->depends_on : NULL);
	sqlite3_bind_int(s, 8, m->paused);
	bind_text(s, 9, spec);
	sqlite3_bind_int64(s, 10, m->created_at);
	sqlite3_bind_int64(s, 11, m->updated_at);
	int rc = sqlite_rc(c, sqlite3_step(s), "monitor insert");
	sqlite3_reset(s);
	free(spec);
	if (rc)
		return rc;
	m->seq = sqlite3_last_insert_rowid(c->db);
	s = conn_stmt(c, SQL_STATE_INIT);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, m->id);
	rc = sqlite_rc(c, sqlite3_step(s), "monitor state init");
	return rc ? rc : link_services(c, m, err);
}

int store_monitor_create(struct store *st, struct monitor *m, struct kerr *err)
{
	return store_write(st, create_job, m, err);
}

static int monitor_load(struct conn *c, const char *org_id, const char *id,
			struct monitor *out)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_GET);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, org_id);
	bind_text(s, 2, id);
	int r = sqlite3_step(s);
	int rc = r == SQLITE_ROW ? 0
		 : r == SQLITE_DONE ? KODO_ENOTFOUND
				    : sqlite_rc(c, r, "monitor get");
	if (rc == 0)
		monitor_read_row(s, out);
	sqlite3_reset(s);
	if (rc == 0 && (rc = read_services(c, out)) != 0)
		monitor_cleanup(out);
	return rc;
}

int store_monitor_get(struct store *st, const char *org_id, const char *id,
		      struct monitor *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	int rc = monitor_load(c, org_id, id, out);
	conn_release(st, c);
	return rc;
}

int store_monitor_list(struct store *st, const char *org_id,
		       struct monitor **out, size_t *n)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, org_id ? SQL_LIST_ORG : SQL_LIST_ALL);
	struct monitor *list = NULL;
	size_t count = 0, cap = 0;
	int rc = s ? 0 : KODO_EIO, r = SQLITE_DONE;
	if (s && org_id)
		bind_text(s, 1, org_id);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			list = xrealloc(list, cap * sizeof(*list));
		}
		monitor_read_row(s, &list[count++]);
	}
	if (rc == 0)
		rc = sqlite_rc(c, r, "monitor list");
	if (s)
		sqlite3_reset(s);
	for (size_t i = 0; rc == 0 && i < count; i++)
		rc = read_services(c, &list[i]);
	conn_release(st, c);
	if (rc) {
		store_monitor_list_free(list, count);
		return rc;
	}
	*out = list;
	*n = count;
	return 0;
}

void store_monitor_list_free(struct monitor *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		monitor_cleanup(&list[i]);
	free(list);
}

struct mutate_args {
	const char *org_id, *id;
	monitor_apply_fn apply;
	void *arg;
	struct monitor *out;
};

static int save(struct conn *c, struct monitor *m, struct kerr *err)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_SAVE);
	if (!s)
		return KODO_EIO;
	char *spec = spec_to_json(&m->http);
	bind_text(s, 1, m->name);
	sqlite3_bind_int(s, 2, (int)m->severity);
	sqlite3_bind_int64(s, 3, m->failures_to_open);
	bind_text(s, 4, m->depends_on[0] ? m->depends_on : NULL);
	sqlite3_bind_int(s, 5, m->paused);
	bind_text(s, 6, spec);
	sqlite3_bind_int64(s, 7, m->updated_at);
	bind_text(s, 8, m->org_id);
	bind_text(s, 9, m->id);
	int rc = sqlite_rc(c, sqlite3_step(s), "monitor save");
	sqlite3_reset(s);
	free(spec);
	return rc ? rc : link_services(c, m, err);
}

static int mutate_job(struct conn *c, void *arg, struct kerr *err)
{
	struct mutate_args *a = arg;
	struct monitor m;
	int rc = monitor_load(c, a->org_id, a->id, &m);
	if (rc)
		return rc;
	rc = a->apply(&m, a->arg, err);
	if (rc == 0)
		rc = save(c, &m, err);
	if (rc == 0 && a->out)
		*a->out = m;
	else
		monitor_cleanup(&m);
	return rc;
}

int store_monitor_mutate(struct store *st, const char *org_id, const char *id,
			 monitor_apply_fn apply, void *arg, struct monitor *out,
			 struct kerr *err)
{
	struct mutate_args a = { org_id, id, apply, arg, out };
	return store_write(st, mutate_job, &a, err);
}

struct key_args {
	const char *a, *b;
};

static int delete_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	struct key_args *k = arg;
	for (size_t i = 0; i < sizeof(SQL_DELETE_TRACES) /
				       sizeof(SQL_DELETE_TRACES[0]);
	     i++) {
		sqlite3_stmt *t = conn_stmt(c, SQL_DELETE_TRACES[i]);
		if (!t)
			return KODO_EIO;
		bind_text(t, 1, k->a);
		bind_text(t, 2, k->b);
		int rc = sqlite_rc(c, sqlite3_step(t), "monitor traces");
		if (rc)
			return rc;
	}
	sqlite3_stmt *s = conn_stmt(c, SQL_DELETE);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, k->a);
	bind_text(s, 2, k->b);
	int rc = sqlite_rc(c, sqlite3_step(s), "monitor delete");
	if (rc == 0 && sqlite3_changes(c->db) == 0)
		rc = KODO_ENOTFOUND;
	return rc;
}

int store_monitor_delete(struct store *st, const char *org_id, const char *id)
{
	struct key_args k = { org_id, id };
	return store_write(st, delete_job, &k, NULL);
}

/* --- pipeline state --- */

static void transitions_parse(const char *text, struct monitor_state *s)
{
	s->n_transitions = 0;
	while (text && *text && s->n_transitions < FLAP_MAX_TRACKED) {
		char *end;
		long long v = strtoll(text, &end, 10);
		if (end == text)
			break;
		s->transitions[s->n_transitions++] = v;
		text = *end == ',' ? end + 1 : end;
	}
}

static char *transitions_text(const struct monitor_state *s)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < s->n_transitions; i++)
		buf_printf(&b, "%s%lld", i ? "," : "",
			   (long long)s->transitions[i]);
	return buf_detach(&b, NULL);
}

int store_monitor_state_get(struct store *st, const char *monitor_id,
			    struct monitor_state *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_STATE_GET);
	int rc = KODO_EIO;
	if (s) {
		bind_text(s, 1, monitor_id);
		int r = sqlite3_step(s);
		rc = r == SQLITE_ROW ? 0
		     : r == SQLITE_DONE ? KODO_ENOTFOUND
					: sqlite_rc(c, r, "state get");
	}
	if (rc == 0) {
		memset(out, 0, sizeof(*out));
		out->phase = (enum monitor_phase)sqlite3_column_int(s, 0);
		out->fails = sqlite3_column_int64(s, 1);
		out->successes = sqlite3_column_int64(s, 2);
		out->first_failure_at = sqlite3_column_int64(s, 3);
		snprintf(out->last_reason, sizeof(out->last_reason), "%s",
			 (const char *)sqlite3_column_text(s, 4));
		transitions_parse((const char *)sqlite3_column_text(s, 5), out);
		out->flapping = sqlite3_column_int(s, 6) != 0;
		out->last_check_at = sqlite3_column_int64(s, 7);
		out->last_ok = sqlite3_column_int(s, 8) != 0;
		out->last_latency_ms = sqlite3_column_int64(s, 9);
		col_id(s, 10, out->incident_id);
		out->cert_expires_at = sqlite3_column_int64(s, 11);
	}
	conn_release(st, c);
	return rc;
}

struct record_args {
	const struct result_record *recs;
	size_t n;
};

static int record_one(struct conn *c, const struct result_record *rec)
{
	const struct check_result *r = &rec->result;
	sqlite3_stmt *s = conn_stmt(c, SQL_RESULT_INSERT);
	if (!s)
		return KODO_EIO;
	sqlite3_bind_int64(s, 1, rec->monitor_seq);
	sqlite3_bind_int64(s, 2, r->at);
	sqlite3_bind_int(s, 3, r->ok);
	sqlite3_bind_int64(s, 4, r->latency_ms);
	sqlite3_bind_int(s, 5, r->http_status);
	sqlite3_bind_int64(s, 6, r->dns_ms);
	sqlite3_bind_int64(s, 7, r->connect_ms);
	sqlite3_bind_int64(s, 8, r->tls_ms);
	sqlite3_bind_int64(s, 9, r->ttfb_ms);
	bind_text(s, 10, r->detail[0] ? r->detail : NULL);
	int rc = sqlite_rc(c, sqlite3_step(s), "result insert");
	if (rc || !(s = conn_stmt(c, SQL_STATE_SAVE)))
		return rc ? rc : KODO_EIO;
	const struct monitor_state *m = &rec->state;
	char *transitions = transitions_text(m);
	sqlite3_bind_int(s, 1, (int)m->phase);
	sqlite3_bind_int64(s, 2, m->fails);
	sqlite3_bind_int64(s, 3, m->successes);
	bind_time(s, 4, m->first_failure_at);
	bind_text(s, 5, m->last_reason);
	bind_text(s, 6, transitions);
	sqlite3_bind_int(s, 7, m->flapping);
	bind_time(s, 8, m->last_check_at);
	sqlite3_bind_int(s, 9, m->last_ok);
	sqlite3_bind_int64(s, 10, m->last_latency_ms);
	bind_time(s, 11, r->cert_expires_at);
	sqlite3_bind_int64(s, 12, rec->monitor_seq);
	rc = sqlite_rc(c, sqlite3_step(s), "state save");
	sqlite3_reset(s);
	free(transitions);
	return rc;
}

static int record_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	struct record_args *a = arg;
	for (size_t i = 0; i < a->n; i++) {
		int rc = record_one(c, &a->recs[i]);
		if (rc)
			return rc;
	}
	return 0;
}

int store_results_record(struct store *st, const struct result_record *recs,
			 size_t n)
{
	struct record_args a = { recs, n };
	return n ? store_write(st, record_job, &a, NULL) : 0;
}

/* Reads the current row into an item of a windowed list. */
typedef void (*row_reader)(sqlite3_stmt *s, void *item);
/* Frees a windowed list of n items. */
typedef void (*list_free)(void *list, size_t n);

/*
 * A newest-first window of one monitor's rows (results or events): sql
 * takes org, monitor, since, the window's end and the limit, and each row
 * becomes an item of size bytes by read.
 */
static int window_list(struct store *st, const char *sql, const char *org_id,
		       const char *monitor_id, const struct list_window *w,
		       size_t size, row_reader read, list_free drop,
		       void **out, size_t *n)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, sql);
	int rc = s ? 0 : KODO_EIO, r = SQLITE_DONE;
	char *list = xcalloc((size_t)w->limit, size);
	size_t count = 0;
	if (s) {
		bind_text(s, 1, org_id);
		bind_text(s, 2, monitor_id);
		sqlite3_bind_int64(s, 3, w->since);
		sqlite3_bind_int64(s, 4, w->before > 0 ? w->before : INT64_MAX);
		sqlite3_bind_int64(s, 5, w->limit);
	}
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW)
		read(s, list + size * count++);
	if (rc == 0)
		rc = sqlite_rc(c, r, "monitor list window");
	conn_release(st, c);
	if (rc) {
		drop(list, count);
		return rc;
	}
	*out = list;
	*n = count;
	return 0;
}

static void read_result(sqlite3_stmt *s, void *item)
{
	struct check_result *x = item;
	col_id(s, 0, x->monitor_id);
	x->at = sqlite3_column_int64(s, 1);
	x->ok = sqlite3_column_int(s, 2) != 0;
	x->latency_ms = sqlite3_column_int64(s, 3);
	x->http_status = sqlite3_column_int(s, 4);
	const unsigned char *d = sqlite3_column_text(s, 5);
	snprintf(x->detail, sizeof(x->detail), "%s", d ? (const char *)d : "");
	x->dns_ms = sqlite3_column_int64(s, 6);
	x->connect_ms = sqlite3_column_int64(s, 7);
	x->tls_ms = sqlite3_column_int64(s, 8);
	x->ttfb_ms = sqlite3_column_int64(s, 9);
}

static void free_results(void *list, size_t n)
{
	(void)n;
	free(list);
}

int store_results_list(struct store *st, const char *org_id,
		       const char *monitor_id, const struct list_window *w,
		       struct check_result **out, size_t *n)
{
	void *list = NULL;
	int rc = window_list(st, SQL_RESULTS, org_id, monitor_id, w,
			     sizeof(**out), read_result, free_results, &list,
			     n);
	*out = list; /* NULL on failure */
	return rc;
}

/* --- rollups --- */

struct rollup_row {
	int64_t seq;
	struct rollup r;
};

struct rollup_args {
	struct rollup_row *rows;
	size_t n;
	int period;
	int64_t *seqs;
	size_t n_seqs;
	int64_t keep_after;
};

static int64_t percentile(const int64_t *sorted, size_t n, int pct)
{
	if (n == 0)
		return 0;
	size_t i = (n * (size_t)pct + 99) / 100;
	return sorted[i ? i - 1 : 0];
}

/* Reads raw results of a window, sorted per monitor by latency, on a
 * reader connection so the writer is not held while it scans. */
static int rollup_read(struct conn *c, int64_t start, int64_t len,
		       struct rollup_args *a)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_ROLLUP_READ);
	if (!s)
		return KODO_EIO;
	sqlite3_bind_int64(s, 1, start);
	sqlite3_bind_int64(s, 2, start + len);
	size_t cap = 0, lat_cap = 0, n_lat = 0;
	int64_t *lat = NULL, cur = -1;
	struct rollup_row *row = NULL;
	int r;
	for (;;) {
		r = sqlite3_step(s);
		int64_t seq = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -2;
		if (seq != cur && row) {
			row->r.p50_ms = percentile(lat, n_lat, 50);
			row->r.p95_ms = percentile(lat, n_lat, 95);
			row = NULL;
		}
		if (r != SQLITE_ROW)
			break;
		if (seq != cur) {
			if (a->n == cap) {
				cap = cap ? cap * 2 : 64;
				a->rows = xrealloc(a->rows, cap * sizeof(*a->rows));
			}
			row = &a->rows[a->n++];
			memset(row, 0, sizeof(*row));
			row->seq = cur = seq;
			row->r.start = start;
			n_lat = 0;
		}
		row->r.checks++;
		row->r.failures += sqlite3_column_int(s, 1) == 0;
		if (n_lat == lat_cap) {
			lat_cap = lat_cap ? lat_cap * 2 : 256;
			lat = xrealloc(lat, lat_cap * sizeof(*lat));
		}
		lat[n_lat++] = sqlite3_column_int64(s, 2);
	}
	free(lat);
	sqlite3_reset(s);
	int rc = sqlite_rc(c, r, "rollup read");
	s = rc ? NULL : conn_stmt(c, SQL_SEQS);
	while (s && (r = sqlite3_step(s)) == SQLITE_ROW) {
		a->seqs = xrealloc(a->seqs, (a->n_seqs + 1) * sizeof(*a->seqs));
		a->seqs[a->n_seqs++] = sqlite3_column_int64(s, 0);
	}
	if (s)
		sqlite3_reset(s);
	return rc;
}

static int rollup_write_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	struct rollup_args *a = arg;
	for (size_t i = 0; i < a->n; i++) {
		sqlite3_stmt *s = conn_stmt(c, SQL_ROLLUP_WRITE);
		if (!s)
			return KODO_EIO;
		const struct rollup_row *w = &a->rows[i];
		sqlite3_bind_int64(s, 1, w->seq);
		sqlite3_bind_int(s, 2, a->period);
		sqlite3_bind_int64(s, 3, w->r.start);
		sqlite3_bind_int64(s, 4, w->r.checks);
		sqlite3_bind_int64(s, 5, w->r.failures);
		sqlite3_bind_int64(s, 6, w->r.p50_ms);
		sqlite3_bind_int64(s, 7, w->r.p95_ms);
		int rc = sqlite_rc(c, sqlite3_step(s), "rollup write");
		if (rc)
			return rc;
	}
	for (size_t i = 0; a->keep_after > 0 && i < a->n_seqs; i++) {
		sqlite3_stmt *s = conn_stmt(c, SQL_PRUNE);
		if (!s)
			return KODO_EIO;
		sqlite3_bind_int64(s, 1, a->seqs[i]);
		sqlite3_bind_int64(s, 2, a->keep_after);
		int rc = sqlite_rc(c, sqlite3_step(s), "prune");
		if (rc)
			return rc;
	}
	return 0;
}

int store_results_rollup(struct store *st, int period, int64_t start,
			 int64_t len, int64_t keep_after)
{
	struct rollup_args a = { .period = period, .keep_after = keep_after };
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	int rc = rollup_read(c, start, len, &a);
	conn_release(st, c);
	if (rc == 0)
		rc = store_write(st, rollup_write_job, &a, NULL);
	free(a.rows);
	free(a.seqs);
	return rc;
}

int store_rollups_list(struct store *st, const char *org_id,
		       const char *monitor_id, int period, int64_t since,
		       struct rollup **out, size_t *n)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_ROLLUPS);
	int rc = s ? 0 : KODO_EIO, r = SQLITE_DONE;
	struct rollup *list = NULL;
	size_t count = 0;
	if (s) {
		bind_text(s, 1, org_id);
		bind_text(s, 2, monitor_id);
		sqlite3_bind_int(s, 3, period);
		sqlite3_bind_int64(s, 4, since);
	}
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		list = xrealloc(list, (count + 1) * sizeof(*list));
		list[count].start = sqlite3_column_int64(s, 0);
		list[count].checks = sqlite3_column_int64(s, 1);
		list[count].failures = sqlite3_column_int64(s, 2);
		list[count].p50_ms = sqlite3_column_int64(s, 3);
		list[count++].p95_ms = sqlite3_column_int64(s, 4);
	}
	if (rc == 0)
		rc = sqlite_rc(c, r, "rollups list");
	conn_release(st, c);
	if (rc) {
		free(list);
		return rc;
	}
	*out = list;
	*n = count;
	return 0;
}

int store_service_day_checks(struct store *st, const char *org_id,
			     int64_t since, struct service_day_checks **out,
			     size_t *n)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_DAY_CHECKS);
	int rc = s ? 0 : KODO_EIO, r = SQLITE_DONE;
	struct service_day_checks *list = NULL;
	size_t count = 0;
	if (s) {
		bind_text(s, 1, org_id);
		sqlite3_bind_int64(s, 2, since);
	}
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		list = xrealloc(list, (count + 1) * sizeof(*list));
		struct service_day_checks *d = &list[count++];
		col_id(s, 0, d->service_id);
		d->day = sqlite3_column_int64(s, 1);
		d->checks = sqlite3_column_int64(s, 2);
		d->failures = sqlite3_column_int64(s, 3);
	}
	if (rc == 0)
		rc = sqlite_rc(c, r, "day checks");
	conn_release(st, c);
	if (rc) {
		free(list);
		return rc;
	}
	*out = list;
	*n = count;
	return 0;
}

/* --- incident links --- */

struct attach_args {
	const char *org_id, *monitor_id, *incident_id;
	int64_t at;
};

static int attach_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	struct attach_args *a = arg;
	sqlite3_stmt *s = conn_stmt(c, SQL_ATTACH);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, a->monitor_id);
	bind_text(s, 2, a->incident_id);
	bind_text(s, 3, a->org_id);
	sqlite3_bind_int64(s, 4, a->at);
	return sqlite_rc(c, sqlite3_step(s), "attach");
}

int store_monitor_attach(struct store *st, const char *org_id,
			 const char *monitor_id, const char *incident_id,
			 int64_t at)
{
	struct attach_args a = { org_id, monitor_id, incident_id, at };
	return store_write(st, attach_job, &a, NULL);
}

static int detach_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	sqlite3_stmt *s = conn_stmt(c, SQL_DETACH);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, arg);
	return sqlite_rc(c, sqlite3_step(s), "detach");
}

int store_monitor_detach(struct store *st, const char *monitor_id)
{
	return store_write(st, detach_job, (void *)monitor_id, NULL);
}

/* Runs a one-row query with two text keys (and an optional third int). */
static int query_row(struct store *st, const char *sql, const char *k1,
		     const char *k2, int64_t k3, int (*read)(sqlite3_stmt *,
							   void *),
		     void *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, sql);
	int rc = KODO_EIO;
	if (s) {
		bind_text(s, 1, k1);
		bind_text(s, 2, k2);
		if (sqlite3_bind_parameter_count(s) >= 3)
			sqlite3_bind_int64(s, 3, k3);
		int r = sqlite3_step(s);
		rc = r == SQLITE_ROW ? read(s, out)
		     : r == SQLITE_DONE ? KODO_ENOTFOUND
					: sqlite_rc(c, r, sql);
	}
	conn_release(st, c);
	return rc;
}

static int read_count(sqlite3_stmt *s, void *out)
{
	*(int64_t *)out = sqlite3_column_int64(s, 0);
	return 0;
}

int store_incident_attached_count(struct store *st, const char *incident_id,
				  const char *monitor_id, int64_t *n)
{
	return query_row(st, SQL_ATTACHED_COUNT, incident_id, monitor_id, 0,
			 read_count, n);
}

struct last_incident {
	char *id;
	int64_t *created_at;
	enum incident_status *status;
};

static int read_last(sqlite3_stmt *s, void *out)
{
	struct last_incident *l = out;
	col_id(s, 0, l->id);
	*l->created_at = sqlite3_column_int64(s, 1);
	*l->status = (enum incident_status)sqlite3_column_int(s, 2);
	return 0;
}

int store_monitor_last_incident(struct store *st, const char *org_id,
				const char *monitor_id, char id[ID_LEN],
				int64_t *created_at,
				enum incident_status *status)
{
	struct last_incident l = { id, created_at, status };
	return query_row(st, SQL_LAST_INCIDENT, org_id, monitor_id, 0,
			 read_last, &l);
}

static int read_id(sqlite3_stmt *s, void *out)
{
	col_id(s, 0, out);
	return 0;
}

int store_group_incident(struct store *st, const char *org_id,
			 const char *monitor_id, int64_t since,
			 char id[ID_LEN])
{
	return query_row(st, SQL_GROUP_INCIDENT, org_id, monitor_id, since,
			 read_id, id);
}

/* --- events --- */

struct event_args {
	const char *org_id;
	const struct monitor_event *e;
};

static int event_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	struct event_args *a = arg;
	sqlite3_stmt *s = conn_stmt(c, SQL_EVENT_INSERT);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, a->e->id);
	bind_text(s, 2, a->org_id);
	bind_text(s, 3, a->e->monitor_id);
	bind_text(s, 4, a->e->incident_id[0] ? a->e->incident_id : NULL);
	sqlite3_bind_int64(s, 5, a->e->at);
	bind_text(s, 6, a->e->kind);
	bind_text(s, 7, a->e->detail ? a->e->detail : "");
	return sqlite_rc(c, sqlite3_step(s), "event insert");
}

int store_event_add(struct store *st, const char *org_id,
		    const struct monitor_event *e)
{
	struct event_args a = { org_id, e };
	return store_write(st, event_job, &a, NULL);
}

static void read_event(sqlite3_stmt *s, void *item)
{
	struct monitor_event *e = item;
	col_id(s, 0, e->id);
	col_id(s, 1, e->monitor_id);
	col_id(s, 2, e->incident_id);
	e->at = sqlite3_column_int64(s, 3);
	const unsigned char *kind = sqlite3_column_text(s, 4);
	snprintf(e->kind, sizeof(e->kind), "%s", kind ? (const char *)kind : "");
	e->detail = col_text(s, 5);
	e->seq = sqlite3_column_int64(s, 6);
}

static void free_events(void *list, size_t n)
{
	store_events_free(list, n);
}

int store_events_list(struct store *st, const char *org_id,
		      const char *monitor_id, const struct list_window *w,
		      struct monitor_event **out, size_t *n)
{
	void *list = NULL;
	int rc = window_list(st, SQL_EVENTS, org_id, monitor_id, w,
			     sizeof(**out), read_event, free_events, &list,
			     n);
	*out = list; /* NULL on failure */
	return rc;
}

void store_events_free(struct monitor_event *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].detail);
	free(list);
}
