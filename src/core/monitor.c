/* monitor — see monitor.h. */
#include "core/monitor.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/runner.h"
#include "probe/http_check.h"
#include "util/alloc.h"
#include "util/text.h"

#define MONITOR_HEADER_VALUE_MAX 4096

bool status_range_parse(const char *s, struct status_range *out)
{
	int64_t lo, hi;
	const char *dash = strchr(s, '-');
	char first[8];
	if (!dash) {
		if (!text_parse_int(s, 100, 599, &lo))
			return false;
		hi = lo;
	} else {
		size_t n = (size_t)(dash - s);
		if (n == 0 || n >= sizeof(first))
			return false;
		memcpy(first, s, n);
		first[n] = '\0';
		if (!text_parse_int(first, 100, 599, &lo) ||
		    !text_parse_int(dash + 1, 100, 599, &hi) || lo > hi)
			return false;
	}
	out->lo = (int)lo;
	out->hi = (int)hi;
	return true;
}

enum severity monitor_severity(const struct monitor *m)
{
	if (m->severity != SEV_NONE)
		return m->severity;
	switch (m->type) {
	case MON_HEARTBEAT: return SEV_MINOR;
	default: return SEV_MAJOR;
	}
}

static bool header_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 100)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+.^_`|~-", *s))
			return false;
	return true;
}

static int check_headers(const struct monitor_input *in, struct kerr *err)
{
	if (in->n_headers > MONITOR_MAX_HEADERS)
		return kerr_set(err, KODO_EINVAL, "headers",
				"at most %d headers", MONITOR_MAX_HEADERS);
	for (size_t i = 0; i < in->n_headers; i++) {
		if (!header_name_ok(in->header_names[i]))
			return kerr_set(err, KODO_EINVAL, "headers",
					"header name \"%.60s\" is not a valid "
					"HTTP token",
					in->header_names[i]);
		const char *v = in->header_values[i];
		if (strlen(v) > MONITOR_HEADER_VALUE_MAX ||
		    strpbrk(v, "\r\n") || !text_is_single_line(v))
			return kerr_set(err, KODO_EINVAL, "headers",
					"header %.60s: values may not contain "
					"CR, LF or control characters",
					in->header_names[i]);
	}
	return 0;
}

static int check_method(const char *method, struct kerr *err)
{
	static const char *const ok[] = { "GET", "HEAD", "POST", "PUT",
					  "PATCH", "DELETE", "OPTIONS" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(method, ok[i]) == 0)
			return 0;
	return kerr_set(err, KODO_EINVAL, "method",
			"method must be one of GET, HEAD, POST, PUT, PATCH, "
			"DELETE, OPTIONS");
}

/* Checks one-field rules that need no store; the merged record is checked
 * again as a whole by check_http(). */
static int validate_input(const struct monitor_input *in, bool create,
			  struct kerr *err)
{
	int rc = 0;
	enum monitor_type type;
	if (create || in->name)
		rc = check_text("name", in->name, 1, MONITOR_NAME_MAX, true, err);
	if (rc == 0 && create && !in->type)
		rc = kerr_set(err, KODO_EINVAL, "type", "type is required");
	if (rc == 0 && in->type && !monitor_type_parse(in->type, &type))
		rc = kerr_set(err, KODO_EINVAL, "type",
			      "type must be one of http, heartbeat, integration, "
			      "beacon");
	if (rc == 0 && in->type && type != MON_HTTP)
		rc = kerr_set(err, KODO_EINVAL, "type",
			      "%s monitors are not available yet; use http",
			      in->type);
	if (rc == 0 && !create && in->type)
		rc = kerr_set(err, KODO_EINVAL, "type",
			      "a monitor's type cannot change");
	enum severity sev;
	if (rc == 0 && in->severity && !severity_parse(in->severity, &sev))
		rc = kerr_set(err, KODO_EINVAL, "severity",
			      "severity must be one of minor, major, critical");
	if (rc == 0 && in->failures_to_open.set && !in->failures_to_open.null &&
	    (in->failures_to_open.v < 1 || in->failures_to_open.v > 100))
		rc = kerr_set(err, KODO_EINVAL, "failures_to_open",
			      "failures_to_open must be between 1 and 100");
	if (rc == 0 && in->n_services > 100)
		rc = kerr_set(err, KODO_EINVAL, "services", "at most 100 services");
	if (rc == 0 && in->has_keyword && in->keyword)
		rc = check_text("keyword", in->keyword, 1, MONITOR_KEYWORD_MAX,
				false, err);
	if (rc == 0 && in->has_headers)
		rc = check_headers(in, err);
	if (rc == 0 && in->method)
		rc = check_method(in->method, err);
	if (rc == 0 && in->cert_expiry_days.set &&
	    (in->cert_expiry_days.null || in->cert_expiry_days.v < 0 ||
	     in->cert_expiry_days.v > 365))
		rc = kerr_set(err, KODO_EINVAL, "cert_expiry_days",
			      "cert_expiry_days must be between 0 and 365");
	if (rc == 0 && in->tls_verify.set && in->tls_verify.null)
		rc = kerr_set(err, KODO_EINVAL, "tls_verify",
			      "tls_verify must be true or false");
	return rc;
}

static int check_http(const struct http_spec *h, struct kerr *err)
{
	char why[160];
	if (!h->url)
		return kerr_set(err, KODO_EINVAL, "url", "url is required");
	if (strlen(h->url) > MONITOR_URL_MAX)
		return kerr_set(err, KODO_EINVAL, "url",
				"url must be at most %d characters",
				MONITOR_URL_MAX);
	if (http_check_url_valid(h->url, why, sizeof(why)) != 0)
		return kerr_set(err, KODO_EINVAL, "url", "%s", why);
	if (h->interval_s < MONITOR_INTERVAL_MIN ||
	    h->interval_s > MONITOR_INTERVAL_MAX)
		return kerr_set(err, KODO_EINVAL, "interval_s",
				"interval_s must be between %d and %d",
				MONITOR_INTERVAL_MIN, MONITOR_INTERVAL_MAX);
	if (h->keyword && strcmp(h->method, "HEAD") == 0)
		return kerr_set(err, KODO_EINVAL, "keyword",
				"a HEAD request has no body to find a keyword in");
	if (h->timeout_ms < 100 || h->timeout_ms > h->interval_s * 1000)
		return kerr_set(err, KODO_EINVAL, "timeout_ms",
				"timeout_ms must be between 100 and the interval "
				"(%lld ms)",
				(long long)(h->interval_s * 1000));
	return 0;
}

static void replace(char **dst, const char *src)
{
	free(*dst);
	*dst = xstrdup(src);
}

static int set_expected(struct http_spec *h, const struct monitor_input *in,
			struct kerr *err)
{
	if (in->n_expected < 1 || in->n_expected > MONITOR_MAX_RANGES)
		return kerr_set(err, KODO_EINVAL, "expected_status",
				"expected_status must list 1 to %d codes or ranges",
				MONITOR_MAX_RANGES);
	struct status_range r[MONITOR_MAX_RANGES] = { { 0, 0 } };
	for (size_t i = 0; i < in->n_expected; i++)
		if (!status_range_parse(in->expected[i], &r[i]))
			return kerr_set(err, KODO_EINVAL, "expected_status",
					"\"%.20s\" is not a status code or range "
					"like 200-399",
					in->expected[i]);
	memcpy(h->expected, r, in->n_expected * sizeof(r[0]));
	h->n_expected = (int)in->n_expected;
	return 0;
}

static void set_headers(struct http_spec *h, const struct monitor_input *in)
{
	for (size_t i = 0; i < h->n_headers; i++) {
		free(h->headers[i].name);
		free(h->headers[i].value);
	}
	free(h->headers);
	h->n_headers = in->n_headers;
	h->headers = xcalloc(in->n_headers, sizeof(*h->headers));
	for (size_t i = 0; i < in->n_headers; i++) {
		h->headers[i].name = xstrdup(in->header_names[i]);
		h->headers[i].value = xstrdup(in->header_values[i]);
	}
}

/* Merges in into h, then checks the whole. */
static int merge_http(struct http_spec *h, const struct monitor_input *in,
		      struct kerr *err)
{
	int rc = 0;
	if (in->url)
		replace(&h->url, in->url);
	if (in->method)
		replace(&h->method, in->method);
	if (in->interval_s.set)
		h->interval_s = in->interval_s.null ? 0 : in->interval_s.v;
	if (in->timeout_ms.set)
		h->timeout_ms = in->timeout_ms.null ? 0 : in->timeout_ms.v;
	if (in->has_expected)
		rc = set_expected(h, in, err);
	if (in->has_keyword)
		replace(&h->keyword, in->keyword);
	if (in->has_headers)
		set_headers(h, in);
	if (in->tls_verify.set)
		h->tls_verify = in->tls_verify.v != 0;
	if (in->cert_expiry_days.set)
		h->cert_expiry_days = in->cert_expiry_days.v;
	return rc ? rc : check_http(h, err);
}

static void http_defaults(struct http_spec *h, const struct monitor_input *in)
{
	h->method = xstrdup("GET");
	h->interval_s = 60;
	int64_t interval = in->interval_s.set && !in->interval_s.null
				   ? in->interval_s.v
				   : 60;
	h->timeout_ms = interval * 1000 < 10000 ? interval * 1000 : 10000;
	h->expected[0] = (struct status_range){ 200, 399 };
	h->n_expected = 1;
	h->tls_verify = true;
	h->cert_expiry_days = 30;
}

/* Follows depends_on from parent: refuses a cycle back to id. */
static int check_parent(struct core *core, const struct principal *p,
			const char *id, const char *parent, struct kerr *err)
{
	char cur[ID_LEN];
	snprintf(cur, sizeof(cur), "%s", parent);
	for (int depth = 0; cur[0]; depth++) {
		if (strcmp(cur, id) == 0 || depth > 32)
			return kerr_set(err, KODO_EINVAL, "depends_on",
					"depends_on would make a cycle");
		struct monitor m;
		int rc = store_monitor_get(core->store, p->org_id, cur, &m);
		if (rc == KODO_ENOTFOUND)
			return kerr_set(err, KODO_EINVAL, "depends_on",
					"no monitor %.40s in this organization",
					cur);
		if (rc)
			return rc;
		snprintf(cur, sizeof(cur), "%s", m.depends_on);
		monitor_cleanup(&m);
	}
	return 0;
}

/* What a change needs from the store before it is applied. */
struct prepared {
	const struct monitor_input *in;
	struct service_ref *refs;
	size_t n_refs;
	enum severity sev;
	int64_t now;
};

static int prepare(struct core *core, const struct principal *p,
		   const char *id, const struct monitor_input *in,
		   struct prepared *pr, struct kerr *err)
{
	memset(pr, 0, sizeof(*pr));
	pr->in = in;
	pr->now = clock_now(core->clock);
	if (in->severity)
		severity_parse(in->severity, &pr->sev);
	int rc = 0;
	if (in->has_depends_on && in->depends_on)
		rc = check_parent(core, p, id, in->depends_on, err);
	if (rc == 0 && in->n_services) {
		rc = store_service_resolve(core->store, p->org_id, in->services,
					   in->n_services, &pr->refs, err);
		if (rc >= 0) {
			pr->n_refs = (size_t)rc;
			rc = 0;
		}
	}
	return rc;
}

static int apply(struct monitor *m, void *arg, struct kerr *err)
{
	struct prepared *pr = arg;
	const struct monitor_input *in = pr->in;
	if (in->name)
		replace(&m->name, in->name);
	if (in->has_severity)
		m->severity = in->severity ? pr->sev : SEV_NONE;
	if (in->failures_to_open.set)
		m->failures_to_open =
			in->failures_to_open.null ? 0 : in->failures_to_open.v;
	if (in->has_depends_on)
		snprintf(m->depends_on, sizeof(m->depends_on), "%s",
			 in->depends_on ? in->depends_on : "");
	if (in->has_services) {
		service_ref_list_free(m->services, m->n_services);
		m->services = pr->refs;
		m->n_services = pr->n_refs;
		pr->refs = NULL;
		pr->n_refs = 0;
	}
	m->updated_at = pr->now;
	return merge_http(&m->http, in, err);
}

static int view_of(struct core *core, struct monitor *m,
		   struct monitor_view *out)
{
	out->m = *m;
	memset(&out->state, 0, sizeof(out->state));
	int rc = store_monitor_state_get(core->store, m->id, &out->state);
	return rc == KODO_ENOTFOUND ? 0 : rc;
}

static void changed(struct core *core, const struct monitor *m)
{
	core_touch(core, m->org_id);
	if (core->runner)
		runner_monitor_changed(core->runner, m);
}

int monitor_create(struct core *core, const struct principal *p,
		   const struct monitor_input *in, struct monitor_view *out,
		   struct kerr *err)
{
	struct prepared pr;
	struct monitor m = { 0 };
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = validate_input(in, true, err);
	crypto_new_id("mon", m.id);
	if (rc == 0)
		rc = prepare(core, p, m.id, in, &pr, err);
	if (rc)
		return rc;
	memcpy(m.org_id, p->org_id, ID_LEN);
	m.type = MON_HTTP;
	m.created_at = pr.now;
	http_defaults(&m.http, in);
	rc = apply(&m, &pr, err);
	if (rc == 0)
		rc = store_monitor_create(core->store, &m, err);
	service_ref_list_free(pr.refs, pr.n_refs);
	if (rc) {
		monitor_cleanup(&m);
		return rc;
	}
	changed(core, &m);
	return view_of(core, &m, out);
}

int monitor_update(struct core *core, const struct principal *p,
		   const char *id, const struct monitor_input *in,
		   struct monitor_view *out, struct kerr *err)
{
	struct prepared pr;
	struct monitor m = { 0 };
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = validate_input(in, false, err);
	if (rc == 0)
		rc = prepare(core, p, id, in, &pr, err);
	if (rc)
		return rc;
	rc = store_monitor_mutate(core->store, p->org_id, id, apply, &pr, &m,
				  err);
	service_ref_list_free(pr.refs, pr.n_refs);
	if (rc)
		return rc;
	changed(core, &m);
	return view_of(core, &m, out);
}

struct pause_args {
	bool paused;
	int64_t now;
};

static int apply_pause(struct monitor *m, void *arg, struct kerr *err)
{
	(void)err;
	const struct pause_args *a = arg;
	m->paused = a->paused;
	m->updated_at = a->now;
	return 0;
}

int monitor_set_paused(struct core *core, const struct principal *p,
		       const char *id, bool paused, struct monitor_view *out,
		       struct kerr *err)
{
	struct monitor m = { 0 };
	struct pause_args a = { paused, clock_now(core->clock) };
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = store_monitor_mutate(core->store, p->org_id, id,
					  apply_pause, &a, &m, err);
	if (rc)
		return rc;
	changed(core, &m);
	return view_of(core, &m, out);
}

int monitor_delete(struct core *core, const struct principal *p,
		   const char *id, struct kerr *err)
{
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = store_monitor_delete(core->store, p->org_id, id);
	if (rc)
		return rc;
	core_touch(core, p->org_id);
	if (core->runner)
		runner_monitor_removed(core->runner, id);
	return 0;
}

int monitor_get(struct core *core, const struct principal *p, const char *id,
		struct monitor_view *out)
{
	struct monitor m;
	int rc = store_monitor_get(core->store, p->org_id, id, &m);
	if (rc == 0 && (rc = view_of(core, &m, out)) != 0)
		monitor_cleanup(&m);
	return rc;
}

int monitor_list(struct core *core, const struct principal *p,
		 struct monitor_view **out, size_t *n)
{
	struct monitor *list = NULL;
	size_t count = 0;
	int rc = store_monitor_list(core->store, p->org_id, &list, &count);
	if (rc)
		return rc;
	struct monitor_view *views = xcalloc(count, sizeof(*views));
	for (size_t i = 0; rc == 0 && i < count; i++)
		rc = view_of(core, &list[i], &views[i]);
	free(list);
	if (rc) {
		monitor_view_list_free(views, count);
		return rc;
	}
	*out = views;
	*n = count;
	return 0;
}

void monitor_view_list_free(struct monitor_view *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		monitor_cleanup(&list[i].m);
	free(list);
}

/* Lists of an unknown (or another organization's) monitor are a 404, not
 * an empty list. */
static int monitor_exists(struct core *core, const struct principal *p,
			  const char *id)
{
	struct monitor m;
	int rc = store_monitor_get(core->store, p->org_id, id, &m);
	if (rc == 0)
		monitor_cleanup(&m);
	return rc;
}

int monitor_results(struct core *core, const struct principal *p,
		    const char *id, const struct list_window *w,
		    struct check_result **out, size_t *n)
{
	int rc = monitor_exists(core, p, id);
	return rc ? rc
		  : store_results_list(core->store, p->org_id, id, w, out, n);
}

int monitor_events(struct core *core, const struct principal *p,
		   const char *id, const struct list_window *w,
		   struct monitor_event **out, size_t *n)
{
	int rc = monitor_exists(core, p, id);
	return rc ? rc
		  : store_events_list(core->store, p->org_id, id, w, out, n);
}
