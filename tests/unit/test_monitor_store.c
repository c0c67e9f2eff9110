/* Store contract for monitors: results, rollups, pruning, pipeline state,
 * and the database's one-open-auto-incident-per-monitor rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/statuspage.h"
#include "core/incident.h"
#include "core/service.h"
#include "core/monitor.h"
#include "unit.h"

static void make_monitor(struct fixture *f, struct monitor_view *v)
{
	struct monitor_input in = { .name = "API", .type = "http",
				    .url = "http://127.0.0.1:9/health" };
	struct kerr err = { 0 };
	CHECK_EQ_INT(monitor_create(&f->core, &f->owner, &in, v, &err), 0);
}

static void record(struct fixture *f, const struct monitor_view *v,
		   int64_t at, bool ok, int64_t latency)
{
	struct result_record rec = { .monitor_seq = v->m.seq };
	memcpy(rec.result.monitor_id, v->m.id, ID_LEN);
	rec.result.at = at;
	rec.result.ok = ok;
	rec.result.latency_ms = latency;
	rec.state.phase = ok ? PHASE_UP : PHASE_DOWN;
	rec.state.last_check_at = at;
	rec.state.last_ok = ok;
	CHECK_EQ_INT(store_results_record(f->core.store, &rec, 1), 0);
}

static void test_rollups(struct fixture *f)
{
	struct monitor_view v;
	make_monitor(f, &v);
	const int64_t hour = 3600000, h0 = 1796000400000LL / hour * hour;
	/* 100 checks in one hour: latencies 1..100 ms, 10 failures. */
	for (int i = 0; i < 100; i++)
		record(f, &v, h0 + i * 30000, i % 10 != 0, i + 1);
	record(f, &v, h0 + hour + 5, true, 7); /* the next hour */
	struct monitor_state st;
	CHECK_EQ_INT(store_monitor_state_get(f->core.store, v.m.id, &st), 0);
	CHECK_EQ_INT(st.last_check_at, h0 + hour + 5);
	CHECK_EQ_INT(st.phase, PHASE_UP);

	CHECK_EQ_INT(store_results_rollup(f->core.store, 0, h0, hour, h0 + hour),
		     0);
	struct rollup *r = NULL;
	size_t n = 0;
	CHECK_EQ_INT(store_rollups_list(f->core.store, f->owner.org_id, v.m.id,
					0, 0, &r, &n), 0);
	CHECK_EQ_INT(n, 1);
	if (n == 1) {
		CHECK_EQ_INT(r[0].start, h0);
		CHECK_EQ_INT(r[0].checks, 100);
		CHECK_EQ_INT(r[0].failures, 10);
		CHECK_EQ_INT(r[0].p50_ms, 50);
		CHECK_EQ_INT(r[0].p95_ms, 95);
	}
	free(r);
	/* Raw results before keep_after are gone; the later one stays. */
	struct check_result *res = NULL;
	struct list_window all = { .limit = 1000 };
	CHECK_EQ_INT(store_results_list(f->core.store, f->owner.org_id, v.m.id,
					&all, &res, &n), 0);
	CHECK_EQ_INT(n, 1);
	free(res);
	/* Another organization sees none of it. */
	CHECK_EQ_INT(store_rollups_list(f->core.store, "org_other", v.m.id, 0,
					0, &r, &n), 0);
	CHECK_EQ_INT(n, 0);
	free(r);
	monitor_cleanup(&v.m);
}

/* Windows of newest-first lists: since, before (exclusive), limit. */
static void test_list_windows(struct fixture *f)
{
	struct monitor_view v;
	make_monitor(f, &v);
	for (int i = 1; i <= 5; i++)
		record(f, &v, i * 1000, true, i);
	struct check_result *res = NULL;
	size_t n = 0;
	struct list_window w = { .since = 2000, .before = 5000, .limit = 2 };
	CHECK_EQ_INT(store_results_list(f->core.store, f->owner.org_id, v.m.id,
					&w, &res, &n), 0);
	CHECK_EQ_INT(n, 2);
	if (n == 2) {
		CHECK_EQ_INT(res[0].at, 4000);
		CHECK_EQ_INT(res[1].at, 3000);
	}
	free(res);
	w = (struct list_window){ .since = 2000, .before = 3000, .limit = 9 };
	CHECK_EQ_INT(store_results_list(f->core.store, f->owner.org_id, v.m.id,
					&w, &res, &n), 0);
	CHECK_EQ_INT(n, 1);
	free(res);

	for (int i = 1; i <= 3; i++) {
		struct monitor_event e = { .at = i * 1000 };
		snprintf(e.id, sizeof(e.id), "evt_window_%d", i);
		memcpy(e.monitor_id, v.m.id, ID_LEN);
		snprintf(e.kind, sizeof(e.kind), "opened");
		e.detail = "x";
		CHECK_EQ_INT(store_event_add(f->core.store, f->owner.org_id, &e), 0);
	}
	struct monitor_event *ev = NULL;
	w = (struct list_window){ .limit = 2 };
	CHECK_EQ_INT(store_events_list(f->core.store, f->owner.org_id, v.m.id,
				       &w, &ev, &n), 0);
	CHECK_EQ_INT(n, 2);
	int64_t last = n == 2 ? ev[1].seq : 0;
	CHECK(n == 2 && ev[0].seq > ev[1].seq && !strcmp(ev[0].id, "evt_window_3"));
	store_events_free(ev, n);
	w.before = last; /* the next page: what is older than the last seen */
	CHECK_EQ_INT(store_events_list(f->core.store, f->owner.org_id, v.m.id,
				       &w, &ev, &n), 0);
	CHECK(n == 1 && !strcmp(ev[0].id, "evt_window_1"));
	store_events_free(ev, n);
	monitor_cleanup(&v.m);
}

