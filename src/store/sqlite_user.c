/*
 * sqlite_user — users, sessions, failed sign-ins, invitations, API token
 * management, the organization list and service order in SQLite (see
 * store_user.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "util/alloc.h"

#define USER_COLS "id, org_id, name, email, pw_hash, role, created_at"

static const char *const SQL_USER_INSERT =
	"INSERT INTO users (" USER_COLS ") VALUES (?,?,?,?,?,?,?)";
static const char *const SQL_EMAIL_TAKEN =
	"SELECT 1 FROM users WHERE lower(email) = lower(?1) AND id != ?2";
static const char *const SQL_USER_GET =
	"SELECT " USER_COLS " FROM users WHERE org_id = ? AND id = ?";
static const char *const SQL_USER_LIST =
	"SELECT " USER_COLS " FROM users WHERE org_id = ?"
	" ORDER BY created_at, id";
static const char *const SQL_USER_LOGIN =
	"SELECT u.id, u.org_id, u.name, u.email, u.pw_hash, u.role,"
	" u.created_at FROM users u JOIN orgs o ON o.id = u.org_id"
	" WHERE (u.name = ?1 OR lower(u.email) = lower(?1))"
	" AND (?2 IS NULL OR o.slug = ?2) ORDER BY u.created_at, u.id LIMIT ?3";
static const char *const SQL_USER_SAVE =
	"UPDATE users SET name = ?, email = ?, pw_hash = ?, role = ?"
	" WHERE org_id = ? AND id = ?";
static const char *const SQL_USER_DELETE =
	"DELETE FROM users WHERE org_id = ? AND id = ?";
static const char *const SQL_OWNERS =
	"SELECT COUNT(*) FROM users WHERE org_id = ? AND role = 4";

static const char *const SQL_SESSION_PRUNE =
	"DELETE FROM sessions WHERE seen_at < ?";
static const char *const SQL_SESSION_INSERT =
	"INSERT INTO sessions (hash, org_id, user_id, csrf, created_at, seen_at)"
	" VALUES (?,?,?,?,?,?)";
static const char *const SQL_SESSION_GET =
	"SELECT s.org_id, s.user_id, s.csrf, s.created_at, s.seen_at,"
	" u.name, COALESCE(u.email, ''), u.role, o.name, o.slug,"
	" EXISTS (SELECT 1 FROM api_tokens t WHERE t.user_id = u.id"
	"         AND t.instance_owner = 1)"
	" FROM sessions s JOIN users u ON u.id = s.user_id"
	" AND u.org_id = s.org_id JOIN orgs o ON o.id = s.org_id"
	" WHERE s.hash = ?";
static const char *const SQL_SESSION_TOUCH =
	"UPDATE sessions SET seen_at = ? WHERE hash = ?";
static const char *const SQL_SESSION_DELETE =
	"DELETE FROM sessions WHERE hash = ?";
static const char *const SQL_SESSION_DELETE_USER =
	"DELETE FROM sessions WHERE user_id = ?1 AND hash != COALESCE(?2, '')";

static const char *const SQL_FAILURES =
	"SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_failures"
	" WHERE key = ? AND at >= ?";
static const char *const SQL_FAILURE_PRUNE =
	"DELETE FROM login_failures WHERE at < ?";
static const char *const SQL_FAILURE_ADD =
	"INSERT INTO login_failures (key, at) VALUES (?, ?)";
static const char *const SQL_FAILURE_CLEAR =
	"DELETE FROM login_failures WHERE key = ?";

static const char *const SQL_INVITE_INSERT =
	"INSERT INTO invites (hash, org_id, user_id, expires_at)"
	" VALUES (?,?,?,?)";
static const char *const SQL_INVITE_USER =
	"SELECT u.id, u.org_id, u.name, u.email, u.pw_hash, u.role,"
	" u.created_at FROM invites i JOIN users u ON u.id = i.user_id"
	" AND u.org_id = i.org_id WHERE i.hash = ? AND i.expires_at > ?";
static const char *const SQL_INVITE_DELETE_USER =
	"DELETE FROM invites WHERE user_id = ?";
static const char *const SQL_USER_SET_PW =
	"UPDATE users SET pw_hash = ? WHERE id = ?";

static const char *const SQL_TOKEN_CREATE =
	"INSERT INTO api_tokens (id, org_id, user_id, name, hash, role,"
	" instance_owner, created_at) VALUES (?,?,?,?,?,?,0,?)";
#define TOKEN_COLS                                                       \
	"t.id, t.org_id, COALESCE(t.user_id, ''), t.name, t.role,"       \
	" t.instance_owner, t.created_at, COALESCE(t.revoked_at, 0),"    \
	" COALESCE(u.name, '')"
static const char *const SQL_TOKEN_LIST =
	"SELECT " TOKEN_COLS " FROM api_tokens t"
	" LEFT JOIN users u ON u.id = t.user_id WHERE t.org_id = ?"
	" ORDER BY t.revoked_at IS NOT NULL, t.created_at DESC, t.id";
static const char *const SQL_TOKEN_GET =
	"SELECT " TOKEN_COLS " FROM api_tokens t"
	" LEFT JOIN users u ON u.id = t.user_id WHERE t.org_id = ? AND t.id = ?";
static const char *const SQL_TOKEN_REVOKE =
	"UPDATE api_tokens SET revoked_at = ? WHERE org_id = ? AND id = ?"
	" AND revoked_at IS NULL";

static const char *const SQL_ORG_LIST =
	"SELECT id, name, slug, created_at FROM orgs ORDER BY created_at, id";
static const char *const SQL_SERVICE_ORDER =
	"SELECT id FROM services WHERE org_id = ?"
	" ORDER BY position, created_at, id";
static const char *const SQL_SERVICE_POSITION =
	"UPDATE services SET position = ? WHERE org_id = ? AND id = ?";

/* --- helpers --- */

