/*
 * session — signing in to the dashboard: passwords, sessions, CSRF tokens
 * and throttling of failed sign-ins.
 *
 * A session is a random 43-character value held by the browser in a
 * cookie; the store keeps only its SHA-256, with the user, the
 * organization and the session's CSRF token (a second random value that
 * every form and every cookie-authenticated API write must echo). A
 * session ends when signed out, after SESSION_IDLE_MS without a request,
 * or SESSION_MAX_MS after sign-in, whichever comes first; deleting the
 * user ends it too. Roles are read from the user on every request, so a
 * role change takes effect at once.
 *
 * Throttling lives in the store (it holds across restarts and, later,
 * across nodes): after LOGIN_MAX_FAILURES failed sign-ins for one login
 * name within LOGIN_WINDOW_MS, that name is refused until the oldest of
 * them leaves the window, even with the right password. Passwords are
 * argon2id (util/crypto.h); at most SESSION_HASH_SLOTS hash or verify at
 * once, so a flood of sign-ins cannot take all memory (64 MiB each).
 *
 * Any thread. Results go to caller-allocated records.
 */
#ifndef KODO_CORE_SESSION_H
#define KODO_CORE_SESSION_H

#include "core/core.h"

#define SESSION_COOKIE "kodo_session"
#define SESSION_ID_CHARS 43 /* 258 random bits, URL-safe */
#define SESSION_ID_LEN (SESSION_ID_CHARS + 1)
#define SESSION_CSRF_CHARS 32
#define SESSION_IDLE_MS (12LL * 3600 * 1000)
#define SESSION_MAX_MS (7LL * 24 * 3600 * 1000)
#define SESSION_TOUCH_MS (60LL * 1000) /* how stale seen_at may get */
#define LOGIN_MAX_FAILURES 5
#define LOGIN_WINDOW_MS (15LL * 60 * 1000)
#define LOGIN_MAX 254	    /* bytes of a login name or email */
#define PASSWORD_MAX 1024   /* bytes */
#define LOGIN_CANDIDATES 8  /* same name in several organizations */
#define SESSION_HASH_SLOTS 4

struct login_request {
	const char *login;    /* a user's name or email */
	const char *password;
	const char *org_slug; /* NULL or "": any organization */
};

enum login_outcome {
	LOGIN_OK,
	LOGIN_FAILED,	 /* unknown login or wrong password */
	LOGIN_THROTTLED, /* too many failures: retry_after_s */
	LOGIN_AMBIGUOUS, /* right password in several organizations */
};

struct login_result {
	enum login_outcome outcome;
	int64_t retry_after_s;
	char cookie[SESSION_ID_LEN]; /* the new session's value (LOGIN_OK) */
	struct session_record session;
};

/* Signs in: 0 with out->outcome, or KODO_EIO. */
int session_login(struct core *core, const struct login_request *in,
		  struct login_result *out);
/* Starts a session for u (after sign-in or an accepted invitation). */
int session_start(struct core *core, const struct user *u,
		  char cookie[SESSION_ID_LEN], struct session_record *out);
/* The live session of a cookie value; KODO_EAUTH when it is unknown,
 * malformed or expired (an expired one is deleted), or KODO_EIO. */
int session_get(struct core *core, const char *cookie,
		struct session_record *out);
/* Ends the session of a cookie value (unknown ones are ignored). */
int session_end(struct core *core, const char *cookie);
/* When the session ends if it stays idle (ms since the epoch). */
int64_t session_expires_at(const struct session_record *s);
/* Constant-time comparison of a presented CSRF token with the session's. */
bool session_csrf_ok(const struct session_record *s, const char *token);

/* Password work through the SESSION_HASH_SLOTS gate. */
int session_password_hash(const char *pw, char out[CRYPTO_PWHASH_LEN]);
bool session_password_verify(const char *hash, const char *pw);

#endif
