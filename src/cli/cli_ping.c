/*
 * cli_ping — `kodo ping URL`: a heartbeat for cron jobs and scripts.
 *
 * A ping must get through a server restart or a network blip, so failures
 * that may pass (no connection, timeouts, 5xx, 408, 429) are retried with
 * exponential backoff: --backoff, then twice that, and so on, capped at
 * BACKOFF_MAX_S, or the server's Retry-After when it sends one. A refusal
 * that will not pass (another 4xx: an unknown token) is not retried. Silent
 * on success, as cron likes it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/cli_cmd.h"
#include "cli/cli_http.h"
#include "cli/cli_out.h"
#include "util/text.h"

#define RETRIES_DEFAULT 5
#define RETRIES_MAX 20
#define BACKOFF_DEFAULT_S 1.0
#define BACKOFF_MAX_S 60.0
#define PING_TIMEOUT_DEFAULT_MS 10000L

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The URL to ping: as given, or <server>/ping/<token> for a bare token,
 * plus the suffix that reports a start, a failure or an exit code. */
static int ping_url(struct cli *cli, struct buf *url)
{
	const struct cli_args *a = &cli->args;
	const char *target = a->pos[0];
	int64_t code;
	int kinds = cli_args_has(a, "start") + cli_args_has(a, "fail") +
		    cli_args_has(a, "exit-code");
	if (kinds > 1)
		return cli_usage_error(cli, "--start, --fail and --exit-code "
					    "exclude each other");
	if (strstr(target, "://")) {
		buf_puts(url, target);
		while (url->len && url->data[url->len - 1] == '/')
			url->data[--url->len] = '\0';
	} else if (!cli->conf.url) {
		return cli_usage_error(cli, "'%s' is not a URL, and no server "
					    "is configured to send a token "
					    "to (--url, KODO_URL, kodo login)",
				       target);
	} else {
		buf_printf(url, "%s/ping/", cli->conf.url);
		cli_url_escape(url, target);
	}
	if (cli_args_has(a, "start"))
		buf_puts(url, "/start");
	if (cli_args_has(a, "fail"))
		buf_puts(url, "/fail");
	if (cli_args_has(a, "exit-code")) {
		if (!text_parse_int(cli_args_value(a, "exit-code"), 0, 255,
				    &code))
			return cli_usage_error(cli, "--exit-code must be 0 to "
						    "255");
		buf_printf(url, "/%d", (int)code);
	}
	return 0;
}

static int parse_policy(struct cli *cli, int64_t *retries, double *backoff)
{
	const char *r = cli_args_value(&cli->args, "retries");
	const char *b = cli_args_value(&cli->args, "backoff");
	char *end;
	*retries = RETRIES_DEFAULT;
	*backoff = BACKOFF_DEFAULT_S;
	if (r && !text_parse_int(r, 0, RETRIES_MAX, retries))
		return cli_usage_error(cli, "--retries must be 0 to %d",
				       RETRIES_MAX);
	if (b) {
		*backoff = strtod(b, &end);
		if (!*b || *end || !(*backoff >= 0.0 &&
				     *backoff <= BACKOFF_MAX_S))
			return cli_usage_error(cli, "--backoff must be 0 to %g "
						    "seconds",
					       BACKOFF_MAX_S);
	}
	return 0;
}

enum outcome {
	PING_OK,
	PING_REFUSED,	    /* a 4xx that will not pass: no retry */
	PING_SERVER_ERROR,  /* 5xx, 408, 429: worth retrying */
	PING_UNREACHABLE,   /* no reply: worth retrying */
};

/* One attempt; on failure err says why and *retry_after_s is the
 * server's Retry-After (or -1). */