/* SQLITE_ROW → 0, SQLITE_DONE → KODO_ENOTFOUND, else the mapped error. */
static int step_row(struct conn *c, sqlite3_stmt *s, const char *what)
{
	int r = sqlite3_step(s);
	return r == SQLITE_ROW	 ? 0
	       : r == SQLITE_DONE ? KODO_ENOTFOUND
				  : sqlite_rc(c, r, what);
}

static int step_done(struct conn *c, sqlite3_stmt *s, const char *what)
{
	return s ? sqlite_rc(c, sqlite3_step(s), what) : KODO_EIO;
}

static void col_buf(sqlite3_stmt *s, int i, char *out, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	snprintf(out, cap, "%s", t ? (const char *)t : "");
}

static void user_read(sqlite3_stmt *s, struct user *u)
{
	memset(u, 0, sizeof(*u));
	col_id(s, 0, u->id);
	col_id(s, 1, u->org_id);
	u->name = col_text(s, 2);
	u->email = col_text(s, 3);
	u->pw_hash = col_text(s, 4);
	u->role = (enum role)sqlite3_column_int(s, 5);
	u->created_at = sqlite3_column_int64(s, 6);
}

/* Runs a statement bound to (text, text) that reads users into a list. */
static int users_read_all(struct conn *c, sqlite3_stmt *s, size_t max,
			  struct user **out, size_t *n)
{
	size_t cap = 8, count = 0;
	struct user *list = xcalloc(cap, sizeof(*list));
	int r = SQLITE_DONE;
	while (count < max && (r = sqlite3_step(s)) == SQLITE_ROW) {
		if (count == cap) {
			cap *= 2;
			list = xrealloc(list, cap * sizeof(*list));
		}
		user_read(s, &list[count++]);
	}
	int rc = count < max ? sqlite_rc(c, r, "user list") : 0;
	sqlite3_reset(s);
	if (rc) {
		store_user_list_free(list, count);
		return rc;
	}
	*out = list;
	*n = count;
	return 0;
}

static int user_load(struct conn *c, const char *org_id, const char *id,
		     struct user *out)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_USER_GET);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, org_id);
	bind_text(s, 2, id);
	int rc = step_row(c, s, "user get");
	if (rc == 0)
		user_read(s, out);
	sqlite3_reset(s);
	return rc;
}

