/* json_out — see json_out.h. */
#include "http/json_out.h"

#include "util/clock.h"

json_t *jout_time(int64_t ms)
{
	if (!ms)
		return json_null();
	char ts[TIME_RFC3339_LEN];
	time_format_rfc3339(ms, ts);
	return json_string(ts);
}

static json_t *jstr_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *jout_org(const struct org *o)
{
	return json_pack("{s:s, s:s, s:s}", "id", o->id, "name", o->name,
			 "slug", o->slug);
}

json_t *jout_service(const struct service_view *v)
{
	const struct service *s = &v->svc;
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:o}", "id", s->id,
			 "name", s->name, "description",
			 s->description ? s->description : "", "group",
			 jstr_or_null(s->group), "status",
			 component_status_name(v->status), "created_at",
			 jout_time(s->created_at), "updated_at",
			 jout_time(s->updated_at));
}

json_t *jout_update(const struct update *u)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:s}", "id", u->id, "status",
			 incident_status_name(u->status), "message", u->message,
			 "created_at", jout_time(u->created_at), "author",
			 u->author ? u->author : "");
}

json_t *jout_incident(const struct incident *inc)
{
	json_t *services = json_array();
	for (size_t i = 0; i < inc->n_services; i++)
		json_array_append_new(services,
				      json_pack("{s:s, s:s}", "id",
						inc->services[i].id, "name",
						inc->services[i].name));
	json_t *updates = json_array();
	for (size_t i = 0; i < inc->n_updates; i++)
		json_array_append_new(updates, jout_update(&inc->updates[i]));
	return json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o,"
		" s:o, s:o}",
		"id", inc->id, "title", inc->title, "severity",
		severity_name(inc->severity), "status",
		incident_status_name(inc->status), "source",
		incident_source_name(inc->source), "draft", inc->draft,
		"services", services, "updates", updates, "started_at",
		jout_time(inc->started_at), "created_at",
		jout_time(inc->created_at), "updated_at",
		jout_time(inc->updated_at), "published_at",
		jout_time(inc->published_at), "resolved_at",
		jout_time(inc->resolved_at), "retrospective",
		jstr_or_null(inc->retrospective));
}

json_t *jout_automation(const struct automation *a)
{
	return json_pack("{s:b, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:I}",
			 "draft_mode", a->draft_mode, "auto_publish_after_s",
			 a->auto_publish_after_s < 0
				 ? json_null()
				 : json_integer(a->auto_publish_after_s),
			 "failures_to_open", (json_int_t)a->failures_to_open,
			 "successes_to_resolve",
			 (json_int_t)a->successes_to_resolve, "flap_window_s",
			 (json_int_t)a->flap_window_s, "flap_max_transitions",
			 (json_int_t)a->flap_max_transitions, "cooldown_s",
			 (json_int_t)a->cooldown_s, "notification_batch_s",
			 (json_int_t)a->notification_batch_s, "auto_resolve",
			 a->auto_resolve, "stale_after_s",
			 (json_int_t)a->stale_after_s);
}

char *jout_wrap(const char *key, json_t *obj)
{
	json_t *root = json_object();
	json_object_set_new(root, key, obj);
	char *text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	return text;
}
