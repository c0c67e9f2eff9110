/*
 * cli_incident — `kodo incident create|list|show|update|resolve|publish`.
 *
 * The commands an engineer on call types most. Every status change is an
 * update (POST /api/v1/incidents/{id}/updates), so update and resolve are
 * the same request with a different status. The public URL printed for an
 * incident is its page on the status page: <server>/incidents/<id>, or
 * <server>/status/<org>/incidents/<id> when an organization is configured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_cmd.h"
#include "cli/cli_http.h"
#include "cli/cli_out.h"
#include "cli/cli_table.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/text.h"

#define SEVERITIES "minor major critical"
#define STATUSES "investigating identified monitoring resolved"
#define SOURCES "manual api auto_uptime auto_heartbeat auto_integration auto_beacon"

/* "/api/v1/incidents/<id><suffix>", the id escaped. */
static void incident_path(struct buf *b, const char *id, const char *suffix)
{
	buf_puts(b, "/api/v1/incidents/");
	cli_url_escape(b, id);
	buf_puts(b, suffix);
}

static void public_url(const struct cli *cli, struct buf *b, const char *id)
{
	cli_public_base(cli, b);
	buf_puts(b, "/incidents/");
	cli_url_escape(b, id);
}

/* Runs one request and hands the reply's "incident" to print. */
static int request(struct cli *cli, const char *method, const char *path,
		   json_t *body, void (*print)(struct cli *, const json_t *))
{
	json_t *reply = NULL;
	int rc = cli_api(cli, method, path, body, true, &reply);
	if (rc == CLI_EXIT_OK) {
		const json_t *inc = json_object_get(reply, "incident");
		if (cli->json)
			cli_print_json(reply);
		else if (!json_is_object(inc))
			rc = (fputs("kodo: the reply has no incident\n", stderr),
			      CLI_EXIT_API);
		else
			print(cli, inc);
	}
	json_decref(reply);
	json_decref(body);
	return rc;
}

/* -- create --------------------------------------------------------------- */

static void print_created(struct cli *cli, const json_t *inc)
{
	struct buf url = BUF_INIT;
	const char *id = cli_jstr(inc, "id");
	public_url(cli, &url, id);
	cli_put_clean(stdout, id, false);
	printf("\n%s\n", buf_str(&url));
	if (json_is_true(json_object_get(inc, "draft")))
		fprintf(stderr, "kodo: this incident is a draft: its page is "
				"public once you run: kodo incident publish "
				"%s\n", id);
	buf_cleanup(&url);
}

static int run_create(struct cli *cli)
{
	const struct cli_args *a = &cli->args;
	size_t n;
	const char *const *services = cli_args_list(a, "service", &n);
	json_t *body = json_pack("{s:s, s:s, s:s}", "title",
				 cli_args_value(a, "title"), "severity",
				 cli_args_value(a, "severity"), "message",
				 cli_args_value(a, "message"));
	if (!body)
		return cli_usage_error(cli, "the values must be UTF-8 text");
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_string(services[i]));
	json_object_set_new(body, "services", arr);
	if (cli_args_has(a, "status"))
		json_object_set_new(body, "status",
				    json_string(cli_args_value(a, "status")));
	if (cli_args_has(a, "draft"))
		json_object_set_new(body, "draft", json_true());
	return request(cli, "POST", "/api/v1/incidents", body, print_created);
}

/* -- list ----------------------------------------------------------------- */

static void add_query(struct buf *q, const char *key, const char *value)
{
	buf_putc(q, q->len ? '&' : '?');
	buf_puts(q, key);
	buf_putc(q, '=');
	cli_url_escape(q, value);
}

