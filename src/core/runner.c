/* runner — see runner.h. */
#define _POSIX_C_SOURCE 200809L
#include "core/runner.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/changes.h"
#include "core/incident.h"
#include "core/monitor.h"
#include "core/safeguard.h"
#include "core/settings.h"
#include "util/alloc.h"
#include "util/log.h"

#define N_BUCKETS 16384
#define TICK_MS 200
#define FLUSH_MS 250	 /* results wait at most this long for their batch */
#define FLUSH_MAX 2048 /* ... or until this many are waiting */
#define GROUP_WINDOW_S 300
#define RAW_KEEP_MS (48LL * 3600 * 1000)
#define HOUR_MS (3600LL * 1000)
#define DAY_MS (24 * HOUR_MS)

/* A monitor as the pipeline thread knows it. */
struct rt {
	struct monitor m;
	struct monitor_state st;
	bool attached_draft;
	int64_t attached_created_at;
	struct rt *next;
};

enum item_kind { ITEM_RESULT, ITEM_CHANGED, ITEM_REMOVED };

struct item {
	enum item_kind kind;
	struct check_result result;
	struct monitor m; /* ITEM_CHANGED: a copy */
	char id[ID_LEN];
	struct item *next;
};

struct org_settings {
	char org_id[ID_LEN];
	uint64_t gen;
	struct automation a;
};

struct runner {
	struct core *core;
	int64_t second_ms;
	struct scheduler *sched;
	pthread_t thread;
	pthread_mutex_t lock; /* guards the inbox and stopping */
	pthread_cond_t cv;
	struct item *head, *tail;
	size_t n_queued;
	bool stopping;
	/* The pipeline thread's own: */
	struct rt *buckets[N_BUCKETS];
	struct org_settings *orgs;
	size_t n_orgs;
	struct result_record *batch;
	size_t n_batch, cap_batch;
	int64_t flushed_at; /* monotonic ms */
	int64_t rolled_hour, rolled_day;
};

/* --- runtime table --- */

static size_t bucket(const char *id)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return h % N_BUCKETS;
}

static struct rt *rt_find(struct runner *r, const char *id)
{
	for (struct rt *t = r->buckets[bucket(id)]; t; t = t->next)
		if (strcmp(t->m.id, id) == 0)
			return t;
	return NULL;
}

static void monitor_copy(struct monitor *dst, const struct monitor *src)
{
	*dst = *src;
	dst->name = xstrdup(src->name);
	dst->services = xcalloc(src->n_services, sizeof(*dst->services));
	for (size_t i = 0; i < src->n_services; i++) {
		dst->services[i] = src->services[i];
		dst->services[i].name = xstrdup(src->services[i].name);
	}
	http_spec_copy(&dst->http, &src->http);
}

static void rt_upsert(struct runner *r, const struct monitor *m)
{
	struct rt *t = rt_find(r, m->id);
	if (t) {
		monitor_cleanup(&t->m);
	} else {
		t = xcalloc(1, sizeof(*t));
		store_monitor_state_get(r->core->store, m->id, &t->st);
		size_t b = bucket(m->id);
		t->next = r->buckets[b];
		r->buckets[b] = t;
	}
	monitor_copy(&t->m, m);
	scheduler_upsert(r->sched, m);
}

static void rt_remove(struct runner *r, const char *id)
{
	scheduler_remove(r->sched, id);
	struct rt **p = &r->buckets[bucket(id)];
	while (*p && strcmp((*p)->m.id, id) != 0)
		p = &(*p)->next;
	if (!*p)
		return;
	struct rt *t = *p;
	*p = t->next;
	monitor_cleanup(&t->m);
	free(t);
}

/* --- settings --- */

static const struct automation *settings_of(struct runner *r,
					    const char *org_id)
{
	uint64_t gen = changes_generation(r->core->changes, org_id);
	struct org_settings *o = NULL;
	for (size_t i = 0; i < r->n_orgs && !o; i++)
		if (strcmp(r->orgs[i].org_id, org_id) == 0)
			o = &r->orgs[i];
	if (!o) {
		r->orgs = xrealloc(r->orgs, (r->n_orgs + 1) * sizeof(*r->orgs));
		o = &r->orgs[r->n_orgs++];
		memset(o, 0, sizeof(*o));
		snprintf(o->org_id, sizeof(o->org_id), "%s", org_id);
	}
	if (o->gen != gen || !o->gen) {
		if (store_automation_get(r->core->store, org_id, &o->a) != 0)
			automation_defaults(&o->a);
		o->gen = gen;
	}
	return &o->a;
}

