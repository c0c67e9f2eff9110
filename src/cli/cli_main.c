/*
 * cli_main — `kodo <noun> [<verb>] [options] [operands]`: finds the command
 * in the tables of cli_cmd.h, parses its options, resolves the server, token
 * and organization by precedence (flags > environment > config file), and
 * runs it. Also prints every --help from those same tables.
 */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_cmd.h"
#include "cli/cli_http.h"
#include "cli/cli_out.h"
#include "util/text.h"

#define TIMEOUT_DEFAULT_S 30
#define TIMEOUT_MAX_S 3600
#define MAX_ARGS 256

const struct cli_opt cli_global_opts[] = {
	{ "url", CLI_VALUE, "URL",
	  "the server, e.g. http://127.0.0.1:8080 (else KODO_URL, else the "
	  "config file)", NULL, false },
	{ "token", CLI_VALUE, "TOKEN",
	  "API token (else KODO_TOKEN, else the config file)", NULL, false },
	{ "org", CLI_VALUE, "SLUG",
	  "organization slug for public pages and `kodo status` (else "
	  "KODO_ORG, else the config file; none: the default organization)",
	  NULL, false },
	{ "json", CLI_FLAG, NULL, "print the API's JSON instead of text", NULL,
	  false },
	{ "timeout", CLI_VALUE, "SECONDS",
	  "give up on a request after this long (default 30)", NULL, false },
	{ "help", CLI_FLAG, NULL, "show this help", NULL, false },
	CLI_OPT_END,
};

const struct cli_cmd *const cli_all_cmds[] = {
	cli_login_cmds,	 cli_incident_cmds, cli_service_cmds,
	cli_monitor_cmds, cli_status_cmds,   cli_ping_cmds,
	cli_completion_cmds, NULL,
};

static const struct {
	const char *noun, *summary;
} nouns[] = {
	{ "incident", "incidents: open, update, resolve and publish them" },
	{ "service", "services: what your users care about" },
	{ "monitor", "monitors: uptime checks, heartbeats, integrations, "
		     "beacons" },
};

const char *cli_noun_summary(const char *noun)
{
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		if (strcmp(nouns[i].noun, noun) == 0)
			return nouns[i].summary;
	return "";
}

/* -- help ------------------------------------------------------------- */

#define HELP_INDENT 29
#define HELP_WIDTH 79

static void print_name(FILE *out, const struct cli_cmd *cmd)
{
	fprintf(out, "kodo %s%s%s", cmd->noun, cmd->verb ? " " : "",
		cmd->verb ? cmd->verb : "");
}

/* Writes " token", first breaking the line when it would be too long. */
static void emit(FILE *out, size_t *col, size_t indent, const char *token)
{
	size_t len = strlen(token);
	if (*col + 1 + len > HELP_WIDTH && *col > indent) {
		fprintf(out, "\n%*s", (int)indent, "");
		*col = indent;
	}
	fprintf(out, " %s", token);
	*col += 1 + len;
}

/* The usage line, wrapped under the command name when long. */
static void print_synopsis(FILE *out, const struct cli_cmd *cmd)
{
	struct buf tok = BUF_INIT;
	size_t indent = strlen("usage: kodo ") + strlen(cmd->noun) +
			(cmd->verb ? strlen(cmd->verb) + 1 : 0);
	size_t col = indent;
	fputs("usage: ", out);
	print_name(out, cmd);
	if (cmd->operands)
		emit(out, &col, indent, cmd->operands);
	for (const struct cli_opt *o = cmd->opts; o && o->name; o++) {
		buf_reset(&tok);
		if (o->kind == CLI_FLAG)
			buf_printf(&tok, o->required ? "--%s" : "[--%s]",
				   o->name);
		else
			buf_printf(&tok, o->required ? "--%s %s" : "[--%s %s]%s",
				   o->name, o->metavar,
				   o->kind == CLI_LIST ? "..." : "");
		emit(out, &col, indent, buf_str(&tok));
	}
	emit(out, &col, indent, "[global options]");
	fputc('\n', out);
	buf_cleanup(&tok);
}

/* Writes text word-wrapped into the help column (HELP_INDENT onwards). */
static void print_wrapped(FILE *out, const char *text)
{
	size_t col = HELP_INDENT;
	while (*text) {
		size_t word = strcspn(text, " ");
		if (col > HELP_INDENT && col + 1 + word > HELP_WIDTH) {
			fprintf(out, "\n%*s", HELP_INDENT, "");
			col = HELP_INDENT;
		} else if (col > HELP_INDENT) {
			fputc(' ', out);
			col++;
		}
		fwrite(text, 1, word, out);
		col += word;
		text += word;
		while (*text == ' ')
			text++;
	}
	fputc('\n', out);
}

