/*
 * pages_dashboard — the team dashboard: sign-in and the pages under
 * /dashboard. Filled in by the dashboard work (issue 5).
 */
#include "http/router.h"

static const struct route routes[] = {
	{ NULL, NULL, NULL, AUTH_NONE },
};

const struct route_table dashboard_routes = { routes, 0 };
