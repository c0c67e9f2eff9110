/*
 * feeds — the incident history as Atom (RFC 4287) and RSS 2.0.
 *
 * One entry per incident (the SP_RECENT most recent published ones), whose
 * content is its whole timeline, newest update first: a feed reader shows
 * a new update as a changed entry, as Statuspage's feeds do. Entry ids are
 * urn:uuid URIs derived from the org and incident ids (stable forever).
 * Links are paths on this server (Kodo does not know its public host
 * name); feed readers resolve them against the feed's own URL. Every text
 * is escaped for XML, and characters XML forbids are dropped, so the
 * feeds are well-formed whatever the messages hold.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http/public.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/html.h"
#include "util/markdown.h"

/* A name-based UUID (SHA-256, version 8) for org:id, as urn:uuid:… */
static void urn_uuid(struct buf *b, const char *org_id, const char *id)
{
	char key[2 * ID_LEN + 8];
	snprintf(key, sizeof(key), "kodo:%s:%s", org_id, id);
	char hex[CRYPTO_HASH_HEX_LEN];
	crypto_sha256_hex(key, strlen(key), hex);
	hex[12] = '8';				/* version 8 */
	hex[16] = "89ab"[(hex[16] <= '9' ? hex[16] - '0' : hex[16] - 'a' + 10) & 3];
	buf_printf(b, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
		   hex + 12, hex + 16, hex + 20);
}

static void rfc3339(struct buf *b, int64_t ms)
{
	char iso[TIME_RFC3339_LEN];
	time_format_rfc3339(ms, iso);
	buf_puts(b, iso);
}

/* RFC 822 as RSS wants it: "Sat, 28 Nov 2026 16:00:00 +0000". */
static void rfc822(struct buf *b, int64_t ms)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
					    "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
					      "May", "Jun", "Jul", "Aug",
					      "Sep", "Oct", "Nov", "Dec" };
	time_t secs = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	buf_printf(b, "%s, %02d %s %d %02d:%02d:%02d +0000", days[tm.tm_wday],
		   tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
		   tm.tm_min, tm.tm_sec);
}

/* The timeline as HTML (escaped again by the caller for XML). */
static void timeline_html(struct buf *html, const struct incident *inc)
{
	html_escape(html, public_severity_label(inc->severity));
	buf_puts(html, " incident");
	if (inc->n_services) {
		buf_puts(html, " affecting ");
		for (size_t i = 0; i < inc->n_services; i++) {
			if (i)
				buf_puts(html, ", ");
			html_escape(html, inc->services[i].name);
		}
	}
	buf_puts(html, ".\n");
	for (size_t i = 0; i < inc->n_updates; i++) {
		const struct update *u = &inc->updates[i];
		buf_puts(html, "<p><small>");
		public_format_time(u->created_at, html);
		buf_printf(html, "</small><br><strong>%s</strong></p>\n",
			   public_incident_status_label(u->status));
		markdown_to_html(u->message, html);
	}
}

static void xml_html(struct buf *b, const struct incident *inc)
{
	struct buf html = BUF_INIT;
	timeline_html(&html, inc);
	html_escape_n(b, html.data ? html.data : "", html.len);
	buf_cleanup(&html);
}

static size_t n_entries(const struct sp_snapshot *s)
{
	return s->n_incidents < SP_RECENT ? s->n_incidents : SP_RECENT;
}

static void atom_entry(struct buf *b, const struct public_view *v,
		       const struct incident *inc)
{
	buf_puts(b, "<entry>\n<id>");
	urn_uuid(b, v->snap->org.id, inc->id);
	buf_puts(b, "</id>\n<title>");
	html_escape(b, inc->title);
	buf_puts(b, "</title>\n<updated>");
	rfc3339(b, inc->updated_at);
	buf_puts(b, "</updated>\n<published>");
	rfc3339(b, inc->started_at);
	buf_printf(b, "</published>\n<link rel=\"alternate\" type=\"text/html\""
		      " href=\"%s/incidents/%s\"/>\n<category term=\"%s\"/>\n"
		      "<content type=\"html\">",
		   v->base, inc->id, severity_name(inc->severity));
	xml_html(b, inc);
	buf_puts(b, "</content>\n</entry>\n");
}

static void atom(struct buf *b, const struct public_view *v)
{
	const struct sp_snapshot *s = v->snap;
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n"
		    "<id>");
	urn_uuid(b, s->org.id, "history");
	buf_puts(b, "</id>\n<title>");
	html_escape(b, s->settings.name);
	buf_puts(b, " status - incident history</title>\n<updated>");
	rfc3339(b, s->updated_at);
	buf_printf(b, "</updated>\n<link rel=\"alternate\" type=\"text/html\" "
		      "href=\"%s\"/>\n<link rel=\"self\" type=\"application/"
		      "atom+xml\" href=\"%s/history.atom\"/>\n<author><name>",
		   v->base[0] ? v->base : "/", v->base);
	html_escape(b, s->settings.name);
	buf_puts(b, "</name></author>\n<generator>Kodo</generator>\n");
	for (size_t k = 0; k < n_entries(s); k++)
		atom_entry(b, v, &s->incidents[k]);
	buf_puts(b, "</feed>\n");
}

static void rss_item(struct buf *b, const struct public_view *v,
		     const struct incident *inc)
{
	buf_puts(b, "<item>\n<title>");
	html_escape(b, inc->title);
	buf_printf(b, "</title>\n<link>%s/incidents/%s</link>\n"
		      "<guid isPermaLink=\"false\">",
		   v->base, inc->id);
	urn_uuid(b, v->snap->org.id, inc->id);
	buf_puts(b, "</guid>\n<pubDate>");
	rfc822(b, inc->started_at);
	buf_printf(b, "</pubDate>\n<category>%s</category>\n<description>",
		   severity_name(inc->severity));
	xml_html(b, inc);
	buf_puts(b, "</description>\n</item>\n");
}

static void rss(struct buf *b, const struct public_view *v)
{
	const struct sp_snapshot *s = v->snap;
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/"
		    "Atom\">\n<channel>\n<title>");
	html_escape(b, s->settings.name);
	buf_printf(b, " status - incident history</title>\n<link>%s</link>\n"
		      "<description>Incidents and their updates, newest "
		      "first</description>\n<language>en</language>\n"
		      "<atom:link href=\"%s/history.rss\" rel=\"self\" "
		      "type=\"application/rss+xml\"/>\n<lastBuildDate>",
		   v->base[0] ? v->base : "/", v->base);
	rfc822(b, s->updated_at);
	buf_puts(b, "</lastBuildDate>\n<generator>Kodo</generator>\n");
	for (size_t k = 0; k < n_entries(s); k++)
		rss_item(b, v, &s->incidents[k]);
	buf_puts(b, "</channel>\n</rss>\n");
}

void feeds_render(enum page_kind kind, const struct public_view *v,
		  struct buf *out)
{
	if (kind == PAGE_ATOM)
		atom(out, v);
	else
		rss(out, v);
}
