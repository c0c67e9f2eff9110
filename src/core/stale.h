/*
 * stale — "keep users informed": an active, published incident whose
 * newest update is older than the organization's stale_after_s (Settings >
 * Automation, default 30 minutes; 0 turns it off) is stale, and the
 * dashboard flags it so that someone posts an update. Drafts are not
 * flagged: nobody outside the team has seen them yet. Pure; any thread.
 */
#ifndef KODO_CORE_STALE_H
#define KODO_CORE_STALE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/model.h"

/* True when inc is stale at now; *last_ms gets its newest update's time. */
bool incident_stale(const struct incident *inc, const struct automation *a,
		    int64_t now, int64_t *last_ms);

#endif
