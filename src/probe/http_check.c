/* http_check — see http_check.h. */
#define _GNU_SOURCE
#include "probe/http_check.h"

#include <stdio.h>
#include <string.h>

#include "util/clock.h"
#include "util/kerr.h"

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct http_check *chk = arg;
	size_t len = size * n;
	if (chk->want_body && chk->body.len < HTTP_CHECK_BODY_MAX) {
		size_t room = HTTP_CHECK_BODY_MAX - chk->body.len;
		buf_append(&chk->body, data, len < room ? len : room);
	}
	return len;
}

void http_check_setup(CURL *easy, struct http_check *chk,
		      const struct http_spec *spec)
{
	memset(chk, 0, sizeof(*chk));
	chk->want_body = spec->keyword != NULL;
	curl_easy_setopt(easy, CURLOPT_URL, spec->url);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, (long)spec->timeout_ms);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	/* A check goes straight to its target: no proxy from the server's
	 * environment (and no environment lookups per check). */
	curl_easy_setopt(easy, CURLOPT_PROXY, "");
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "Kodo-Uptime/0.1");
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, chk);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, chk->error);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, spec->tls_verify ? 1L : 0L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, spec->tls_verify ? 2L : 0L);
	if (strncmp(spec->url, "https:", 6) == 0)
		curl_easy_setopt(easy, CURLOPT_CERTINFO, 1L);
	if (strcmp(spec->method, "HEAD") == 0)
		curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
	else if (strcmp(spec->method, "GET") != 0)
		curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, spec->method);
	for (size_t i = 0; i < spec->n_headers; i++) {
		struct buf line = BUF_INIT;
		buf_printf(&line, "%s: %s", spec->headers[i].name,
			   spec->headers[i].value);
		chk->headers = curl_slist_append(chk->headers, buf_str(&line));
		buf_cleanup(&line);
	}
	if (chk->headers)
		curl_easy_setopt(easy, CURLOPT_HTTPHEADER, chk->headers);
}

void http_check_reason(CURLcode code, const char *curl_error,
		       int64_t timeout_ms, char *out, size_t size)
{
	const char *detail = curl_error && *curl_error ? curl_error
						       : curl_easy_strerror(code);
	switch (code) {
	case CURLE_COULDNT_RESOLVE_HOST:
		snprintf(out, size, "DNS failure: %s", detail);
		break;
	case CURLE_COULDNT_CONNECT:
		snprintf(out, size, "connection refused: %s", detail);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(out, size, "timeout after %lld ms",
			 (long long)timeout_ms);
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		snprintf(out, size, "TLS error: %s", detail);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		snprintf(out, size, "too many redirects (more than 5)");
		break;
	case CURLE_GOT_NOTHING:
		snprintf(out, size, "empty reply: the server closed the connection");
		break;
	default:
		snprintf(out, size, "request failed: %s", detail);
		break;
	}
}

int http_check_url_valid(const char *url, char *why, size_t size)
{
	for (const char *p = url; *p; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			snprintf(why, size, "url must not contain spaces or "
					    "control characters");
			return KODO_EINVAL;
		}
	}
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int rc = 0;
	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		snprintf(why, size, "url is not a valid absolute URL");
		rc = KODO_EINVAL;
	} else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
		   (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		snprintf(why, size, "url must use http or https");
		rc = KODO_EINVAL;
	} else if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
		   !host[0]) {
		snprintf(why, size, "url must name a host");
		rc = KODO_EINVAL;
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

bool http_status_expected(const struct http_spec *spec, int status)
{
	for (int i = 0; i < spec->n_expected; i++)
		if (status >= spec->expected[i].lo && status <= spec->expected[i].hi)
			return true;
	return false;
}

bool http_cert_date_parse(const char *s, int64_t *ms)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4] = "";
	int day, h, m, sec, year;
	if (sscanf(s, "%3s %d %d:%d:%d %d", mon, &day, &h, &m, &sec, &year) != 6)
		return false;
	const char *p = strstr(months, mon);
	if (!p || strlen(mon) != 3 || (p - months) % 3 != 0)
		return false;
	char iso[32];
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", year,
		 (int)((p - months) / 3) + 1, day, h, m, sec);
	return time_parse_rfc3339(iso, ms);
}

static int64_t info_ms(CURL *easy, CURLINFO what)
{
	curl_off_t us = 0;
	curl_easy_getinfo(easy, what, &us);
	return (int64_t)(us / 1000);
}

static int64_t cert_expiry(CURL *easy)
{
	struct curl_certinfo *ci = NULL;
	if (curl_easy_getinfo(easy, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci ||
	    ci->num_of_certs < 1)
		return 0;
	for (struct curl_slist *l = ci->certinfo[0]; l; l = l->next) {
		int64_t ms;
		if (strncmp(l->data, "Expire date:", 12) == 0 &&
		    http_cert_date_parse(l->data + 12, &ms))
			return ms;
	}
	return 0;
}

static void judge_response(const struct http_check *chk,
			   const struct http_spec *spec, int64_t now_ms,
			   struct check_result *out)
{
	out->ok = false;
	if (!http_status_expected(spec, out->http_status)) {
		snprintf(out->detail, sizeof(out->detail), "status %d",
			 out->http_status);
	} else if (spec->keyword &&
		   !memmem(buf_str(&chk->body), chk->body.len, spec->keyword,
			   strlen(spec->keyword))) {
		snprintf(out->detail, sizeof(out->detail),
			 "keyword \"%.100s\" missing from the response",
			 spec->keyword);
	} else {
		out->ok = true;
	}
	(void)now_ms;
}

void http_check_cert_warning(const struct http_spec *spec, int64_t now_ms,
			     struct check_result *r)
{
	int64_t left = r->cert_expires_at - now_ms;
	if (r->ok && r->cert_expires_at &&
	    left < spec->cert_expiry_days * 86400000LL)
		snprintf(r->detail, sizeof(r->detail),
			 "warning: TLS certificate expires in %lld days",
			 (long long)(left / 86400000LL));
}

void http_check_finish(CURL *easy, CURLcode code, struct http_check *chk,
		       const struct http_spec *spec, int64_t now_ms,
		       struct check_result *out)
{
	long status = 0;
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
	out->http_status = (int)status;
	out->dns_ms = info_ms(easy, CURLINFO_NAMELOOKUP_TIME_T);
	out->connect_ms = info_ms(easy, CURLINFO_CONNECT_TIME_T);
	out->tls_ms = info_ms(easy, CURLINFO_APPCONNECT_TIME_T);
	out->ttfb_ms = info_ms(easy, CURLINFO_STARTTRANSFER_TIME_T);
	out->latency_ms = info_ms(easy, CURLINFO_TOTAL_TIME_T);
	out->cert_expires_at = cert_expiry(easy);
	out->detail[0] = '\0';
	if (code != CURLE_OK) {
		out->ok = false;
		http_check_reason(code, chk->error, spec->timeout_ms, out->detail,
				  sizeof(out->detail));
		return;
	}
	judge_response(chk, spec, now_ms, out);
}

void http_check_cleanup(struct http_check *chk)
{
	buf_cleanup(&chk->body);
	curl_slist_free_all(chk->headers);
	chk->headers = NULL;
}
