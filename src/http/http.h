/*
 * http — the request and response every handler sees, independent of the
 * server underneath (server.c holds the glue to httpd.c).
 *
 * Handlers parse the request, call core/, and render the answer; they hold
 * no business rule. A handler runs on one of the server's worker threads
 * and owns nothing beyond the request.
 */
#ifndef KODO_HTTP_HTTP_H
#define KODO_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"
#include "util/buf.h"

#define HTTP_BODY_MAX (1024 * 1024)
#define HTTP_MAX_PARAMS 3
#define HTTP_MAX_HEADERS 12

struct app; /* the server's shared state: core, caches, config */

struct http_req {
	const char *method; /* "GET", "POST", ...; HEAD is routed as GET */
	const char *path;
	const char *body; /* NUL-terminated; body_len excludes the NUL */
	size_t body_len;
	const char *params[HTTP_MAX_PARAMS]; /* {id} path segments */
	void *conn; /* server-private handle for headers and query */
};

/*
 * A body shared by many responses (a cached page), immutable while any
 * reference lives. A handler that fills resp->shared hands one reference
 * to the server instead of filling body: the server sends the bytes
 * without copying and calls release(owner) exactly once, on any thread,
 * when it no longer needs them.
 */
struct http_shared {
	const char *data;
	size_t len;
	void (*release)(void *owner); /* NULL: no shared body */
	void *owner;
};

struct http_resp {
	int status;
	const char *content_type; /* static text */
	struct buf body;
	struct http_shared shared; /* sent instead of body when set */
	struct {
		const char *name; /* static text */
		char *value;      /* owned */
	} headers[HTTP_MAX_HEADERS];
	int n_headers;
};

/* Borrowed until the request ends; NULL when absent. */
const char *req_header(const struct http_req *req, const char *name);
const char *req_query(const struct http_req *req, const char *name);

void resp_header(struct http_resp *resp, const char *name, const char *value);
bool resp_has_header(const struct http_resp *resp, const char *name);
/* Takes ownership of a rendered JSON text (from json_dumps). */
void resp_json_text(struct http_resp *resp, int status, char *text);
/* The error body of API.md, from a kerr (status follows the code). */
void resp_error(struct http_resp *resp, const struct kerr *err);
void resp_error_code(struct http_resp *resp, int code, const char *field,
		     const char *message);
int http_status_of(int code);
void resp_cleanup(struct http_resp *resp);

#endif
