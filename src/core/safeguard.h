/*
 * safeguard — the safeguard pipeline's decisions, as pure functions.
 *
 * Every monitor type feeds check results here. safeguard_observe() keeps a
 * monitor's counters and phase (flap protection: N failures to go down, M
 * successes to come back, flapping when the phase changes too often) and
 * says which edge a result crossed. safeguard_decide() turns an edge and
 * the facts around it (dedup, parent, group, cooldown, drafts) into one
 * action. No I/O and no clock of its own: tests drive it with plain data;
 * core/runner.c gathers the facts and carries the actions out.
 */
#ifndef KODO_CORE_SAFEGUARD_H
#define KODO_CORE_SAFEGUARD_H

#include "store/model_monitor.h"

/* The organization's automation settings with a monitor's overrides,
 * durations in ms. */
struct safeguard_params {
	int64_t failures_to_open;
	int64_t successes_to_resolve;
	int64_t flap_window_ms;
	int64_t flap_max_transitions;
	int64_t cooldown_ms;
	int64_t group_window_ms;
	int64_t auto_publish_after_ms; /* -1: never */
	bool draft_mode;
	bool auto_resolve;
};

enum sg_edge {
	EDGE_NONE,
	EDGE_BLIP,	 /* failures ended below the threshold: suppressed */
	EDGE_DOWN,	 /* the threshold of failures was crossed */
	EDGE_REASON,	 /* still down, for a different reason */
	EDGE_UP,	 /* enough successes: recovering */
	EDGE_RECOVERED,	 /* recovery held as long again: resolve */
	EDGE_FLAP_START, /* too many phase changes in the window */
	EDGE_FLAP_END,	 /* calm again */
};

struct sg_observation {
	enum sg_edge edge;
	enum sg_edge flap; /* EDGE_NONE, EDGE_FLAP_START or EDGE_FLAP_END */
	int64_t blip_fails; /* for EDGE_BLIP: how many failures were ignored */
};

/* Updates s with result r; what changed goes to *out. */
void safeguard_observe(struct monitor_state *s, const struct check_result *r,
		       const struct safeguard_params *p,
		       struct sg_observation *out);

/* What the runner found around a monitor when an edge needs a decision. */
struct sg_facts {
	bool attached_open;  /* s->incident_id names an open incident */
	bool attached_draft; /* ... which is an unpublished draft */
	bool others_attached; /* other monitors still down on it */
	char parent_incident[ID_LEN]; /* depends_on is down on this one */
	char group_incident[ID_LEN];  /* a recent open auto-incident on a
				       * shared service */
	char cooldown_incident[ID_LEN]; /* last auto-incident, created within
					 * cooldown and since resolved */
};

enum sg_action {
	SG_NONE,
	SG_OPEN,	  /* create an auto-incident and attach */
	SG_OPEN_FLAPPING, /* create one that says the monitor is flapping */
	SG_UPDATE,	  /* post an update to the attached incident */
	SG_JOIN,	  /* attach to target and post an update there */
	SG_REOPEN,	  /* cooldown: reopen target, attach */
	SG_MONITORING,	  /* post "monitoring" to the attached incident */
	SG_RESOLVE,	  /* post "resolved", detach */
	SG_RESOLVE_QUIET, /* resolve an unpublished draft, never shown */
	SG_DETACH,	  /* leave the incident open, detach */
	SG_HOLD,	  /* flapping: keep the incident as it is */
};

struct sg_decision {
	enum sg_action action;
	char target[ID_LEN]; /* SG_JOIN, SG_REOPEN */
	const char *event;   /* what the events log calls it */
	char why[640];	     /* for the events log and the timeline */
};

void safeguard_decide(const struct sg_observation *o,
		      const struct monitor_state *s, const struct sg_facts *f,
		      const struct safeguard_params *p, const char *monitor_name,
		      struct sg_decision *out);

/* True when a draft auto-incident has waited long enough to be published
 * while its monitor is still down. */
bool safeguard_should_publish(const struct safeguard_params *p,
			      const struct monitor_state *s, bool draft,
			      int64_t created_at, int64_t now);

#endif
