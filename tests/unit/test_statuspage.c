/* Unit tests of the public status page: escaping, Markdown, the daily bars,
 * the page model (banner, statuses, drafts, history) and page settings. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/incident.h"
#include "core/page_settings.h"
#include "core/service.h"
#include "core/statuspage.h"
#include "http/page_cache.h"
#include "http/public.h"
#include "unit.h"
#include "util/html.h"
#include "util/markdown.h"

#define HOUR 3600000LL
#define CHECK_NEAR(a, b) CHECK(fabs((double)(a) - (double)(b)) < 1e-9)

static char *md(const char *text)
{
	struct buf b = BUF_INIT;
	markdown_to_html(text, &b);
	char *s = buf_detach(&b, NULL);
	return s ? s : calloc(1, 1);
}

static void test_escape(void)
{
	struct buf b = BUF_INIT;
	html_escape(&b, "<a href=\"x\" onclick='y'>&amp;\x01\x7f</a>\tok\n");
	CHECK_STR(buf_str(&b), "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;"
			       "&amp;amp;&lt;/a&gt;\tok\n");
	buf_cleanup(&b);
	CHECK(html_url_safe("https://example.com/a?b=c#d"));
	CHECK(html_url_safe("HTTP://example.com"));
	CHECK(html_url_safe("mailto:ops@example.com"));
	CHECK(!html_url_safe("javascript:alert(1)"));
	CHECK(!html_url_safe("JavaScript:alert(1)"));
	CHECK(!html_url_safe(" javascript:alert(1)"));
	CHECK(!html_url_safe("data:text/html,<script>"));
	CHECK(!html_url_safe("/relative"));
	CHECK(!html_url_safe("https://"));
	CHECK(!html_url_safe("https://x.com/\"onmouseover=\"alert(1)"));
	CHECK(!html_url_safe("https://x.com/<script>"));
}

static void test_markdown(void)
{
	char *s = md("We are *looking* into **it**: see [docs](https://x.com/a)");
	CHECK(strstr(s, "<em>looking</em>") != NULL);
	CHECK(strstr(s, "<strong>it</strong>") != NULL);
	CHECK(strstr(s, "<a href=\"https://x.com/a\" rel=\"nofollow noopener "
			"noreferrer ugc\">docs</a>") != NULL);
	free(s);

	s = md("<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)> "
	       "[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) "
	       "<a href=\"javascript:alert(1)\">z</a> ![i](data:image/png,AA)");
	CHECK(strstr(s, "<script") == NULL);
	CHECK(strstr(s, "<img") == NULL);
	CHECK(strstr(s, "<a") == NULL);
	CHECK(strstr(s, "href=\"") == NULL);
	CHECK(strstr(s, "&lt;script&gt;") != NULL); /* shown, not run */
	CHECK(strstr(s, "&lt;img src=x onerror=alert(1)&gt;") != NULL);
	free(s);

	s = md("# Big\n\n- one\n- two `code`\n\n1. a\n2. b\n\n```\n<b>x</b>\n```\n");
	CHECK(strstr(s, "<h1") == NULL);
	CHECK(strstr(s, "<p><strong>Big</strong></p>") != NULL);
	CHECK(strstr(s, "<ul>\n<li>one</li>\n<li>two <code>code</code></li>") !=
	      NULL);
	CHECK(strstr(s, "<ol>") != NULL);
	CHECK(strstr(s, "<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>") != NULL);
	free(s);

	s = md("![logo](https://x.com/l.png) [rel](/path) [mail](mailto:a@b.c)");
	CHECK(strstr(s, "<img") == NULL);
	CHECK(strstr(s, "<a href=\"https://x.com/l.png\"") != NULL);
	CHECK(strstr(s, "href=\"/path\"") == NULL);
	CHECK(strstr(s, "href=\"mailto:a@b.c\"") != NULL);
	free(s);

	s = md("[x](https://a.com/\"onmouseover=\"alert(1))");
	CHECK(strstr(s, "onmouseover=\"") == NULL);
	free(s);
}

