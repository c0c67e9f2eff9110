/*
 * httpd — Kodo's own HTTP/1.1 server: strict parsing, keep-alive and
 * pipelining, and cached bytes sent without a copy, on a few epoll loops.
 *
 * It exists because a general-purpose library hid what Kodo must control:
 * header values with NUL were cut instead of refused, garbage was not
 * answered, and a chunked body could not be refused in its middle. Here the
 * request parser (httpd_parse.h) is pure and unit-tested, and every refusal
 * is a prompt JSON answer: {"error":{"code":"bad_request","message":"…"}}.
 *
 * Threads: each worker thread owns one epoll loop and the connections it
 * accepted. Handlers run inline on the worker, which is the fastest path
 * (cached pages) but holds up that worker's other connections while the
 * handler runs. A handler that may block (a durable write) is best sent to
 * the blocking pool: with cfg.may_block set, requests it picks are handed
 * to one of cfg.blocking_threads threads and the answer is handed back, by
 * message, to the worker, which meanwhile keeps serving. Workers share
 * nothing but the connection count; so, a few workers (one per core) and a
 * pool sized for the blocking expected.
 *
 * Depends only on libc, pthreads, epoll and util/ (no core/, no store/).
 */
#ifndef KODO_HTTP_HTTPD_H
#define KODO_HTTP_HTTPD_H

#include <stdbool.h>
#include <stddef.h>

#include "util/clock.h"
#include "util/kerr.h"

struct httpd;
struct httpd_req;  /* the request, as the handler sees it; see below */
struct httpd_resp; /* the answer the handler fills; see below */

/* How workers share the listening port. */
enum httpd_accept {
	HTTPD_ACCEPT_DEFAULT = 0, /* REUSEPORT: ~5% more req/s here */
	HTTPD_ACCEPT_REUSEPORT,   /* one SO_REUSEPORT socket per worker */
	HTTPD_ACCEPT_SHARED,      /* one socket, EPOLLEXCLUSIVE in each loop */
};

/* Limits are explicit; 0 selects the default shown. */
struct httpd_config {
	const char *listen;          /* "HOST:PORT", "[::1]:PORT"; PORT may be 0 */
	unsigned threads;            /* worker loops; 0: number of CPUs */
	unsigned max_connections;    /* across workers; 0: 1024 */
	size_t max_header_bytes;     /* request line + fields; 0: 32 KiB (431) */
	size_t max_line_bytes;       /* request line; 0: 8 KiB (414) */
	unsigned max_headers;        /* header fields; 0: 100 (431) */
	size_t max_body_bytes;       /* 0: 1 MiB (413) */
	unsigned header_timeout_ms;  /* first byte to end of head; 0: 10 s */
	unsigned idle_timeout_ms;    /* keep-alive idle, stalled body or
					reader; 0: 60 s */
	unsigned backlog;            /* listen(2) backlog; 0: 1024 */
	enum httpd_accept accept;
	const struct clock *clock;   /* for the Date header; NULL: system */
	/*
	 * Called on the worker once a request is complete, before the
	 * handler: true runs the handler on the blocking pool instead of
	 * inline. Must not block. NULL: every handler runs inline.
	 */
	bool (*may_block)(void *arg, const struct httpd_req *req);
	unsigned blocking_threads;   /* the pool, with may_block; 0: 64 */
};

/*
 * Called once a whole request (head and body) is in, and never for a
 * request the module refused: on the connection's worker thread, or on a
 * blocking-pool thread when cfg.may_block said so. Calls for different
 * connections run concurrently. req and everything reachable from it are
 * borrowed until the handler returns; resp is filled by the handler
 * through the httpd_resp_* calls. Status defaults to 500.
 */
typedef void (*httpd_handler_fn)(void *arg, const struct httpd_req *req,
				 struct httpd_resp *resp);

