/*
 * kodo — one binary, git-style subcommands. This file only dispatches:
 * `serve` to the server, everything else to the command-line client.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "serve.h"

#define KODO_VERSION "0.1.0"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kodo <command> [options]\n"
		"\n"
		"Kodo — a self-hosted status page and incident manager.\n"
		"\n"
		"server:\n"
		"  serve              run the server (see kodo serve --help)\n"
		"\n"
		"client (talks to a server's API; see kodo <command> --help):\n"
		"  login              save the server URL and API token\n"
		"  incident create    open an incident; prints its id and URL\n"
		"  incident list      list incidents (--active, --resolved, --drafts)\n"
		"  incident show      show an incident and its timeline\n"
		"  incident update    post an update (--status, --message)\n"
		"  incident resolve   resolve an incident\n"
		"  incident publish   publish a draft\n"
		"  service list|create|delete\n"
		"  monitor list|create|pause|resume\n"
		"  status             the public status, like the banner\n"
		"  ping               send a heartbeat ping, with retries (cron)\n"
		"  completion bash    print the bash completion script\n"
		"\n"
		"  --help             show this help\n"
		"  --version          show the version\n"
		"\n"
		"Client settings: --url/--token/--org flags, else KODO_URL, KODO_TOKEN,\n"
		"KODO_ORG, else the file written by `kodo login`. --json prints the\n"
		"API's JSON. Exit codes: 0 ok, 1 API error, 2 usage error, 3 cannot\n"
		"reach the server. See kodo(1).\n");
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
	return cli_main(argc, argv);
}
