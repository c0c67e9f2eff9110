/* Unit tests of core/safeguard: flap protection, dedup, cooldown, drafts
 * and auto-resolve as decisions on plain data. */
#include <string.h>

#include "core/safeguard.h"
#include "unit.h"

static struct safeguard_params params(void)
{
	struct safeguard_params p = {
		.failures_to_open = 3, .successes_to_resolve = 2,
		.flap_window_ms = 600000, .flap_max_transitions = 4,
		.cooldown_ms = 900000, .group_window_ms = 300000,
		.auto_publish_after_ms = -1, .draft_mode = false,
		.auto_resolve = true,
	};
	return p;
}

static int64_t now = 1000000;

static struct sg_observation check(struct monitor_state *s, bool ok,
				   const char *reason,
				   const struct safeguard_params *p)
{
	struct check_result r = { .at = now, .ok = ok };
	snprintf(r.detail, sizeof(r.detail), "%s", ok ? "" : reason);
	now += 30000;
	struct sg_observation o;
	safeguard_observe(s, &r, p, &o);
	return o;
}

static void test_threshold(void)
{
	struct safeguard_params p = params();
	struct monitor_state s = { 0 };
	CHECK_EQ_INT(check(&s, true, "", &p).edge, EDGE_NONE);
	CHECK_EQ_INT(s.phase, PHASE_UP);
	int64_t first = now;
	CHECK_EQ_INT(check(&s, false, "status 500", &p).edge, EDGE_NONE);
	CHECK_EQ_INT(check(&s, false, "status 500", &p).edge, EDGE_NONE);
	CHECK_EQ_INT(check(&s, false, "status 500", &p).edge, EDGE_DOWN);
	CHECK_EQ_INT(s.first_failure_at, first); /* started_at: first failure */
	CHECK_EQ_INT(check(&s, false, "status 500", &p).edge, EDGE_NONE);
	CHECK_EQ_INT(check(&s, false, "timeout after 500 ms", &p).edge,
		     EDGE_REASON);
	CHECK_EQ_INT(check(&s, true, "", &p).edge, EDGE_NONE);
	CHECK_EQ_INT(check(&s, true, "", &p).edge, EDGE_UP);
	CHECK_EQ_INT(s.phase, PHASE_RECOVERING);
	CHECK_EQ_INT(check(&s, true, "", &p).edge, EDGE_NONE);
	CHECK_EQ_INT(check(&s, true, "", &p).edge, EDGE_RECOVERED);
	CHECK_EQ_INT(s.phase, PHASE_UP);
}

static void test_blip(void)
{
	struct safeguard_params p = params();
	struct monitor_state s = { 0 };
	check(&s, true, "", &p);
	check(&s, false, "status 502", &p);
	check(&s, false, "status 502", &p);
	struct sg_observation o = check(&s, true, "", &p);
	CHECK_EQ_INT(o.edge, EDGE_BLIP);
	CHECK_EQ_INT(o.blip_fails, 2);
	CHECK_EQ_INT(s.phase, PHASE_UP);
	/* The count reset: two more failures still do not open. */
	CHECK_EQ_INT(check(&s, false, "x", &p).edge, EDGE_NONE);
	CHECK_EQ_INT(check(&s, false, "x", &p).edge, EDGE_NONE);
}

static void test_monitor_override(void)
{
	struct safeguard_params p = params();
	p.failures_to_open = 1;
	struct monitor_state s = { 0 };
	CHECK_EQ_INT(check(&s, false, "x", &p).edge, EDGE_DOWN);
}

static void test_flapping(void)
{
	struct safeguard_params p = params();
	p.failures_to_open = 1;
	p.successes_to_resolve = 1;
	struct monitor_state s = { 0 };
	check(&s, true, "", &p);
	int started = 0;
	for (int i = 0; i < 4; i++) {
		struct sg_observation a = check(&s, false, "x", &p);
		struct sg_observation b = check(&s, true, "", &p);
		started += (a.flap == EDGE_FLAP_START) + (b.flap == EDGE_FLAP_START);
	}
	CHECK_EQ_INT(started, 1);
	CHECK(s.flapping);
	/* Quiet for longer than the window: flapping ends. */
	now += p.flap_window_ms;
	struct sg_observation o = check(&s, true, "", &p);
	CHECK_EQ_INT(o.flap, EDGE_FLAP_END);
	CHECK(!s.flapping);
}

