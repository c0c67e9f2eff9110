/*
 * cli_monitor — `kodo monitor list|create|pause|resume`.
 *
 * Monitors watch systems and open incidents through the safeguards. The
 * CLI sends only the fields given on the command line and lets the server
 * apply its defaults and limits (API.md, Monitors), so the two cannot
 * disagree. Services may be named by name: they are looked up first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_cmd.h"
#include "cli/cli_http.h"
#include "cli/cli_out.h"
#include "cli/cli_service.h"
#include "cli/cli_table.h"
#include "util/alloc.h"
#include "util/text.h"

#define TYPES "http heartbeat integration beacon"

/* -- list ------------------------------------------------------------------- */

/* A monitor's state in a word: paused, else what the server reports. */
static const char *state_of(const json_t *m)
{
	if (json_is_true(json_object_get(m, "paused")))
		return "paused";
	const json_t *st = json_object_get(m, "state");
	if (json_is_string(st))
		return json_string_value(st);
	if (json_is_object(st) && *cli_jstr(st, "phase"))
		return cli_jstr(st, "phase");
	if (*cli_jstr(m, "status"))
		return cli_jstr(m, "status");
	return "active";
}

/* What it watches: a URL for http and integration, the ping URL of a
 * heartbeat, the key of a beacon. */
static const char *target_of(const json_t *m)
{
	static const char *const keys[] = { "url", "ping_url", "key", NULL };
	for (size_t i = 0; keys[i]; i++)
		if (*cli_jstr(m, keys[i]))
			return cli_jstr(m, keys[i]);
	return "-";
}

static void every_of(const json_t *m, char out[32])
{
	json_int_t s = json_integer_value(json_object_get(m, "interval_s"));
	if (!s)
		s = json_integer_value(json_object_get(m, "period_s"));
	if (s)
		snprintf(out, 32, "%llds", (long long)s);
	else
		snprintf(out, 32, "-");
}

static void print_list(const struct cli *cli, const json_t *reply)
{
	static const char *const headers[] = { "ID",	"NAME",	  "TYPE",
					       "STATE", "EVERY", "TARGET",
					       NULL };
	const json_t *list = json_object_get(reply, "monitors");
	if (json_array_size(list) == 0) {
		fputs("No monitors.\n", stderr);
		return;
	}
	struct cli_table *t = cli_table_new(headers);
	size_t i;
	const json_t *m;
	json_array_foreach(list, i, m) {
		char every[32];
		every_of(m, every);
		cli_table_cell(t, cli_jstr(m, "id"), NULL);
		cli_table_cell(t, cli_jstr(m, "name"), NULL);
		cli_table_cell(t, cli_jstr(m, "type"), NULL);
		cli_table_word(t, state_of(m));
		cli_table_cell(t, every, NULL);
		cli_table_cell(t, target_of(m), NULL);
	}
	cli_table_print(t, stdout, cli->color);
	cli_table_free(t);
}

static int run_list(struct cli *cli)
{
	json_t *reply = NULL;
	int rc = cli_api_list(cli, "/api/v1/monitors", "monitors", &reply);
	if (rc == CLI_EXIT_OK && cli->json)
		cli_print_json(reply);
	else if (rc == CLI_EXIT_OK)
		print_list(cli, reply);
	json_decref(reply);
	return rc;
}

/* -- create ----------------------------------------------------------------- */

/* Option name → JSON key, for the options sent as they are. */
static const struct {
	const char *opt, *key;
	enum { AS_STRING, AS_INT, AS_NUMBER } as;
} fields[] = {
	{ "target", "url", AS_STRING },
	{ "method", "method", AS_STRING },
	{ "keyword", "keyword", AS_STRING },
	{ "severity", "severity", AS_STRING },
	{ "interval", "interval_s", AS_INT },
	{ "timeout-ms", "timeout_ms", AS_INT },
	{ "failures-to-open", "failures_to_open", AS_INT },
	{ "period", "period_s", AS_INT },
	{ "grace", "grace_s", AS_INT },
	{ "window", "window_s", AS_INT },
	{ "min-events", "min_events", AS_INT },
	{ "threshold", "threshold", AS_NUMBER },
};

