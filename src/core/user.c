/* user — see user.h. */
#include "core/user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "core/org.h"
#include "core/settings.h"
#include "util/alloc.h"
#include "util/log.h"
#include "util/text.h"

/* --- validation --- */

static bool email_valid(const char *s)
{
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (n < 3 || n > USER_EMAIL_MAX || !at || at == s || !at[1] ||
	    strchr(at + 1, '@'))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || strchr("\"<>()[]\\,;:", *p))
			return false;
	return true;
}

static int check_name(const char *name, struct kerr *err)
{
	int rc = check_text("name", name, 1, USER_NAME_MAX, true, err);
	if (rc == 0 && strchr(name, '@'))
		rc = kerr_set(err, KODO_EINVAL, "name",
			      "a name cannot contain @ (that is for emails)");
	return rc;
}

static int check_email(const char *email, struct kerr *err)
{
	if (email && *email && !email_valid(email))
		return kerr_set(err, KODO_EINVAL, "email",
				"email must look like name@example.com");
	return 0;
}

int user_password_check(const char *field, const char *pw, struct kerr *err)
{
	if (!pw || !*pw)
		return kerr_set(err, KODO_EINVAL, field, "a password is required");
	if (utf8_length(pw) < PASSWORD_MIN)
		return kerr_set(err, KODO_EINVAL, field,
				"a password needs at least %d characters",
				PASSWORD_MIN);
	if (strlen(pw) > PASSWORD_MAX)
		return kerr_set(err, KODO_EINVAL, field,
				"a password may have at most %d bytes",
				PASSWORD_MAX);
	return 0;
}

static int parse_role(const char *s, enum role *out, struct kerr *err)
{
	if (!s || !role_parse(s, out))
		return kerr_set(err, KODO_EINVAL, "role",
				"role must be one of viewer, member, admin, owner");
	return 0;
}

/* Nobody grants more than they have. */
static int check_grant(const struct principal *p, enum role role,
		       struct kerr *err)
{
	if (role > p->role)
		return kerr_set(err, KODO_EFORBIDDEN, "role",
				"you cannot grant the %s role; you are %s",
				role_name(role), role_name(p->role));
	return 0;
}

static int check_input(const struct user_input *in, enum role *role,
		       struct kerr *err)
{
	int rc = check_name(in->name, err);
	if (rc == 0)
		rc = check_email(in->email, err);
	if (rc == 0)
		rc = parse_role(in->role, role, err);
	if (rc == 0 && in->password && *in->password)
		rc = user_password_check("password", in->password, err);
	return rc;
}

/* Fills u from in (role given); pw_hash "" when invited. */
static int user_build(struct core *core, const char *org_id,
		      const struct user_input *in, enum role role,
		      struct user *u)
{
	memset(u, 0, sizeof(*u));
	crypto_new_id("usr", u->id);
	snprintf(u->org_id, sizeof(u->org_id), "%s", org_id);
	u->name = xstrdup(in->name);
	u->email = in->email && *in->email ? xstrdup(in->email) : NULL;
	u->role = role;
	u->created_at = clock_now(core->clock);
	char hash[CRYPTO_PWHASH_LEN] = "";
	int rc = 0;
	if (in->password && *in->password)
		rc = session_password_hash(in->password, hash);
	u->pw_hash = xstrdup(hash);
	return rc;
}

/* --- users --- */

int user_list(struct core *core, const struct principal *p,
	      struct user **out, size_t *n)
{
	return store_user_list(core->store, p->org_id, out, n);
}

static int invite_new(struct core *core, const struct user *u,
		      char invite[USER_INVITE_LEN])
{
	char hash[CRYPTO_HASH_HEX_LEN];
	crypto_random_text(invite, USER_INVITE_CHARS);
	crypto_sha256_hex(invite, USER_INVITE_CHARS, hash);
	int64_t expires = clock_now(core->clock) + USER_INVITE_TTL_MS;
	int rc = store_invite_create(core->store, hash, u->org_id, u->id,
				     expires);
	if (rc)
		invite[0] = '\0';
	return rc;
}