static void test_day(void)
{
	struct day_input in;
	struct sp_day d;
	memset(&in, 0, sizeof(in));
	statuspage_day(&in, 0, &d);
	CHECK(!d.has_data);

	in.observed_ms = 24 * HOUR;
	statuspage_day(&in, 0, &d);
	CHECK(d.has_data);
	CHECK_EQ_INT(d.worst, CS_OPERATIONAL);
	CHECK_NEAR(d.uptime, 1.0);

	in.state_ms[CS_DEGRADED] = 5 * HOUR; /* degraded counts as up */
	statuspage_day(&in, 0, &d);
	CHECK_EQ_INT(d.worst, CS_DEGRADED);
	CHECK_NEAR(d.uptime, 1.0);

	in.state_ms[CS_PARTIAL_OUTAGE] = 10 * HOUR; /* weighted 30% */
	statuspage_day(&in, 0, &d);
	CHECK_EQ_INT(d.worst, CS_PARTIAL_OUTAGE);
	CHECK_NEAR(d.uptime, 1.0 - 0.3 * 10.0 / 24.0);

	in.state_ms[CS_MAJOR_OUTAGE] = 1 * HOUR;
	statuspage_day(&in, 0, &d);
	CHECK_EQ_INT(d.worst, CS_MAJOR_OUTAGE);
	CHECK_NEAR(d.uptime, 1.0 - (1.0 + 3.0) / 24.0);

	/* Check rollups (issue 4) lower uptime and color the day. */
	memset(&in, 0, sizeof(in));
	in.observed_ms = 24 * HOUR;
	in.checks = 100;
	in.checks_failed = 2;
	statuspage_day(&in, 0, &d);
	CHECK_EQ_INT(d.worst, CS_DEGRADED);
	CHECK_NEAR(d.uptime, 0.98);

	struct day_input days[3];
	memset(days, 0, sizeof(days));
	days[1].observed_ms = 12 * HOUR;
	days[2].observed_ms = 24 * HOUR;
	days[2].state_ms[CS_MAJOR_OUTAGE] = 36 * 60000; /* 36 min */
	double u = 0;
	CHECK(statuspage_uptime(days, 3, &u));
	CHECK_NEAR(u, 1.0 - 0.6 / 36.0);
	CHECK(!statuspage_uptime(days, 1, &u)); /* no data at all */
}

/* --- the model on a real (temporary) store --- */

static void new_service(struct fixture *f, const char *name, char id[ID_LEN])
{
	struct service_input in = { .name = name };
	struct service_view v;
	struct kerr err;
	CHECK_EQ_INT(service_create(&f->core, &f->owner, &in, &v, &err), 0);
	memcpy(id, v.svc.id, ID_LEN);
	service_cleanup(&v.svc);
}

static void new_incident(struct fixture *f, const char *title,
			 const char *sev, const char *svc, int draft,
			 char id[ID_LEN])
{
	const char *services[] = { svc };
	struct incident_input in = { .title = title, .severity = sev,
				     .message = "m", .draft = draft,
				     .services = services,
				     .n_services = svc ? 1 : 0,
				     .has_services = svc != NULL };
	struct incident inc;
	struct kerr err;
	CHECK_EQ_INT(incident_create(&f->core, &f->owner, &in, &inc, &err), 0);
	memcpy(id, inc.id, ID_LEN);
	incident_cleanup(&inc);
}

static void post(struct fixture *f, const char *id, const char *status)
{
	struct incident inc;
	struct kerr err;
	CHECK_EQ_INT(incident_post_update(&f->core, &f->owner, id, status,
					  "progress", &inc, &err),
		     0);
	incident_cleanup(&inc);
}

static size_t service_index(const struct sp_snapshot *s, const char *id)
{
	for (size_t i = 0; i < s->n_services; i++)
		if (strcmp(s->services[i].id, id) == 0)
			return i;
	return (size_t)-1;
}

