/*
 * cli_completion — `kodo completion bash`: a bash completion script made
 * from the command tables, so every command, option and choice that
 * exists is completed, and nothing that does not.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_cmd.h"

/* `kodo serve` lives outside the CLI (src/serve.c); its options: */
#define SERVE_OPTS "--data --listen --threads --help"

static void print_opts(const struct cli_opt *opts)
{
	for (const struct cli_opt *o = opts; o && o->name; o++)
		printf(" --%s", o->name);
}

/* Has an earlier table already declared an option of this name? */
static bool seen_before(const struct cli_cmd *const *tables, size_t t,
			const struct cli_cmd *row, const struct cli_opt *opt)
{
	for (size_t i = 0; i <= t; i++)
		for (const struct cli_cmd *c = tables[i]; c->noun; c++)
			for (const struct cli_opt *o = c->opts; o && o->name;
			     o++) {
				if (c == row && o == opt)
					return false;
				if (strcmp(o->name, opt->name) == 0 &&
				    cli_opt_takes_value(o))
					return true;
			}
	return false;
}

/* One case arm per option that takes a value: its choices, or nothing
 * (so that bash does not offer commands as the value of --title). */
static void print_value_cases(void)
{
	for (const struct cli_opt *o = cli_global_opts; o->name; o++)
		if (cli_opt_takes_value(o))
			printf("\t--%s) return ;;\n", o->name);
	printf("\t--data) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n"
	       "\t--listen|--threads) return ;;\n");
	for (size_t t = 0; cli_all_cmds[t]; t++)
		for (const struct cli_cmd *c = cli_all_cmds[t]; c->noun; c++)
			for (const struct cli_opt *o = c->opts; o && o->name;
			     o++) {
				if (!cli_opt_takes_value(o) ||
				    seen_before(cli_all_cmds, t, c, o))
					continue;
				if (o->choices)
					printf("\t--%s) COMPREPLY=($(compgen "
					       "-W \"%s\" -- \"$cur\")); "
					       "return ;;\n",
					       o->name, o->choices);
				else
					printf("\t--%s) return ;;\n", o->name);
			}
}

static void print_noun(const struct cli_cmd *table)
{
	printf("\t%s)\n", table->noun);
	if (!table->verb) {
		printf("\t\twords=\"");
		print_opts(table->opts);
		printf("\"");
		if (strcmp(table->noun, "completion") == 0)
			printf(" operands=bash");
		printf(" ;;\n");
		return;
	}
	printf("\t\tcase $verb in\n\t\t\"\")\n"
	       "\t\t\t[[ $cur == -* ]] || {\n"
	       "\t\t\t\tCOMPREPLY=($(compgen -W \"");
	for (const struct cli_cmd *c = table; c->noun; c++)
		printf("%s%s", c == table ? "" : " ", c->verb);
	printf("\" -- \"$cur\"))\n\t\t\t\treturn\n\t\t\t}\n"
	       "\t\t\twords=\"\" ;;\n");
	for (const struct cli_cmd *c = table; c->noun; c++) {
		printf("\t\t%s) words=\"", c->verb);
		print_opts(c->opts);
		printf("\" ;;\n");
	}
	printf("\t\t*) return ;;\n\t\tesac ;;\n");
}

static int run_completion(struct cli *cli)
{
	if (strcmp(cli->args.pos[0], "bash") != 0)
		return cli_usage_error(cli, "only bash is supported, not '%s'",
				       cli->args.pos[0]);
	printf("# bash completion for kodo. Load it with:\n"
	       "#   source <(kodo completion bash)\n"
	       "# or save it as ~/.local/share/bash-completion/completions/"
	       "kodo\n"
	       "_kodo()\n{\n"
	       "\tlocal cur=${COMP_WORDS[COMP_CWORD]} "
	       "prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	       "\tlocal noun= verb= words= operands= i w\n"
	       "\tCOMPREPLY=()\n"
	       "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	       "\t\tw=${COMP_WORDS[i]}\n"
	       "\t\tcase $w in\n\t\t");
	for (const struct cli_opt *o = cli_global_opts; o->name; o++)
		if (cli_opt_takes_value(o))
			printf("--%s|", o->name);
	printf("--data|--listen) ((i++)); continue ;;\n"
	       "\t\t-*) continue ;;\n\t\tesac\n"
	       "\t\tif [[ -z $noun ]]; then noun=$w\n"
	       "\t\telif [[ -z $verb ]]; then verb=$w; break\n"
	       "\t\tfi\n\tdone\n"
	       "\tcase $prev in\n");
	print_value_cases();
	printf("\tesac\n\tcase $noun in\n"
	       "\t\"\")\n\t\tCOMPREPLY=($(compgen -W \"serve");
	for (size_t t = 0; cli_all_cmds[t]; t++)
		printf(" %s", cli_all_cmds[t]->noun);
	printf(" --help --version\" -- \"$cur\"))\n\t\treturn ;;\n"
	       "\tserve) COMPREPLY=($(compgen -W \"" SERVE_OPTS
	       "\" -- \"$cur\")); return ;;\n");
	for (size_t t = 0; cli_all_cmds[t]; t++)
		print_noun(cli_all_cmds[t]);
	/* Options only once a '-' is typed, as git does; operands (ids)
	 * are not completed. */
	printf("\t*) return ;;\n\tesac\n"
	       "\tif [[ $cur == -* ]]; then\n"
	       "\t\tCOMPREPLY=($(compgen -W \"$words");
	print_opts(cli_global_opts);
	printf("\" -- \"$cur\"))\n"
	       "\telse\n"
	       "\t\tCOMPREPLY=($(compgen -W \"$operands\" -- \"$cur\"))\n"
	       "\tfi\n}\ncomplete -F _kodo kodo\n");
	return CLI_EXIT_OK;
}

static const struct cli_opt no_opts[] = { CLI_OPT_END };

const struct cli_cmd cli_completion_cmds[] = {
	{ "completion", NULL, "bash", 1, 1, 0, no_opts,
	  "print the bash completion script",
	  "Prints a bash completion script for kodo. Load it with\n"
	  "  source <(kodo completion bash)\nor save it as "
	  "~/.local/share/bash-completion/completions/kodo.",
	  run_completion },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};
