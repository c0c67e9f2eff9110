/* Unit tests of util/: time, text, buffers, tokens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/ratelimit.h"
#include "util/text.h"

static void test_time(void)
{
	char ts[TIME_RFC3339_LEN];
	time_format_rfc3339(0, ts);
	CHECK_STR(ts, "1970-01-01T00:00:00Z");
	time_format_rfc3339(1795824000000LL + 16 * 3600000LL, ts);
	CHECK_STR(ts, "2026-11-28T16:00:00Z");
	int64_t ms;
	CHECK(time_parse_rfc3339("2026-11-28T16:00:00Z", &ms));
	CHECK_EQ_INT(ms, 1795824000000LL + 16 * 3600000LL);
	CHECK(time_parse_rfc3339("2026-11-28T17:30:00+01:30", &ms));
	CHECK_EQ_INT(ms, 1795824000000LL + 16 * 3600000LL);
	CHECK(time_parse_rfc3339("2026-11-28T16:00:00.250Z", &ms));
	CHECK_EQ_INT(ms % 1000, 250);
	CHECK(!time_parse_rfc3339("2026-02-30T16:00:00Z", &ms));
	CHECK(!time_parse_rfc3339("2026-11-28 16:00:00Z", &ms));
	CHECK(!time_parse_rfc3339("2026-11-28T16:00:00", &ms));
	CHECK(!time_parse_rfc3339("2026-11-28T16:00:00Zjunk", &ms));
	struct clock c;
	clock_fake_init(&c, 1000);
	clock_fake_advance(&c, 500);
	CHECK_EQ_INT(clock_now(&c), 1500);
}

static void test_text(void)
{
	CHECK_EQ_INT(utf8_length(""), 0);
	CHECK_EQ_INT(utf8_length("abc"), 3);
	CHECK_EQ_INT(utf8_length("h\xc3\xa9llo \xe2\x9c\x93"), 7);
	int64_t v;
	CHECK(text_parse_int("42", 1, 500, &v) && v == 42);
	CHECK(!text_parse_int("0", 1, 500, &v));
	CHECK(!text_parse_int("501", 1, 500, &v));
	CHECK(!text_parse_int("12abc", 1, 500, &v));
	CHECK(!text_parse_int("", 1, 500, &v));
	CHECK(!text_parse_int(" 5", 1, 500, &v));
	CHECK(!text_parse_int("99999999999999999999", 1, 500, &v));
	CHECK(text_is_single_line("a title"));
	CHECK(!text_is_single_line("two\nlines"));
}

static void test_buf(void)
{
	struct buf b = BUF_INIT;
	CHECK_STR(buf_str(&b), "");
	buf_puts(&b, "hello");
	buf_printf(&b, " %d", 42);
	buf_putc(&b, '!');
	CHECK_STR(buf_str(&b), "hello 42!");
	for (int i = 0; i < 1000; i++)
		buf_putc(&b, 'x');
	CHECK_EQ_INT(b.len, 9 + 1000);
	size_t len;
	char *s = buf_detach(&b, &len);
	CHECK_EQ_INT(len, 1009);
	CHECK_EQ_INT(b.len, 0);
	free(s);
}

static void test_crypto(void)
{
	char a[CRYPTO_TOKEN_LEN], b[CRYPTO_TOKEN_LEN];
	crypto_new_token(a);
	crypto_new_token(b);
	CHECK(strncmp(a, "kodo_", 5) == 0);
	CHECK_EQ_INT(strlen(a), 5 + 43);
	CHECK(strcmp(a, b) != 0);
	char id[CRYPTO_ID_LEN];
	crypto_new_id("inc", id);
	CHECK(strncmp(id, "inc_", 4) == 0 && strlen(id) == 24);
	char h[CRYPTO_HASH_HEX_LEN];
	crypto_sha256_hex("abc", 3, h);
	CHECK_STR(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	char pw[CRYPTO_PWHASH_LEN];
	CHECK_EQ_INT(crypto_password_hash("s3cret", pw), 0);
	CHECK(strncmp(pw, "$argon2id$", 10) == 0);
	CHECK(crypto_password_verify(pw, "s3cret"));
	CHECK(!crypto_password_verify(pw, "s3creT"));
	CHECK(crypto_str_equal("abc", "abc"));
	CHECK(!crypto_str_equal("abc", "abd"));
}

/* Token buckets: a burst, then one per 1/rate s; keys apart; idle
 * buckets refill but never past the burst; many keys stay bounded. */
static void test_ratelimit(void)
{
	struct clock clk;
	clock_fake_init(&clk, 1000000);
	struct ratelimit *rl = ratelimit_new(&clk, 10, 3); /* 10/s, burst 3 */
	for (int i = 0; i < 3; i++)
		CHECK_EQ_INT(ratelimit_take(rl, "a"), 0);
	CHECK_EQ_INT(ratelimit_take(rl, "a"), 100); /* one more in 100 ms */
	CHECK_EQ_INT(ratelimit_take(rl, "b"), 0);   /* another key: its own */
	clock_fake_advance(&clk, 50);
	CHECK_EQ_INT(ratelimit_take(rl, "a"), 50);
	clock_fake_advance(&clk, 50);
	CHECK_EQ_INT(ratelimit_take(rl, "a"), 0);
	CHECK_EQ_INT(ratelimit_take(rl, "a"), 100);
	clock_fake_advance(&clk, 3600 * 1000); /* idle: full again, no more */
	for (int i = 0; i < 3; i++)
		CHECK_EQ_INT(ratelimit_take(rl, "a"), 0);
	CHECK(ratelimit_take(rl, "a") > 0);
	/* 100,000 made-up keys later, memory is the same table, and "a",
	 * refilled meanwhile, takes again. */
	char key[32];
	for (int i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ratelimit_take(rl, key);
	}
	clock_fake_advance(&clk, 1000);
	CHECK_EQ_INT(ratelimit_take(rl, "a"), 0);
	ratelimit_free(rl);
}

void suite_util(void)
{
	test_ratelimit();
	test_time();
	test_text();
	test_buf();
	test_crypto();
}
