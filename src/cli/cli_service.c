/* cli_service — see cli_service.h. */
#include "cli/cli_service.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_http.h"
#include "cli/cli_out.h"
#include "cli/cli_table.h"

static const json_t *find(const json_t *services, const char *key,
			  const char *value)
{
	size_t i;
	const json_t *s;
	json_array_foreach(services, i, s)
		if (strcmp(cli_jstr(s, key), value) == 0)
			return s;
	return NULL;
}

int cli_services_resolve(const struct cli *cli, const char *const *names,
			 size_t n, json_t **ids)
{
	json_t *reply = NULL;
	*ids = NULL;
	int rc = cli_api_list(cli, "/api/v1/services", "services", &reply);
	if (rc != CLI_EXIT_OK)
		return rc;
	const json_t *list = json_object_get(reply, "services");
	*ids = json_array();
	for (size_t i = 0; i < n; i++) {
		const json_t *s = find(list, "id", names[i]);
		if (!s)
			s = find(list, "name", names[i]);
		json_array_append_new(*ids, json_string(s ? cli_jstr(s, "id")
							  : names[i]));
	}
	json_decref(reply);
	return CLI_EXIT_OK;
}

static int run_list(struct cli *cli)
{
	static const char *const headers[] = { "ID", "NAME", "GROUP", "STATUS",
					       NULL };
	json_t *reply = NULL;
	int rc = cli_api_list(cli, "/api/v1/services", "services", &reply);
	if (rc != CLI_EXIT_OK || cli->json) {
		if (rc == CLI_EXIT_OK)
			cli_print_json(reply);
		json_decref(reply);
		return rc;
	}
	const json_t *list = json_object_get(reply, "services");
	if (json_array_size(list) == 0) {
		fputs("No services.\n", stderr);
	} else {
		struct cli_table *t = cli_table_new(headers);
		size_t i;
		const json_t *s;
		json_array_foreach(list, i, s) {
			const char *group = cli_jstr(s, "group");
			cli_table_cell(t, cli_jstr(s, "id"), NULL);
			cli_table_cell(t, cli_jstr(s, "name"), NULL);
			cli_table_cell(t, *group ? group : "-", NULL);
			cli_table_word(t, cli_jstr(s, "status"));
		}
		cli_table_print(t, stdout, cli->color);
		cli_table_free(t);
	}
	json_decref(reply);
	return rc;
}

static int run_create(struct cli *cli)
{
	const struct cli_args *a = &cli->args;
	json_t *body = json_pack("{s:s}", "name", cli_args_value(a, "name"));
	json_t *reply = NULL;
	if (!body)
		return cli_usage_error(cli, "the values must be UTF-8 text");
	if (cli_args_has(a, "description"))
		json_object_set_new(body, "description",
				    json_string(cli_args_value(a,
							       "description")));
	if (cli_args_has(a, "group"))
		json_object_set_new(body, "group",
				    json_string(cli_args_value(a, "group")));
	int rc = cli_api(cli, "POST", "/api/v1/services", body, true, &reply);
	if (rc == CLI_EXIT_OK && cli->json) {
		cli_print_json(reply);
	} else if (rc == CLI_EXIT_OK) {
		cli_put_clean(stdout,
			      cli_jstr(json_object_get(reply, "service"), "id"),
			      false);
		fputc('\n', stdout);
	}
	json_decref(reply);
	json_decref(body);
	return rc;
}

static int run_delete(struct cli *cli)
{
	const char *name = cli->args.pos[0];
	json_t *ids = NULL, *reply = NULL;
	struct buf path = BUF_INIT;
	int rc = cli_services_resolve(cli, &name, 1, &ids);
	if (rc != CLI_EXIT_OK)
		return rc;
	const char *id = json_string_value(json_array_get(ids, 0));
	buf_puts(&path, "/api/v1/services/");
	cli_url_escape(&path, id);
	rc = cli_api(cli, "DELETE", buf_str(&path), NULL, true, &reply);
	/* A 204 has no JSON to print: --json prints nothing then. */
	if (rc == CLI_EXIT_OK && reply && cli->json)
		cli_print_json(reply);
	else if (rc == CLI_EXIT_OK && !cli->json) {
		fputs("Deleted service ", stdout);
		cli_put_clean(stdout, id, false);
		fputc('\n', stdout);
	}
	json_decref(reply);
	json_decref(ids);
	buf_cleanup(&path);
	return rc;
}

static const struct cli_opt create_opts[] = {
	{ "name", CLI_VALUE, "NAME", "what users call it (1-100, unique)", NULL,
	  true },
	{ "description", CLI_VALUE, "TEXT", "a line about it", NULL, false },
	{ "group", CLI_VALUE, "GROUP", "the group it is listed under", NULL,
	  false },
	CLI_OPT_END,
};

static const struct cli_opt no_opts[] = { CLI_OPT_END };

#define NEEDS (CLI_NEED_URL | CLI_NEED_TOKEN)

const struct cli_cmd cli_service_cmds[] = {
	{ "service", "list", NULL, 0, 0, NEEDS, no_opts,
	  "list services and their status",
	  "Lists the organization's services with their derived status.",
	  run_list },
	{ "service", "create", NULL, 0, 0, NEEDS, create_opts,
	  "create a service; prints its id",
	  "Creates a service and prints its id.", run_create },
	{ "service", "delete", "NAME_OR_ID", 1, 1, NEEDS, no_opts,
	  "delete a service",
	  "Deletes a service, named by its id or its name.", run_delete },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};
