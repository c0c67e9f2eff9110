/*
 * pages_dashboard — the team dashboard: its routes, sign-in (/login),
 * sign-out (/logout), invitations (/invite/{token}) and the gate every
 * dashboard page passes (see pages_dash.h for the sections).
 *
 * The gate: no live session → 303 to /login (with ?next=); a POST must
 * be a URL-encoded form whose csrf field matches the session's token
 * (403 otherwise) and comes from a user whose role allows the route's
 * writes (403: viewers read only). Sign-in itself is protected from
 * cross-site posts by a second cookie (kodo_pre) that the form echoes.
 * Every page is sent with a strict Content-Security-Policy, no framing,
 * and Cache-Control: no-store (the server's default).
 */
#include <stdio.h>
#include <string.h>

#include "core/rate.h"
#include "core/session.h"
#include "core/user.h"
#include "http/cookie.h"
#include "http/page_cache.h"
#include "http/pages_dash.h"
#include "http/router.h"
#include "util/html.h"
#include "util/log.h"

#define DASH_CSP                                                        \
	"default-src 'none'; script-src 'self'; style-src 'self'; "     \
	"img-src 'self' https: data:; connect-src 'self'; "             \
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
#define PRE_COOKIE "kodo_pre" /* sign-in form token (login CSRF) */
#define PRE_CHARS 32
#define PRE_MAX_AGE_S 86400
#define HOME "/dashboard/incidents"

static void security_headers(struct http_resp *resp)
{
	resp_header(resp, "Content-Security-Policy", DASH_CSP);
	resp_header(resp, "X-Frame-Options", "DENY");
	resp_header(resp, "Referrer-Policy", "same-origin");
}

static void session_cookie(struct dash *d, const char *value)
{
	cookie_set(d->resp, d->req, SESSION_COOKIE, value,
		   value ? SESSION_MAX_MS / 1000 : 0);
}

/* The path to come back to after sign-in: only our own pages. */
static bool next_ok(const char *next)
{
	if (!next || strncmp(next, "/dashboard", 10) != 0 ||
	    strlen(next) > 200)
		return false;
	for (const char *p = next; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("/_-", *p)))
			return false;
	return true;
}

/* --- the gate --- */

static void to_login(struct dash *d)
{
	char url[256];
	bool back = next_ok(d->req->path) && !d->post;
	snprintf(url, sizeof(url), "/login%s%s", back ? "?next=" : "",
		 back ? d->req->path : "");
	dash_redirect(d, url);
}

static bool post_ok(struct dash *d, enum role role)
{
	struct kerr err = { 0 };
	int rc = form_parse(d->req, &d->form, &err);
	if (rc) {
		dash_fail(d, rc, &err);
		return false;
	}
	if (!session_csrf_ok(&d->s, form_get(&d->form, "csrf"))) {
		log_info("dashboard: CSRF check failed for %s", d->req->path);
		dash_error(d, 403, "The form expired",
			   "This form was not sent from this dashboard session "
			   "(or it is too old). Go back, reload the page and "
			   "try again.");
		return false;
	}
	if (d->who->role < role) {
		dash_error(d, 403, "Not allowed",
			   "Your role does not allow changes here. Ask an "
			   "admin of your organization.");
		return false;
	}
	return true;
}

/* Over the session's rate limit (core/rate.h): 429, nothing done. */
static void slow_down(struct dash *d, int64_t wait_ms)
{
	char secs[24], words[128];
	snprintf(secs, sizeof(secs), "%lld", (long long)((wait_ms + 999) / 1000));
	snprintf(words, sizeof(words),
		 "Too many requests from this session. Try again in %s s.",
		 secs);
	dash_error(d, 429, "Slow down", words);
	resp_header(d->resp, "Retry-After", secs);
}

static void dash_run(struct app *app, struct http_req *req,
		     struct http_resp *resp, dash_fn fn, enum role role)
{
	struct dash d = { .app = app, .req = req, .resp = resp,
			  .b = &resp->body };
	d.post = strcmp(req->method, "POST") == 0;
	d.now = clock_now(app->core.clock);
	security_headers(resp);
	char cookie[SESSION_ID_LEN + 1];
	int rc = cookie_from_req(req, SESSION_COOKIE, cookie, sizeof(cookie))
			 ? session_get(&app->core, cookie, &d.s)
			 : KODO_EAUTH;
	if (rc == KODO_EAUTH) {
		to_login(&d);
		return;
	}
	if (rc) {
		dash_fail(&d, rc, NULL);
		return;
	}
	d.who = &d.s.who;
	int64_t wait_ms = 0;
	if (rate_admit(&app->core, d.who, &wait_ms) != 0)
		slow_down(&d, wait_ms);
	else if (d.post ? post_ok(&d, role) : d.who->role >= role)
		fn(&d);
	else if (!d.post)
		dash_error(&d, 403, "Not allowed",
			   "Your role does not allow this page.");
	form_cleanup(&d.form);
}

