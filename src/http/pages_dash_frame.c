/*
 * pages_dash_frame — the dashboard's page frame and the small pieces
 * every section uses (see pages_dash.h): head and navigation, flash
 * messages, form controls, times, redirects and error pages.
 */
#include <stdio.h>
#include <string.h>

#include "http/page_cache.h"
#include "http/pages_dash.h"
#include "http/public.h"
#include "util/clock.h"
#include "util/html.h"

#define HTML_TYPE "text/html; charset=utf-8"

/* --- responses --- */

void dash_redirect(struct dash *d, const char *location)
{
	d->resp->status = 303;
	buf_reset(d->b);
	resp_header(d->resp, "Location", location);
}

void dash_done(struct dash *d, const char *location, const char *what)
{
	char url[512];
	snprintf(url, sizeof(url), "%s%cdone=%s", location,
		 strchr(location, '?') ? '&' : '?', what);
	dash_redirect(d, url);
}

void dash_error(struct dash *d, int status, const char *title,
		const char *message)
{
	buf_reset(d->b);
	dash_begin(d, status, title, NULL);
	buf_printf(d->b,
		   "<section class=\"card\"><h1>%s</h1><p>%s</p>"
		   "<p><a href=\"/dashboard/incidents\">Back to the "
		   "dashboard</a></p></section>\n",
		   title, message);
	dash_end(d);
}

void dash_fail(struct dash *d, int rc, const struct kerr *err)
{
	int status = http_status_of(rc);
	const char *title = status == 403   ? "Not allowed"
			    : status == 404 ? "Not found"
			    : status == 409 ? "Cannot do that now"
			    : status == 422 ? "Please check the form"
					    : "Something went wrong";
	buf_reset(d->b);
	dash_begin(d, status, title, NULL);
	buf_printf(d->b, "<section class=\"card\"><h1>%s</h1><p>", title);
	if (err && err->message[0])
		dash_esc(d, err->message);
	else if (status == 404)
		buf_puts(d->b, "There is no such thing here.");
	else if (status == 403)
		buf_puts(d->b, "Your role does not allow this.");
	else
		buf_puts(d->b, "The server could not do this; try again.");
	buf_puts(d->b, "</p><p><a href=\"/dashboard/incidents\">Back to the "
		       "dashboard</a></p></section>\n");
	dash_end(d);
}

/* --- the frame --- */

/* A versioned asset path, so that browsers may keep it for a day. */
static void asset_href(struct dash *d, const char *name)
{
	struct page_body *a =
		d->app->pages ? page_cache_asset(d->app->pages, name) : NULL;
	buf_printf(d->b, "/assets/%s", name);
	if (a) {
		buf_printf(d->b, "?v=%.8s", a->etag + 1);
		page_body_unref(a);
	}
}

static const struct {
	const char *key, *href, *label;
	enum role role;
} sections[] = {
	{ "incidents", "/dashboard/incidents", "Incidents", ROLE_VIEWER },
	{ "services", "/dashboard/services", "Services", ROLE_VIEWER },
	{ "monitors", "/dashboard/monitors", "Monitors", ROLE_VIEWER },
	{ "settings", "/dashboard/settings/automation", "Settings",
	  ROLE_VIEWER },
	{ "team", "/dashboard/team", "Team", ROLE_VIEWER },
};

static void nav(struct dash *d, const char *current)
{
	struct buf *b = d->b;
	buf_puts(b, "<nav class=\"sections\" aria-label=\"Dashboard\"><ul>");
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		bool here = current && strcmp(current, sections[i].key) == 0;
		buf_printf(b, "<li><a href=\"%s\"%s>%s</a></li>",
			   sections[i].href,
			   here ? " aria-current=\"page\"" : "",
			   sections[i].label);
	}
	buf_puts(b, "</ul></nav>");
}

static void top_bar(struct dash *d, const char *current)
{
	struct buf *b = d->b;
	buf_puts(b, "<header class=\"top\"><div class=\"wrap bar\">"
		    "<a class=\"brand\" href=\"/dashboard/incidents\">"
		    "<span class=\"name\">");
	dash_esc(d, d->s.org_name);
	buf_puts(b, "</span><span class=\"tag\">Dashboard</span></a>");
	nav(d, current);
	buf_puts(b, "<div class=\"me\"><a href=\"/dashboard/account\" "
		    "title=\"Your account\">");
	dash_esc(d, d->who->name);
	buf_printf(b, " <span class=\"role\">(%s)</span></a> "
		      "<a href=\"",
		   role_name(d->who->role));
	dash_public_href(d);
	buf_puts(b, "\">Status page</a> ");
	dash_form_open(d, "/logout", "inline");
	buf_puts(b, "<button type=\"submit\" class=\"link\">Sign out</button>"
		    "</form></div></div></header>\n");
}

