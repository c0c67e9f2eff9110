/*
 * sqlite_incident — incidents, their affected services and their updates
 * in SQLite. An incident is always read and written whole.
 */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/alloc.h"

#define INCIDENT_COLS SQLITE_INCIDENT_COLS

static const char *const SQL_INSERT =
	"INSERT INTO incidents (id, org_id, title, severity, status, source,"
	" draft, started_at, created_at, updated_at, published_at, resolved_at,"
	" retrospective, monitor_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char *const SQL_GET =
	"SELECT " INCIDENT_COLS " FROM incidents WHERE org_id = ? AND id = ?";
static const char *const SQL_LIST =
	"SELECT " INCIDENT_COLS " FROM incidents WHERE org_id = ?1"
	" AND (?2 = 0 OR (?2 = 1 AND status != 3) OR (?2 = 2 AND status = 3))"
	" AND (?3 < 0 OR source = ?3) AND (?4 < 0 OR draft = ?4)"
	" AND (?5 = 0 OR seq < ?5) ORDER BY seq DESC LIMIT ?6";
static const char *const SQL_SERVICES =
	"SELECT s.id, s.name FROM incident_services x"
	" JOIN services s ON s.id = x.service_id"
	" WHERE x.incident_id = ? AND x.org_id = ? ORDER BY x.position";
static const char *const SQL_UPDATES =
	"SELECT id, status, message, author, created_at FROM incident_updates"
	" WHERE incident_id = ? AND org_id = ? ORDER BY seq DESC";
static const char *const SQL_SERVICE_LINK =
	"INSERT INTO incident_services (incident_id, service_id, org_id, position)"
	" SELECT ?1, id, org_id, ?4 FROM services WHERE id = ?2 AND org_id = ?3";
static const char *const SQL_SERVICE_UNLINK =
	"DELETE FROM incident_services WHERE incident_id = ?";
static const char *const SQL_UPDATE_INSERT =
	"INSERT INTO incident_updates (id, incident_id, org_id, status, message,"
	" author, created_at) VALUES (?,?,?,?,?,?,?)";
static const char *const SQL_SAVE =
	"UPDATE incidents SET title = ?, severity = ?, status = ?, draft = ?,"
	" started_at = ?, updated_at = ?, published_at = ?, resolved_at = ?,"
	" retrospective = ? WHERE org_id = ? AND id = ?";
static const char *const SQL_DELETE =
	"DELETE FROM incidents WHERE org_id = ? AND id = ?";
static const char *const SQL_DETACH_ALL =
	"DELETE FROM monitor_incidents WHERE incident_id = ?";
static const char *const SQL_ATTACH_ORIGIN =
	"INSERT OR REPLACE INTO monitor_incidents (monitor_id, incident_id,"
	" org_id, attached_at) VALUES (?,?,?,?)";

static int64_t col_time(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL
		       ? 0
		       : sqlite3_column_int64(s, i);
}

void sqlite_incident_read_row(sqlite3_stmt *s, struct incident *inc)
{
	memset(inc, 0, sizeof(*inc));
	inc->seq = sqlite3_column_int64(s, 0);
	col_id(s, 1, inc->id);
	col_id(s, 2, inc->org_id);
	inc->title = col_text(s, 3);
	inc->severity = (enum severity)sqlite3_column_int(s, 4);
	inc->status = (enum incident_status)sqlite3_column_int(s, 5);
	inc->source = (enum incident_source)sqlite3_column_int(s, 6);
	inc->draft = sqlite3_column_int(s, 7) != 0;
	inc->started_at = col_time(s, 8);
	inc->created_at = col_time(s, 9);
	inc->updated_at = col_time(s, 10);
	inc->published_at = col_time(s, 11);
	inc->resolved_at = col_time(s, 12);
	inc->retrospective = col_text(s, 13);
	col_id(s, 14, inc->monitor_id);
}

static int read_services(struct conn *c, struct incident *inc)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_SERVICES);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, inc->id);
	bind_text(s, 2, inc->org_id);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (inc->n_services == cap) {
			cap = cap ? cap * 2 : 4;
			inc->services = xrealloc(inc->services,
						 cap * sizeof(*inc->services));
		}
		struct service_ref *ref = &inc->services[inc->n_services++];
		col_id(s, 0, ref->id);
		ref->name = col_text(s, 1);
	}
	sqlite3_reset(s);
	return sqlite_rc(c, r, "incident services");
}

