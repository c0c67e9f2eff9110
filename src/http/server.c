/*
 * server — see server.h. Glue between Kodo's request and response
 * (http.h) and its own HTTP/1.1 server (httpd.h).
 *
 * Public pages are served from memory, so their handlers run inline on
 * the epoll workers; anything that reads or writes the database (the API,
 * the dashboard) goes to the blocking pool, where a handler may wait for
 * a durable group commit while the workers keep serving.
 */
#define _GNU_SOURCE
#include "http/server.h"

#include <stdlib.h>
#include <string.h>

#include "http/httpd.h"
#include "http/page_cache.h"
#include "http/router.h"
#include "util/alloc.h"
#include "util/log.h"

struct http_server {
	struct httpd *httpd;
	struct app *app;
	bool owns_pages; /* made app->pages, frees it on stop */
};

const char *req_header(const struct http_req *req, const char *name)
{
	return httpd_header(req->conn, name);
}

const char *req_query(const struct http_req *req, const char *name)
{
	return httpd_query(req->conn, name);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* True for requests that may touch the database (and so may block). */
static bool may_block(void *arg, const struct httpd_req *req)
{
	(void)arg;
	bool read = strcmp(req->method, "GET") == 0 ||
		    strcmp(req->method, "HEAD") == 0;
	return !read || starts_with(req->path, "/api/v1/") ||
	       starts_with(req->path, "/dashboard") ||
	       starts_with(req->path, "/login") ||
	       starts_with(req->path, "/logout");
}

static void send_resp(struct http_resp *resp, struct httpd_resp *out)
{
	httpd_resp_status(out, resp->status);
	if (resp->content_type)
		httpd_resp_header(out, "Content-Type", resp->content_type);
	httpd_resp_header(out, "X-Content-Type-Options", "nosniff");
	for (int i = 0; i < resp->n_headers; i++)
		httpd_resp_header(out, resp->headers[i].name,
				  resp->headers[i].value);
	if (resp->shared.release) {
		struct http_shared sh = resp->shared;
		resp->shared.release = NULL; /* the reference is httpd's now */
		httpd_resp_body_shared(out, sh.data, sh.len, sh.release,
				       sh.owner);
	} else if (resp->body.len) {
		size_t len = 0;
		char *data = buf_detach(&resp->body, &len);
		httpd_resp_body_owned(out, data, len);
	}
}

static void on_request(void *arg, const struct httpd_req *hreq,
		       struct httpd_resp *out)
{
	struct http_server *s = arg;
	struct http_req req = { .method = hreq->method, .path = hreq->path,
				.body = hreq->body, .body_len = hreq->body_len,
				.conn = (void *)hreq };
	struct http_resp resp = { 0 };
	resp.status = 500;
	router_dispatch(s->app, &req, &resp);
	if (!resp_has_header(&resp, "Cache-Control"))
		resp_header(&resp, "Cache-Control", "no-store");
	send_resp(&resp, out);
	if (resp.shared.release)
		resp.shared.release(resp.shared.owner);
	resp_cleanup(&resp);
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
	/* The public pages live as long as the server (unless the app
	 * brought its own). */
	if (!app->pages) {
		app->pages = page_cache_new(&app->core);
		s->owns_pages = true;
	}
	struct httpd_config hc = {
		.listen = cfg->listen,
		.threads = 0, /* one epoll worker per CPU */
		.max_connections = cfg->max_connections,
		.max_body_bytes = HTTP_BODY_MAX,
		.idle_timeout_ms = cfg->idle_timeout_s * 1000,
		.clock = app->core.clock,
		.may_block = may_block,
		.blocking_threads = cfg->threads,
	};
	s->httpd = httpd_start(&hc, on_request, s, err);
	if (!s->httpd) {
		drop_pages(s);
		free(s);
		return err && err->code ? err->code : KODO_EIO;
	}
	*out = s;
	return 0;
}

void http_server_stop(struct http_server *s, int timeout_ms)
{
	if (!s)
		return;
	httpd_stop(s->httpd, timeout_ms);
	drop_pages(s); /* no handler runs any more */
	free(s);
}
