/*
 * model_monitor — monitors, their check results and the safeguard
 * pipeline's memory of them, as records shared by core/, probe/ and store/.
 */
#ifndef KODO_STORE_MODEL_MONITOR_H
#define KODO_STORE_MODEL_MONITOR_H

#include "store/model.h"

enum monitor_type {
	MON_HTTP = 0,
	MON_HEARTBEAT = 1,
	MON_INTEGRATION = 2,
	MON_BEACON = 3,
};

/* An expected status range, inclusive; a single code has lo == hi. */
struct status_range {
	int lo, hi;
};

#define MONITOR_MAX_RANGES 16
#define MONITOR_MAX_HEADERS 32

struct http_header {
	char *name;
	char *value;
};

/* What an HTTP check does. */
struct http_spec {
	char *url;
	char *method;
	int64_t interval_s;
	int64_t timeout_ms;
	struct status_range expected[MONITOR_MAX_RANGES];
	int n_expected;
	char *keyword; /* NULL: no keyword check */
	struct http_header *headers;
	size_t n_headers;
	bool tls_verify;
	int64_t cert_expiry_days; /* warn when the certificate expires sooner */
};

struct monitor {
	char id[ID_LEN];
	char org_id[ID_LEN];
	int64_t seq; /* store-assigned, compact key for results */
	char *name;
	enum monitor_type type;
	enum severity severity;	  /* SEV_NONE: the type's default */
	int64_t failures_to_open; /* 0: the organization's setting */
	char depends_on[ID_LEN];  /* "" when none */
	bool paused;
	struct service_ref *services;
	size_t n_services;
	struct http_spec http;
	int64_t created_at;
	int64_t updated_at;
};

/* A page of a newest-first list: items at or after since (ms), strictly
 * before position `before` (results: their time in ms; events: their seq;
 * 0 = no bound), at most limit. */
struct list_window {
	int64_t since;
	int64_t before;
	int64_t limit;
};

/* The outcome of one check, with a reason a person can act on. */
struct check_result {
	char monitor_id[ID_LEN];
	int64_t at;
	bool ok;
	int64_t latency_ms;    /* total */
	int64_t dns_ms, connect_ms, tls_ms, ttfb_ms;
	int http_status;       /* 0 when no response */
	int64_t cert_expires_at; /* 0 when unknown or plain HTTP */
	char detail[256];      /* failure reason, or a warning, or "" */
};

enum monitor_phase {
	PHASE_UNKNOWN = 0, /* no verdict yet */
	PHASE_UP = 1,
	PHASE_DOWN = 2,
	PHASE_RECOVERING = 3, /* back up; "monitoring" posted, not resolved */
};

#define FLAP_MAX_TRACKED 64

/* The pipeline's memory of a monitor; persisted with every result. */
struct monitor_state {
	enum monitor_phase phase;
	int64_t fails;	   /* consecutive failing checks */
	int64_t successes; /* consecutive passing checks */
	int64_t first_failure_at;
	char last_reason[256];
	int64_t transitions[FLAP_MAX_TRACKED]; /* phase changes, oldest first */
	int n_transitions;
	bool flapping;
	char incident_id[ID_LEN]; /* the open incident it is attached to */
	int64_t last_check_at;
	bool last_ok;
	int64_t last_latency_ms;
	int64_t cert_expires_at; /* 0 when unknown */
};

struct monitor_event {
	int64_t seq; /* store-assigned order, for cursors */
	char id[ID_LEN];
	char monitor_id[ID_LEN];
	char incident_id[ID_LEN];
	int64_t at;
	char kind[32]; /* "opened", "deduped", ... */
	char *detail;
};

void monitor_cleanup(struct monitor *m);
void http_spec_cleanup(struct http_spec *h);
/* Deep copy into dst (caller cleans up). */
void http_spec_copy(struct http_spec *dst, const struct http_spec *src);
const char *monitor_type_name(enum monitor_type t);
bool monitor_type_parse(const char *s, enum monitor_type *out);
const char *monitor_phase_name(enum monitor_phase p);

#endif
