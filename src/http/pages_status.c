/*
 * pages_status — the public status page routes (no auth; drafts never
 * appear). Filled in by the status page work (issue 3).
 */
#include "http/router.h"

static const struct route routes[] = {
	{ NULL, NULL, NULL, AUTH_NONE },
};

const struct route_table public_routes = { routes, 0 };
