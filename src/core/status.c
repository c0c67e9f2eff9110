/* status — see status.h. */
#include "core/status.h"

enum component_status component_status_of(enum severity worst)
{
	switch (worst) {
	case SEV_MINOR: return CS_DEGRADED;
	case SEV_MAJOR: return CS_PARTIAL_OUTAGE;
	case SEV_CRITICAL: return CS_MAJOR_OUTAGE;
	default: return CS_OPERATIONAL;
	}
}

const char *component_status_name(enum component_status s)
{
	static const char *const names[] = {
		"operational", "under_maintenance", "degraded_performance",
		"partial_outage", "major_outage"
	};
	return names[s];
}