int user_create(struct core *core, const struct principal *p,
		const struct user_input *in, struct user *out,
		char invite[USER_INVITE_LEN], struct kerr *err)
{
	enum role role = ROLE_VIEWER;
	invite[0] = '\0';
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = check_input(in, &role, err);
	if (rc == 0)
		rc = check_grant(p, role, err);
	if (rc)
		return rc;
	rc = user_build(core, p->org_id, in, role, out);
	if (rc == 0)
		rc = store_user_create(core->store, out, err);
	if (rc == 0 && !out->pw_hash[0])
		rc = invite_new(core, out, invite);
	if (rc) {
		user_cleanup(out);
		return rc;
	}
	core_touch(core, p->org_id);
	return 0;
}

/* The target may be changed by p: admin, and not outranked. */
static int check_target(struct core *core, const struct principal *p,
			const char *id, struct kerr *err)
{
	struct user u;
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = store_user_get(core->store, p->org_id, id, &u);
	if (rc == KODO_ENOTFOUND)
		return kerr_set(err, rc, NULL, "no such user");
	if (rc)
		return rc;
	if (u.role > p->role)
		rc = kerr_set(err, KODO_EFORBIDDEN, "role",
			      "%s is %s; you are %s", u.name, role_name(u.role),
			      role_name(p->role));
	user_cleanup(&u);
	return rc;
}

static int apply_role(struct user *u, void *arg, struct kerr *err)
{
	(void)err;
	u->role = *(const enum role *)arg;
	return 0;
}

int user_set_role(struct core *core, const struct principal *p,
		  const char *id, const char *role, struct kerr *err)
{
	enum role r = ROLE_VIEWER;
	int rc = check_target(core, p, id, err);
	if (rc == 0)
		rc = parse_role(role, &r, err);
	if (rc == 0)
		rc = check_grant(p, r, err);
	if (rc == 0)
		rc = store_user_mutate(core->store, p->org_id, id, apply_role,
				       &r, NULL, err);
	if (rc == 0)
		core_touch(core, p->org_id);
	return rc;
}

int user_delete(struct core *core, const struct principal *p, const char *id,
		struct kerr *err)
{
	if (strcmp(p->user_id, id) == 0)
		return kerr_set(err, KODO_ECONFLICT, NULL,
				"you cannot remove yourself; ask another admin");
	int rc = check_target(core, p, id, err);
	if (rc == 0)
		rc = store_user_delete(core->store, p->org_id, id, err);
	if (rc)
		return rc;
	/* Their tokens went with them: no cached lookup may outlive that. */
	auth_forget(core);
	core_touch(core, p->org_id);
	return 0;
}

static int apply_password(struct user *u, void *arg, struct kerr *err)
{
	(void)err;
	free(u->pw_hash);
	u->pw_hash = xstrdup(arg);
	return 0;
}

int user_change_password(struct core *core, const struct principal *p,
			 const char *current, const char *password,
			 const char *keep_session, struct kerr *err)
{
	if (!p->user_id[0])
		return kerr_set(err, KODO_EFORBIDDEN, NULL,
				"only a signed-in user has a password");
	struct user u;
	int rc = store_user_get(core->store, p->org_id, p->user_id, &u);
	if (rc)
		return rc;
	bool ok = current && strlen(current) <= PASSWORD_MAX &&
		  session_password_verify(u.pw_hash, current);
	user_cleanup(&u);
	if (!ok)
		return kerr_set(err, KODO_EINVAL, "current_password",
				"the current password is not right");
	rc = user_password_check("password", password, err);
	char hash[CRYPTO_PWHASH_LEN];
	if (rc == 0)
		rc = session_password_hash(password, hash);
	if (rc == 0)
		rc = store_user_mutate(core->store, p->org_id, p->user_id,
				       apply_password, hash, NULL, err);
	if (rc == 0)
		rc = store_session_delete_user(core->store, p->user_id,
					       keep_session);
	if (rc == 0)
		log_info("user %s changed their password", p->user_id);
	return rc;
}