static int add_field(struct cli *cli, json_t *body, size_t f)
{
	const char *v = cli_args_value(&cli->args, fields[f].opt);
	int64_t n;
	char *end;
	double d;
	if (!v)
		return 0;
	switch (fields[f].as) {
	case AS_STRING:
		json_object_set_new(body, fields[f].key, json_string(v));
		return 0;
	case AS_INT:
		if (!text_parse_int(v, INT64_MIN, INT64_MAX, &n))
			return cli_usage_error(cli, "--%s must be an integer",
					       fields[f].opt);
		json_object_set_new(body, fields[f].key, json_integer(n));
		return 0;
	case AS_NUMBER:
		d = strtod(v, &end);
		if (!*v || *end)
			return cli_usage_error(cli, "--%s must be a number",
					       fields[f].opt);
		json_object_set_new(body, fields[f].key, json_real(d));
		return 0;
	}
	return 0;
}

/* --header "Name: value"... → {"Name": "value", ...} */
static int add_headers(struct cli *cli, json_t *body)
{
	size_t n;
	const char *const *list = cli_args_list(&cli->args, "header", &n);
	if (!n)
		return 0;
	json_t *obj = json_object();
	json_object_set_new(body, "headers", obj);
	for (size_t i = 0; i < n; i++) {
		const char *colon = strchr(list[i], ':');
		if (!colon || colon == list[i])
			return cli_usage_error(cli, "--header must be "
						    "\"Name: value\"");
		char *name = xstrndup(list[i], (size_t)(colon - list[i]));
		const char *value = colon + 1;
		while (*value == ' ' || *value == '\t')
			value++;
		json_object_set_new(obj, name, json_string(value));
		free(name);
	}
	return 0;
}

/* --expected-status 200 --expected-status 300-399 → [200, "300-399"] */
static void add_expected(struct cli *cli, json_t *body)
{
	size_t n;
	const char *const *list = cli_args_list(&cli->args, "expected-status",
						&n);
	if (!n)
		return;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		int64_t code;
		/* A plain code goes as a number, a range as "lo-hi": the
		 * server checks both. */
		if (text_parse_int(list[i], 0, 999, &code))
			json_array_append_new(arr, json_integer(code));
		else
			json_array_append_new(arr, json_string(list[i]));
	}
	json_object_set_new(body, "expected_status", arr);
}

static int build_body(struct cli *cli, json_t *body)
{
	size_t n;
	const char *const *components = cli_args_list(&cli->args, "component",
						      &n);
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		if (add_field(cli, body, f) != 0)
			return CLI_EXIT_USAGE;
	if (add_headers(cli, body) != 0)
		return CLI_EXIT_USAGE;
	add_expected(cli, body);
	if (n) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_string(components[i]));
		json_object_set_new(body, "components", arr);
	}
	return 0;
}

/* The id, then what the user needs to wire the monitor up. */
static void print_created(const json_t *reply)
{
	const json_t *m = json_object_get(reply, "monitor");
	static const struct {
		const char *key, *label;
	} extra[] = { { "ping_url", "ping URL: " },
		      { "key", "beacon key: " },
		      { "snippet", "snippet: " } };
	cli_put_clean(stdout, cli_jstr(m, "id"), false);
	fputc('\n', stdout);
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		const char *v = *cli_jstr(m, extra[i].key)
					? cli_jstr(m, extra[i].key)
					: cli_jstr(reply, extra[i].key);
		if (!*v)
			continue;
		fputs(extra[i].label, stdout);
		cli_put_clean(stdout, v, false);
		fputc('\n', stdout);
	}
}

static int run_create(struct cli *cli)
{
	const struct cli_args *a = &cli->args;
	const char *type = cli_args_value(a, "type");
	json_t *body = json_pack("{s:s, s:s}", "name",
				 cli_args_value(a, "name"), "type",
				 type ? type : "http");
	json_t *services = NULL, *reply = NULL;
	size_t n;
	const char *const *names = cli_args_list(a, "service", &n);
	if (!body)
		return cli_usage_error(cli, "the values must be UTF-8 text");
	int rc = build_body(cli, body);
	if (rc == 0 && n == 0)
		services = json_array();
	else if (rc == 0)
		rc = cli_services_resolve(cli, names, n, &services);
	if (rc == 0) {
		json_object_set(body, "services", services);
		rc = cli_api(cli, "POST", "/api/v1/monitors", body, true,
			     &reply);
	}
	if (rc == CLI_EXIT_OK && cli->json)
		cli_print_json(reply);
	else if (rc == CLI_EXIT_OK)
		print_created(reply);
	json_decref(reply);
	json_decref(services);
	json_decref(body);
	return rc;
}

/* -- pause, resume ------------------------------------------------------------ */

