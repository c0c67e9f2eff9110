/* service — see service.h. */
#include "core/service.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

static int validate(const struct service_input *in, bool create,
		    struct kerr *err)
{
	int rc = 0;
	if (create || in->name)
		rc = check_text("name", in->name, 1, SERVICE_NAME_MAX, true, err);
	if (rc == 0 && in->description)
		rc = check_text("description", in->description, 0,
				SERVICE_DESCRIPTION_MAX, false, err);
	if (rc == 0 && in->has_group && in->group)
		rc = check_text("group", in->group, 1, SERVICE_GROUP_MAX, true,
				err);
	return rc;
}

/* Fills the derived status of each view from the org's open incidents. */
static int derive_status(struct core *core, const char *org_id,
			 struct service_view *views, size_t n)
{
	struct service_impact *impacts = NULL;
	size_t n_impacts = 0;
	int rc = store_service_impacts(core->store, org_id, &impacts,
				       &n_impacts);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		views[i].status = CS_OPERATIONAL;
		for (size_t j = 0; j < n_impacts; j++)
			if (strcmp(impacts[j].service_id, views[i].svc.id) == 0)
				views[i].status =
					component_status_of(impacts[j].worst);
	}
	free(impacts);
	return 0;
}

int service_create(struct core *core, const struct principal *p,
		   const struct service_input *in, struct service_view *out,
		   struct kerr *err)
{
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = validate(in, true, err);
	if (rc)
		return rc;
	struct service *s = &out->svc;
	memset(out, 0, sizeof(*out));
	crypto_new_id("svc", s->id);
	memcpy(s->org_id, p->org_id, ID_LEN);
	s->name = xstrdup(in->name);
	s->description = xstrdup(in->description ? in->description : "");
	s->group = in->has_group ? xstrdup(in->group) : NULL;
	s->created_at = s->updated_at = clock_now(core->clock);
	rc = store_service_create(core->store, s, err);
	if (rc)
		service_cleanup(s);
	else
		core_touch(core, p->org_id);
	out->status = CS_OPERATIONAL;
	return rc;
}

struct update_args {
	const struct service_input *in;
	int64_t now;
};

static void replace(char **dst, const char *src)
{
	free(*dst);
	*dst = xstrdup(src);
}

static int apply_update(struct service *s, void *arg, struct kerr *err)
{
	(void)err;
	const struct update_args *a = arg;
	if (a->in->name)
		replace(&s->name, a->in->name);
	if (a->in->description)
		replace(&s->description, a->in->description);
	if (a->in->has_group)
		replace(&s->group, a->in->group);
	s->updated_at = a->now;
	return 0;
}

int service_update(struct core *core, const struct principal *p,
		   const char *id, const struct service_input *in,
		   struct service_view *out, struct kerr *err)
{
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = validate(in, false, err);
	if (rc)
		return rc;
	struct update_args a = { in, clock_now(core->clock) };
	memset(out, 0, sizeof(*out));
	rc = store_service_mutate(core->store, p->org_id, id, apply_update, &a,
				  &out->svc, err);
	if (rc == 0)
		core_touch(core, p->org_id);
	if (rc == 0 && (rc = derive_status(core, p->org_id, out, 1)) != 0)
		service_cleanup(&out->svc);
	return rc;
}

int service_delete(struct core *core, const struct principal *p,
		   const char *id, struct kerr *err)
{
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = store_service_delete(core->store, p->org_id, id);
	if (rc == 0)
		core_touch(core, p->org_id);
	return rc;
}

int service_get(struct core *core, const struct principal *p, const char *id,
		struct service_view *out)
{
	memset(out, 0, sizeof(*out));
	int rc = store_service_get(core->store, p->org_id, id, &out->svc);
	if (rc == 0 && (rc = derive_status(core, p->org_id, out, 1)) != 0)
		service_cleanup(&out->svc);
	return rc;
}

int service_list(struct core *core, const char *org_id,
		 struct service_view **out, size_t *n)
{
	struct service *list = NULL;
	size_t count = 0;
	int rc = store_service_list(core->store, org_id, &list, &count);
	if (rc)
		return rc;
	struct service_view *views = xcalloc(count, sizeof(*views));
	for (size_t i = 0; i < count; i++)
		views[i].svc = list[i];
	free(list);
	rc = derive_status(core, org_id, views, count);
	if (rc) {
		service_view_list_free(views, count);
		return rc;
	}
	*out = views;
	*n = count;
	return 0;
}

void service_view_list_free(struct service_view *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		service_cleanup(&list[i].svc);
	free(list);
}