static void params_of(struct runner *r, const struct rt *t,
		      struct safeguard_params *p)
{
	const struct automation *a = settings_of(r, t->m.org_id);
	int64_t s = r->second_ms;
	p->failures_to_open = t->m.failures_to_open ? t->m.failures_to_open
						    : a->failures_to_open;
	p->successes_to_resolve = a->successes_to_resolve;
	p->flap_window_ms = a->flap_window_s * s;
	p->flap_max_transitions = a->flap_max_transitions;
	p->cooldown_ms = a->cooldown_s * s;
	p->group_window_ms = GROUP_WINDOW_S * s;
	p->auto_publish_after_ms =
		a->auto_publish_after_s < 0 ? -1 : a->auto_publish_after_s * s;
	p->draft_mode = a->draft_mode;
	p->auto_resolve = a->auto_resolve;
}

/* --- facts and actions --- */

static struct principal system_principal(const struct rt *t)
{
	struct principal p = { .role = ROLE_OWNER };
	memcpy(p.org_id, t->m.org_id, ID_LEN);
	snprintf(p.name, sizeof(p.name), "Kodo");
	return p;
}

/* Reads an incident's open/draft flags; false when gone or resolved. */
static bool incident_open(struct runner *r, const struct rt *t,
			  const char *id, bool *draft, int64_t *created)
{
	struct principal p = system_principal(t);
	struct incident inc;
	if (incident_get(r->core, &p, id, &inc) != 0)
		return false;
	bool open = inc.status != IST_RESOLVED;
	if (draft)
		*draft = inc.draft;
	if (created)
		*created = inc.created_at;
	incident_cleanup(&inc);
	return open;
}

static void attach(struct runner *r, struct rt *t, const char *incident_id)
{
	snprintf(t->st.incident_id, sizeof(t->st.incident_id), "%s",
		 incident_id);
	incident_open(r, t, incident_id, &t->attached_draft,
		      &t->attached_created_at);
	store_monitor_attach(r->core->store, t->m.org_id, t->m.id, incident_id,
			     clock_now(r->core->clock));
}

static void detach(struct runner *r, struct rt *t)
{
	t->st.incident_id[0] = '\0';
	t->attached_draft = false;
	store_monitor_detach(r->core->store, t->m.id);
}

static void gather_own(struct runner *r, struct rt *t,
		       const struct safeguard_params *p, struct sg_facts *f)
{
	if (t->st.incident_id[0]) {
		f->attached_open = incident_open(r, t, t->st.incident_id,
						 &f->attached_draft, NULL);
		if (!f->attached_open)
			detach(r, t); /* resolved by a person meanwhile */
	}
	if (f->attached_open)
		return;
	char last[ID_LEN];
	int64_t created = 0;
	enum incident_status status;
	if (store_monitor_last_incident(r->core->store, t->m.org_id, t->m.id,
					last, &created, &status) != 0)
		return;
	int64_t now = clock_now(r->core->clock);
	if (status != IST_RESOLVED) {
		/* Its own incident is open but unattached (a crash, or
		 * auto-resolve off): adopt it rather than open a twin. */
		attach(r, t, last);
		f->attached_open = true;
		f->attached_draft = t->attached_draft;
	} else if (now - created < p->cooldown_ms) {
		memcpy(f->cooldown_incident, last, ID_LEN);
	}
}

static void gather(struct runner *r, struct rt *t,
		   const struct safeguard_params *p, struct sg_facts *f)
{
	memset(f, 0, sizeof(*f));
	gather_own(r, t, p, f);
	if (f->attached_open) {
		int64_t n = 0;
		store_incident_attached_count(r->core->store, t->st.incident_id,
					      t->m.id, &n);
		f->others_attached = n > 0;
		return;
	}
	struct rt *parent = t->m.depends_on[0] ? rt_find(r, t->m.depends_on)
					       : NULL;
	if (parent && parent->st.phase == PHASE_DOWN &&
	    parent->st.incident_id[0] &&
	    incident_open(r, parent, parent->st.incident_id, NULL, NULL))
		memcpy(f->parent_incident, parent->st.incident_id, ID_LEN);
	int64_t since = clock_now(r->core->clock) - p->group_window_ms;
	store_group_incident(r->core->store, t->m.org_id, t->m.id, since,
			     f->group_incident);
}

