/* session — see session.h. */
#include "core/session.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

/* --- the password gate --- */

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static int gate_busy;

static void gate_enter(void)
{
	pthread_mutex_lock(&gate_lock);
	while (gate_busy >= SESSION_HASH_SLOTS)
		pthread_cond_wait(&gate_cv, &gate_lock);
	gate_busy++;
	pthread_mutex_unlock(&gate_lock);
}

static void gate_leave(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_busy--;
	pthread_cond_signal(&gate_cv);
	pthread_mutex_unlock(&gate_lock);
}

int session_password_hash(const char *pw, char out[CRYPTO_PWHASH_LEN])
{
	gate_enter();
	int rc = crypto_password_hash(pw, out);
	gate_leave();
	return rc;
}

bool session_password_verify(const char *hash, const char *pw)
{
	/* An invited user has no password yet: nothing can match it. */
	if (!hash || !*hash)
		return false;
	gate_enter();
	bool ok = crypto_password_verify(hash, pw);
	gate_leave();
	return ok;
}

/* A hash to verify against when the login is unknown, so that a wrong
 * name costs as long as a wrong password and does not tell names apart. */
static pthread_once_t decoy_once = PTHREAD_ONCE_INIT;
static char decoy_hash[CRYPTO_PWHASH_LEN];

static void decoy_init(void)
{
	char pw[33];
	crypto_random_text(pw, 32);
	if (crypto_password_hash(pw, decoy_hash) != 0)
		decoy_hash[0] = '\0';
}

static void decoy_verify(const char *pw)
{
	pthread_once(&decoy_once, decoy_init);
	if (decoy_hash[0])
		(void)session_password_verify(decoy_hash, pw);
}

/* --- sessions --- */

int64_t session_expires_at(const struct session_record *s)
{
	int64_t idle = s->row.seen_at + SESSION_IDLE_MS;
	int64_t max = s->row.created_at + SESSION_MAX_MS;
	return idle < max ? idle : max;
}

bool session_csrf_ok(const struct session_record *s, const char *token)
{
	return token && s->row.csrf[0] && crypto_str_equal(s->row.csrf, token);
}