static void print_list(const struct cli *cli, const json_t *reply)
{
	static const char *const headers[] = { "ID",  "SEVERITY", "STATUS",
					       "SOURCE", "AGE", "TITLE", NULL };
	const json_t *list = json_object_get(reply, "incidents");
	const char *next = json_string_value(json_object_get(reply,
							     "next_cursor"));
	int64_t now = clock_now(clock_system());
	if (json_array_size(list) == 0) {
		fputs("No incidents.\n", stderr);
		return;
	}
	struct cli_table *t = cli_table_new(headers);
	size_t i;
	const json_t *inc;
	json_array_foreach(list, i, inc) {
		char age[16];
		struct buf title = BUF_INIT;
		cli_age(cli_jstr(inc, "started_at"), now, age);
		if (json_is_true(json_object_get(inc, "draft")))
			buf_puts(&title, "[draft] ");
		buf_puts(&title, cli_jstr(inc, "title"));
		cli_table_cell(t, cli_jstr(inc, "id"), NULL);
		cli_table_word(t, cli_jstr(inc, "severity"));
		cli_table_word(t, cli_jstr(inc, "status"));
		cli_table_cell(t, cli_jstr(inc, "source"), NULL);
		cli_table_cell(t, age, NULL);
		cli_table_cell(t, buf_str(&title), NULL);
		buf_cleanup(&title);
	}
	cli_table_print(t, stdout, cli->color);
	cli_table_free(t);
	if (next)
		fprintf(stderr, "More incidents: repeat with --cursor %s\n",
			next);
}

static int run_list(struct cli *cli)
{
	const struct cli_args *a = &cli->args;
	struct buf path = BUF_INIT;
	const char *limit = cli_args_value(a, "limit");
	int64_t n;
	int states = cli_args_has(a, "active") + cli_args_has(a, "resolved") +
		     cli_args_has(a, "drafts");
	if (states > 1)
		return cli_usage_error(cli, "--active, --resolved and --drafts "
					    "exclude each other");
	if (limit && !text_parse_int(limit, 1, 500, &n))
		return cli_usage_error(cli, "--limit must be 1 to 500");
	buf_puts(&path, "/api/v1/incidents");
	struct buf q = BUF_INIT;
	if (cli_args_has(a, "active"))
		add_query(&q, "state", "active");
	else if (cli_args_has(a, "resolved"))
		add_query(&q, "state", "resolved");
	else
		add_query(&q, "state", "all");
	if (cli_args_has(a, "drafts"))
		add_query(&q, "draft", "true");
	if (cli_args_has(a, "source"))
		add_query(&q, "source", cli_args_value(a, "source"));
	if (limit)
		add_query(&q, "limit", limit);
	if (cli_args_has(a, "cursor"))
		add_query(&q, "cursor", cli_args_value(a, "cursor"));
	buf_puts(&path, buf_str(&q));
	json_t *reply = NULL;
	int rc = cli_api(cli, "GET", buf_str(&path), NULL, true, &reply);
	if (rc == CLI_EXIT_OK && cli->json)
		cli_print_json(reply);
	else if (rc == CLI_EXIT_OK)
		print_list(cli, reply);
	json_decref(reply);
	buf_cleanup(&q);
	buf_cleanup(&path);
	return rc;
}

/* -- show ------------------------------------------------------------------ */

static void field(const char *label, const char *value)
{
	printf("%-11s", label);
	cli_put_clean(stdout, value && *value ? value : "-", false);
	fputc('\n', stdout);
}

static void print_services(const json_t *inc)
{
	struct buf b = BUF_INIT;
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(inc, "services"), i, s) {
		if (i)
			buf_puts(&b, ", ");
		buf_puts(&b, cli_jstr(s, "name"));
	}
	field("Services:", buf_str(&b));
	buf_cleanup(&b);
}

static void print_timeline(const struct cli *cli, const json_t *inc)
{
	size_t i;
	const json_t *u;
	printf("\nTimeline, newest first:\n");
	json_array_foreach(json_object_get(inc, "updates"), i, u) {
		printf("  %s  ", cli_jstr(u, "created_at"));
		cli_put_colored(stdout, cli->color, cli_jstr(u, "status"));
		if (*cli_jstr(u, "author")) {
			fputs("  by ", stdout);
			cli_put_clean(stdout, cli_jstr(u, "author"), false);
		}
		struct buf msg = BUF_INIT;
		cli_clean(&msg, cli_jstr(u, "message"), true);
		fputs("\n    ", stdout);
		for (const char *p = buf_str(&msg); *p; p++) {
			fputc(*p, stdout);
			if (*p == '\n')
				fputs("    ", stdout);
		}
		fputc('\n', stdout);
		buf_cleanup(&msg);
	}
}

