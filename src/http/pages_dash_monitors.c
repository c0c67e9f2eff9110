/*
 * pages_dash_monitors — Dashboard > Monitors: every monitor with its
 * current state and its recent checks, one monitor's page (results, the
 * safeguard pipeline's decisions, edit form), create, pause/resume and
 * delete. The same rules as /api/v1/monitors (core/monitor.h): only HTTP
 * monitors exist so far; changes need the admin role.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/monitor.h"
#include "core/service.h"
#include "http/pages_dash.h"
#include "util/alloc.h"
#include "util/text.h"

#define TICKS 20	 /* recent checks shown per monitor in the list */
#define RESULTS_SHOWN 50 /* on a monitor's page */
#define EVENTS_SHOWN 20
#define HEADERS_TEXT_MAX 32768

static const char *const method_options[][2] = {
	{ "GET", "GET" },     { "HEAD", "HEAD" },     { "POST", "POST" },
	{ "PUT", "PUT" },     { "PATCH", "PATCH" },   { "DELETE", "DELETE" },
	{ "OPTIONS", "OPTIONS" },
};

static const char *const severity_options[][2] = {
	{ "", "Default (major)" },
	{ "minor", "Minor" },
	{ "major", "Major" },
	{ "critical", "Critical" },
};

static void monitor_url(char *out, size_t cap, const char *id,
			const char *what)
{
	snprintf(out, cap, "/dashboard/monitors/%s%s%s", id, what ? "/" : "",
		 what ? what : "");
}

/* --- state --- */

static const char *state_key(const struct monitor_view *v)
{
	return v->m.paused ? "paused" : monitor_phase_name(v->state.phase);
}

static void state_badge(struct dash *d, const struct monitor_view *v)
{
	static const char *const labels[] = { "Unknown", "Up", "Down",
					      "Recovering" };
	const char *label = v->m.paused ? "Paused" : labels[v->state.phase];
	buf_printf(d->b, "<span class=\"mstate m-%s\">%s</span>", state_key(v),
		   label);
	if (v->state.flapping && !v->m.paused)
		buf_puts(d->b, " <span class=\"badge stale\">Flapping</span>");
}

/* The last checks, oldest first, as colored ticks with words. */
static void ticks(struct dash *d, const struct monitor_view *v)
{
	struct check_result *list = NULL;
	size_t n = 0;
	struct list_window w = { .limit = TICKS };
	if (monitor_results(&d->app->core, d->who, v->m.id, &w, &list, &n) != 0)
		n = 0;
	size_t fails = 0;
	for (size_t i = 0; i < n; i++)
		fails += !list[i].ok;
	if (!n) {
		buf_puts(d->b, "<span class=\"quiet\">No checks yet</span>");
		free(list);
		return;
	}
	buf_printf(d->b, "<ol class=\"ticks\" aria-label=\"Last %zu checks: "
			 "%zu passed, %zu failed\">",
		   n, n - fails, fails);
	for (size_t i = n; i-- > 0;) {
		buf_printf(d->b, "<li class=\"%s\" title=\"", list[i].ok ? "ok"
									 : "fail");
		dash_esc(d, list[i].ok ? "OK" : list[i].detail);
		buf_puts(d->b, "\"></li>");
	}
	buf_puts(d->b, "</ol>");
	free(list);
}

static void last_check(struct dash *d, const struct monitor_state *st)
{
	if (!st->last_check_at) {
		buf_puts(d->b, "<span class=\"quiet\">Never</span>");
		return;
	}
	dash_ago(d, st->last_check_at);
	buf_printf(d->b, ", %lld ms", (long long)st->last_latency_ms);
	if (!st->last_ok && st->last_reason[0]) {
		buf_puts(d->b, "<br><small class=\"warn\">");
		dash_esc(d, st->last_reason);
		buf_puts(d->b, "</small>");
	}
}

static void monitor_row(struct dash *d, const struct monitor_view *v)
{
	char url[128];
	monitor_url(url, sizeof(url), v->m.id, NULL);
	buf_printf(d->b, "<tr data-id=\"%s\"><th scope=\"row\"><a href=\"%s\">",
		   v->m.id, url);
	dash_esc(d, v->m.name);
	buf_puts(d->b, "</a><br><small class=\"quiet url\">");
	dash_esc(d, v->m.http.url);
	buf_puts(d->b, "</small></th><td data-label=\"State\">");
	state_badge(d, v);
	buf_puts(d->b, "</td><td data-label=\"Recent checks\">");
	ticks(d, v);
	buf_puts(d->b, "</td><td data-label=\"Last check\">");
	last_check(d, &v->state);
	buf_printf(d->b, "</td><td data-label=\"Interval\" class=\"nowrap\">"
			 "every %lld s</td><td>",
		   (long long)v->m.http.interval_s);
	if (v->state.incident_id[0])
		buf_printf(d->b, "<a href=\"/dashboard/incidents/%s\">Open "
				 "incident</a>",
			   v->state.incident_id);
	buf_puts(d->b, "</td></tr>\n");
}