void dash_begin(struct dash *d, int status, const char *title,
		const char *current)
{
	struct buf *b = d->b;
	d->resp->status = status;
	d->resp->content_type = HTML_TYPE;
	buf_puts(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n"
		    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		    "content=\"width=device-width, initial-scale=1\">\n"
		    "<meta name=\"color-scheme\" content=\"light dark\">\n"
		    "<meta name=\"robots\" content=\"noindex\">\n<title>");
	dash_esc(d, title);
	buf_puts(b, " · Kodo</title>\n<link rel=\"stylesheet\" href=\"");
	asset_href(d, "dashboard.css");
	buf_puts(b, "\">\n<script src=\"");
	asset_href(d, "dashboard.js");
	buf_puts(b, "\" defer></script>\n");
	/* For scripts that call the API with the session cookie. */
	if (d->who && d->s.row.csrf[0]) {
		buf_puts(b, "<meta name=\"csrf-token\" content=\"");
		html_escape_attr(b, d->s.row.csrf);
		buf_puts(b, "\">\n");
	}
	buf_puts(b, "</head>\n<body>\n"
		    "<a class=\"skip\" href=\"#main\">Skip to content</a>\n");
	if (d->who && d->who->org_id[0])
		top_bar(d, current);
	else
		buf_puts(b, "<header class=\"top\"><div class=\"wrap bar\">"
			    "<span class=\"brand\"><span class=\"name\">Kodo"
			    "</span></span></div></header>\n");
	buf_puts(b, "<main id=\"main\" class=\"wrap\">\n");
}

void dash_end(struct dash *d)
{
	buf_puts(d->b, "</main>\n<footer class=\"wrap foot\"><p>Times are in "
		       "UTC. Kodo.</p></footer>\n</body>\n</html>\n");
}

static const char *const flashes[][2] = {
	{ "incident_created", "Incident created." },
	{ "update_posted", "Update posted." },
	{ "incident_saved", "Incident saved." },
	{ "published", "Published: the incident is on the public status page." },
	{ "discarded", "Draft discarded." },
	{ "retro_saved", "Retrospective saved." },
	{ "service_created", "Service created." },
	{ "service_saved", "Service saved." },
	{ "service_deleted", "Service deleted." },
	{ "service_moved", "Order saved." },
	{ "monitor_created", "Monitor created." },
	{ "monitor_saved", "Monitor saved." },
	{ "monitor_paused", "Monitor paused." },
	{ "monitor_resumed", "Monitor resumed." },
	{ "monitor_deleted", "Monitor deleted." },
	{ "automation_saved", "Automation settings saved." },
	{ "page_saved", "Status page settings saved." },
	{ "token_revoked", "Token revoked: it no longer works." },
	{ "role_saved", "Role changed." },
	{ "user_removed", "User removed." },
	{ "password_changed",
	  "Password changed. Your other sessions were signed out." },
};

void dash_flash(struct dash *d)
{
	const char *what = req_query(d->req, "done");
	for (size_t i = 0; what && i < sizeof(flashes) / sizeof(flashes[0]);
	     i++)
		if (strcmp(what, flashes[i][0]) == 0)
			buf_printf(d->b,
				   "<p class=\"flash ok\" role=\"status\">%s</p>\n",
				   flashes[i][1]);
}

void dash_error_box(struct dash *d, const struct kerr *err)
{
	if (!err || !err->code)
		return;
	buf_puts(d->b, "<div class=\"flash bad\" role=\"alert\" id=\"form-error\">"
		       "<strong>Not saved.</strong> ");
	dash_esc(d, err->message[0] ? err->message : "Please check the form.");
	buf_puts(d->b, "</div>\n");
}

/* --- pieces --- */

void dash_esc(struct dash *d, const char *s)
{
	html_escape(d->b, s);
}

