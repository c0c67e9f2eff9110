/*
 * pages_status — the public status page: its routes (no auth; drafts
 * never appear) and its HTML.
 *
 * Every route here is served from page_cache.c: a view costs a lookup and
 * a reference, never a query. The HTML works without JavaScript (web/
 * status.js only shows local times and refreshes), is semantic and
 * responsive (web/status.css), and says every status in words as well as
 * in color. User text is escaped; update messages and retrospectives are
 * the safe Markdown subset of util/markdown.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http/app.h"
#include "http/page_cache.h"
#include "http/router.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/html.h"
#include "util/markdown.h"

#define DEFAULT_SLUG "default"
#define PUBLIC_CACHE_CONTROL "public, max-age=10"
#define ASSET_CACHE_CONTROL "public, max-age=86400"
#define HTML_CSP                                                         \
	"default-src 'none'; style-src 'self' 'unsafe-inline'; "        \
	"script-src 'self'; img-src https: http: data:; "                \
	"connect-src 'self'; base-uri 'none'; form-action 'none'"

/* --- labels and times --- */

const char *public_status_label(enum component_status s)
{
	static const char *const labels[] = { "Operational",
					      "Under maintenance",
					      "Degraded performance",
					      "Partial outage", "Major outage" };
	return labels[s];
}

const char *public_banner_label(enum component_status s)
{
	return s == CS_OPERATIONAL ? "All systems operational"
				   : public_status_label(s);
}

const char *public_incident_status_label(enum incident_status s)
{
	static const char *const labels[] = { "Investigating", "Identified",
					      "Monitoring", "Resolved" };
	return labels[s];
}

const char *public_severity_label(enum severity s)
{
	static const char *const labels[] = { "None", "Minor", "Major",
					      "Critical" };
	return labels[s];
}

static const char *const MONTHS[] = { "Jan", "Feb", "Mar", "Apr",
				      "May", "Jun", "Jul", "Aug",
				      "Sep", "Oct", "Nov", "Dec" };

static void utc_tm(int64_t ms, struct tm *tm)
{
	time_t secs = (time_t)(ms / 1000);
	gmtime_r(&secs, tm);
}

void public_format_date(int64_t ms, struct buf *out)
{
	struct tm tm;
	utc_tm(ms, &tm);
	buf_printf(out, "%s %d, %d", MONTHS[tm.tm_mon], tm.tm_mday,
		   tm.tm_year + 1900);
}

void public_format_time(int64_t ms, struct buf *out)
{
	struct tm tm;
	utc_tm(ms, &tm);
	public_format_date(ms, out);
	buf_printf(out, " %02d:%02d UTC", tm.tm_hour, tm.tm_min);
}

/* <time> with the instant for machines (and status.js's local time). */
static void time_el(struct buf *b, int64_t ms)
{
	char iso[TIME_RFC3339_LEN];
	time_format_rfc3339(ms, iso);
	buf_printf(b, "<time datetime=\"%s\">", iso);
	public_format_time(ms, b);
	buf_puts(b, "</time>");
}

static void date_el(struct buf *b, int64_t ms)
{
	char iso[TIME_RFC3339_LEN];
	time_format_rfc3339(ms, iso);
	buf_printf(b, "<time datetime=\"%.10s\">", iso);
	public_format_date(ms, b);
	buf_puts(b, "</time>");
}

/* Uptime as people read it: never rounded up to 100%. */
static void uptime_text(struct buf *b, double u)
{
	if (u >= 1.0)
		buf_puts(b, "100%");
	else
		buf_printf(b, "%.2f%%", floor(u * 10000.0) / 100.0);
}

static void home_href(struct buf *b, const struct public_view *v)
{
	buf_puts(b, v->base[0] ? v->base : "/");
}

/* --- page frame --- */