static void print_incident(struct cli *cli, const json_t *inc)
{
	struct buf url = BUF_INIT, started = BUF_INIT;
	char age[16];
	public_url(cli, &url, cli_jstr(inc, "id"));
	cli_age(cli_jstr(inc, "started_at"), clock_now(clock_system()), age);
	buf_printf(&started, "%s (%s ago)", cli_jstr(inc, "started_at"), age);
	if (cli->color)
		fputs(CLI_BOLD, stdout);
	cli_put_clean(stdout, cli_jstr(inc, "id"), false);
	fputs("  ", stdout);
	cli_put_clean(stdout, cli_jstr(inc, "title"), false);
	fputs(cli->color ? CLI_RESET "\n" : "\n", stdout);
	printf("%-11s", "Severity:");
	cli_put_colored(stdout, cli->color, cli_jstr(inc, "severity"));
	printf("\n%-11s", "Status:");
	cli_put_colored(stdout, cli->color, cli_jstr(inc, "status"));
	fputc('\n', stdout);
	field("Source:", cli_jstr(inc, "source"));
	print_services(inc);
	field("Draft:", json_is_true(json_object_get(inc, "draft")) ? "yes"
								    : "no");
	field("Started:", buf_str(&started));
	field("Resolved:", cli_jstr(inc, "resolved_at"));
	field("URL:", buf_str(&url));
	if (*cli_jstr(inc, "retrospective")) {
		printf("\nRetrospective:\n");
		cli_put_clean(stdout, cli_jstr(inc, "retrospective"), true);
		fputc('\n', stdout);
	}
	print_timeline(cli, inc);
	buf_cleanup(&url);
	buf_cleanup(&started);
}

static int run_show(struct cli *cli)
{
	struct buf path = BUF_INIT;
	incident_path(&path, cli->args.pos[0], "");
	int rc = request(cli, "GET", buf_str(&path), NULL, print_incident);
	buf_cleanup(&path);
	return rc;
}

/* -- update, resolve, publish --------------------------------------------- */

static void print_updated(struct cli *cli, const json_t *inc)
{
	fputs("Updated ", stdout);
	cli_put_clean(stdout, cli_jstr(inc, "id"), false);
	fputs(": ", stdout);
	cli_put_colored(stdout, cli->color, cli_jstr(inc, "status"));
	fputc('\n', stdout);
}

/* The incident's current status, for an update that does not change it. */
static int current_status(struct cli *cli, const char *id, char **out)
{
	struct buf path = BUF_INIT;
	json_t *reply = NULL;
	incident_path(&path, id, "");
	int rc = cli_api(cli, "GET", buf_str(&path), NULL, true, &reply);
	const char *s = json_string_value(
		json_object_get(json_object_get(reply, "incident"), "status"));
	if (rc == CLI_EXIT_OK && !s)
		rc = (fputs("kodo: the reply has no incident status\n", stderr),
		      CLI_EXIT_API);
	*out = rc == CLI_EXIT_OK ? xstrdup(s) : NULL;
	json_decref(reply);
	buf_cleanup(&path);
	return rc;
}

static int post_update(struct cli *cli, const char *status)
{
	struct buf path = BUF_INIT;
	incident_path(&path, cli->args.pos[0], "/updates");
	json_t *body = json_pack("{s:s, s:s}", "status", status, "message",
				 cli_args_value(&cli->args, "message"));
	int rc = body ? request(cli, "POST", buf_str(&path), body,
				print_updated)
		      : cli_usage_error(cli, "the values must be UTF-8 text");
	buf_cleanup(&path);
	return rc;
}

static int run_update(struct cli *cli)
{
	const char *status = cli_args_value(&cli->args, "status");
	char *current = NULL;
	int rc = CLI_EXIT_OK;
	if (!status) {
		rc = current_status(cli, cli->args.pos[0], &current);
		status = current;
	}
	if (rc == CLI_EXIT_OK)
		rc = post_update(cli, status);
	free(current);
	return rc;
}

static int run_resolve(struct cli *cli)
{
	return post_update(cli, "resolved");
}

static void print_published(struct cli *cli, const json_t *inc)
{
	struct buf url = BUF_INIT;
	public_url(cli, &url, cli_jstr(inc, "id"));
	fputs("Published ", stdout);
	cli_put_clean(stdout, cli_jstr(inc, "id"), false);
	printf("\n%s\n", buf_str(&url));
	buf_cleanup(&url);
}

