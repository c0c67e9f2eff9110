/*
 * httpd_parse — the request parser of httpd (httpd.h): pure functions over
 * bytes, with no I/O and no allocation, so that every framing rule is unit
 * tested without a socket (tests/unit/test_httpd.c).
 *
 * A request goes through three steps:
 *   1. httpd_head_scan() walks the request line and the header fields as
 *      bytes arrive, and fails at the first byte that cannot belong to a
 *      valid request: it never waits for more once the answer is known;
 *   2. httpd_head_finish() applies the rules that need the whole head (Host,
 *      Content-Length, Transfer-Encoding, Connection, Expect), decodes the
 *      path and NUL-terminates every string in place;
 *   3. httpd_chunked_decode() removes chunked framing in place, refusing the
 *      body the moment a chunk size takes it past the limit.
 * A refusal is a struct httpd_fail: the status to answer, its JSON error
 * code and a short sentence, all static.
 *
 * Strictness, on purpose: lines end with CRLF (a bare CR or LF is refused),
 * single spaces separate the request line, no whitespace before a field's
 * colon, no obsolete line folding, no control character but HTAB in field
 * values, none at all in the target. Only HTTP/1.0 and 1.1 are served.
 */
#ifndef KODO_HTTP_HTTPD_PARSE_H
#define KODO_HTTP_HTTPD_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define HTTPD_MAX_METHOD 32 /* longer methods get 501 */

struct httpd_limits {
	size_t max_line;     /* request line, CRLF excluded (414) */
	size_t max_head;     /* request line + fields + blank line (431) */
	unsigned max_fields; /* header fields (431) */
	size_t max_body;     /* decoded body bytes (413) */
};

/* Why a request is refused. All strings static. */
struct httpd_fail {
	int status;
	const char *code;    /* "bad_request", "payload_too_large", … */
	const char *message;
};

/* Offsets into the request buffer: it may move while it grows. */
struct httpd_span {
	uint32_t off, len;
};

struct httpd_field {
	struct httpd_span name, value; /* value trimmed of OWS */
};

/* Step 1. Private state first; results valid after HTTPD_SCAN_DONE. */
struct httpd_scan {
	int state;
	size_t pos;        /* bytes examined so far */
	size_t line_start; /* where the request line begins */
	struct httpd_field *fields; /* the caller's array of max_fields */
	unsigned n_fields;
	struct httpd_span method, target;
	int major, minor;
	size_t head_len; /* bytes through the blank line */
	struct httpd_fail fail;
};

enum { HTTPD_SCAN_FAIL = -1, HTTPD_SCAN_MORE = 0, HTTPD_SCAN_DONE = 1 };

/* fields: caller-owned, at least limits->max_fields entries. */
void httpd_scan_init(struct httpd_scan *s, struct httpd_field *fields);

/*
 * Examines buf[s->pos, len) (buf[0] is the request's first byte; earlier
 * bytes must not have changed). Returns HTTPD_SCAN_MORE, HTTPD_SCAN_DONE
 * (s->head_len set) or HTTPD_SCAN_FAIL (s->fail set). Pure.
 */
int httpd_head_scan(struct httpd_scan *s, const char *buf, size_t len,
		    const struct httpd_limits *lim);

enum httpd_framing { HTTPD_BODY_NONE, HTTPD_BODY_LENGTH, HTTPD_BODY_CHUNKED };

/* Step 2's result. Strings point into the buffer and are NUL-terminated. */
struct httpd_head {
	const char *buf;
	const char *method;
	const char *path; /* percent-decoded; "/" for "http://host" */
	size_t path_len;
	const char *query; /* raw, without '?'; "" when none */
	size_t query_len;
	int minor;
	bool keep_alive;      /* HTTP/1.1 unless "close"; 1.0 if "keep-alive" */
	bool expect_continue; /* HTTP/1.1 with Expect: 100-continue */
	bool is_head;         /* method HEAD: answer without a body */
	enum httpd_framing framing;
	uint64_t content_length; /* HTTPD_BODY_LENGTH only */
	const struct httpd_field *fields;
	unsigned n_fields;
	size_t off_method, off_path, off_query; /* private: for rebasing */
	bool path_root;
};

/*
 * Checks the whole head scanned into buf and rewrites it in place (NULs
 * after each string, the path decoded), filling out. Returns 0, or -1 with
 * *fail set: 400 (Host, framing, target), 413 (Content-Length over
 * max_body), 417 (Expect), 501 (a transfer coding but chunked). Pure; call
 * once per DONE scan.
 */
int httpd_head_finish(const struct httpd_scan *s, char *buf,
		      const struct httpd_limits *lim, struct httpd_head *out,
		      struct httpd_fail *fail);

/* Points h's strings into buf, a moved copy of the buffer it was made
 * from (after a realloc). */
void httpd_head_rebase(struct httpd_head *h, const char *buf);

/* The first field named name (ASCII case-insensitive), or NULL. */
const char *httpd_head_field(const struct httpd_head *h, const char *name);

/* Step 3. */
struct httpd_chunked {
	int state;
	uint64_t left;  /* data bytes left in this chunk, or its size so far */
	size_t total;   /* decoded bytes */
	size_t digits;  /* in this chunk size */
	size_t side;    /* extension or trailer bytes so far */
};

void httpd_chunked_init(struct httpd_chunked *c);

/*
 * Decodes buf[*rpos, len) in place: data bytes are moved down to *wpos
 * (*wpos <= *rpos always) and both advance. Returns HTTPD_SCAN_MORE,
 * HTTPD_SCAN_DONE (*rpos is then the end of the message, trailers
 * included and discarded) or HTTPD_SCAN_FAIL (*fail: 400 for framing, 413
 * as soon as a chunk size takes the body past lim->max_body). Pure.
 */
int httpd_chunked_decode(struct httpd_chunked *c, char *buf, size_t *wpos,
			 size_t *rpos, size_t len,
			 const struct httpd_limits *lim, struct httpd_fail *fail);

/*
 * Decodes a raw query ("a=1&b=x%20y") into out as "name\0value\0" pairs,
 * '+' as space, a '%' without two hex digits kept as is. Pure.
 */
void httpd_query_decode(const char *query, size_t len, struct buf *out);

/* The first value for name among pairs from httpd_query_decode, or NULL.
 * Borrowed from decoded. */
const char *httpd_query_find(const struct buf *decoded, const char *name);

/* True when name is a non-empty RFC 9110 token. */
bool httpd_is_token(const char *name);

#endif
