/*
 * serve — `kodo serve`: opens the store, bootstraps a new instance, runs
 * the HTTP server until SIGINT/SIGTERM, then shuts down cleanly.
 */
#ifndef KODO_SERVE_H
#define KODO_SERVE_H

/* Returns the process exit code. Main thread only. */
int serve_main(int argc, char **argv);

#endif
