/*
 * statuspage — what an organization's public status page says, computed
 * from its published incidents and services. No HTTP, no SQL: http/ renders
 * the model into HTML, Statuspage-v2 JSON and feeds.
 *
 * Two steps, so that page views never touch the database:
 *   1. statuspage_load() reads a snapshot (org, effective page settings,
 *      services, published incidents) once per change of the org's data;
 *   2. statuspage_model() computes, from a snapshot and a time, the banner,
 *      each service's status and 90-day bar, the active incidents and 14
 *      days of history. It is pure and cheap, so a page that depends on the
 *      time of day is recomputed from the same snapshot.
 *
 * Drafts never get in: the store's queries filter draft = 0 and load()
 * drops any draft that would come through anyway.
 *
 * Status rules: an open published incident makes each service it affects
 * minor → degraded_performance, major → partial_outage, critical →
 * major_outage (the worst wins). The banner is the worst open published
 * incident, whether or not it names services.
 *
 * Uptime (Statuspage's rule): time in major_outage counts fully as
 * downtime, time in partial_outage counts 30%, degraded_performance and
 * under_maintenance count as up. An incident counts from started_at to
 * resolved_at (or now while open) at its current severity; overlapping
 * incidents on a service count once, at the worst severity at each moment.
 * Only time since the service was created is observed; days before it have
 * no data. A day's color is the worst status it saw.
 *
 * Thread contract: snapshots and models are plain values; several threads
 * may read one at once. Ownership: *_cleanup releases what load/model made.
 */
#ifndef KODO_CORE_STATUSPAGE_H
#define KODO_CORE_STATUSPAGE_H

#include "core/core.h"
#include "core/status.h"

#define SP_DAY_MS 86400000LL
#define SP_DAYS 90	   /* uptime bar */
#define SP_HISTORY_DAYS 14 /* incident history, day by day */
#define SP_RECENT 50	   /* incidents.json and feeds */
#define SP_MAX_INCIDENTS 5000 /* bound on a snapshot */
#define SP_TIP_MAX 3	   /* incidents named in one day's tooltip */
#define SP_PARTIAL_WEIGHT 0.3
#define CS_COUNT 5

struct sp_snapshot {
	struct org org;
	struct page_settings settings; /* effective: defaults filled in */
	struct service *services;      /* display order */
	enum component_status *status; /* per service, now */
	size_t n_services;
	struct incident *incidents; /* published only, newest first */
	size_t n_incidents;
	struct service_day_checks *day_checks; /* from HTTP monitors' rollups,
						* by service then day */
	size_t n_day_checks;
	enum component_status overall; /* the banner */
	int64_t updated_at; /* latest change in the data shown */
	int64_t loaded_at;
};

/* The organization behind a public slug: KODO_ENOTFOUND when none. */
int statuspage_org_by_slug(struct core *core, const char *slug,
			   struct org *out);
/* Reads the snapshot of org_id. 0, KODO_ENOTFOUND or KODO_EIO. */
int statuspage_load(struct core *core, const char *org_id,
		    struct sp_snapshot *out);
void statuspage_snapshot_cleanup(struct sp_snapshot *s);

/* The published incident id in s (borrowed), or NULL. */
const struct incident *statuspage_find(const struct sp_snapshot *s,
				       const char *id);
/* A published incident that may be older than the snapshot: from s when
 * there, else from the store. KODO_ENOTFOUND for drafts and unknown ids. */
int statuspage_incident(struct core *core, const struct sp_snapshot *s,
			const char *id, struct incident *out);

/*
 * What is known of one service on one UTC day, from any source. The
 * incidents give the state times; HTTP monitors (issue 4) will add check
 * counts through a struct day_source.
 */
struct day_input {
	int64_t observed_ms;	      /* part of the day covered; 0: no data */
	int64_t state_ms[CS_COUNT];   /* time in each enum component_status */
	int64_t checks, checks_failed; /* from monitors; 0 when none */
	size_t n_incidents;
	const struct incident *incidents[SP_TIP_MAX]; /* borrowed */
};

/* A source of per-day inputs: adds what it knows of service i of snap on
 * the n days from first_day (UTC midnight, ms) to days[]. Must not block:
 * it runs while a page renders. */
struct day_source {
	void (*collect)(const struct day_source *src,
			const struct sp_snapshot *snap, size_t i,
			int64_t first_day, int64_t now, struct day_input *days,
			size_t n);
	const void *ctx;
};

/* The built-in source: published incidents' time intervals. */
void statuspage_incident_days(const struct sp_snapshot *snap, size_t i,
			      int64_t first_day, int64_t now,
			      struct day_input *days, size_t n);

/* The check counts of service i's monitors (day rollups; today from hour
 * rollups) on the n days from first_day. */
void statuspage_check_days(const struct sp_snapshot *snap, size_t i,
			   int64_t first_day, struct day_input *days, size_t n);

/* One cell of an uptime bar. */
struct sp_day {
	int64_t start; /* UTC midnight, ms */
	bool has_data;
	enum component_status worst;
	double uptime; /* 0..1, when has_data */
	size_t n_incidents;
	const struct incident *incidents[SP_TIP_MAX];
};

/* A day's cell from its inputs (color, uptime). */
void statuspage_day(const struct day_input *in, int64_t start,
		    struct sp_day *out);
/* Uptime over days: false when no day has data. */
bool statuspage_uptime(const struct day_input *days, size_t n,
		       double *uptime);

struct sp_service_view {
	const struct service *svc; /* borrowed from the snapshot */
	enum component_status status;
	struct sp_day days[SP_DAYS]; /* oldest first; the last is today */
	bool has_uptime;
	double uptime; /* over SP_DAYS */
};

struct sp_history_day {
	int64_t start;
	const struct incident **list; /* started that day, newest first */
	size_t n;
};

struct sp_model {
	int64_t now, today;
	enum component_status overall;
	struct sp_service_view *services;
	size_t n_services;
	const struct incident **active; /* open, newest first */
	size_t n_active;
	struct sp_history_day history[SP_HISTORY_DAYS]; /* today first */
};

/* Computes the page at now; extra (n_extra, may be 0) adds day sources. */
void statuspage_model(const struct sp_snapshot *s, int64_t now,
		      const struct day_source *extra, size_t n_extra,
		      struct sp_model *out);
void statuspage_model_cleanup(struct sp_model *m);

/* UTC midnight at or before ms. */
int64_t statuspage_day_floor(int64_t ms);

#endif
