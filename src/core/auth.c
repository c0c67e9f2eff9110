/* auth — see auth.h. */
#include "core/auth.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/org.h"
#include "core/settings.h"
#include "util/alloc.h"
#include "util/text.h"

/*
 * Recently seen tokens, so that a busy client costs a hash and a probe
 * rather than a query per request. Entries live TOKEN_TTL_MS; revoking a
 * token calls auth_forget() so it stops working at once on this node.
 */
#define TOKEN_SLOTS 1024
#define TOKEN_TTL_MS 60000

struct token_slot {
	char hash[CRYPTO_HASH_HEX_LEN];
	struct principal who;
	int64_t expires; /* monotonic ms */
};

struct token_cache {
	pthread_mutex_t lock;
	struct token_slot slots[TOKEN_SLOTS];
};

struct token_cache *token_cache_new(void)
{
	struct token_cache *c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void token_cache_free(struct token_cache *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static struct token_slot *token_slot_of(struct token_cache *c,
					const char *hash)
{
	/* The hash is uniformly random: its first hex digits index well. */
	unsigned i = 0;
	for (int k = 0; k < 4; k++) {
		char ch = hash[k];
		i = i * 16 + (unsigned)(ch <= '9' ? ch - '0' : ch - 'a' + 10);
	}
	return &c->slots[i % TOKEN_SLOTS];
}

static bool token_cached(struct token_cache *c, const char *hash,
			 struct principal *p)
{
	if (!c)
		return false;
	struct token_slot *s = token_slot_of(c, hash);
	bool hit = false;
	pthread_mutex_lock(&c->lock);
	if (strcmp(s->hash, hash) == 0 && s->expires > clock_mono_ms()) {
		*p = s->who;
		hit = true;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

static void token_remember(struct token_cache *c, const char *hash,
			   const struct principal *p)
{
	if (!c)
		return;
	struct token_slot *s = token_slot_of(c, hash);
	pthread_mutex_lock(&c->lock);
	memcpy(s->hash, hash, CRYPTO_HASH_HEX_LEN);
	s->who = *p;
	s->expires = clock_mono_ms() + TOKEN_TTL_MS;
	pthread_mutex_unlock(&c->lock);
}

void auth_forget(struct core *core)
{
	struct token_cache *c = core->tokens;
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	memset(c->slots, 0, sizeof(c->slots));
	pthread_mutex_unlock(&c->lock);
}

int auth_token(struct core *core, const char *token, struct principal *p)
{
	if (!token || strlen(token) < 16 || strlen(token) > 256)
		return KODO_EAUTH;
	char hash[CRYPTO_HASH_HEX_LEN];
	crypto_sha256_hex(token, strlen(token), hash);
	if (token_cached(core->tokens, hash, p))
		return 0;
	int rc = store_token_lookup(core->store, hash, p);
	if (rc == 0)
		token_remember(core->tokens, hash, p);
	return rc == KODO_ENOTFOUND ? KODO_EAUTH : rc;
}

void auth_token_new(struct core *core, const char *org_id, const char *user_id,
		    const char *name, enum role role, struct api_token *t,
		    char clear[CRYPTO_TOKEN_LEN])
{
	memset(t, 0, sizeof(*t));
	crypto_new_token(clear);
	crypto_new_id("tok", t->id);
	snprintf(t->org_id, sizeof(t->org_id), "%s", org_id);
	snprintf(t->user_id, sizeof(t->user_id), "%s", user_id ? user_id : "");
	t->name = xstrdup(name);
	crypto_sha256_hex(clear, strlen(clear), t->hash);
	t->role = role;
	t->created_at = clock_now(core->clock);
}

int auth_bootstrap(struct core *core, const char *password, const char *token,
		   struct bootstrap_result *out, struct kerr *err)
{
	memset(out, 0, sizeof(*out));
	int64_t n = 0;
	int rc = store_org_count(core->store, &n);
	if (rc || n > 0)
		return rc;
	if (token && (strlen(token) < 16 || strlen(token) > 255 ||
		      !text_is_single_line(token)))
		return kerr_set(err, KODO_EINVAL, "KODO_ADMIN_TOKEN",
				"KODO_ADMIN_TOKEN must be 16 to 255 printable characters");
	if (password && !*password)
		return kerr_set(err, KODO_EINVAL, "KODO_ADMIN_PASSWORD",
				"KODO_ADMIN_PASSWORD must not be empty");
	int64_t now = clock_now(core->clock);
	struct org org = { .name = xstrdup("Default"), .slug = xstrdup("default"),
			   .created_at = now };
	crypto_new_id("org", org.id);
	struct user admin = { .name = xstrdup("admin"), .role = ROLE_OWNER,
			      .created_at = now };
	crypto_new_id("usr", admin.id);
	memcpy(admin.org_id, org.id, ID_LEN);
	if (password)
		snprintf(out->password, sizeof(out->password), "%s", password);
	else
		crypto_random_text(out->password, 24);
	char hash[CRYPTO_PWHASH_LEN];
	rc = crypto_password_hash(out->password, hash);
	admin.pw_hash = xstrdup(hash);
	struct api_token tok;
	auth_token_new(core, org.id, admin.id, "bootstrap", ROLE_OWNER, &tok,
		       out->token);
	if (token) {
		snprintf(out->token, sizeof(out->token), "%s", token);
		crypto_sha256_hex(token, strlen(token), tok.hash);
	}
	tok.instance_owner = true;
	struct automation defaults;
	automation_defaults(&defaults);
	if (rc == 0)
		rc = store_org_create(core->store, &org, &defaults, &admin,
				      &tok, err);
	out->created = rc == 0;
	org_cleanup(&org);
	user_cleanup(&admin);
	api_token_cleanup(&tok);
	return rc;
}

/* --- token management --- */

int auth_token_create(struct core *core, const struct principal *p,
		      const char *name, const char *role, struct api_token *out,
		      char clear[CRYPTO_TOKEN_LEN], struct kerr *err)
{
	enum role r = ROLE_VIEWER;
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = check_text("name", name, 1, AUTH_TOKEN_NAME_MAX, true, err);
	if (rc == 0 && (!role || !role_parse(role, &r)))
		rc = kerr_set(err, KODO_EINVAL, "role",
			      "role must be one of viewer, member, admin, owner");
	if (rc == 0 && r > p->role)
		rc = kerr_set(err, KODO_EFORBIDDEN, "role",
			      "a token cannot have more than your role (%s)",
			      role_name(p->role));
	if (rc)
		return rc;
	auth_token_new(core, p->org_id, p->user_id, name, r, out, clear);
	rc = store_token_create(core->store, out, err);
	if (rc) {
		api_token_cleanup(out);
		clear[0] = '\0';
		return rc;
	}
	core_touch(core, p->org_id);
	return 0;
}

int auth_token_list(struct core *core, const struct principal *p,
		    struct token_info **out, size_t *n, struct kerr *err)
{
	int rc = require_role(p, ROLE_ADMIN, err);
	return rc ? rc : store_token_list(core->store, p->org_id, out, n);
}

int auth_token_revoke(struct core *core, const struct principal *p,
		      const char *id, struct kerr *err)
{
	struct token_info t;
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = store_token_get(core->store, p->org_id, id, &t);
	if (rc == KODO_ENOTFOUND)
		return kerr_set(err, rc, NULL, "no such token");
	if (rc)
		return rc;
	if (t.token.role > p->role ||
	    (t.token.instance_owner && !p->instance_owner))
		rc = kerr_set(err, KODO_EFORBIDDEN, NULL,
			      "this token outranks you; ask its owner");
	else if (t.revoked_at)
		rc = kerr_set(err, KODO_ECONFLICT, NULL,
			      "this token is already revoked");
	api_token_cleanup(&t.token);
	if (rc == 0)
		rc = store_token_revoke(core->store, p->org_id, id,
					clock_now(core->clock));
	if (rc)
		return rc;
	auth_forget(core);
	core_touch(core, p->org_id);
	return 0;
}
