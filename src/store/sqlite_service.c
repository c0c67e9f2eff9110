/*
 * sqlite_service — services in SQLite.
 */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/alloc.h"

#define SERVICE_COLS \
	"id, org_id, name, description, grp, position, created_at, updated_at"

static const char *const SQL_INSERT =
	"INSERT INTO services (" SERVICE_COLS ") VALUES (?,?,?,?,?,"
	" (SELECT COALESCE(MAX(position),0)+1 FROM services WHERE org_id = ?2),"
	" ?,?)";
static const char *const SQL_GET =
	"SELECT " SERVICE_COLS " FROM services WHERE org_id = ? AND id = ?";
static const char *const SQL_LIST =
	"SELECT " SERVICE_COLS " FROM services WHERE org_id = ?"
	" ORDER BY position, created_at, id";
static const char *const SQL_RESOLVE =
	"SELECT id, name FROM services WHERE org_id = ?1 AND (id = ?2 OR name = ?2)";
static const char *const SQL_UPDATE =
	"UPDATE services SET name = ?, description = ?, grp = ?, position = ?,"
	" updated_at = ? WHERE org_id = ? AND id = ?";
static const char *const SQL_DELETE =
	"DELETE FROM services WHERE org_id = ? AND id = ?";
static const char *const SQL_IMPACTS =
	"SELECT s.service_id, MAX(i.severity) FROM incident_services s"
	" JOIN incidents i ON i.id = s.incident_id"
	" WHERE s.org_id = ? AND i.org_id = s.org_id AND i.status != 3"
	" AND i.draft = 0 GROUP BY s.service_id";

static void service_read(sqlite3_stmt *s, struct service *out)
{
	memset(out, 0, sizeof(*out));
	col_id(s, 0, out->id);
	col_id(s, 1, out->org_id);
	out->name = col_text(s, 2);
	out->description = col_text(s, 3);
	out->group = col_text(s, 4);
	out->position = sqlite3_column_int64(s, 5);
	out->created_at = sqlite3_column_int64(s, 6);
	out->updated_at = sqlite3_column_int64(s, 7);
}

static int conflict_on_name(int rc, struct kerr *err)
{
	if (rc == KODO_ECONFLICT)
		return kerr_set(err, rc, "name",
				"a service with this name already exists");
	return rc;
}

static int insert_job(struct conn *c, void *arg, struct kerr *err)
{
	const struct service *svc = arg;
	sqlite3_stmt *s = conn_stmt(c, SQL_INSERT);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, svc->id);
	bind_text(s, 2, svc->org_id);
	bind_text(s, 3, svc->name);
	bind_text(s, 4, svc->description ? svc->description : "");
	bind_text(s, 5, svc->group);
	sqlite3_bind_int64(s, 6, svc->created_at);
	sqlite3_bind_int64(s, 7, svc->updated_at);
	return conflict_on_name(sqlite_rc(c, sqlite3_step(s), "service insert"),
				err);
}

int store_service_create(struct store *st, const struct service *svc,
			 struct kerr *err)
{
	return store_write(st, insert_job, (void *)svc, err);
}

static int service_load(struct conn *c, const char *org_id, const char *id,
			struct service *out)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_GET);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, org_id);
	bind_text(s, 2, id);
	int r = sqlite3_step(s);
	int rc = r == SQLITE_ROW ? 0
		 : r == SQLITE_DONE ? KODO_ENOTFOUND
				    : sqlite_rc(c, r, "service get");
	if (rc == 0)
		service_read(s, out);
	sqlite3_reset(s);
	return rc;
}

int store_service_get(struct store *st, const char *org_id, const char *id,
		      struct service *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	int rc = service_load(c, org_id, id, out);
	conn_release(st, c);
	return rc;
}

int store_service_list(struct store *st, const char *org_id,
		       struct service **out, size_t *n)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_LIST);
	size_t count = 0, cap = 0;
	struct service *list = NULL;
	int rc = s ? 0 : KODO_EIO, r = SQLITE_DONE;
	if (s)
		bind_text(s, 1, org_id);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			list = xrealloc(list, cap * sizeof(*list));
		}
		service_read(s, &list[count++]);
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = sqlite_rc(c, r, "service list");
	if (s)
		sqlite3_reset(s);
	conn_release(st, c);
	if (rc) {
		store_service_list_free(list, count);
		return rc;
	}
	*out = list;
	*n = count;
	return 0;
}

