/*
 * server — see server.h. The only file that knows libmicrohttpd.
 *
 * A request body is collected up to HTTP_BODY_MAX: a larger declared
 * Content-Length is refused before any of it is read, and a chunked body
 * that grows past the limit is refused the moment it does. Handlers run on
 * MHD's worker threads and may block on a durable write; the pool is sized
 * so that many requests share one commit.
 */
#define _GNU_SOURCE
#include "http/server.h"

#include <microhttpd.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/page_cache.h"
#include "http/router.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/text.h"

struct http_server {
	struct MHD_Daemon *daemon;
	struct app *app;
	atomic_int in_flight;
	struct addrinfo *addr;
	bool owns_pages; /* made app->pages, frees it on stop */
};

#define DISCARD_MAX (16 * HTTP_BODY_MAX)

struct req_ctx {
	struct buf body;
	size_t seen; /* body bytes received, kept or not */
	bool refused; /* a response was queued before the body ended */
};

const char *req_header(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *req_query(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

/* A shared body goes out without a copy; MHD releases it when sent. */
static struct MHD_Response *shared_response(struct http_resp *resp)
{
	struct http_shared sh = resp->shared;
	resp->shared.release = NULL; /* the reference is MHD's or gone */
	/* MHD only reads the buffer; its prototype just lacks the const. */
	struct MHD_Response *r =
		MHD_create_response_from_buffer_with_free_callback_cls(
			sh.len, (void *)sh.data, sh.release, sh.owner);
	if (!r)
		sh.release(sh.owner);
	return r;
}

static enum MHD_Result send_resp(struct MHD_Connection *conn,
				 struct http_resp *resp)
{
	size_t len = 0;
	struct MHD_Response *r = NULL;
	if (resp->shared.release) {
		len = resp->shared.len;
		r = shared_response(resp);
	} else {
		char *data = buf_detach(&resp->body, &len);
		r = MHD_create_response_from_buffer(len, data,
						    MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(data);
	}
	if (!r)
		return MHD_NO;
	if (resp->content_type && len)
		MHD_add_response_header(r, "Content-Type", resp->content_type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	for (int i = 0; i < resp->n_headers; i++)
		MHD_add_response_header(r, resp->headers[i].name,
					resp->headers[i].value);
	enum MHD_Result ok = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result refuse(struct MHD_Connection *conn, struct req_ctx *ctx,
			      int code, const char *message)
{
	struct http_resp resp = { 0 };
	resp_error_code(&resp, code, NULL, message);
	resp_header(&resp, "Connection", "close");
	ctx->refused = true;
	enum MHD_Result ok = send_resp(conn, &resp);
	resp_cleanup(&resp);
	return ok;
}

/* RFC 9110 5.5: a field value with NUL is refused, never cut at the NUL
 * (a cut token would still authenticate). */
static enum MHD_Result find_nul(void *cls, enum MHD_ValueKind kind,
				const char *key, size_t key_size,
				const char *value, size_t value_size)
{
	(void)kind;
	bool *bad = cls;
	if (strlen(key) != key_size || (value && strlen(value) != value_size)) {
		*bad = true;
		return MHD_NO;
	}
	return MHD_YES;
}

static bool has_nul_in_headers(struct MHD_Connection *conn)
{
	bool bad = false;
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, find_nul, &bad);
	return bad;
}

static bool declared_too_large(struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						     "Content-Length");
	int64_t n;
	return cl && (!text_parse_int(cl, 0, INT64_MAX, &n) ||
		      n > HTTP_BODY_MAX);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)version;
	struct http_server *s = cls;
	struct req_ctx *ctx = *con_cls;
	if (!ctx) {
		*con_cls = ctx = xcalloc(1, sizeof(*ctx));
		atomic_fetch_add(&s->in_flight, 1);
		if (has_nul_in_headers(conn))
			return refuse(conn, ctx, KODO_EBADREQ,
				      "a header contains a NUL character");
		if (declared_too_large(conn))
			return refuse(conn, ctx, KODO_ETOOLARGE,
				      "the body is larger than 1 MiB");
		return MHD_YES;
	}
	if (*upload_size) {
		/*
		 * MHD cannot answer in the middle of a body, so a chunked body
		 * past the limit is dropped as it arrives and refused at its
		 * end; past DISCARD_MAX the connection is cut instead.
		 */
		ctx->seen += *upload_size;
		if (ctx->seen > DISCARD_MAX)
			return MHD_NO;
		if (ctx->seen <= HTTP_BODY_MAX)
			buf_append(&ctx->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (ctx->refused)
		return MHD_YES;
	if (ctx->seen > HTTP_BODY_MAX)
		return refuse(conn, ctx, KODO_ETOOLARGE,
			      "the body is larger than 1 MiB");
	struct http_req req = { .method = method, .path = url,
				.body = buf_str(&ctx->body),
				.body_len = ctx->body.len, .conn = conn };
	struct http_resp resp = { 0 };
	resp.status = 500;
	router_dispatch(s->app, &req, &resp);
	if (!resp_has_header(&resp, "Cache-Control"))
		resp_header(&resp, "Cache-Control", "no-store");
	enum MHD_Result ok = send_resp(conn, &resp);
	resp_cleanup(&resp);
	ctx->refused = true; /* answered: nothing more to do */
	return ok;
}

static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)conn, (void)toe;
	struct http_server *s = cls;
	struct req_ctx *ctx = *con_cls;
	if (!ctx)
		return;
	buf_cleanup(&ctx->body);
	free(ctx);
	*con_cls = NULL;
	atomic_fetch_sub(&s->in_flight, 1);
}

static int resolve_listen(const char *listen, struct addrinfo **out,
			  struct kerr *err)
{
	const char *colon = strrchr(listen, ':');
	if (!colon || !colon[1])
		return kerr_set(err, KODO_EINVAL, "listen",
				"--listen must be HOST:PORT, got \"%s\"", listen);
	char host[256];
	size_t hlen = (size_t)(colon - listen);
	if (hlen >= sizeof(host))
		return kerr_set(err, KODO_EINVAL, "listen", "host too long");
	memcpy(host, listen, hlen);
	host[hlen] = '\0';
	if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
		memmove(host, host + 1, hlen - 2);
		host[hlen - 2] = '\0';
	}
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	int rc = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, out);
	if (rc != 0)
		return kerr_set(err, KODO_EINVAL, "listen", "cannot resolve %s: %s",
				listen, gai_strerror(rc));
	return 0;
}

