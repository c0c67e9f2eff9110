/*
 * form — HTML form bodies (application/x-www-form-urlencoded), as the
 * dashboard's forms post them.
 *
 * Names and values are percent-decoded ('+' is a space), line breaks are
 * normalized to "\n" (browsers send textareas with CRLF), and the result
 * must be valid UTF-8 without NUL bytes, so that core/ can check lengths
 * in code points as it does for JSON. Limits: FORM_FIELDS_MAX fields; the
 * body itself is bounded by HTTP_BODY_MAX. Any thread.
 */
#ifndef KODO_HTTP_FORM_H
#define KODO_HTTP_FORM_H

#include <stddef.h>

#include "http/http.h"

#define FORM_FIELDS_MAX 256

struct form {
	size_t n;
	char *names[FORM_FIELDS_MAX];  /* owned */
	char *values[FORM_FIELDS_MAX]; /* owned */
};

/*
 * Parses req's body into f (form_cleanup it in any case). KODO_EMEDIA when
 * the Content-Type is not a URL-encoded form, KODO_EBADREQ for a malformed
 * body (bad escape, invalid UTF-8, NUL), KODO_ETOOLARGE for too many fields.
 */
int form_parse(const struct http_req *req, struct form *f, struct kerr *err);
/* The same for a body on its own (tests). */
int form_parse_text(const char *body, size_t len, struct form *f,
		    struct kerr *err);
void form_cleanup(struct form *f);

/* The first value of name, or NULL. Borrowed until form_cleanup. */
const char *form_get(const struct form *f, const char *name);
/* Every value of name (checkboxes), at most max; returns how many. */
size_t form_get_all(const struct form *f, const char *name, const char **out,
		    size_t max);

#endif
