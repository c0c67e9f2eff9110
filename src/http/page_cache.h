/*
 * page_cache — the public status pages, rendered once per change and
 * served from memory.
 *
 * Per organization (and per base path: the default organization is also
 * served at /), it keeps a snapshot of the public data (core/statuspage.h)
 * and, per kind of page, the rendered body with its gzip form and a strong
 * ETag. A body is valid while the organization's change generation
 * (core/changes.h) has not moved past the one it was rendered at, and for
 * the HTML page also within the same UTC minute (bars and uptime follow the
 * clock). A page view takes a reference to a valid body and hands it to the
 * server, which sends it without copying: no query, no rendering, no copy.
 *
 * After a change, the first request renders (one renderer per organization;
 * others wait for it rather than read stale data), so an acknowledged write
 * is visible to the very next request. When only the minute moved on, one
 * request re-renders while the others keep getting the previous minute's
 * page, whose data is current. Slugs resolve from memory after the first
 * lookup.
 *
 * Thread contract: any worker thread; page_cache_new/free on the thread
 * that starts and stops the server.
 */
#ifndef KODO_HTTP_PAGE_CACHE_H
#define KODO_HTTP_PAGE_CACHE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/core.h"
#include "http/public.h"

/* One rendered response, immutable once published; refcounted. */
struct page_body {
	atomic_int refs;
	int status; /* 200 or 404 */
	enum page_kind kind;
	const char *content_type; /* static */
	uint64_t gen;		  /* generation it was rendered at */
	int64_t minute;		  /* UTC minute, or -1 when time-independent */
	char etag[32], etag_gz[32];
	char *data;
	size_t len;
	char *gz; /* NULL when gzip would not be smaller */
	size_t gz_len;
	char incident_id[ID_LEN]; /* PAGE_INCIDENT only */
};

struct page_cache;

struct page_cache *page_cache_new(struct core *core);
void page_cache_free(struct page_cache *pc);

/*
 * The body of kind for the organization with slug (rooted: served at /
 * rather than /status/{slug}); incident_id for PAGE_INCIDENT. Returns a new
 * reference (page_body_unref) or NULL with *rc set: KODO_ENOTFOUND for an
 * unknown organization, KODO_EIO when the store failed.
 */
struct page_body *page_cache_get(struct page_cache *pc, const char *slug,
				 bool rooted, enum page_kind kind,
				 const char *incident_id, int *rc);

/* The embedded stylesheet and script (never NULL for a known name). */
struct page_body *page_cache_asset(struct page_cache *pc, const char *name);

void page_body_ref(struct page_body *b);
/* Drops one reference; void * so that it can be a free callback. */
void page_body_unref(void *b);

#endif
