/* Unit tests of probe/http_check: reasons, status ranges, URLs, dates,
 * and of core/monitor's status range parsing. */
#include <string.h>

#include "core/monitor.h"
#include "probe/http_check.h"
#include "unit.h"

static void test_reasons(void)
{
	char out[256];
	http_check_reason(CURLE_COULDNT_RESOLVE_HOST, "Could not resolve host: x",
			  1000, out, sizeof(out));
	CHECK(strncmp(out, "DNS failure", 11) == 0);
	http_check_reason(CURLE_COULDNT_CONNECT, "", 1000, out, sizeof(out));
	CHECK(strncmp(out, "connection refused", 18) == 0);
	http_check_reason(CURLE_OPERATION_TIMEDOUT, "", 1500, out, sizeof(out));
	CHECK_STR(out, "timeout after 1500 ms");
	http_check_reason(CURLE_PEER_FAILED_VERIFICATION, "self-signed", 1000,
			  out, sizeof(out));
	CHECK(strncmp(out, "TLS error", 9) == 0);
	http_check_reason(CURLE_TOO_MANY_REDIRECTS, "", 1000, out, sizeof(out));
	CHECK(strstr(out, "redirects") != NULL);
}

static void test_ranges(void)
{
	struct status_range r;
	CHECK(status_range_parse("200", &r) && r.lo == 200 && r.hi == 200);
	CHECK(status_range_parse("200-399", &r) && r.lo == 200 && r.hi == 399);
	CHECK(!status_range_parse("399-200", &r));
	CHECK(!status_range_parse("99", &r));
	CHECK(!status_range_parse("600", &r));
	CHECK(!status_range_parse("2xx", &r));
	CHECK(!status_range_parse("-200", &r));
	struct http_spec h = { .n_expected = 2 };
	h.expected[0] = (struct status_range){ 200, 299 };
	h.expected[1] = (struct status_range){ 404, 404 };
	CHECK(http_status_expected(&h, 204));
	CHECK(http_status_expected(&h, 404));
	CHECK(!http_status_expected(&h, 503));
	CHECK(!http_status_expected(&h, 0));
}

static void test_urls(void)
{
	char why[160];
	CHECK_EQ_INT(http_check_url_valid("https://example.com/health", why,
					  sizeof(why)), 0);
	CHECK_EQ_INT(http_check_url_valid("http://127.0.0.1:8080/", why,
					  sizeof(why)), 0);
	CHECK(http_check_url_valid("ftp://example.com/", why, sizeof(why)) != 0);
	CHECK(strstr(why, "http") != NULL);
	CHECK(http_check_url_valid("file:///etc/passwd", why, sizeof(why)) != 0);
	CHECK(http_check_url_valid("not a url", why, sizeof(why)) != 0);
	CHECK(http_check_url_valid("http://exa mple.com/", why, sizeof(why)) != 0);
	CHECK(http_check_url_valid("http://x/\r\nHost: y", why, sizeof(why)) != 0);
	CHECK(http_check_url_valid("/relative", why, sizeof(why)) != 0);
}

static void test_cert_dates(void)
{
	int64_t ms;
	CHECK(http_cert_date_parse(" Jan 20 12:00:00 2027 GMT", &ms));
	int64_t expect;
	CHECK(time_parse_rfc3339("2027-01-20T12:00:00Z", &expect));
	CHECK_EQ_INT(ms, expect);
	CHECK(http_cert_date_parse("Dec  1 00:00:01 2030 GMT", &ms));
	CHECK(!http_cert_date_parse("Foo 20 12:00:00 2027 GMT", &ms));
	CHECK(!http_cert_date_parse("garbage", &ms));
}

void suite_probe(void)
{
	test_reasons();
	test_ranges();
	test_urls();
	test_cert_dates();
}
