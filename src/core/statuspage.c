/* statuspage — see statuspage.h. */
#include "core/statuspage.h"

#include <stdlib.h>
#include <string.h>

#include "core/page_settings.h"
#include "util/alloc.h"

int64_t statuspage_day_floor(int64_t ms)
{
	int64_t r = ms % SP_DAY_MS;
	return ms - (r < 0 ? r + SP_DAY_MS : r);
}

int statuspage_org_by_slug(struct core *core, const char *slug,
			   struct org *out)
{
	return store_org_get_by_slug(core->store, slug, out);
}

static enum component_status worst_of(enum component_status a,
				      enum component_status b)
{
	return a > b ? a : b;
}

static bool is_open(const struct incident *inc)
{
	return inc->status != IST_RESOLVED;
}

/* Statuses from the snapshot's own open incidents, so they agree with it. */
static void derive(struct sp_snapshot *s)
{
	s->status = xcalloc(s->n_services ? s->n_services : 1,
			    sizeof(*s->status));
	s->overall = CS_OPERATIONAL;
	for (size_t k = 0; k < s->n_incidents; k++) {
		const struct incident *inc = &s->incidents[k];
		if (!is_open(inc))
			continue;
		enum component_status cs = component_status_of(inc->severity);
		s->overall = worst_of(s->overall, cs);
		for (size_t j = 0; j < inc->n_services; j++)
			for (size_t i = 0; i < s->n_services; i++)
				if (strcmp(s->services[i].id,
					   inc->services[j].id) == 0)
					s->status[i] =
						worst_of(s->status[i], cs);
	}
}

static void note_time(int64_t *latest, int64_t t)
{
	if (t > *latest)
		*latest = t;
}

/* Defense in depth: whatever the store returned, no draft stays. */
static void drop_drafts(struct sp_snapshot *s)
{
	size_t kept = 0;
	for (size_t k = 0; k < s->n_incidents; k++) {
		if (s->incidents[k].draft) {
			incident_cleanup(&s->incidents[k]);
			continue;
		}
		s->incidents[kept++] = s->incidents[k];
	}
	s->n_incidents = kept;
}

static void find_updated_at(struct sp_snapshot *s)
{
	s->updated_at = s->org.created_at;
	note_time(&s->updated_at, s->settings.updated_at);
	for (size_t i = 0; i < s->n_services; i++)
		note_time(&s->updated_at, s->services[i].updated_at);
	for (size_t k = 0; k < s->n_incidents; k++)
		note_time(&s->updated_at, s->incidents[k].updated_at);
}

int statuspage_load(struct core *core, const char *org_id,
		    struct sp_snapshot *out)
{
	memset(out, 0, sizeof(*out));
	int64_t now = clock_now(core->clock);
	/* A day of margin: the window only moves forward while cached. */
	int64_t since = statuspage_day_floor(now) - SP_DAYS * SP_DAY_MS;
	int rc = store_org_get(core->store, org_id, &out->org);
	if (rc == 0)
		rc = page_settings_get(core, org_id, &out->settings);
	if (rc == 0)
		rc = store_service_list(core->store, org_id, &out->services,
					&out->n_services);
	if (rc == 0)
		rc = store_public_incidents(core->store, org_id, since,
					    SP_RECENT, SP_MAX_INCIDENTS,
					    &out->incidents,
					    &out->n_incidents);
	if (rc == 0)
		rc = store_service_day_checks(core->store, org_id, since,
					      &out->day_checks,
					      &out->n_day_checks);
	if (rc) {
		statuspage_snapshot_cleanup(out);
		return rc;
	}
	drop_drafts(out);
	derive(out);
	find_updated_at(out);
	out->loaded_at = now;
	return 0;
}

void statuspage_snapshot_cleanup(struct sp_snapshot *s)
{
	org_cleanup(&s->org);
	store_service_list_free(s->services, s->n_services);
	store_incident_list_free(s->incidents, s->n_incidents);
	free(s->status);
	free(s->day_checks);
	memset(s, 0, sizeof(*s));
}

const struct incident *statuspage_find(const struct sp_snapshot *s,
				       const char *id)
{
	for (size_t k = 0; k < s->n_incidents; k++)
		if (strcmp(s->incidents[k].id, id) == 0)
			return &s->incidents[k];
	return NULL;
}

int statuspage_incident(struct core *core, const struct sp_snapshot *s,
			const char *id, struct incident *out)
{
	const struct incident *inc = statuspage_find(s, id);
	if (inc) {
		incident_copy(out, inc);
		return 0;
	}
	int rc = store_public_incident_get(core->store, s->org.id, id, out);
	if (rc == 0 && out->draft) {
		incident_cleanup(out);
		rc = KODO_ENOTFOUND;
	}
	return rc;
}

/* --- per-day inputs from incidents --- */

