/*
 * api_monitors — /api/v1/monitors: management, results and the
 * safeguard pipeline's events.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/monitor.h"
#include "core/runner.h"
#include "http/api.h"
#include "http/json_in.h"
#include "http/json_out.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/text.h"

/* What parse_input allocates besides the borrowed strings. */
struct parsed {
	json_t *body;
	const char **services;
	char **expected; /* owned strings: numbers are printed */
	size_t n_expected;
	const char **names, **values;
};

static void parsed_cleanup(struct parsed *p)
{
	json_decref(p->body);
	free(p->services);
	for (size_t i = 0; i < p->n_expected; i++)
		free(p->expected[i]);
	free(p->expected);
	free(p->names);
	free(p->values);
}

static int parse_expected(json_t *body, struct monitor_input *in,
			  struct parsed *p, struct kerr *err)
{
	json_t *v = json_object_get(body, "expected_status");
	if (!v)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > MONITOR_MAX_RANGES)
		return kerr_set(err, KODO_EINVAL, "expected_status",
				"expected_status must be an array of up to %d "
				"codes or \"lo-hi\" ranges",
				MONITOR_MAX_RANGES);
	p->n_expected = json_array_size(v);
	p->expected = xcalloc(p->n_expected, sizeof(*p->expected));
	for (size_t i = 0; i < p->n_expected; i++) {
		json_t *e = json_array_get(v, i);
		char num[24];
		if (json_is_integer(e)) {
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(e));
			p->expected[i] = xstrdup(num);
		} else if (json_is_string(e)) {
			p->expected[i] = xstrdup(json_string_value(e));
		} else {
			return kerr_set(err, KODO_EINVAL, "expected_status",
					"expected_status items are codes or "
					"\"lo-hi\" ranges");
		}
	}
	in->has_expected = true;
	in->expected = (const char *const *)p->expected;
	in->n_expected = p->n_expected;
	return 0;
}

static int parse_headers(json_t *body, struct monitor_input *in,
			 struct parsed *p, struct kerr *err)
{
	json_t *v = json_object_get(body, "headers");
	if (!v)
		return 0;
	in->has_headers = true;
	if (json_is_null(v))
		return 0;
	if (!json_is_object(v) || json_object_size(v) > MONITOR_MAX_HEADERS)
		return kerr_set(err, KODO_EINVAL, "headers",
				"headers must be an object of up to %d "
				"name: value strings",
				MONITOR_MAX_HEADERS);
	size_t n = json_object_size(v), i = 0;
	p->names = xcalloc(n, sizeof(*p->names));
	p->values = xcalloc(n, sizeof(*p->values));
	const char *key;
	json_t *val;
	json_object_foreach(v, key, val) {
		if (!json_is_string(val) ||
		    strlen(json_string_value(val)) != json_string_length(val))
			return kerr_set(err, KODO_EINVAL, "headers",
					"header %.60s must be a string", key);
		p->names[i] = key;
		p->values[i++] = json_string_value(val);
	}
	in->header_names = p->names;
	in->header_values = p->values;
	in->n_headers = n;
	return 0;
}

static int parse_strings(json_t *b, struct monitor_input *in,
			 struct kerr *err)
{
	int rc = jin_string(b, "name", false, &in->name, NULL, err);
	if (rc == 0)
		rc = jin_string(b, "type", false, &in->type, NULL, err);
	if (rc == 0)
		rc = jin_string(b, "severity", true, &in->severity,
				&in->has_severity, err);
	if (rc == 0)
		rc = jin_string(b, "depends_on", true, &in->depends_on,
				&in->has_depends_on, err);
	if (rc == 0)
		rc = jin_string(b, "url", false, &in->url, NULL, err);
	if (rc == 0)
		rc = jin_string(b, "method", false, &in->method, NULL, err);
	if (rc == 0)
		rc = jin_string(b, "keyword", true, &in->keyword,
				&in->has_keyword, err);
	return rc;
}

