/*
 * http_check — one HTTP uptime check on a libcurl easy handle: how it is
 * set up from a monitor's spec, and how its outcome becomes a result with
 * a precise reason (DNS failure, connection refused, timeout, TLS error,
 * status 503, keyword missing). Used by the scheduler's thread only.
 */
#ifndef KODO_PROBE_HTTP_CHECK_H
#define KODO_PROBE_HTTP_CHECK_H

#include <curl/curl.h>

#include "store/model_monitor.h"
#include "util/buf.h"

#define HTTP_CHECK_BODY_MAX (1024 * 1024)

/* What a check in flight owns besides its easy handle. */
struct http_check {
	struct buf body; /* kept only when a keyword is wanted */
	bool want_body;
	struct curl_slist *headers;
	char error[CURL_ERROR_SIZE];
};

/* Sets easy up for spec; the check keeps what must outlive this call. */
void http_check_setup(CURL *easy, struct http_check *chk,
		      const struct http_spec *spec);
/* Reads the outcome of a finished transfer into out (at is left alone). */
void http_check_finish(CURL *easy, CURLcode code, struct http_check *chk,
		       const struct http_spec *spec, int64_t now_ms,
		       struct check_result *out);
void http_check_cleanup(struct http_check *chk);
/* Adds the certificate warning to a passing result whose certificate
 * (r->cert_expires_at, possibly remembered from an earlier check: a
 * reused connection reports none) expires within the spec's days. */
void http_check_cert_warning(const struct http_spec *spec, int64_t now_ms,
			     struct check_result *r);

/* 0 when url is an absolute http(s) URL with a host that libcurl accepts;
 * otherwise KODO_EINVAL with why. Any thread. */
int http_check_url_valid(const char *url, char *why, size_t size);

/* The person-readable reason for a transfer error. Pure: unit-tested. */
void http_check_reason(CURLcode code, const char *curl_error,
		       int64_t timeout_ms, char *out, size_t size);
/* True when status is in one of the ranges. */
bool http_status_expected(const struct http_spec *spec, int status);
/* Parses a certificate date as libcurl prints it ("Jan 20 12:00:00 2027
 * GMT"); false when it cannot. */
bool http_cert_date_parse(const char *s, int64_t *ms);

#endif
