/*
 * httpd_test_server — a tiny server on src/http/httpd.c for the socket
 * tests in tests/e2e/test_httpd_module.py (which build it with cc and the
 * sanitizers). Not part of the kodo binary.
 *
 * Prints "port=N" once listening; stops on SIGTERM or SIGINT with a drain,
 * and exits 3 if a shared body was not released exactly once. With
 * --pool N, /slow and any request with a "pool" query parameter run on
 * the blocking pool of N threads; the rest inline on the workers.
 *
 * Routes:
 *   /healthz            200 {"status":"ok"}
 *   /echo?h=NAME&q=NAME what the handler saw, as JSON
 *   /auth               200 only for "Authorization: Bearer secret-token"
 *                       or "X-API-Key: secret-token", exactly; else 401
 *   /shared?n=BYTES     BYTES (default 30000) of a pattern, shared body
 *   /owned              a malloc'd body
 *   /slow?ms=N          sleeps N ms in the handler, then answers
 *   /status?code=N      that status, body "x"
 *   /close              answers with Connection: close
 *   /headers            tries forbidden response headers, reports the rcs
 *   /stats              {"acquired":A,"released":R,"requests":N}
 *   /thread             {"thread":"httpd-w0"} or "httpd-blocking": where
 *                       the handler ran
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/httpd.h"
#include "util/buf.h"

#define PATTERN_MAX (8 * 1024 * 1024)

static char pattern[PATTERN_MAX];
static atomic_long acquired, released, requests;
/* The pool's requests. */
static bool may_block(void *arg, const struct httpd_req *req)
{
	(void)arg;
	return strncmp(req->path, "/slow", 5) == 0 ||
	       httpd_query(req, "pool") != NULL;
}

static void release_pattern(void *owner)
{
	(void)owner;
	atomic_fetch_add(&released, 1);
}

static void json_str(struct buf *b, const char *s, size_t n)
{
	buf_putc(b, '"');
	for (size_t i = 0; s && i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			buf_printf(b, "\\u%04x", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

static void json_opt(struct buf *b, const char *key, const char *v)
{
	buf_printf(b, ",\"%s\":", key);
	if (v)
		json_str(b, v, strlen(v));
	else
		buf_puts(b, "null");
}

static void answer_json(struct httpd_resp *resp, int status, struct buf *b)
{
	httpd_resp_status(resp, status);
	httpd_resp_header(resp, "Content-Type", "application/json");
	size_t len;
	char *data = buf_detach(b, &len);
	httpd_resp_body_owned(resp, data, len);
}

static void route_echo(const struct httpd_req *req, struct httpd_resp *resp)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "{\"method\":");
	json_str(&b, req->method, strlen(req->method));
	buf_puts(&b, ",\"path\":");
	json_str(&b, req->path, req->path_len);
	json_opt(&b, "query", req->query);
	buf_printf(&b, ",\"minor\":%d,\"body_len\":%zu,\"body\":",
		   req->version_minor, req->body_len);
	json_str(&b, req->body, req->body_len);
	buf_printf(&b, ",\"body_nul\":%s",
		   req->body[req->body_len] == '\0' ? "true" : "false");
	const char *h = httpd_query(req, "h"), *q = httpd_query(req, "q");
	json_opt(&b, "header", h ? httpd_header(req, h) : NULL);
	json_opt(&b, "param", q ? httpd_query(req, q) : NULL);
	buf_putc(&b, '}');
	answer_json(resp, 200, &b);
}

static void route_auth(const struct httpd_req *req, struct httpd_resp *resp)
{
	const char *auth = httpd_header(req, "Authorization");
	const char *key = httpd_header(req, "X-API-Key");
	bool ok = (auth && strcmp(auth, "Bearer secret-token") == 0) ||
		  (key && strcmp(key, "secret-token") == 0);
	struct buf b = BUF_INIT;
	buf_puts(&b, ok ? "{\"ok\":true}"
			: "{\"error\":{\"code\":\"unauthorized\"}}");
	answer_json(resp, ok ? 200 : 401, &b);
}

static void route_shared(const struct httpd_req *req, struct httpd_resp *resp)
{
	const char *n = httpd_query(req, "n");
	long len = n ? strtol(n, NULL, 10) : 30000;
	if (len < 0 || len > PATTERN_MAX)
		len = 30000;
	atomic_fetch_add(&acquired, 1);
	httpd_resp_status(resp, 200);
	httpd_resp_header(resp, "Content-Type", "application/octet-stream");
	httpd_resp_body_shared(resp, pattern, (size_t)len, release_pattern,
			       NULL);
}

static void route_slow(const struct httpd_req *req, struct httpd_resp *resp)
{
	const char *ms = httpd_query(req, "ms");
	long v = ms ? strtol(ms, NULL, 10) : 100;
	struct timespec ts = { v / 1000, (v % 1000) * 1000000L };
	nanosleep(&ts, NULL);
	httpd_resp_status(resp, 200);
	httpd_resp_body_copy(resp, "slow", 4);
}

static void route_headers(struct httpd_resp *resp)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "{\"crlf\":%d,\"nul_name\":%d,\"length\":%d,"
		       "\"te\":%d,\"bad_name\":%d,\"ok\":%d}",
		   httpd_resp_header(resp, "X-A", "a\r\nSet-Cookie: x=1"),
		   httpd_resp_header(resp, "", "v"),
		   httpd_resp_header(resp, "Content-Length", "5"),
		   httpd_resp_header(resp, "Transfer-Encoding", "chunked"),
		   httpd_resp_header(resp, "X Y", "v"),
		   httpd_resp_header(resp, "X-Ok", "fine\tvalue"));
	answer_json(resp, 200, &b);
}

