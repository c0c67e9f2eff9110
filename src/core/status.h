/*
 * status — what a service's status is, derived, never stored.
 *
 * A service's status follows from the open, published incidents that
 * affect it: minor → degraded_performance, major → partial_outage,
 * critical → major_outage; the worst wins. Drafts never count.
 */
#ifndef KODO_CORE_STATUS_H
#define KODO_CORE_STATUS_H

#include "store/model.h"

/* Ordered from best to worst, except maintenance which ranks below outages. */
enum component_status {
	CS_OPERATIONAL = 0,
	CS_UNDER_MAINTENANCE = 1,
	CS_DEGRADED = 2,
	CS_PARTIAL_OUTAGE = 3,
	CS_MAJOR_OUTAGE = 4,
};

enum component_status component_status_of(enum severity worst);
const char *component_status_name(enum component_status s);

#endif
