/*
 * ratelimit — token buckets by key: each key may take `rate` per second,
 * up to `burst` at once, and then waits.
 *
 * A fixed table, nothing allocated per key: a key's bucket lives in one
 * of a few slots its hash picks. When those are all taken, the slot idle
 * the longest is reused: an idle bucket has been refilling, and a full
 * bucket is the same as no bucket, so only a key busy enough to be
 * limited can lose its count, and only to another busy key. Memory stays
 * bounded whatever keys clients make up. Thread-safe.
 */
#ifndef KODO_UTIL_RATELIMIT_H
#define KODO_UTIL_RATELIMIT_H

#include <stdint.h>

#include "util/clock.h"

struct ratelimit;

/* rate > 0 per second, burst >= 1; the clock is borrowed. */
struct ratelimit *ratelimit_new(const struct clock *clock, double rate,
				double burst);
void ratelimit_free(struct ratelimit *rl);

/* Takes one from key's bucket: 0 when allowed, else the milliseconds
 * until one is there (nothing is taken then). */
int64_t ratelimit_take(struct ratelimit *rl, const char *key);

#endif
