/*
 * api_page_settings — /api/v1/settings/status-page: the name, logo URL and
 * accent color of the organization's public status page.
 *
 * {"status_page": {"name", "logo_url" (http(s) URL or null),
 *  "accent_color" ("#rrggbb")}}. GET any role, PATCH admin; a PATCH names
 * only what it changes, unknown fields are a 422 naming the field, and
 * null resets name and accent_color to their defaults.
 */
#include "core/page_settings.h"
#include "http/api.h"
#include "http/json_in.h"

static json_t *settings_json(const struct page_settings *ps)
{
	return json_pack("{s:s, s:o, s:s}", "name", ps->name, "logo_url",
			 ps->logo_url[0] ? json_string(ps->logo_url)
					 : json_null(),
			 "accent_color", ps->accent_color);
}

API_HANDLER(api_page_settings_get)
{
	struct page_settings ps;
	int rc = page_settings_get(&app->core, who->org_id, &ps);
	api_reply(resp, rc, NULL, 200, "status_page",
		  rc ? NULL : settings_json(&ps));
}

static int parse_patch(json_t *body, struct page_settings_patch *p,
		       struct kerr *err)
{
	static const char *const keys[] = { "name", "logo_url", "accent_color",
					    NULL };
	int rc = jin_known_keys(body, keys, err);
	if (rc == 0)
		rc = jin_string(body, "name", true, &p->name, &p->has_name, err);
	if (rc == 0)
		rc = jin_string(body, "logo_url", true, &p->logo_url,
				&p->has_logo_url, err);
	if (rc == 0)
		rc = jin_string(body, "accent_color", true, &p->accent_color,
				&p->has_accent_color, err);
	return rc;
}

API_HANDLER(api_page_settings_patch)
{
	struct kerr err = { 0 };
	struct page_settings_patch patch = { 0 };
	struct page_settings ps;
	json_t *body = NULL;
	int rc = jin_body(req, &body, &err);
	if (rc == 0)
		rc = parse_patch(body, &patch, &err);
	if (rc == 0)
		rc = page_settings_update(&app->core, who, &patch, &ps, &err);
	api_reply(resp, rc, &err, 200, "status_page",
		  rc ? NULL : settings_json(&ps));
	json_decref(body);
}