static int post_action(struct cli *cli, const char *action, const char *done)
{
	struct buf path = BUF_INIT;
	json_t *reply = NULL;
	buf_puts(&path, "/api/v1/monitors/");
	cli_url_escape(&path, cli->args.pos[0]);
	buf_printf(&path, "/%s", action);
	int rc = cli_api(cli, "POST", buf_str(&path), NULL, true, &reply);
	if (rc == CLI_EXIT_OK && cli->json && reply) {
		cli_print_json(reply);
	} else if (rc == CLI_EXIT_OK && !cli->json) {
		printf("%s ", done);
		cli_put_clean(stdout, cli->args.pos[0], false);
		fputc('\n', stdout);
	}
	json_decref(reply);
	buf_cleanup(&path);
	return rc;
}

static int run_pause(struct cli *cli)
{
	return post_action(cli, "pause", "Paused");
}

static int run_resume(struct cli *cli)
{
	return post_action(cli, "resume", "Resumed");
}

/* -- the table ------------------------------------------------------------------ */

static const struct cli_opt create_opts[] = {
	{ "name", CLI_VALUE, "NAME", "what it watches, for people", NULL,
	  true },
	{ "type", CLI_VALUE, "TYPE", "http (default), heartbeat, integration "
				     "or beacon",
	  TYPES, false },
	{ "service", CLI_LIST, "NAME_OR_ID", "a service its incidents affect",
	  NULL, false },
	{ "severity", CLI_VALUE, "SEVERITY",
	  "severity of its incidents (default: by type)",
	  "minor major critical", false },
	{ "failures-to-open", CLI_VALUE, "N",
	  "failing checks in a row before an incident", NULL, false },
	{ "target", CLI_VALUE, "URL",
	  "http: the URL to check; integration: its summary.json", NULL,
	  false },
	{ "method", CLI_VALUE, "METHOD", "http: the request method (GET)",
	  NULL, false },
	{ "interval", CLI_VALUE, "SECONDS", "http, integration: check every "
					    "(http: 60, at least 10)",
	  NULL, false },
	{ "timeout-ms", CLI_VALUE, "MS", "http: the check's timeout (10000)",
	  NULL, false },
	{ "keyword", CLI_VALUE, "TEXT", "http: text the body must contain",
	  NULL, false },
	{ "expected-status", CLI_LIST, "CODE|LO-HI",
	  "http: a status that counts as up (default 200-399)", NULL, false },
	{ "header", CLI_LIST, "'NAME: VALUE'", "http: a request header", NULL,
	  false },
	{ "period", CLI_VALUE, "SECONDS", "heartbeat: pings expected every",
	  NULL, false },
	{ "grace", CLI_VALUE, "SECONDS", "heartbeat: lateness allowed", NULL,
	  false },
	{ "component", CLI_LIST, "NAME", "integration: a component to watch",
	  NULL, false },
	{ "threshold", CLI_VALUE, "RATIO", "beacon: error ratio, 0 to 1", NULL,
	  false },
	{ "window", CLI_VALUE, "SECONDS", "beacon: the window (300)", NULL,
	  false },
	{ "min-events", CLI_VALUE, "N", "beacon: events before judging (100)",
	  NULL, false },
	CLI_OPT_END,
};

static const struct cli_opt no_opts[] = { CLI_OPT_END };

#define NEEDS (CLI_NEED_URL | CLI_NEED_TOKEN)

const struct cli_cmd cli_monitor_cmds[] = {
	{ "monitor", "list", NULL, 0, 0, NEEDS, no_opts,
	  "list monitors and their state",
	  "Lists the organization's monitors: type, state (paused or what the "
	  "checks say),\nhow often they run and what they watch.",
	  run_list },
	{ "monitor", "create", NULL, 0, 0, NEEDS, create_opts,
	  "create a monitor; prints its id",
	  "Creates a monitor and prints its id; a heartbeat's ping URL and a "
	  "beacon's key\nand snippet follow on their own lines. Only the "
	  "options given are sent: the\nserver applies its defaults.",
	  run_create },
	{ "monitor", "pause", "ID", 1, 1, NEEDS, no_opts,
	  "pause a monitor's checks",
	  "Pauses a monitor: no checks, no incidents, until resumed.",
	  run_pause },
	{ "monitor", "resume", "ID", 1, 1, NEEDS, no_opts,
	  "resume a paused monitor", "Resumes a paused monitor.", run_resume },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};
