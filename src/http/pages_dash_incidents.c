/*
 * pages_dash_incidents — Dashboard > Incidents: the list with its filters
 * and badges, Create Incident, and one incident's page (timeline, Post
 * update, edit, Publish / discard a draft, retrospective).
 *
 * Badges follow the product's docs: none for a manual incident; "API",
 * "Auto: Uptime", "Auto: Heartbeat", "Auto: Integration", "Auto: Beacon"
 * for the others; "Draft" for drafts; "Stale" for active incidents
 * without an update for the organization's stale_after_s (core/stale.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/incident.h"
#include "core/service.h"
#include "core/settings.h"
#include "core/stale.h"
#include "http/pages_dash.h"
#include "http/public.h"
#include "util/markdown.h"
#include "util/text.h"

#define LIST_PAGE 50

static const char *const source_badges[SRC_COUNT] = {
	NULL, "API", "Auto: Uptime", "Auto: Heartbeat", "Auto: Integration",
	"Auto: Beacon",
};

static const char *const source_options[][2] = {
	{ "", "All sources" },
	{ "manual", "Manual" },
	{ "api", "API" },
	{ "auto_uptime", "Auto: Uptime" },
	{ "auto_heartbeat", "Auto: Heartbeat" },
	{ "auto_integration", "Auto: Integration" },
	{ "auto_beacon", "Auto: Beacon" },
};

static const char *const status_options[][2] = {
	{ "investigating", "Investigating" },
	{ "identified", "Identified" },
	{ "monitoring", "Monitoring" },
	{ "resolved", "Resolved" },
};

static const char *const severity_help[][3] = {
	{ "minor", "Minor",
	  "Small number of users affected, workarounds available" },
	{ "major", "Major", "Significant impact, core functionality degraded" },
	{ "critical", "Critical", "Complete outage, all users affected" },
};

/* --- badges --- */

static void severity_badge(struct dash *d, enum severity s)
{
	buf_printf(d->b, "<span class=\"badge sev%d\">%s</span>", (int)s,
		   public_severity_label(s));
}

static void status_label(struct dash *d, enum incident_status s)
{
	buf_printf(d->b, "<span class=\"ust u%d\">%s</span>", (int)s,
		   public_incident_status_label(s));
}

/* Source, Draft and Stale: what the team must notice about an incident. */
static void flags(struct dash *d, const struct incident *inc, bool stale)
{
	const char *src = source_badges[inc->source];
	if (src)
		buf_printf(d->b, " <span class=\"badge src\">%s</span>", src);
	if (inc->draft)
		buf_puts(d->b, " <span class=\"badge draft\">Draft</span>");
	if (stale)
		buf_puts(d->b, " <span class=\"badge stale\">Stale</span>");
}

static void services_text(struct dash *d, const struct incident *inc)
{
	if (!inc->n_services) {
		buf_puts(d->b, "<span class=\"quiet\">None</span>");
		return;
	}
	for (size_t i = 0; i < inc->n_services; i++) {
		if (i)
			buf_puts(d->b, ", ");
		dash_esc(d, inc->services[i].name);
	}
}

static void incident_href(struct dash *d, const struct incident *inc)
{
	buf_printf(d->b, "/dashboard/incidents/%s", inc->id);
}

/* --- the list --- */

struct list_query {
	const char *state; /* active, resolved, drafts, all */
	const char *source;
	struct incident_filter f;
};

