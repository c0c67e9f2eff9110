/* safeguard — see safeguard.h. */
#include "core/safeguard.h"

#include <stdio.h>
#include <string.h>

/* Drops transitions that fell out of the window; true when flapping. */
static bool prune_transitions(struct monitor_state *s, int64_t now,
			      const struct safeguard_params *p)
{
	int keep = 0;
	for (int i = 0; i < s->n_transitions; i++)
		if (now - s->transitions[i] < p->flap_window_ms)
			s->transitions[keep++] = s->transitions[i];
	s->n_transitions = keep;
	return s->n_transitions > p->flap_max_transitions;
}

static void note_transition(struct monitor_state *s, int64_t at)
{
	if (s->n_transitions == FLAP_MAX_TRACKED) {
		memmove(s->transitions, s->transitions + 1,
			(FLAP_MAX_TRACKED - 1) * sizeof(s->transitions[0]));
		s->n_transitions--;
	}
	s->transitions[s->n_transitions++] = at;
}

static enum sg_edge phase_step(struct monitor_state *s,
			       const struct check_result *r,
			       const struct safeguard_params *p,
			       int64_t prev_fails, bool reason_changed,
			       int64_t *blip)
{
	switch (s->phase) {
	case PHASE_UNKNOWN:
	case PHASE_UP:
		if (!r->ok && s->fails >= p->failures_to_open) {
			s->phase = PHASE_DOWN;
			return EDGE_DOWN;
		}
		if (r->ok) {
			s->phase = PHASE_UP;
			if (prev_fails > 0) {
				*blip = prev_fails;
				return EDGE_BLIP;
			}
		}
		return EDGE_NONE;
	case PHASE_DOWN:
		if (r->ok && s->successes >= p->successes_to_resolve) {
			s->phase = PHASE_RECOVERING;
			return EDGE_UP;
		}
		return !r->ok && reason_changed ? EDGE_REASON : EDGE_NONE;
	case PHASE_RECOVERING:
		if (!r->ok && s->fails >= p->failures_to_open) {
			s->phase = PHASE_DOWN;
			return EDGE_DOWN;
		}
		if (r->ok && s->successes >= 2 * p->successes_to_resolve) {
			s->phase = PHASE_UP;
			return EDGE_RECOVERED;
		}
		return EDGE_NONE;
	}
	return EDGE_NONE;
}

void safeguard_observe(struct monitor_state *s, const struct check_result *r,
		       const struct safeguard_params *p,
		       struct sg_observation *out)
{
	memset(out, 0, sizeof(*out));
	int64_t prev_fails = s->fails;
	bool reason_changed = false;
	s->last_check_at = r->at;
	s->last_ok = r->ok;
	s->last_latency_ms = r->latency_ms;
	if (r->cert_expires_at)
		s->cert_expires_at = r->cert_expires_at;
	if (r->ok) {
		s->successes++;
		s->fails = 0;
	} else {
		if (s->fails == 0)
			s->first_failure_at = r->at;
		s->fails++;
		s->successes = 0;
		reason_changed = strcmp(s->last_reason, r->detail) != 0;
		snprintf(s->last_reason, sizeof(s->last_reason), "%s", r->detail);
	}
	enum monitor_phase before = s->phase;
	out->edge = phase_step(s, r, p, prev_fails, reason_changed,
			       &out->blip_fails);
	/* A state change, for flap protection, is going down or coming up. */
	if ((before == PHASE_DOWN) != (s->phase == PHASE_DOWN))
		note_transition(s, r->at);
	bool flapping = prune_transitions(s, r->at, p);
	if (flapping && !s->flapping)
		out->flap = EDGE_FLAP_START;
	else if (!flapping && s->flapping)
		out->flap = EDGE_FLAP_END;
	s->flapping = flapping;
}

static void set(struct sg_decision *d, enum sg_action a, const char *event,
		const char *target)
{
	d->action = a;
	d->event = event;
	if (target)
		snprintf(d->target, sizeof(d->target), "%s", target);
}

static void decide_down(const struct monitor_state *s, const struct sg_facts *f,
			const char *name, struct sg_decision *d)
{
	if (f->attached_open) {
		set(d, SG_UPDATE, "deduped", NULL);
		snprintf(d->why, sizeof(d->why), "%.100s is failing again: %s", name,
			 s->last_reason);
	} else if (f->parent_incident[0]) {
		set(d, SG_JOIN, "joined_parent", f->parent_incident);
		snprintf(d->why, sizeof(d->why),
			 "%.100s is failing too (%s); it depends on a monitor that "
			 "is already down",
			 name, s->last_reason);
	} else if (f->group_incident[0]) {
		set(d, SG_JOIN, "joined_group", f->group_incident);
		snprintf(d->why, sizeof(d->why),
			 "%.100s is failing too (%s); joined this incident on a "
			 "shared service",
			 name, s->last_reason);
	} else if (f->cooldown_incident[0]) {
		set(d, SG_REOPEN, "cooldown_reopened", f->cooldown_incident);
		snprintf(d->why, sizeof(d->why),
			 "%.100s is failing again (%s); reopened within the cooldown",
			 name, s->last_reason);
	} else if (s->flapping) {
		set(d, SG_OPEN_FLAPPING, "opened_flapping", NULL);
		snprintf(d->why, sizeof(d->why),
			 "%.100s is flapping: it changed state %d times in the flap "
			 "window (last failure: %s)",
			 name, s->n_transitions, s->last_reason);
	} else {
		set(d, SG_OPEN, "opened", NULL);
		snprintf(d->why, sizeof(d->why), "%.100s is failing: %s", name,
			 s->last_reason);
	}
}