static enum outcome ping_once(const char *url, long timeout_ms,
			      long *status, long *retry_after_s,
			      struct buf *err)
{
	struct cli_reply r;
	enum outcome out;
	buf_reset(err);
	*status = 0;
	*retry_after_s = -1;
	if (cli_http_exchange("GET", url, NULL, NULL, timeout_ms, &r, err) != 0)
		return PING_UNREACHABLE;
	*status = r.status;
	*retry_after_s = r.retry_after_s;
	if (r.status >= 200 && r.status <= 299)
		out = PING_OK;
	else if (r.status >= 500 || r.status == 408 || r.status == 429)
		out = PING_SERVER_ERROR;
	else
		out = PING_REFUSED;
	if (out != PING_OK)
		buf_printf(err, "HTTP %ld", r.status);
	cli_reply_cleanup(&r);
	return out;
}

static void report_success(const struct cli *cli, const char *url,
			   long status, int attempts)
{
	if (!cli->json)
		return;
	json_t *out = json_pack("{s:s, s:i, s:i}", "url", url, "status",
				(int)status, "attempts", attempts);
	cli_print_json(out);
	json_decref(out);
}

static int run_ping(struct cli *cli)
{
	struct buf url = BUF_INIT, err = BUF_INIT;
	int64_t retries;
	double delay;
	long status, retry_after_s;
	long timeout = cli_args_has(&cli->args, "timeout")
			       ? cli->timeout_ms
			       : PING_TIMEOUT_DEFAULT_MS;
	int rc = ping_url(cli, &url);
	if (rc == 0)
		rc = parse_policy(cli, &retries, &delay);
	for (int attempt = 1; rc == 0; attempt++) {
		enum outcome out = ping_once(buf_str(&url), timeout, &status,
					     &retry_after_s, &err);
		if (out == PING_OK) {
			report_success(cli, buf_str(&url), status, attempt);
			break;
		}
		if (out == PING_REFUSED || attempt > retries) {
			fprintf(stderr, "kodo: ping failed after %d attempt%s: ",
				attempt, attempt == 1 ? "" : "s");
			cli_put_clean(stderr, buf_str(&err), false);
			fputc('\n', stderr);
			rc = out == PING_UNREACHABLE ? CLI_EXIT_UNREACHABLE
						     : CLI_EXIT_API;
			break;
		}
		double wait = retry_after_s >= 0 ? (double)retry_after_s : delay;
		sleep_s(wait < BACKOFF_MAX_S ? wait : BACKOFF_MAX_S);
		delay = delay * 2 < BACKOFF_MAX_S ? delay * 2 : BACKOFF_MAX_S;
	}
	buf_cleanup(&url);
	buf_cleanup(&err);
	return rc;
}

static const struct cli_opt ping_opts[] = {
	{ "retries", CLI_VALUE, "N",
	  "retry a failed ping N times (default 5, at most 20)", NULL, false },
	{ "backoff", CLI_VALUE, "SECONDS",
	  "wait before the first retry, doubled each time up to 60 "
	  "(default 1)",
	  NULL, false },
	{ "start", CLI_FLAG, NULL, "report that the job started", NULL, false },
	{ "fail", CLI_FLAG, NULL, "report that the job failed", NULL, false },
	{ "exit-code", CLI_VALUE, "N",
	  "report the job's exit code (non-zero is a failure)", NULL, false },
	CLI_OPT_END,
};

const struct cli_cmd cli_ping_cmds[] = {
	{ "ping", NULL, "URL_OR_TOKEN", 1, 1, 0, ping_opts,
	  "send a heartbeat ping (for cron), with retries",
	  "Sends a heartbeat ping: GET the monitor's ping URL (or "
	  "<server>/ping/TOKEN for a\nbare token). Connection failures, "
	  "timeouts, 5xx, 408 and 429 are retried with\nexponential backoff "
	  "(or after the server's Retry-After); other 4xx are not.\nPrints "
	  "nothing on success. Each attempt times out after --timeout "
	  "(default 10 s\nhere). Exit 0 when a ping got through, 1 when the "
	  "server refused it, 3 when\nthe server could not be reached.\n"
	  "  e.g. in a crontab:  backup.sh; kodo ping --exit-code $? URL",
	  run_ping },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL },
};