static struct sg_decision decide(enum sg_edge edge, const struct monitor_state *s,
				 const struct sg_facts *f,
				 const struct safeguard_params *p)
{
	struct sg_observation o = { .edge = edge };
	struct sg_decision d;
	safeguard_decide(&o, s, f, p, "API health", &d);
	return d;
}

static void test_decisions(void)
{
	struct safeguard_params p = params();
	struct monitor_state s = { .phase = PHASE_DOWN };
	snprintf(s.last_reason, sizeof(s.last_reason), "status 503");
	struct sg_facts f = { 0 };
	struct sg_decision d = decide(EDGE_DOWN, &s, &f, &p);
	CHECK_EQ_INT(d.action, SG_OPEN);
	CHECK(strstr(d.why, "status 503") != NULL);
	CHECK_STR(d.event, "opened");

	f.attached_open = true; /* dedup */
	CHECK_EQ_INT(decide(EDGE_DOWN, &s, &f, &p).action, SG_UPDATE);
	CHECK_EQ_INT(decide(EDGE_REASON, &s, &f, &p).action, SG_UPDATE);

	memset(&f, 0, sizeof(f));
	snprintf(f.cooldown_incident, ID_LEN, "inc_old");
	d = decide(EDGE_DOWN, &s, &f, &p);
	CHECK_EQ_INT(d.action, SG_REOPEN);
	CHECK_STR(d.target, "inc_old");

	snprintf(f.group_incident, ID_LEN, "inc_group");
	d = decide(EDGE_DOWN, &s, &f, &p);
	CHECK_EQ_INT(d.action, SG_JOIN); /* joining beats a cooldown reopen */
	CHECK_STR(d.target, "inc_group");
	snprintf(f.parent_incident, ID_LEN, "inc_parent");
	d = decide(EDGE_DOWN, &s, &f, &p);
	CHECK_EQ_INT(d.action, SG_JOIN);
	CHECK_STR(d.target, "inc_parent"); /* the parent comes first */
	CHECK_STR(d.event, "joined_parent");

	memset(&f, 0, sizeof(f));
	s.flapping = true;
	CHECK_EQ_INT(decide(EDGE_DOWN, &s, &f, &p).action, SG_OPEN_FLAPPING);
	f.attached_open = true;
	s.phase = PHASE_RECOVERING;
	CHECK_EQ_INT(decide(EDGE_UP, &s, &f, &p).action, SG_HOLD);
	s.flapping = false;
	CHECK_EQ_INT(decide(EDGE_UP, &s, &f, &p).action, SG_MONITORING);
	CHECK_EQ_INT(decide(EDGE_RECOVERED, &s, &f, &p).action, SG_RESOLVE);
	f.attached_draft = true;
	CHECK_EQ_INT(decide(EDGE_UP, &s, &f, &p).action, SG_RESOLVE_QUIET);
	f.attached_draft = false;
	f.others_attached = true;
	CHECK_EQ_INT(decide(EDGE_RECOVERED, &s, &f, &p).action, SG_DETACH);
	f.others_attached = false;
	p.auto_resolve = false;
	d = decide(EDGE_RECOVERED, &s, &f, &p);
	CHECK_EQ_INT(d.action, SG_DETACH);
	CHECK_STR(d.event, "auto_resolve_off");
	f.attached_open = false;
	CHECK_EQ_INT(decide(EDGE_UP, &s, &f, &p).action, SG_NONE);
}

static void test_publish(void)
{
	struct safeguard_params p = params();
	struct monitor_state s = { .phase = PHASE_DOWN };
	CHECK(!safeguard_should_publish(&p, &s, true, 0, 10000000));
	p.auto_publish_after_ms = 60000;
	CHECK(!safeguard_should_publish(&p, &s, true, 1000, 60999));
	CHECK(safeguard_should_publish(&p, &s, true, 1000, 61000));
	CHECK(!safeguard_should_publish(&p, &s, false, 1000, 61000));
	s.phase = PHASE_RECOVERING;
	CHECK(!safeguard_should_publish(&p, &s, true, 1000, 61000));
}

void suite_safeguard(void)
{
	test_threshold();
	test_blip();
	test_monitor_override();
	test_flapping();
	test_decisions();
	test_publish();
}