static void parse_query(struct dash *d, struct list_query *q)
{
	q->state = req_query(d->req, "state");
	if (!q->state || (strcmp(q->state, "resolved") != 0 &&
			  strcmp(q->state, "drafts") != 0 &&
			  strcmp(q->state, "all") != 0))
		q->state = "active";
	q->f = (struct incident_filter){ STATE_ACTIVE, -1, -1, LIST_PAGE, 0 };
	if (strcmp(q->state, "resolved") == 0)
		q->f.state = STATE_RESOLVED;
	else if (strcmp(q->state, "all") == 0)
		q->f.state = STATE_ALL;
	else if (strcmp(q->state, "drafts") == 0)
		q->f.state = STATE_ALL, q->f.draft = 1;
	enum incident_source src;
	q->source = req_query(d->req, "source");
	if (q->source && incident_source_parse(q->source, &src))
		q->f.source = (int)src;
	else
		q->source = "";
	const char *before = req_query(d->req, "before");
	int64_t seq;
	if (before && text_parse_int(before, 1, INT64_MAX, &seq))
		q->f.before_seq = seq;
}

static void filter_bar(struct dash *d, const struct list_query *q)
{
	static const char *const tabs[][2] = { { "active", "Active" },
					       { "resolved", "Resolved" },
					       { "drafts", "Drafts" },
					       { "all", "All" } };
	buf_puts(d->b, "<nav class=\"tabs\" aria-label=\"Incident filters\"><ul>");
	for (size_t i = 0; i < 4; i++) {
		buf_printf(d->b, "<li><a href=\"/dashboard/incidents?state=%s",
			   tabs[i][0]);
		if (q->source[0])
			buf_printf(d->b, "&amp;source=%s", q->source);
		buf_printf(d->b, "\"%s>%s</a></li>",
			   strcmp(q->state, tabs[i][0]) == 0
				   ? " aria-current=\"page\""
				   : "",
			   tabs[i][1]);
	}
	buf_puts(d->b, "</ul></nav>\n<form method=\"get\" "
		       "action=\"/dashboard/incidents\" class=\"filters\">");
	buf_printf(d->b, "<input type=\"hidden\" name=\"state\" value=\"%s\">",
		   q->state);
	dash_select(d, "source", "Source", source_options,
		    sizeof(source_options) / sizeof(source_options[0]),
		    q->source, NULL);
	buf_puts(d->b, "<button type=\"submit\" class=\"secondary\">Filter"
		       "</button></form>\n");
}

static void list_row(struct dash *d, const struct incident *inc,
		     const struct automation *au)
{
	int64_t last = 0;
	bool stale = incident_stale(inc, au, d->now, &last);
	buf_printf(d->b, "<tr class=\"inc%s\" data-id=\"%s\"><th scope=\"row\">"
			 "<a href=\"",
		   stale ? " is-stale" : "", inc->id);
	incident_href(d, inc);
	buf_puts(d->b, "\">");
	dash_esc(d, inc->title);
	buf_puts(d->b, "</a>");
	flags(d, inc, stale);
	buf_puts(d->b, "</th><td data-label=\"Severity\">");
	severity_badge(d, inc->severity);
	buf_puts(d->b, "</td><td data-label=\"Status\">");
	status_label(d, inc->status);
	buf_puts(d->b, "</td><td data-label=\"Services\">");
	services_text(d, inc);
	buf_puts(d->b, "</td><td data-label=\"Age\" class=\"nowrap\">");
	dash_age(d, inc->started_at);
	buf_puts(d->b, "</td><td data-label=\"Last update\">");
	dash_ago(d, last);
	if (stale)
		buf_puts(d->b, " <span class=\"warn\">(no update)</span>");
	buf_puts(d->b, "</td></tr>\n");
}

