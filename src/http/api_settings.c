/*
 * api_settings — /api/v1/settings/automation.
 */
#include "core/settings.h"
#include "http/api.h"
#include "http/json_in.h"
#include "http/json_out.h"

API_HANDLER(api_automation_get)
{
	(void)req;
	struct automation a = { 0 };
	int rc = automation_get(&app->core, who, &a);
	api_reply(resp, rc, NULL, 200, "automation",
		  rc ? NULL : jout_automation(&a));
}

static int parse_patch(json_t *body, struct automation_patch *p,
		       struct kerr *err)
{
	static const char *const keys[] = {
		"draft_mode",	     "auto_publish_after_s",
		"failures_to_open",   "successes_to_resolve",
		"flap_window_s",      "flap_max_transitions",
		"cooldown_s",	     "notification_batch_s",
		"auto_resolve",	     "stale_after_s",
		NULL
	};
	int rc = jin_known_keys(body, keys, err);
	if (rc == 0)
		rc = jin_bool(body, "draft_mode", &p->draft_mode, err);
	if (rc == 0)
		rc = jin_int(body, "auto_publish_after_s", true,
			     &p->auto_publish_after_s, err);
	if (rc == 0)
		rc = jin_int(body, "failures_to_open", false,
			     &p->failures_to_open, err);
	if (rc == 0)
		rc = jin_int(body, "successes_to_resolve", false,
			     &p->successes_to_resolve, err);
	if (rc == 0)
		rc = jin_int(body, "flap_window_s", false, &p->flap_window_s,
			     err);
	if (rc == 0)
		rc = jin_int(body, "flap_max_transitions", false,
			     &p->flap_max_transitions, err);
	if (rc == 0)
		rc = jin_int(body, "cooldown_s", false, &p->cooldown_s, err);
	if (rc == 0)
		rc = jin_int(body, "notification_batch_s", false,
			     &p->notification_batch_s, err);
	if (rc == 0)
		rc = jin_bool(body, "auto_resolve", &p->auto_resolve, err);
	if (rc == 0)
		rc = jin_int(body, "stale_after_s", false, &p->stale_after_s,
			     err);
	return rc;
}

API_HANDLER(api_automation_patch)
{
	struct kerr err = { 0 };
	struct automation_patch patch = { 0 };
	struct automation a = { 0 };
	json_t *body = NULL;
	int rc = jin_body(req, &body, &err);
	if (rc == 0)
		rc = parse_patch(body, &patch, &err);
	if (rc == 0)
		rc = automation_update(&app->core, who, &patch, &a, &err);
	api_reply(resp, rc, &err, 200, "automation",
		  rc ? NULL : jout_automation(&a));
	json_decref(body);
}