static int email_taken(struct conn *c, const char *email, const char *id,
		       struct kerr *err)
{
	if (!email)
		return 0;
	sqlite3_stmt *s = conn_stmt(c, SQL_EMAIL_TAKEN);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, email);
	bind_text(s, 2, id);
	int rc = step_row(c, s, "email check");
	sqlite3_reset(s);
	if (rc == 0)
		return kerr_set(err, KODO_ECONFLICT, "email",
				"a user with this email already exists");
	return rc == KODO_ENOTFOUND ? 0 : rc;
}

static int owners_count(struct conn *c, const char *org_id, int64_t *n)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_OWNERS);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, org_id);
	int rc = step_row(c, s, "owner count");
	*n = rc == 0 ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc;
}

/* After a change to a user who was an owner: one must remain. */
static int keep_an_owner(struct conn *c, const char *org_id, bool was_owner,
			 struct kerr *err)
{
	int64_t n = 0;
	int rc = was_owner ? owners_count(c, org_id, &n) : 0;
	if (rc == 0 && was_owner && n == 0)
		return kerr_set(err, KODO_ECONFLICT, "role",
				"an organization needs at least one owner");
	return rc;
}

/* --- users --- */

static int user_insert_job(struct conn *c, void *arg, struct kerr *err)
{
	const struct user *u = arg;
	int rc = email_taken(c, u->email, u->id, err);
	sqlite3_stmt *s = rc ? NULL : conn_stmt(c, SQL_USER_INSERT);
	if (!s)
		return rc ? rc : KODO_EIO;
	bind_text(s, 1, u->id);
	bind_text(s, 2, u->org_id);
	bind_text(s, 3, u->name);
	bind_text(s, 4, u->email);
	bind_text(s, 5, u->pw_hash);
	sqlite3_bind_int(s, 6, (int)u->role);
	sqlite3_bind_int64(s, 7, u->created_at);
	rc = step_done(c, s, "user insert");
	if (rc == KODO_ECONFLICT)
		return kerr_set(err, rc, "name",
				"a user with this name already exists");
	return rc;
}

int store_user_create(struct store *st, const struct user *u,
		      struct kerr *err)
{
	return store_write(st, user_insert_job, (void *)u, err);
}

int store_user_get(struct store *st, const char *org_id, const char *id,
		   struct user *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	int rc = user_load(c, org_id, id, out);
	conn_release(st, c);
	return rc;
}

int store_user_list(struct store *st, const char *org_id, struct user **out,
		    size_t *n)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_USER_LIST);
	int rc = KODO_EIO;
	if (s) {
		bind_text(s, 1, org_id);
		rc = users_read_all(c, s, SIZE_MAX, out, n);
	}
	conn_release(st, c);
	return rc;
}

void store_user_list_free(struct user *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		user_cleanup(&list[i]);
	free(list);
}

int store_user_find_login(struct store *st, const char *login,
			  const char *org_slug, size_t max, struct user **out,
			  size_t *n)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_USER_LOGIN);
	int rc = KODO_EIO;
	if (s) {
		bind_text(s, 1, login);
		bind_text(s, 2, org_slug);
		sqlite3_bind_int64(s, 3, (sqlite3_int64)max);
		rc = users_read_all(c, s, max, out, n);
	}
	conn_release(st, c);
	return rc;
}

struct user_mutate_args {
	const char *org_id, *id;
	user_apply_fn apply;
	void *arg;
	struct user *out;
};

static int user_save(struct conn *c, const struct user *u, struct kerr *err)
{
	int rc = email_taken(c, u->email, u->id, err);
	sqlite3_stmt *s = rc ? NULL : conn_stmt(c, SQL_USER_SAVE);
	if (!s)
		return rc ? rc : KODO_EIO;
	bind_text(s, 1, u->name);
	bind_text(s, 2, u->email);
	bind_text(s, 3, u->pw_hash);
	sqlite3_bind_int(s, 4, (int)u->role);
	bind_text(s, 5, u->org_id);
	bind_text(s, 6, u->id);
	rc = step_done(c, s, "user save");
	if (rc == KODO_ECONFLICT)
		return kerr_set(err, rc, "name",
				"a user with this name already exists");
	return rc;
}

