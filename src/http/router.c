/*
 * router — see router.h. The table of every route Kodo serves is here, so
 * that the HTTP surface can be read in one place.
 */
#include "http/router.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/auth.h"
#include "core/rate.h"
#include "core/session.h"
#include "http/api.h"
#include "http/cookie.h"
#include "util/alloc.h"

static const struct route routes[] = {
	{ "GET", "/healthz", api_health, AUTH_NONE },
	{ "POST", "/api/v1/organizations", api_org_create, AUTH_TOKEN },
	{ "GET", "/api/v1/services", api_service_list, AUTH_TOKEN },
	{ "POST", "/api/v1/services", api_service_create, AUTH_TOKEN },
	{ "GET", "/api/v1/services/{}", api_service_get, AUTH_TOKEN },
	{ "PATCH", "/api/v1/services/{}", api_service_patch, AUTH_TOKEN },
	{ "DELETE", "/api/v1/services/{}", api_service_delete, AUTH_TOKEN },
	{ "GET", "/api/v1/incidents", api_incident_list, AUTH_TOKEN },
	{ "POST", "/api/v1/incidents", api_incident_create, AUTH_TOKEN },
	{ "GET", "/api/v1/incidents/{}", api_incident_get, AUTH_TOKEN },
	{ "PATCH", "/api/v1/incidents/{}", api_incident_patch, AUTH_TOKEN },
	{ "DELETE", "/api/v1/incidents/{}", api_incident_delete, AUTH_TOKEN },
	{ "POST", "/api/v1/incidents/{}/updates", api_incident_update,
	  AUTH_TOKEN },
	{ "POST", "/api/v1/incidents/{}/publish", api_incident_publish,
	  AUTH_TOKEN },
	{ "GET", "/api/v1/settings/automation", api_automation_get, AUTH_TOKEN },
	{ "PATCH", "/api/v1/settings/automation", api_automation_patch,
	  AUTH_TOKEN },
	{ "GET", "/api/v1/settings/status-page", api_page_settings_get,
	  AUTH_TOKEN },
	{ "PATCH", "/api/v1/settings/status-page", api_page_settings_patch,
	  AUTH_TOKEN },
	{ "GET", "/api/v1/monitors", api_monitor_list, AUTH_TOKEN },
	{ "POST", "/api/v1/monitors", api_monitor_create, AUTH_TOKEN },
	{ "GET", "/api/v1/monitors/{}", api_monitor_get, AUTH_TOKEN },
	{ "PATCH", "/api/v1/monitors/{}", api_monitor_patch, AUTH_TOKEN },
	{ "DELETE", "/api/v1/monitors/{}", api_monitor_delete, AUTH_TOKEN },
	{ "POST", "/api/v1/monitors/{}/pause", api_monitor_pause, AUTH_TOKEN },
	{ "POST", "/api/v1/monitors/{}/resume", api_monitor_resume, AUTH_TOKEN },
	{ "GET", "/api/v1/monitors/{}/results", api_monitor_results, AUTH_TOKEN },
	{ "GET", "/api/v1/monitors/{}/events", api_monitor_events, AUTH_TOKEN },
	{ "GET", "/metrics", api_metrics, AUTH_NONE },
};

const struct route_table api_routes = { routes,
					 sizeof(routes) / sizeof(routes[0]) };

/* Most specific first is not needed: patterns never overlap. */
static const struct route_table *const tables[] = { &public_routes,
						    &dashboard_routes,
						    &api_routes };
#define N_TABLES (sizeof(tables) / sizeof(tables[0]))
#define SEGMENT_MAX 64

