/*
 * router — maps method and path to a handler, authenticates the caller,
 * and answers 401/404/405 itself. Path patterns use "{}" for one segment.
 */
#ifndef KODO_HTTP_ROUTER_H
#define KODO_HTTP_ROUTER_H

#include "http/app.h"

enum route_auth {
	AUTH_NONE,  /* public */
	AUTH_TOKEN, /* API token in Authorization: Bearer or X-API-Key */
};

typedef void (*route_fn)(struct app *app, struct http_req *req,
			 struct http_resp *resp, const struct principal *who);

struct route {
	const char *method;
	const char *pattern;
	route_fn fn;
	enum route_auth auth;
};

/* A module's routes; router.c walks every table in a fixed order. */
struct route_table {
	const struct route *routes;
	size_t n;
};

extern const struct route_table api_routes;	    /* router.c: /api/v1 */
extern const struct route_table public_routes;    /* pages_status.c */
extern const struct route_table dashboard_routes; /* pages_dashboard.c */

/* Fills resp for req. Any worker thread. */
void router_dispatch(struct app *app, struct http_req *req,
		     struct http_resp *resp);

#endif