/* Dark text on light accents, white on dark ones (WCAG luminance). */
static const char *on_accent(const char *hex)
{
	unsigned rgb[3] = { 0, 0, 0 };
	for (int i = 0; i < 3; i++) {
		for (int k = 0; k < 2; k++) {
			char c = hex[1 + 2 * i + k];
			unsigned d = c <= '9' ? (unsigned)(c - '0')
					      : (unsigned)((c | 0x20) - 'a' + 10);
			rgb[i] = rgb[i] * 16 + d;
		}
	}
	double lum = 0;
	static const double w[3] = { 0.2126, 0.7152, 0.0722 };
	for (int i = 0; i < 3; i++) {
		double c = rgb[i] / 255.0;
		c = c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
		lum += w[i] * c;
	}
	/* Contrast with white vs with near-black: pick the larger. */
	return (1.05 / (lum + 0.05)) >= ((lum + 0.05) / 0.05) ? "#fff"
							     : "#111";
}

static void page_head(struct buf *b, const struct public_view *v,
		      const char *title)
{
	const struct page_settings *ps = &v->snap->settings;
	buf_puts(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n"
		    "<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, "
		    "initial-scale=1\">\n"
		    "<meta name=\"color-scheme\" content=\"light dark\">\n"
		    "<title>");
	if (title) {
		html_escape(b, title);
		buf_puts(b, " · ");
	}
	html_escape(b, ps->name);
	buf_puts(b, " status</title>\n<link rel=\"stylesheet\" href=\"");
	html_escape_attr(b, v->css_href);
	buf_printf(b, "\">\n<style>:root{--accent:%s;--on-accent:%s}</style>\n",
		   ps->accent_color, on_accent(ps->accent_color));
	const char *feeds[][2] = { { "application/atom+xml", "history.atom" },
				   { "application/rss+xml", "history.rss" } };
	for (int i = 0; i < 2; i++) {
		buf_printf(b, "<link rel=\"alternate\" type=\"%s\" title=\"",
			   feeds[i][0]);
		html_escape_attr(b, ps->name);
		buf_printf(b, " incidents\" href=\"%s/%s\">\n", v->base,
			   feeds[i][1]);
	}
	buf_puts(b, "<script src=\"");
	html_escape_attr(b, v->js_href);
	buf_puts(b, "\" defer></script>\n</head>\n<body>\n"
		    "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
		    "<header class=\"top\"><div class=\"wrap\"><a class=\"brand\" "
		    "href=\"");
	home_href(b, v);
	buf_puts(b, "\">");
	if (ps->logo_url[0]) {
		buf_puts(b, "<img class=\"logo\" src=\"");
		html_escape_attr(b, ps->logo_url);
		buf_puts(b, "\" alt=\"\" height=\"32\">");
	}
	buf_puts(b, "<span class=\"name\">");
	html_escape(b, ps->name);
	buf_puts(b, "</span></a></div></header>\n"
		    "<main id=\"main\" class=\"wrap\">\n");
}

static void page_foot(struct buf *b, const struct public_view *v)
{
	buf_printf(b,
		   "</main>\n<footer class=\"wrap foot\"><nav aria-label=\"Feeds "
		   "and data\"><a href=\"%s/history.atom\">Atom feed</a> "
		   "<a href=\"%s/history.rss\">RSS feed</a> "
		   "<a href=\"%s/api/v2/summary.json\">JSON API</a></nav>"
		   "<p>Times are in UTC. Powered by Kodo.</p></footer>\n"
		   "</body>\n</html>\n",
		   v->base, v->base, v->base);
}

/* --- pieces --- */

static void incident_href(struct buf *b, const struct public_view *v,
			  const struct incident *inc)
{
	buf_printf(b, "%s/incidents/%s", v->base, inc->id);
}

static void severity_badge(struct buf *b, enum severity s)
{
	buf_printf(b, "<span class=\"badge sev%d\">%s</span>", (int)s,
		   public_severity_label(s));
}

