/*
 * api_incidents — /api/v1/incidents and their updates.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/incident.h"
#include "http/api.h"
#include "http/json_in.h"
#include "http/json_out.h"
#include "util/text.h"


static int parse_input(const struct http_req *req, json_t **body,
		       struct incident_input *in, const char ***services,
		       struct kerr *err)
{
	static const char *const keys[] = { "title",	     "severity",
					    "services",      "message",
					    "status",	     "draft",
					    "retrospective", NULL };
	struct opt_int draft = { 0 };
	in->draft = -1;
	int rc = jin_body(req, body, err);
	if (rc == 0)
		rc = jin_known_keys(*body, keys, err);
	if (rc == 0)
		rc = jin_string(*body, "title", false, &in->title, NULL, err);
	if (rc == 0)
		rc = jin_string(*body, "severity", false, &in->severity, NULL,
				err);
	if (rc == 0)
		rc = jin_string(*body, "status", false, &in->status, NULL, err);
	if (rc == 0)
		rc = jin_string(*body, "message", false, &in->message, NULL,
				err);
	if (rc == 0)
		rc = jin_string(*body, "retrospective", true,
				&in->retrospective, &in->has_retrospective, err);
	if (rc == 0)
		rc = jin_bool(*body, "draft", &draft, err);
	if (rc == 0 && draft.set)
		in->draft = (int)draft.v;
	if (rc == 0)
		rc = jin_string_array(*body, "services", services,
				      &in->n_services, &in->has_services,
				      INCIDENT_SERVICES_MAX, err);
	in->services = *services;
	return rc;
}

static void reply_incident(struct http_resp *resp, int rc,
			   const struct kerr *err, int status,
			   struct incident *inc)
{
	api_reply(resp, rc, err, status, "incident",
		  rc ? NULL : jout_incident(inc));
	if (rc == 0)
		incident_cleanup(inc);
}

API_HANDLER(api_incident_create)
{
	struct kerr err = { 0 };
	struct incident_input in = { 0 };
	const char **services = NULL;
	struct incident inc = { 0 };
	json_t *body = NULL;
	int rc = parse_input(req, &body, &in, &services, &err);
	if (rc == 0 && in.has_retrospective)
		rc = kerr_set(&err, KODO_EINVAL, "retrospective",
			      "a retrospective is added with PATCH");
	if (rc == 0)
		rc = incident_create(&app->core, who, &in, &inc, &err);
	reply_incident(resp, rc, &err, 201, &inc);
	free(services);
	json_decref(body);
}

API_HANDLER(api_incident_patch)
{
	struct kerr err = { 0 };
	struct incident_input in = { 0 };
	const char **services = NULL;
	struct incident inc = { 0 };
	json_t *body = NULL;
	int rc = parse_input(req, &body, &in, &services, &err);
	if (rc == 0)
		rc = incident_patch(&app->core, who, req->params[0], &in, &inc,
				    &err);
	reply_incident(resp, rc, &err, 200, &inc);
	free(services);
	json_decref(body);
}

API_HANDLER(api_incident_get)
{
	struct incident inc = { 0 };
	int rc = incident_get(&app->core, who, req->params[0], &inc);
	reply_incident(resp, rc, NULL, 200, &inc);
}

API_HANDLER(api_incident_publish)
{
	struct kerr err = { 0 };
	struct incident inc = { 0 };
	int rc = incident_publish(&app->core, who, req->params[0], &inc, &err);
	reply_incident(resp, rc, &err, 200, &inc);
}

API_HANDLER(api_incident_delete)
{
	struct kerr err = { 0 };
	int rc = incident_delete(&app->core, who, req->params[0], &err);
	if (rc) {
		api_reply(resp, rc, &err, 0, NULL, NULL);
		return;
	}
	resp->status = 204;
}

API_HANDLER(api_incident_update)
{
	static const char *const keys[] = { "status", "message", NULL };
	struct kerr err = { 0 };
	const char *status = NULL, *message = NULL;
	json_t *body = NULL;
	struct incident inc = { 0 };
	int rc = jin_body(req, &body, &err);
	if (rc == 0)
		rc = jin_known_keys(body, keys, &err);
	if (rc == 0)
		rc = jin_string(body, "status", false, &status, NULL, &err);
	if (rc == 0)
		rc = jin_string(body, "message", false, &message, NULL, &err);
	if (rc == 0)
		rc = incident_post_update(&app->core, who, req->params[0],
					  status, message, &inc, &err);
	if (rc) {
		api_reply(resp, rc, &err, 0, NULL, NULL);
	} else {
		json_t *root = json_pack("{s:o, s:o}", "update",
					 jout_update(&inc.updates[0]),
					 "incident", jout_incident(&inc));
		resp_json_text(resp, 201, json_dumps(root, JSON_COMPACT));
		json_decref(root);
		incident_cleanup(&inc);
	}
	json_decref(body);
}

static int parse_filter(const struct http_req *req, struct incident_filter *f,
			struct kerr *err)
{
	const char *state = req_query(req, "state");
	const char *source = req_query(req, "source");
	const char *draft = req_query(req, "draft");
	*f = (struct incident_filter){ STATE_ALL, -1, -1, LIST_LIMIT_DEFAULT,
				       0 };
	enum incident_source src;
	if (state && strcmp(state, "all") != 0) {
		if (strcmp(state, "active") == 0)
			f->state = STATE_ACTIVE;
		else if (strcmp(state, "resolved") == 0)
			f->state = STATE_RESOLVED;
		else
			return kerr_set(err, KODO_EINVAL, "state",
					"state must be active, resolved or all");
	}
	if (source && !incident_source_parse(source, &src))
		return kerr_set(err, KODO_EINVAL, "source",
				"unknown source \"%.40s\"", source);
	if (source)
		f->source = (int)src;
	if (draft && strcmp(draft, "true") != 0 && strcmp(draft, "false") != 0)
		return kerr_set(err, KODO_EINVAL, "draft",
				"draft must be true or false");
	if (draft)
		f->draft = strcmp(draft, "true") == 0;
	return api_parse_page(req, &f->limit, &f->before_seq, err);
}

static void render_list(struct app *app, struct http_resp *resp,
			const struct principal *who, void *arg)
{
	const struct incident_filter *f = arg;
	struct incident *list = NULL;
	size_t n = 0;
	int64_t next = 0;
	int rc = incident_list(&app->core, who, f, &list, &n, &next);
	if (rc) {
		api_reply(resp, rc, NULL, 0, NULL, NULL);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, jout_incident(&list[i]));
	store_incident_list_free(list, n);
	api_reply_page(resp, "incidents", arr, next);
}

API_HANDLER(api_incident_list)
{
	struct kerr err = { 0 };
	struct incident_filter f;
	if (parse_filter(req, &f, &err) != 0) {
		api_reply(resp, err.code, &err, 0, NULL, NULL);
		return;
	}
	char key[96];
	snprintf(key, sizeof(key), "incidents|%d|%d|%d|%" PRId64 "|%" PRId64,
		 (int)f.state, f.source, f.draft, f.limit, f.before_seq);
	app_cached(app, who, key, resp, render_list, &f);
}