/*
 * Binds cfg->listen and starts cfg->threads workers that call
 * handler(arg, ...). Returns a new server (httpd_stop frees it), or NULL
 * with err set (KODO_EINVAL for a bad address or limit, KODO_EIO when the
 * port cannot be bound). cfg is copied. Main thread.
 */
struct httpd *httpd_start(const struct httpd_config *cfg,
			  httpd_handler_fn handler, void *arg,
			  struct kerr *err);

/* The bound TCP port (the real one when the config said 0). Any thread. */
int httpd_port(const struct httpd *h);

/*
 * Stops accepting, closes idle connections, lets requests in flight finish
 * (their answers say Connection: close) for up to drain_timeout_ms, then
 * closes everything, joins the workers and frees h. A handler already
 * running cannot be interrupted: the join waits for it, and past the
 * deadline its answer gets one write attempt. Every shared body is
 * released before it returns. NULL is a no-op. Main thread; not from a
 * handler.
 */
void httpd_stop(struct httpd *h, int drain_timeout_ms);

/* -- the request ---------------------------------------------------------- */

struct httpd_conn; /* private */

/* Every string is NUL-terminated and borrowed until the handler returns. */
struct httpd_req {
	const char *method;   /* a token as sent: "GET", "HEAD", "POST", … */
	const char *path;     /* percent-decoded; never contains a control
				 character (refused with 400) */
	size_t path_len;
	const char *query;    /* raw, without '?'; "" when none */
	const char *body;     /* "" when none; a NUL follows the body_len bytes */
	size_t body_len;
	int version_minor;    /* 0 or 1: HTTP/1.0 or HTTP/1.1 */
	struct httpd_conn *conn_; /* private to the module */
};

/*
 * The first header field named name (case-insensitive), with surrounding
 * whitespace trimmed, exactly as sent: a value can hold no NUL or other
 * control character except HTAB (such requests are refused with 400).
 * NULL when absent. Borrowed until the handler returns. From the handler
 * (or may_block) only.
 */
const char *httpd_header(const struct httpd_req *req, const char *name);

/*
 * The first query parameter named name (after percent- and '+'-decoding
 * of both name and value; "" for "?flag"). NULL when absent. A query with
 * "%00" is refused with 400 before the handler runs; a '%' not followed by
 * two hex digits stays as it is. Borrowed until the handler returns.
 * From the handler (or may_block) only.
 */
const char *httpd_query(const struct httpd_req *req, const char *name);

/* -- the response --------------------------------------------------------- */

/* 200-599; anything else (1xx included) is sent as 500. Handler only. */
void httpd_resp_status(struct httpd_resp *resp, int status);

/*
 * Adds a header field, copied at once. Returns KODO_EINVAL (and adds
 * nothing) when name is not a token or value holds CR, LF, NUL or another
 * control character but HTAB, and for the framing fields the module owns:
 * Content-Length, Transfer-Encoding, Date. "Connection: close" makes the
 * module close the connection after this answer; other Connection values
 * are dropped. Handler only.
 */
int httpd_resp_header(struct httpd_resp *resp, const char *name,
		      const char *value);

/*
 * The body, one of three ways; a later call replaces (and releases) an
 * earlier one. A HEAD request gets the headers with this length and no
 * bytes; 204 and 304 get neither. The bytes must not point into the
 * request. Handler only.
 *  - owned: data from malloc; the module free()s it.
 *  - copy: copied into a buffer the connection reuses (no malloc once warm).
 *  - shared: read-only bytes that stay valid until the module calls
 *    release(owner), exactly once, after the bytes are written or the
 *    connection dies: on a worker thread, or on the handler's own if a
 *    later body call replaces them. release may be NULL for static bytes.
 */
void httpd_resp_body_owned(struct httpd_resp *resp, char *data, size_t len);
void httpd_resp_body_copy(struct httpd_resp *resp, const void *data,
			  size_t len);
void httpd_resp_body_shared(struct httpd_resp *resp, const void *data,
			    size_t len, void (*release)(void *owner),
			    void *owner);

#endif