static int run_publish(struct cli *cli)
{
	struct buf path = BUF_INIT;
	incident_path(&path, cli->args.pos[0], "/publish");
	int rc = request(cli, "POST", buf_str(&path), NULL, print_published);
	buf_cleanup(&path);
	return rc;
}

/* -- the table ---------------------------------------------------------------- */

static const struct cli_opt create_opts[] = {
	{ "title", CLI_VALUE, "TITLE", "what is wrong, in a line (1-200)", NULL,
	  true },
	{ "severity", CLI_VALUE, "SEVERITY", "minor, major or critical",
	  SEVERITIES, true },
	{ "service", CLI_LIST, "NAME_OR_ID", "an affected service", NULL,
	  false },
	{ "message", CLI_VALUE, "MESSAGE", "the first update, for your users",
	  NULL, true },
	{ "status", CLI_VALUE, "STATUS",
	  "investigating (default), identified, monitoring or resolved",
	  STATUSES, false },
	{ "draft", CLI_FLAG, NULL, "keep it off the status page until "
				    "published",
	  NULL, false },
	CLI_OPT_END,
};

static const struct cli_opt list_opts[] = {
	{ "active", CLI_FLAG, NULL, "only incidents not yet resolved", NULL,
	  false },
	{ "resolved", CLI_FLAG, NULL, "only resolved incidents", NULL, false },
	{ "drafts", CLI_FLAG, NULL, "only drafts", NULL, false },
	{ "source", CLI_VALUE, "SOURCE",
	  "only from this source (manual, api, auto_uptime, ...)", SOURCES,
	  false },
	{ "limit", CLI_VALUE, "N", "at most N incidents (1-500; default 50)",
	  NULL, false },
	{ "cursor", CLI_VALUE, "CURSOR", "the page after this next_cursor",
	  NULL, false },
	CLI_OPT_END,
};

static const struct cli_opt update_opts[] = {
	{ "status", CLI_VALUE, "STATUS",
	  "the new status (default: the current one)", STATUSES, false },
	{ "message", CLI_VALUE, "MESSAGE", "what changed, for your users",
	  NULL, true },
	CLI_OPT_END,
};

static const struct cli_opt resolve_opts[] = {
	{ "message", CLI_VALUE, "MESSAGE", "the closing update", NULL, true },
	CLI_OPT_END,
};

static const struct cli_opt no_opts[] = { CLI_OPT_END };

#define NEEDS (CLI_NEED_URL | CLI_NEED_TOKEN)

const struct cli_cmd cli_incident_cmds[] = {
	{ "incident", "create", NULL, 0, 0, NEEDS, create_opts,
	  "open an incident; prints its id and public URL",
	  "Opens an incident (source \"api\") on the given services, with the "
	  "message as its\nfirst update. Prints the new incident's id, then "
	  "the URL of its public page:\n<server>/incidents/<id>, or "
	  "<server>/status/<org>/incidents/<id> with --org.\nA --draft stays "
	  "off the status page until `kodo incident publish`.",
	  run_create },
	{ "incident", "list", NULL, 0, 0, NEEDS, list_opts,
	  "list incidents, newest first",
	  "Lists incidents, newest first: all of them, or only the active, "
	  "resolved or\ndraft ones, optionally from one source. Shows one page "
	  "(--limit); when there\nare more, says which --cursor gives the next.",
	  run_list },
	{ "incident", "show", "ID", 1, 1, NEEDS, no_opts,
	  "show an incident and its timeline",
	  "Shows one incident: severity, status, source, services, times, its "
	  "public URL\nand the timeline of its updates, newest first.",
	  run_show },
	{ "incident", "update", "ID", 1, 1, NEEDS, update_opts,
	  "post an update (and change the status)",
	  "Posts an update to the incident's timeline. The incident takes the "
	  "given status;\nwithout --status it keeps its current one. A "
	  "non-resolved status reopens a\nresolved incident.",
	  run_update },
	{ "incident", "resolve", "ID", 1, 1, NEEDS, resolve_opts,
	  "resolve an incident with a closing update",
	  "Posts the closing update: the incident becomes resolved.",
	  run_resolve },
	{ "incident", "publish", "ID", 1, 1, NEEDS, no_opts,
	  "publish a draft to the status page",
	  "Publishes a draft incident: it appears on the status page. "
	  "Publishing an\nincident that is already public changes nothing.",
	  run_publish },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};