static int parse_input(const struct http_req *req, struct monitor_input *in,
		       struct parsed *p, struct kerr *err)
{
	static const char *const keys[] = {
		"name",	      "type",	      "severity",   "services",
		"failures_to_open", "depends_on", "url",	    "method",
		"interval_s", "timeout_ms",   "expected_status", "keyword",
		"headers",    "tls_verify",   "cert_expiry_days", NULL
	};
	memset(p, 0, sizeof(*p));
	int rc = jin_body(req, &p->body, err);
	json_t *b = p->body;
	if (rc == 0)
		rc = jin_known_keys(b, keys, err);
	if (rc == 0)
		rc = parse_strings(b, in, err);
	if (rc == 0)
		rc = jin_int(b, "failures_to_open", true, &in->failures_to_open,
			     err);
	if (rc == 0)
		rc = jin_int(b, "interval_s", false, &in->interval_s, err);
	if (rc == 0)
		rc = jin_int(b, "timeout_ms", false, &in->timeout_ms, err);
	if (rc == 0)
		rc = jin_int(b, "cert_expiry_days", false,
			     &in->cert_expiry_days, err);
	if (rc == 0)
		rc = jin_bool(b, "tls_verify", &in->tls_verify, err);
	if (rc == 0)
		rc = jin_string_array(b, "services", &p->services,
				      &in->n_services, &in->has_services, 100,
				      err);
	in->services = p->services;
	if (rc == 0)
		rc = parse_expected(b, in, p, err);
	if (rc == 0)
		rc = parse_headers(b, in, p, err);
	return rc;
}

static json_t *jout_expected(const struct http_spec *h)
{
	json_t *a = json_array();
	for (int i = 0; i < h->n_expected; i++) {
		char s[16];
		if (h->expected[i].lo == h->expected[i].hi)
			json_array_append_new(a, json_integer(h->expected[i].lo));
		else {
			snprintf(s, sizeof(s), "%d-%d", h->expected[i].lo,
				 h->expected[i].hi);
			json_array_append_new(a, json_string(s));
		}
	}
	return a;
}

static json_t *jout_last(const struct monitor_state *st)
{
	if (!st->last_check_at)
		return json_null();
	return json_pack("{s:o, s:b, s:I, s:s}", "at",
			 jout_time(st->last_check_at), "ok", st->last_ok,
			 "latency_ms", (json_int_t)st->last_latency_ms,
			 "detail", st->last_ok ? "" : st->last_reason);
}

/* Header values often carry credentials: only admins (who may change
 * them anyway) see them; other roles see the names. */
static json_t *jout_monitor(const struct monitor_view *v, bool reveal)
{
	const struct monitor *m = &v->m;
	const struct http_spec *h = &m->http;
	json_t *services = json_array(), *headers = json_object();
	for (size_t i = 0; i < m->n_services; i++)
		json_array_append_new(services,
				      json_pack("{s:s, s:s}", "id",
						m->services[i].id, "name",
						m->services[i].name));
	for (size_t i = 0; i < h->n_headers; i++)
		json_object_set_new(headers, h->headers[i].name,
				    json_string(reveal ? h->headers[i].value
						       : "********"));
	json_t *o = json_pack(
		"{s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:b}", "id", m->id, "name",
		m->name, "type", monitor_type_name(m->type), "services",
		services, "severity", severity_name(monitor_severity(m)),
		"failures_to_open",
		m->failures_to_open ? json_integer(m->failures_to_open)
				    : json_null(),
		"depends_on",
		m->depends_on[0] ? json_string(m->depends_on) : json_null(),
		"paused", m->paused);
	json_object_update_new(
		o, json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:b, s:I}",
			     "url", h->url, "method", h->method, "interval_s",
			     (json_int_t)h->interval_s, "timeout_ms",
			     (json_int_t)h->timeout_ms, "expected_status",
			     jout_expected(h), "keyword",
			     h->keyword ? json_string(h->keyword) : json_null(),
			     "headers", headers, "tls_verify", h->tls_verify,
			     "cert_expiry_days",
			     (json_int_t)h->cert_expiry_days));
	const struct monitor_state *st = &v->state;
	json_object_update_new(
		o, json_pack("{s:o, s:s, s:b, s:o, s:o, s:o, s:o}",
			     "cert_expires_at", jout_time(st->cert_expires_at),
			     "state",
			     m->paused ? "paused" : monitor_phase_name(st->phase),
			     "flapping", st->flapping, "incident_id",
			     st->incident_id[0] ? json_string(st->incident_id)
						: json_null(),
			     "last_result", jout_last(st), "created_at",
			     jout_time(m->created_at), "updated_at",
			     jout_time(m->updated_at)));
	return o;
}

static void reply_monitor(struct http_resp *resp, int rc,
			  const struct kerr *err, int status,
			  struct monitor_view *v, const struct principal *who)
{
	api_reply(resp, rc, err, status, "monitor",
		  rc ? NULL : jout_monitor(v, who->role >= ROLE_ADMIN));
	if (rc == 0)
		monitor_cleanup(&v->m);
}