static int user_mutate_job(struct conn *c, void *arg, struct kerr *err)
{
	struct user_mutate_args *a = arg;
	struct user u;
	int rc = user_load(c, a->org_id, a->id, &u);
	if (rc)
		return rc;
	bool was_owner = u.role == ROLE_OWNER;
	rc = a->apply(&u, a->arg, err);
	if (rc == 0)
		rc = user_save(c, &u, err);
	if (rc == 0)
		rc = keep_an_owner(c, a->org_id, was_owner, err);
	if (rc == 0 && a->out)
		*a->out = u;
	else
		user_cleanup(&u);
	return rc;
}

int store_user_mutate(struct store *st, const char *org_id, const char *id,
		      user_apply_fn apply, void *arg, struct user *out,
		      struct kerr *err)
{
	struct user_mutate_args a = { org_id, id, apply, arg, out };
	return store_write(st, user_mutate_job, &a, err);
}

struct user_delete_args {
	const char *org_id, *id;
};

static int user_delete_job(struct conn *c, void *arg, struct kerr *err)
{
	struct user_delete_args *a = arg;
	struct user u;
	int rc = user_load(c, a->org_id, a->id, &u);
	if (rc)
		return rc;
	bool was_owner = u.role == ROLE_OWNER;
	user_cleanup(&u);
	sqlite3_stmt *s = conn_stmt(c, SQL_USER_DELETE);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, a->org_id);
	bind_text(s, 2, a->id);
	rc = step_done(c, s, "user delete");
	return rc ? rc : keep_an_owner(c, a->org_id, was_owner, err);
}

int store_user_delete(struct store *st, const char *org_id, const char *id,
		      struct kerr *err)
{
	struct user_delete_args a = { org_id, id };
	return store_write(st, user_delete_job, &a, err);
}

/* --- sessions --- */

struct session_create_args {
	const struct session_row *s;
	int64_t stale_before;
};

static int session_create_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	struct session_create_args *a = arg;
	sqlite3_stmt *s = conn_stmt(c, SQL_SESSION_PRUNE);
	if (s)
		sqlite3_bind_int64(s, 1, a->stale_before);
	int rc = step_done(c, s, "session prune");
	s = rc ? NULL : conn_stmt(c, SQL_SESSION_INSERT);
	if (!s)
		return rc ? rc : KODO_EIO;
	bind_text(s, 1, a->s->hash);
	bind_text(s, 2, a->s->org_id);
	bind_text(s, 3, a->s->user_id);
	bind_text(s, 4, a->s->csrf);
	sqlite3_bind_int64(s, 5, a->s->created_at);
	sqlite3_bind_int64(s, 6, a->s->seen_at);
	return step_done(c, s, "session insert");
}

int store_session_create(struct store *st, const struct session_row *s,
			 int64_t stale_before)
{
	struct session_create_args a = { s, stale_before };
	return store_write(st, session_create_job, &a, NULL);
}

static void session_read(sqlite3_stmt *s, const char *hash,
			 struct session_record *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->row.hash, sizeof(out->row.hash), "%s", hash);
	col_id(s, 0, out->row.org_id);
	col_id(s, 1, out->row.user_id);
	col_buf(s, 2, out->row.csrf, sizeof(out->row.csrf));
	out->row.created_at = sqlite3_column_int64(s, 3);
	out->row.seen_at = sqlite3_column_int64(s, 4);
	memcpy(out->who.org_id, out->row.org_id, ID_LEN);
	memcpy(out->who.user_id, out->row.user_id, ID_LEN);
	col_buf(s, 5, out->who.name, sizeof(out->who.name));
	col_buf(s, 6, out->email, sizeof(out->email));
	out->who.role = (enum role)sqlite3_column_int(s, 7);
	col_buf(s, 8, out->org_name, sizeof(out->org_name));
	col_buf(s, 9, out->org_slug, sizeof(out->org_slug));
	out->who.instance_owner = sqlite3_column_int(s, 10) != 0;
	out->who.via_token = false;
}

