/*
 * app — the state the HTTP side shares across worker threads.
 */
#ifndef KODO_HTTP_APP_H
#define KODO_HTTP_APP_H

#include "core/core.h"
#include "http/http.h"

struct resp_cache;
struct page_cache;

struct app {
	struct core core;
	struct resp_cache *cache; /* rendered API lists; see resp_cache.h */
	struct page_cache *pages; /* public status pages; see page_cache.h.
				     The HTTP server makes it on start and
				     frees it on stop (server.c). */
};

/*
 * Serves a GET from the cache when its key is fresh for org_id; otherwise
 * calls render (which fills resp) and caches a 200 answer. key names the
 * resource and every parameter that shapes the answer.
 */
typedef void (*render_fn)(struct app *app, struct http_resp *resp,
			  const struct principal *who, void *arg);
void app_cached(struct app *app, const struct principal *who, const char *key,
		struct http_resp *resp, render_fn render, void *arg);

#endif
