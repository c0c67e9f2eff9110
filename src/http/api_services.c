/*
 * api_services — /api/v1/services.
 */
#include <stdio.h>

#include "core/service.h"
#include "http/api.h"
#include "http/json_in.h"
#include "http/json_out.h"

static int parse_input(const struct http_req *req, json_t **body,
		       struct service_input *in, struct kerr *err)
{
	static const char *const keys[] = { "name", "description", "group",
					    NULL };
	int rc = jin_body(req, body, err);
	if (rc == 0)
		rc = jin_known_keys(*body, keys, err);
	if (rc == 0)
		rc = jin_string(*body, "name", false, &in->name, NULL, err);
	if (rc == 0)
		rc = jin_string(*body, "description", false, &in->description,
				NULL, err);
	if (rc == 0)
		rc = jin_string(*body, "group", true, &in->group,
				&in->has_group, err);
	return rc;
}

static void reply_service(struct http_resp *resp, int rc,
			  const struct kerr *err, int status,
			  struct service_view *v)
{
	api_reply(resp, rc, err, status, "service", rc ? NULL : jout_service(v));
	if (rc == 0)
		service_cleanup(&v->svc);
}

API_HANDLER(api_service_create)
{
	struct kerr err = { 0 };
	struct service_input in = { 0 };
	struct service_view v = { 0 };
	json_t *body = NULL;
	int rc = parse_input(req, &body, &in, &err);
	if (rc == 0)
		rc = service_create(&app->core, who, &in, &v, &err);
	reply_service(resp, rc, &err, 201, &v);
	json_decref(body);
}

API_HANDLER(api_service_patch)
{
	struct kerr err = { 0 };
	struct service_input in = { 0 };
	struct service_view v = { 0 };
	json_t *body = NULL;
	int rc = parse_input(req, &body, &in, &err);
	if (rc == 0)
		rc = service_update(&app->core, who, req->params[0], &in, &v,
				    &err);
	reply_service(resp, rc, &err, 200, &v);
	json_decref(body);
}

API_HANDLER(api_service_get)
{
	struct service_view v = { 0 };
	int rc = service_get(&app->core, who, req->params[0], &v);
	reply_service(resp, rc, NULL, 200, &v);
}

API_HANDLER(api_service_delete)
{
	struct kerr err = { 0 };
	int rc = service_delete(&app->core, who, req->params[0], &err);
	if (rc) {
		api_reply(resp, rc, &err, 0, NULL, NULL);
		return;
	}
	resp->status = 204;
}

struct page {
	int64_t limit, after; /* after: the position of the last item seen */
};

/* Services come in display order; positions are unique per organization,
 * so a page resumes after the last position it showed. */
static void render_list(struct app *app, struct http_resp *resp,
			const struct principal *who, void *arg)
{
	const struct page *pg = arg;
	struct service_view *list = NULL;
	size_t n = 0;
	int rc = service_list(&app->core, who->org_id, &list, &n);
	if (rc) {
		api_reply(resp, rc, NULL, 0, NULL, NULL);
		return;
	}
	json_t *arr = json_array();
	int64_t shown = 0, last = 0;
	bool more = false;
	for (size_t i = 0; i < n; i++) {
		if (list[i].svc.position <= pg->after)
			continue;
		if (shown == pg->limit) {
			more = true;
			break;
		}
		json_array_append_new(arr, jout_service(&list[i]));
		last = list[i].svc.position;
		shown++;
	}
	service_view_list_free(list, n);
	api_reply_page(resp, "services", arr, more ? last : 0);
}

API_HANDLER(api_service_list)
{
	struct kerr err = { 0 };
	struct page pg;
	if (api_parse_page(req, &pg.limit, &pg.after, &err) != 0) {
		api_reply(resp, err.code, &err, 0, NULL, NULL);
		return;
	}
	char key[64];
	snprintf(key, sizeof(key), "services|%lld|%lld", (long long)pg.limit,
		 (long long)pg.after);
	app_cached(app, who, key, resp, render_list, &pg);
}