void dash_incidents(struct dash *d)
{
	struct list_query q;
	parse_query(d, &q);
	struct automation au;
	struct incident *list = NULL;
	size_t n = 0;
	int64_t next = 0;
	int rc = automation_get(&d->app->core, d->who, &au);
	if (rc == 0)
		rc = incident_list(&d->app->core, d->who, &q.f, &list, &n,
				   &next);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	dash_begin(d, 200, "Incidents", "incidents");
	buf_puts(d->b, "<div class=\"head\"><h1>Incidents</h1>");
	if (dash_can(d, ROLE_MEMBER))
		buf_puts(d->b, "<a class=\"button\" href=\"/dashboard/incidents/"
			       "new\">Create Incident</a>");
	buf_puts(d->b, "</div>\n");
	dash_flash(d);
	filter_bar(d, &q);
	if (!n) {
		buf_puts(d->b, "<p class=\"empty\">No incidents here.</p>\n");
	} else {
		buf_puts(d->b, "<div class=\"scroll\"><table class=\"list cards\" "
			       "id=\"incidents\"><caption class=\"sr\">Incidents"
			       "</caption><thead><tr><th scope=\"col\">Incident"
			       "</th><th scope=\"col\">Severity</th><th "
			       "scope=\"col\">Status</th><th scope=\"col\">"
			       "Affected services</th><th scope=\"col\">Age</th>"
			       "<th scope=\"col\">Last update</th></tr></thead>"
			       "<tbody>\n");
		for (size_t i = 0; i < n; i++)
			list_row(d, &list[i], &au);
		buf_puts(d->b, "</tbody></table></div>\n");
	}
	if (next) {
		buf_printf(d->b, "<p><a href=\"/dashboard/incidents?state=%s",
			   q.state);
		if (q.source[0])
			buf_printf(d->b, "&amp;source=%s", q.source);
		buf_printf(d->b, "&amp;before=%lld\">Older incidents</a></p>\n",
			   (long long)next);
	}
	store_incident_list_free(list, n);
	dash_end(d);
}

/* --- create --- */

/* Service checkboxes; checked: the POSTed ones (when this form was the
 * one posted), else the incident's. */
static void service_boxes(struct dash *d, const struct incident *inc,
			  bool posted_here)
{
	struct service_view *svcs = NULL;
	size_t n = 0;
	if (service_list(&d->app->core, d->who->org_id, &svcs, &n) != 0)
		n = 0;
	const char *posted[INCIDENT_SERVICES_MAX];
	size_t n_posted = posted_here ? form_get_all(&d->form, "services",
						     posted,
						     INCIDENT_SERVICES_MAX)
				      : 0;
	buf_puts(d->b, "<fieldset class=\"field\"><legend>Affected services"
		       "</legend>");
	if (!n)
		buf_puts(d->b, "<p class=\"quiet\">No services yet. <a href=\""
			       "/dashboard/services\">Add services</a> to show "
			       "which ones are affected.</p>");
	for (size_t i = 0; i < n; i++) {
		bool on = false;
		for (size_t k = 0; k < n_posted; k++)
			on = on || strcmp(posted[k], svcs[i].svc.id) == 0;
		for (size_t k = 0; !posted_here && inc && k < inc->n_services;
		     k++)
			on = on || strcmp(inc->services[k].id, svcs[i].svc.id) == 0;
		dash_checkbox(d, "services", svcs[i].svc.id, svcs[i].svc.name, on);
	}
	buf_puts(d->b, "</fieldset>\n");
	service_view_list_free(svcs, n);
}

static void severity_radios(struct dash *d, const char *current,
			    const struct kerr *err)
{
	bool bad = err && err->has_field && strcmp(err->field, "severity") == 0;
	buf_printf(d->b, "<fieldset class=\"field severity\"%s><legend>"
			 "Severity</legend>",
		   bad ? " aria-invalid=\"true\"" : "");
	for (size_t i = 0; i < 3; i++) {
		const char *v = severity_help[i][0];
		buf_printf(d->b,
			   "<label class=\"radio\"><input type=\"radio\" "
			   "name=\"severity\" value=\"%s\"%s required> "
			   "<strong>%s</strong> <small>%s</small></label>",
			   v, current && strcmp(current, v) == 0 ? " checked" : "",
			   severity_help[i][1], severity_help[i][2]);
	}
	buf_puts(d->b, "</fieldset>\n");
}

