/* rate — see rate.h. */
#include "core/rate.h"

#include <stdio.h>

#include "util/ratelimit.h"

void rate_configure(struct core *core, double per_second)
{
	ratelimit_free(core->rate);
	core->rate = per_second > 0
			     ? ratelimit_new(core->clock, per_second,
					     per_second * RATE_BURST_S)
			     : NULL;
}

int rate_admit(struct core *core, const struct principal *p,
	       int64_t *retry_ms)
{
	*retry_ms = 0;
	if (!core->rate)
		return 0;
	char key[2 * ID_LEN + 8];
	snprintf(key, sizeof(key), "%s/%s/%c", p->org_id, p->user_id,
		 p->via_token ? 't' : 's');
	*retry_ms = ratelimit_take(core->rate, key);
	return *retry_ms ? KODO_ERATE : 0;
}
