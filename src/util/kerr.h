/*
 * kerr — error codes, and the detail a person needs to fix a request.
 *
 * Functions that can fail return 0 or a negative KODO_E* code. Where a
 * person must learn what to change (validation, config), a struct kerr also
 * carries the field at fault and a sentence; http/ turns it into the 4xx
 * JSON body of API.md unchanged.
 */
#ifndef KODO_UTIL_KERR_H
#define KODO_UTIL_KERR_H

#include <stdbool.h>

enum {
	KODO_OK = 0,
	KODO_EINVAL = -1,    /* invalid value: 422 */
	KODO_ENOTFOUND = -2, /* 404 */
	KODO_ECONFLICT = -3, /* 409 */
	KODO_EIO = -4,       /* storage or system failure: 500 */
	KODO_EFORBIDDEN = -5,
	KODO_EAUTH = -6,
	KODO_EBADJSON = -7,   /* 400 */
	KODO_ETOOLARGE = -8,  /* 413 */
	KODO_EBUSY = -9,      /* 503: shutting down or overloaded */
	KODO_EMEDIA = -10,    /* 415: a body that is not JSON */
	KODO_EBADREQ = -11,   /* 400: malformed HTTP */
	KODO_ERATE = -12,     /* 429: too many requests; retry later */
};

struct kerr {
	int code;
	bool has_field; /* a field is named (it may be "", a JSON key) */
	char field[64];
	char message[256];
};

/* Sets err (when not NULL) and returns code, for `return kerr_set(...)`. */
int kerr_set(struct kerr *err, int code, const char *field, const char *fmt,
	     ...) __attribute__((format(printf, 4, 5)));
void kerr_clear(struct kerr *err);
const char *kerr_code_name(int code);

#endif