static void dash_home(struct dash *d)
{
	dash_redirect(d, HOME);
}

/* Sign-out: the form in the top bar posts here. */
static void dash_logout(struct dash *d)
{
	char cookie[SESSION_ID_LEN + 1];
	if (d->post &&
	    cookie_from_req(d->req, SESSION_COOKIE, cookie, sizeof(cookie)))
		session_end(&d->app->core, cookie);
	if (!d->post) {
		dash_begin(d, 200, "Sign out", NULL);
		buf_puts(d->b, "<section class=\"card narrow\"><h1>Sign out</h1>"
			       "<p>Sign out of this browser?</p>");
		dash_form_open(d, "/logout", NULL);
		buf_puts(d->b, "<button type=\"submit\">Sign out</button></form>"
			       "</section>\n");
		dash_end(d);
		return;
	}
	session_cookie(d, NULL);
	dash_redirect(d, "/login?done=signed_out");
}

/* --- sign-in --- */

static bool pre_token(const struct http_req *req, char out[PRE_CHARS + 1])
{
	return cookie_from_req(req, PRE_COOKIE, out, PRE_CHARS + 1) &&
	       strlen(out) == PRE_CHARS;
}

/* The sign-in token of this browser, set when it has none yet. */
static void pre_token_ensure(struct dash *d, char out[PRE_CHARS + 1])
{
	if (pre_token(d->req, out))
		return;
	crypto_random_text(out, PRE_CHARS);
	cookie_set(d->resp, d->req, PRE_COOKIE, out, PRE_MAX_AGE_S);
}

static bool pre_token_ok(struct dash *d)
{
	char have[PRE_CHARS + 1];
	const char *sent = form_get(&d->form, "csrf");
	return pre_token(d->req, have) && sent && crypto_str_equal(have, sent);
}

struct login_view {
	int status;
	const char *error;   /* static text */
	bool ask_org;	     /* the login exists in several organizations */
};