void dash_monitors(struct dash *d)
{
	struct monitor_view *list = NULL;
	size_t n = 0;
	int rc = monitor_list(&d->app->core, d->who, &list, &n);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	dash_begin(d, 200, "Monitors", "monitors");
	buf_puts(d->b, "<div class=\"head\"><h1>Monitors</h1>");
	if (dash_can(d, ROLE_ADMIN))
		buf_puts(d->b, "<a class=\"button\" href=\"/dashboard/monitors/"
			       "new\">New monitor</a>");
	buf_puts(d->b, "</div>\n");
	dash_flash(d);
	if (!n)
		buf_puts(d->b, "<p class=\"empty\">No monitors yet. A monitor "
			       "checks a URL and opens an incident (source "
			       "Auto: Uptime) when it keeps failing.</p>\n");
	else
		buf_puts(d->b, "<div class=\"scroll\"><table class=\"list cards\" "
			       "id=\"monitors\"><caption class=\"sr\">Monitors"
			       "</caption><thead><tr><th scope=\"col\">Monitor"
			       "</th><th scope=\"col\">State</th><th scope=\"col\">"
			       "Recent checks</th><th scope=\"col\">Last check"
			       "</th><th scope=\"col\">Interval</th><th "
			       "scope=\"col\">Incident</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++)
		monitor_row(d, &list[i]);
	if (n)
		buf_puts(d->b, "</tbody></table></div>\n");
	monitor_view_list_free(list, n);
	dash_end(d);
}

/* --- the form --- */

/* What a parsed form owns besides the form's own strings. */
struct parsed {
	const char *services[101];
	char *expected_text; /* split in place */
	const char *expected[MONITOR_MAX_RANGES + 1];
	char *headers_text;
	const char *names[MONITOR_MAX_HEADERS + 1];
	const char *values[MONITOR_MAX_HEADERS + 1];
};

static void parsed_cleanup(struct parsed *p)
{
	free(p->expected_text);
	free(p->headers_text);
}

static int parse_int(const struct dash *d, const char *name, int64_t min,
		     int64_t max, bool nullable, struct opt_int *out,
		     struct kerr *err)
{
	const char *v = form_get(&d->form, name);
	if (!v)
		return 0;
	out->set = true;
	if (!*v) {
		if (nullable) {
			out->null = true;
			return 0;
		}
		out->set = false;
		return 0;
	}
	if (!text_parse_int(v, min, max, &out->v))
		return kerr_set(err, KODO_EINVAL, name,
				"%s must be a whole number from %lld to %lld",
				name, (long long)min, (long long)max);
	return 0;
}

static int parse_expected(const struct dash *d, struct monitor_input *in,
			  struct parsed *p, struct kerr *err)
{
	const char *v = form_get(&d->form, "expected_status");
	if (!v)
		return 0;
	p->expected_text = xstrdup(v);
	size_t n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(p->expected_text, ", \n\t", &save); tok;
	     tok = strtok_r(NULL, ", \n\t", &save)) {
		if (n == MONITOR_MAX_RANGES)
			return kerr_set(err, KODO_EINVAL, "expected_status",
					"at most %d codes or ranges",
					MONITOR_MAX_RANGES);
		p->expected[n++] = tok;
	}
	in->has_expected = true;
	in->expected = p->expected;
	in->n_expected = n;
	return 0;
}

