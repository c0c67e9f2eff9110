/* incident — see incident.h. */
#include "core/incident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

/* Every incident write goes through here, so caches learn of it. */
static int mutate(struct core *core, const struct principal *p, const char *id,
		  incident_apply_fn apply, void *arg, struct incident *out,
		  struct kerr *err)
{
	int rc = store_incident_mutate(core->store, p->org_id, id, apply, arg,
				       out, err);
	if (rc == 0)
		core_touch(core, p->org_id);
	return rc;
}

static int parse_severity(const char *s, enum severity *out, struct kerr *err)
{
	if (!s)
		return kerr_set(err, KODO_EINVAL, "severity",
				"severity is required");
	if (!severity_parse(s, out))
		return kerr_set(err, KODO_EINVAL, "severity",
				"severity must be one of minor, major, critical");
	return 0;
}

static int parse_status(const char *s, enum incident_status *out,
			struct kerr *err)
{
	if (!s)
		return kerr_set(err, KODO_EINVAL, "status", "status is required");
	if (!incident_status_parse(s, out))
		return kerr_set(err, KODO_EINVAL, "status",
				"status must be one of investigating, "
				"identified, monitoring, resolved");
	return 0;
}

static int check_services(const struct incident_input *in, struct kerr *err)
{
	if (in->n_services > INCIDENT_SERVICES_MAX)
		return kerr_set(err, KODO_EINVAL, "services",
				"at most %d services", INCIDENT_SERVICES_MAX);
	for (size_t i = 0; i < in->n_services; i++)
		if (!in->services[i][0] || strlen(in->services[i]) > 200)
			return kerr_set(err, KODO_EINVAL, "services",
					"services must be service ids or names");
	return 0;
}

/* Resolves in's services, or gives an empty list when none are named. */
static int resolve_services(struct core *core, const char *org_id,
			    const struct incident_input *in,
			    struct service_ref **refs, size_t *n,
			    struct kerr *err)
{
	*refs = NULL;
	*n = 0;
	if (!in->n_services)
		return 0;
	int rc = store_service_resolve(core->store, org_id, in->services,
				       in->n_services, refs, err);
	if (rc < 0)
		return rc;
	*n = (size_t)rc;
	return 0;
}

static void new_update(struct update *u, const struct principal *p,
		       enum incident_status status, const char *message,
		       int64_t now)
{
	memset(u, 0, sizeof(*u));
	crypto_new_id("upd", u->id);
	u->status = status;
	u->message = xstrdup(message);
	u->author = xstrdup(p->name[0] ? p->name : "api");
	u->created_at = now;
	u->is_new = true;
}

/* The one place where a status change takes effect. */
static void take_status(struct incident *inc, enum incident_status st,
			int64_t now)
{
	inc->status = st;
	if (st == IST_RESOLVED) {
		if (!inc->resolved_at)
			inc->resolved_at = now;
	} else {
		inc->resolved_at = 0;
	}
	inc->updated_at = now;
}

static int validate_create(const struct incident_input *in,
			   enum severity *sev, enum incident_status *st,
			   struct kerr *err)
{
	int rc = check_text("title", in->title, 1, INCIDENT_TITLE_MAX, true, err);
	if (rc == 0)
		rc = parse_severity(in->severity, sev, err);
	*st = IST_INVESTIGATING;
	if (rc == 0 && in->status)
		rc = parse_status(in->status, st, err);
	if (rc == 0)
		rc = check_text("message", in->message, 1, INCIDENT_MESSAGE_MAX,
				false, err);
	if (rc == 0)
		rc = check_services(in, err);
	return rc;
}