static void affects(struct buf *b, const struct incident *inc)
{
	if (!inc->n_services)
		return;
	buf_puts(b, " <span class=\"affects\">Affects: ");
	for (size_t i = 0; i < inc->n_services; i++) {
		if (i)
			buf_puts(b, ", ");
		html_escape(b, inc->services[i].name);
	}
	buf_puts(b, "</span>");
}

static void timeline(struct buf *b, const struct incident *inc)
{
	buf_puts(b, "<ol class=\"timeline\">\n");
	for (size_t i = 0; i < inc->n_updates; i++) {
		const struct update *u = &inc->updates[i];
		buf_printf(b,
			   "<li class=\"upd\"><p class=\"uh\"><strong class=\"ust "
			   "u%d\">%s</strong> ",
			   (int)u->status, public_incident_status_label(u->status));
		time_el(b, u->created_at);
		buf_puts(b, "</p><div class=\"md\">");
		markdown_to_html(u->message, b);
		buf_puts(b, "</div></li>\n");
	}
	buf_puts(b, "</ol>\n");
}

static void banner(struct buf *b, enum component_status overall)
{
	static const char *const icons[] = { "&#10003;", "i", "!", "!", "&#10005;" };
	buf_printf(b,
		   "<section class=\"banner s%d\" role=\"status\" "
		   "aria-live=\"polite\"><span class=\"ico\" aria-hidden=\"true\">"
		   "%s</span><h1>%s</h1></section>\n",
		   (int)overall, icons[overall], public_banner_label(overall));
}

/*
 * How much of a wide outage the page shows: the newest ACTIVE_FULL active
 * incidents with their whole timelines, the next ones up to ACTIVE_LISTED
 * as one line each, and HISTORY_PER_DAY incidents a day in the history;
 * the rest are counted, and each incident keeps its own page. Without a
 * bound, 2,000 auto-created incidents made a 1.4 MB page, served 2,000
 * times a second instead of 80,000, just when everyone reads it.
 */
#define ACTIVE_FULL 10
#define ACTIVE_LISTED 100
#define HISTORY_PER_DAY 20

static void active_article(struct buf *b, const struct public_view *v,
			   const struct incident *inc)
{
	buf_printf(b, "<article class=\"incident sev%d\"><h3><a href=\"",
		   (int)inc->severity);
	incident_href(b, v, inc);
	buf_puts(b, "\">");
	html_escape(b, inc->title);
	buf_puts(b, "</a></h3>\n<p class=\"meta\">");
	severity_badge(b, inc->severity);
	affects(b, inc);
	buf_puts(b, "</p>\n");
	timeline(b, inc);
	buf_puts(b, "</article>\n");
}

/* One line: title, severity, status and since when. */
static void active_line(struct buf *b, const struct public_view *v,
			const struct incident *inc)
{
	buf_puts(b, "<li><a href=\"");
	incident_href(b, v, inc);
	buf_puts(b, "\">");
	html_escape(b, inc->title);
	buf_puts(b, "</a> ");
	severity_badge(b, inc->severity);
	buf_printf(b, " <span class=\"when\"><strong class=\"ust\">%s</strong> "
		      "since ",
		   public_incident_status_label(inc->status));
	time_el(b, inc->started_at);
	buf_puts(b, "</span></li>\n");
}

/* "And 3 more …" after a bounded list. */
static void more_note(struct buf *b, size_t n, const char *what)
{
	if (n)
		buf_printf(b, "<p class=\"quiet more\">And %zu more %s%s.</p>\n",
			   n, what, n == 1 ? "" : "s");
}