/* An id segment: short, and only characters ids are made of. */
static bool segment_ok(const char *s, size_t n)
{
	if (n == 0 || n > SEGMENT_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* Matches path against pattern; segments matched by {} go to params. */
static bool match(const char *pattern, const char *path, char params[][SEGMENT_MAX + 1])
{
	int n = 0;
	while (*pattern && *path) {
		if (pattern[0] == '{' && pattern[1] == '}') {
			size_t len = strcspn(path, "/");
			if (!segment_ok(path, len) || n >= HTTP_MAX_PARAMS)
				return false;
			memcpy(params[n], path, len);
			params[n++][len] = '\0';
			path += len;
			pattern += 2;
		} else if (*pattern++ != *path++) {
			return false;
		}
	}
	return *pattern == '\0' && *path == '\0';
}

static bool authenticate(struct app *app, const struct http_req *req,
			 struct principal *who)
{
	const char *token = req_header(req, "X-API-Key");
	const char *auth = req_header(req, "Authorization");
	if (!token && auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		token = auth + 7;
		while (*token == ' ')
			token++;
	}
	if (token || auth)
		return token && auth_token(&app->core, token, who) == 0;
	/* The dashboard's session cookie; a write must also echo the
	 * session's CSRF token, which another site cannot read. */
	char cookie[SESSION_ID_LEN + 1];
	struct session_record s;
	if (!cookie_from_req(req, SESSION_COOKIE, cookie, sizeof(cookie)) ||
	    session_get(&app->core, cookie, &s) != 0)
		return false;
	bool read = strcmp(req->method, "GET") == 0 ||
		    strcmp(req->method, "HEAD") == 0;
	if (!read && !session_csrf_ok(&s, req_header(req, "X-CSRF-Token")))
		return false;
	*who = s.who;
	return true;
}

static void not_allowed(struct http_resp *resp, const char *path)
{
	char allow[64] = "";
	char params[HTTP_MAX_PARAMS][SEGMENT_MAX + 1];
	for (size_t t = 0; t < N_TABLES; t++) {
		for (size_t i = 0; i < tables[t]->n; i++) {
			const struct route *r = &tables[t]->routes[i];
			if (!match(r->pattern, path, params))
				continue;
			if (allow[0])
				strncat(allow, ", ",
					sizeof(allow) - strlen(allow) - 1);
			strncat(allow, r->method,
				sizeof(allow) - strlen(allow) - 1);
		}
	}
	resp_json_text(resp, 405,
		       xstrdup("{\"error\":{\"code\":\"method_not_allowed\","
			       "\"message\":\"this route does not accept that "
			       "method\"}}"));
	resp_header(resp, "Allow", allow);
}

/* 429 with the whole seconds to wait, in the header and the words. */
static void rate_limited(struct http_resp *resp, int64_t wait_ms)
{
	char secs[24], msg[96];
	snprintf(secs, sizeof(secs), "%lld", (long long)((wait_ms + 999) / 1000));
	snprintf(msg, sizeof(msg),
		 "too many requests from this caller; retry in %s s", secs);
	resp_error_code(resp, KODO_ERATE, NULL, msg);
	resp_header(resp, "Retry-After", secs);
}

static void run_route(struct app *app, const struct route *r,
		      struct http_req *req, struct http_resp *resp,
		      char params[][SEGMENT_MAX + 1])
{
	for (int p = 0; p < HTTP_MAX_PARAMS; p++)
		req->params[p] = params[p];
	struct principal who;
	memset(&who, 0, sizeof(who));
	int64_t wait_ms = 0;
	if (r->auth == AUTH_TOKEN && !authenticate(app, req, &who)) {
		resp_error_code(resp, KODO_EAUTH, NULL,
				"a valid API token is required "
				"(Authorization: Bearer kodo_...)");
		resp_header(resp, "WWW-Authenticate", "Bearer");
	} else if (r->auth == AUTH_TOKEN &&
		   rate_admit(&app->core, &who, &wait_ms) != 0) {
		rate_limited(resp, wait_ms);
	} else {
		r->fn(app, req, resp, &who);
	}
	for (int p = 0; p < HTTP_MAX_PARAMS; p++)
		req->params[p] = NULL;
}

void router_dispatch(struct app *app, struct http_req *req,
		     struct http_resp *resp)
{
	const char *method = strcmp(req->method, "HEAD") == 0 ? "GET"
							      : req->method;
	char params[HTTP_MAX_PARAMS][SEGMENT_MAX + 1];
	bool path_known = false;
	for (size_t t = 0; t < N_TABLES; t++) {
		for (size_t i = 0; i < tables[t]->n; i++) {
			const struct route *r = &tables[t]->routes[i];
			if (!match(r->pattern, req->path, params))
				continue;
			path_known = true;
			if (strcmp(r->method, method) == 0) {
				run_route(app, r, req, resp, params);
				return;
			}
		}
	}
	if (path_known)
		not_allowed(resp, req->path);
	else
		resp_error_code(resp, KODO_ENOTFOUND, NULL, "no such route");
}