int store_session_get(struct store *st, const char *hash,
		      struct session_record *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_SESSION_GET);
	int rc = KODO_EIO;
	if (s) {
		bind_text(s, 1, hash);
		rc = step_row(c, s, "session get");
		if (rc == 0)
			session_read(s, hash, out);
		sqlite3_reset(s);
	}
	conn_release(st, c);
	return rc;
}

/* A write of one statement bound to (text|int64, text) arguments. */
struct exec_args {
	const char *sql;
	const char *t1, *t2;
	int64_t i1;
	bool int_first; /* bind i1 first, then t1 (and t2 if wanted) */
	bool need_change; /* KODO_ENOTFOUND when no row changed */
};

static int exec_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	struct exec_args *a = arg;
	sqlite3_stmt *s = conn_stmt(c, a->sql);
	if (!s)
		return KODO_EIO;
	int i = 1;
	if (a->int_first)
		sqlite3_bind_int64(s, i++, a->i1);
	bind_text(s, i++, a->t1);
	if (i <= sqlite3_bind_parameter_count(s))
		bind_text(s, i, a->t2);
	int rc = step_done(c, s, a->sql);
	if (rc == 0 && a->need_change && sqlite3_changes(c->db) == 0)
		rc = KODO_ENOTFOUND;
	return rc;
}

int store_session_touch(struct store *st, const char *hash, int64_t seen_at)
{
	struct exec_args a = { SQL_SESSION_TOUCH, hash, NULL, seen_at, true,
			       false };
	return store_write(st, exec_job, &a, NULL);
}

int store_session_delete(struct store *st, const char *hash)
{
	struct exec_args a = { SQL_SESSION_DELETE, hash, NULL, 0, false,
			       false };
	return store_write(st, exec_job, &a, NULL);
}

int store_session_delete_user(struct store *st, const char *user_id,
			      const char *keep_hash)
{
	struct exec_args a = { SQL_SESSION_DELETE_USER, user_id, keep_hash, 0,
			       false, false };
	return store_write(st, exec_job, &a, NULL);
}

/* --- failed sign-ins --- */

int store_login_failures(struct store *st, const char *key, int64_t since,
			 int64_t *count, int64_t *oldest)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_FAILURES);
	int rc = KODO_EIO;
	if (s) {
		bind_text(s, 1, key);
		sqlite3_bind_int64(s, 2, since);
		rc = step_row(c, s, "login failures");
		*count = rc == 0 ? sqlite3_column_int64(s, 0) : 0;
		*oldest = rc == 0 ? sqlite3_column_int64(s, 1) : 0;
		sqlite3_reset(s);
	}
	conn_release(st, c);
	return rc;
}

struct failure_args {
	const char *key;
	int64_t at, prune_before;
};

static int failure_add_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	struct failure_args *a = arg;
	sqlite3_stmt *s = conn_stmt(c, SQL_FAILURE_PRUNE);
	if (s)
		sqlite3_bind_int64(s, 1, a->prune_before);
	int rc = step_done(c, s, "login failure prune");
	s = rc ? NULL : conn_stmt(c, SQL_FAILURE_ADD);
	if (!s)
		return rc ? rc : KODO_EIO;
	bind_text(s, 1, a->key);
	sqlite3_bind_int64(s, 2, a->at);
	return step_done(c, s, "login failure add");
}

int store_login_failure_add(struct store *st, const char *key, int64_t at,
			    int64_t prune_before)
{
	struct failure_args a = { key, at, prune_before };
	return store_write(st, failure_add_job, &a, NULL);
}

int store_login_failures_clear(struct store *st, const char *key)
{
	struct exec_args a = { SQL_FAILURE_CLEAR, key, NULL, 0, false, false };
	return store_write(st, exec_job, &a, NULL);
}

/* --- invitations --- */

struct invite_args {
	const char *hash, *org_id, *user_id;
	int64_t at;
	const char *pw_hash;
	struct user *out;
};

static int invite_insert_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	struct invite_args *a = arg;
	sqlite3_stmt *s = conn_stmt(c, SQL_INVITE_INSERT);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, a->hash);
	bind_text(s, 2, a->org_id);
	bind_text(s, 3, a->user_id);
	sqlite3_bind_int64(s, 4, a->at);
	return step_done(c, s, "invite insert");
}

