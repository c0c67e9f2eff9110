/*
 * service — the things users care about ("API", "Web app"): validation and
 * derived status. Reads need any role; writes need admin.
 */
#ifndef KODO_CORE_SERVICE_H
#define KODO_CORE_SERVICE_H

#include "core/core.h"
#include "core/status.h"

#define SERVICE_NAME_MAX 100
#define SERVICE_DESCRIPTION_MAX 2000
#define SERVICE_GROUP_MAX 100

/* A create or a partial update; NULL/false members are left alone. */
struct service_input {
	const char *name;
	const char *description;
	bool has_group;
	const char *group; /* NULL with has_group: ungroup */
};

/* A service with its derived status. */
struct service_view {
	struct service svc;
	enum component_status status;
};

int service_create(struct core *core, const struct principal *p,
		   const struct service_input *in, struct service_view *out,
		   struct kerr *err);
int service_update(struct core *core, const struct principal *p,
		   const char *id, const struct service_input *in,
		   struct service_view *out, struct kerr *err);
int service_delete(struct core *core, const struct principal *p,
		   const char *id, struct kerr *err);
int service_get(struct core *core, const struct principal *p, const char *id,
		struct service_view *out);
/* All services of p's org with status; free with service_view_list_free. */
int service_list(struct core *core, const char *org_id,
		 struct service_view **out, size_t *n);
void service_view_list_free(struct service_view *list, size_t n);

#endif