static void test_one_open_auto_incident(struct fixture *f)
{
	struct monitor_view v;
	make_monitor(f, &v);
	struct auto_incident a = { .org_id = f->owner.org_id,
				   .monitor_id = v.m.id, .title = "API is down",
				   .message = "status 500",
				   .severity = SEV_MAJOR,
				   .source = SRC_AUTO_UPTIME };
	struct incident inc, twin;
	struct kerr err = { 0 };
	CHECK_EQ_INT(incident_create_auto(&f->core, &a, &inc, &err), 0);
	CHECK_EQ_INT(inc.source, SRC_AUTO_UPTIME);
	struct monitor_state st;
	CHECK_EQ_INT(store_monitor_state_get(f->core.store, v.m.id, &st), 0);
	CHECK_STR(st.incident_id, inc.id); /* attached on creation */
	CHECK_EQ_INT(incident_create_auto(&f->core, &a, &twin, &err),
		     KODO_ECONFLICT);
	struct incident done;
	CHECK_EQ_INT(incident_note(&f->core, &f->owner, inc.id, IST_RESOLVED,
				   "fixed", &done, &err), 0);
	incident_cleanup(&done);
	CHECK_EQ_INT(incident_create_auto(&f->core, &a, &twin, &err), 0);
	incident_cleanup(&twin);
	incident_cleanup(&inc);
	monitor_cleanup(&v.m);
}

/* The status page's bars read day rollups, and today's hour rollups. */
static void test_day_checks(struct fixture *f)
{
	struct service_input si = { .name = "Checked" };
	struct service_view sv;
	struct kerr err = { 0 };
	CHECK_EQ_INT(service_create(&f->core, &f->owner, &si, &sv, &err), 0);
	const char *svcs[] = { sv.svc.id };
	struct monitor_input in = { .name = "Bars", .type = "http",
				    .url = "http://127.0.0.1:9/",
				    .has_services = true, .services = svcs,
				    .n_services = 1 };
	struct monitor_view v;
	CHECK_EQ_INT(monitor_create(&f->core, &f->owner, &in, &v, &err), 0);
	const int64_t hour = 3600000, day = 24 * hour;
	const int64_t today = 1796000400000LL / day * day, yesterday = today - day;
	for (int i = 0; i < 4; i++)
		record(f, &v, yesterday + i * hour, i != 0, 5);
	for (int i = 0; i < 3; i++)
		record(f, &v, today + i * hour, i != 2, 5);
	CHECK_EQ_INT(store_results_rollup(f->core.store, 1, yesterday, day, 0), 0);
	for (int i = 0; i < 3; i++)
		CHECK_EQ_INT(store_results_rollup(f->core.store, 0, today + i * hour,
						  hour, 0), 0);
	struct sp_snapshot snap = { .services = &sv.svc, .n_services = 1 };
	CHECK_EQ_INT(store_service_day_checks(f->core.store, f->owner.org_id,
					      yesterday, &snap.day_checks,
					      &snap.n_day_checks), 0);
	CHECK_EQ_INT(snap.n_day_checks, 2);
	if (snap.n_day_checks == 2) {
		CHECK_EQ_INT(snap.day_checks[0].day, yesterday);
		CHECK_EQ_INT(snap.day_checks[0].checks, 4);
		CHECK_EQ_INT(snap.day_checks[0].failures, 1);
		CHECK_EQ_INT(snap.day_checks[1].day, today);
		CHECK_EQ_INT(snap.day_checks[1].checks, 3);
		CHECK_EQ_INT(snap.day_checks[1].failures, 1);
	}
	/* The bars put them on the right cells. */
	struct day_input days[2] = { 0 };
	statuspage_check_days(&snap, 0, yesterday, days, 2);
	CHECK_EQ_INT(days[0].checks, 4);
	CHECK_EQ_INT(days[1].checks_failed, 1);
	free(snap.day_checks);
	service_cleanup(&sv.svc);
	monitor_cleanup(&v.m);
}

void suite_monitor_store(void)
{
	struct fixture f;
	fixture_init(&f);
	test_rollups(&f);
	test_list_windows(&f);
	test_one_open_auto_incident(&f);
	test_day_checks(&f);
	fixture_cleanup(&f);
}