int incident_create(struct core *core, const struct principal *p,
		    const struct incident_input *in, struct incident *out,
		    struct kerr *err)
{
	enum severity sev;
	enum incident_status st;
	int rc = require_role(p, ROLE_MEMBER, err);
	if (rc == 0)
		rc = validate_create(in, &sev, &st, err);
	struct service_ref *refs = NULL;
	size_t n_refs = 0;
	if (rc == 0)
		rc = resolve_services(core, p->org_id, in, &refs, &n_refs, err);
	if (rc)
		return rc;
	int64_t now = clock_now(core->clock);
	struct incident *inc = out;
	memset(inc, 0, sizeof(*inc));
	crypto_new_id("inc", inc->id);
	memcpy(inc->org_id, p->org_id, ID_LEN);
	inc->title = xstrdup(in->title);
	inc->severity = sev;
	inc->source = p->via_token ? SRC_API : SRC_MANUAL;
	inc->draft = in->draft == 1;
	inc->services = refs;
	inc->n_services = n_refs;
	inc->started_at = inc->created_at = now;
	inc->published_at = inc->draft ? 0 : now;
	take_status(inc, st, now);
	inc->updates = xcalloc(1, sizeof(*inc->updates));
	inc->n_updates = 1;
	new_update(&inc->updates[0], p, st, in->message, now);
	rc = store_incident_create(core->store, inc, err);
	if (rc)
		incident_cleanup(inc);
	else
		core_touch(core, p->org_id);
	return rc;
}

struct patch_args {
	const struct incident_input *in;
	enum severity sev;
	struct service_ref *refs; /* moved into the incident on apply */
	size_t n_refs;
	int64_t now;
};

static int apply_patch(struct incident *inc, void *arg, struct kerr *err)
{
	(void)err;
	struct patch_args *a = arg;
	if (a->in->title) {
		free(inc->title);
		inc->title = xstrdup(a->in->title);
	}
	if (a->in->severity)
		inc->severity = a->sev;
	if (a->in->has_services) {
		service_ref_list_free(inc->services, inc->n_services);
		inc->services = a->refs;
		inc->n_services = a->n_refs;
		a->refs = NULL;
		a->n_refs = 0;
	}
	if (a->in->has_retrospective) {
		free(inc->retrospective);
		const char *r = a->in->retrospective;
		inc->retrospective = r && *r ? xstrdup(r) : NULL;
	}
	inc->updated_at = a->now;
	return 0;
}

static int validate_patch(const struct incident_input *in, enum severity *sev,
			  struct kerr *err)
{
	int rc = 0;
	if (in->title)
		rc = check_text("title", in->title, 1, INCIDENT_TITLE_MAX, true,
				err);
	if (rc == 0 && in->severity)
		rc = parse_severity(in->severity, sev, err);
	if (rc == 0 && in->has_services)
		rc = check_services(in, err);
	if (rc == 0 && in->has_retrospective && in->retrospective)
		rc = check_text("retrospective", in->retrospective, 0,
				INCIDENT_RETRO_MAX, false, err);
	if (rc == 0 && (in->status || in->message || in->draft >= 0))
		rc = kerr_set(err, KODO_EINVAL,
			      in->status ? "status"
			      : in->message ? "message" : "draft",
			      "status changes are posted as updates, and drafts "
			      "are published with /publish");
	return rc;
}

int incident_patch(struct core *core, const struct principal *p,
		   const char *id, const struct incident_input *in,
		   struct incident *out, struct kerr *err)
{
	struct patch_args a = { in, SEV_NONE, NULL, 0, clock_now(core->clock) };
	int rc = require_role(p, ROLE_MEMBER, err);
	if (rc == 0)
		rc = validate_patch(in, &a.sev, err);
	if (rc == 0 && in->has_services)
		rc = resolve_services(core, p->org_id, in, &a.refs, &a.n_refs,
				      err);
	if (rc == 0)
		rc = mutate(core, p, id,
					   apply_patch, &a, out, err);
	service_ref_list_free(a.refs, a.n_refs);
	return rc;
}

struct post_args {
	const struct principal *p;
	enum incident_status status;
	const char *message;
	int64_t now;
};

static int apply_update(struct incident *inc, void *arg, struct kerr *err)
{
	(void)err;
	struct post_args *a = arg;
	inc->updates = xrealloc(inc->updates,
				(inc->n_updates + 1) * sizeof(*inc->updates));
	memmove(inc->updates + 1, inc->updates,
		inc->n_updates * sizeof(*inc->updates));
	inc->n_updates++;
	new_update(&inc->updates[0], a->p, a->status, a->message, a->now);
	take_status(inc, a->status, a->now);
	return 0;
}

int incident_post_update(struct core *core, const struct principal *p,
			 const char *id, const char *status,
			 const char *message, struct incident *out,
			 struct kerr *err)
{
	struct post_args a = { p, IST_INVESTIGATING, message,
			       clock_now(core->clock) };
	int rc = require_role(p, ROLE_MEMBER, err);
	if (rc == 0)
		rc = parse_status(status, &a.status, err);
	if (rc == 0)
		rc = check_text("message", message, 1, INCIDENT_MESSAGE_MAX,
				false, err);
	if (rc == 0)
		rc = mutate(core, p, id,
					   apply_update, &a, out, err);
	return rc;
}

