/*
 * store — Kodo's durable storage, one interface for every backend.
 *
 * Every call is scoped by organization and is atomic: it either happens
 * whole or not at all. A write returns 0 only once its transaction is
 * durable (committed and fsynced); the SQLite backend groups many callers'
 * writes into one transaction (group commit) so that durable is also fast.
 *
 * Thread contract: every function may be called from any thread at once.
 * Errors: 0 or a negative KODO_E* code; when err is given it names the
 * field at fault (e.g. a duplicate service name is KODO_ECONFLICT "name").
 * Results: records written to `out` are owned by the caller (_cleanup).
 */
#ifndef KODO_STORE_STORE_H
#define KODO_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/model.h"
#include "util/kerr.h"

struct store;

/* Opens (creating and migrating) the store in data folder dir. */
int store_open(const char *dir, struct store **out, struct kerr *err);
/* Finishes queued writes, then closes. NULL is ignored. */
void store_close(struct store *st);

/* --- organizations, users, tokens --- */
int store_org_count(struct store *st, int64_t *n);
/* Creates org with its settings, and (each optional) a user and a token. */
int store_org_create(struct store *st, const struct org *org,
		     const struct automation *settings, const struct user *user,
		     const struct api_token *token, struct kerr *err);
int store_org_get(struct store *st, const char *id, struct org *out);
int store_org_get_by_slug(struct store *st, const char *slug, struct org *out);
/* Looks a token up by its hash; KODO_ENOTFOUND when unknown or revoked. */
int store_token_lookup(struct store *st, const char *hash,
		       struct principal *out);

/* --- services --- */
int store_service_create(struct store *st, const struct service *svc,
			 struct kerr *err);
int store_service_get(struct store *st, const char *org_id, const char *id,
		      struct service *out);
/* All services of the org, in display order. *out is an array of *n. */
int store_service_list(struct store *st, const char *org_id,
		       struct service **out, size_t *n);
void store_service_list_free(struct service *list, size_t n);
/*
 * Resolves ids or names to refs, dropping repeats. Returns the number of
 * refs written to *out (caller frees with service_ref_list_free), or a
 * negative code: KODO_EINVAL "services" names the first unknown key.
 */
int store_service_resolve(struct store *st, const char *org_id,
			  const char *const *keys, size_t n,
			  struct service_ref **out, struct kerr *err);
/*
 * Load-modify-save in one transaction: apply() runs on the writer thread
 * with the current record and may change it; it returns 0 to save, or an
 * error to abandon the change (returned as is).
 */
typedef int (*service_apply_fn)(struct service *svc, void *arg,
				struct kerr *err);
int store_service_mutate(struct store *st, const char *org_id, const char *id,
			 service_apply_fn apply, void *arg, struct service *out,
			 struct kerr *err);
int store_service_delete(struct store *st, const char *org_id, const char *id);
/* Worst severity of open published incidents per service: parallel arrays. */
struct service_impact {
	char service_id[ID_LEN];
	enum severity worst;
};
int store_service_impacts(struct store *st, const char *org_id,
			  struct service_impact **out, size_t *n);

/* --- incidents --- */
/* Inserts inc with its service refs and updates; assigns inc->seq. */
int store_incident_create(struct store *st, struct incident *inc,
			  struct kerr *err);
int store_incident_get(struct store *st, const char *org_id, const char *id,
		       struct incident *out);

enum incident_state_filter { STATE_ALL, STATE_ACTIVE, STATE_RESOLVED };

struct incident_filter {
	enum incident_state_filter state;
	int source; /* -1 any, else enum incident_source */
	int draft;  /* -1 any, 0 published only, 1 drafts only */
	int64_t limit;
	int64_t before_seq; /* 0: from the newest */
};

/* Newest first. *next_seq is the cursor of the next page, 0 when none. */
int store_incident_list(struct store *st, const char *org_id,
			const struct incident_filter *f, struct incident **out,
			size_t *n, int64_t *next_seq);
void store_incident_list_free(struct incident *list, size_t n);

#define STORE_DELETE 1 /* an apply() result: delete the record instead */
typedef int (*incident_apply_fn)(struct incident *inc, void *arg,
				 struct kerr *err);
/*
 * Load-modify-save as for services. apply() may change fields, replace the
 * services array, and append updates marked is_new (kept newest first); it
 * may return STORE_DELETE. out (optional) receives the saved record.
 */
int store_incident_mutate(struct store *st, const char *org_id, const char *id,
			  incident_apply_fn apply, void *arg,
			  struct incident *out, struct kerr *err);

/* --- settings --- */
int store_automation_get(struct store *st, const char *org_id,
			 struct automation *out);
typedef int (*automation_apply_fn)(struct automation *a, void *arg,
				   struct kerr *err);
int store_automation_mutate(struct store *st, const char *org_id,
			    automation_apply_fn apply, void *arg,
			    struct automation *out, struct kerr *err);

/* Monitors, results and pipeline state: see store_monitor.h. */
#include "store/store_monitor.h"
/* Users, sessions, tokens and the dashboard's needs: see store_user.h. */
#include "store/store_user.h"

/* --- public status page --- */
/*
 * How an organization's public page looks (Settings > Status page). Inline
 * strings so the record needs no cleanup; "" means "use the default".
 */
#define PAGE_NAME_MAX 100	 /* code points */
#define PAGE_LOGO_URL_MAX 2000 /* bytes */
struct page_settings {
	char name[PAGE_NAME_MAX * 4 + 1]; /* "": the organization's name */
	char logo_url[PAGE_LOGO_URL_MAX + 1]; /* "": no logo */
	char accent_color[8];		       /* "#rrggbb"; "": default */
	int64_t updated_at;		       /* 0: never saved */
};
/* A missing row leaves *out all defaults ("" everywhere) and returns 0. */
int store_page_settings_get(struct store *st, const char *org_id,
			    struct page_settings *out);
typedef int (*page_settings_apply_fn)(struct page_settings *ps, void *arg,
				      struct kerr *err);
/* Load-modify-save (insert when missing) in one transaction. */
int store_page_settings_mutate(struct store *st, const char *org_id,
			       page_settings_apply_fn apply, void *arg,
			       struct page_settings *out, struct kerr *err);
/*
 * The published incidents (draft = 0, never drafts) that the public page
 * shows: every open one, every one started or resolved at or after
 * since_ms, and the `recent` most recent ones; at most max in all (open
 * ones first). Newest first, with services and updates.
 */
int store_public_incidents(struct store *st, const char *org_id,
			   int64_t since_ms, int64_t recent, int64_t max,
			   struct incident **out, size_t *n);
/* One published incident; KODO_ENOTFOUND for a draft or an unknown id. */
int store_public_incident_get(struct store *st, const char *org_id,
			      const char *id, struct incident *out);
/* --- end of public status page --- */

#endif