static void record_event(struct runner *r, const struct rt *t,
			 const char *kind, const char *incident_id,
			 const char *detail)
{
	struct monitor_event e = { 0 };
	crypto_new_id("evt", e.id);
	memcpy(e.monitor_id, t->m.id, ID_LEN);
	snprintf(e.incident_id, sizeof(e.incident_id), "%s",
		 incident_id ? incident_id : "");
	e.at = clock_now(r->core->clock);
	snprintf(e.kind, sizeof(e.kind), "%s", kind);
	e.detail = (char *)detail;
	store_event_add(r->core->store, t->m.org_id, &e);
	log_info("monitor %s: %s: %s", t->m.id, kind, detail);
}

static enum incident_source source_of(const struct monitor *m)
{
	switch (m->type) {
	case MON_HEARTBEAT: return SRC_AUTO_HEARTBEAT;
	case MON_INTEGRATION: return SRC_AUTO_INTEGRATION;
	case MON_BEACON: return SRC_AUTO_BEACON;
	default: return SRC_AUTO_UPTIME;
	}
}

static void open_incident(struct runner *r, struct rt *t,
			  const struct safeguard_params *p,
			  const struct sg_decision *d)
{
	char title[INCIDENT_TITLE_MAX + 1];
	snprintf(title, sizeof(title), "%.150s %s", t->m.name,
		 d->action == SG_OPEN_FLAPPING ? "is flapping" : "is down");
	struct auto_incident a = {
		.org_id = t->m.org_id, .monitor_id = t->m.id, .title = title,
		.message = d->why, .severity = monitor_severity(&t->m),
		.source = source_of(&t->m), .services = t->m.services,
		.n_services = t->m.n_services, .draft = p->draft_mode,
		.started_at = t->st.first_failure_at,
	};
	struct incident inc;
	struct kerr err = { 0 };
	int rc = incident_create_auto(r->core, &a, &inc, &err);
	if (rc == 0) {
		snprintf(t->st.incident_id, sizeof(t->st.incident_id), "%s",
			 inc.id);
		t->attached_draft = inc.draft;
		t->attached_created_at = inc.created_at;
		incident_cleanup(&inc);
	} else {
		log_error("monitor %s: cannot open an incident: %s", t->m.id,
			  err.message);
	}
}

static void note(struct runner *r, struct rt *t, const char *incident_id,
		 int status, const char *message)
{
	struct principal p = system_principal(t);
	struct incident inc;
	struct kerr err = { 0 };
	if (incident_note(r->core, &p, incident_id, status, message, &inc,
			  &err) == 0)
		incident_cleanup(&inc);
	else
		log_warn("monitor %s: cannot update incident %s: %s", t->m.id,
			 incident_id, err.message);
}

/* Adds the joining monitor's services to the incident it joins. */
static int add_services(struct incident *inc, void *arg, struct kerr *err)
{
	(void)err;
	const struct monitor *m = arg;
	for (size_t i = 0; i < m->n_services; i++) {
		bool have = false;
		for (size_t j = 0; j < inc->n_services && !have; j++)
			have = strcmp(inc->services[j].id, m->services[i].id) == 0;
		if (have)
			continue;
		inc->services = xrealloc(inc->services, (inc->n_services + 1) *
								sizeof(*inc->services));
		inc->services[inc->n_services] = m->services[i];
		inc->services[inc->n_services++].name =
			xstrdup(m->services[i].name);
	}
	return 0;
}

static void join(struct runner *r, struct rt *t, const struct sg_decision *d)
{
	note(r, t, d->target, INVESTIGATE, d->why);
	struct kerr err;
	if (store_incident_mutate(r->core->store, t->m.org_id, d->target,
				  add_services, &t->m, NULL, &err) == 0)
		core_touch(r->core, t->m.org_id);
	attach(r, t, d->target);
}

static void act(struct runner *r, struct rt *t,
		const struct safeguard_params *p, const struct sg_decision *d)
{
	char incident[ID_LEN];
	memcpy(incident, t->st.incident_id, ID_LEN);
	switch (d->action) {
	case SG_NONE:
		return;
	case SG_OPEN:
	case SG_OPEN_FLAPPING:
		open_incident(r, t, p, d);
		break;
	case SG_UPDATE:
		note(r, t, incident, INVESTIGATE, d->why);
		break;
	case SG_JOIN:
		join(r, t, d);
		break;
	case SG_REOPEN:
		note(r, t, d->target, IST_INVESTIGATING, d->why);
		attach(r, t, d->target);
		break;
	case SG_MONITORING:
		note(r, t, incident, IST_MONITORING, d->why);
		break;
	case SG_RESOLVE:
	case SG_RESOLVE_QUIET:
		note(r, t, incident, IST_RESOLVED, d->why);
		detach(r, t);
		break;
	case SG_DETACH:
		note(r, t, incident, KEEP_STATUS, d->why);
		detach(r, t);
		break;
	case SG_HOLD:
		break;
	}
	record_event(r, t, d->event,
		     t->st.incident_id[0] ? t->st.incident_id
		     : d->target[0]	  ? d->target
					  : incident,
		     d->why);
}