static void new_form(struct dash *d, const struct kerr *err)
{
	dash_begin(d, err ? 422 : 200, "Create Incident", "incidents");
	buf_puts(d->b, "<p class=\"back\"><a href=\"/dashboard/incidents\">"
		       "&larr; Incidents</a></p><section class=\"card\">"
		       "<h1>Create Incident</h1>\n");
	dash_error_box(d, err);
	dash_form_open(d, "/dashboard/incidents", "stack");
	dash_input(d, "text", "title", "Title", dash_value(d, "title", NULL),
		   "What users notice, e.g. \"Elevated API errors\".",
		   "maxlength=\"200\" required autofocus", err);
	severity_radios(d, dash_value(d, "severity", NULL), err);
	service_boxes(d, NULL, d->post);
	dash_select(d, "status", "Initial status", status_options, 4,
		    dash_value(d, "status", "investigating"), err);
	dash_textarea(d, "message", "Message",
		      dash_value(d, "message", NULL),
		      "The first update users read. Markdown: *emphasis*, "
		      "[links](https://example.com), lists.",
		      "rows=\"5\" maxlength=\"10000\" required", err);
	dash_checkbox(d, "draft", "1",
		      "Save as a draft (not on the public status page until "
		      "published)",
		      d->post && form_get(&d->form, "draft"));
	buf_puts(d->b, "<div class=\"actions\"><button type=\"submit\">Create"
		       "</button> <a href=\"/dashboard/incidents\">Cancel</a>"
		       "</div></form></section>\n");
	dash_end(d);
}

void dash_incident_new(struct dash *d)
{
	new_form(d, NULL);
}

void dash_incident_create(struct dash *d)
{
	const char *services[INCIDENT_SERVICES_MAX + 1];
	struct incident_input in = { 0 };
	in.title = form_get(&d->form, "title");
	in.severity = form_get(&d->form, "severity");
	in.status = form_get(&d->form, "status");
	in.message = form_get(&d->form, "message");
	in.draft = form_get(&d->form, "draft") ? 1 : 0;
	in.n_services = form_get_all(&d->form, "services", services,
				     INCIDENT_SERVICES_MAX + 1);
	in.has_services = in.n_services > 0;
	in.services = services;
	struct kerr err = { 0 };
	struct incident inc;
	int rc = incident_create(&d->app->core, d->who, &in, &inc, &err);
	if (rc == KODO_EINVAL) {
		new_form(d, &err);
		return;
	}
	if (rc) {
		dash_fail(d, rc, &err);
		return;
	}
	char url[128];
	snprintf(url, sizeof(url), "/dashboard/incidents/%s", inc.id);
	incident_cleanup(&inc);
	dash_done(d, url, "incident_created");
}

/* --- one incident --- */

static void timeline(struct dash *d, const struct incident *inc)
{
	buf_puts(d->b, "<ol class=\"timeline\">\n");
	for (size_t i = 0; i < inc->n_updates; i++) {
		const struct update *u = &inc->updates[i];
		buf_puts(d->b, "<li class=\"upd\"><p class=\"uh\">");
		status_label(d, u->status);
		buf_puts(d->b, " ");
		dash_time(d, u->created_at);
		buf_puts(d->b, " <span class=\"by\">by ");
		dash_esc(d, u->author);
		buf_puts(d->b, "</span></p><div class=\"md\">");
		markdown_to_html(u->message, d->b);
		buf_puts(d->b, "</div></li>\n");
	}
	buf_puts(d->b, "</ol>\n");
}

static void action_url(char *out, size_t cap, const struct incident *inc,
		       const char *what)
{
	snprintf(out, cap, "/dashboard/incidents/%s/%s", inc->id, what);
}

