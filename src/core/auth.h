/*
 * auth — who is calling: API tokens and the instance bootstrap.
 *
 * Tokens are looked up by their SHA-256; the clear token is never stored.
 * Any thread.
 */
#ifndef KODO_CORE_AUTH_H
#define KODO_CORE_AUTH_H

#include "core/core.h"

/* Fills p from a presented token; KODO_EAUTH when unknown or revoked. */
int auth_token(struct core *core, const char *token, struct principal *p);

/* Drops every cached token lookup (after a revocation). */
void auth_forget(struct core *core);

/* The cache behind auth_token; core_init makes one. */
struct token_cache *token_cache_new(void);
void token_cache_free(struct token_cache *c);

/* The credentials of a first start, shown once. */
struct bootstrap_result {
	bool created; /* false: the instance already had an organization */
	char password[128];
	char token[256];
};

/*
 * On an empty store, creates organization "default", owner user "admin"
 * and an owner API token that may also manage organizations. password and
 * token are used when not NULL (KODO_ADMIN_*), else drawn at random.
 */
int auth_bootstrap(struct core *core, const char *password, const char *token,
		   struct bootstrap_result *out, struct kerr *err);

/* Mints a token for org: fills t (hash only) and the clear text. */
void auth_token_new(struct core *core, const char *org_id, const char *user_id,
		    const char *name, enum role role, struct api_token *t,
		    char clear[CRYPTO_TOKEN_LEN]);

/*
 * Token management (Settings > API tokens), admin role. A token gets a
 * role no higher than its creator's and belongs to them; its clear text
 * goes to clear, shown once. Revoking needs a role at least the token's
 * (an instance-owner token: the instance owner) and drops the token cache
 * so that the token stops working at once. The list holds no hashes.
 */
#define AUTH_TOKEN_NAME_MAX 100
int auth_token_create(struct core *core, const struct principal *p,
		      const char *name, const char *role, struct api_token *out,
		      char clear[CRYPTO_TOKEN_LEN], struct kerr *err);
int auth_token_list(struct core *core, const struct principal *p,
		    struct token_info **out, size_t *n, struct kerr *err);
int auth_token_revoke(struct core *core, const struct principal *p,
		      const char *id, struct kerr *err);

#endif
