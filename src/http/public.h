/*
 * public — what the public status page's renderers share: the kinds of
 * page, and the view each renderer is handed: a snapshot, the base path,
 * a time.
 *
 * Renderers are pure: they read the view and append bytes; page_cache.c
 * decides when to call them and keeps what they made. Every piece of user
 * text goes through util/html.h or util/markdown.h (HTML, feeds) or
 * jansson (JSON). Any thread.
 */
#ifndef KODO_HTTP_PUBLIC_H
#define KODO_HTTP_PUBLIC_H

#include "core/statuspage.h"
#include "util/buf.h"

enum page_kind {
	PAGE_HTML,	 /* / and /status/{slug} */
	PAGE_SUMMARY,	 /* api/v2/summary.json */
	PAGE_STATUS,	 /* api/v2/status.json */
	PAGE_COMPONENTS, /* api/v2/components.json */
	PAGE_INCIDENTS,	 /* api/v2/incidents.json */
	PAGE_UNRESOLVED, /* api/v2/incidents/unresolved.json */
	PAGE_ATOM,	 /* history.atom */
	PAGE_RSS,	 /* history.rss */
	PAGE_INCIDENT,	 /* incidents/{id} */
	PAGE_KINDS
};

struct public_view {
	const struct sp_snapshot *snap;
	const char *base; /* "" for the default org at /, else /status/{slug} */
	int64_t now;
	const char *css_href; /* versioned asset paths */
	const char *js_href;
};

/* pages_status.c */
void public_render_html(const struct public_view *v, struct buf *out);
void public_render_incident(const struct public_view *v,
			    const struct incident *inc, struct buf *out);
/* The <li> elements of a daily bar, oldest day first (n > 0): one per run
 * of days with the same color and words, spanning them. */
void public_render_bar(const struct sp_day *days, size_t n, struct buf *out);
/* A small HTML 404 page; v may be NULL (unknown organization). */
void public_render_not_found(const struct public_view *v, struct buf *out);

/* public_v2.c: the Statuspage v2 JSON documents. */
void public_v2_render(enum page_kind kind, const struct public_view *v,
		      struct buf *out);

/* feeds.c: PAGE_ATOM or PAGE_RSS. */
void feeds_render(enum page_kind kind, const struct public_view *v,
		  struct buf *out);

/* Labels shared by the renderers. */
const char *public_status_label(enum component_status s);
const char *public_banner_label(enum component_status s);
const char *public_incident_status_label(enum incident_status s);
const char *public_severity_label(enum severity s);
/* "Nov 28, 2026 16:00 UTC" and "Nov 28, 2026" */
void public_format_time(int64_t ms, struct buf *out);
void public_format_date(int64_t ms, struct buf *out);

#endif