/* One "Name: value" per line. */
static int parse_headers(const struct dash *d, struct monitor_input *in,
			 struct parsed *p, struct kerr *err)
{
	const char *v = form_get(&d->form, "headers");
	if (!v)
		return 0;
	if (strlen(v) > HEADERS_TEXT_MAX)
		return kerr_set(err, KODO_EINVAL, "headers",
				"headers are too long");
	p->headers_text = xstrdup(v);
	size_t n = 0;
	char *save = NULL;
	for (char *line = strtok_r(p->headers_text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line)
			continue;
		if (!colon || n == MONITOR_MAX_HEADERS)
			return kerr_set(err, KODO_EINVAL, "headers",
					"write one \"Name: value\" per line, "
					"at most %d",
					MONITOR_MAX_HEADERS);
		*colon = '\0';
		char *value = colon + 1;
		while (*value == ' ' || *value == '\t')
			value++;
		for (char *end = colon; end > line && end[-1] == ' '; end--)
			end[-1] = '\0';
		p->names[n] = line;
		p->values[n++] = value;
	}
	in->has_headers = true;
	in->header_names = p->names;
	in->header_values = p->values;
	in->n_headers = n;
	return 0;
}

static int parse_form(const struct dash *d, struct monitor_input *in,
		      struct parsed *p, struct kerr *err)
{
	memset(p, 0, sizeof(*p));
	in->name = form_get(&d->form, "name");
	in->url = form_get(&d->form, "url");
	in->method = form_get(&d->form, "method");
	const char *sev = form_get(&d->form, "severity");
	in->has_severity = sev != NULL;
	in->severity = sev && *sev ? sev : NULL;
	const char *kw = form_get(&d->form, "keyword");
	in->has_keyword = kw != NULL;
	in->keyword = kw && *kw ? kw : NULL;
	in->has_services = true;
	in->n_services = form_get_all(&d->form, "services", p->services, 101);
	in->services = p->services;
	in->tls_verify = (struct opt_int){ true, false,
					   form_get(&d->form, "tls_verify") != NULL };
	int rc = parse_int(d, "interval_s", MONITOR_INTERVAL_MIN,
			   MONITOR_INTERVAL_MAX, false, &in->interval_s, err);
	if (rc == 0)
		rc = parse_int(d, "timeout_ms", 100, 86400000, false,
			       &in->timeout_ms, err);
	if (rc == 0)
		rc = parse_int(d, "failures_to_open", 1, 100, true,
			       &in->failures_to_open, err);
	if (rc == 0)
		rc = parse_int(d, "cert_expiry_days", 0, 365, false,
			       &in->cert_expiry_days, err);
	if (rc == 0)
		rc = parse_expected(d, in, p, err);
	if (rc == 0)
		rc = parse_headers(d, in, p, err);
	return rc;
}

static void expected_text(struct buf *out, const struct http_spec *h)
{
	for (int i = 0; i < h->n_expected; i++) {
		if (i)
			buf_puts(out, ", ");
		if (h->expected[i].lo == h->expected[i].hi)
			buf_printf(out, "%d", h->expected[i].lo);
		else
			buf_printf(out, "%d-%d", h->expected[i].lo,
				   h->expected[i].hi);
	}
}

static void service_boxes(struct dash *d, const struct monitor *m)
{
	struct service_view *svcs = NULL;
	size_t n = 0;
	if (service_list(&d->app->core, d->who->org_id, &svcs, &n) != 0)
		n = 0;
	const char *posted[101];
	size_t n_posted = d->post ? form_get_all(&d->form, "services", posted,
						 101)
				  : 0;
	buf_puts(d->b, "<fieldset class=\"field\"><legend>Services</legend>"
		       "<small class=\"hint\">Its incidents affect these "
		       "services.</small>");
	for (size_t i = 0; i < n; i++) {
		bool on = false;
		for (size_t k = 0; k < n_posted; k++)
			on = on || strcmp(posted[k], svcs[i].svc.id) == 0;
		for (size_t k = 0; !d->post && m && k < m->n_services; k++)
			on = on || strcmp(m->services[k].id, svcs[i].svc.id) == 0;
		dash_checkbox(d, "services", svcs[i].svc.id, svcs[i].svc.name, on);
	}
	if (!n)
		buf_puts(d->b, "<p class=\"quiet\">No services yet.</p>");
	buf_puts(d->b, "</fieldset>\n");
	service_view_list_free(svcs, n);
}

static void int_text(char *out, size_t cap, int64_t v)
{
	snprintf(out, cap, "%lld", (long long)v);
}