API_HANDLER(api_monitor_create)
{
	struct kerr err = { 0 };
	struct monitor_input in = { 0 };
	struct parsed p;
	struct monitor_view v = { 0 };
	int rc = parse_input(req, &in, &p, &err);
	if (rc == 0)
		rc = monitor_create(&app->core, who, &in, &v, &err);
	reply_monitor(resp, rc, &err, 201, &v, who);
	parsed_cleanup(&p);
}

API_HANDLER(api_monitor_patch)
{
	struct kerr err = { 0 };
	struct monitor_input in = { 0 };
	struct parsed p;
	struct monitor_view v = { 0 };
	int rc = parse_input(req, &in, &p, &err);
	if (rc == 0)
		rc = monitor_update(&app->core, who, req->params[0], &in, &v,
				    &err);
	reply_monitor(resp, rc, &err, 200, &v, who);
	parsed_cleanup(&p);
}

API_HANDLER(api_monitor_get)
{
	struct monitor_view v = { 0 };
	int rc = monitor_get(&app->core, who, req->params[0], &v);
	reply_monitor(resp, rc, NULL, 200, &v, who);
}

API_HANDLER(api_monitor_delete)
{
	struct kerr err = { 0 };
	int rc = monitor_delete(&app->core, who, req->params[0], &err);
	if (rc)
		api_reply(resp, rc, &err, 0, NULL, NULL);
	else
		resp->status = 204;
}

static void set_paused(struct app *app, struct http_req *req,
		       struct http_resp *resp, const struct principal *who,
		       bool paused)
{
	struct kerr err = { 0 };
	struct monitor_view v = { 0 };
	int rc = monitor_set_paused(&app->core, who, req->params[0], paused, &v,
				    &err);
	reply_monitor(resp, rc, &err, 200, &v, who);
}

API_HANDLER(api_monitor_pause)
{
	set_paused(app, req, resp, who, true);
}

API_HANDLER(api_monitor_resume)
{
	set_paused(app, req, resp, who, false);
}

/* Monitors come in creation order; a page resumes after the last seq. */
API_HANDLER(api_monitor_list)
{
	struct kerr err = { 0 };
	int64_t limit, after;
	struct monitor_view *list = NULL;
	size_t n = 0;
	int rc = api_parse_page(req, &limit, &after, &err);
	if (rc == 0)
		rc = monitor_list(&app->core, who, &list, &n);
	if (rc) {
		api_reply(resp, rc, &err, 0, NULL, NULL);
		return;
	}
	json_t *arr = json_array();
	int64_t shown = 0, last = 0;
	bool more = false;
	for (size_t i = 0; i < n; i++) {
		if (list[i].m.seq <= after)
			continue;
		if (shown == limit) {
			more = true;
			break;
		}
		json_array_append_new(
			arr, jout_monitor(&list[i], who->role >= ROLE_ADMIN));
		last = list[i].m.seq;
		shown++;
	}
	monitor_view_list_free(list, n);
	api_reply_page(resp, "monitors", arr, more ? last : 0);
}

/* ?since= (RFC 3339), ?limit= and ?cursor= as on every list: newest
 * first; a page resumes before the last position it showed. One more
 * item than the limit is read to know whether there is a next page. */
static int parse_window(const struct http_req *req, struct list_window *w,
			struct kerr *err)
{
	const char *s = req_query(req, "since");
	memset(w, 0, sizeof(*w));
	if (s && !time_parse_rfc3339(s, &w->since))
		return kerr_set(err, KODO_EINVAL, "since",
				"since must be an RFC 3339 time");
	int rc = api_parse_page(req, &w->limit, &w->before, err);
	w->limit++;
	return rc;
}

static json_t *jout_result(const struct check_result *r)
{
	return json_pack("{s:o, s:b, s:I, s:i, s:s, s:{s:I, s:I, s:I, s:I}}",
			 "at", jout_time(r->at), "ok", r->ok, "latency_ms",
			 (json_int_t)r->latency_ms, "http_status",
			 r->http_status, "detail", r->detail, "timings",
			 "dns_ms", (json_int_t)r->dns_ms, "connect_ms",
			 (json_int_t)r->connect_ms, "tls_ms",
			 (json_int_t)r->tls_ms, "first_byte_ms",
			 (json_int_t)r->ttfb_ms);
}

