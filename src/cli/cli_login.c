/*
 * cli_login — `kodo login`: checks a server URL and token, then saves them
 * to the config file (cli_config.h) so that later commands need neither.
 * The token may come from KODO_TOKEN or stdin (--token -) so that it does
 * not have to appear in the shell's history or in `ps`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_cmd.h"
#include "cli/cli_config.h"
#include "cli/cli_http.h"
#include "cli/cli_out.h"
#include "util/alloc.h"

#define TOKEN_MAX 512

static bool from_file(const char *source)
{
	return source && strcmp(source, "config file") == 0;
}

/* Replaces a "-" token with the first line of stdin. */
static int token_from_stdin(struct cli *cli)
{
	char line[TOKEN_MAX + 2];
	if (!fgets(line, sizeof(line), stdin))
		return cli_usage_error(cli, "--token -: nothing on stdin");
	line[strcspn(line, "\r\n")] = '\0';
	free(cli->conf.token);
	cli->conf.token = xstrdup(line);
	return 0;
}

static int check_token(struct cli *cli)
{
	const char *t = cli->conf.token;
	if (strcmp(t, "-") == 0 && token_from_stdin(cli) != 0)
		return CLI_EXIT_USAGE;
	t = cli->conf.token;
	if (!*t || strlen(t) > TOKEN_MAX)
		return cli_usage_error(cli, "the token must be 1 to %d "
					    "characters",
				       TOKEN_MAX);
	for (const char *p = t; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return cli_usage_error(cli, "the token must not "
						    "contain spaces or "
						    "control characters");
	if (cli->conf.org && strpbrk(cli->conf.org, " \t\r\n/"))
		return cli_usage_error(cli, "--org must be an organization "
					    "slug");
	return 0;
}

static int run_login(struct cli *cli)
{
	struct buf path = BUF_INIT, err = BUF_INIT;
	json_t *reply = NULL;
	int rc = CLI_EXIT_OK;
	/* What is saved must be what the user gave now, not the old file. */
	if (!cli->conf.url || from_file(cli->conf.url_from))
		return cli_usage_error(cli, "--url (or KODO_URL) is required");
	if (!cli->conf.token || from_file(cli->conf.token_from))
		return cli_usage_error(cli, "--token (or KODO_TOKEN) is "
					    "required");
	if (cli_config_path(&path) != 0)
		return cli_usage_error(cli, "neither HOME nor XDG_CONFIG_HOME "
					    "is set: nowhere to save");
	if (from_file(cli->conf.org_from)) {
		free(cli->conf.org);
		cli->conf.org = NULL;
	}
	rc = check_token(cli);
	if (rc == CLI_EXIT_OK && !cli_args_has(&cli->args, "no-verify"))
		rc = cli_api(cli, "GET", "/api/v1/services", NULL, true,
			     &reply);
	if (rc == CLI_EXIT_OK &&
	    cli_config_save(buf_str(&path), cli->conf.url, cli->conf.token,
			    cli->conf.org, &err) != 0) {
		fprintf(stderr, "kodo: %s\n", buf_str(&err));
		rc = CLI_EXIT_USAGE;
	}
	if (rc == CLI_EXIT_OK && cli->json) {
		json_t *out = json_pack("{s:s, s:s?, s:s, s:b}", "url",
					cli->conf.url, "org", cli->conf.org,
					"config", buf_str(&path), "verified",
					!cli_args_has(&cli->args, "no-verify"));
		cli_print_json(out);
		json_decref(out);
	} else if (rc == CLI_EXIT_OK) {
		printf("Logged in to %s; saved to %s\n", cli->conf.url,
		       buf_str(&path));
	}
	json_decref(reply);
	buf_cleanup(&path);
	buf_cleanup(&err);
	return rc;
}

static const struct cli_opt login_opts[] = {
	{ "no-verify", CLI_FLAG, NULL,
	  "save without checking the token against the server", NULL, false },
	CLI_OPT_END,
};

const struct cli_cmd cli_login_cmds[] = {
	{ "login", NULL, NULL, 0, 0, 0, login_opts,
	  "save the server URL and API token for later commands",
	  "Checks the token against the server (GET /api/v1/services), then "
	  "saves --url,\n--token and --org (or KODO_URL, KODO_TOKEN, KODO_ORG) "
	  "to $XDG_CONFIG_HOME/kodo/config,\nelse ~/.config/kodo/config, "
	  "with mode 0600. --token - reads the token from\nstdin, keeping it "
	  "out of the shell history. Later commands use the saved\nvalues "
	  "unless a flag or an environment variable says otherwise.",
	  run_login },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};