int store_invite_create(struct store *st, const char *hash,
			const char *org_id, const char *user_id,
			int64_t expires_at)
{
	struct invite_args a = { hash, org_id, user_id, expires_at, NULL,
				 NULL };
	return store_write(st, invite_insert_job, &a, NULL);
}

static int invite_load(struct conn *c, const char *hash, int64_t now,
		       struct user *out)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_INVITE_USER);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, hash);
	sqlite3_bind_int64(s, 2, now);
	int rc = step_row(c, s, "invite get");
	if (rc == 0)
		user_read(s, out);
	sqlite3_reset(s);
	return rc;
}

int store_invite_get(struct store *st, const char *hash, int64_t now,
		     struct user *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	int rc = invite_load(c, hash, now, out);
	conn_release(st, c);
	return rc;
}

static int invite_accept_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	struct invite_args *a = arg;
	struct user u;
	int rc = invite_load(c, a->hash, a->at, &u);
	if (rc)
		return rc;
	sqlite3_stmt *s = conn_stmt(c, SQL_USER_SET_PW);
	if (s) {
		bind_text(s, 1, a->pw_hash);
		bind_text(s, 2, u.id);
	}
	rc = step_done(c, s, "invite password");
	/* Every invitation of the user goes: the link works once. */
	s = rc ? NULL : conn_stmt(c, SQL_INVITE_DELETE_USER);
	if (s)
		bind_text(s, 1, u.id);
	if (rc == 0)
		rc = step_done(c, s, "invite delete");
	if (rc == 0 && a->out) {
		free(u.pw_hash);
		u.pw_hash = xstrdup(a->pw_hash);
		*a->out = u;
	} else {
		user_cleanup(&u);
	}
	return rc;
}

int store_invite_accept(struct store *st, const char *hash, int64_t now,
			const char *pw_hash, struct user *out)
{
	struct invite_args a = { hash, NULL, NULL, now, pw_hash, out };
	return store_write(st, invite_accept_job, &a, NULL);
}

/* --- API tokens --- */

static int token_insert_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	const struct api_token *t = arg;
	sqlite3_stmt *s = conn_stmt(c, SQL_TOKEN_CREATE);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, t->id);
	bind_text(s, 2, t->org_id);
	bind_text(s, 3, t->user_id[0] ? t->user_id : NULL);
	bind_text(s, 4, t->name);
	bind_text(s, 5, t->hash);
	sqlite3_bind_int(s, 6, (int)t->role);
	sqlite3_bind_int64(s, 7, t->created_at);
	return step_done(c, s, "token create");
}

int store_token_create(struct store *st, const struct api_token *t,
		       struct kerr *err)
{
	return store_write(st, token_insert_job, (void *)t, err);
}

static void token_read(sqlite3_stmt *s, struct token_info *out)
{
	memset(out, 0, sizeof(*out));
	struct api_token *t = &out->token;
	col_id(s, 0, t->id);
	col_id(s, 1, t->org_id);
	col_id(s, 2, t->user_id);
	t->name = col_text(s, 3);
	t->role = (enum role)sqlite3_column_int(s, 4);
	t->instance_owner = sqlite3_column_int(s, 5) != 0;
	t->created_at = sqlite3_column_int64(s, 6);
	out->revoked_at = sqlite3_column_int64(s, 7);
	col_buf(s, 8, out->user_name, sizeof(out->user_name));
}

int store_token_list(struct store *st, const char *org_id,
		     struct token_info **out, size_t *n)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_TOKEN_LIST);
	if (!s) {
		conn_release(st, c);
		return KODO_EIO;
	}
	bind_text(s, 1, org_id);
	size_t cap = 8, count = 0;
	struct token_info *list = xcalloc(cap, sizeof(*list));
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (count == cap) {
			cap *= 2;
			list = xrealloc(list, cap * sizeof(*list));
		}
		token_read(s, &list[count++]);
	}
	int rc = sqlite_rc(c, r, "token list");
	sqlite3_reset(s);
	conn_release(st, c);
	if (rc) {
		store_token_list_free(list, count);
		return rc;
	}
	*out = list;
	*n = count;
	return 0;
}