static json_t *jout_event(const struct monitor_event *e)
{
	return json_pack("{s:s, s:o, s:s, s:o, s:s}", "id", e->id, "at",
			 jout_time(e->at), "kind", e->kind, "incident_id",
			 e->incident_id[0] ? json_string(e->incident_id)
					   : json_null(),
			 "detail", e->detail);
}

/* Both lists read one item more than the page (parse_window): shown is
 * the page, and the extra item says that another page follows. */
API_HANDLER(api_monitor_results)
{
	struct kerr err = { 0 };
	struct list_window w;
	struct check_result *list = NULL;
	size_t n = 0;
	int rc = parse_window(req, &w, &err);
	if (rc == 0)
		rc = monitor_results(&app->core, who, req->params[0], &w, &list,
				     &n);
	if (rc) {
		api_reply(resp, rc, &err, 0, NULL, NULL);
		return;
	}
	size_t shown = n - (n == (size_t)w.limit);
	json_t *arr = json_array();
	for (size_t i = 0; i < shown; i++)
		json_array_append_new(arr, jout_result(&list[i]));
	int64_t last = shown ? list[shown - 1].at : 0;
	free(list);
	api_reply_page(resp, "results", arr, shown < n ? last : 0);
}

API_HANDLER(api_monitor_events)
{
	struct kerr err = { 0 };
	struct list_window w;
	struct monitor_event *list = NULL;
	size_t n = 0;
	int rc = parse_window(req, &w, &err);
	if (rc == 0)
		rc = monitor_events(&app->core, who, req->params[0], &w, &list,
				    &n);
	if (rc) {
		api_reply(resp, rc, &err, 0, NULL, NULL);
		return;
	}
	size_t shown = n - (n == (size_t)w.limit);
	json_t *arr = json_array();
	for (size_t i = 0; i < shown; i++)
		json_array_append_new(arr, jout_event(&list[i]));
	int64_t last = shown ? list[shown - 1].seq : 0;
	store_events_free(list, n);
	api_reply_page(resp, "events", arr, shown < n ? last : 0);
}

API_HANDLER(api_metrics)
{
	struct scheduler_stats s = { 0 };
	if (app->core.runner)
		runner_stats(app->core.runner, &s);
	buf_reset(&resp->body);
	buf_printf(&resp->body,
		   "# HELP kodo_checks_total Checks completed.\n"
		   "# TYPE kodo_checks_total counter\n"
		   "kodo_checks_total %llu\n"
		   "# HELP kodo_checks_skipped_total Checks skipped because the "
		   "previous one was still running.\n"
		   "# TYPE kodo_checks_skipped_total counter\n"
		   "kodo_checks_skipped_total %llu\n"
		   "# HELP kodo_monitors_scheduled Monitors being checked.\n"
		   "# TYPE kodo_monitors_scheduled gauge\n"
		   "kodo_monitors_scheduled %llu\n"
		   "# HELP kodo_checks_in_flight Checks running now.\n"
		   "# TYPE kodo_checks_in_flight gauge\n"
		   "kodo_checks_in_flight %llu\n"
		   "# HELP kodo_check_lateness_seconds How late checks started "
		   "after their due time (quantiles from a histogram: upper "
		   "bucket bounds, capped at the maximum).\n"
		   "# TYPE kodo_check_lateness_seconds summary\n"
		   "kodo_check_lateness_seconds{quantile=\"0.5\"} %.3f\n"
		   "kodo_check_lateness_seconds{quantile=\"0.99\"} %.3f\n"
		   "kodo_check_lateness_seconds_sum %.3f\n"
		   "kodo_check_lateness_seconds_count %llu\n"
		   "# HELP kodo_check_lateness_max_seconds The latest start.\n"
		   "# TYPE kodo_check_lateness_max_seconds gauge\n"
		   "kodo_check_lateness_max_seconds %.3f\n",
		   (unsigned long long)s.checks, (unsigned long long)s.skipped,
		   (unsigned long long)s.monitors,
		   (unsigned long long)s.in_flight, s.lateness_p50_ms / 1000.0,
		   s.lateness_p99_ms / 1000.0, s.lateness_sum_ms / 1000.0,
		   (unsigned long long)s.started, s.lateness_max_ms / 1000.0);
	resp->status = 200;
	resp->content_type = "text/plain; version=0.0.4";
}
