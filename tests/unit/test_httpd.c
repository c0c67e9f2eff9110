/*
 * Unit tests of http/httpd_parse: every framing rule of httpd's request
 * parser, fed both whole and one byte at a time, and the promise that a
 * request already gone wrong is refused without waiting for more bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "http/httpd_parse.h"
#include "unit.h"
#include "util/buf.h"

#define MAX_FIELDS 8

static const struct httpd_limits limits = {
	.max_line = 64, .max_head = 256, .max_fields = MAX_FIELDS,
	.max_body = 10,
};

struct parsed {
	char buf[1024];
	struct httpd_field fields[MAX_FIELDS];
	struct httpd_scan scan;
	struct httpd_head head;
	struct httpd_fail fail;
	int rc;     /* of the scan, then of finish (0 ok, -1 failed) */
	int status; /* 0 when accepted */
};

/* Scans len bytes, step bytes at a time, then finishes a complete head. */
static void parse_step(struct parsed *p, const char *req, size_t len,
		       size_t step)
{
	memset(p, 0, sizeof(*p));
	memcpy(p->buf, req, len);
	httpd_scan_init(&p->scan, p->fields);
	int rc = HTTPD_SCAN_MORE;
	for (size_t have = 0; have < len && rc == HTTPD_SCAN_MORE;) {
		have = have + step < len ? have + step : len;
		rc = httpd_head_scan(&p->scan, p->buf, have, &limits);
	}
	p->rc = rc;
	if (rc == HTTPD_SCAN_FAIL)
		p->status = p->scan.fail.status;
	if (rc != HTTPD_SCAN_DONE)
		return;
	if (httpd_head_finish(&p->scan, p->buf, &limits, &p->head,
			      &p->fail) != 0) {
		p->rc = -1;
		p->status = p->fail.status;
	}
}

/* Appends s to the C string in dst[cap]. */
static void append(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(dst);
	snprintf(dst + n, cap - n, "%s", s);
}

/* Whole, then byte by byte: both must agree. Returns the status (0 ok). */
static int parse(struct parsed *p, const char *req)
{
	size_t len = strlen(req);
	parse_step(p, req, len, 1);
	int bytewise = p->status, rc = p->rc;
	parse_step(p, req, len, len ? len : 1);
	CHECK_EQ_INT(p->status, bytewise);
	CHECK_EQ_INT(p->rc, rc);
	return p->status;
}

/* The status for a head given as exact bytes (NULs allowed). */
static int parse_bytes(struct parsed *p, const char *req, size_t len)
{
	parse_step(p, req, len, 1);
	return p->status;
}