static int read_updates(struct conn *c, struct incident *inc)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_UPDATES);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, inc->id);
	bind_text(s, 2, inc->org_id);
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (inc->n_updates == cap) {
			cap = cap ? cap * 2 : 4;
			inc->updates = xrealloc(inc->updates,
						cap * sizeof(*inc->updates));
		}
		struct update *u = &inc->updates[inc->n_updates++];
		memset(u, 0, sizeof(*u));
		col_id(s, 0, u->id);
		u->status = (enum incident_status)sqlite3_column_int(s, 1);
		u->message = col_text(s, 2);
		u->author = col_text(s, 3);
		u->created_at = sqlite3_column_int64(s, 4);
	}
	sqlite3_reset(s);
	return sqlite_rc(c, r, "incident updates");
}

int sqlite_incident_read_children(struct conn *c, struct incident *inc)
{
	int rc = read_services(c, inc);
	return rc ? rc : read_updates(c, inc);
}

static int incident_load(struct conn *c, const char *org_id, const char *id,
			 struct incident *out)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_GET);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, org_id);
	bind_text(s, 2, id);
	int r = sqlite3_step(s);
	int rc = r == SQLITE_ROW ? 0
		 : r == SQLITE_DONE ? KODO_ENOTFOUND
				    : sqlite_rc(c, r, "incident get");
	if (rc == 0)
		sqlite_incident_read_row(s, out);
	sqlite3_reset(s);
	if (rc == 0 && (rc = sqlite_incident_read_children(c, out)) != 0)
		incident_cleanup(out);
	return rc;
}

static int link_services(struct conn *c, const struct incident *inc,
			 struct kerr *err)
{
	for (size_t i = 0; i < inc->n_services; i++) {
		sqlite3_stmt *s = conn_stmt(c, SQL_SERVICE_LINK);
		if (!s)
			return KODO_EIO;
		bind_text(s, 1, inc->id);
		bind_text(s, 2, inc->services[i].id);
		bind_text(s, 3, inc->org_id);
		sqlite3_bind_int64(s, 4, (int64_t)i);
		int rc = sqlite_rc(c, sqlite3_step(s), "incident link");
		if (rc == 0 && sqlite3_changes(c->db) == 0)
			rc = kerr_set(err, KODO_EINVAL, "services",
				      "service %s no longer exists",
				      inc->services[i].id);
		if (rc == KODO_ECONFLICT)
			rc = kerr_set(err, KODO_EINVAL, "services",
				      "a service is listed twice");
		if (rc)
			return rc;
	}
	return 0;
}

static int insert_update(struct conn *c, const struct incident *inc,
			 const struct update *u)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_UPDATE_INSERT);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, u->id);
	bind_text(s, 2, inc->id);
	bind_text(s, 3, inc->org_id);
	sqlite3_bind_int(s, 4, (int)u->status);
	bind_text(s, 5, u->message);
	bind_text(s, 6, u->author);
	sqlite3_bind_int64(s, 7, u->created_at);
	return sqlite_rc(c, sqlite3_step(s), "update insert");
}

/* Inserts updates oldest first so that seq order is timeline order. */
static int insert_new_updates(struct conn *c, struct incident *inc, bool all)
{
	for (size_t i = inc->n_updates; i-- > 0;) {
		if (!all && !inc->updates[i].is_new)
			continue;
		int rc = insert_update(c, inc, &inc->updates[i]);
		if (rc)
			return rc;
		inc->updates[i].is_new = false;
	}
	return 0;
}

/* An auto-incident starts attached to the monitor that opened it. */
static int attach_origin(struct conn *c, const struct incident *inc)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_ATTACH_ORIGIN);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, inc->monitor_id);
	bind_text(s, 2, inc->id);
	bind_text(s, 3, inc->org_id);
	sqlite3_bind_int64(s, 4, inc->created_at);
	return sqlite_rc(c, sqlite3_step(s), "attach origin");
}

static int create_job(struct conn *c, void *arg, struct kerr *err)
{
	struct incident *inc = arg;
	sqlite3_stmt *s = conn_stmt(c, SQL_INSERT);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, inc->id);
	bind_text(s, 2, inc->org_id);
	bind_text(s, 3, inc->title);
	sqlite3_bind_int(s, 4, (int)inc->severity);
	sqlite3_bind_int(s, 5, (int)inc->status);
	sqlite3_bind_int(s, 6, (int)inc->source);
	sqlite3_bind_int(s, 7, inc->draft);
	sqlite3_bind_int64(s, 8, inc->started_at);
	sqlite3_bind_int64(s, 9, inc->created_at);
	sqlite3_bind_int64(s, 10, inc->updated_at);
	bind_time(s, 11, inc->published_at);
	bind_time(s, 12, inc->resolved_at);
	bind_text(s, 13, inc->retrospective);
	bind_text(s, 14, inc->monitor_id[0] ? inc->monitor_id : NULL);
	int rc = sqlite_rc(c, sqlite3_step(s), "incident insert");
	if (rc)
		return rc;
	inc->seq = sqlite3_last_insert_rowid(c->db);
	rc = link_services(c, inc, err);
	if (rc == 0)
		rc = insert_new_updates(c, inc, true);
	if (rc == 0 && inc->monitor_id[0])
		rc = attach_origin(c, inc);
	return rc;
}