static void print_opts(FILE *out, const struct cli_opt *opts)
{
	for (const struct cli_opt *o = opts; o && o->name; o++) {
		char left[64], help[512];
		snprintf(left, sizeof(left), "--%s%s%s", o->name,
			 o->metavar ? " " : "", o->metavar ? o->metavar : "");
		/* A long left column pushes the help to its own line. */
		if (strlen(left) > HELP_INDENT - 3)
			fprintf(out, "  %s\n%*s", left, HELP_INDENT, "");
		else
			fprintf(out, "  %-*s", HELP_INDENT - 2, left);
		snprintf(help, sizeof(help), "%s%s", o->help,
			 o->kind == CLI_LIST ? " (repeatable)" : "");
		print_wrapped(out, help);
	}
}

static void print_cmd_help(FILE *out, const struct cli_cmd *cmd)
{
	print_synopsis(out, cmd);
	fprintf(out, "\n%s\n", cmd->help);
	if (cmd->opts && cmd->opts->name) {
		fputs("\noptions:\n", out);
		print_opts(out, cmd->opts);
	}
	fputs("\nglobal options:\n", out);
	print_opts(out, cli_global_opts);
	fputs("\nSettings come from the flags first, then KODO_URL, "
	      "KODO_TOKEN and KODO_ORG,\nthen the config file written by "
	      "`kodo login` ($XDG_CONFIG_HOME/kodo/config,\nelse "
	      "~/.config/kodo/config). Exit codes: 0 ok, 1 API error, 2 usage "
	      "error,\n3 cannot reach the server. See kodo(1).\n",
	      out);
}

static void print_noun_help(FILE *out, const struct cli_cmd *table)
{
	fprintf(out, "usage: kodo %s <command> [options]\n\n%s.\n\ncommands:\n",
		table->noun, cli_noun_summary(table->noun));
	for (const struct cli_cmd *c = table; c->noun; c++)
		fprintf(out, "  %-10s %s\n", c->verb, c->summary);
	fprintf(out, "\nRun 'kodo %s <command> --help' for its options.\n",
		table->noun);
}

int cli_usage_error(const struct cli *cli, const char *fmt, ...)
{
	va_list ap;
	fputs("kodo", stderr);
	if (cli->cmd)
		fprintf(stderr, " %s%s%s", cli->cmd->noun,
			cli->cmd->verb ? " " : "",
			cli->cmd->verb ? cli->cmd->verb : "");
	fputs(": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cli->cmd) {
		print_synopsis(stderr, cli->cmd);
		fputs("Run '", stderr);
		print_name(stderr, cli->cmd);
		fputs(" --help' for more.\n", stderr);
	} else {
		fputs("usage: kodo <command> [options]\ncommands: serve", stderr);
		for (size_t i = 0; cli_all_cmds[i]; i++)
			fprintf(stderr, " %s", cli_all_cmds[i]->noun);
		fputs("\nRun 'kodo --help' for more.\n", stderr);
	}
	return CLI_EXIT_USAGE;
}

/* -- dispatch ----------------------------------------------------------- */

static const struct cli_cmd *find_table(const char *noun)
{
	for (size_t i = 0; cli_all_cmds[i]; i++)
		if (strcmp(cli_all_cmds[i]->noun, noun) == 0)
			return cli_all_cmds[i];
	return NULL;
}

static bool global_takes_value(const char *arg)
{
	for (const struct cli_opt *o = cli_global_opts; o->name; o++)
		if (strncmp(arg, "--", 2) == 0 && strcmp(arg + 2, o->name) == 0)
			return cli_opt_takes_value(o);
	return false;
}

/*
 * Splits argv into the command's words (noun, verb) and the rest. Global
 * options may come before the noun, so their values are skipped.
 * Returns the number of words found (at most want).
 */
static int split_words(int argc, char **argv, int want, const char **words,
		       char **rest, int *n_rest)
{
	int found = 0;
	bool options = true;
	*n_rest = 0;
	for (int k = 1; k < argc; k++) {
		const char *arg = argv[k];
		if (found == want || !options) {
			rest[(*n_rest)++] = argv[k];
		} else if (strcmp(arg, "--") == 0) {
			/* Operands follow; the command words came before. */
			options = false;
			rest[(*n_rest)++] = argv[k];
		} else if (arg[0] == '-' && arg[1] != '\0') {
			rest[(*n_rest)++] = argv[k];
			if (global_takes_value(arg) && k + 1 < argc)
				rest[(*n_rest)++] = argv[++k];
		} else {
			words[found++] = arg;
		}
	}
	return found;
}

static bool wants_help(int argc, char **argv)
{
	for (int k = 1; k < argc && strcmp(argv[k], "--") != 0; k++)
		if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0)
			return true;
	return false;
}