static void test_scan_simple(void)
{
	struct parsed p;
	const char *req = "GET /a/b?x=1 HTTP/1.1\r\nHost: example\r\n"
			  "X-Thing:  spaced value \t\r\nEmpty:\r\n\r\nBODY";
	CHECK_EQ_INT(parse(&p, req), 0);
	CHECK_EQ_INT(p.rc, HTTPD_SCAN_DONE);
	CHECK_EQ_INT(p.scan.head_len, strlen(req) - 4);
	CHECK_STR(p.head.method, "GET");
	CHECK_STR(p.head.path, "/a/b");
	CHECK_EQ_INT(p.head.path_len, 4);
	CHECK_STR(p.head.query, "x=1");
	CHECK_EQ_INT(p.head.query_len, 3);
	CHECK_EQ_INT(p.head.minor, 1);
	CHECK(p.head.keep_alive);
	CHECK(!p.head.is_head);
	CHECK_EQ_INT(p.head.framing, HTTPD_BODY_NONE);
	CHECK_EQ_INT(p.head.n_fields, 3);
	CHECK_STR(httpd_head_field(&p.head, "host"), "example");
	CHECK_STR(httpd_head_field(&p.head, "X-THING"), "spaced value");
	CHECK_STR(httpd_head_field(&p.head, "empty"), "");
	CHECK(httpd_head_field(&p.head, "missing") == NULL);
	CHECK(httpd_head_field(&p.head, "Hos") == NULL);
	/* The body's bytes are not the parser's: left as they were. */
	CHECK(memcmp(p.buf + p.scan.head_len, "BODY", 4) == 0);
	/* The buffer may move (realloc): the strings follow it. */
	char *moved = malloc(sizeof(p.buf));
	memcpy(moved, p.buf, sizeof(p.buf));
	memset(p.buf, 'z', sizeof(p.buf));
	httpd_head_rebase(&p.head, moved);
	CHECK(p.head.method == moved);
	CHECK_STR(p.head.method, "GET");
	CHECK_STR(p.head.path, "/a/b");
	CHECK_STR(p.head.query, "x=1");
	CHECK_STR(httpd_head_field(&p.head, "x-thing"), "spaced value");
	free(moved);
	CHECK_EQ_INT(parse(&p, "GET http://h HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
	httpd_head_rebase(&p.head, p.buf);
	CHECK_STR(p.head.path, "/");
}

static void test_scan_details(void)
{
	struct parsed p;
	/* Empty lines before a request are skipped (RFC 9112 2.2). */
	CHECK_EQ_INT(parse(&p, "\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
	CHECK_STR(p.head.path, "/");
	/* HTAB inside a value and obs-text are kept exactly. */
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\n"
			       "V: a\tb \xc3\xa9\xff\r\n\r\n"), 0);
	CHECK_STR(httpd_head_field(&p.head, "v"), "a\tb \xc3\xa9\xff");
	/* The first of two same-named fields wins. */
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\na: 2\r\n"
			       "\r\n"), 0);
	CHECK_STR(httpd_head_field(&p.head, "A"), "1");
	CHECK_EQ_INT(parse(&p, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
	CHECK(p.head.is_head);
	CHECK_EQ_INT(parse(&p, "M-SEARCH * HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
	CHECK_STR(p.head.path, "*");
	/* Incomplete heads are not refused. */
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\n"), 0);
	CHECK_EQ_INT(p.rc, HTTPD_SCAN_MORE);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\n\r"), 0);
	CHECK_EQ_INT(p.rc, HTTPD_SCAN_MORE);
}

static void test_request_line(void)
{
	struct parsed p;
	CHECK_EQ_INT(parse(&p, "GARBAGE\r\n\r\n"), 400);
	CHECK_STR(p.scan.fail.code, "bad_request");
	CHECK_EQ_INT(parse(&p, "GET\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET  / HTTP/1.1\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, " GET / HTTP/1.1\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1 \r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET /\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "G(T / HTTP/1.1\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / http/1.1\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/11\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.10\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\n\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "\n"), 400);
	CHECK_EQ_INT(parse(&p, "\r\r"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/9.9\r\nHost: x\r\n\r\n"), 505);
	CHECK_STR(p.scan.fail.code, "http_version_not_supported");
	CHECK_EQ_INT(parse(&p, "GET / HTTP/2.0\r\n\r\n"), 505);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.2\r\n\r\n"), 505);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/0.9\r\n\r\n"), 505);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.0\r\n\r\n"), 0);
	CHECK_EQ_INT(p.head.minor, 0);
	/* Methods are tokens of at most HTTPD_MAX_METHOD bytes. */
	CHECK_EQ_INT(parse(&p, "PROPFIND / HTTP/1.1\r\nHost: x\r\n\r\n"), 0);
	CHECK_STR(p.head.method, "PROPFIND");
	char line[128];
	snprintf(line, sizeof(line), "%.*s / HTTP/1.1\r\nHost: x\r\n\r\n",
		 HTTPD_MAX_METHOD, "MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM");
	CHECK_EQ_INT(parse(&p, line), 0);
	snprintf(line, sizeof(line), "%.*s / HTTP/1.1\r\n\r\n",
		 HTTPD_MAX_METHOD + 1,
		 "MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM");
	CHECK_EQ_INT(parse(&p, line), 501);
}

static void test_control_bytes(void)
{
	struct parsed p;
	static const char nul_target[] = "GET /healthz\0x HTTP/1.1\r\n\r\n";
	CHECK_EQ_INT(parse_bytes(&p, nul_target, sizeof(nul_target) - 1), 400);
	static const char binary[] = "\x00\x01\x02\x03\xff\xfe\r\n\r\n";
	CHECK_EQ_INT(parse_bytes(&p, binary, sizeof(binary) - 1), 400);
	CHECK_EQ_INT(parse(&p, "\xff\xfe\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET /a\x01 HTTP/1.1\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET /a\x7f HTTP/1.1\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET /a\tb HTTP/1.1\r\n\r\n"), 400);
	static const char nul_value[] =
		"GET / HTTP/1.1\r\nHost: x\r\n"
		"Authorization: Bearer tok\0junk\r\n\r\n";
	CHECK_EQ_INT(parse_bytes(&p, nul_value, sizeof(nul_value) - 1), 400);
	static const char nul_name[] = "GET / HTTP/1.1\r\nX\0: v\r\n\r\n";
	CHECK_EQ_INT(parse_bytes(&p, nul_name, sizeof(nul_name) - 1), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\nA: b\x01\r\n\r\n"),
		     400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\nA: b\x7f\r\n\r\n"),
		     400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\nA: b\rc\r\n\r\n"),
		     400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\nA: b\nc\r\n\r\n"),
		     400);
}

static void test_fields(void)
{
	struct parsed p;
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\n"
			       "Broken header line\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost : x\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\n: x\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nA(b): x\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nA\xc3\xa9: x\r\n\r\n"), 400);
	/* Obsolete line folding, and whitespace before the first field. */
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n c\r\n"
			       "\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n\tc\r\n"
			       "\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\n Host: x\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\n\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\n\rX"), 400);
}

/* "GET /" + n bytes of c + tail */
static void long_request(char *req, size_t cap, const char *pre, size_t n,
			 char c, const char *tail)
{
	size_t k = strlen(pre);
	memcpy(req, pre, k);
	memset(req + k, c, n);
	snprintf(req + k + n, cap - k - n, "%s", tail);
}

static void test_limits(void)
{
	struct parsed p;
	char req[512];
	/* The request line: max_line bytes pass, one more is 414. */
	size_t room = limits.max_line - strlen("GET /") - strlen(" HTTP/1.1");
	long_request(req, sizeof(req), "GET /", room, 'a',
		     " HTTP/1.1\r\nHost: x\r\n\r\n");
	CHECK_EQ_INT(parse(&p, req), 0);
	long_request(req, sizeof(req), "GET /", room + 1, 'a',
		     " HTTP/1.1\r\nHost: x\r\n\r\n");
	CHECK_EQ_INT(parse(&p, req), 414);
	CHECK_STR(p.scan.fail.code, "uri_too_long");
	long_request(req, sizeof(req), "GET /", 300, 'a', ""); /* no end */
	CHECK_EQ_INT(parse(&p, req), 414);
	/* The header section: exactly max_head bytes pass; more is 431. */
	const char *start = "GET / HTTP/1.1\r\nHost: x\r\nX: ";
	size_t n = limits.max_head - strlen(start) - 4;
	long_request(req, sizeof(req), start, n, 'v', "\r\n\r\n");
	CHECK_EQ_INT(strlen(req), limits.max_head);
	CHECK_EQ_INT(parse(&p, req), 0);
	long_request(req, sizeof(req), start, n + 1, 'v', "\r\n\r\n");
	CHECK_EQ_INT(parse(&p, req), 431);
	CHECK_STR(p.scan.fail.code, "header_fields_too_large");
	/* Without the end in sight, 431 still comes at the limit. */
	long_request(req, sizeof(req), start, n + 5, 'v', ""); /* max + 1 */
	CHECK_EQ_INT(parse(&p, req), 431);
	/* Field count: MAX_FIELDS pass (no Host: 400), one more is 431. */
	snprintf(req, sizeof(req), "GET / HTTP/1.1\r\n");
	for (int i = 0; i < MAX_FIELDS; i++)
		append(req, sizeof(req), "A: b\r\n");
	append(req, sizeof(req), "\r\n");
	CHECK_EQ_INT(parse(&p, req), 400);
	snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: x\r\n");
	for (int i = 0; i < MAX_FIELDS; i++)
		append(req, sizeof(req), "A: b\r\n");
	CHECK_EQ_INT(parse(&p, req), 431);
}

/* Bytes that cannot begin a valid request are refused as they arrive. */
static void test_refused_at_once(void)
{
	static const char *const prefixes[] = {
		"\x01", "\xff", "GARBAGE\r", "GET\r", "GET /\r",
		"GET / HTTP/1.1\n", "GET / HTTP/9.9\r", "GET / HTTP/1.1 ",
		"GET /a\x01", "GET / HTTP/1.1\r\nBroken ",
		"GET / HTTP/1.1\r\nHost: x\r\n ", "GET / HTTP/1.1\r\nA: \x01",
	};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++) {
		struct parsed p;
		int status = parse(&p, prefixes[i]);
		CHECK(status == 400 || status == 505);
		CHECK_EQ_INT(p.rc, HTTPD_SCAN_FAIL);
	}
	struct parsed p;
	CHECK_EQ_INT(parse_bytes(&p, "\0", 1), 400);
	CHECK_EQ_INT(parse_bytes(&p, "GET /h\0", 7), 400);
}

static void test_host(void)
{
	struct parsed p;
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"),
		     400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost:\r\n\r\n"), 0);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nhOsT: [::1]:80\r\n\r\n"), 0);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.0\r\n\r\n"), 0);
}