static void monitor_fields(struct dash *d, const struct monitor *m,
			   const struct kerr *err)
{
	const struct http_spec *h = m ? &m->http : NULL;
	char interval[24] = "60", timeout[24] = "10000", fto[24] = "",
	     cert[24] = "30";
	struct buf exp = BUF_INIT, hdr = BUF_INIT;
	if (h) {
		int_text(interval, sizeof(interval), h->interval_s);
		int_text(timeout, sizeof(timeout), h->timeout_ms);
		int_text(cert, sizeof(cert), h->cert_expiry_days);
		expected_text(&exp, h);
		for (size_t i = 0; i < h->n_headers; i++)
			buf_printf(&hdr, "%s: %s\n", h->headers[i].name,
				   h->headers[i].value);
	}
	if (m && m->failures_to_open)
		int_text(fto, sizeof(fto), m->failures_to_open);
	dash_input(d, "text", "name", "Name",
		   dash_value(d, "name", m ? m->name : NULL), NULL,
		   "maxlength=\"100\" required", err);
	dash_input(d, "url", "url", "URL", dash_value(d, "url", h ? h->url : NULL),
		   "An http:// or https:// address Kodo can reach.",
		   "maxlength=\"2048\" required", err);
	dash_select(d, "method", "Method", method_options, 7,
		    dash_value(d, "method", h ? h->method : "GET"), err);
	dash_input(d, "number", "interval_s", "Check every (seconds)",
		   dash_value(d, "interval_s", interval), NULL,
		   "min=\"10\" max=\"86400\" required", err);
	dash_input(d, "number", "timeout_ms", "Timeout (milliseconds)",
		   dash_value(d, "timeout_ms", timeout), NULL,
		   "min=\"100\" required", err);
	dash_input(d, "text", "expected_status", "Expected status",
		   dash_value(d, "expected_status",
			      h ? buf_str(&exp) : "200-399"),
		   "Codes or ranges, e.g. 200-399 or 200, 204.", "required",
		   err);
	dash_input(d, "text", "keyword", "Keyword",
		   dash_value(d, "keyword", h ? h->keyword : NULL),
		   "Optional: the body must contain this text.",
		   "maxlength=\"1000\"", err);
	dash_textarea(d, "headers", "Request headers",
		      dash_value(d, "headers", buf_str(&hdr)),
		      "Optional: one \"Name: value\" per line.", "rows=\"2\"",
		      err);
	service_boxes(d, m);
	dash_select(d, "severity", "Severity of its incidents",
		    severity_options, 4,
		    dash_value(d, "severity",
			       m && m->severity ? severity_name(m->severity)
						: ""),
		    err);
	dash_input(d, "number", "failures_to_open", "Failures before an incident",
		   dash_value(d, "failures_to_open", fto),
		   "Empty: the organization's setting (Settings > Automation).",
		   "min=\"1\" max=\"100\"", err);
	dash_input(d, "number", "cert_expiry_days",
		   "Warn when the certificate expires within (days)",
		   dash_value(d, "cert_expiry_days", cert), NULL,
		   "min=\"0\" max=\"365\"", err);
	bool tls = d->post ? form_get(&d->form, "tls_verify") != NULL
			   : (!h || h->tls_verify);
	dash_checkbox(d, "tls_verify", "1", "Verify TLS certificates", tls);
	buf_cleanup(&exp);
	buf_cleanup(&hdr);
}

/* After a create or an update: the form again with what is wrong, or
 * the monitor's page with the notice. */
static void saved(struct dash *d, int rc, const struct kerr *err,
		  struct monitor_view *v,
		  void (*again)(struct dash *, const struct kerr *),
		  const char *notice)
{
	if (rc == KODO_EINVAL) {
		again(d, err);
		return;
	}
	if (rc) {
		dash_fail(d, rc, err);
		return;
	}
	char url[128];
	monitor_url(url, sizeof(url), v->m.id, NULL);
	monitor_cleanup(&v->m);
	dash_done(d, url, notice);
}

static void new_page(struct dash *d, const struct kerr *err)
{
	buf_reset(d->b);
	dash_begin(d, err ? http_status_of(err->code) : 200, "New monitor",
		   "monitors");
	buf_puts(d->b, "<p class=\"back\"><a href=\"/dashboard/monitors\">"
		       "&larr; Monitors</a></p><section class=\"card\">"
		       "<h1>New HTTP monitor</h1>\n");
	dash_error_box(d, err);
	dash_form_open(d, "/dashboard/monitors", "stack");
	monitor_fields(d, NULL, err);
	buf_puts(d->b, "<div class=\"actions\"><button type=\"submit\">Create "
		       "monitor</button> <a href=\"/dashboard/monitors\">Cancel"
		       "</a></div></form></section>\n");
	dash_end(d);
}

void dash_monitor_new(struct dash *d)
{
	new_page(d, NULL);
}