/* The row for noun (and verb); prints help or a usage error otherwise. */
static const struct cli_cmd *find_cmd(int argc, char **argv, char **rest,
				      int *n_rest, int *exit_code)
{
	const char *words[2] = { NULL, NULL };
	struct cli none = { 0 };
	int n = split_words(argc, argv, 1, words, rest, n_rest);
	const struct cli_cmd *table = n ? find_table(words[0]) : NULL;
	*exit_code = CLI_EXIT_USAGE;
	if (!table) {
		if (n)
			cli_usage_error(&none, "unknown command '%s'", words[0]);
		else
			cli_usage_error(&none, "no command given");
		return NULL;
	}
	if (!table->verb)
		return table;
	n = split_words(argc, argv, 2, words, rest, n_rest);
	for (const struct cli_cmd *c = table; n == 2 && c->noun; c++)
		if (strcmp(c->verb, words[1]) == 0)
			return c;
	bool help = n < 2 && wants_help(argc, argv);
	if (help)
		*exit_code = CLI_EXIT_OK;
	else if (n == 2)
		fprintf(stderr, "kodo %s: unknown command '%s'\n", table->noun,
			words[1]);
	else
		fprintf(stderr, "kodo %s: which command?\n", table->noun);
	print_noun_help(help ? stdout : stderr, table);
	return NULL;
}

static int set_globals(struct cli *cli)
{
	struct buf err = BUF_INIT, url = BUF_INIT;
	int rc = 0;
	const char *timeout = cli_args_value(&cli->args, "timeout");
	int64_t secs = TIMEOUT_DEFAULT_S;
	cli->json = cli_args_has(&cli->args, "json");
	cli->color = !cli->json && cli_color_wanted();
	if (timeout && !text_parse_int(timeout, 1, TIMEOUT_MAX_S, &secs))
		return cli_usage_error(cli, "--timeout must be 1 to %d seconds",
				       TIMEOUT_MAX_S);
	cli->timeout_ms = (long)secs * 1000;
	static const char *const settings[] = { "url", "token", "org" };
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		const char *v = cli_args_value(&cli->args, settings[i]);
		if (v && !*v)
			return cli_usage_error(cli, "--%s must not be empty",
					       settings[i]);
	}
	if (cli_config_resolve(&cli->conf, cli_args_value(&cli->args, "url"),
			       cli_args_value(&cli->args, "token"),
			       cli_args_value(&cli->args, "org"), &err) != 0) {
		rc = cli_usage_error(cli, "%s", buf_str(&err));
	} else if (cli->conf.url &&
		   cli_url_normalize(cli->conf.url, &url, &err) != 0) {
		rc = cli_usage_error(cli, "%s (from %s)", buf_str(&err),
				     cli->conf.url_from);
	} else if (cli->conf.url) {
		free(cli->conf.url);
		cli->conf.url = buf_detach(&url, NULL);
	}
	buf_cleanup(&err);
	buf_cleanup(&url);
	return rc;
}

static int check_needs(struct cli *cli)
{
	unsigned needs = cli->cmd->needs;
	if ((needs & CLI_NEED_URL) && !cli->conf.url)
		return cli_usage_error(cli, "no server URL: pass --url, set "
					    "KODO_URL or run `kodo login`");
	if ((needs & CLI_NEED_TOKEN) && !cli->conf.token)
		return cli_usage_error(cli, "no API token: pass --token, set "
					    "KODO_TOKEN or run `kodo login`");
	if (cli->args.n_pos < cli->cmd->min_pos)
		return cli_usage_error(cli, "missing %s", cli->cmd->operands);
	return 0;
}

static int run(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli cli = { 0 };
	struct buf err = BUF_INIT;
	const struct cli_opt *const tables[] = { cli_global_opts, cmd->opts };
	cli.cmd = cmd;
	int rc = cli_args_parse(&cli.args, tables, cmd->opts ? 2 : 1, argc,
				argv, cmd->max_pos, &err);
	if (rc != 0) {
		rc = cli_usage_error(&cli, "%s", buf_str(&err));
	} else if (cli.args.help) {
		print_cmd_help(stdout, cmd);
	} else {
		rc = set_globals(&cli);
		if (rc == 0)
			rc = check_needs(&cli);
		if (rc == 0)
			rc = cmd->run(&cli);
	}
	fflush(stdout);
	cli_args_cleanup(&cli.args);
	cli_conf_cleanup(&cli.conf);
	buf_cleanup(&err);
	return rc;
}

int cli_main(int argc, char **argv)
{
	char *rest[MAX_ARGS];
	int n_rest, rc;
	if (argc > MAX_ARGS) {
		fprintf(stderr, "kodo: more than %d arguments\n", MAX_ARGS);
		return CLI_EXIT_USAGE;
	}
	const struct cli_cmd *cmd = find_cmd(argc, argv, rest, &n_rest, &rc);
	if (!cmd)
		return rc;
	cli_http_global_init();
	rc = run(cmd, n_rest, rest);
	cli_http_global_cleanup();
	return rc;
}