static void test_model(void)
{
	struct fixture f;
	fixture_init(&f);
	/* The fixture's clock starts at 2026-11-28 00:53:20 UTC. */
	int64_t t0 = clock_now(&f.clock);
	int64_t day0 = statuspage_day_floor(t0);
	CHECK_EQ_INT(t0 - day0, 3200000);

	char api[ID_LEN], web[ID_LEN], inc1[ID_LEN], inc2[ID_LEN],
		draft[ID_LEN], bare[ID_LEN];
	new_service(&f, "API", api);
	new_service(&f, "Web", web);
	clock_fake_advance(&f.clock, HOUR);
	new_incident(&f, "Errors", "minor", api, -1, inc1);     /* 3 h */
	clock_fake_advance(&f.clock, HOUR);
	new_incident(&f, "Outage", "critical", api, -1, inc2); /* 1 h */
	new_incident(&f, "SECRET DRAFT", "critical", web, 1, draft);
	clock_fake_advance(&f.clock, HOUR);
	post(&f, inc2, "resolved");
	clock_fake_advance(&f.clock, HOUR);
	post(&f, inc1, "resolved");

	struct sp_snapshot s;
	CHECK_EQ_INT(statuspage_load(&f.core, f.owner.org_id, &s), 0);
	CHECK_EQ_INT(s.n_incidents, 2); /* the draft never gets in */
	CHECK(statuspage_find(&s, draft) == NULL);
	struct incident got;
	CHECK_EQ_INT(statuspage_incident(&f.core, &s, draft, &got),
		     KODO_ENOTFOUND);
	CHECK_EQ_INT(statuspage_incident(&f.core, &s, inc1, &got), 0);
	incident_cleanup(&got);
	CHECK_EQ_INT(s.overall, CS_OPERATIONAL);
	size_t ia = service_index(&s, api), iw = service_index(&s, web);
	CHECK(ia < s.n_services && iw < s.n_services);
	CHECK_EQ_INT(s.status[iw], CS_OPERATIONAL); /* the draft is critical */

	/* The next day: yesterday carries the incidents, today is clean. */
	int64_t now = day0 + SP_DAY_MS + 6 * HOUR;
	struct sp_model m;
	statuspage_model(&s, now, NULL, 0, &m);
	CHECK_EQ_INT(m.today, day0 + SP_DAY_MS);
	const struct sp_service_view *va = &m.services[ia];
	const struct sp_day *y = &va->days[SP_DAYS - 2];
	const struct sp_day *t = &va->days[SP_DAYS - 1];
	CHECK_EQ_INT(y->start, day0);
	CHECK(y->has_data);
	CHECK_EQ_INT(y->worst, CS_MAJOR_OUTAGE);
	CHECK_EQ_INT(y->n_incidents, 2);
	/* Observed from creation (00:53:20) to midnight: 83200 s. The
	 * critical hour is down; the minor's other 2 h are up. */
	CHECK_NEAR(y->uptime, 1.0 - 3600.0 / 83200.0);
	CHECK(t->has_data);
	CHECK_EQ_INT(t->worst, CS_OPERATIONAL);
	CHECK_NEAR(t->uptime, 1.0);
	CHECK(!va->days[0].has_data); /* before the service existed */
	CHECK(va->has_uptime);
	CHECK_NEAR(va->uptime, 1.0 - 3600.0 / (83200.0 + 6 * 3600.0));
	CHECK_EQ_INT(m.services[iw].days[SP_DAYS - 2].worst, CS_OPERATIONAL);
	CHECK_EQ_INT(m.n_active, 0);
	CHECK_EQ_INT(m.history[0].n, 0);
	CHECK_EQ_INT(m.history[1].n, 2);
	CHECK_STR(m.history[1].list[0]->title, "Outage"); /* newest first */
	statuspage_model_cleanup(&m);
	statuspage_snapshot_cleanup(&s);

	/* An open incident without services still sets the banner; a
	 * reopened one counts again. */
	new_incident(&f, "Something", "major", NULL, -1, bare);
	post(&f, inc1, "identified");
	CHECK_EQ_INT(statuspage_load(&f.core, f.owner.org_id, &s), 0);
	CHECK_EQ_INT(s.overall, CS_PARTIAL_OUTAGE);
	ia = service_index(&s, api);
	CHECK_EQ_INT(s.status[ia], CS_DEGRADED);
	statuspage_model(&s, clock_now(&f.clock), NULL, 0, &m);
	CHECK_EQ_INT(m.n_active, 2);
	CHECK_STR(m.active[0]->title, "Something");
	statuspage_model_cleanup(&m);
	statuspage_snapshot_cleanup(&s);

	/* Publishing the draft brings it in. */
	struct incident inc;
	struct kerr err;
	CHECK_EQ_INT(incident_publish(&f.core, &f.owner, draft, &inc, &err), 0);
	incident_cleanup(&inc);
	CHECK_EQ_INT(statuspage_load(&f.core, f.owner.org_id, &s), 0);
	CHECK(statuspage_find(&s, draft) != NULL);
	CHECK_EQ_INT(s.overall, CS_MAJOR_OUTAGE);
	statuspage_snapshot_cleanup(&s);
	fixture_cleanup(&f);
}

