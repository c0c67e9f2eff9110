/*
 * cli_config — where the CLI finds its server, token and organization.
 *
 * Each setting is taken from the first place that has it: the command-line
 * flag (--url, --token, --org), then the environment (KODO_URL, KODO_TOKEN,
 * KODO_ORG), then the config file that `kodo login` writes:
 * $XDG_CONFIG_HOME/kodo/config when XDG_CONFIG_HOME is set, otherwise
 * $HOME/.config/kodo/config. The file holds `key=value` lines (url, token,
 * org; `#` starts a comment) and is written atomically with mode 0600,
 * because the token is a secret.
 */
#ifndef KODO_CLI_CLI_CONFIG_H
#define KODO_CLI_CLI_CONFIG_H

#include "util/buf.h"

struct cli_conf {
	char *url;   /* owned; NULL when no source has it; no trailing '/' */
	char *token; /* owned; NULL when none */
	char *org;   /* owned; NULL when none: the default organization */
	const char *url_from; /* static: "--url", "KODO_URL" or "config file" */
	const char *token_from;
	const char *org_from;
};

/*
 * Appends the config file's path to out. Returns 0, or -1 when neither
 * XDG_CONFIG_HOME nor HOME is set (out untouched).
 */
int cli_config_path(struct buf *out);

/*
 * Fills c (caller-allocated, zeroed) from the flags (NULL when not given),
 * the environment and the config file, in that order of precedence. Empty
 * environment variables count as unset. A missing file is fine; a file that
 * cannot be read or has a malformed line is an error: returns -1 with a
 * message in err. Release with cli_conf_cleanup.
 */
int cli_config_resolve(struct cli_conf *c, const char *flag_url,
		       const char *flag_token, const char *flag_org,
		       struct buf *err);
void cli_conf_cleanup(struct cli_conf *c);

/*
 * Writes url, token and org (when not NULL) to path, creating its folder
 * (mode 0700) when missing. Atomic: a temporary file with mode 0600 is
 * written, synced and renamed over path, so readers see the old or the new
 * file, and the token is never readable by others, not even briefly.
 * Returns 0, or -1 with a message in err.
 */
int cli_config_save(const char *path, const char *url, const char *token,
		    const char *org, struct buf *err);

/*
 * Checks that url is an http:// or https:// URL and appends it to out
 * without trailing slashes. Returns 0, or -1 with a message in err.
 */
int cli_url_normalize(const char *url, struct buf *out, struct buf *err);

#endif