static void active_incidents(struct buf *b, const struct public_view *v,
			     const struct sp_model *m)
{
	if (!m->n_active)
		return;
	buf_puts(b, "<section class=\"card\" aria-labelledby=\"active-h\">"
		    "<h2 id=\"active-h\">Active incidents</h2>\n");
	size_t k = 0;
	for (; k < m->n_active && k < ACTIVE_FULL; k++)
		active_article(b, v, m->active[k]);
	if (k < m->n_active)
		buf_puts(b, "<ul class=\"hist more-active\">\n");
	for (; k < m->n_active && k < ACTIVE_LISTED; k++)
		active_line(b, v, m->active[k]);
	if (m->n_active > ACTIVE_FULL)
		buf_puts(b, "</ul>\n");
	more_note(b, m->n_active - k, "active incident");
	buf_puts(b, "</section>\n");
}

/* A day's words after its date, for hover and screen readers. */
static void day_words(struct buf *b, const struct sp_day *d)
{
	if (!d->has_data) {
		buf_puts(b, "no data");
		return;
	}
	uptime_text(b, d->uptime);
	buf_puts(b, " uptime");
	if (d->worst != CS_OPERATIONAL)
		buf_printf(b, ", %s", public_status_label(d->worst));
	for (size_t i = 0; i < d->n_incidents && i < SP_TIP_MAX; i++) {
		buf_puts(b, i ? "; " : ". Incidents: ");
		html_escape(b, d->incidents[i]->title);
	}
	if (d->n_incidents > SP_TIP_MAX)
		buf_printf(b, "; and %zu more", d->n_incidents - SP_TIP_MAX);
}

static int day_color(const struct sp_day *d)
{
	return d->has_data ? (int)d->worst : -1;
}

/* "Sep 2, 2026", "Sep 2 – Nov 3, 2026" or "Dec 20, 2025 – Jan 5, 2026". */
static void day_range(struct buf *b, int64_t first, int64_t last)
{
	struct tm a, z;
	utc_tm(first, &a);
	utc_tm(last, &z);
	if (first == last) {
		public_format_date(first, b);
		return;
	}
	if (a.tm_year == z.tm_year)
		buf_printf(b, "%s %d", MONTHS[a.tm_mon], a.tm_mday);
	else
		public_format_date(first, b);
	buf_puts(b, " \u2013 ");
	public_format_date(last, b);
}

/* One element for days [first, end) that share color and words. */
static void day_run(struct buf *b, const struct sp_day *days, size_t first,
		    size_t end, const struct buf *words)
{
	int color = day_color(&days[first]);
	if (color < 0)
		buf_puts(b, "<li class=\"d nd\"");
	else
		buf_printf(b, "<li class=\"d s%d\"", color);
	if (end - first > 1)
		buf_printf(b, " style=\"--n:%zu\"", end - first);
	buf_puts(b, "><span>");
	day_range(b, days[first].start, days[end - 1].start);
	buf_puts(b, ": ");
	buf_append(b, words->data, words->len);
	buf_puts(b, "</span></li>");
}

/*
 * The bar: one cell a day, drawn by CSS; days in a row with the same color
 * and the same words are one element spanning them (--n days) whose words
 * name the date range. The words say the same of each of those days, and
 * a page then carries an element per change of state rather than 90 per
 * service (the bytes every visitor downloads). status.js names the very
 * day under the pointer.
 */
void public_render_bar(const struct sp_day *days, size_t n, struct buf *b)
{
	struct buf run, next;
	buf_init(&run);
	buf_init(&next);
	size_t first = 0;
	day_words(&run, &days[0]);
	for (size_t i = 1; i <= n; i++) {
		buf_reset(&next);
		if (i < n)
			day_words(&next, &days[i]);
		if (i < n && day_color(&days[i]) == day_color(&days[first]) &&
		    next.len == run.len && !memcmp(next.data, run.data, run.len))
			continue;
		day_run(b, days, first, i, &run);
		struct buf t = run;
		run = next;
		next = t;
		first = i;
	}
	buf_cleanup(&run);
	buf_cleanup(&next);
}

