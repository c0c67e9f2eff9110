/*
 * cli_cmd — what every CLI command is: a row in a table that names it,
 * describes its options and runs it. cli_main.c dispatches on these rows,
 * prints --help from them and cli_completion.c turns them into bash
 * completion, so a command is declared once, beside its code.
 */
#ifndef KODO_CLI_CLI_CMD_H
#define KODO_CLI_CLI_CMD_H

#include <stdbool.h>

#include "cli/cli_args.h"
#include "cli/cli_config.h"

/* What a command needs before it runs; missing → usage error (exit 2). */
enum {
	CLI_NEED_URL = 1,
	CLI_NEED_TOKEN = 2,
};

/* The state of one command run. Main thread only. */
struct cli {
	const struct cli_cmd *cmd;
	struct cli_args args;
	struct cli_conf conf; /* resolved by precedence (cli_config.h) */
	bool json;	      /* --json: print the API's JSON */
	bool color;	      /* stdout is a terminal and NO_COLOR is unset */
	long timeout_ms;      /* --timeout, per request */
};

struct cli_cmd {
	const char *noun;     /* "incident", or a one-word command: "status" */
	const char *verb;     /* "create"; NULL for one-word commands */
	const char *operands; /* synopsis of operands ("ID"), or NULL */
	unsigned min_pos, max_pos;
	unsigned needs; /* CLI_NEED_* */
	const struct cli_opt *opts;
	const char *summary; /* one line, for lists */
	const char *help;    /* what it does, for --help */
	/* Returns the exit code (cli.h). */
	int (*run)(struct cli *cli);
};

/* The tables, each ended by a row with noun NULL. */
extern const struct cli_cmd cli_login_cmds[];
extern const struct cli_cmd cli_incident_cmds[];
extern const struct cli_cmd cli_service_cmds[];
extern const struct cli_cmd cli_monitor_cmds[];
extern const struct cli_cmd cli_status_cmds[];
extern const struct cli_cmd cli_ping_cmds[];
extern const struct cli_cmd cli_completion_cmds[];

/* Options every command accepts (--url, --token, --org, --json, ...). */
extern const struct cli_opt cli_global_opts[];

/* Every table above, in the order help lists them; NULL-terminated. */
extern const struct cli_cmd *const cli_all_cmds[];

/* Short descriptions of the nouns, for `kodo NOUN --help`. */
const char *cli_noun_summary(const char *noun);

/*
 * Prints "kodo NOUN VERB: message" and a pointer to --help on stderr;
 * returns CLI_EXIT_USAGE, for `return cli_usage_error(...)`.
 */
int cli_usage_error(const struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
