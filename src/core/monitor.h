/*
 * monitor — what Kodo watches: validation and management of monitors.
 *
 * Each change is stored, then handed to the runner (core/runner.h) so the
 * scheduler and the safeguard pipeline see it at once. Reads need any
 * role; writes need admin. Only HTTP monitors exist so far; the other
 * types of API.md are refused with a 422 until they are built.
 */
#ifndef KODO_CORE_MONITOR_H
#define KODO_CORE_MONITOR_H

#include "core/core.h"
#include "core/settings.h"
#include "store/model_monitor.h"

#define MONITOR_NAME_MAX 100
#define MONITOR_URL_MAX 2048
#define MONITOR_KEYWORD_MAX 1000
#define MONITOR_INTERVAL_MIN 10
#define MONITOR_INTERVAL_MAX 86400

/* A create or a partial update; NULL / unset members are absent. */
struct monitor_input {
	const char *name;
	const char *type;
	bool has_severity;
	const char *severity; /* NULL with has_severity: the type's default */
	bool has_services;
	const char *const *services;
	size_t n_services;
	struct opt_int failures_to_open; /* null: the organization's */
	bool has_depends_on;
	const char *depends_on; /* NULL: none */
	const char *url;
	const char *method;
	struct opt_int interval_s;
	struct opt_int timeout_ms;
	bool has_expected;
	const char *const *expected; /* "200", "200-399" */
	size_t n_expected;
	bool has_keyword;
	const char *keyword; /* NULL: no keyword */
	bool has_headers;
	const char *const *header_names;
	const char *const *header_values;
	size_t n_headers;
	struct opt_int tls_verify;
	struct opt_int cert_expiry_days;
};

/* A monitor with what the pipeline knows of it. */
struct monitor_view {
	struct monitor m;
	struct monitor_state state;
};

int monitor_create(struct core *core, const struct principal *p,
		   const struct monitor_input *in, struct monitor_view *out,
		   struct kerr *err);
int monitor_update(struct core *core, const struct principal *p,
		   const char *id, const struct monitor_input *in,
		   struct monitor_view *out, struct kerr *err);
int monitor_set_paused(struct core *core, const struct principal *p,
		       const char *id, bool paused, struct monitor_view *out,
		       struct kerr *err);
int monitor_delete(struct core *core, const struct principal *p,
		   const char *id, struct kerr *err);
int monitor_get(struct core *core, const struct principal *p, const char *id,
		struct monitor_view *out);
int monitor_list(struct core *core, const struct principal *p,
		 struct monitor_view **out, size_t *n);
void monitor_view_list_free(struct monitor_view *list, size_t n);

/* A monitor's recent check results (newest first) and the pipeline's
 * decisions about it, within w: KODO_ENOTFOUND when id is not a monitor
 * of p's organization. Free with free() and store_events_free(). Any
 * role. */
int monitor_results(struct core *core, const struct principal *p,
		    const char *id, const struct list_window *w,
		    struct check_result **out, size_t *n);
int monitor_events(struct core *core, const struct principal *p,
		   const char *id, const struct list_window *w,
		   struct monitor_event **out, size_t *n);

/* The severity a monitor's incidents get. */
enum severity monitor_severity(const struct monitor *m);
/* Parses "200" or "200-399" (100-599); false when malformed. */
bool status_range_parse(const char *s, struct status_range *out);

#endif