static void service_item(struct buf *b, const struct sp_service_view *sv)
{
	const struct service *s = sv->svc;
	buf_puts(b, "<li class=\"svc\"><div class=\"row\"><span class=\"sname\">");
	html_escape(b, s->name);
	buf_printf(b,
		   "</span><span class=\"st s%d\"><span class=\"dot\" "
		   "aria-hidden=\"true\"></span>%s</span></div>\n",
		   (int)sv->status, public_status_label(sv->status));
	if (s->description && s->description[0]) {
		buf_puts(b, "<p class=\"desc\">");
		html_escape(b, s->description);
		buf_puts(b, "</p>\n");
	}
	char end[TIME_RFC3339_LEN];
	time_format_rfc3339(sv->days[SP_DAYS - 1].start, end);
	buf_printf(b, "<ol class=\"bar\" data-end=\"%.10s\" aria-label=\"",
		   end);
	html_escape_attr(b, s->name);
	buf_puts(b, ", daily status\">");
	public_render_bar(sv->days, SP_DAYS, b);
	buf_puts(b, "</ol>\n<p class=\"legend\"><span><span class=\"long\">90 "
		    "days ago</span><span class=\"short\">30 days ago</span>"
		    "</span><span class=\"up\">");
	if (sv->has_uptime) {
		uptime_text(b, sv->uptime);
		buf_puts(b, " uptime");
	} else {
		buf_puts(b, "No data yet");
	}
	buf_puts(b, "</span><span>Today</span></p></li>\n");
}

static bool same_group(const struct service *a, const struct service *b)
{
	return a->group && b->group && strcmp(a->group, b->group) == 0;
}

/* Ungrouped services in order; a group where its first service is. */
static void services(struct buf *b, const struct sp_model *m)
{
	buf_puts(b, "<section class=\"card\" aria-labelledby=\"svc-h\">"
		    "<h2 id=\"svc-h\">Services</h2>\n");
	if (!m->n_services)
		buf_puts(b, "<p class=\"quiet\">No services yet.</p>\n");
	else
		buf_puts(b, "<ul class=\"services\">\n");
	for (size_t i = 0; i < m->n_services; i++) {
		const struct service *s = m->services[i].svc;
		if (!s->group) {
			service_item(b, &m->services[i]);
			continue;
		}
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = same_group(m->services[j].svc, s);
		if (seen)
			continue;
		buf_puts(b, "<li class=\"grp\"><h3>");
		html_escape(b, s->group);
		buf_puts(b, "</h3><ul class=\"services\">\n");
		for (size_t j = i; j < m->n_services; j++)
			if (same_group(m->services[j].svc, s))
				service_item(b, &m->services[j]);
		buf_puts(b, "</ul></li>\n");
	}
	if (m->n_services)
		buf_puts(b, "</ul>\n");
	buf_puts(b, "</section>\n");
}

static void history_item(struct buf *b, const struct public_view *v,
			 const struct incident *inc)
{
	buf_puts(b, "<li><h4><a href=\"");
	incident_href(b, v, inc);
	buf_puts(b, "\">");
	html_escape(b, inc->title);
	buf_puts(b, "</a></h4> ");
	severity_badge(b, inc->severity);
	buf_printf(b, "<p class=\"when\"><strong class=\"ust\">%s</strong> ",
		   public_incident_status_label(inc->status));
	time_el(b, inc->started_at);
	if (inc->status == IST_RESOLVED) {
		buf_puts(b, " – ");
		time_el(b, inc->resolved_at);
	}
	buf_puts(b, "</p>");
	if (inc->n_updates) {
		buf_puts(b, "<div class=\"md\">");
		markdown_to_html(inc->updates[0].message, b);
		buf_puts(b, "</div>");
	}
	buf_puts(b, "</li>\n");
}