static void draft_box(struct dash *d, const struct incident *inc)
{
	char url[128];
	buf_puts(d->b, "<section class=\"notice draft\" aria-labelledby=\"dr-h\">"
		       "<h2 id=\"dr-h\">Draft</h2><p>This incident is not on the "
		       "public status page. Publish it to tell your users, or "
		       "discard it if it was a false alarm.</p>");
	if (dash_can(d, ROLE_MEMBER)) {
		buf_puts(d->b, "<div class=\"actions\">");
		action_url(url, sizeof(url), inc, "publish");
		dash_button_form(d, url, "Publish", "primary");
		action_url(url, sizeof(url), inc, "discard");
		buf_printf(d->b, " <a class=\"button danger\" href=\"%s\">"
				 "Discard draft</a></div>",
			   url);
	}
	buf_puts(d->b, "</section>\n");
}

static void update_form(struct dash *d, const struct incident *inc,
			const struct kerr *err)
{
	char url[128];
	action_url(url, sizeof(url), inc, "updates");
	buf_puts(d->b, "<section class=\"card\" aria-labelledby=\"post-h\">"
		       "<h2 id=\"post-h\">Post update</h2>\n");
	if (err && err->code && err->has_field &&
	    (strcmp(err->field, "status") == 0 ||
	     strcmp(err->field, "message") == 0))
		dash_error_box(d, err);
	dash_form_open(d, url, "stack");
	dash_select(d, "status", "Status", status_options, 4,
		    dash_value(d, "status",
			       incident_status_name(inc->status)),
		    err);
	dash_textarea(d, "message", "Message", dash_value(d, "message", NULL),
		      "What changed, what you know, when you will update next.",
		      "rows=\"4\" maxlength=\"10000\" required", err);
	buf_puts(d->b, "<div class=\"actions\"><button type=\"submit\">Post "
		       "update</button></div></form></section>\n");
}

static void edit_form(struct dash *d, const struct incident *inc,
		      const struct kerr *err)
{
	char url[128];
	action_url(url, sizeof(url), inc, "edit");
	bool open = err && err->code && err->has_field &&
		    (strcmp(err->field, "title") == 0 ||
		     strcmp(err->field, "severity") == 0 ||
		     strcmp(err->field, "services") == 0);
	buf_printf(d->b, "<details class=\"card\"%s><summary>Change title, "
			 "severity or services</summary>\n",
		   open ? " open" : "");
	if (open)
		dash_error_box(d, err);
	dash_form_open(d, url, "stack");
	buf_puts(d->b, "<input type=\"hidden\" name=\"edit\" value=\"1\">");
	dash_input(d, "text", "title", "Title",
		   dash_value(d, "title", inc->title), NULL,
		   "maxlength=\"200\" required", err);
	severity_radios(d, dash_value(d, "severity",
				      severity_name(inc->severity)),
			err);
	service_boxes(d, inc, d->post && form_get(&d->form, "edit"));
	buf_puts(d->b, "<div class=\"actions\"><button type=\"submit\" "
		       "class=\"secondary\">Save changes</button></div></form>"
		       "</details>\n");
}

static void retro_section(struct dash *d, const struct incident *inc,
			  const struct kerr *err)
{
	bool has = inc->retrospective && inc->retrospective[0];
	if (inc->status != IST_RESOLVED && !has)
		return;
	buf_puts(d->b, "<section class=\"card\" aria-labelledby=\"retro-h\">"
		       "<h2 id=\"retro-h\">Retrospective</h2>\n");
	if (has) {
		buf_puts(d->b, "<div class=\"md retro\">");
		markdown_to_html(inc->retrospective, d->b);
		buf_puts(d->b, "</div>\n");
	}
	if (dash_can(d, ROLE_MEMBER)) {
		char url[128];
		action_url(url, sizeof(url), inc, "retrospective");
		if (err && err->code && err->has_field &&
		    strcmp(err->field, "retrospective") == 0)
			dash_error_box(d, err);
		dash_form_open(d, url, "stack");
		dash_textarea(d, "retrospective",
			      has ? "Edit the retrospective"
				  : "What happened, and what you are doing so "
				    "that it does not happen again",
			      dash_value(d, "retrospective", inc->retrospective),
			      "Shown on the public incident page. Markdown.",
			      "rows=\"6\" maxlength=\"20000\"", err);
		buf_puts(d->b, "<div class=\"actions\"><button type=\"submit\" "
			       "class=\"secondary\">Save retrospective</button>"
			       "</div></form>\n");
	}
	buf_puts(d->b, "</section>\n");
}

