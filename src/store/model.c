/* model — see model.h. */
#include "store/model.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

void org_cleanup(struct org *o)
{
	free(o->name);
	free(o->slug);
	memset(o, 0, sizeof(*o));
}

void user_cleanup(struct user *u)
{
	free(u->name);
	free(u->email);
	free(u->pw_hash);
	memset(u, 0, sizeof(*u));
}

void api_token_cleanup(struct api_token *t)
{
	free(t->name);
	memset(t, 0, sizeof(*t));
}

void service_cleanup(struct service *s)
{
	free(s->name);
	free(s->description);
	free(s->group);
	memset(s, 0, sizeof(*s));
}

void service_ref_list_free(struct service_ref *refs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(refs[i].name);
	free(refs);
}

void update_cleanup(struct update *u)
{
	free(u->message);
	free(u->author);
	memset(u, 0, sizeof(*u));
}

void incident_cleanup(struct incident *inc)
{
	free(inc->title);
	service_ref_list_free(inc->services, inc->n_services);
	for (size_t i = 0; i < inc->n_updates; i++)
		update_cleanup(&inc->updates[i]);
	free(inc->updates);
	free(inc->retrospective);
	memset(inc, 0, sizeof(*inc));
}

void incident_copy(struct incident *dst, const struct incident *src)
{
	*dst = *src;
	dst->title = xstrdup(src->title);
	dst->retrospective = xstrdup(src->retrospective);
	dst->services = xcalloc(src->n_services, sizeof(*dst->services));
	for (size_t i = 0; i < src->n_services; i++) {
		dst->services[i] = src->services[i];
		dst->services[i].name = xstrdup(src->services[i].name);
	}
	dst->updates = xcalloc(src->n_updates, sizeof(*dst->updates));
	for (size_t i = 0; i < src->n_updates; i++) {
		dst->updates[i] = src->updates[i];
		dst->updates[i].message = xstrdup(src->updates[i].message);
		dst->updates[i].author = xstrdup(src->updates[i].author);
	}
}

static const char *const severity_names[] = { "none", "minor", "major",
					      "critical" };
static const char *const status_names[] = { "investigating", "identified",
					    "monitoring", "resolved" };
static const char *const source_names[] = { "manual",	     "api",
					    "auto_uptime",    "auto_heartbeat",
					    "auto_integration", "auto_beacon" };
static const char *const role_names[] = { "", "viewer", "member", "admin",
					  "owner" };

static int name_index(const char *const *names, int n, int first,
		      const char *s)
{
	for (int i = first; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *severity_name(enum severity s)
{
	return severity_names[s];
}

bool severity_parse(const char *s, enum severity *out)
{
	int i = name_index(severity_names, COUNT(severity_names), 1, s);
	if (i < 0)
		return false;
	*out = (enum severity)i;
	return true;
}

const char *incident_status_name(enum incident_status s)
{
	return status_names[s];
}

bool incident_status_parse(const char *s, enum incident_status *out)
{
	int i = name_index(status_names, COUNT(status_names), 0, s);
	if (i < 0)
		return false;
	*out = (enum incident_status)i;
	return true;
}

const char *incident_source_name(enum incident_source s)
{
	return source_names[s];
}

bool incident_source_parse(const char *s, enum incident_source *out)
{
	int i = name_index(source_names, COUNT(source_names), 0, s);
	if (i < 0)
		return false;
	*out = (enum incident_source)i;
	return true;
}

const char *role_name(enum role r)
{
	return role_names[r];
}

bool role_parse(const char *s, enum role *out)
{
	int i = name_index(role_names, COUNT(role_names), 1, s);
	if (i < 0)
		return false;
	*out = (enum role)i;
	return true;
}

/* --- monitors --- */
#include "store/model_monitor.h"

void http_spec_cleanup(struct http_spec *h)
{
	free(h->url);
	free(h->method);
	free(h->keyword);
	for (size_t i = 0; i < h->n_headers; i++) {
		free(h->headers[i].name);
		free(h->headers[i].value);
	}
	free(h->headers);
	memset(h, 0, sizeof(*h));
}

void monitor_cleanup(struct monitor *m)
{
	free(m->name);
	service_ref_list_free(m->services, m->n_services);
	http_spec_cleanup(&m->http);
	memset(m, 0, sizeof(*m));
}

static const char *const monitor_type_names[] = { "http", "heartbeat",
						  "integration", "beacon" };

const char *monitor_type_name(enum monitor_type t)
{
	return monitor_type_names[t];
}

bool monitor_type_parse(const char *s, enum monitor_type *out)
{
	int i = name_index(monitor_type_names, COUNT(monitor_type_names), 0, s);
	if (i < 0)
		return false;
	*out = (enum monitor_type)i;
	return true;
}

const char *monitor_phase_name(enum monitor_phase p)
{
	static const char *const names[] = { "unknown", "up", "down",
					     "recovering" };
	return names[p];
}

void http_spec_copy(struct http_spec *dst, const struct http_spec *src)
{
	*dst = *src;
	dst->url = xstrdup(src->url);
	dst->method = xstrdup(src->method);
	dst->keyword = xstrdup(src->keyword);
	dst->headers = xcalloc(src->n_headers, sizeof(*dst->headers));
	for (size_t i = 0; i < src->n_headers; i++) {
		dst->headers[i].name = xstrdup(src->headers[i].name);
		dst->headers[i].value = xstrdup(src->headers[i].value);
	}
}