static void route_stats(struct httpd_resp *resp)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "{\"acquired\":%ld,\"released\":%ld,\"requests\":%ld}",
		   atomic_load(&acquired), atomic_load(&released),
		   atomic_load(&requests));
	answer_json(resp, 200, &b);
}

static void handle(void *arg, const struct httpd_req *req,
		   struct httpd_resp *resp)
{
	(void)arg;
	atomic_fetch_add(&requests, 1);
	const char *p = req->path;
	if (strcmp(p, "/healthz") == 0) {
		httpd_resp_status(resp, 200);
		httpd_resp_header(resp, "Content-Type", "application/json");
		httpd_resp_body_copy(resp, "{\"status\":\"ok\"}", 15);
	} else if (strcmp(p, "/echo") == 0) {
		route_echo(req, resp);
	} else if (strcmp(p, "/auth") == 0) {
		route_auth(req, resp);
	} else if (strcmp(p, "/shared") == 0) {
		route_shared(req, resp);
	} else if (strcmp(p, "/owned") == 0) {
		httpd_resp_status(resp, 200);
		httpd_resp_body_owned(resp, strdup("owned"), 5);
	} else if (strcmp(p, "/slow") == 0) {
		route_slow(req, resp);
	} else if (strcmp(p, "/status") == 0) {
		const char *code = httpd_query(req, "code");
		httpd_resp_status(resp, code ? (int)strtol(code, NULL, 10) : 0);
		httpd_resp_body_copy(resp, "x", 1);
	} else if (strcmp(p, "/close") == 0) {
		httpd_resp_status(resp, 200);
		httpd_resp_header(resp, "Connection", "close");
		httpd_resp_body_copy(resp, "bye", 3);
	} else if (strcmp(p, "/headers") == 0) {
		route_headers(resp);
	} else if (strcmp(p, "/stats") == 0) {
		route_stats(resp);
	} else if (strcmp(p, "/thread") == 0) {
		char name[16] = "";
		pthread_getname_np(pthread_self(), name, sizeof(name));
		struct buf b = BUF_INIT;
		buf_printf(&b, "{\"thread\":\"%s\"}", name);
		answer_json(resp, 200, &b);
	} else {
		httpd_resp_status(resp, 404);
		httpd_resp_body_copy(resp, "no such route", 13);
	}
}

static int parse_args(int argc, char **argv, struct httpd_config *cfg,
		      int *drain_ms)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "max-conns", required_argument, NULL, 'c' },
		{ "header-timeout-ms", required_argument, NULL, 'H' },
		{ "idle-timeout-ms", required_argument, NULL, 'i' },
		{ "max-body", required_argument, NULL, 'b' },
		{ "max-header", required_argument, NULL, 'm' },
		{ "accept", required_argument, NULL, 'a' },
		{ "drain-ms", required_argument, NULL, 'd' },
		{ "pool", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		long v = optarg ? strtol(optarg, NULL, 10) : 0;
		switch (o) {
		case 'l': cfg->listen = optarg; break;
		case 't': cfg->threads = (unsigned)v; break;
		case 'c': cfg->max_connections = (unsigned)v; break;
		case 'H': cfg->header_timeout_ms = (unsigned)v; break;
		case 'i': cfg->idle_timeout_ms = (unsigned)v; break;
		case 'b': cfg->max_body_bytes = (size_t)v; break;
		case 'm': cfg->max_header_bytes = (size_t)v; break;
		case 'a':
			cfg->accept = strcmp(optarg, "shared") == 0
					      ? HTTPD_ACCEPT_SHARED
					      : HTTPD_ACCEPT_REUSEPORT;
			break;
		case 'd': *drain_ms = (int)v; break;
		case 'p':
			cfg->may_block = may_block;
			cfg->blocking_threads = (unsigned)v;
			break;
		default: return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct httpd_config cfg = { .listen = "127.0.0.1:0", .threads = 2 };
	int drain_ms = 5000;
	if (parse_args(argc, argv, &cfg, &drain_ms) != 0)
		return 2;
	for (size_t i = 0; i < PATTERN_MAX; i++)
		pattern[i] = (char)('a' + i % 26);
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	struct kerr err = { 0 };
	struct httpd *h = httpd_start(&cfg, handle, NULL, &err);
	if (!h) {
		fprintf(stderr, "httpd_test_server: %s\n", err.message);
		return 1;
	}
	printf("port=%d\n", httpd_port(h));
	fflush(stdout);
	int sig = 0;
	sigwait(&stop, &sig);
	httpd_stop(h, drain_ms);
	long a = atomic_load(&acquired), r = atomic_load(&released);
	fprintf(stderr, "httpd_test_server: stopped; shared acquired=%ld "
			"released=%ld\n", a, r);
	return a == r ? 0 : 3;
}
