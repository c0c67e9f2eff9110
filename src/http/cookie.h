/*
 * cookie — reading the Cookie request header and writing Set-Cookie
 * values, for the dashboard's session.
 *
 * Every cookie Kodo sets is Path=/, HttpOnly and SameSite=Lax (a form
 * posted from another site carries no session), and Secure when the
 * request came over TLS. Kodo serves plain HTTP itself, so "over TLS"
 * means a TLS-terminating proxy said so with X-Forwarded-Proto: https
 * (an attacker who forges that header only makes the cookie stricter).
 * Any thread.
 */
#ifndef KODO_HTTP_COOKIE_H
#define KODO_HTTP_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/http.h"

/*
 * Copies the value of cookie name from a Cookie header into out (cap
 * bytes). False when the header is NULL, the cookie is absent, or its
 * value does not fit. With several cookies of one name, the first wins.
 */
bool cookie_get(const char *header, const char *name, char *out, size_t cap);
/* The same from req's Cookie header. */
bool cookie_from_req(const struct http_req *req, const char *name, char *out,
		     size_t cap);

/* Whether req came over TLS (directly or through a proxy). */
bool cookie_secure_req(const struct http_req *req);

/* Adds a Set-Cookie header for name=value living max_age_s seconds;
 * value NULL (or max_age_s 0) deletes the cookie. */
void cookie_set(struct http_resp *resp, const struct http_req *req,
		const char *name, const char *value, int64_t max_age_s);

#endif
