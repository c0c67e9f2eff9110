/* stale — see stale.h. */
#include "core/stale.h"

bool incident_stale(const struct incident *inc, const struct automation *a,
		    int64_t now, int64_t *last_ms)
{
	int64_t last = inc->n_updates ? inc->updates[0].created_at
				      : inc->created_at;
	if (last_ms)
		*last_ms = last;
	if (a->stale_after_s <= 0 || inc->status == IST_RESOLVED || inc->draft)
		return false;
	return now - last >= a->stale_after_s * 1000;
}