void dash_csrf(struct dash *d)
{
	buf_puts(d->b, "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_escape_attr(d->b, d->s.row.csrf);
	buf_puts(d->b, "\">");
}

void dash_form_open(struct dash *d, const char *action, const char *cls)
{
	buf_puts(d->b, "<form method=\"post\" action=\"");
	html_escape_attr(d->b, action);
	buf_puts(d->b, "\"");
	if (cls)
		buf_printf(d->b, " class=\"%s\"", cls);
	buf_puts(d->b, ">");
	dash_csrf(d);
}

void dash_button_form(struct dash *d, const char *action, const char *label,
		      const char *cls)
{
	dash_form_open(d, action, "inline");
	buf_printf(d->b, "<button type=\"submit\" class=\"%s\">%s</button></form>",
		   cls ? cls : "", label);
}

static bool names_field(const struct kerr *err, const char *name)
{
	return err && err->code && err->has_field &&
	       strcmp(err->field, name) == 0;
}

static void label_and_hint(struct dash *d, const char *name,
			   const char *label, const char *hint)
{
	buf_printf(d->b, "<label for=\"f-%s\">%s</label>", name, label);
	if (hint)
		buf_printf(d->b, "<small id=\"h-%s\" class=\"hint\">%s</small>",
			   name, hint);
}

static void invalid_attrs(struct dash *d, const char *name, const char *hint,
			  const struct kerr *err)
{
	if (hint)
		buf_printf(d->b, " aria-describedby=\"h-%s\"", name);
	if (names_field(err, name))
		buf_puts(d->b, " aria-invalid=\"true\" aria-errormessage=\"form-error\"");
}

void dash_input(struct dash *d, const char *type, const char *name,
		const char *label, const char *value, const char *hint,
		const char *attrs, const struct kerr *err)
{
	buf_puts(d->b, "<div class=\"field\">");
	label_and_hint(d, name, label, hint);
	buf_printf(d->b, "<input type=\"%s\" id=\"f-%s\" name=\"%s\"", type,
		   name, name);
	if (value) {
		buf_puts(d->b, " value=\"");
		html_escape_attr(d->b, value);
		buf_puts(d->b, "\"");
	}
	invalid_attrs(d, name, hint, err);
	buf_printf(d->b, " %s></div>\n", attrs ? attrs : "");
}

void dash_textarea(struct dash *d, const char *name, const char *label,
		   const char *value, const char *hint, const char *attrs,
		   const struct kerr *err)
{
	buf_puts(d->b, "<div class=\"field\">");
	label_and_hint(d, name, label, hint);
	buf_printf(d->b, "<textarea id=\"f-%s\" name=\"%s\"", name, name);
	invalid_attrs(d, name, hint, err);
	buf_printf(d->b, " %s>", attrs ? attrs : "");
	/* A newline right after <textarea> would be eaten by the parser. */
	if (value && value[0] == '\n')
		buf_putc(d->b, '\n');
	dash_esc(d, value);
	buf_puts(d->b, "</textarea></div>\n");
}

void dash_select(struct dash *d, const char *name, const char *label,
		 const char *const (*options)[2], size_t n,
		 const char *selected, const struct kerr *err)
{
	buf_puts(d->b, "<div class=\"field\">");
	label_and_hint(d, name, label, NULL);
	buf_printf(d->b, "<select id=\"f-%s\" name=\"%s\"", name, name);
	invalid_attrs(d, name, NULL, err);
	buf_puts(d->b, ">");
	for (size_t i = 0; i < n; i++) {
		buf_puts(d->b, "<option value=\"");
		html_escape_attr(d->b, options[i][0]);
		buf_puts(d->b, "\"");
		if (selected && strcmp(selected, options[i][0]) == 0)
			buf_puts(d->b, " selected");
		buf_puts(d->b, ">");
		dash_esc(d, options[i][1]);
		buf_puts(d->b, "</option>");
	}
	buf_puts(d->b, "</select></div>\n");
}

void dash_checkbox(struct dash *d, const char *name, const char *value,
		   const char *label, bool checked)
{
	buf_printf(d->b, "<label class=\"check\"><input type=\"checkbox\" "
			 "name=\"%s\" value=\"",
		   name);
	html_escape_attr(d->b, value);
	buf_printf(d->b, "\"%s> ", checked ? " checked" : "");
	dash_esc(d, label);
	buf_puts(d->b, "</label>\n");
}

const char *dash_value(const struct dash *d, const char *name,
		       const char *fallback)
{
	const char *v = d->post ? form_get(&d->form, name) : NULL;
	return v ? v : fallback;
}

void dash_age(struct dash *d, int64_t ms)
{
	int64_t s = (d->now - ms) / 1000;
	s = s < 0 ? 0 : s;
	if (s < 60)
		buf_printf(d->b, "%lld s", (long long)s);
	else if (s < 3600)
		buf_printf(d->b, "%lld min", (long long)(s / 60));
	else if (s < 86400 * 2)
		buf_printf(d->b, "%lld h", (long long)(s / 3600));
	else
		buf_printf(d->b, "%lld d", (long long)(s / 86400));
}

void dash_ago(struct dash *d, int64_t ms)
{
	if (d->now - ms < 60000) {
		buf_puts(d->b, "just now");
		return;
	}
	dash_age(d, ms);
	buf_puts(d->b, " ago");
}

void dash_time(struct dash *d, int64_t ms)
{
	char iso[TIME_RFC3339_LEN];
	time_format_rfc3339(ms, iso);
	buf_printf(d->b, "<time datetime=\"%s\">", iso);
	public_format_time(ms, d->b);
	buf_puts(d->b, "</time>");
}

void dash_public_href(struct dash *d)
{
	if (strcmp(d->s.org_slug, "default") == 0) {
		buf_puts(d->b, "/");
		return;
	}
	buf_puts(d->b, "/status/");
	html_escape_attr(d->b, d->s.org_slug);
}

bool dash_can(const struct dash *d, enum role role)
{
	return d->who && d->who->role >= role;
}
