/* Unit tests of core/incident: validation and the lifecycle. */
#include <string.h>

#include "core/incident.h"
#include "core/service.h"
#include "unit.h"

static void make_service(struct fixture *f, const char *name, char id[ID_LEN])
{
	struct service_input in = { .name = name };
	struct service_view v;
	struct kerr err;
	CHECK_EQ_INT(service_create(&f->core, &f->owner, &in, &v, &err), 0);
	memcpy(id, v.svc.id, ID_LEN);
	service_cleanup(&v.svc);
}

static struct incident_input basic(const char *const *services, size_t n)
{
	struct incident_input in = { .title = "API down", .severity = "major",
				     .message = "Looking into it", .draft = -1,
				     .services = services, .n_services = n,
				     .has_services = n > 0 };
	return in;
}

static void expect_invalid(struct fixture *f, struct incident_input in,
			   const char *field)
{
	struct incident inc;
	struct kerr err = { 0 };
	int rc = incident_create(&f->core, &f->owner, &in, &inc, &err);
	CHECK_EQ_INT(rc, KODO_EINVAL);
	CHECK_STR(err.field, field);
	if (rc == 0)
		incident_cleanup(&inc);
}

static void test_validation(struct fixture *f)
{
	char title201[202];
	memset(title201, 'a', 201);
	title201[201] = '\0';
	struct incident_input in = basic(NULL, 0);
	in.title = "";
	expect_invalid(f, in, "title");
	in.title = title201;
	expect_invalid(f, in, "title");
	in.title = "line\nbreak";
	expect_invalid(f, in, "title");
	in = basic(NULL, 0);
	in.severity = "catastrophic";
	expect_invalid(f, in, "severity");
	in.severity = NULL;
	expect_invalid(f, in, "severity");
	in = basic(NULL, 0);
	in.message = NULL;
	expect_invalid(f, in, "message");
	in = basic(NULL, 0);
	in.status = "fixed";
	expect_invalid(f, in, "status");
	const char *unknown[] = { "No such service" };
	expect_invalid(f, basic(unknown, 1), "services");
	/* Exactly the maximum title length is accepted. */
	title201[200] = '\0';
	in = basic(NULL, 0);
	in.title = title201;
	struct incident inc;
	struct kerr err;
	CHECK_EQ_INT(incident_create(&f->core, &f->owner, &in, &inc, &err), 0);
	incident_cleanup(&inc);
}

static void test_lifecycle(struct fixture *f)
{
	char svc[ID_LEN];
	make_service(f, "Lifecycle API", svc);
	const char *services[] = { "Lifecycle API", svc }; /* name and id */
	struct incident inc;
	struct kerr err;
	CHECK_EQ_INT(incident_create(&f->core, &f->owner, (struct incident_input[]){ basic(services, 2) },
				     &inc, &err), 0);
	CHECK_EQ_INT(inc.status, IST_INVESTIGATING);
	CHECK_EQ_INT(inc.source, SRC_API);
	CHECK_EQ_INT(inc.n_services, 1); /* the same service named twice */
	CHECK_EQ_INT(inc.n_updates, 1);
	CHECK(inc.published_at == inc.created_at && inc.resolved_at == 0);
	char id[ID_LEN];
	memcpy(id, inc.id, ID_LEN);
	incident_cleanup(&inc);

	static const char *const steps[] = { "identified", "monitoring",
					     "resolved" };
	for (int i = 0; i < 3; i++) {
		clock_fake_advance(&f->clock, 60000);
		CHECK_EQ_INT(incident_post_update(&f->core, &f->owner, id,
						  steps[i], "step", &inc, &err),
			     0);
		CHECK_STR(incident_status_name(inc.status), steps[i]);
		CHECK_EQ_INT(inc.n_updates, (size_t)i + 2);
		CHECK_STR(incident_status_name(inc.updates[0].status), steps[i]);
		incident_cleanup(&inc);
	}
	CHECK_EQ_INT(incident_get(&f->core, &f->owner, id, &inc), 0);
	CHECK_EQ_INT(inc.resolved_at, clock_now(&f->clock));
	incident_cleanup(&inc);

	clock_fake_advance(&f->clock, 60000);
	CHECK_EQ_INT(incident_post_update(&f->core, &f->owner, id,
					  "investigating", "it is back", &inc,
					  &err), 0);
	CHECK_EQ_INT(inc.resolved_at, 0);
	CHECK_EQ_INT(inc.status, IST_INVESTIGATING);
	incident_cleanup(&inc);

	CHECK_EQ_INT(incident_post_update(&f->core, &f->owner, id, "done",
					  "x", &inc, &err), KODO_EINVAL);
	CHECK_STR(err.field, "status");
	CHECK_EQ_INT(incident_delete(&f->core, &f->owner, id, &err),
		     KODO_ECONFLICT);
}

