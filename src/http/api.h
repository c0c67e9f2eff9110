/*
 * api — the handlers of the REST API (/api/v1), one file per resource.
 * Each parses, calls core/, renders; see router.c for the route table.
 */
#ifndef KODO_HTTP_API_H
#define KODO_HTTP_API_H

#include <jansson.h>

#include "http/router.h"

/* Not every handler needs every argument. */
#define API_HANDLER(name)                                              \
	void name(struct app *app __attribute__((unused)),             \
		  struct http_req *req __attribute__((unused)),        \
		  struct http_resp *resp,                              \
		  const struct principal *who __attribute__((unused)))

API_HANDLER(api_health);
API_HANDLER(api_org_create);
API_HANDLER(api_service_list);
API_HANDLER(api_service_create);
API_HANDLER(api_service_get);
API_HANDLER(api_service_patch);
API_HANDLER(api_service_delete);
API_HANDLER(api_incident_list);
API_HANDLER(api_incident_create);
API_HANDLER(api_incident_get);
API_HANDLER(api_incident_patch);
API_HANDLER(api_incident_delete);
API_HANDLER(api_incident_update);
API_HANDLER(api_incident_publish);
API_HANDLER(api_automation_get);
API_HANDLER(api_automation_patch);
API_HANDLER(api_page_settings_get);
API_HANDLER(api_page_settings_patch);
API_HANDLER(api_monitor_list);
API_HANDLER(api_monitor_create);
API_HANDLER(api_monitor_get);
API_HANDLER(api_monitor_patch);
API_HANDLER(api_monitor_delete);
API_HANDLER(api_monitor_pause);
API_HANDLER(api_monitor_resume);
API_HANDLER(api_monitor_results);
API_HANDLER(api_monitor_events);
API_HANDLER(api_metrics);

#define LIST_LIMIT_DEFAULT 50
#define LIST_LIMIT_MAX 500

/* ?limit= (1-500, default 50) and ?cursor= (an opaque position from a
 * previous page's next_cursor, 0 when absent): 422 naming the parameter. */
int api_parse_page(const struct http_req *req, int64_t *limit, int64_t *after,
		   struct kerr *err);
/* A page of a list: 200 {"<key>": items, "next_cursor": the opaque text
 * of position next, or null when next is 0 (the last page). Takes items. */
void api_reply_page(struct http_resp *resp, const char *key, json_t *items,
		    int64_t next);

/* Renders {"<key>": obj} with status, or the error in err when rc != 0. */
void api_reply(struct http_resp *resp, int rc, const struct kerr *err,
	       int status, const char *key, json_t *obj);

#endif