static void test_settings(void)
{
	struct fixture f;
	fixture_init(&f);
	struct page_settings ps;
	struct kerr err;
	CHECK_EQ_INT(page_settings_get(&f.core, f.owner.org_id, &ps), 0);
	CHECK(ps.name[0] != '\0'); /* the organization's name */
	CHECK_STR(ps.accent_color, PAGE_ACCENT_DEFAULT);
	CHECK_STR(ps.logo_url, "");

	struct page_settings_patch p = { .has_name = true, .name = "Acme",
					 .has_logo_url = true,
					 .logo_url = "https://acme.test/l.png",
					 .has_accent_color = true,
					 .accent_color = "#AbCdEf" };
	CHECK_EQ_INT(page_settings_update(&f.core, &f.owner, &p, &ps, &err), 0);
	CHECK_STR(ps.name, "Acme");
	CHECK_STR(ps.logo_url, "https://acme.test/l.png");
	CHECK_STR(ps.accent_color, "#abcdef");

	static const char *const bad_colors[] = { "#abc", "abcdef", "#abcdeg",
						  "red", "#abcdef0", "" };
	for (size_t i = 0; i < sizeof(bad_colors) / sizeof(*bad_colors); i++) {
		struct page_settings_patch q = { .has_accent_color = true,
						 .accent_color = bad_colors[i] };
		CHECK_EQ_INT(page_settings_update(&f.core, &f.owner, &q, &ps,
						  &err),
			     KODO_EINVAL);
		CHECK_STR(err.field, "accent_color");
	}
	static const char *const bad_urls[] = {
		"javascript:alert(1)", "ftp://x.com/l.png", "/logo.png",
		"https://", "https:///x", "http://x.com/a b", "data:image/png,AA"
	};
	for (size_t i = 0; i < sizeof(bad_urls) / sizeof(*bad_urls); i++) {
		struct page_settings_patch q = { .has_logo_url = true,
						 .logo_url = bad_urls[i] };
		CHECK_EQ_INT(page_settings_update(&f.core, &f.owner, &q, &ps,
						  &err),
			     KODO_EINVAL);
		CHECK_STR(err.field, "logo_url");
	}
	/* A failed patch changes nothing, even its valid parts. */
	struct page_settings_patch mixed = { .has_name = true, .name = "Other",
					     .has_accent_color = true,
					     .accent_color = "blue" };
	CHECK_EQ_INT(page_settings_update(&f.core, &f.owner, &mixed, &ps, &err),
		     KODO_EINVAL);
	CHECK_EQ_INT(page_settings_get(&f.core, f.owner.org_id, &ps), 0);
	CHECK_STR(ps.name, "Acme");

	struct principal member = f.owner;
	member.role = ROLE_MEMBER;
	CHECK_EQ_INT(page_settings_update(&f.core, &member, &p, &ps, &err),
		     KODO_EFORBIDDEN);

	/* null resets to the defaults */
	struct page_settings_patch reset = { .has_name = true,
					     .has_logo_url = true,
					     .has_accent_color = true };
	CHECK_EQ_INT(page_settings_update(&f.core, &f.owner, &reset, &ps, &err),
		     0);
	CHECK(strcmp(ps.name, "Acme") != 0 && ps.name[0]);
	CHECK_STR(ps.logo_url, "");
	CHECK_STR(ps.accent_color, PAGE_ACCENT_DEFAULT);
	fixture_cleanup(&f);
}