static void test_content_length(void)
{
	struct parsed p;
	const char *pre = "POST / HTTP/1.1\r\nHost: x\r\n";
	char req[256];
	static const struct {
		const char *fields;
		int status;
		long long length; /* -1: no body */
	} cases[] = {
		{ "Content-Length: 5\r\n", 0, 5 },
		{ "Content-Length:    7  \r\n", 0, 7 },
		{ "Content-Length: 0\r\n", 0, 0 },
		{ "Content-Length: 10\r\n", 0, 10 },
		{ "Content-Length: 0010\r\n", 0, 10 },
		{ "Content-Length: 11\r\n", 413, -1 },
		{ "Content-Length: 10000000000\r\n", 413, -1 },
		{ "Content-Length: 9999999999999999999\r\n", 413, -1 },
		{ "Content-Length: 99999999999999999999\r\n", 400, -1 },
		{ "Content-Length: -1\r\n", 400, -1 },
		{ "Content-Length: +5\r\n", 400, -1 },
		{ "Content-Length: abc\r\n", 400, -1 },
		{ "Content-Length: 0x5\r\n", 400, -1 },
		{ "Content-Length: 5 5\r\n", 400, -1 },
		{ "Content-Length: 5,5\r\n", 400, -1 },
		{ "Content-Length:\r\n", 400, -1 },
		{ "Content-Length: 5\r\nContent-Length: 5\r\n", 0, 5 },
		{ "Content-Length: 5\r\nContent-Length: 6\r\n", 400, -1 },
		{ "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", 400, -1 },
		{ "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", 400, -1 },
		{ "", 0, -1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(req, sizeof(req), "%s%s\r\n", pre, cases[i].fields);
		CHECK_EQ_INT(parse(&p, req), cases[i].status);
		if (cases[i].status)
			continue;
		if (cases[i].length < 0) {
			CHECK_EQ_INT(p.head.framing, HTTPD_BODY_NONE);
		} else {
			CHECK_EQ_INT(p.head.framing, HTTPD_BODY_LENGTH);
			CHECK_EQ_INT(p.head.content_length, cases[i].length);
		}
	}
	CHECK_EQ_INT(parse(&p, "POST / HTTP/1.1\r\nHost: x\r\n"
			       "Content-Length: 11\r\n\r\n"), 413);
	CHECK_STR(p.fail.code, "payload_too_large");
}

static void test_transfer_encoding(void)
{
	struct parsed p;
	const char *pre = "POST / HTTP/1.1\r\nHost: x\r\n";
	char req[256];
	static const struct {
		const char *fields;
		int status;
	} cases[] = {
		{ "Transfer-Encoding: chunked\r\n", 0 },
		{ "Transfer-Encoding: CHUNKED\r\n", 0 },
		{ "Transfer-Encoding: gzip\r\n", 501 },
		{ "Transfer-Encoding: gzip, chunked\r\n", 501 },
		{ "Transfer-Encoding: chunked, chunked\r\n", 501 },
		{ "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
		  400 },
		{ "Transfer-Encoding: identity\r\n", 501 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		snprintf(req, sizeof(req), "%s%s\r\n", pre, cases[i].fields);
		CHECK_EQ_INT(parse(&p, req), cases[i].status);
		if (!cases[i].status)
			CHECK_EQ_INT(p.head.framing, HTTPD_BODY_CHUNKED);
	}
	CHECK_EQ_INT(parse(&p, "POST / HTTP/1.0\r\n"
			       "Transfer-Encoding: chunked\r\n\r\n"), 400);
}

static void test_connection(void)
{
	struct parsed p;
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\n"
			       "Connection: close\r\n\r\n"), 0);
	CHECK(!p.head.keep_alive);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\n"
			       "Connection: Upgrade, CLOSE\r\n\r\n"), 0);
	CHECK(!p.head.keep_alive);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\n"
			       "Connection: closed\r\n\r\n"), 0);
	CHECK(p.head.keep_alive);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.0\r\n\r\n"), 0);
	CHECK(!p.head.keep_alive);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n"
			       "\r\n"), 0);
	CHECK(p.head.keep_alive);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.0\r\n"
			       "Connection: keep-alive, close\r\n\r\n"), 0);
	CHECK(!p.head.keep_alive);
}