static int apply_publish(struct incident *inc, void *arg, struct kerr *err)
{
	(void)err;
	const int64_t *now = arg;
	if (inc->draft) {
		inc->draft = false;
		inc->published_at = *now;
		inc->updated_at = *now;
	}
	return 0;
}

int incident_publish(struct core *core, const struct principal *p,
		     const char *id, struct incident *out, struct kerr *err)
{
	int64_t now = clock_now(core->clock);
	int rc = require_role(p, ROLE_MEMBER, err);
	return rc ? rc
		  : mutate(core, p, id,
					  apply_publish, &now, out, err);
}

static int apply_delete(struct incident *inc, void *arg, struct kerr *err)
{
	(void)arg;
	if (!inc->draft)
		return kerr_set(err, KODO_ECONFLICT, NULL,
				"only draft incidents can be deleted; resolve "
				"a published incident instead");
	return STORE_DELETE;
}

int incident_delete(struct core *core, const struct principal *p,
		    const char *id, struct kerr *err)
{
	int rc = require_role(p, ROLE_MEMBER, err);
	return rc ? rc
		  : mutate(core, p, id,
					  apply_delete, NULL, NULL, err);
}

int incident_get(struct core *core, const struct principal *p, const char *id,
		 struct incident *out)
{
	return store_incident_get(core->store, p->org_id, id, out);
}

int incident_list(struct core *core, const struct principal *p,
		  const struct incident_filter *f, struct incident **out,
		  size_t *n, int64_t *next_seq)
{
	return store_incident_list(core->store, p->org_id, f, out, n, next_seq);
}

int incident_create_auto(struct core *core, const struct auto_incident *a,
			 struct incident *out, struct kerr *err)
{
	int64_t now = clock_now(core->clock);
	struct incident *inc = out;
	memset(inc, 0, sizeof(*inc));
	crypto_new_id("inc", inc->id);
	snprintf(inc->org_id, sizeof(inc->org_id), "%s", a->org_id);
	snprintf(inc->monitor_id, sizeof(inc->monitor_id), "%s", a->monitor_id);
	inc->title = xstrndup(a->title, strnlen(a->title, INCIDENT_TITLE_MAX));
	inc->severity = a->severity;
	inc->source = a->source;
	inc->draft = a->draft;
	inc->services = xcalloc(a->n_services, sizeof(*inc->services));
	for (size_t i = 0; i < a->n_services; i++) {
		inc->services[i] = a->services[i];
		inc->services[i].name = xstrdup(a->services[i].name);
	}
	inc->n_services = a->n_services;
	inc->started_at = a->started_at ? a->started_at : now;
	inc->created_at = now;
	inc->published_at = inc->draft ? 0 : now;
	take_status(inc, IST_INVESTIGATING, now);
	inc->updates = xcalloc(1, sizeof(*inc->updates));
	inc->n_updates = 1;
	struct principal kodo = { .name = "Kodo", .role = ROLE_OWNER };
	new_update(&inc->updates[0], &kodo, IST_INVESTIGATING, a->message, now);
	int rc = store_incident_create(core->store, inc, err);
	if (rc)
		incident_cleanup(inc);
	else
		core_touch(core, a->org_id);
	return rc;
}

struct note_args {
	const struct principal *p;
	int status;
	const char *message;
	int64_t now;
};

static int apply_note(struct incident *inc, void *arg, struct kerr *err)
{
	struct note_args *a = arg;
	enum incident_status st = inc->status;
	if (a->status >= 0)
		st = (enum incident_status)a->status;
	else if (a->status == INVESTIGATE &&
		 (st == IST_MONITORING || st == IST_RESOLVED))
		st = IST_INVESTIGATING;
	struct post_args post = { a->p, st, a->message, a->now };
	return apply_update(inc, &post, err);
}

int incident_note(struct core *core, const struct principal *p,
		  const char *id, int status, const char *message,
		  struct incident *out, struct kerr *err)
{
	struct note_args a = { p, status, message, clock_now(core->clock) };
	return mutate(core, p, id, apply_note, &a, out, err);
}
