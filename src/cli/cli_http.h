/*
 * cli_http — the CLI's HTTP client (libcurl easy interface), and the one
 * place that turns a reply into an exit code: a JSON error body becomes
 * "kodo: code: message (field: f)" and exit 1; no reply at all (connection
 * refused, unknown host, timeout) becomes exit 3.
 */
#ifndef KODO_CLI_CLI_HTTP_H
#define KODO_CLI_CLI_HTTP_H

#include <jansson.h>

#include "cli/cli_cmd.h"
#include "util/buf.h"

#define CLI_REPLY_MAX_BYTES (64L * 1024 * 1024)

struct cli_reply {
	long status;	     /* HTTP status; 0 when there was no reply */
	struct buf body;     /* owned */
	long retry_after_s;  /* the Retry-After header in seconds, or -1 */
};

/* Once per process, main thread, around every other call here. */
void cli_http_global_init(void);
void cli_http_global_cleanup(void);

/*
 * One exchange: method on url, with a bearer token and a JSON body when
 * they are not NULL. Only http and https are spoken; redirects are not
 * followed. Returns 0 when a reply came back, whatever its status (r is
 * filled; release with cli_reply_cleanup), or -1 when none did, with a
 * sentence in err. timeout_ms bounds the whole exchange.
 */
int cli_http_exchange(const char *method, const char *url, const char *token,
		      const char *json_body, long timeout_ms,
		      struct cli_reply *r, struct buf *err);
void cli_reply_cleanup(struct cli_reply *r);

/* Appends s percent-encoded: every byte but RFC 3986's unreserved ones. */
void cli_url_escape(struct buf *b, const char *s);

/*
 * Appends the base of the organization's public pages: the server URL,
 * plus "/status/<org>" when an organization slug is configured (without
 * one, the server's root pages are the default organization's).
 */
void cli_public_base(const struct cli *cli, struct buf *b);

/*
 * A request to the configured server's API: path starts with '/'; the
 * token is sent when auth is true. On a 2xx reply *out is the parsed JSON
 * (NULL for an empty body; caller decrefs) and the result is CLI_EXIT_OK.
 * Otherwise the error is printed to stderr and the result is CLI_EXIT_API
 * or CLI_EXIT_UNREACHABLE.
 */
int cli_api(const struct cli *cli, const char *method, const char *path,
	    const json_t *body, bool auth, json_t **out);

/*
 * Every item of a list: GETs path (no query) page after page, following
 * next_cursor, and gives {"<key>": [all items], "next_cursor": null} in
 * *out. Results as cli_api.
 */
int cli_api_list(const struct cli *cli, const char *path, const char *key,
		 json_t **out);

#endif
