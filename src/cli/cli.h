/*
 * cli — `kodo <noun> <verb>`, the command-line client of the REST API.
 *
 * Engineers on call live in a terminal: the CLI opens, updates and resolves
 * incidents, manages services and monitors, shows the public status and
 * sends heartbeat pings, all through the HTTP API (libcurl), never through
 * core/ or store/. main.c hands it every command other than `serve`.
 */
#ifndef KODO_CLI_CLI_H
#define KODO_CLI_CLI_H

/* Exit codes, the same for every command (documented in kodo.1). */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_API = 1,	  /* the server answered with an error */
	CLI_EXIT_USAGE = 2,	  /* bad command line or configuration */
	CLI_EXIT_UNREACHABLE = 3, /* no answer: connection failed or timed out */
};

/*
 * Runs argv[1..] (argv[0] is the program) as a CLI command and returns the
 * process exit code. Writes results to stdout, errors to stderr. Main
 * thread only: it initializes libcurl globally.
 */
int cli_main(int argc, char **argv);

#endif