struct span {
	int64_t lo, hi;
};

static int by_lo(const void *a, const void *b)
{
	int64_t x = ((const struct span *)a)->lo;
	int64_t y = ((const struct span *)b)->lo;
	return x < y ? -1 : x > y;
}

/* Length of the union of spans (sorted in place). */
static int64_t union_ms(struct span *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), by_lo);
	int64_t total = 0, lo = v[0].lo, hi = v[0].hi;
	for (size_t i = 1; i < n; i++) {
		if (v[i].lo > hi) {
			total += hi - lo;
			lo = v[i].lo;
			hi = v[i].hi;
		} else if (v[i].hi > hi) {
			hi = v[i].hi;
		}
	}
	return total + hi - lo;
}

static bool affects(const struct incident *inc, const char *service_id)
{
	for (size_t j = 0; j < inc->n_services; j++)
		if (strcmp(inc->services[j].id, service_id) == 0)
			return true;
	return false;
}

static int64_t end_of(const struct incident *inc, int64_t now)
{
	int64_t end = is_open(inc) ? now : inc->resolved_at;
	return end < inc->started_at ? inc->started_at : end;
}

/* Time in [lo, hi) covered by the incidents of severity >= min. */
static int64_t covered(const struct incident *const *incs, size_t n,
		       enum severity min, int64_t lo, int64_t hi, int64_t now,
		       struct span *scratch)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (incs[i]->severity < min)
			continue;
		int64_t a = incs[i]->started_at, b = end_of(incs[i], now);
		a = a < lo ? lo : a;
		b = b > hi ? hi : b;
		if (a < b)
			scratch[k++] = (struct span){ a, b };
	}
	return union_ms(scratch, k);
}

static void day_incidents(const struct incident *const *incs, size_t n,
			  int64_t d, int64_t now, struct day_input *in)
{
	/* Oldest first in the tooltip reads like a diary; incs is newest
	 * first. */
	for (size_t i = n; i-- > 0;) {
		int64_t a = incs[i]->started_at, b = end_of(incs[i], now);
		bool overlaps = (a < d + SP_DAY_MS && b > d) ||
				(a >= d && a < d + SP_DAY_MS);
		if (!overlaps)
			continue;
		if (in->n_incidents < SP_TIP_MAX)
			in->incidents[in->n_incidents] = incs[i];
		in->n_incidents++;
	}
}

void statuspage_incident_days(const struct sp_snapshot *snap, size_t i,
			      int64_t first_day, int64_t now,
			      struct day_input *days, size_t n)
{
	const struct service *svc = &snap->services[i];
	const struct incident **mine =
		xcalloc(snap->n_incidents + 1, sizeof(*mine));
	size_t m = 0;
	for (size_t k = 0; k < snap->n_incidents; k++)
		if (affects(&snap->incidents[k], svc->id))
			mine[m++] = &snap->incidents[k];
	struct span *scratch = xcalloc(m + 1, sizeof(*scratch));
	for (size_t d = 0; d < n; d++) {
		struct day_input *in = &days[d];
		int64_t day = first_day + (int64_t)d * SP_DAY_MS;
		int64_t lo = day > svc->created_at ? day : svc->created_at;
		int64_t hi = day + SP_DAY_MS < now ? day + SP_DAY_MS : now;
		if (lo >= hi)
			continue;
		in->observed_ms += hi - lo;
		day_incidents(mine, m, day, now, in);
		int64_t u3 = covered(mine, m, SEV_CRITICAL, lo, hi, now, scratch);
		int64_t u2 = covered(mine, m, SEV_MAJOR, lo, hi, now, scratch);
		int64_t u1 = covered(mine, m, SEV_MINOR, lo, hi, now, scratch);
		in->state_ms[CS_MAJOR_OUTAGE] += u3;
		in->state_ms[CS_PARTIAL_OUTAGE] += u2 - u3;
		in->state_ms[CS_DEGRADED] += u1 - u2;
	}
	free(scratch);
	free(mine);
}

/* --- bars --- */

static double down_ms(const struct day_input *in)
{
	return (double)in->state_ms[CS_MAJOR_OUTAGE] +
	       SP_PARTIAL_WEIGHT * (double)in->state_ms[CS_PARTIAL_OUTAGE];
}

static double ratio(double down, double of)
{
	double r = 1.0 - down / of;
	return r < 0 ? 0 : r > 1 ? 1 : r;
}

