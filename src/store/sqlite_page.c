/*
 * sqlite_page — what the public status page reads, in SQLite: its
 * settings, and published incidents only.
 *
 * Every incident query here carries "draft = 0" itself, so that a draft
 * cannot reach a public route even if a caller forgets to check (core
 * checks again). Reads happen once per change of the organization's data,
 * never per page view: the rendered pages are cached above.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/alloc.h"

#define INCIDENT_COLS SQLITE_INCIDENT_COLS

static const char *const SQL_SETTINGS_GET =
	"SELECT name, logo_url, accent_color, updated_at FROM page_settings"
	" WHERE org_id = ?";
static const char *const SQL_SETTINGS_PUT =
	"INSERT INTO page_settings (org_id, name, logo_url, accent_color,"
	" updated_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (org_id) DO UPDATE"
	" SET name = ?2, logo_url = ?3, accent_color = ?4, updated_at = ?5";
/* Open ones first so that the cap never drops an ongoing incident. */
static const char *const SQL_PUBLIC_LIST =
	"SELECT " INCIDENT_COLS " FROM incidents WHERE org_id = ?1 AND draft = 0"
	" AND (status != 3 OR started_at >= ?2 OR resolved_at >= ?2"
	"  OR seq IN (SELECT seq FROM incidents WHERE org_id = ?1 AND draft = 0"
	"   ORDER BY seq DESC LIMIT ?3))"
	" ORDER BY status = 3, seq DESC LIMIT ?4";
static const char *const SQL_PUBLIC_GET =
	"SELECT " INCIDENT_COLS " FROM incidents"
	" WHERE org_id = ? AND id = ? AND draft = 0";

/* --- settings --- */

static void copy_col(sqlite3_stmt *s, int i, char *dst, size_t size)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	snprintf(dst, size, "%s", t ? (const char *)t : "");
}

static int settings_load(struct conn *c, const char *org_id,
			 struct page_settings *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *s = conn_stmt(c, SQL_SETTINGS_GET);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, org_id);
	int r = sqlite3_step(s);
	int rc = r == SQLITE_ROW || r == SQLITE_DONE
			 ? 0
			 : sqlite_rc(c, r, "page settings get");
	if (r == SQLITE_ROW) {
		copy_col(s, 0, out->name, sizeof(out->name));
		copy_col(s, 1, out->logo_url, sizeof(out->logo_url));
		copy_col(s, 2, out->accent_color, sizeof(out->accent_color));
		out->updated_at = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	return rc;
}

int store_page_settings_get(struct store *st, const char *org_id,
			    struct page_settings *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	int rc = settings_load(c, org_id, out);
	conn_release(st, c);
	return rc;
}

struct settings_args {
	const char *org_id;
	page_settings_apply_fn apply;
	void *arg;
	struct page_settings *out;
};

static void bind_or_null(sqlite3_stmt *s, int i, const char *text)
{
	bind_text(s, i, text[0] ? text : NULL);
}

static int settings_job(struct conn *c, void *arg, struct kerr *err)
{
	struct settings_args *a = arg;
	struct page_settings ps;
	int rc = settings_load(c, a->org_id, &ps);
	if (rc == 0)
		rc = a->apply(&ps, a->arg, err);
	sqlite3_stmt *s = rc ? NULL : conn_stmt(c, SQL_SETTINGS_PUT);
	if (!s)
		return rc ? rc : KODO_EIO;
	bind_text(s, 1, a->org_id);
	bind_or_null(s, 2, ps.name);
	bind_or_null(s, 3, ps.logo_url);
	bind_or_null(s, 4, ps.accent_color);
	sqlite3_bind_int64(s, 5, ps.updated_at);
	rc = sqlite_rc(c, sqlite3_step(s), "page settings put");
	if (rc == 0 && a->out)
		*a->out = ps;
	return rc;
}

int store_page_settings_mutate(struct store *st, const char *org_id,
			       page_settings_apply_fn apply, void *arg,
			       struct page_settings *out, struct kerr *err)
{
	struct settings_args a = { org_id, apply, arg, out };
	return store_write(st, settings_job, &a, err);
}

/* --- published incidents --- */

static int by_seq_desc(const void *a, const void *b)
{
	int64_t x = ((const struct incident *)a)->seq;
	int64_t y = ((const struct incident *)b)->seq;
	return x < y ? 1 : x > y ? -1 : 0;
}

static int list_rows(struct conn *c, const char *org_id, int64_t since_ms,
		     int64_t recent, int64_t max, struct incident **out,
		     size_t *n)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_PUBLIC_LIST);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, org_id);
	sqlite3_bind_int64(s, 2, since_ms);
	sqlite3_bind_int64(s, 3, recent);
	sqlite3_bind_int64(s, 4, max);
	size_t count = 0, cap = 0;
	struct incident *list = NULL;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			list = xrealloc(list, cap * sizeof(*list));
		}
		sqlite_incident_read_row(s, &list[count++]);
	}
	sqlite3_reset(s);
	*out = list;
	*n = count;
	return sqlite_rc(c, r, "public incident list");
}

int store_public_incidents(struct store *st, const char *org_id,
			   int64_t since_ms, int64_t recent, int64_t max,
			   struct incident **out, size_t *n)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	struct incident *list = NULL;
	size_t count = 0;
	/* One read transaction: incidents and their children agree. */
	sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL);
	int rc = list_rows(c, org_id, since_ms, recent, max, &list, &count);
	for (size_t i = 0; rc == 0 && i < count; i++)
		rc = sqlite_incident_read_children(c, &list[i]);
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	conn_release(st, c);
	if (rc) {
		store_incident_list_free(list, count);
		return rc;
	}
	if (count > 1)
		qsort(list, count, sizeof(*list), by_seq_desc);
	*out = list;
	*n = count;
	return 0;
}

int store_public_incident_get(struct store *st, const char *org_id,
			      const char *id, struct incident *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL);
	sqlite3_stmt *s = conn_stmt(c, SQL_PUBLIC_GET);
	int rc = KODO_EIO;
	if (s) {
		bind_text(s, 1, org_id);
		bind_text(s, 2, id);
		int r = sqlite3_step(s);
		rc = r == SQLITE_ROW ? 0
		     : r == SQLITE_DONE ? KODO_ENOTFOUND
					: sqlite_rc(c, r, "public incident get");
		if (rc == 0)
			sqlite_incident_read_row(s, out);
		sqlite3_reset(s);
	}
	if (rc == 0 && (rc = sqlite_incident_read_children(c, out)) != 0)
		incident_cleanup(out);
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	conn_release(st, c);
	return rc;
}
