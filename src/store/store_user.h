/*
 * store_user — the part of the store interface (store.h) behind the team
 * dashboard: users, sign-in sessions, failed sign-ins (for throttling),
 * invitations, API token management, the list of organizations and the
 * display order of services. Same contract as store.h: atomic calls,
 * scoped by organization, any thread, 0 or a negative KODO_E*; records
 * written to `out` are owned by the caller.
 *
 * Secrets are stored only as hashes: a session or an invitation is found
 * by the SHA-256 of the value the browser holds, never by the value.
 */
#ifndef KODO_STORE_STORE_USER_H
#define KODO_STORE_STORE_USER_H

#include "store/model.h"
#include "util/kerr.h"

struct store;

/* --- users --- */

/* Inserts u. KODO_ECONFLICT with field "email" (emails are unique across
 * the instance, compared case-insensitively) or "name" (unique per org). */
int store_user_create(struct store *st, const struct user *u,
		      struct kerr *err);
int store_user_get(struct store *st, const char *org_id, const char *id,
		   struct user *out);
/* Every user of org_id, oldest first; free with store_user_list_free. */
int store_user_list(struct store *st, const char *org_id, struct user **out,
		    size_t *n);
void store_user_list_free(struct user *list, size_t n);
/*
 * Users that may be signing in as login: whose name equals it, or whose
 * email equals it case-insensitively; only in the organization with
 * org_slug when that is not NULL. At most max, oldest first.
 */
int store_user_find_login(struct store *st, const char *login,
			  const char *org_slug, size_t max, struct user **out,
			  size_t *n);
/*
 * Load-modify-save in one transaction (name, email, pw_hash, role). A
 * change that leaves an organization which had an owner user without one
 * is refused: KODO_ECONFLICT "role".
 */
typedef int (*user_apply_fn)(struct user *u, void *arg, struct kerr *err);
int store_user_mutate(struct store *st, const char *org_id, const char *id,
		      user_apply_fn apply, void *arg, struct user *out,
		      struct kerr *err);
/* Deletes the user with their sessions, invitations and API tokens;
 * refused like store_user_mutate when it removes the last owner. */
int store_user_delete(struct store *st, const char *org_id, const char *id,
		      struct kerr *err);

/* --- sessions --- */

struct session_row {
	char hash[CRYPTO_HASH_HEX_LEN]; /* SHA-256 of the cookie value */
	char org_id[ID_LEN];
	char user_id[ID_LEN];
	char csrf[48]; /* the form token of this session */
	int64_t created_at;
	int64_t seen_at;
};

/* A session with who it belongs to, as the dashboard needs it. */
struct session_record {
	struct session_row row;
	struct principal who; /* via_token false */
	char email[256];      /* "" when the user has none */
	char org_name[128 * 4];
	char org_slug[64];
};

/* Inserts s, and first deletes sessions last seen before stale_before. */
int store_session_create(struct store *st, const struct session_row *s,
			 int64_t stale_before);
/* KODO_ENOTFOUND when no session has this hash. */
int store_session_get(struct store *st, const char *hash,
		      struct session_record *out);
int store_session_touch(struct store *st, const char *hash, int64_t seen_at);
int store_session_delete(struct store *st, const char *hash);
/* Every session of user_id except the one with keep_hash (NULL: all). */
int store_session_delete_user(struct store *st, const char *user_id,
			      const char *keep_hash);

/* --- failed sign-ins --- */

/* How many failures key has at or after since, and the oldest of them. */
int store_login_failures(struct store *st, const char *key, int64_t since,
			 int64_t *count, int64_t *oldest);
/* Records one failure at `at`, first dropping every failure (of any key)
 * older than prune_before so that the table stays small. */
int store_login_failure_add(struct store *st, const char *key, int64_t at,
			    int64_t prune_before);
int store_login_failures_clear(struct store *st, const char *key);

/* --- invitations: a link that lets a new user choose a password --- */

int store_invite_create(struct store *st, const char *hash,
			const char *org_id, const char *user_id,
			int64_t expires_at);
/* The invited user of a live invitation; KODO_ENOTFOUND otherwise. */
int store_invite_get(struct store *st, const char *hash, int64_t now,
		     struct user *out);
/* Sets the user's pw_hash and consumes the invitation, atomically;
 * KODO_ENOTFOUND when it is unknown, used or expired. */
int store_invite_accept(struct store *st, const char *hash, int64_t now,
			const char *pw_hash, struct user *out);

/* --- API tokens --- */

struct token_info {
	struct api_token token; /* hash left empty */
	char user_name[128];	/* "" when the token has no user */
	int64_t revoked_at;	/* 0 when live */
};

int store_token_create(struct store *st, const struct api_token *t,
		       struct kerr *err);
/* Live tokens first, then revoked ones; newest first within each. */
int store_token_list(struct store *st, const char *org_id,
		     struct token_info **out, size_t *n);
void store_token_list_free(struct token_info *list, size_t n);
int store_token_get(struct store *st, const char *org_id, const char *id,
		    struct token_info *out);
/* KODO_ENOTFOUND when there is no live token with this id in org_id. */
int store_token_revoke(struct store *st, const char *org_id, const char *id,
		       int64_t at);
/* --- organizations and service order --- */

/* Every organization, oldest first; free with store_org_list_free. */
int store_org_list(struct store *st, struct org **out, size_t *n);
void store_org_list_free(struct org *list, size_t n);
/* Moves a service delta places (negative: up) in its org's display order,
 * renumbering every position 1..n; KODO_ENOTFOUND for an unknown id. */
int store_service_move(struct store *st, const char *org_id, const char *id,
		       int delta);

#endif