static void test_expect(void)
{
	struct parsed p;
	CHECK_EQ_INT(parse(&p, "POST / HTTP/1.1\r\nHost: x\r\n"
			       "Expect: 100-Continue\r\nContent-Length: 3\r\n"
			       "\r\n"), 0);
	CHECK(p.head.expect_continue);
	CHECK_EQ_INT(parse(&p, "POST / HTTP/1.1\r\nHost: x\r\n"
			       "Expect: 100-continue\r\n"
			       "Transfer-Encoding: chunked\r\n\r\n"), 0);
	CHECK(p.head.expect_continue);
	/* Nothing to wait for: no 100. */
	CHECK_EQ_INT(parse(&p, "POST / HTTP/1.1\r\nHost: x\r\n"
			       "Expect: 100-continue\r\nContent-Length: 0\r\n"
			       "\r\n"), 0);
	CHECK(!p.head.expect_continue);
	CHECK_EQ_INT(parse(&p, "GET / HTTP/1.1\r\nHost: x\r\n"
			       "Expect: 100-continue\r\n\r\n"), 0);
	CHECK(!p.head.expect_continue);
	/* HTTP/1.0 ignores Expect (RFC 9110 10.1.1). */
	CHECK_EQ_INT(parse(&p, "POST / HTTP/1.0\r\nExpect: 100-continue\r\n"
			       "Content-Length: 3\r\n\r\n"), 0);
	CHECK(!p.head.expect_continue);
	CHECK_EQ_INT(parse(&p, "POST / HTTP/1.0\r\nExpect: other\r\n\r\n"), 0);
	CHECK_EQ_INT(parse(&p, "POST / HTTP/1.1\r\nHost: x\r\n"
			       "Expect: 200-ok\r\n\r\n"), 417);
	CHECK_STR(p.fail.code, "expectation_failed");
	/* Too large: 413, and so never a 100 first. */
	CHECK_EQ_INT(parse(&p, "POST / HTTP/1.1\r\nHost: x\r\n"
			       "Expect: 100-continue\r\nContent-Length: 11\r\n"
			       "\r\n"), 413);
}