static void login_page(struct dash *d, const struct login_view *v)
{
	char pre[PRE_CHARS + 1];
	pre_token_ensure(d, pre);
	dash_begin(d, v->status, "Sign in", NULL);
	struct buf *b = d->b;
	buf_puts(b, "<section class=\"card narrow\"><h1>Sign in</h1>\n");
	if (!d->post && req_query(d->req, "done"))
		buf_puts(b, "<p class=\"flash ok\" role=\"status\">You are "
			    "signed out.</p>\n");
	if (v->error)
		buf_printf(b, "<div class=\"flash bad\" role=\"alert\" "
			      "id=\"form-error\">%s</div>\n",
			   v->error);
	buf_puts(b, "<form method=\"post\" action=\"/login\">"
		    "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_escape_attr(b, pre);
	buf_puts(b, "\">");
	const char *next = d->post ? form_get(&d->form, "next")
				   : req_query(d->req, "next");
	if (next_ok(next))
		buf_printf(b, "<input type=\"hidden\" name=\"next\" value=\"%s\">",
			   next);
	const char *login = d->post ? form_get(&d->form, "login") : NULL;
	dash_input(d, "text", "login", "Email or name", login, NULL,
		   "autocomplete=\"username\" autocapitalize=\"none\" "
		   "spellcheck=\"false\" required autofocus",
		   NULL);
	dash_input(d, "password", "password", "Password", NULL, NULL,
		   "autocomplete=\"current-password\" required", NULL);
	const char *org = d->post ? form_get(&d->form, "org") : NULL;
	if (v->ask_org || (org && *org))
		dash_input(d, "text", "org", "Organization",
			   org, "The organization's short name (slug), as in "
				"its status page address.",
			   "autocapitalize=\"none\" spellcheck=\"false\"",
			   NULL);
	buf_puts(b, "<button type=\"submit\">Sign in</button></form>"
		    "</section>\n");
	dash_end(d);
}

static void login_get(struct app *app, struct http_req *req,
		      struct http_resp *resp, const struct principal *who)
{
	(void)who;
	struct dash d = { .app = app, .req = req, .resp = resp,
			  .b = &resp->body };
	d.now = clock_now(app->core.clock);
	security_headers(resp);
	char cookie[SESSION_ID_LEN + 1];
	if (cookie_from_req(req, SESSION_COOKIE, cookie, sizeof(cookie)) &&
	    session_get(&app->core, cookie, &d.s) == 0) {
		dash_redirect(&d, HOME);
		return;
	}
	struct login_view v = { 200, NULL, false };
	login_page(&d, &v);
}

static void login_result(struct dash *d, const struct login_result *r)
{
	char retry[24];
	struct login_view v = { 401,
				"That email or name and password do not "
				"match an account.",
				false };
	switch (r->outcome) {
	case LOGIN_OK: {
		session_cookie(d, r->cookie);
		const char *next = form_get(&d->form, "next");
		dash_redirect(d, next_ok(next) ? next : HOME);
		return;
	}
	case LOGIN_THROTTLED:
		snprintf(retry, sizeof(retry), "%lld",
			 (long long)r->retry_after_s);
		resp_header(d->resp, "Retry-After", retry);
		v.status = 429;
		v.error = "Too many failed sign-ins for this account. Wait a "
			  "few minutes, then try again.";
		break;
	case LOGIN_AMBIGUOUS:
		v.status = 409;
		v.error = "This account exists in several organizations. Enter "
			  "the organization too.";
		v.ask_org = true;
		break;
	case LOGIN_FAILED:
		break;
	}
	login_page(d, &v);
}

static void login_post(struct app *app, struct http_req *req,
		       struct http_resp *resp, const struct principal *who)
{
	(void)who;
	struct dash d = { .app = app, .req = req, .resp = resp,
			  .b = &resp->body, .post = true };
	d.now = clock_now(app->core.clock);
	security_headers(resp);
	struct kerr err = { 0 };
	int rc = form_parse(req, &d.form, &err);
	if (rc) {
		dash_fail(&d, rc, &err);
	} else if (!pre_token_ok(&d)) {
		struct login_view v = { 403,
					"The sign-in form expired (or this "
					"browser blocks cookies). Try again.",
					false };
		login_page(&d, &v);
	} else {
		struct login_request in = { form_get(&d.form, "login"),
					    form_get(&d.form, "password"),
					    form_get(&d.form, "org") };
		struct login_result r;
		rc = session_login(&app->core, &in, &r);
		if (rc)
			dash_fail(&d, rc, NULL);
		else
			login_result(&d, &r);
	}
	form_cleanup(&d.form);
}

/* --- invitations --- */

static void invite_page(struct dash *d, const struct user *u,
			const struct kerr *err)
{
	char pre[PRE_CHARS + 1];
	pre_token_ensure(d, pre);
	dash_begin(d, err && err->code ? http_status_of(err->code) : 200,
		   "Choose a password", NULL);
	struct buf *b = d->b;
	buf_puts(b, "<section class=\"card narrow\"><h1>Welcome, ");
	dash_esc(d, u->name);
	buf_puts(b, "</h1><p>Choose a password to finish setting up your "
		    "account. You will sign in with your ");
	buf_puts(b, u->email ? "email or name" : "name");
	buf_puts(b, ".</p>\n");
	dash_error_box(d, err);
	buf_puts(b, "<form method=\"post\" action=\"");
	html_escape_attr(b, d->req->path);
	buf_puts(b, "\"><input type=\"hidden\" name=\"csrf\" value=\"");
	html_escape_attr(b, pre);
	buf_puts(b, "\">");
	dash_input(d, "password", "password", "New password", NULL,
		   "At least 8 characters.",
		   "autocomplete=\"new-password\" minlength=\"8\" required",
		   err);
	buf_puts(b, "<button type=\"submit\">Save and sign in</button></form>"
		    "</section>\n");
	dash_end(d);
}

static void invite_route(struct app *app, struct http_req *req,
			 struct http_resp *resp, const struct principal *who)
{
	(void)who;
	struct dash d = { .app = app, .req = req, .resp = resp,
			  .b = &resp->body };
	d.post = strcmp(req->method, "POST") == 0;
	d.now = clock_now(app->core.clock);
	security_headers(resp);
	struct kerr err = { 0 };
	struct user u;
	int rc = user_invite_get(&app->core, req->params[0], &u);
	if (rc) {
		dash_error(&d, rc == KODO_ENOTFOUND ? 404 : 500,
			   "This invitation does not work",
			   "The link was used already or has expired. Ask an "
			   "admin of your organization for a new one.");
		return;
	}
	if (d.post && (rc = form_parse(req, &d.form, &err)) == 0 &&
	    !pre_token_ok(&d))
		rc = kerr_set(&err, KODO_EFORBIDDEN, NULL,
			      "The form expired; try again.");
	struct user done = { 0 };
	if (d.post && rc == 0)
		rc = user_invite_accept(&app->core, req->params[0],
					form_get(&d.form, "password"), &done,
					&err);
	char cookie[SESSION_ID_LEN];
	if (d.post && rc == 0) {
		rc = session_start(&app->core, &done, cookie, &d.s);
		user_cleanup(&done);
		if (rc == 0) {
			session_cookie(&d, cookie);
			dash_redirect(&d, HOME);
		}
	}
	if (!d.post || rc)
		invite_page(&d, &u, &err);
	user_cleanup(&u);
	form_cleanup(&d.form);
}

/* --- assets --- */

static void asset_route(struct app *app, struct http_req *req,
			struct http_resp *resp, const struct principal *who)
{
	(void)who;
	const char *name = strrchr(req->path, '/') + 1;
	struct page_body *b = app->pages ? page_cache_asset(app->pages, name)
					 : NULL;
	if (!b) {
		resp_error_code(resp, KODO_ENOTFOUND, NULL, "no such file");
		return;
	}
	resp->content_type = b->content_type;
	resp_header(resp, "ETag", b->etag);
	resp_header(resp, "Cache-Control", "public, max-age=86400");
	const char *inm = req_header(req, "If-None-Match");
	if (inm && strcmp(inm, b->etag) == 0) {
		resp->status = 304;
		page_body_unref(b);
		return;
	}
	resp->status = 200;
	resp->shared = (struct http_shared){ b->data, b->len, page_body_unref,
					     b };
}

/* --- routes --- */

/* One gate per page: the role that page needs (writes on a POST). */
#define PAGE(fn, role)                                                     \
	static void fn##_route(struct app *app, struct http_req *req,      \
			       struct http_resp *resp,                     \
			       const struct principal *who)                \
	{                                                                  \
		(void)who;                                                 \
		dash_run(app, req, resp, fn, role);                        \
	}