static void decide_up(const struct sg_facts *f, const struct monitor_state *s,
		      const char *name, struct sg_decision *d)
{
	if (!f->attached_open)
		return;
	if (s->flapping) {
		set(d, SG_HOLD, "resolve_held_flapping", NULL);
		snprintf(d->why, sizeof(d->why),
			 "%s responds again but is flapping; the incident stays "
			 "open",
			 name);
	} else if (f->attached_draft) {
		set(d, SG_RESOLVE_QUIET, "resolved_quietly", NULL);
		snprintf(d->why, sizeof(d->why),
			 "%s recovered before this draft was published; "
			 "resolved without showing it",
			 name);
	} else if (f->others_attached) {
		set(d, SG_DETACH, "recovered_others_down", NULL);
		snprintf(d->why, sizeof(d->why),
			 "%s recovered; other monitors on this incident are "
			 "still failing",
			 name);
	} else {
		set(d, SG_MONITORING, "monitoring", NULL);
		snprintf(d->why, sizeof(d->why),
			 "%.100s is responding again; monitoring the recovery", name);
	}
}

static void decide_recovered(const struct sg_facts *f,
			     const struct monitor_state *s,
			     const struct safeguard_params *p, const char *name,
			     struct sg_decision *d)
{
	if (!f->attached_open)
		return;
	if (s->flapping) {
		set(d, SG_HOLD, "resolve_held_flapping", NULL);
		snprintf(d->why, sizeof(d->why),
			 "%.100s is up but flapping; the incident stays open", name);
	} else if (f->attached_draft) {
		set(d, SG_RESOLVE_QUIET, "resolved_quietly", NULL);
		snprintf(d->why, sizeof(d->why),
			 "%s recovered before this draft was published", name);
	} else if (!p->auto_resolve || f->others_attached) {
		set(d, SG_DETACH, p->auto_resolve ? "recovered_others_down"
						  : "auto_resolve_off",
		    NULL);
		snprintf(d->why, sizeof(d->why),
			 "%s has recovered; the incident is left for the team "
			 "to resolve",
			 name);
	} else {
		set(d, SG_RESOLVE, "resolved", NULL);
		snprintf(d->why, sizeof(d->why),
			 "%s has been healthy for %lld checks; resolved "
			 "automatically",
			 name, (long long)(2 * p->successes_to_resolve));
	}
}

void safeguard_decide(const struct sg_observation *o,
		      const struct monitor_state *s, const struct sg_facts *f,
		      const struct safeguard_params *p, const char *monitor_name,
		      struct sg_decision *out)
{
	memset(out, 0, sizeof(*out));
	out->action = SG_NONE;
	bool calmed = o->flap == EDGE_FLAP_END &&
		      (s->phase == PHASE_UP || s->phase == PHASE_RECOVERING);
	if (o->flap == EDGE_FLAP_START && f->attached_open) {
		set(out, SG_UPDATE, "flapping", NULL);
		snprintf(out->why, sizeof(out->why),
			 "%.100s is flapping (%d state changes in the flap window); "
			 "holding this incident open until it is stable",
			 monitor_name, s->n_transitions);
		return;
	}
	switch (o->edge) {
	case EDGE_DOWN:
		decide_down(s, f, monitor_name, out);
		return;
	case EDGE_REASON:
		if (f->attached_open) {
			set(out, SG_UPDATE, "reason_changed", NULL);
			snprintf(out->why, sizeof(out->why),
				 "%.100s is still failing, now: %s", monitor_name,
				 s->last_reason);
		}
		return;
	case EDGE_UP:
		decide_up(f, s, monitor_name, out);
		return;
	case EDGE_RECOVERED:
		decide_recovered(f, s, p, monitor_name, out);
		return;
	default:
		break;
	}
	if (calmed && s->phase == PHASE_UP)
		decide_recovered(f, s, p, monitor_name, out);
	else if (calmed)
		decide_up(f, s, monitor_name, out);
}

bool safeguard_should_publish(const struct safeguard_params *p,
			      const struct monitor_state *s, bool draft,
			      int64_t created_at, int64_t now)
{
	return draft && p->auto_publish_after_ms >= 0 &&
	       s->phase == PHASE_DOWN &&
	       now - created_at >= p->auto_publish_after_ms;
}
