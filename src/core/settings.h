/*
 * settings — Settings > Automation: the safeguard pipeline's parameters,
 * their defaults and their valid ranges.
 */
#ifndef KODO_CORE_SETTINGS_H
#define KODO_CORE_SETTINGS_H

#include "core/core.h"

void automation_defaults(struct automation *a);

/* One optional value of a partial update. */
struct opt_int {
	bool set;
	bool null;
	int64_t v;
};

struct automation_patch {
	struct opt_int draft_mode; /* bools carried as 0/1 */
	struct opt_int auto_publish_after_s;
	struct opt_int failures_to_open;
	struct opt_int successes_to_resolve;
	struct opt_int flap_window_s;
	struct opt_int flap_max_transitions;
	struct opt_int cooldown_s;
	struct opt_int notification_batch_s;
	struct opt_int auto_resolve;
	struct opt_int stale_after_s;
};

int automation_get(struct core *core, const struct principal *p,
		   struct automation *out);
/* Validates the whole patch first: on any error nothing changes. Admin. */
int automation_update(struct core *core, const struct principal *p,
		      const struct automation_patch *patch,
		      struct automation *out, struct kerr *err);

#endif
