/* clock — see clock.h. */
#define _POSIX_C_SOURCE 200809L
#include "util/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t system_now(const struct clock *c)
{
	(void)c;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const struct clock system_clock = { system_now, 0 };

const struct clock *clock_system(void)
{
	return &system_clock;
}

static int64_t fake_now(const struct clock *c)
{
	return c->fake_ms;
}

void clock_fake_init(struct clock *c, int64_t start_ms)
{
	c->now_ms = fake_now;
	c->fake_ms = start_ms;
}

void clock_fake_advance(struct clock *c, int64_t delta_ms)
{
	c->fake_ms += delta_ms;
}

int64_t clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Days from civil date, Howard Hinnant's algorithm: no timegm() needed. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void time_format_rfc3339(int64_t ms, char out[TIME_RFC3339_LEN])
{
	time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900 ||
	    strftime(out, TIME_RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, TIME_RFC3339_LEN, "%s", "1970-01-01T00:00:00Z");
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static const int month_days[] = { 31, 29, 31, 30, 31, 30,
				  31, 31, 30, 31, 30, 31 };

bool time_parse_rfc3339(const char *s, int64_t *ms)
{
	int Y, M, D, h, m, sec, frac = 0;
	if (strlen(s) < 20 || !digits(s, 4, &Y) || s[4] != '-' ||
	    !digits(s + 5, 2, &M) || s[7] != '-' || !digits(s + 8, 2, &D) ||
	    (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) ||
	    s[13] != ':' || !digits(s + 14, 2, &m) || s[16] != ':' ||
	    !digits(s + 17, 2, &sec))
		return false;
	if (M < 1 || M > 12 || D < 1 || D > month_days[M - 1] || h > 23 ||
	    m > 59 || sec > 60)
		return false;
	const char *p = s + 19;
	if (*p == '.') {
		int scale = 100, n = 0;
		for (p++; *p >= '0' && *p <= '9'; p++, n++) {
			frac += (*p - '0') * scale;
			scale /= 10;
		}
		if (n == 0)
			return false;
	}
	int offset_min = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (!digits(p + 1, 2, &oh) || p[3] != ':' ||
		    !digits(p + 4, 2, &om) || oh > 23 || om > 59)
			return false;
		offset_min = (oh * 60 + om) * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return false;
	}
	if (*p != '\0')
		return false;
	int64_t days = days_from_civil(Y, (unsigned)M, (unsigned)D);
	int64_t secs = days * 86400 + h * 3600 + m * 60 + (sec > 59 ? 59 : sec);
	secs -= (int64_t)offset_min * 60;
	*ms = secs * 1000 + frac;
	return true;
}