void dash_monitor_create(struct dash *d)
{
	struct monitor_input in = { 0 };
	struct parsed p;
	struct kerr err = { 0 };
	struct monitor_view v;
	in.type = "http";
	int rc = parse_form(d, &in, &p, &err);
	if (rc == 0)
		rc = monitor_create(&d->app->core, d->who, &in, &v, &err);
	parsed_cleanup(&p);
	saved(d, rc, &err, &v, new_page, "monitor_created");
}

/* --- one monitor --- */

static void results_table(struct dash *d, const struct monitor_view *v)
{
	struct check_result *list = NULL;
	size_t n = 0;
	struct list_window w = { .limit = RESULTS_SHOWN };
	if (monitor_results(&d->app->core, d->who, v->m.id, &w, &list, &n) != 0)
		n = 0;
	buf_puts(d->b, "<section class=\"card\" aria-labelledby=\"res-h\"><h2 "
		       "id=\"res-h\">Recent checks</h2>");
	if (!n)
		buf_puts(d->b, "<p class=\"quiet\">No checks yet.</p>");
	else
		buf_puts(d->b, "<div class=\"scroll\"><table class=\"list\" "
			       "id=\"results\"><thead><tr><th scope=\"col\">Time"
			       "</th><th scope=\"col\">Result</th><th scope=\"col\">"
			       "HTTP</th><th scope=\"col\">Latency</th><th "
			       "scope=\"col\">Detail</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct check_result *r = &list[i];
		buf_puts(d->b, "<tr><td>");
		dash_time(d, r->at);
		buf_printf(d->b, "</td><td><span class=\"mstate m-%s\">%s</span>"
				 "</td><td>",
			   r->ok ? "up" : "down", r->ok ? "OK" : "Failed");
		if (r->http_status)
			buf_printf(d->b, "%d", r->http_status);
		else
			buf_puts(d->b, "—");
		buf_printf(d->b, "</td><td>%lld ms</td><td>",
			   (long long)r->latency_ms);
		dash_esc(d, r->detail);
		buf_puts(d->b, "</td></tr>");
	}
	if (n)
		buf_puts(d->b, "</tbody></table></div>");
	buf_puts(d->b, "</section>\n");
	free(list);
}

static void events_list(struct dash *d, const struct monitor_view *v)
{
	struct monitor_event *list = NULL;
	size_t n = 0;
	struct list_window w = { .limit = EVENTS_SHOWN };
	if (monitor_events(&d->app->core, d->who, v->m.id, &w, &list, &n) != 0)
		n = 0;
	buf_puts(d->b, "<section class=\"card\" aria-labelledby=\"ev-h\"><h2 "
		       "id=\"ev-h\">Decisions</h2><p class=\"quiet\">What the "
		       "safeguards decided, newest first.</p>");
	if (!n)
		buf_puts(d->b, "<p class=\"quiet\">Nothing yet.</p>");
	else
		buf_puts(d->b, "<ol class=\"events\">");
	for (size_t i = 0; i < n; i++) {
		buf_puts(d->b, "<li>");
		dash_time(d, list[i].at);
		buf_puts(d->b, " <strong>");
		dash_esc(d, list[i].kind);
		buf_puts(d->b, "</strong> ");
		dash_esc(d, list[i].detail);
		if (list[i].incident_id[0])
			buf_printf(d->b, " <a href=\"/dashboard/incidents/%s\">"
					 "incident</a>",
				   list[i].incident_id);
		buf_puts(d->b, "</li>");
	}
	if (n)
		buf_puts(d->b, "</ol>");
	buf_puts(d->b, "</section>\n");
	store_events_free(list, n);
}