/* The page cache: served from memory until the data or the minute moves. */
static void test_page_cache(void)
{
	struct fixture f;
	fixture_init(&f);
	struct page_cache *pc = page_cache_new(&f.core);
	int rc = 0;
	CHECK(page_cache_get(pc, "nope", false, PAGE_HTML, NULL, &rc) == NULL);
	CHECK_EQ_INT(rc, KODO_ENOTFOUND);

	struct page_body *a = page_cache_get(pc, "default", true, PAGE_SUMMARY,
					     NULL, &rc);
	struct page_body *b = page_cache_get(pc, "default", true, PAGE_SUMMARY,
					     NULL, &rc);
	CHECK(a && a == b); /* the same bytes, not a new rendering */
	CHECK(a && strstr(a->data, "\"indicator\":\"none\"") != NULL);
	CHECK(a && a->gz && a->gz_len < a->len);
	page_body_unref(b);

	char svc[ID_LEN], inc[ID_LEN], draft[ID_LEN];
	new_service(&f, "API", svc);
	new_incident(&f, "Broken", "major", svc, -1, inc);
	new_incident(&f, "Hidden draft", "critical", svc, 1, draft);
	b = page_cache_get(pc, "default", true, PAGE_SUMMARY, NULL, &rc);
	CHECK(b && b != a); /* the write is seen by the very next request */
	CHECK(b && strstr(b->data, "Broken") && !strstr(b->data, "Hidden"));
	CHECK(b && strcmp(a->etag, b->etag) != 0);
	page_body_unref(a);
	page_body_unref(b);

	/* The HTML follows the clock too; JSON only the data. */
	a = page_cache_get(pc, "default", true, PAGE_HTML, NULL, &rc);
	b = page_cache_get(pc, "default", true, PAGE_HTML, NULL, &rc);
	CHECK(a && a == b);
	page_body_unref(b);
	clock_fake_advance(&f.clock, 61000);
	b = page_cache_get(pc, "default", true, PAGE_HTML, NULL, &rc);
	CHECK(b && b != a && b->minute == a->minute + 1);
	page_body_unref(a);
	page_body_unref(b);
	a = page_cache_get(pc, "default", true, PAGE_STATUS, NULL, &rc);
	clock_fake_advance(&f.clock, 61000);
	b = page_cache_get(pc, "default", true, PAGE_STATUS, NULL, &rc);
	CHECK(a && a == b);
	page_body_unref(a);
	page_body_unref(b);

	/* Incident pages: 200 when published, 404 for a draft, then 200 once
	 * it is published. */
	a = page_cache_get(pc, "default", true, PAGE_INCIDENT, inc, &rc);
	CHECK(a && a->status == 200 && strstr(a->data, "Broken"));
	page_body_unref(a);
	a = page_cache_get(pc, "default", true, PAGE_INCIDENT, draft, &rc);
	CHECK(a && a->status == 404 && !strstr(a->data, "Hidden"));
	page_body_unref(a);
	struct incident got;
	struct kerr err;
	CHECK_EQ_INT(incident_publish(&f.core, &f.owner, draft, &got, &err), 0);
	incident_cleanup(&got);
	a = page_cache_get(pc, "default", true, PAGE_INCIDENT, draft, &rc);
	CHECK(a && a->status == 200 && strstr(a->data, "Hidden draft"));
	page_body_unref(a);

	/* Root and slug pages of one org link to their own base. */
	a = page_cache_get(pc, "default", false, PAGE_HTML, NULL, &rc);
	CHECK(a && strstr(a->data, "href=\"/status/default/history.atom\""));
	page_body_unref(a);
	page_cache_free(pc);
	fixture_cleanup(&f);
}

/* The bar: one element per run of days alike in color and words, spanning
 * them, with the run's date range; no two neighbours alike. */
static void test_bar_runs(void)
{
	const int64_t day = 24 * HOUR;
	const int64_t dec29 = 1830038400000LL; /* 2027-12-29T00:00:00Z */
	struct incident inc = { .title = "DB <down>" };
	struct sp_day d[8] = { 0 };
	for (int i = 0; i < 8; i++) {
		d[i].start = dec29 + i * day;
		d[i].has_data = i >= 2;
		d[i].uptime = 1.0;
	}
	d[4].worst = CS_MAJOR_OUTAGE;
	d[4].uptime = 0.5;
	d[4].n_incidents = 1;
	d[4].incidents[0] = &inc;
	d[6].uptime = 0.99999; /* other words: its own element */
	struct buf b = BUF_INIT;
	public_render_bar(d, 8, &b);
	CHECK_STR(buf_str(&b),
		  "<li class=\"d nd\" style=\"--n:2\"><span>Dec 29 \u2013 "
		  "Dec 30, 2027: no data</span></li>"
		  "<li class=\"d s0\" style=\"--n:2\"><span>Dec 31, 2027 "
		  "\u2013 Jan 1, 2028: 100% uptime</span></li>"
		  "<li class=\"d s4\"><span>Jan 2, 2028: 50.00% uptime, Major "
		  "outage. Incidents: DB &lt;down&gt;</span></li>"
		  "<li class=\"d s0\"><span>Jan 3, 2028: 100% uptime</span></li>"
		  "<li class=\"d s0\"><span>Jan 4, 2028: 99.99% uptime</span></li>"
		  "<li class=\"d s0\"><span>Jan 5, 2028: 100% uptime</span></li>");
	buf_reset(&b);
	public_render_bar(d + 2, 2, &b); /* one run, one element */
	CHECK_STR(buf_str(&b), "<li class=\"d s0\" style=\"--n:2\"><span>Dec "
			       "31, 2027 \u2013 Jan 1, 2028: 100% uptime</span></li>");
	buf_cleanup(&b);
}

void suite_statuspage(void)
{
	test_bar_runs();
	test_page_cache();
	test_escape();
	test_markdown();
	test_day();
	test_model();
	test_settings();
}