PAGE(dash_home, ROLE_VIEWER)
PAGE(dash_logout, ROLE_VIEWER)
PAGE(dash_incidents, ROLE_VIEWER)
PAGE(dash_incident_new, ROLE_MEMBER)
PAGE(dash_incident_create, ROLE_MEMBER)
PAGE(dash_incident, ROLE_VIEWER)
PAGE(dash_incident_update, ROLE_MEMBER)
PAGE(dash_incident_edit, ROLE_MEMBER)
PAGE(dash_incident_publish, ROLE_MEMBER)
PAGE(dash_incident_discard, ROLE_MEMBER)
PAGE(dash_incident_retro, ROLE_MEMBER)
PAGE(dash_services, ROLE_VIEWER)
PAGE(dash_service_create, ROLE_ADMIN)
PAGE(dash_service, ROLE_VIEWER)
PAGE(dash_service_save, ROLE_ADMIN)
PAGE(dash_service_move, ROLE_ADMIN)
PAGE(dash_service_delete, ROLE_ADMIN)
PAGE(dash_monitors, ROLE_VIEWER)
PAGE(dash_monitor_new, ROLE_ADMIN)
PAGE(dash_monitor_create, ROLE_ADMIN)
PAGE(dash_monitor, ROLE_VIEWER)
PAGE(dash_monitor_save, ROLE_ADMIN)
PAGE(dash_monitor_pause, ROLE_ADMIN)
PAGE(dash_monitor_resume, ROLE_ADMIN)
PAGE(dash_monitor_delete, ROLE_ADMIN)
PAGE(dash_automation, ROLE_VIEWER)
PAGE(dash_automation_save, ROLE_ADMIN)
PAGE(dash_status_page, ROLE_VIEWER)
PAGE(dash_status_page_save, ROLE_ADMIN)
PAGE(dash_tokens, ROLE_ADMIN)
PAGE(dash_token_create, ROLE_ADMIN)
PAGE(dash_token_revoke, ROLE_ADMIN)
PAGE(dash_team, ROLE_VIEWER)
PAGE(dash_user_create, ROLE_ADMIN)
PAGE(dash_user_role, ROLE_ADMIN)
PAGE(dash_user_delete, ROLE_ADMIN)
PAGE(dash_account, ROLE_VIEWER)
PAGE(dash_account_save, ROLE_VIEWER)
PAGE(dash_orgs, ROLE_VIEWER)
PAGE(dash_org_create, ROLE_VIEWER)