static void drop_pages(struct http_server *s)
{
	if (!s->owns_pages)
		return;
	page_cache_free(s->app->pages);
	s->app->pages = NULL;
	s->owns_pages = false;
}

int http_server_start(struct app *app, const struct http_server_config *cfg,
		      struct http_server **out, struct kerr *err)
{
	struct http_server *s = xcalloc(1, sizeof(*s));
	s->app = app;
	atomic_init(&s->in_flight, 0);
	int rc = resolve_listen(cfg->listen, &s->addr, err);
	if (rc) {
		free(s);
		return rc;
	}
	/* The public pages live as long as the server (unless the app
	 * brought its own). */
	if (!app->pages) {
		app->pages = page_cache_new(&app->core);
		s->owns_pages = true;
	}
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;
	if (s->addr->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s,
		MHD_OPTION_SOCK_ADDR, s->addr->ai_addr,
		MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
		MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout_s,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_END);
	if (!s->daemon) {
		drop_pages(s);
		freeaddrinfo(s->addr);
		free(s);
		return kerr_set(err, KODO_EIO, "listen", "cannot listen on %s",
				cfg->listen);
	}
	*out = s;
	return 0;
}

void http_server_stop(struct http_server *s, int timeout_ms)
{
	if (!s)
		return;
	MHD_socket fd = MHD_quiesce_daemon(s->daemon);
	int64_t deadline = clock_mono_ms() + timeout_ms;
	while (atomic_load(&s->in_flight) > 0 && clock_mono_ms() < deadline) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (atomic_load(&s->in_flight) > 0)
		log_warn("stopping with %d requests still in flight",
			 atomic_load(&s->in_flight));
	MHD_stop_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	drop_pages(s); /* no handler runs any more */
	freeaddrinfo(s->addr);
	free(s);
}