static void history(struct buf *b, const struct public_view *v,
		    const struct sp_model *m)
{
	buf_puts(b, "<section class=\"card\" aria-labelledby=\"hist-h\">"
		    "<h2 id=\"hist-h\">Past incidents</h2>\n");
	for (size_t h = 0; h < SP_HISTORY_DAYS; h++) {
		const struct sp_history_day *day = &m->history[h];
		buf_puts(b, "<div class=\"day\"><h3>");
		date_el(b, day->start);
		buf_puts(b, "</h3>\n");
		if (!day->n)
			buf_puts(b, "<p class=\"quiet\">No incidents reported.</p>");
		else
			buf_puts(b, "<ul class=\"hist\">\n");
		for (size_t k = 0; k < day->n && k < HISTORY_PER_DAY; k++)
			history_item(b, v, day->list[k]);
		if (day->n)
			buf_puts(b, "</ul>");
		if (day->n > HISTORY_PER_DAY)
			more_note(b, day->n - HISTORY_PER_DAY, "incident");
		buf_puts(b, "</div>\n");
	}
	buf_puts(b, "</section>\n");
}

void public_render_html(const struct public_view *v, struct buf *out)
{
	struct sp_model m;
	statuspage_model(v->snap, v->now, NULL, 0, &m);
	page_head(out, v, NULL);
	banner(out, m.overall);
	active_incidents(out, v, &m);
	services(out, &m);
	history(out, v, &m);
	page_foot(out, v);
	statuspage_model_cleanup(&m);
}

void public_render_incident(const struct public_view *v,
			    const struct incident *inc, struct buf *out)
{
	page_head(out, v, inc->title);
	buf_puts(out, "<p class=\"back\"><a href=\"");
	home_href(out, v);
	buf_printf(out, "\">&larr; Current status</a></p>\n"
			"<article class=\"card incident sev%d\"><h1>",
		   (int)inc->severity);
	html_escape(out, inc->title);
	buf_puts(out, "</h1>\n<p class=\"meta\">");
	severity_badge(out, inc->severity);
	buf_printf(out, " <strong class=\"ust u%d\">%s</strong>",
		   (int)inc->status, public_incident_status_label(inc->status));
	affects(out, inc);
	buf_puts(out, "</p>\n<p class=\"when\">Started ");
	time_el(out, inc->started_at);
	if (inc->status == IST_RESOLVED) {
		buf_puts(out, ", resolved ");
		time_el(out, inc->resolved_at);
	}
	buf_puts(out, "</p>\n<h2>Updates</h2>\n");
	timeline(out, inc);
	if (inc->retrospective && inc->retrospective[0]) {
		buf_puts(out, "<section class=\"retro\" aria-labelledby=\"retro-h\">"
			      "<h2 id=\"retro-h\">Retrospective</h2>"
			      "<div class=\"md\">");
		markdown_to_html(inc->retrospective, out);
		buf_puts(out, "</div></section>\n");
	}
	buf_puts(out, "</article>\n");
	page_foot(out, v);
}

void public_render_not_found(const struct public_view *v, struct buf *out)
{
	if (!v) {
		buf_puts(out, "<!doctype html>\n<html lang=\"en\"><head><meta "
			      "charset=\"utf-8\"><meta name=\"viewport\" "
			      "content=\"width=device-width, initial-scale=1\">"
			      "<title>Not found</title></head><body><main>"
			      "<h1>Not found</h1><p>There is no status page "
			      "here.</p></main></body></html>\n");
		return;
	}
	page_head(out, v, "Not found");
	buf_puts(out, "<section class=\"card\"><h1>Not found</h1><p>There is "
		      "no such incident on this page. <a href=\"");
	home_href(out, v);
	buf_puts(out, "\">See the current status</a>.</p></section>\n");
	page_foot(out, v);
}

/* --- responses --- */

