/*
 * server — the HTTP server: Kodo's own httpd (httpd.h) under the handlers,
 * with body limits and a drain that lets in-flight requests finish.
 */
#ifndef KODO_HTTP_SERVER_H
#define KODO_HTTP_SERVER_H

#include "http/app.h"

struct http_server;

struct http_server_config {
	const char *listen; /* "HOST:PORT", "[::1]:PORT" */
	unsigned threads;
	unsigned max_connections;
	unsigned idle_timeout_s;
};

/* Binds and starts serving app. *out is new (http_server_stop frees it). */
int http_server_start(struct app *app, const struct http_server_config *cfg,
		      struct http_server **out, struct kerr *err);
/* Stops accepting, waits up to timeout_ms for in-flight requests to
 * finish, then closes every connection and frees s. Main thread only. */
void http_server_stop(struct http_server *s, int timeout_ms);

#endif
