/* core — see core.h. */
#include "core/core.h"

#include "core/auth.h"
#include "core/changes.h"
#include "util/ratelimit.h"
#include "util/text.h"

int check_text(const char *field, const char *s, size_t min, size_t max,
	       bool single_line, struct kerr *err)
{
	if (!s)
		return kerr_set(err, KODO_EINVAL, field, "%s is required", field);
	size_t n = utf8_length(s);
	if (n < min)
		return kerr_set(err, KODO_EINVAL, field, "%s must not be empty",
				field);
	if (n > max)
		return kerr_set(err, KODO_EINVAL, field,
				"%s must be at most %zu characters", field, max);
	if (single_line && !text_is_single_line(s))
		return kerr_set(err, KODO_EINVAL, field,
				"%s must be a single line without control characters",
				field);
	return 0;
}

int require_role(const struct principal *p, enum role role, struct kerr *err)
{
	if (p->role >= role)
		return 0;
	return kerr_set(err, KODO_EFORBIDDEN, NULL,
			"this needs the %s role; you have %s", role_name(role),
			role_name(p->role));
}

void core_init(struct core *core, struct store *store,
	       const struct clock *clock)
{
	core->store = store;
	core->clock = clock;
	core->changes = changes_new();
	core->tokens = token_cache_new();
	core->rate = NULL;
}

void core_cleanup(struct core *core)
{
	changes_free(core->changes);
	token_cache_free(core->tokens);
	ratelimit_free(core->rate);
	core->changes = NULL;
	core->tokens = NULL;
	core->rate = NULL;
}

void core_touch(struct core *core, const char *org_id)
{
	if (core->changes)
		changes_bump(core->changes, org_id);
}
