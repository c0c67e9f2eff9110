/*
 * user — the people of an organization and what each may do.
 *
 * Roles, from least to most: viewer (reads everything, changes nothing),
 * member (runs incidents), admin (also services, monitors, settings,
 * tokens and users), owner (also other owners). Nobody grants a role above
 * their own or changes someone who outranks them, and an organization that
 * has an owner user keeps at least one. Names are unique in an
 * organization and may not contain '@'; emails are unique across the
 * instance (either signs in, see session.h).
 *
 * A user is created with a password, or invited: then a one-time link,
 * valid USER_INVITE_TTL_MS, lets them choose one. Only the instance owner
 * (who holds the bootstrap token) creates organizations here, each with
 * its first owner. Any thread; results are new records (user_cleanup,
 * store_user_list_free, org_cleanup).
 */
#ifndef KODO_CORE_USER_H
#define KODO_CORE_USER_H

#include "core/core.h"
#include "core/session.h"

#define USER_NAME_MAX 100 /* code points */
#define USER_EMAIL_MAX 254 /* bytes */
#define PASSWORD_MIN 8	   /* code points, for new passwords */
#define USER_INVITE_CHARS 40
#define USER_INVITE_LEN (USER_INVITE_CHARS + 1)
#define USER_INVITE_TTL_MS (7LL * 24 * 3600 * 1000)

struct user_input {
	const char *name;
	const char *email;    /* NULL or "": none */
	const char *role;     /* "viewer" ... "owner" */
	const char *password; /* NULL or "": invite instead */
};

int user_list(struct core *core, const struct principal *p,
	      struct user **out, size_t *n);
/* Admin. invite receives the one-time link's token, or "" when a password
 * was given. KODO_ECONFLICT "name"/"email" for duplicates. */
int user_create(struct core *core, const struct principal *p,
		const struct user_input *in, struct user *out,
		char invite[USER_INVITE_LEN], struct kerr *err);
/* Admin; see the rules above. */
int user_set_role(struct core *core, const struct principal *p,
		  const char *id, const char *role, struct kerr *err);
/* Admin; not oneself. Ends their sessions and revokes their tokens. */
int user_delete(struct core *core, const struct principal *p, const char *id,
		struct kerr *err);
/* Any signed-in user, for themself: checks the current password, then
 * ends every other session of theirs (keep_session: a session hash). */
int user_change_password(struct core *core, const struct principal *p,
			 const char *current, const char *password,
			 const char *keep_session, struct kerr *err);
/* Checks a new password: PASSWORD_MIN code points to PASSWORD_MAX bytes. */
int user_password_check(const char *field, const char *pw, struct kerr *err);

/* The invited user of a live invitation token; KODO_ENOTFOUND otherwise. */
int user_invite_get(struct core *core, const char *token, struct user *out);
/* Sets the password and consumes the invitation. */
int user_invite_accept(struct core *core, const char *token,
		       const char *password, struct user *out,
		       struct kerr *err);

/* The instance owner's: every organization, and a new one with its owner
 * (atomically); token receives the new organization's owner API token. */
struct org_input {
	const char *name, *slug;
	struct user_input owner; /* role ignored: owner */
};
int user_org_list(struct core *core, const struct principal *p,
		  struct org **out, size_t *n);
int user_org_create(struct core *core, const struct principal *p,
		    const struct org_input *in, struct org *out,
		    char token[CRYPTO_TOKEN_LEN], struct kerr *err);

#endif