static void incident_head(struct dash *d, const struct incident *inc,
			  bool stale, int64_t last)
{
	buf_printf(d->b, "<article class=\"incident sev%d\" id=\"incident\">"
			 "<div class=\"head\"><h1>",
		   (int)inc->severity);
	dash_esc(d, inc->title);
	buf_puts(d->b, "</h1>");
	if (!inc->draft) {
		buf_puts(d->b, "<a href=\"");
		if (strcmp(d->s.org_slug, "default") != 0) {
			buf_puts(d->b, "/status/");
			dash_esc(d, d->s.org_slug);
		}
		buf_printf(d->b, "/incidents/%s\">View on the status page</a>",
			   inc->id);
	}
	buf_puts(d->b, "</div>\n<p class=\"meta\">");
	severity_badge(d, inc->severity);
	buf_puts(d->b, " ");
	status_label(d, inc->status);
	flags(d, inc, stale);
	buf_puts(d->b, "</p>\n<dl class=\"facts\"><dt>Affected services</dt><dd>");
	services_text(d, inc);
	buf_puts(d->b, "</dd><dt>Started</dt><dd>");
	dash_time(d, inc->started_at);
	buf_puts(d->b, " (");
	dash_ago(d, inc->started_at);
	buf_puts(d->b, ")</dd>");
	if (inc->status == IST_RESOLVED) {
		buf_puts(d->b, "<dt>Resolved</dt><dd>");
		dash_time(d, inc->resolved_at);
		buf_puts(d->b, "</dd>");
	}
	buf_printf(d->b, "<dt>Source</dt><dd>%s</dd></dl>\n",
		   source_badges[inc->source] ? source_badges[inc->source]
					      : "Manual");
	if (stale) {
		buf_puts(d->b, "<p class=\"notice stale\" role=\"status\"><strong>"
			       "No update for ");
		dash_age(d, last);
		buf_puts(d->b, ".</strong> Post an update to keep your users "
			       "informed, even if there is nothing new.</p>\n");
	}
}

static void incident_page(struct dash *d, const char *id,
			  const struct kerr *err)
{
	struct incident inc;
	struct automation au;
	int rc = incident_get(&d->app->core, d->who, id, &inc);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	if (automation_get(&d->app->core, d->who, &au) != 0)
		automation_defaults(&au);
	int64_t last = 0;
	bool stale = incident_stale(&inc, &au, d->now, &last);
	buf_reset(d->b);
	dash_begin(d, err && err->code ? http_status_of(err->code) : 200,
		   inc.title, "incidents");
	buf_puts(d->b, "<p class=\"back\"><a href=\"/dashboard/incidents\">"
		       "&larr; Incidents</a></p>\n");
	dash_flash(d);
	incident_head(d, &inc, stale, last);
	if (inc.draft)
		draft_box(d, &inc);
	if (dash_can(d, ROLE_MEMBER))
		update_form(d, &inc, err);
	buf_puts(d->b, "<section class=\"card\" aria-labelledby=\"tl-h\"><h2 "
		       "id=\"tl-h\">Timeline</h2>\n");
	timeline(d, &inc);
	buf_puts(d->b, "</section>\n");
	retro_section(d, &inc, err);
	if (dash_can(d, ROLE_MEMBER))
		edit_form(d, &inc, err);
	buf_puts(d->b, "</article>\n");
	dash_end(d);
	incident_cleanup(&inc);
}

void dash_incident(struct dash *d)
{
	incident_page(d, d->req->params[0], NULL);
}

