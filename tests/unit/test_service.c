/* Unit tests of core/service: validation and derived status. */
#include <string.h>

#include "core/incident.h"
#include "core/service.h"
#include "unit.h"

static enum component_status status_of(struct fixture *f, const char *id)
{
	struct service_view v;
	if (service_get(&f->core, &f->owner, id, &v) != 0)
		return (enum component_status)-1;
	service_cleanup(&v.svc);
	return v.status;
}

static void open_incident(struct fixture *f, const char *svc,
			  const char *severity, int draft, char id[ID_LEN])
{
	const char *services[] = { svc };
	struct incident_input in = { .title = "t", .severity = severity,
				     .message = "m", .draft = draft,
				     .services = services, .n_services = 1,
				     .has_services = true };
	struct incident inc;
	struct kerr err;
	CHECK_EQ_INT(incident_create(&f->core, &f->owner, &in, &inc, &err), 0);
	memcpy(id, inc.id, ID_LEN);
	incident_cleanup(&inc);
}

static void test_status_derivation(struct fixture *f)
{
	CHECK_EQ_INT(component_status_of(SEV_MINOR), CS_DEGRADED);
	CHECK_EQ_INT(component_status_of(SEV_MAJOR), CS_PARTIAL_OUTAGE);
	CHECK_EQ_INT(component_status_of(SEV_CRITICAL), CS_MAJOR_OUTAGE);
	struct service_input in = { .name = "Web" };
	struct service_view v;
	struct kerr err;
	CHECK_EQ_INT(service_create(&f->core, &f->owner, &in, &v, &err), 0);
	char svc[ID_LEN];
	memcpy(svc, v.svc.id, ID_LEN);
	service_cleanup(&v.svc);
	CHECK_EQ_INT(status_of(f, svc), CS_OPERATIONAL);

	char draft[ID_LEN], minor[ID_LEN], critical[ID_LEN];
	open_incident(f, svc, "critical", 1, draft);
	CHECK_EQ_INT(status_of(f, svc), CS_OPERATIONAL); /* drafts don't count */
	open_incident(f, svc, "minor", -1, minor);
	CHECK_EQ_INT(status_of(f, svc), CS_DEGRADED);
	open_incident(f, svc, "critical", -1, critical);
	CHECK_EQ_INT(status_of(f, svc), CS_MAJOR_OUTAGE); /* worst wins */
	struct incident inc;
	CHECK_EQ_INT(incident_post_update(&f->core, &f->owner, critical,
					  "resolved", "ok", &inc, &err), 0);
	incident_cleanup(&inc);
	CHECK_EQ_INT(status_of(f, svc), CS_DEGRADED);
	CHECK_EQ_INT(incident_post_update(&f->core, &f->owner, minor,
					  "resolved", "ok", &inc, &err), 0);
	incident_cleanup(&inc);
	CHECK_EQ_INT(status_of(f, svc), CS_OPERATIONAL);
}

static void test_names(struct fixture *f)
{
	struct service_input in = { .name = "Unique" };
	struct service_view v;
	struct kerr err = { 0 };
	CHECK_EQ_INT(service_create(&f->core, &f->owner, &in, &v, &err), 0);
	char id[ID_LEN];
	memcpy(id, v.svc.id, ID_LEN);
	service_cleanup(&v.svc);
	CHECK_EQ_INT(service_create(&f->core, &f->owner, &in, &v, &err),
		     KODO_ECONFLICT);
	CHECK_STR(err.field, "name");
	struct service_input empty = { .name = "" };
	CHECK_EQ_INT(service_create(&f->core, &f->owner, &empty, &v, &err),
		     KODO_EINVAL);
	CHECK_STR(err.field, "name");
	struct service_input regroup = { .has_group = true, .group = "Core" };
	CHECK_EQ_INT(service_update(&f->core, &f->owner, id, &regroup, &v, &err),
		     0);
	CHECK_STR(v.svc.group, "Core");
	CHECK_STR(v.svc.name, "Unique");
	service_cleanup(&v.svc);
	CHECK_EQ_INT(service_delete(&f->core, &f->owner, id, &err), 0);
	CHECK_EQ_INT(service_delete(&f->core, &f->owner, id, &err),
		     KODO_ENOTFOUND);
	struct principal member = f->owner;
	member.role = ROLE_MEMBER;
	CHECK_EQ_INT(service_create(&f->core, &member, &in, &v, &err),
		     KODO_EFORBIDDEN);
}

void suite_service(void)
{
	struct fixture f;
	fixture_init(&f);
	test_status_derivation(&f);
	test_names(&f);
	fixture_cleanup(&f);
}