static int target(struct parsed *p, const char *t)
{
	char req[256];
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", t);
	return parse(p, req);
}

static void test_target(void)
{
	struct parsed p;
	CHECK_EQ_INT(target(&p, "/a%41%2fb%20c"), 0);
	CHECK_STR(p.head.path, "/aA/b c");
	CHECK_EQ_INT(p.head.path_len, 7);
	CHECK_EQ_INT(target(&p, "/x?a=%41&b"), 0);
	CHECK_STR(p.head.path, "/x");
	CHECK_STR(p.head.query, "a=%41&b"); /* raw */
	CHECK_EQ_INT(target(&p, "/x?"), 0);
	CHECK_STR(p.head.query, "");
	CHECK_EQ_INT(target(&p, "/caf\xc3\xa9"), 0);
	CHECK_STR(p.head.path, "/caf\xc3\xa9");
	CHECK_EQ_INT(target(&p, "/a%00b"), 400);
	CHECK_EQ_INT(target(&p, "/api/v1/incidents/%00"), 400);
	CHECK_EQ_INT(target(&p, "/a%0ab"), 400);
	CHECK_EQ_INT(target(&p, "/a%7F"), 400);
	CHECK_EQ_INT(target(&p, "/a%4"), 400);
	CHECK_EQ_INT(target(&p, "/a%"), 400);
	CHECK_EQ_INT(target(&p, "/a%zz"), 400);
	CHECK_EQ_INT(target(&p, "/a?b=%00"), 400);
	CHECK_EQ_INT(target(&p, "/a?b=%zz&c=%4"), 0);
	CHECK_EQ_INT(target(&p, "a"), 400);
	CHECK_EQ_INT(target(&p, "*"), 400);
	CHECK_EQ_INT(target(&p, "http://example.com/p%41?q=1"), 0);
	CHECK_STR(p.head.path, "/pA");
	CHECK_STR(p.head.query, "q=1");
	CHECK_EQ_INT(target(&p, "HTTPS://example.com"), 0);
	CHECK_STR(p.head.path, "/");
	CHECK_EQ_INT(target(&p, "http://example.com?q"), 0);
	CHECK_STR(p.head.path, "/");
	CHECK_STR(p.head.query, "q");
	CHECK_EQ_INT(target(&p, "http:///p"), 400);
	CHECK_EQ_INT(target(&p, "ftp://example.com/p"), 400);
}