int store_incident_create(struct store *st, struct incident *inc,
			  struct kerr *err)
{
	return store_write(st, create_job, inc, err);
}

int store_incident_get(struct store *st, const char *org_id, const char *id,
		       struct incident *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	int rc = incident_load(c, org_id, id, out);
	conn_release(st, c);
	return rc;
}

static int list_rows(struct conn *c, const char *org_id,
		     const struct incident_filter *f, struct incident **out,
		     size_t *n)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_LIST);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, org_id);
	sqlite3_bind_int(s, 2, (int)f->state);
	sqlite3_bind_int(s, 3, f->source);
	sqlite3_bind_int(s, 4, f->draft);
	sqlite3_bind_int64(s, 5, f->before_seq);
	sqlite3_bind_int64(s, 6, f->limit + 1);
	struct incident *list = xcalloc((size_t)f->limit + 1, sizeof(*list));
	size_t count = 0;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW)
		sqlite_incident_read_row(s, &list[count++]);
	sqlite3_reset(s);
	*out = list;
	*n = count;
	return sqlite_rc(c, r, "incident list");
}

int store_incident_list(struct store *st, const char *org_id,
			const struct incident_filter *f, struct incident **out,
			size_t *n, int64_t *next_seq)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	struct incident *list = NULL;
	size_t count = 0;
	int rc = list_rows(c, org_id, f, &list, &count);
	*next_seq = 0;
	if ((int64_t)count > f->limit) {
		incident_cleanup(&list[--count]);
		*next_seq = list[count - 1].seq;
	}
	for (size_t i = 0; rc == 0 && i < count; i++)
		rc = sqlite_incident_read_children(c, &list[i]);
	conn_release(st, c);
	if (rc) {
		store_incident_list_free(list, count);
		return rc;
	}
	*out = list;
	*n = count;
	return 0;
}

void store_incident_list_free(struct incident *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		incident_cleanup(&list[i]);
	free(list);
}

static int save(struct conn *c, struct incident *inc, struct kerr *err)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_SAVE);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, inc->title);
	sqlite3_bind_int(s, 2, (int)inc->severity);
	sqlite3_bind_int(s, 3, (int)inc->status);
	sqlite3_bind_int(s, 4, inc->draft);
	sqlite3_bind_int64(s, 5, inc->started_at);
	sqlite3_bind_int64(s, 6, inc->updated_at);
	bind_time(s, 7, inc->published_at);
	bind_time(s, 8, inc->resolved_at);
	bind_text(s, 9, inc->retrospective);
	bind_text(s, 10, inc->org_id);
	bind_text(s, 11, inc->id);
	int rc = sqlite_rc(c, sqlite3_step(s), "incident save");
	s = rc ? NULL : conn_stmt(c, SQL_SERVICE_UNLINK);
	if (s) {
		bind_text(s, 1, inc->id);
		rc = sqlite_rc(c, sqlite3_step(s), "incident unlink");
	}
	if (rc == 0)
		rc = link_services(c, inc, err);
	/* A resolved incident holds no monitor: a later failure decides anew. */
	if (rc == 0 && inc->status == IST_RESOLVED &&
	    (s = conn_stmt(c, SQL_DETACH_ALL)) != NULL) {
		bind_text(s, 1, inc->id);
		rc = sqlite_rc(c, sqlite3_step(s), "incident detach");
	}
	return rc ? rc : insert_new_updates(c, inc, false);
}

static int delete_row(struct conn *c, const struct incident *inc)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_DELETE);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, inc->org_id);
	bind_text(s, 2, inc->id);
	return sqlite_rc(c, sqlite3_step(s), "incident delete");
}

struct mutate_args {
	const char *org_id, *id;
	incident_apply_fn apply;
	void *arg;
	struct incident *out;
};

static int mutate_job(struct conn *c, void *arg, struct kerr *err)
{
	struct mutate_args *a = arg;
	struct incident inc;
	int rc = incident_load(c, a->org_id, a->id, &inc);
	if (rc)
		return rc;
	rc = a->apply(&inc, a->arg, err);
	if (rc == STORE_DELETE)
		rc = delete_row(c, &inc);
	else if (rc == 0)
		rc = save(c, &inc, err);
	if (rc == 0 && a->out)
		*a->out = inc;
	else
		incident_cleanup(&inc);
	return rc;
}

int store_incident_mutate(struct store *st, const char *org_id, const char *id,
			  incident_apply_fn apply, void *arg,
			  struct incident *out, struct kerr *err)
{
	struct mutate_args a = { org_id, id, apply, arg, out };
	return store_write(st, mutate_job, &a, err);
}
