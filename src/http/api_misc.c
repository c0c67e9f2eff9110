/*
 * api_misc — health and organizations.
 */
#include "core/org.h"
#include "http/api.h"
#include "http/json_in.h"
#include "http/json_out.h"
#include "util/alloc.h"

void api_reply(struct http_resp *resp, int rc, const struct kerr *err,
	       int status, const char *key, json_t *obj)
{
	if (rc) {
		struct kerr fallback;
		if (!err || err->code != rc) {
			kerr_set(&fallback, rc, NULL, "%s", "");
			err = &fallback;
		}
		resp_error(resp, err);
		json_decref(obj);
		return;
	}
	resp_json_text(resp, status, jout_wrap(key, obj));
}

API_HANDLER(api_health)
{
	(void)app, (void)req, (void)who;
	resp_json_text(resp, 200, xstrdup("{\"status\":\"ok\"}"));
}

API_HANDLER(api_org_create)
{
	static const char *const keys[] = { "name", "slug", NULL };
	struct kerr err = { 0 };
	json_t *body = NULL;
	const char *name = NULL, *slug = NULL;
	int rc = jin_body(req, &body, &err);
	if (rc == 0)
		rc = jin_known_keys(body, keys, &err);
	if (rc == 0)
		rc = jin_string(body, "name", false, &name, NULL, &err);
	if (rc == 0)
		rc = jin_string(body, "slug", false, &slug, NULL, &err);
	struct org org = { 0 };
	char token[CRYPTO_TOKEN_LEN];
	if (rc == 0)
		rc = org_create(&app->core, who, name, slug, &org, token, &err);
	if (rc) {
		api_reply(resp, rc, &err, 0, NULL, NULL);
	} else {
		json_t *root = json_pack("{s:o, s:s}", "organization",
					 jout_org(&org), "token", token);
		resp_json_text(resp, 201, json_dumps(root, JSON_COMPACT));
		json_decref(root);
		org_cleanup(&org);
	}
	json_decref(body);
}
