/*
 * sqlite_settings — per-organization settings (Settings > Automation).
 */
#include <string.h>

#include "store/sqlite_internal.h"

static const char *const SQL_GET =
	"SELECT draft_mode, auto_publish_after_s, failures_to_open,"
	" successes_to_resolve, flap_window_s, flap_max_transitions,"
	" cooldown_s, notification_batch_s, auto_resolve, stale_after_s"
	" FROM automation_settings WHERE org_id = ?";
static const char *const SQL_PUT =
	"UPDATE automation_settings SET draft_mode = ?, auto_publish_after_s = ?,"
	" failures_to_open = ?, successes_to_resolve = ?, flap_window_s = ?,"
	" flap_max_transitions = ?, cooldown_s = ?, notification_batch_s = ?,"
	" auto_resolve = ?, stale_after_s = ? WHERE org_id = ?";

static int automation_load(struct conn *c, const char *org_id,
			   struct automation *a)
{
	sqlite3_stmt *s = conn_stmt(c, SQL_GET);
	if (!s)
		return KODO_EIO;
	bind_text(s, 1, org_id);
	int r = sqlite3_step(s);
	int rc = r == SQLITE_ROW ? 0
		 : r == SQLITE_DONE ? KODO_ENOTFOUND
				    : sqlite_rc(c, r, "settings get");
	if (rc == 0) {
		a->draft_mode = sqlite3_column_int(s, 0) != 0;
		a->auto_publish_after_s = sqlite3_column_type(s, 1) == SQLITE_NULL
						  ? -1
						  : sqlite3_column_int64(s, 1);
		a->failures_to_open = sqlite3_column_int64(s, 2);
		a->successes_to_resolve = sqlite3_column_int64(s, 3);
		a->flap_window_s = sqlite3_column_int64(s, 4);
		a->flap_max_transitions = sqlite3_column_int64(s, 5);
		a->cooldown_s = sqlite3_column_int64(s, 6);
		a->notification_batch_s = sqlite3_column_int64(s, 7);
		a->auto_resolve = sqlite3_column_int(s, 8) != 0;
		a->stale_after_s = sqlite3_column_int64(s, 9);
	}
	sqlite3_reset(s);
	return rc;
}

int store_automation_get(struct store *st, const char *org_id,
			 struct automation *out)
{
	struct conn *c = conn_acquire(st);
	if (!c)
		return KODO_EIO;
	int rc = automation_load(c, org_id, out);
	conn_release(st, c);
	return rc;
}

struct mutate_args {
	const char *org_id;
	automation_apply_fn apply;
	void *arg;
	struct automation *out;
};

static int mutate_job(struct conn *c, void *arg, struct kerr *err)
{
	struct mutate_args *a = arg;
	struct automation au;
	int rc = automation_load(c, a->org_id, &au);
	if (rc == 0)
		rc = a->apply(&au, a->arg, err);
	sqlite3_stmt *s = rc ? NULL : conn_stmt(c, SQL_PUT);
	if (!s)
		return rc ? rc : KODO_EIO;
	sqlite3_bind_int(s, 1, au.draft_mode);
	if (au.auto_publish_after_s < 0)
		sqlite3_bind_null(s, 2);
	else
		sqlite3_bind_int64(s, 2, au.auto_publish_after_s);
	sqlite3_bind_int64(s, 3, au.failures_to_open);
	sqlite3_bind_int64(s, 4, au.successes_to_resolve);
	sqlite3_bind_int64(s, 5, au.flap_window_s);
	sqlite3_bind_int64(s, 6, au.flap_max_transitions);
	sqlite3_bind_int64(s, 7, au.cooldown_s);
	sqlite3_bind_int64(s, 8, au.notification_batch_s);
	sqlite3_bind_int(s, 9, au.auto_resolve);
	sqlite3_bind_int64(s, 10, au.stale_after_s);
	bind_text(s, 11, a->org_id);
	rc = sqlite_rc(c, sqlite3_step(s), "settings put");
	if (rc == 0 && a->out)
		*a->out = au;
	return rc;
}

int store_automation_mutate(struct store *st, const char *org_id,
			    automation_apply_fn apply, void *arg,
			    struct automation *out, struct kerr *err)
{
	struct mutate_args a = { org_id, apply, arg, out };
	return store_write(st, mutate_job, &a, err);
}