void store_service_list_free(struct service *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		service_cleanup(&list[i]);
	free(list);
}

static bool ref_seen(const struct service_ref *refs, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(refs[i].id, id) == 0)
			return true;
	return false;
}

int store_service_resolve(struct store *st, const char *org_id,
			  const char *const *keys, size_t n,
			  struct service_ref **out, struct kerr *err)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	struct service_ref *refs = xcalloc(n, sizeof(*refs));
	size_t count = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		sqlite3_stmt *s = conn_stmt(c, SQL_RESOLVE);
		if (!s) {
			rc = KODO_EIO;
			break;
		}
		bind_text(s, 1, org_id);
		bind_text(s, 2, keys[i]);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW) {
			char id[ID_LEN];
			col_id(s, 0, id);
			if (!ref_seen(refs, count, id)) {
				memcpy(refs[count].id, id, ID_LEN);
				refs[count++].name = col_text(s, 1);
			}
		} else if (r == SQLITE_DONE) {
			rc = kerr_set(err, KODO_EINVAL, "services",
				      "no service \"%.100s\" in this organization",
				      keys[i]);
		} else {
			rc = sqlite_rc(c, r, "service resolve");
		}
		sqlite3_reset(s);
	}
	conn_release(st, c);
	if (rc) {
		service_ref_list_free(refs, count);
		return rc;
	}
	*out = refs;
	return (int)count;
}

struct mutate_args {
	const char *org_id, *id;
	service_apply_fn apply;
	void *arg;
	struct service *out;
};

static int mutate_job(struct conn *c, void *arg, struct kerr *err)
{
	struct mutate_args *a = arg;
	struct service svc;
	int rc = service_load(c, a->org_id, a->id, &svc);
	if (rc)
		return rc;
	rc = a->apply(&svc, a->arg, err);
	sqlite3_stmt *s = rc ? NULL : conn_stmt(c, SQL_UPDATE);
	if (s) {
		bind_text(s, 1, svc.name);
		bind_text(s, 2, svc.description ? svc.description : "");
		bind_text(s, 3, svc.group);
		sqlite3_bind_int64(s, 4, svc.position);
		sqlite3_bind_int64(s, 5, svc.updated_at);
		bind_text(s, 6, svc.org_id);
		bind_text(s, 7, svc.id);
		rc = conflict_on_name(
			sqlite_rc(c, sqlite3_step(s), "service update"), err);
	} else if (rc == 0) {
		rc = KODO_EIO;
	}
	if (rc == 0 && a->out)
		*a->out = svc;
	else
		service_cleanup(&svc);
	return rc;
}

int store_service_mutate(struct store *st, const char *org_id, const char *id,
			 service_apply_fn apply, void *arg, struct service *out,
			 struct kerr *err)
{
	struct mutate_args a = { org_id, id, apply, arg, out };
	return store_write(st, mutate_job, &a, err);
}

struct delete_args {
	const char *org_id, *id;
};

static int delete_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	struct delete_args *a = arg;
	sqlite3_stmt *s = conn_stmt(c, SQL_DELETE);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, a->org_id);
	bind_text(s, 2, a->id);
	int rc = sqlite_rc(c, sqlite3_step(s), "service delete");
	if (rc == 0 && sqlite3_changes(c->db) == 0)
		rc = KODO_ENOTFOUND;
	return rc;
}

int store_service_delete(struct store *st, const char *org_id, const char *id)
{
	struct delete_args a = { org_id, id };
	return store_write(st, delete_job, &a, NULL);
}

int store_service_impacts(struct store *st, const char *org_id,
			  struct service_impact **out, size_t *n)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_IMPACTS);
	size_t count = 0, cap = 0;
	struct service_impact *list = NULL;
	int rc = s ? 0 : KODO_EIO, r = SQLITE_DONE;
	if (s)
		bind_text(s, 1, org_id);
	while (rc == 0 && (r = sqlite3_step(s)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			list = xrealloc(list, cap * sizeof(*list));
		}
		col_id(s, 0, list[count].service_id);
		list[count++].worst = (enum severity)sqlite3_column_int(s, 1);
	}
	if (rc == 0 && r != SQLITE_DONE)
		rc = sqlite_rc(c, r, "service impacts");
	if (s)
		sqlite3_reset(s);
	conn_release(st, c);
	if (rc) {
		free(list);
		return rc;
	}
	*out = list;
	*n = count;
	return 0;
}
