/*
 * public_v2 — the public status as Atlassian Statuspage's public API v2
 * documents (summary, status, components, incidents, unresolved), with the
 * same field names and shapes, so that existing Statuspage clients and
 * widgets can read Kodo.
 *
 * How Kodo maps onto Statuspage:
 *   - a service is a component; a service group is a group component
 *     ("group": true, "components": [child ids]) whose children carry its
 *     "group_id"; a group's id is derived from the org and the group name,
 *     and its status is the worst of its children;
 *   - an incident's "impact" is its severity; "incident_updates" are its
 *     updates, newest first, with the message as "body";
 *   - "monitoring_at" is the time of the latest "monitoring" update;
 *   - URLs (page.url, shortlink) are paths on this server: Kodo does not
 *     know the public host name it is reached by;
 *   - scheduled_maintenances is always empty (no maintenances yet);
 *   - affected_components is null (Kodo does not record per-update
 *     component transitions).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/json_out.h"
#include "http/public.h"
#include "util/alloc.h"

#define PAGE_TIME_ZONE "Etc/UTC"

static const char *indicator(enum component_status s)
{
	switch (s) {
	case CS_OPERATIONAL: return "none";
	case CS_UNDER_MAINTENANCE: return "maintenance";
	case CS_DEGRADED: return "minor";
	case CS_PARTIAL_OUTAGE: return "major";
	default: return "critical";
	}
}

/* Statuspage's own descriptions, which some clients compare against. */
static const char *indicator_description(enum component_status s)
{
	switch (s) {
	case CS_OPERATIONAL: return "All Systems Operational";
	case CS_UNDER_MAINTENANCE: return "Service Under Maintenance";
	case CS_DEGRADED: return "Minor Service Outage";
	case CS_PARTIAL_OUTAGE: return "Partial System Outage";
	default: return "Major Service Outage";
	}
}

static json_t *page_object(const struct public_view *v)
{
	const struct sp_snapshot *s = v->snap;
	return json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", s->org.id, "name",
			 s->settings.name, "url", v->base[0] ? v->base : "/",
			 "time_zone", PAGE_TIME_ZONE, "updated_at",
			 jout_time(s->updated_at));
}

static json_t *status_object(const struct sp_snapshot *s)
{
	return json_pack("{s:s, s:s}", "indicator", indicator(s->overall),
			 "description", indicator_description(s->overall));
}

/* --- components --- */

static void group_id(const struct sp_snapshot *s, const char *group,
		     char out[ID_LEN])
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *p = s->org.id; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (const char *p = group; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(out, ID_LEN, "grp_%016llx", (unsigned long long)h);
}

static json_t *date_or_null(int64_t ms)
{
	if (!ms)
		return json_null();
	char iso[TIME_RFC3339_LEN];
	time_format_rfc3339(ms, iso);
	return json_stringn(iso, 10);
}

static json_t *service_component(const struct sp_snapshot *s, size_t i,
				 int position, const char *gid)
{
	const struct service *svc = &s->services[i];
	const char *desc = svc->description && svc->description[0]
				   ? svc->description
				   : NULL;
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:i, s:o, s:b, s:o, s:o,"
			 " s:s, s:b, s:b}",
			 "id", svc->id, "name", svc->name, "status",
			 component_status_name(s->status[i]), "created_at",
			 jout_time(svc->created_at), "updated_at",
			 jout_time(svc->updated_at), "position", position,
			 "description", desc ? json_string(desc) : json_null(),
			 "showcase", 1, "start_date",
			 date_or_null(svc->created_at), "group_id",
			 gid ? json_string(gid) : json_null(), "page_id",
			 s->org.id, "group", 0, "only_show_if_degraded", 0);
}

static bool same_group(const struct service *a, const struct service *b)
{
	return a->group && b->group && strcmp(a->group, b->group) == 0;
}

/* The group component led by service i, with its children after it. */
static void add_group(const struct sp_snapshot *s, size_t i, int *position,
		      json_t *list, json_t **by_service)
{
	const struct service *lead = &s->services[i];
	char gid[ID_LEN];
	group_id(s, lead->group, gid);
	json_t *children = json_array();
	enum component_status worst = CS_OPERATIONAL;
	int64_t created = lead->created_at, updated = lead->updated_at;
	int group_pos = (*position)++;
	json_t *members = json_array();
	for (size_t j = i; j < s->n_services; j++) {
		const struct service *svc = &s->services[j];
		if (!same_group(svc, lead))
			continue;
		json_array_append_new(children, json_string(svc->id));
		worst = s->status[j] > worst ? s->status[j] : worst;
		created = svc->created_at < created ? svc->created_at : created;
		updated = svc->updated_at > updated ? svc->updated_at : updated;
		by_service[j] = service_component(s, j, (*position)++, gid);
		json_array_append(members, by_service[j]);
	}
	json_t *g = json_pack(
		"{s:s, s:s, s:s, s:o, s:o, s:i, s:n, s:b, s:n, s:n, s:s, s:b,"
		" s:b, s:o}",
		"id", gid, "name", lead->group, "status",
		component_status_name(worst), "created_at", jout_time(created),
		"updated_at", jout_time(updated), "position", group_pos,
		"description", "showcase", 0, "start_date", "group_id",
		"page_id", s->org.id, "group", 1, "only_show_if_degraded", 0,
		"components", children);
	json_array_append_new(list, g);
	json_array_extend(list, members);
	json_decref(members);
}