static bool cookie_well_formed(const char *cookie)
{
	if (!cookie || strlen(cookie) != SESSION_ID_CHARS)
		return false;
	for (const char *p = cookie; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return false;
	return true;
}

int session_start(struct core *core, const struct user *u,
		  char cookie[SESSION_ID_LEN], struct session_record *out)
{
	int64_t now = clock_now(core->clock);
	struct session_row row;
	memset(&row, 0, sizeof(row));
	crypto_random_text(cookie, SESSION_ID_CHARS);
	crypto_sha256_hex(cookie, SESSION_ID_CHARS, row.hash);
	memcpy(row.org_id, u->org_id, ID_LEN);
	memcpy(row.user_id, u->id, ID_LEN);
	crypto_random_text(row.csrf, SESSION_CSRF_CHARS);
	row.created_at = row.seen_at = now;
	/* Sessions idle past their end are swept on every sign-in. */
	int rc = store_session_create(core->store, &row, now - SESSION_IDLE_MS);
	if (rc == 0)
		rc = store_session_get(core->store, row.hash, out);
	if (rc)
		cookie[0] = '\0';
	return rc == KODO_ENOTFOUND ? KODO_EIO : rc;
}

int session_get(struct core *core, const char *cookie,
		struct session_record *out)
{
	if (!cookie_well_formed(cookie))
		return KODO_EAUTH;
	char hash[CRYPTO_HASH_HEX_LEN];
	crypto_sha256_hex(cookie, SESSION_ID_CHARS, hash);
	int rc = store_session_get(core->store, hash, out);
	if (rc)
		return rc == KODO_ENOTFOUND ? KODO_EAUTH : rc;
	int64_t now = clock_now(core->clock);
	if (now >= session_expires_at(out)) {
		store_session_delete(core->store, hash);
		return KODO_EAUTH;
	}
	/* A write per minute at most, not one per page view. */
	if (now - out->row.seen_at >= SESSION_TOUCH_MS &&
	    store_session_touch(core->store, hash, now) == 0)
		out->row.seen_at = now;
	return 0;
}

int session_end(struct core *core, const char *cookie)
{
	if (!cookie_well_formed(cookie))
		return 0;
	char hash[CRYPTO_HASH_HEX_LEN];
	crypto_sha256_hex(cookie, SESSION_ID_CHARS, hash);
	return store_session_delete(core->store, hash);
}

/* --- signing in --- */

/* Failures are counted per login name, case-folded, whatever the org. */
static void throttle_key(const char *login, char key[LOGIN_MAX + 8])
{
	size_t n = (size_t)snprintf(key, LOGIN_MAX + 8, "login:%s", login);
	for (size_t i = 0; i < n && i < LOGIN_MAX + 7; i++)
		key[i] = (char)tolower((unsigned char)key[i]);
}

static int throttled(struct core *core, const char *key, int64_t now,
		     struct login_result *out)
{
	int64_t count = 0, oldest = 0;
	int rc = store_login_failures(core->store, key, now - LOGIN_WINDOW_MS,
				      &count, &oldest);
	if (rc || count < LOGIN_MAX_FAILURES)
		return rc;
	int64_t wait_ms = oldest + LOGIN_WINDOW_MS - now;
	out->outcome = LOGIN_THROTTLED;
	out->retry_after_s = wait_ms <= 0 ? 1 : (wait_ms + 999) / 1000;
	return 0;
}

static int fail(struct core *core, const char *key, int64_t now,
		struct login_result *out)
{
	out->outcome = LOGIN_FAILED;
	return store_login_failure_add(core->store, key, now,
				       now - LOGIN_WINDOW_MS);
}

/* Which candidates the password opens; *which is the last of them. */
static size_t verify_candidates(const struct user *list, size_t n,
				const char *password, size_t *which)
{
	size_t matches = 0;
	for (size_t i = 0; i < n; i++) {
		if (session_password_verify(list[i].pw_hash, password)) {
			matches++;
			*which = i;
		}
	}
	if (n == 0)
		decoy_verify(password);
	return matches;
}

int session_login(struct core *core, const struct login_request *in,
		  struct login_result *out)
{
	memset(out, 0, sizeof(*out));
	out->outcome = LOGIN_FAILED;
	const char *login = in->login, *pw = in->password;
	if (!login || !*login || strlen(login) > LOGIN_MAX || !pw || !*pw ||
	    strlen(pw) > PASSWORD_MAX)
		return 0;
	int64_t now = clock_now(core->clock);
	char key[LOGIN_MAX + 8];
	throttle_key(login, key);
	int rc = throttled(core, key, now, out);
	if (rc || out->outcome == LOGIN_THROTTLED)
		return rc;
	const char *slug = in->org_slug && *in->org_slug ? in->org_slug : NULL;
	struct user *list = NULL;
	size_t n = 0, which = 0;
	rc = store_user_find_login(core->store, login, slug, LOGIN_CANDIDATES,
				   &list, &n);
	if (rc)
		return rc;
	size_t matches = verify_candidates(list, n, pw, &which);
	if (matches == 0)
		rc = fail(core, key, now, out);
	else if (matches > 1)
		out->outcome = LOGIN_AMBIGUOUS;
	else
		rc = store_login_failures_clear(core->store, key);
	if (rc == 0 && matches == 1) {
		rc = session_start(core, &list[which], out->cookie,
				   &out->session);
		out->outcome = rc ? LOGIN_FAILED : LOGIN_OK;
	}
	if (rc == 0 && out->outcome == LOGIN_OK)
		log_info("user %s signed in to %s", out->session.who.user_id,
			 out->session.org_slug);
	store_user_list_free(list, n);
	return rc;
}
