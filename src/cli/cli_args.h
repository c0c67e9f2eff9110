/*
 * cli_args — the command line of one CLI command, parsed against a table.
 *
 * Options are long only (`--name value`, `--name=value`), plus `-h`; a
 * lone `--` ends them. Each command describes its options once, in a
 * struct cli_opt table, and the same table drives parsing, --help, the
 * man page's synopsis style and bash completion, so they cannot drift.
 */
#ifndef KODO_CLI_CLI_ARGS_H
#define KODO_CLI_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

enum cli_opt_kind {
	CLI_FLAG,  /* --draft */
	CLI_VALUE, /* --title T; the last one given wins */
	CLI_LIST,  /* --service S, repeatable; kept in order */
};

struct cli_opt {
	const char *name; /* without the leading "--" */
	enum cli_opt_kind kind;
	const char *metavar; /* "URL"; NULL for flags */
	const char *help;
	const char *choices; /* space-separated values, for completion; or NULL */
	bool required;
};

#define CLI_OPT_END { NULL, CLI_FLAG, NULL, NULL, NULL, false }

#define CLI_ARGS_MAX_OPTS 40
#define CLI_ARGS_MAX_POS 4
#define CLI_ARGS_MAX_LIST 64

struct cli_args {
	const struct cli_opt *spec[CLI_ARGS_MAX_OPTS]; /* borrowed */
	size_t n_spec;
	bool set[CLI_ARGS_MAX_OPTS];
	const char *value[CLI_ARGS_MAX_OPTS];	    /* borrowed from argv */
	const char **list[CLI_ARGS_MAX_OPTS];	    /* owned arrays, borrowed items */
	size_t n_list[CLI_ARGS_MAX_OPTS];
	const char *pos[CLI_ARGS_MAX_POS]; /* operands, borrowed from argv */
	size_t n_pos;
	bool help; /* --help or -h was given: nothing else was checked */
};

/*
 * Parses argv[0..argc) against the NULL-name-terminated option tables
 * (global options first, then the command's). Operands beyond max_pos,
 * unknown options, missing values and missing required options are usage
 * errors: returns -1 with a one-line message in err. Returns 0 otherwise,
 * also when --help was seen (a->help; then nothing else is checked).
 * a is caller-allocated; release with cli_args_cleanup. Strings stay
 * borrowed from argv.
 */
int cli_args_parse(struct cli_args *a, const struct cli_opt *const *tables,
		   size_t n_tables, int argc, char **argv, size_t max_pos,
		   struct buf *err);
void cli_args_cleanup(struct cli_args *a);

/* Accessors by option name; asking for a name not in the tables aborts
 * (a programming error, caught by any test of the command). */
bool cli_args_has(const struct cli_args *a, const char *name);
const char *cli_args_value(const struct cli_args *a, const char *name);
const char *const *cli_args_list(const struct cli_args *a, const char *name,
				 size_t *n);

/* True when the option takes a value (for the pre-scan of global options
 * that may come before the noun). */
bool cli_opt_takes_value(const struct cli_opt *opt);

#endif
