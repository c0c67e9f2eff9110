/* cli_args — see cli_args.h. */
#include "cli/cli_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

bool cli_opt_takes_value(const struct cli_opt *opt)
{
	return opt->kind != CLI_FLAG;
}

static int find(const struct cli_args *a, const char *name, size_t len)
{
	for (size_t i = 0; i < a->n_spec; i++)
		if (strlen(a->spec[i]->name) == len &&
		    strncmp(a->spec[i]->name, name, len) == 0)
			return (int)i;
	return -1;
}

static int index_of(const struct cli_args *a, const char *name)
{
	int i = find(a, name, strlen(name));
	if (i < 0) {
		fprintf(stderr, "kodo: internal error: no option --%s\n", name);
		abort();
	}
	return i;
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

static int store(struct cli_args *a, int i, const char *value,
		 struct buf *err)
{
	a->set[i] = true;
	if (a->spec[i]->kind == CLI_VALUE) {
		a->value[i] = value;
		return 0;
	}
	if (a->spec[i]->kind == CLI_FLAG)
		return 0;
	if (a->n_list[i] >= CLI_ARGS_MAX_LIST) {
		buf_printf(err, "--%s is given more than %d times",
			   a->spec[i]->name, CLI_ARGS_MAX_LIST);
		return -1;
	}
	a->list[i] = xrealloc(a->list[i],
			      (a->n_list[i] + 1) * sizeof(*a->list[i]));
	a->list[i][a->n_list[i]++] = value;
	return 0;
}

/* One "--name[=value]" at argv[*k]; may consume argv[*k + 1]. */
static int parse_option(struct cli_args *a, int argc, char **argv, int *k,
			struct buf *err)
{
	const char *arg = argv[*k] + 2;
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	int i = find(a, arg, len);
	if (i < 0) {
		buf_printf(err, "unknown option '--%.*s'", (int)len, arg);
		return -1;
	}
	if (a->spec[i]->kind == CLI_FLAG) {
		if (eq) {
			buf_printf(err, "--%s takes no value", a->spec[i]->name);
			return -1;
		}
		return store(a, i, NULL, err);
	}
	if (eq)
		return store(a, i, eq + 1, err);
	if (*k + 1 >= argc) {
		buf_printf(err, "--%s needs a value (%s)", a->spec[i]->name,
			   a->spec[i]->metavar);
		return -1;
	}
	*k += 1;
	return store(a, i, argv[*k], err);
}

static int check_required(const struct cli_args *a, struct buf *err)
{
	for (size_t i = 0; i < a->n_spec; i++) {
		if (a->spec[i]->required && !a->set[i]) {
			buf_printf(err, "--%s is required", a->spec[i]->name);
			return -1;
		}
	}
	return 0;
}

static int add_operand(struct cli_args *a, const char *arg, size_t max_pos,
		       struct buf *err)
{
	if (a->n_pos >= max_pos || a->n_pos >= CLI_ARGS_MAX_POS) {
		buf_printf(err, "unexpected argument '%s'", arg);
		return -1;
	}
	a->pos[a->n_pos++] = arg;
	return 0;
}

int cli_args_parse(struct cli_args *a, const struct cli_opt *const *tables,
		   size_t n_tables, int argc, char **argv, size_t max_pos,
		   struct buf *err)
{
	memset(a, 0, sizeof(*a));
	for (size_t t = 0; t < n_tables; t++) {
		for (const struct cli_opt *o = tables[t]; o->name; o++) {
			/* A command option may not shadow a global one. */
			if (find(a, o->name, strlen(o->name)) >= 0 ||
			    a->n_spec == CLI_ARGS_MAX_OPTS) {
				fprintf(stderr, "kodo: internal error: option "
						"--%s\n", o->name);
				abort();
			}
			a->spec[a->n_spec++] = o;
		}
	}
	/* --help wins over every other mistake on the line. */
	for (int k = 0; k < argc && strcmp(argv[k], "--") != 0; k++) {
		if (is_help(argv[k])) {
			a->help = true;
			return 0;
		}
	}
	bool options = true;
	for (int k = 0; k < argc; k++) {
		const char *arg = argv[k];
		int rc;
		if (options && strcmp(arg, "--") == 0) {
			options = false;
			continue;
		}
		if (options && strncmp(arg, "--", 2) == 0)
			rc = parse_option(a, argc, argv, &k, err);
		else if (options && arg[0] == '-' && arg[1] != '\0')
			rc = (buf_printf(err, "unknown option '%s'", arg), -1);
		else
			rc = add_operand(a, arg, max_pos, err);
		if (rc)
			return rc;
	}
	return check_required(a, err);
}

void cli_args_cleanup(struct cli_args *a)
{
	for (size_t i = 0; i < CLI_ARGS_MAX_OPTS; i++)
		free(a->list[i]);
	memset(a, 0, sizeof(*a));
}

bool cli_args_has(const struct cli_args *a, const char *name)
{
	return a->set[index_of(a, name)];
}

const char *cli_args_value(const struct cli_args *a, const char *name)
{
	return a->value[index_of(a, name)];
}

const char *const *cli_args_list(const struct cli_args *a, const char *name,
				 size_t *n)
{
	int i = index_of(a, name);
	*n = a->n_list[i];
	return a->list[i];
}