/* --- invitations --- */

static bool invite_token_ok(const char *token)
{
	return token && strlen(token) == USER_INVITE_CHARS;
}

int user_invite_get(struct core *core, const char *token, struct user *out)
{
	if (!invite_token_ok(token))
		return KODO_ENOTFOUND;
	char hash[CRYPTO_HASH_HEX_LEN];
	crypto_sha256_hex(token, USER_INVITE_CHARS, hash);
	return store_invite_get(core->store, hash, clock_now(core->clock), out);
}

int user_invite_accept(struct core *core, const char *token,
		       const char *password, struct user *out,
		       struct kerr *err)
{
	if (!invite_token_ok(token))
		return kerr_set(err, KODO_ENOTFOUND, NULL,
				"this invitation link is not valid");
	int rc = user_password_check("password", password, err);
	char hash[CRYPTO_PWHASH_LEN], th[CRYPTO_HASH_HEX_LEN];
	if (rc == 0)
		rc = session_password_hash(password, hash);
	if (rc)
		return rc;
	crypto_sha256_hex(token, USER_INVITE_CHARS, th);
	rc = store_invite_accept(core->store, th, clock_now(core->clock), hash,
				 out);
	if (rc == KODO_ENOTFOUND)
		return kerr_set(err, rc, NULL,
				"this invitation link was used or has expired");
	return rc;
}

/* --- organizations --- */

static int require_instance_owner(const struct principal *p, struct kerr *err)
{
	if (!p->instance_owner)
		return kerr_set(err, KODO_EFORBIDDEN, NULL,
				"only the instance owner manages organizations");
	return 0;
}

int user_org_list(struct core *core, const struct principal *p,
		  struct org **out, size_t *n)
{
	int rc = require_instance_owner(p, NULL);
	return rc ? rc : store_org_list(core->store, out, n);
}

static int check_org_input(const struct org_input *in, struct kerr *err)
{
	int rc = check_text("org_name", in->name, 1, 100, true, err);
	if (rc == 0 && (!in->slug || !org_slug_valid(in->slug)))
		rc = kerr_set(err, KODO_EINVAL, "slug",
			      "slug must be 1-63 characters of a-z, 0-9 and "
			      "'-', not starting with '-'");
	struct user_input owner = in->owner;
	owner.role = "owner";
	enum role role;
	if (rc == 0)
		rc = check_input(&owner, &role, err);
	if (rc == 0)
		rc = user_password_check("password", owner.password, err);
	return rc;
}

int user_org_create(struct core *core, const struct principal *p,
		    const struct org_input *in, struct org *out,
		    char token[CRYPTO_TOKEN_LEN], struct kerr *err)
{
	int rc = require_instance_owner(p, err);
	if (rc == 0)
		rc = check_org_input(in, err);
	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	crypto_new_id("org", out->id);
	out->name = xstrdup(in->name);
	out->slug = xstrdup(in->slug);
	out->created_at = clock_now(core->clock);
	struct user owner;
	rc = user_build(core, out->id, &in->owner, ROLE_OWNER, &owner);
	struct api_token tok;
	auth_token_new(core, out->id, owner.id, "owner", ROLE_OWNER, &tok,
		       token);
	struct automation defaults;
	automation_defaults(&defaults);
	struct kerr serr = { 0 };
	if (rc == 0)
		rc = store_org_create(core->store, out, &defaults, &owner, &tok,
				      &serr);
	/* In a new organization only the email can already be taken. */
	if (rc == KODO_ECONFLICT && !serr.has_field)
		rc = kerr_set(err, rc, "email",
			      "a user with this email already exists");
	else if (rc && err)
		*err = serr;
	user_cleanup(&owner);
	api_token_cleanup(&tok);
	if (rc) {
		org_cleanup(out);
		token[0] = '\0';
	}
	return rc;
}