static void maybe_publish(struct runner *r, struct rt *t,
			  const struct safeguard_params *p, int64_t now)
{
	if (!t->st.incident_id[0] || !t->attached_draft || t->m.paused ||
	    !safeguard_should_publish(p, &t->st, true, t->attached_created_at,
				      now))
		return;
	/* A person may have published (or resolved) it meanwhile. */
	bool draft = false;
	if (!incident_open(r, t, t->st.incident_id, &draft, NULL) || !draft) {
		t->attached_draft = false;
		return;
	}
	struct principal sys = system_principal(t);
	struct incident inc;
	struct kerr err = { 0 };
	if (incident_publish(r->core, &sys, t->st.incident_id, &inc, &err) != 0)
		return;
	incident_cleanup(&inc);
	t->attached_draft = false;
	char why[160];
	snprintf(why, sizeof(why),
		 "published automatically: still failing after %lld s",
		 (long long)(p->auto_publish_after_ms / r->second_ms));
	record_event(r, t, "published", t->st.incident_id, why);
}

/* --- results --- */

static void batch_add(struct runner *r, const struct rt *t,
		      const struct check_result *res)
{
	if (r->n_batch == r->cap_batch) {
		r->cap_batch = r->cap_batch ? r->cap_batch * 2 : 256;
		r->batch = xrealloc(r->batch, r->cap_batch * sizeof(*r->batch));
	}
	struct result_record *rec = &r->batch[r->n_batch++];
	rec->monitor_seq = t->m.seq;
	rec->result = *res;
	rec->state = t->st;
}

static void process_result(struct runner *r, const struct check_result *res)
{
	struct rt *t = rt_find(r, res->monitor_id);
	if (!t || t->m.paused)
		return;
	struct safeguard_params p;
	params_of(r, t, &p);
	struct sg_observation obs;
	safeguard_observe(&t->st, res, &p, &obs);
	if (obs.edge == EDGE_BLIP) {
		char why[200];
		snprintf(why, sizeof(why),
			 "%lld failing check(s) ignored: fewer than the %lld "
			 "needed to open an incident",
			 (long long)obs.blip_fails,
			 (long long)p.failures_to_open);
		record_event(r, t, "suppressed_flap_protection", NULL, why);
	} else if (obs.edge != EDGE_NONE || obs.flap != EDGE_NONE) {
		struct sg_facts f;
		struct sg_decision d;
		gather(r, t, &p, &f);
		safeguard_decide(&obs, &t->st, &f, &p, t->m.name, &d);
		act(r, t, &p, &d);
	}
	maybe_publish(r, t, &p, res->at);
	batch_add(r, t, res);
}

/* One commit (one fsync) for many results: check results are not
 * acknowledged to anyone, so they may wait a moment for company. */
static void flush_batch(struct runner *r, bool force)
{
	int64_t now = clock_mono_ms();
	if (!r->n_batch || (!force && r->n_batch < FLUSH_MAX &&
			    now - r->flushed_at < FLUSH_MS))
		return;
	r->flushed_at = now;
	if (store_results_record(r->core->store, r->batch, r->n_batch) != 0)
		log_error("cannot store %zu check results", r->n_batch);
	r->n_batch = 0;
	/* Monitor states changed: the API and pages read them. */
}

/* --- the pipeline thread --- */

static void tick(struct runner *r)
{
	int64_t now = clock_now(r->core->clock);
	for (size_t b = 0; b < N_BUCKETS; b++) {
		for (struct rt *t = r->buckets[b]; t; t = t->next) {
			if (!t->attached_draft)
				continue;
			struct safeguard_params p;
			params_of(r, t, &p);
			maybe_publish(r, t, &p, now);
		}
	}
	int64_t hour = now / HOUR_MS, day = now / DAY_MS;
	if (hour != r->rolled_hour) {
		store_results_rollup(r->core->store, 0, (hour - 1) * HOUR_MS,
				     HOUR_MS, now - RAW_KEEP_MS);
		r->rolled_hour = hour;
		/* New rollups: the status pages' uptime bars change. */
		for (size_t i = 0; i < r->n_orgs; i++)
			core_touch(r->core, r->orgs[i].org_id);
	}
	if (day != r->rolled_day) {
		store_results_rollup(r->core->store, 1, (day - 1) * DAY_MS,
				     DAY_MS, 0);
		r->rolled_day = day;
	}
}