/* True when Accept-Encoding allows gzip (a q of 0 refuses it). */
static bool accepts_gzip(const char *ae)
{
	bool star = false;
	while (ae && *ae) {
		size_t n = strcspn(ae, ",");
		const char *tok = ae;
		ae = ae[n] ? ae + n + 1 : ae + n;
		while (n && (*tok == ' ' || *tok == '\t'))
			tok++, n--;
		size_t name = strcspn(tok, ";, \t");
		name = name > n ? n : name;
		bool refused = false;
		const char *q = memchr(tok, ';', n);
		if (q) {
			const char *eq = strstr(q, "q=");
			refused = eq && eq < tok + n && strtod(eq + 2, NULL) <= 0.0;
		}
		if ((name == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
		    (name == 6 && strncasecmp(tok, "x-gzip", 6) == 0))
			return !refused;
		if (name == 1 && *tok == '*')
			star = !refused;
	}
	return star;
}

/* If-None-Match against etag (weak comparison, as RFC 9110 says). */
static bool etag_matches(const char *inm, const char *etag)
{
	size_t elen = strlen(etag);
	while (inm && *inm) {
		while (*inm == ' ' || *inm == '\t' || *inm == ',')
			inm++;
		if (*inm == '*')
			return true;
		if (strncmp(inm, "W/", 2) == 0)
			inm += 2;
		size_t n = strcspn(inm, ",");
		while (n && (inm[n - 1] == ' ' || inm[n - 1] == '\t'))
			n--;
		if (n == elen && strncmp(inm, etag, n) == 0)
			return true;
		inm += strcspn(inm, ",");
	}
	return false;
}

static bool is_html(enum page_kind k)
{
	return k == PAGE_HTML || k == PAGE_INCIDENT;
}

/* Answers with b (a reference handed to the server), or 304. */
static void send_body(const struct http_req *req, struct http_resp *resp,
		      struct page_body *b, const char *cache_control,
		      bool cors)
{
	bool gz = b->gz && accepts_gzip(req_header(req, "Accept-Encoding"));
	const char *etag = gz ? b->etag_gz : b->etag;
	resp->status = b->status;
	resp->content_type = b->content_type;
	if (cors)
		resp_header(resp, "Access-Control-Allow-Origin", "*");
	if (b->status == 200) {
		resp_header(resp, "ETag", etag);
		resp_header(resp, "Cache-Control", cache_control);
		if (b->gz)
			resp_header(resp, "Vary", "Accept-Encoding");
		if (etag_matches(req_header(req, "If-None-Match"), etag)) {
			resp->status = 304;
			page_body_unref(b);
			return;
		}
	}
	if (gz)
		resp_header(resp, "Content-Encoding", "gzip");
	if (strncmp(b->content_type, "text/html", 9) == 0) {
		resp_header(resp, "Content-Security-Policy", HTML_CSP);
		resp_header(resp, "Referrer-Policy",
			    "strict-origin-when-cross-origin");
	}
	resp->shared = (struct http_shared){ gz ? b->gz : b->data,
					     gz ? b->gz_len : b->len,
					     page_body_unref, b };
}

static void not_found(struct http_resp *resp, enum page_kind kind)
{
	if (!is_html(kind)) {
		resp_error_code(resp, KODO_ENOTFOUND, NULL,
				"no status page with this name");
		resp_header(resp, "Access-Control-Allow-Origin", "*");
		return;
	}
	resp->status = 404;
	resp->content_type = "text/html; charset=utf-8";
	public_render_not_found(NULL, &resp->body);
}

/* What follows /status/{slug} (or the root), and the kind it names. */
static const struct {
	const char *rest;
	enum page_kind kind;
} suffixes[] = {
	{ "", PAGE_HTML },
	{ "/", PAGE_HTML },
	{ "/api/v2/summary.json", PAGE_SUMMARY },
	{ "/api/v2/status.json", PAGE_STATUS },
	{ "/api/v2/components.json", PAGE_COMPONENTS },
	{ "/api/v2/incidents.json", PAGE_INCIDENTS },
	{ "/api/v2/incidents/unresolved.json", PAGE_UNRESOLVED },
	{ "/history.atom", PAGE_ATOM },
	{ "/history.rss", PAGE_RSS },
};

static void public_page(struct app *app, struct http_req *req,
			struct http_resp *resp, const struct principal *who)
{
	(void)who;
	bool rooted = strncmp(req->path, "/status/", 8) != 0;
	const char *slug = rooted ? DEFAULT_SLUG : req->params[0];
	const char *rest = rooted ? req->path : req->path + 8 + strlen(slug);
	const char *incident_id = NULL;
	enum page_kind kind = PAGE_INCIDENT;
	if (strncmp(rest, "/incidents/", 11) == 0 && !strchr(rest + 11, '/') &&
	    !strchr(rest + 11, '.'))
		incident_id = rooted ? req->params[0] : req->params[1];
	for (size_t i = 0; !incident_id && i < sizeof(suffixes) / sizeof(*suffixes);
	     i++)
		if (strcmp(rest, suffixes[i].rest) == 0)
			kind = suffixes[i].kind;
	int rc = 0;
	struct page_body *b = page_cache_get(app->pages, slug, rooted, kind,
					     incident_id, &rc);
	if (!b) {
		if (rc == KODO_ENOTFOUND)
			not_found(resp, kind);
		else
			resp_error_code(resp, rc ? rc : KODO_EIO, NULL, NULL);
		return;
	}
	send_body(req, resp, b, PUBLIC_CACHE_CONTROL,
		  kind != PAGE_HTML && kind != PAGE_INCIDENT);
}

static void public_asset(struct app *app, struct http_req *req,
			 struct http_resp *resp, const struct principal *who)
{
	(void)who;
	const char *name = strrchr(req->path, '/') + 1;
	struct page_body *b = page_cache_asset(app->pages, name);
	if (!b) {
		resp_error_code(resp, KODO_ENOTFOUND, NULL, "no such file");
		return;
	}
	send_body(req, resp, b, ASSET_CACHE_CONTROL, false);
}

static const struct route routes[] = {
	{ "GET", "/", public_page, AUTH_NONE },
	{ "GET", "/api/v2/summary.json", public_page, AUTH_NONE },
	{ "GET", "/api/v2/status.json", public_page, AUTH_NONE },
	{ "GET", "/api/v2/components.json", public_page, AUTH_NONE },
	{ "GET", "/api/v2/incidents.json", public_page, AUTH_NONE },
	{ "GET", "/api/v2/incidents/unresolved.json", public_page, AUTH_NONE },
	{ "GET", "/history.atom", public_page, AUTH_NONE },
	{ "GET", "/history.rss", public_page, AUTH_NONE },
	{ "GET", "/incidents/{}", public_page, AUTH_NONE },
	{ "GET", "/status/{}", public_page, AUTH_NONE },
	{ "GET", "/status/{}/", public_page, AUTH_NONE },
	{ "GET", "/status/{}/api/v2/summary.json", public_page, AUTH_NONE },
	{ "GET", "/status/{}/api/v2/status.json", public_page, AUTH_NONE },
	{ "GET", "/status/{}/api/v2/components.json", public_page, AUTH_NONE },
	{ "GET", "/status/{}/api/v2/incidents.json", public_page, AUTH_NONE },
	{ "GET", "/status/{}/api/v2/incidents/unresolved.json", public_page,
	  AUTH_NONE },
	{ "GET", "/status/{}/history.atom", public_page, AUTH_NONE },
	{ "GET", "/status/{}/history.rss", public_page, AUTH_NONE },
	{ "GET", "/status/{}/incidents/{}", public_page, AUTH_NONE },
	{ "GET", "/assets/status.css", public_asset, AUTH_NONE },
	{ "GET", "/assets/status.js", public_asset, AUTH_NONE },
};

const struct route_table public_routes = {
	routes, sizeof(routes) / sizeof(routes[0])
};