static void monitor_page(struct dash *d, const struct kerr *err)
{
	struct monitor_view v;
	int rc = monitor_get(&d->app->core, d->who, d->req->params[0], &v);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	char url[128];
	buf_reset(d->b);
	dash_begin(d, err ? http_status_of(err->code) : 200, v.m.name,
		   "monitors");
	buf_puts(d->b, "<p class=\"back\"><a href=\"/dashboard/monitors\">"
		       "&larr; Monitors</a></p>\n");
	dash_flash(d);
	buf_puts(d->b, "<section class=\"card\"><div class=\"head\"><h1>");
	dash_esc(d, v.m.name);
	buf_puts(d->b, "</h1>");
	if (dash_can(d, ROLE_ADMIN)) {
		monitor_url(url, sizeof(url), v.m.id,
			    v.m.paused ? "resume" : "pause");
		dash_button_form(d, url, v.m.paused ? "Resume" : "Pause",
				 "secondary");
	}
	buf_puts(d->b, "</div><p class=\"meta\">");
	state_badge(d, &v);
	buf_puts(d->b, " <span class=\"url\">");
	dash_esc(d, v.m.http.method);
	buf_puts(d->b, " ");
	dash_esc(d, v.m.http.url);
	buf_puts(d->b, "</span></p><dl class=\"facts\"><dt>Last check</dt><dd>");
	last_check(d, &v.state);
	buf_puts(d->b, "</dd><dt>Recent checks</dt><dd>");
	ticks(d, &v);
	buf_puts(d->b, "</dd>");
	if (v.state.incident_id[0])
		buf_printf(d->b, "<dt>Incident</dt><dd><a href=\"/dashboard/"
				 "incidents/%s\">Open incident</a></dd>",
			   v.state.incident_id);
	buf_puts(d->b, "</dl></section>\n");
	results_table(d, &v);
	events_list(d, &v);
	if (dash_can(d, ROLE_ADMIN)) {
		buf_printf(d->b, "<details class=\"card\"%s><summary>Edit "
				 "monitor</summary>",
			   err ? " open" : "");
		dash_error_box(d, err);
		monitor_url(url, sizeof(url), v.m.id, NULL);
		dash_form_open(d, url, "stack");
		monitor_fields(d, &v.m, err);
		monitor_url(url, sizeof(url), v.m.id, "delete");
		buf_printf(d->b, "<div class=\"actions\"><button type=\"submit\">"
				 "Save</button> <a class=\"button danger\" "
				 "href=\"%s\">Delete…</a></div></form></details>\n",
			   url);
	}
	dash_end(d);
	monitor_cleanup(&v.m);
}

void dash_monitor(struct dash *d)
{
	monitor_page(d, NULL);
}

void dash_monitor_save(struct dash *d)
{
	struct monitor_input in = { 0 };
	struct parsed p;
	struct kerr err = { 0 };
	struct monitor_view v;
	int rc = parse_form(d, &in, &p, &err);
	if (rc == 0)
		rc = monitor_update(&d->app->core, d->who, d->req->params[0],
				    &in, &v, &err);
	parsed_cleanup(&p);
	saved(d, rc, &err, &v, monitor_page, "monitor_saved");
}

static void set_paused(struct dash *d, bool paused)
{
	struct kerr err = { 0 };
	struct monitor_view v;
	int rc = monitor_set_paused(&d->app->core, d->who, d->req->params[0],
				    paused, &v, &err);
	if (rc) {
		dash_fail(d, rc, &err);
		return;
	}
	char url[128];
	monitor_url(url, sizeof(url), v.m.id, NULL);
	monitor_cleanup(&v.m);
	dash_done(d, url, paused ? "monitor_paused" : "monitor_resumed");
}

void dash_monitor_pause(struct dash *d)
{
	set_paused(d, true);
}

void dash_monitor_resume(struct dash *d)
{
	set_paused(d, false);
}

void dash_monitor_delete(struct dash *d)
{
	struct monitor_view v;
	int rc = monitor_get(&d->app->core, d->who, d->req->params[0], &v);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	struct kerr err = { 0 };
	if (d->post) {
		rc = monitor_delete(&d->app->core, d->who, v.m.id, &err);
		if (rc)
			dash_fail(d, rc, &err);
		else
			dash_done(d, "/dashboard/monitors", "monitor_deleted");
		monitor_cleanup(&v.m);
		return;
	}
	char url[128];
	monitor_url(url, sizeof(url), v.m.id, "delete");
	dash_begin(d, 200, "Delete monitor", "monitors");
	buf_puts(d->b, "<section class=\"card narrow\"><h1>Delete ");
	dash_esc(d, v.m.name);
	buf_puts(d->b, "?</h1><p>Its checks stop and its results are deleted. "
		       "Incidents it opened stay. This cannot be undone.</p>");
	dash_form_open(d, url, NULL);
	monitor_url(url, sizeof(url), v.m.id, NULL);
	buf_printf(d->b, "<div class=\"actions\"><button type=\"submit\" "
			 "class=\"danger\">Delete monitor</button> <a "
			 "href=\"%s\">Cancel</a></div></form></section>\n",
		   url);
	dash_end(d);
	monitor_cleanup(&v.m);
}