/* After a write: back to the page, or the page again with the error. */
static void after_write(struct dash *d, int rc, const struct kerr *err,
			const char *done)
{
	if (rc == KODO_EINVAL) {
		incident_page(d, d->req->params[0], err);
	} else if (rc) {
		dash_fail(d, rc, err);
	} else {
		char url[128];
		snprintf(url, sizeof(url), "/dashboard/incidents/%s",
			 d->req->params[0]);
		dash_done(d, url, done);
	}
}

void dash_incident_update(struct dash *d)
{
	struct kerr err = { 0 };
	struct incident inc;
	int rc = incident_post_update(&d->app->core, d->who, d->req->params[0],
				      form_get(&d->form, "status"),
				      form_get(&d->form, "message"), &inc, &err);
	if (rc == 0)
		incident_cleanup(&inc);
	after_write(d, rc, &err, "update_posted");
}

void dash_incident_edit(struct dash *d)
{
	const char *services[INCIDENT_SERVICES_MAX + 1];
	struct incident_input in = { 0 };
	in.draft = -1;
	in.title = form_get(&d->form, "title");
	in.severity = form_get(&d->form, "severity");
	in.has_services = true;
	in.n_services = form_get_all(&d->form, "services", services,
				     INCIDENT_SERVICES_MAX + 1);
	in.services = services;
	struct kerr err = { 0 };
	struct incident inc;
	int rc = incident_patch(&d->app->core, d->who, d->req->params[0], &in,
				&inc, &err);
	if (rc == 0)
		incident_cleanup(&inc);
	after_write(d, rc, &err, "incident_saved");
}

void dash_incident_retro(struct dash *d)
{
	struct incident_input in = { 0 };
	in.draft = -1;
	in.has_retrospective = true;
	in.retrospective = form_get(&d->form, "retrospective");
	struct kerr err = { 0 };
	struct incident inc;
	int rc = incident_patch(&d->app->core, d->who, d->req->params[0], &in,
				&inc, &err);
	if (rc == 0)
		incident_cleanup(&inc);
	after_write(d, rc, &err, "retro_saved");
}

void dash_incident_publish(struct dash *d)
{
	struct kerr err = { 0 };
	struct incident inc;
	int rc = incident_publish(&d->app->core, d->who, d->req->params[0],
				  &inc, &err);
	if (rc == 0)
		incident_cleanup(&inc);
	after_write(d, rc, &err, "published");
}

void dash_incident_discard(struct dash *d)
{
	struct incident inc;
	int rc = incident_get(&d->app->core, d->who, d->req->params[0], &inc);
	if (rc) {
		dash_fail(d, rc, NULL);
		return;
	}
	struct kerr err = { 0 };
	if (d->post) {
		rc = incident_delete(&d->app->core, d->who, d->req->params[0],
				     &err);
		if (rc)
			dash_fail(d, rc, &err);
		else
			dash_done(d, "/dashboard/incidents?state=drafts",
				  "discarded");
		incident_cleanup(&inc);
		return;
	}
	char url[128];
	action_url(url, sizeof(url), &inc, "discard");
	dash_begin(d, 200, "Discard draft", "incidents");
	buf_puts(d->b, "<section class=\"card narrow\"><h1>Discard this draft?"
		       "</h1><p>");
	dash_esc(d, inc.title);
	buf_puts(d->b, "</p>");
	if (!inc.draft)
		buf_puts(d->b, "<p class=\"flash bad\">This incident is published: "
			       "resolve it instead.</p>");
	buf_puts(d->b, "<p>It is deleted with its timeline; this cannot be "
		       "undone.</p>");
	dash_form_open(d, url, NULL);
	buf_printf(d->b, "<div class=\"actions\"><button type=\"submit\" "
			 "class=\"danger\">Discard draft</button> <a "
			 "href=\"/dashboard/incidents/%s\">Cancel</a></div>"
			 "</form></section>\n",
		   inc.id);
	dash_end(d);
	incident_cleanup(&inc);
}