static void handle(struct runner *r, struct item *it)
{
	switch (it->kind) {
	case ITEM_RESULT:
		process_result(r, &it->result);
		break;
	case ITEM_CHANGED:
		rt_upsert(r, &it->m);
		break;
	case ITEM_REMOVED:
		rt_remove(r, it->id);
		break;
	}
}

/*
 * Waits up to BATCH_WAIT_MS for work to gather (or until QUEUE_WAKE items
 * wait), then takes it all: one wake-up per batch, not per result.
 */
#define BATCH_WAIT_MS 50
#define QUEUE_WAKE 256

static struct item *take_all(struct runner *r, bool *stop)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += BATCH_WAIT_MS * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&r->lock);
	while (!r->stopping && r->n_queued < QUEUE_WAKE &&
	       pthread_cond_timedwait(&r->cv, &r->lock, &ts) == 0)
		;
	struct item *all = r->head;
	r->head = r->tail = NULL;
	r->n_queued = 0;
	*stop = r->stopping;
	pthread_mutex_unlock(&r->lock);
	return all;
}

static void *runner_main(void *arg)
{
	struct runner *r = arg;
	int64_t last_tick = 0;
	bool stop = false;
	while (!stop) {
		struct item *it = take_all(r, &stop);
		while (it) {
			struct item *next = it->next;
			handle(r, it);
			if (it->kind == ITEM_CHANGED)
				monitor_cleanup(&it->m);
			free(it);
			it = next;
		}
		flush_batch(r, stop);
		if (clock_mono_ms() - last_tick >= TICK_MS) {
			tick(r);
			last_tick = clock_mono_ms();
		}
	}
	return NULL;
}

static void post(struct runner *r, struct item *it)
{
	pthread_mutex_lock(&r->lock);
	if (r->tail)
		r->tail->next = it;
	else
		r->head = it;
	r->tail = it;
	/* The thread wakes for a full batch; else within BATCH_WAIT_MS. */
	if (++r->n_queued == QUEUE_WAKE)
		pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->lock);
}

static void on_check_done(void *arg, const struct check_result *res)
{
	struct item *it = xcalloc(1, sizeof(*it));
	it->kind = ITEM_RESULT;
	it->result = *res;
	post(arg, it);
}

void runner_monitor_changed(struct runner *r, const struct monitor *m)
{
	struct item *it = xcalloc(1, sizeof(*it));
	it->kind = ITEM_CHANGED;
	monitor_copy(&it->m, m);
	post(r, it);
}

void runner_monitor_removed(struct runner *r, const char *monitor_id)
{
	struct item *it = xcalloc(1, sizeof(*it));
	it->kind = ITEM_REMOVED;
	snprintf(it->id, sizeof(it->id), "%s", monitor_id);
	post(r, it);
}

int runner_start(struct core *core, int64_t second_ms, struct runner **out,
		 struct kerr *err)
{
	struct monitor *list = NULL;
	size_t n = 0;
	int rc = store_monitor_list(core->store, NULL, &list, &n);
	if (rc)
		return kerr_set(err, rc, NULL, "cannot load monitors");
	struct runner *r = xcalloc(1, sizeof(*r));
	r->core = core;
	r->second_ms = second_ms;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cv, NULL);
	r->sched = scheduler_start(core->clock, second_ms, on_check_done, r);
	for (size_t i = 0; i < n; i++)
		rt_upsert(r, &list[i]);
	store_monitor_list_free(list, n);
	int64_t now = clock_now(core->clock);
	r->rolled_hour = now / HOUR_MS - 1; /* roll the last hour at start */
	r->rolled_day = now / DAY_MS - 1;
	pthread_create(&r->thread, NULL, runner_main, r);
	*out = r;
	log_info("runner: %zu monitors loaded", n);
	return 0;
}

void runner_stats(struct runner *r, struct scheduler_stats *out)
{
	scheduler_stats(r->sched, out);
}

void runner_stop(struct runner *r)
{
	if (!r)
		return;
	scheduler_stop(r->sched); /* no more results after this */
	pthread_mutex_lock(&r->lock);
	r->stopping = true;
	pthread_cond_signal(&r->cv);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	for (size_t b = 0; b < N_BUCKETS; b++) {
		for (struct rt *t = r->buckets[b], *next; t; t = next) {
			next = t->next;
			monitor_cleanup(&t->m);
			free(t);
		}
	}
	for (struct item *it = r->head, *next; it; it = next) {
		next = it->next;
		if (it->kind == ITEM_CHANGED)
			monitor_cleanup(&it->m);
		free(it);
	}
	free(r->orgs);
	free(r->batch);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->lock);
	free(r);
}
