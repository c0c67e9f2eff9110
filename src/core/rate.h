/*
 * rate — how often one caller may use the API: a token bucket per person
 * and way in (their API tokens, their dashboard session), so that one
 * runaway script cannot take the server from everyone else. Over the
 * limit, a request is refused with 429 and the time to wait.
 *
 * Public pages are not limited: they are served from memory, and an
 * outage stampede is exactly when they must answer everyone.
 */
#ifndef KODO_CORE_RATE_H
#define KODO_CORE_RATE_H

#include "core/core.h"

#define RATE_DEFAULT_PER_S 100 /* requests per second per caller */
#define RATE_BURST_S 10	       /* a caller may spend 10 s worth at once */

/* Limits every caller to per_second (0: no limit, the default of
 * core_init). Call before serving. */
void rate_configure(struct core *core, double per_second);

/* 0 when p may make one more request now; else KODO_ERATE, with the
 * milliseconds to wait in *retry_ms. */
int rate_admit(struct core *core, const struct principal *p,
	       int64_t *retry_ms);

#endif