/* Decodes raw in steps; returns the scan result, body in out. */
static int chunked(const char *raw, size_t step, char *out, size_t *out_len,
		   size_t *end, int *status)
{
	char buf[512];
	size_t len = strlen(raw), have = 0, w = 0, r = 0;
	memcpy(buf, raw, len);
	struct httpd_chunked c;
	struct httpd_fail fail = { 0 };
	httpd_chunked_init(&c);
	int rc = HTTPD_SCAN_MORE;
	while (rc == HTTPD_SCAN_MORE && have < len) {
		have = have + step < len ? have + step : len;
		rc = httpd_chunked_decode(&c, buf, &w, &r, have, &limits, &fail);
	}
	memcpy(out, buf, w);
	out[w] = '\0';
	*out_len = w;
	*end = r;
	*status = rc == HTTPD_SCAN_FAIL ? fail.status : 0;
	return rc;
}

/* Whole and byte by byte. */
static void check_chunked(const char *raw, int want_rc, int want_status,
			  const char *want_body)
{
	char out[512];
	size_t len, end;
	int status;
	size_t steps[2] = { 1, strlen(raw) };
	for (int i = 0; i < 2; i++) {
		int rc = chunked(raw, steps[i], out, &len, &end, &status);
		CHECK_EQ_INT(rc, want_rc);
		CHECK_EQ_INT(status, want_status);
		if (want_body)
			CHECK_STR(out, want_body);
	}
}