static void test_drafts(struct fixture *f)
{
	struct incident_input in = basic(NULL, 0);
	in.draft = 1;
	struct incident inc;
	struct kerr err;
	CHECK_EQ_INT(incident_create(&f->core, &f->owner, &in, &inc, &err), 0);
	CHECK(inc.draft && inc.published_at == 0);
	char id[ID_LEN];
	memcpy(id, inc.id, ID_LEN);
	incident_cleanup(&inc);
	clock_fake_advance(&f->clock, 1000);
	CHECK_EQ_INT(incident_publish(&f->core, &f->owner, id, &inc, &err), 0);
	int64_t published = inc.published_at;
	CHECK(!inc.draft && published == clock_now(&f->clock));
	incident_cleanup(&inc);
	clock_fake_advance(&f->clock, 1000);
	CHECK_EQ_INT(incident_publish(&f->core, &f->owner, id, &inc, &err), 0);
	CHECK_EQ_INT(inc.published_at, published); /* idempotent */
	incident_cleanup(&inc);

	in.draft = 1;
	CHECK_EQ_INT(incident_create(&f->core, &f->owner, &in, &inc, &err), 0);
	memcpy(id, inc.id, ID_LEN);
	incident_cleanup(&inc);
	CHECK_EQ_INT(incident_delete(&f->core, &f->owner, id, &err), 0);
	CHECK_EQ_INT(incident_get(&f->core, &f->owner, id, &inc),
		     KODO_ENOTFOUND);
}

static void test_roles(struct fixture *f)
{
	struct principal viewer = f->owner;
	viewer.role = ROLE_VIEWER;
	struct incident inc;
	struct kerr err;
	struct incident_input in = basic(NULL, 0);
	CHECK_EQ_INT(incident_create(&f->core, &viewer, &in, &inc, &err),
		     KODO_EFORBIDDEN);
	struct principal person = f->owner;
	person.via_token = false;
	CHECK_EQ_INT(incident_create(&f->core, &person, &in, &inc, &err), 0);
	CHECK_EQ_INT(inc.source, SRC_MANUAL);
	incident_cleanup(&inc);
}

static void test_patch(struct fixture *f)
{
	struct incident inc;
	struct kerr err;
	struct incident_input in = basic(NULL, 0);
	CHECK_EQ_INT(incident_create(&f->core, &f->owner, &in, &inc, &err), 0);
	char id[ID_LEN];
	memcpy(id, inc.id, ID_LEN);
	incident_cleanup(&inc);
	struct incident_input p = { .severity = "critical", .draft = -1,
				    .has_retrospective = true,
				    .retrospective = "What happened" };
	CHECK_EQ_INT(incident_patch(&f->core, &f->owner, id, &p, &inc, &err), 0);
	CHECK_EQ_INT(inc.severity, SEV_CRITICAL);
	CHECK_STR(inc.title, "API down");
	CHECK_STR(inc.retrospective, "What happened");
	incident_cleanup(&inc);
	struct incident_input bad = { .status = "resolved", .draft = -1 };
	CHECK_EQ_INT(incident_patch(&f->core, &f->owner, id, &bad, &inc, &err),
		     KODO_EINVAL);
	CHECK_STR(err.field, "status");
	struct principal other = f->owner;
	memcpy(other.org_id, "org_elsewhere", 14);
	CHECK_EQ_INT(incident_patch(&f->core, &other, id, &p, &inc, &err),
		     KODO_ENOTFOUND);
}

void suite_incident(void)
{
	struct fixture f;
	fixture_init(&f);
	test_validation(&f);
	test_lifecycle(&f);
	test_drafts(&f);
	test_roles(&f);
	test_patch(&f);
	fixture_cleanup(&f);
}