void statuspage_day(const struct day_input *in, int64_t start,
		    struct sp_day *out)
{
	memset(out, 0, sizeof(*out));
	out->start = start;
	out->n_incidents = in->n_incidents;
	size_t tips = in->n_incidents < SP_TIP_MAX ? in->n_incidents
						   : SP_TIP_MAX;
	memcpy(out->incidents, in->incidents, tips * sizeof(*in->incidents));
	out->has_data = in->observed_ms > 0 || in->checks > 0;
	if (!out->has_data)
		return;
	out->worst = CS_OPERATIONAL;
	for (int s = CS_COUNT - 1; s > CS_OPERATIONAL; s--) {
		if (in->state_ms[s] > 0) {
			out->worst = (enum component_status)s;
			break;
		}
	}
	out->uptime = in->observed_ms > 0
			      ? ratio(down_ms(in), (double)in->observed_ms)
			      : 1.0;
	if (in->checks > 0) {
		double by_checks = ratio((double)in->checks_failed,
					 (double)in->checks);
		out->uptime = by_checks < out->uptime ? by_checks : out->uptime;
		if (in->checks_failed > 0)
			out->worst = worst_of(out->worst, CS_DEGRADED);
	}
}

bool statuspage_uptime(const struct day_input *days, size_t n,
		       double *uptime)
{
	double observed = 0, down = 0, checks = 0, failed = 0;
	for (size_t d = 0; d < n; d++) {
		observed += (double)days[d].observed_ms;
		down += down_ms(&days[d]);
		checks += (double)days[d].checks;
		failed += (double)days[d].checks_failed;
	}
	if (observed <= 0 && checks <= 0)
		return false;
	*uptime = observed > 0 ? ratio(down, observed) : 1.0;
	if (checks > 0 && ratio(failed, checks) < *uptime)
		*uptime = ratio(failed, checks);
	return true;
}

void statuspage_check_days(const struct sp_snapshot *snap, size_t i,
			   int64_t first_day, struct day_input *days, size_t n)
{
	const char *id = snap->services[i].id;
	for (size_t r = 0; r < snap->n_day_checks; r++) {
		const struct service_day_checks *row = &snap->day_checks[r];
		if (strcmp(row->service_id, id) != 0 || row->day < first_day)
			continue;
		size_t d = (size_t)((row->day - first_day) / SP_DAY_MS);
		if (d < n) {
			days[d].checks += row->checks;
			days[d].checks_failed += row->failures;
		}
	}
}

static void service_view(const struct sp_snapshot *s, size_t i, int64_t now,
			 const struct day_source *extra, size_t n_extra,
			 struct sp_service_view *v)
{
	int64_t first = statuspage_day_floor(now) - (SP_DAYS - 1) * SP_DAY_MS;
	struct day_input in[SP_DAYS];
	memset(in, 0, sizeof(in));
	statuspage_incident_days(s, i, first, now, in, SP_DAYS);
	statuspage_check_days(s, i, first, in, SP_DAYS);
	for (size_t e = 0; e < n_extra; e++)
		extra[e].collect(&extra[e], s, i, first, now, in, SP_DAYS);
	v->svc = &s->services[i];
	v->status = s->status[i];
	for (size_t d = 0; d < SP_DAYS; d++)
		statuspage_day(&in[d], first + (int64_t)d * SP_DAY_MS,
			       &v->days[d]);
	v->has_uptime = statuspage_uptime(in, SP_DAYS, &v->uptime);
}

static void history(const struct sp_snapshot *s, struct sp_model *m)
{
	for (size_t h = 0; h < SP_HISTORY_DAYS; h++) {
		struct sp_history_day *day = &m->history[h];
		day->start = m->today - (int64_t)h * SP_DAY_MS;
		for (size_t k = 0; k < s->n_incidents; k++) {
			int64_t start = s->incidents[k].started_at;
			if (start < day->start || start >= day->start + SP_DAY_MS)
				continue;
			day->list = xrealloc(day->list, (day->n + 1) *
							       sizeof(*day->list));
			day->list[day->n++] = &s->incidents[k];
		}
	}
}

void statuspage_model(const struct sp_snapshot *s, int64_t now,
		      const struct day_source *extra, size_t n_extra,
		      struct sp_model *out)
{
	memset(out, 0, sizeof(*out));
	out->now = now;
	out->today = statuspage_day_floor(now);
	out->overall = s->overall;
	out->n_services = s->n_services;
	out->services = xcalloc(s->n_services ? s->n_services : 1,
				sizeof(*out->services));
	for (size_t i = 0; i < s->n_services; i++)
		service_view(s, i, now, extra, n_extra, &out->services[i]);
	out->active = xcalloc(s->n_incidents + 1, sizeof(*out->active));
	for (size_t k = 0; k < s->n_incidents; k++)
		if (is_open(&s->incidents[k]))
			out->active[out->n_active++] = &s->incidents[k];
	history(s, out);
}

void statuspage_model_cleanup(struct sp_model *m)
{
	free(m->services);
	free(m->active);
	for (size_t h = 0; h < SP_HISTORY_DAYS; h++)
		free(m->history[h].list);
	memset(m, 0, sizeof(*m));
}
