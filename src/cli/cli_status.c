/*
 * cli_status — `kodo status`: what the public sees, like the banner on top
 * of the status page. Reads the Statuspage-v2-compatible summary.json
 * (no token needed): of the default organization at /api/v2/summary.json,
 * or of --org SLUG at /status/SLUG/api/v2/summary.json.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_cmd.h"
#include "cli/cli_http.h"
#include "cli/cli_out.h"
#include "cli/cli_table.h"

/* Statuspage's indicators, colored like the banner. */
static const char *indicator_color(const char *indicator)
{
	if (strcmp(indicator, "none") == 0)
		return CLI_GREEN;
	if (strcmp(indicator, "minor") == 0)
		return CLI_YELLOW;
	if (strcmp(indicator, "major") == 0 ||
	    strcmp(indicator, "critical") == 0)
		return CLI_RED;
	if (strcmp(indicator, "maintenance") == 0)
		return CLI_BLUE;
	return NULL;
}

static void print_banner(const struct cli *cli, const json_t *summary)
{
	const json_t *status = json_object_get(summary, "status");
	const char *name = cli_jstr(json_object_get(summary, "page"), "name");
	const char *desc = cli_jstr(status, "description");
	const char *color = cli->color ? indicator_color(cli_jstr(status,
								  "indicator"))
				       : NULL;
	if (*name) {
		cli_put_clean(stdout, name, false);
		fputs(": ", stdout);
	}
	if (color)
		fputs(color, stdout);
	cli_put_clean(stdout, *desc ? desc : "unknown", false);
	if (color)
		fputs(CLI_RESET, stdout);
	fputs(" (indicator: ", stdout);
	cli_put_clean(stdout, cli_jstr(status, "indicator"), false);
	fputs(")\n", stdout);
}

static const json_t *find_component(const json_t *list, const char *id)
{
	size_t i;
	const json_t *c;
	json_array_foreach(list, i, c)
		if (id && strcmp(cli_jstr(c, "id"), id) == 0)
			return c;
	return NULL;
}

static void print_components(const struct cli *cli, const json_t *summary)
{
	static const char *const headers[] = { "COMPONENT", "STATUS", NULL };
	const json_t *list = json_object_get(summary, "components");
	if (json_array_size(list) == 0)
		return;
	struct cli_table *t = cli_table_new(headers);
	size_t i;
	const json_t *c;
	/* Statuspage lists a group's members twice: inside the group (ids)
	 * and flat, with group_id. Members go under their group, indented. */
	json_array_foreach(list, i, c) {
		if (*cli_jstr(c, "group_id"))
			continue;
		cli_table_cell(t, cli_jstr(c, "name"), NULL);
		cli_table_word(t, cli_jstr(c, "status"));
		size_t k;
		const json_t *member_id;
		json_array_foreach(json_object_get(c, "components"), k,
				   member_id) {
			const json_t *m = find_component(
				list, json_string_value(member_id));
			if (!m)
				continue;
			struct buf name = BUF_INIT;
			buf_printf(&name, "  %s", cli_jstr(m, "name"));
			cli_table_cell(t, buf_str(&name), NULL);
			cli_table_word(t, cli_jstr(m, "status"));
			buf_cleanup(&name);
		}
	}
	fputc('\n', stdout);
	cli_table_print(t, stdout, cli->color);
	cli_table_free(t);
}

static void print_incidents(const struct cli *cli, const json_t *summary)
{
	static const char *const headers[] = { "INCIDENT", "IMPACT", "STATUS",
					       "NAME", NULL };
	const json_t *list = json_object_get(summary, "incidents");
	if (json_array_size(list) == 0)
		return;
	struct cli_table *t = cli_table_new(headers);
	size_t i;
	const json_t *inc;
	json_array_foreach(list, i, inc) {
		cli_table_cell(t, cli_jstr(inc, "id"), NULL);
		cli_table_cell(t, cli_jstr(inc, "impact"), NULL);
		cli_table_word(t, cli_jstr(inc, "status"));
		cli_table_cell(t, cli_jstr(inc, "name"), NULL);
	}
	fputc('\n', stdout);
	cli_table_print(t, stdout, cli->color);
	cli_table_free(t);
}

static int run_status(struct cli *cli)
{
	struct buf path = BUF_INIT;
	json_t *reply = NULL;
	if (cli->conf.org) {
		buf_puts(&path, "/status/");
		cli_url_escape(&path, cli->conf.org);
	}
	buf_puts(&path, "/api/v2/summary.json");
	int rc = cli_api(cli, "GET", buf_str(&path), NULL, false, &reply);
	if (rc == CLI_EXIT_OK && cli->json) {
		cli_print_json(reply);
	} else if (rc == CLI_EXIT_OK) {
		print_banner(cli, reply);
		print_components(cli, reply);
		print_incidents(cli, reply);
	}
	json_decref(reply);
	buf_cleanup(&path);
	return rc;
}

static const struct cli_opt no_opts[] = { CLI_OPT_END };

const struct cli_cmd cli_status_cmds[] = {
	{ "status", NULL, NULL, 0, 0, CLI_NEED_URL, no_opts,
	  "the public status of an organization, like the banner",
	  "Shows what the public status page says: the overall status (the "
	  "banner), each\ncomponent's status and the unresolved incidents. "
	  "Reads the public summary.json\nof the default organization, or of "
	  "--org SLUG; needs no token.",
	  run_status },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};
