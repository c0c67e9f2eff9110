/* app — see app.h. */
#include "http/app.h"

#include <stdio.h>

#include "core/changes.h"
#include "http/resp_cache.h"

void app_cached(struct app *app, const struct principal *who, const char *key,
		struct http_resp *resp, render_fn render, void *arg)
{
	char full[RESP_CACHE_KEY_MAX + 1];
	int n = snprintf(full, sizeof(full), "%s|%s", who->org_id, key);
	bool cacheable = app->cache && app->core.changes && n > 0 &&
			 (size_t)n < sizeof(full);
	/* Read the generation first: a write after it makes this entry stale. */
	uint64_t gen = cacheable ? changes_generation(app->core.changes,
						      who->org_id)
				 : 0;
	if (cacheable && resp_cache_get(app->cache, full, gen, &resp->body)) {
		resp->status = 200;
		resp->content_type = "application/json";
		return;
	}
	render(app, resp, who, arg);
	if (cacheable && resp->status == 200)
		resp_cache_put(app->cache, full, gen, resp->body.data,
			       resp->body.len);
}