void store_token_list_free(struct token_info *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		api_token_cleanup(&list[i].token);
	free(list);
}

int store_token_get(struct store *st, const char *org_id, const char *id,
		    struct token_info *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_TOKEN_GET);
	int rc = KODO_EIO;
	if (s) {
		bind_text(s, 1, org_id);
		bind_text(s, 2, id);
		rc = step_row(c, s, "token get");
		if (rc == 0)
			token_read(s, out);
		sqlite3_reset(s);
	}
	conn_release(st, c);
	return rc;
}

int store_token_revoke(struct store *st, const char *org_id, const char *id,
		       int64_t at)
{
	struct exec_args a = { SQL_TOKEN_REVOKE, org_id, id, at, true, true };
	return store_write(st, exec_job, &a, NULL);
}

/* --- organizations and service order --- */

int store_org_list(struct store *st, struct org **out, size_t *n)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_ORG_LIST);
	if (!s) {
		conn_release(st, c);
		return KODO_EIO;
	}
	size_t cap = 8, count = 0;
	struct org *list = xcalloc(cap, sizeof(*list));
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (count == cap) {
			cap *= 2;
			list = xrealloc(list, cap * sizeof(*list));
		}
		struct org *o = &list[count++];
		memset(o, 0, sizeof(*o));
		col_id(s, 0, o->id);
		o->name = col_text(s, 1);
		o->slug = col_text(s, 2);
		o->created_at = sqlite3_column_int64(s, 3);
	}
	int rc = sqlite_rc(c, r, "org list");
	sqlite3_reset(s);
	conn_release(st, c);
	if (rc) {
		store_org_list_free(list, count);
		return rc;
	}
	*out = list;
	*n = count;
	return 0;
}

void store_org_list_free(struct org *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		org_cleanup(&list[i]);
	free(list);
}

struct move_args {
	const char *org_id, *id;
	int delta;
};

#define MOVE_MAX_SERVICES 10000

static int move_job(struct conn *c, void *arg, struct kerr *err)
{
	(void)err;
	struct move_args *a = arg;
	sqlite3_stmt *s = conn_stmt(c, SQL_SERVICE_ORDER);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, a->org_id);
	size_t cap = 16, n = 0;
	char(*ids)[ID_LEN] = xcalloc(cap, ID_LEN);
	int r = SQLITE_DONE;
	while (n < MOVE_MAX_SERVICES && (r = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap *= 2;
			ids = xrealloc(ids, cap * ID_LEN);
		}
		col_id(s, 0, ids[n++]);
	}
	int rc = r == SQLITE_ROW ? 0 : sqlite_rc(c, r, "service order");
	sqlite3_reset(s);
	size_t at = n;
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], a->id) == 0)
			at = i;
	if (rc == 0 && at == n)
		rc = KODO_ENOTFOUND;
	if (rc == 0) {
		/* Clamp the target place, then rotate the one id there. */
		long to = (long)at + a->delta;
		to = to < 0 ? 0 : to >= (long)n ? (long)n - 1 : to;
		char moving[ID_LEN];
		memcpy(moving, ids[at], ID_LEN);
		if ((size_t)to < at)
			memmove(ids[to + 1], ids[to], (at - (size_t)to) * ID_LEN);
		else
			memmove(ids[at], ids[at + 1], ((size_t)to - at) * ID_LEN);
		memcpy(ids[to], moving, ID_LEN);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		s = conn_stmt(c, SQL_SERVICE_POSITION);
		if (!s) {
			rc = KODO_EIO;
			break;
		}
		sqlite3_bind_int64(s, 1, (sqlite3_int64)i + 1);
		bind_text(s, 2, a->org_id);
		bind_text(s, 3, ids[i]);
		rc = step_done(c, s, "service position");
	}
	free(ids);
	return rc;
}

int store_service_move(struct store *st, const char *org_id, const char *id,
		       int delta)
{
	struct move_args a = { org_id, id, delta };
	return store_write(st, move_job, &a, NULL);
}
