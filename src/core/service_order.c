/* service_order — see service_order.h. */
#include "core/service_order.h"

int service_move(struct core *core, const struct principal *p, const char *id,
		 int delta, struct kerr *err)
{
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = store_service_move(core->store, p->org_id, id, delta);
	if (rc == KODO_ENOTFOUND)
		return kerr_set(err, rc, NULL, "no such service");
	if (rc == 0)
		core_touch(core, p->org_id);
	return rc;
}