/* Every component in display order; by_service[i] borrows service i's. */
static json_t *components(const struct sp_snapshot *s, json_t **by_service)
{
	json_t *list = json_array();
	int position = 1;
	for (size_t i = 0; i < s->n_services; i++) {
		const struct service *svc = &s->services[i];
		if (!svc->group) {
			by_service[i] = service_component(s, i, position++, NULL);
			json_array_append(list, by_service[i]);
			continue;
		}
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = same_group(&s->services[j], svc);
		if (!seen)
			add_group(s, i, &position, list, by_service);
	}
	return list;
}

/* --- incidents --- */

static int64_t monitoring_at(const struct incident *inc)
{
	for (size_t i = 0; i < inc->n_updates; i++)
		if (inc->updates[i].status == IST_MONITORING)
			return inc->updates[i].created_at;
	return 0;
}

static json_t *incident_update(const struct incident *inc,
			       const struct update *u)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:n, s:b, s:n,"
			 " s:n}",
			 "id", u->id, "status", incident_status_name(u->status),
			 "body", u->message, "incident_id", inc->id,
			 "created_at", jout_time(u->created_at), "updated_at",
			 jout_time(u->created_at), "display_at",
			 jout_time(u->created_at), "affected_components",
			 "deliver_notifications", 1, "custom_tweet",
			 "tweet_id");
}

static json_t *incident_object(const struct public_view *v,
			       const struct incident *inc,
			       json_t *const *by_service)
{
	const struct sp_snapshot *s = v->snap;
	json_t *updates = json_array();
	for (size_t i = 0; i < inc->n_updates; i++)
		json_array_append_new(updates,
				      incident_update(inc, &inc->updates[i]));
	json_t *comps = json_array();
	for (size_t j = 0; j < inc->n_services; j++)
		for (size_t i = 0; i < s->n_services; i++)
			if (by_service[i] &&
			    strcmp(s->services[i].id, inc->services[j].id) == 0)
				json_array_append(comps, by_service[i]);
	char link[160];
	snprintf(link, sizeof(link), "%s/incidents/%s", v->base, inc->id);
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s, s:o,"
			 " s:s, s:o, s:o}",
			 "id", inc->id, "name", inc->title, "status",
			 incident_status_name(inc->status), "created_at",
			 jout_time(inc->created_at), "updated_at",
			 jout_time(inc->updated_at), "monitoring_at",
			 jout_time(monitoring_at(inc)), "resolved_at",
			 jout_time(inc->resolved_at), "impact",
			 severity_name(inc->severity), "shortlink", link,
			 "started_at", jout_time(inc->started_at), "page_id",
			 s->org.id, "incident_updates", updates, "components",
			 comps);
}

/* Open incidents only, or the SP_RECENT most recent. */
static json_t *incidents(const struct public_view *v, bool open_only,
			 json_t *const *by_service)
{
	const struct sp_snapshot *s = v->snap;
	json_t *list = json_array();
	size_t n = 0;
	for (size_t k = 0; k < s->n_incidents && (open_only || n < SP_RECENT);
	     k++) {
		const struct incident *inc = &s->incidents[k];
		if (open_only && inc->status == IST_RESOLVED)
			continue;
		json_array_append_new(list, incident_object(v, inc, by_service));
		n++;
	}
	return list;
}

void public_v2_render(enum page_kind kind, const struct public_view *v,
		      struct buf *out)
{
	const struct sp_snapshot *s = v->snap;
	json_t **by_service = xcalloc(s->n_services + 1, sizeof(*by_service));
	json_t *comps = components(s, by_service);
	json_t *root = json_object();
	json_object_set_new(root, "page", page_object(v));
	switch (kind) {
	case PAGE_SUMMARY:
		json_object_set(root, "components", comps);
		json_object_set_new(root, "incidents",
				    incidents(v, true, by_service));
		json_object_set_new(root, "scheduled_maintenances",
				    json_array());
		json_object_set_new(root, "status", status_object(s));
		break;
	case PAGE_STATUS:
		json_object_set_new(root, "status", status_object(s));
		break;
	case PAGE_COMPONENTS:
		json_object_set(root, "components", comps);
		break;
	case PAGE_INCIDENTS:
	case PAGE_UNRESOLVED:
		json_object_set_new(root, "incidents",
				    incidents(v, kind == PAGE_UNRESOLVED,
					      by_service));
		break;
	default: break;
	}
	char *text = json_dumps(root, JSON_COMPACT);
	if (text)
		buf_puts(out, text);
	free(text);
	json_decref(root);
	for (size_t i = 0; i < s->n_services; i++)
		json_decref(by_service[i]);
	json_decref(comps);
	free(by_service);
}
