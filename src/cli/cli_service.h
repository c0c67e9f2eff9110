/*
 * cli_service — `kodo service list|create|delete`, and the lookup of
 * services by name that other commands share (the API takes ids where a
 * person types names).
 */
#ifndef KODO_CLI_CLI_SERVICE_H
#define KODO_CLI_CLI_SERVICE_H

#include <jansson.h>
#include <stddef.h>

#include "cli/cli_cmd.h"

/*
 * Turns each of names (service ids or names) into an id: an id of the
 * organization stays itself, a name becomes its service's id, anything
 * else is passed on unchanged so that the server names the bad value.
 * One GET /api/v1/services. On CLI_EXIT_OK *ids is a new JSON array of
 * strings (caller decrefs); otherwise the error was printed.
 */
int cli_services_resolve(const struct cli *cli, const char *const *names,
			 size_t n, json_t **ids);

#endif
