/*
 * clock — the one source of "now" in Kodo.
 *
 * Every rule that depends on time (cooldowns, auto-publish, staleness) reads
 * the clock it was given, so tests can move time instead of sleeping.
 * Times are milliseconds since the Unix epoch, UTC.
 */
#ifndef KODO_UTIL_CLOCK_H
#define KODO_UTIL_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct clock {
	int64_t (*now_ms)(const struct clock *c);
	int64_t fake_ms; /* used only by the fake clock */
};

/* The real wall clock. Borrowed, static; any thread. */
const struct clock *clock_system(void);
/* A fake clock starting at start_ms; caller-allocated. Not thread-safe. */
void clock_fake_init(struct clock *c, int64_t start_ms);
void clock_fake_advance(struct clock *c, int64_t delta_ms);

static inline int64_t clock_now(const struct clock *c)
{
	return c->now_ms(c);
}

/* Monotonic milliseconds, for deadlines and measurements only. */
int64_t clock_mono_ms(void);

#define TIME_RFC3339_LEN 21 /* "2026-11-28T16:00:00Z" + NUL */

/* Formats ms as RFC 3339 UTC with second precision into out. */
void time_format_rfc3339(int64_t ms, char out[TIME_RFC3339_LEN]);
/* Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|+hh:mm|-hh:mm)"; false if malformed. */
bool time_parse_rfc3339(const char *s, int64_t *ms);

#endif
