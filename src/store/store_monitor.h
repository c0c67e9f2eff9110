/*
 * store_monitor — the part of the store interface (store.h) that keeps
 * monitors, check results, rollups and the safeguard pipeline's state and
 * decisions. Same contract as store.h: atomic calls, scoped by
 * organization, any thread, 0 or a negative KODO_E*.
 */
#ifndef KODO_STORE_STORE_MONITOR_H
#define KODO_STORE_STORE_MONITOR_H

#include "store/model_monitor.h"
#include "util/kerr.h"

struct store;

/* Inserts m (services already resolved), assigns m->seq, and creates its
 * empty pipeline state. */
int store_monitor_create(struct store *st, struct monitor *m, struct kerr *err);
int store_monitor_get(struct store *st, const char *org_id, const char *id,
		      struct monitor *out);
/* org_id NULL: every organization's monitors (for the runner at start). */
int store_monitor_list(struct store *st, const char *org_id,
		       struct monitor **out, size_t *n);
void store_monitor_list_free(struct monitor *list, size_t n);
typedef int (*monitor_apply_fn)(struct monitor *m, void *arg,
				struct kerr *err);
/* Load-modify-save; apply may replace services (resolved refs). */
int store_monitor_mutate(struct store *st, const char *org_id, const char *id,
			 monitor_apply_fn apply, void *arg, struct monitor *out,
			 struct kerr *err);
int store_monitor_delete(struct store *st, const char *org_id, const char *id);

int store_monitor_state_get(struct store *st, const char *monitor_id,
			    struct monitor_state *out);

/* One check's outcome with the state it left; written in batches. */
struct result_record {
	int64_t monitor_seq;
	struct check_result result;
	struct monitor_state state;
};
int store_results_record(struct store *st, const struct result_record *recs,
			 size_t n);
/* Newest first, within w. */
int store_results_list(struct store *st, const char *org_id,
		       const char *monitor_id, const struct list_window *w,
		       struct check_result **out, size_t *n);
/* Rolls raw results of [start, start + len) up per monitor into period
 * (0 hour, 1 day) rows, and drops raw results older than keep_after. */
int store_results_rollup(struct store *st, int period, int64_t start,
			 int64_t len, int64_t keep_after);

struct rollup {
	int64_t start;
	int64_t checks, failures, p50_ms, p95_ms;
};
int store_rollups_list(struct store *st, const char *org_id,
		       const char *monitor_id, int period, int64_t since,
		       struct rollup **out, size_t *n);

/* Check counts per service and UTC day from the rollups of the services'
 * monitors: day rollups, and for days without one (today) the sum of its
 * hour rollups. Days at or after since. */
struct service_day_checks {
	char service_id[ID_LEN];
	int64_t day; /* UTC midnight, ms */
	int64_t checks, failures;
};
int store_service_day_checks(struct store *st, const char *org_id,
			     int64_t since, struct service_day_checks **out,
			     size_t *n);

/* The pipeline's incident links. */
int store_monitor_attach(struct store *st, const char *org_id,
			 const char *monitor_id, const char *incident_id,
			 int64_t at);
int store_monitor_detach(struct store *st, const char *monitor_id);
/* How many monitors other than monitor_id are attached to incident_id. */
int store_incident_attached_count(struct store *st, const char *incident_id,
				  const char *monitor_id, int64_t *n);
/* The newest auto-incident opened by monitor_id; KODO_ENOTFOUND if none. */
int store_monitor_last_incident(struct store *st, const char *org_id,
				const char *monitor_id, char id[ID_LEN],
				int64_t *created_at,
				enum incident_status *status);
/* An open auto-incident created at or after since that affects one of the
 * services of monitor_id (for grouping); KODO_ENOTFOUND if none. */
int store_group_incident(struct store *st, const char *org_id,
			 const char *monitor_id, int64_t since,
			 char id[ID_LEN]);

int store_event_add(struct store *st, const char *org_id,
		    const struct monitor_event *e);
/* Newest first, within w. Free with store_events_free. */
int store_events_list(struct store *st, const char *org_id,
		      const char *monitor_id, const struct list_window *w,
		      struct monitor_event **out, size_t *n);
void store_events_free(struct monitor_event *list, size_t n);

#endif
