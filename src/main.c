/*
 * kodo — one binary, git-style subcommands. This file only dispatches.
 */
#include <stdio.h>
#include <string.h>

#include "serve.h"

#define KODO_VERSION "0.1.0"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kodo <command> [options]\n"
		"\n"
		"Kodo — a self-hosted status page and incident manager.\n"
		"\n"
		"commands:\n"
		"  serve       run the server (see kodo serve --help)\n"
		"\n"
		"  --help      show this help\n"
		"  --version   show the version\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("kodo %s\n", KODO_VERSION);
		return 0;
	}
	if (strcmp(cmd, "serve") == 0)
		return serve_main(argc - 1, argv + 1);
	fprintf(stderr, "kodo: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
