/*
 * sqlite_org — organizations, users and API tokens in SQLite.
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"

static const char *const SQL_ORG_COUNT = "SELECT COUNT(*) FROM orgs";
static const char *const SQL_ORG_INSERT =
	"INSERT INTO orgs (id, name, slug, created_at) VALUES (?,?,?,?)";
static const char *const SQL_SETTINGS_INSERT =
	"INSERT INTO automation_settings (org_id, draft_mode,"
	" auto_publish_after_s, failures_to_open, successes_to_resolve,"
	" flap_window_s, flap_max_transitions, cooldown_s,"
	" notification_batch_s, auto_resolve)"
	" VALUES (?,?,?,?,?,?,?,?,?,?)";
static const char *const SQL_USER_INSERT =
	"INSERT INTO users (id, org_id, name, email, pw_hash, role, created_at)"
	" VALUES (?,?,?,?,?,?,?)";
static const char *const SQL_TOKEN_INSERT =
	"INSERT INTO api_tokens (id, org_id, user_id, name, hash, role,"
	" instance_owner, created_at) VALUES (?,?,?,?,?,?,?,?)";
static const char *const SQL_ORG_BY_ID =
	"SELECT id, name, slug, created_at FROM orgs WHERE id = ?";
static const char *const SQL_ORG_BY_SLUG =
	"SELECT id, name, slug, created_at FROM orgs WHERE slug = ?";
static const char *const SQL_TOKEN_LOOKUP =
	"SELECT t.org_id, COALESCE(t.user_id,''), COALESCE(u.name, t.name),"
	" t.role, t.instance_owner FROM api_tokens t"
	" LEFT JOIN users u ON u.id = t.user_id"
	" WHERE t.hash = ? AND t.revoked_at IS NULL";

int store_org_count(struct store *st, int64_t *n)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_ORG_COUNT);
	int rc = s ? sqlite_rc(c, sqlite3_step(s), "org count") : KODO_EIO;
	if (rc == 0)
		*n = sqlite3_column_int64(s, 0);
	conn_release(st, c);
	return rc;
}

struct org_create_args {
	const struct org *org;
	const struct automation *settings;
	const struct user *user;
	const struct api_token *token;
};

static int step_once(struct conn *c, sqlite3_stmt *s, const char *what)
{
	if (!s)
		return KODO_EIO;
	return sqlite_rc(c, sqlite3_step(s), what);
}

static int insert_user(struct conn *c, const struct user *u)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_USER_INSERT);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, u->id);
	bind_text(s, 2, u->org_id);
	bind_text(s, 3, u->name);
	bind_text(s, 4, u->email);
	bind_text(s, 5, u->pw_hash);
	sqlite3_bind_int(s, 6, (int)u->role);
	sqlite3_bind_int64(s, 7, u->created_at);
	return step_once(c, s, "user insert");
}

static int insert_token(struct conn *c, const struct api_token *t)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_TOKEN_INSERT);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, t->id);
	bind_text(s, 2, t->org_id);
	bind_text(s, 3, t->user_id[0] ? t->user_id : NULL);
	bind_text(s, 4, t->name);
	bind_text(s, 5, t->hash);
	sqlite3_bind_int(s, 6, (int)t->role);
	sqlite3_bind_int(s, 7, t->instance_owner);
	sqlite3_bind_int64(s, 8, t->created_at);
	return step_once(c, s, "token insert");
}

static int org_create_job(struct conn *c, void *arg, struct kerr *err)
{
	struct org_create_args *a = arg;
	sqlite3_stmt *s = conn_stmt(c, SQL_ORG_INSERT);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, a->org->id);
	bind_text(s, 2, a->org->name);
	bind_text(s, 3, a->org->slug);
	sqlite3_bind_int64(s, 4, a->org->created_at);
	int rc = step_once(c, s, "org insert");
	if (rc == KODO_ECONFLICT)
		return kerr_set(err, rc, "slug",
				"an organization with this slug already exists");
	s = rc ? NULL : conn_stmt(c, SQL_SETTINGS_INSERT);
	if (s) {
		const struct automation *au = a->settings;
		bind_text(s, 1, a->org->id);
		sqlite3_bind_int(s, 2, au->draft_mode);
		if (au->auto_publish_after_s >= 0)
			sqlite3_bind_int64(s, 3, au->auto_publish_after_s);
		sqlite3_bind_int64(s, 4, au->failures_to_open);
		sqlite3_bind_int64(s, 5, au->successes_to_resolve);
		sqlite3_bind_int64(s, 6, au->flap_window_s);
		sqlite3_bind_int64(s, 7, au->flap_max_transitions);
		sqlite3_bind_int64(s, 8, au->cooldown_s);
		sqlite3_bind_int64(s, 9, au->notification_batch_s);
		sqlite3_bind_int(s, 10, au->auto_resolve);
		rc = step_once(c, s, "settings insert");
	}
	if (rc == 0 && a->user)
		rc = insert_user(c, a->user);
	if (rc == 0 && a->token)
		rc = insert_token(c, a->token);
	return rc;
}

int store_org_create(struct store *st, const struct org *org,
		     const struct automation *settings, const struct user *user,
		     const struct api_token *token, struct kerr *err)
{
	struct org_create_args a = { org, settings, user, token };
	return store_write(st, org_create_job, &a, err);
}

static int org_get(struct store *st, const char *sql, const char *key,
		   struct org *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, sql);
	int rc = KODO_EIO;
	if (s) {
		bind_text(s, 1, key);
		int r = sqlite3_step(s);
		rc = r == SQLITE_ROW ? 0
		     : r == SQLITE_DONE ? KODO_ENOTFOUND
					: sqlite_rc(c, r, "org get");
	}
	if (rc == 0) {
		memset(out, 0, sizeof(*out));
		col_id(s, 0, out->id);
		out->name = col_text(s, 1);
		out->slug = col_text(s, 2);
		out->created_at = sqlite3_column_int64(s, 3);
	}
	if (s)
		sqlite3_reset(s);
	conn_release(st, c);
	return rc;
}

int store_org_get(struct store *st, const char *id, struct org *out)
{
	return org_get(st, SQL_ORG_BY_ID, id, out);
}

int store_org_get_by_slug(struct store *st, const char *slug, struct org *out)
{
	return org_get(st, SQL_ORG_BY_SLUG, slug, out);
}

int store_token_lookup(struct store *st, const char *hash,
		       struct principal *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	sqlite3_stmt *s = conn_stmt(c, SQL_TOKEN_LOOKUP);
	int rc = KODO_EIO;
	if (s) {
		bind_text(s, 1, hash);
		int r = sqlite3_step(s);
		rc = r == SQLITE_ROW ? 0
		     : r == SQLITE_DONE ? KODO_ENOTFOUND
					: sqlite_rc(c, r, "token lookup");
	}
	if (rc == 0) {
		memset(out, 0, sizeof(*out));
		col_id(s, 0, out->org_id);
		col_id(s, 1, out->user_id);
		const unsigned char *name = sqlite3_column_text(s, 2);
		snprintf(out->name, sizeof(out->name), "%s",
			 name ? (const char *)name : "api");
		out->role = (enum role)sqlite3_column_int(s, 3);
		out->instance_owner = sqlite3_column_int(s, 4) != 0;
		out->via_token = true;
	}
	if (s)
		sqlite3_reset(s);
	conn_release(st, c);
	return rc;
}