#define R(method, pattern, fn) { method, pattern, fn##_route, AUTH_NONE }
/* Literal segments ("new") come before the {} they would also match. */
static const struct route routes[] = {
	{ "GET", "/login", login_get, AUTH_NONE },
	{ "POST", "/login", login_post, AUTH_NONE },
	R("GET", "/logout", dash_logout),
	R("POST", "/logout", dash_logout),
	{ "GET", "/invite/{}", invite_route, AUTH_NONE },
	{ "POST", "/invite/{}", invite_route, AUTH_NONE },
	{ "GET", "/assets/dashboard.css", asset_route, AUTH_NONE },
	{ "GET", "/assets/dashboard.js", asset_route, AUTH_NONE },
	R("GET", "/dashboard", dash_home),
	R("GET", "/dashboard/", dash_home),
	R("GET", "/dashboard/incidents", dash_incidents),
	R("POST", "/dashboard/incidents", dash_incident_create),
	R("GET", "/dashboard/incidents/new", dash_incident_new),
	R("GET", "/dashboard/incidents/{}", dash_incident),
	R("POST", "/dashboard/incidents/{}/updates", dash_incident_update),
	R("POST", "/dashboard/incidents/{}/edit", dash_incident_edit),
	R("POST", "/dashboard/incidents/{}/publish", dash_incident_publish),
	R("GET", "/dashboard/incidents/{}/discard", dash_incident_discard),
	R("POST", "/dashboard/incidents/{}/discard", dash_incident_discard),
	R("POST", "/dashboard/incidents/{}/retrospective", dash_incident_retro),
	R("GET", "/dashboard/services", dash_services),
	R("POST", "/dashboard/services", dash_service_create),
	R("GET", "/dashboard/services/{}", dash_service),
	R("POST", "/dashboard/services/{}", dash_service_save),
	R("POST", "/dashboard/services/{}/move", dash_service_move),
	R("GET", "/dashboard/services/{}/delete", dash_service_delete),
	R("POST", "/dashboard/services/{}/delete", dash_service_delete),
	R("GET", "/dashboard/monitors", dash_monitors),
	R("POST", "/dashboard/monitors", dash_monitor_create),
	R("GET", "/dashboard/monitors/new", dash_monitor_new),
	R("GET", "/dashboard/monitors/{}", dash_monitor),
	R("POST", "/dashboard/monitors/{}", dash_monitor_save),
	R("POST", "/dashboard/monitors/{}/pause", dash_monitor_pause),
	R("POST", "/dashboard/monitors/{}/resume", dash_monitor_resume),
	R("GET", "/dashboard/monitors/{}/delete", dash_monitor_delete),
	R("POST", "/dashboard/monitors/{}/delete", dash_monitor_delete),
	R("GET", "/dashboard/settings", dash_automation),
	R("GET", "/dashboard/settings/automation", dash_automation),
	R("POST", "/dashboard/settings/automation", dash_automation_save),
	R("GET", "/dashboard/settings/status-page", dash_status_page),
	R("POST", "/dashboard/settings/status-page", dash_status_page_save),
	R("GET", "/dashboard/settings/tokens", dash_tokens),
	R("POST", "/dashboard/settings/tokens", dash_token_create),
	R("GET", "/dashboard/settings/tokens/{}/revoke", dash_token_revoke),
	R("POST", "/dashboard/settings/tokens/{}/revoke", dash_token_revoke),
	R("GET", "/dashboard/settings/organizations", dash_orgs),
	R("POST", "/dashboard/settings/organizations", dash_org_create),
	R("GET", "/dashboard/team", dash_team),
	R("POST", "/dashboard/team", dash_user_create),
	R("POST", "/dashboard/team/{}/role", dash_user_role),
	R("GET", "/dashboard/team/{}/remove", dash_user_delete),
	R("POST", "/dashboard/team/{}/remove", dash_user_delete),
	R("GET", "/dashboard/account", dash_account),
	R("POST", "/dashboard/account", dash_account_save),
};
#undef R

const struct route_table dashboard_routes = {
	routes, sizeof(routes) / sizeof(routes[0])
};
