/* settings — see settings.h. */
#include "core/settings.h"

#include <stddef.h>

#include "store/model_monitor.h"

void automation_defaults(struct automation *a)
{
	a->draft_mode = false;
	a->auto_publish_after_s = -1;
	a->failures_to_open = 3;
	a->successes_to_resolve = 2;
	a->flap_window_s = 1800;
	a->flap_max_transitions = 6;
	a->cooldown_s = 900;
	a->notification_batch_s = 30;
	a->auto_resolve = true;
	a->stale_after_s = 1800; /* the docs say: update every 30-60 minutes */
}

int automation_get(struct core *core, const struct principal *p,
		   struct automation *out)
{
	return store_automation_get(core->store, p->org_id, out);
}

struct range {
	const char *name;
	size_t patch_off;
	int64_t min, max;
	bool nullable;
};

#define R(f, lo, hi, n) { #f, offsetof(struct automation_patch, f), lo, hi, n }
static const struct range ranges[] = {
	R(draft_mode, 0, 1, false),
	R(auto_publish_after_s, 0, 604800, true),
	R(failures_to_open, 1, 100, false),
	R(successes_to_resolve, 1, 100, false),
	R(flap_window_s, 60, 86400, false),
	/* Bounded by how many state changes a monitor remembers. */
	R(flap_max_transitions, 2, FLAP_MAX_TRACKED - 4, false),
	R(cooldown_s, 0, 604800, false),
	R(notification_batch_s, 0, 3600, false),
	R(auto_resolve, 0, 1, false),
	R(stale_after_s, 0, 86400, false),
};
#undef R

static int validate(const struct automation_patch *patch, struct kerr *err)
{
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		const struct range *r = &ranges[i];
		const struct opt_int *o =
			(const struct opt_int *)((const char *)patch + r->patch_off);
		if (!o->set)
			continue;
		if (o->null && !r->nullable)
			return kerr_set(err, KODO_EINVAL, r->name,
					"%s must not be null", r->name);
		if (!o->null && (o->v < r->min || o->v > r->max))
			return kerr_set(err, KODO_EINVAL, r->name,
					"%s must be between %lld and %lld",
					r->name, (long long)r->min,
					(long long)r->max);
	}
	return 0;
}

static void set_int(int64_t *dst, const struct opt_int *o, int64_t null_v)
{
	if (o->set)
		*dst = o->null ? null_v : o->v;
}

static int apply_patch(struct automation *a, void *arg, struct kerr *err)
{
	(void)err;
	const struct automation_patch *p = arg;
	if (p->draft_mode.set)
		a->draft_mode = p->draft_mode.v != 0;
	if (p->auto_resolve.set)
		a->auto_resolve = p->auto_resolve.v != 0;
	set_int(&a->auto_publish_after_s, &p->auto_publish_after_s, -1);
	set_int(&a->failures_to_open, &p->failures_to_open, 0);
	set_int(&a->successes_to_resolve, &p->successes_to_resolve, 0);
	set_int(&a->flap_window_s, &p->flap_window_s, 0);
	set_int(&a->flap_max_transitions, &p->flap_max_transitions, 0);
	set_int(&a->cooldown_s, &p->cooldown_s, 0);
	set_int(&a->notification_batch_s, &p->notification_batch_s, 0);
	set_int(&a->stale_after_s, &p->stale_after_s, 0);
	return 0;
}

int automation_update(struct core *core, const struct principal *p,
		      const struct automation_patch *patch,
		      struct automation *out, struct kerr *err)
{
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = validate(patch, err);
	if (rc == 0)
		rc = store_automation_mutate(core->store, p->org_id,
					     apply_patch, (void *)patch, out,
					     err);
	if (rc == 0)
		core_touch(core, p->org_id);
	return rc;
}