static void test_chunked(void)
{
	check_chunked("5\r\nhello\r\n0\r\n\r\n", HTTPD_SCAN_DONE, 0, "hello");
	check_chunked("2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n", HTTPD_SCAN_DONE, 0,
		      "hello");
	check_chunked("A\r\n0123456789\r\n0\r\n\r\n", HTTPD_SCAN_DONE, 0,
		      "0123456789");
	check_chunked("0005\r\nhello\r\n0\r\n\r\n", HTTPD_SCAN_DONE, 0, "hello");
	check_chunked("0\r\n\r\n", HTTPD_SCAN_DONE, 0, "");
	check_chunked("5;name=value\r\nhello\r\n0;x\r\n\r\n", HTTPD_SCAN_DONE,
		      0, "hello");
	check_chunked("5 ;x\r\nhello\r\n0\r\n\r\n", HTTPD_SCAN_DONE, 0,
		      "hello");
	check_chunked("5\r\nhello\r\n0\r\nTrailer: v\r\nB: \r\n\r\n",
		      HTTPD_SCAN_DONE, 0, "hello");
	check_chunked("5\r\nhel", HTTPD_SCAN_MORE, 0, "hel");
	/* Malformed framing. */
	check_chunked("zz\r\n", HTTPD_SCAN_FAIL, 400, NULL);
	check_chunked("\r\n", HTTPD_SCAN_FAIL, 400, NULL);
	check_chunked("5 x\r\n", HTTPD_SCAN_FAIL, 400, NULL);
	check_chunked("5\nhello\r\n", HTTPD_SCAN_FAIL, 400, NULL);
	check_chunked("5\r\nhelloX\r\n", HTTPD_SCAN_FAIL, 400, NULL);
	check_chunked("5\r\nhello\n0\r\n\r\n", HTTPD_SCAN_FAIL, 400, NULL);
	check_chunked("5;a\x01\r\n", HTTPD_SCAN_FAIL, 400, NULL);
	check_chunked("0\r\nBad trailer\r\n\r\n", HTTPD_SCAN_FAIL, 400, NULL);
	check_chunked("0\r\nT: \x01\r\n\r\n", HTTPD_SCAN_FAIL, 400, NULL);
	check_chunked("0\r\n\r\r", HTTPD_SCAN_FAIL, 400, NULL);
	check_chunked("00000000000000001\r\n", HTTPD_SCAN_FAIL, 400, NULL);
	check_chunked("-1\r\n", HTTPD_SCAN_FAIL, 400, NULL);
	/* Past max_body (10): refused at the size, before any data. */
	check_chunked("B", HTTPD_SCAN_FAIL, 413, NULL);
	check_chunked("5\r\nhello\r\n6", HTTPD_SCAN_FAIL, 413, NULL);
	check_chunked("ffffffffffffffff", HTTPD_SCAN_FAIL, 413, NULL);
	check_chunked("5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n",
		      HTTPD_SCAN_DONE, 0, "helloworld");
	/* What follows the message is left for the next request. */
	char out[64];
	size_t len, end;
	int status;
	const char *raw = "3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n";
	CHECK_EQ_INT(chunked(raw, 100, out, &len, &end, &status),
		     HTTPD_SCAN_DONE);
	CHECK_EQ_INT(end, strlen("3\r\nabc\r\n0\r\n\r\n"));
	CHECK_STR(out, "abc");
}

static void test_query(void)
{
	struct buf b = BUF_INIT;
	const char *q = "a=1&b=x%20y+z&c&d=&a=2&&%61%62=%41&p=%zz%4&n=%00";
	httpd_query_decode(q, strlen(q), &b);
	CHECK_STR(httpd_query_find(&b, "a"), "1");
	CHECK_STR(httpd_query_find(&b, "b"), "x y z");
	CHECK_STR(httpd_query_find(&b, "c"), "");
	CHECK_STR(httpd_query_find(&b, "d"), "");
	CHECK_STR(httpd_query_find(&b, "ab"), "A");
	CHECK_STR(httpd_query_find(&b, "p"), "%zz%4");
	CHECK_STR(httpd_query_find(&b, "n"), "%00");
	CHECK(httpd_query_find(&b, "e") == NULL);
	CHECK(httpd_query_find(&b, "") == NULL);
	httpd_query_decode("", 0, &b);
	CHECK(httpd_query_find(&b, "a") == NULL);
	buf_cleanup(&b);
	CHECK(httpd_query_find(&b, "a") == NULL);
	CHECK(httpd_is_token("Content-Type"));
	CHECK(!httpd_is_token(""));
	CHECK(!httpd_is_token("X Y"));
	CHECK(!httpd_is_token("X:"));
}

void suite_httpd(void)
{
	test_scan_simple();
	test_scan_details();
	test_request_line();
	test_control_bytes();
	test_fields();
	test_limits();
	test_refused_at_once();
	test_host();
	test_content_length();
	test_transfer_encoding();
	test_connection();
	test_expect();
	test_target();
	test_chunked();
	test_query();
}
