/*
 * service_order — the order services are shown in (dashboard and public
 * page): a service moves up or down among its organization's services.
 * Admin, like every other service change. Any thread.
 */
#ifndef KODO_CORE_SERVICE_ORDER_H
#define KODO_CORE_SERVICE_ORDER_H

#include "core/core.h"

/* delta < 0 moves it up (earlier), > 0 down; clamped at the ends. */
int service_move(struct core *core, const struct principal *p, const char *id,
		 int delta, struct kerr *err);

#endif
