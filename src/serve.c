/* serve — see serve.h. */
#define _POSIX_C_SOURCE 200809L
#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/auth.h"
#include "core/rate.h"
#include "core/runner.h"
#include "http/resp_cache.h"
#include "http/server.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/text.h"

#define DRAIN_TIMEOUT_MS 10000

struct serve_opts {
	const char *data;
	struct http_server_config http;
	int64_t rate; /* API requests per second per caller; 0: no limit */
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kodo serve [--data DIR] [--listen HOST:PORT] [--threads N]\n"
		"                  [--rate-limit N]\n"
		"\n"
		"Runs the Kodo server: REST API, status pages and checks.\n"
		"\n"
		"  --data DIR          data folder (default ./kodo-data)\n"
		"  --listen HOST:PORT  address to serve on (default 127.0.0.1:8080)\n"
		"  --threads N         HTTP worker threads (default 64)\n"
		"  --rate-limit N      API requests per second per caller (token or\n"
		"                      session), with bursts of 10 s worth; over it\n"
		"                      the answer is 429 with Retry-After (default\n"
		"                      100; 0: no limit)\n"
		"\n"
		"On first start with an empty data folder, Kodo creates the\n"
		"organization 'default' with the owner user 'admin', prints the\n"
		"admin password and an owner API token once, and writes them to\n"
		"DIR/initial-credentials (mode 0600). KODO_ADMIN_PASSWORD and\n"
		"KODO_ADMIN_TOKEN, when set, are used instead of random ones.\n");
}

/* 0 to run, 1 for a usage error, -1 when --help was answered. */
static int parse_opts(int argc, char **argv, struct serve_opts *o)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "rate-limit", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	*o = (struct serve_opts){ "./kodo-data",
				  { "127.0.0.1:8080", 64, 4096, 60 },
				  RATE_DEFAULT_PER_S };
	int c;
	int64_t n;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->data = optarg; break;
		case 'l': o->http.listen = optarg; break;
		case 't':
			if (!text_parse_int(optarg, 1, 256, &n)) {
				fprintf(stderr, "kodo serve: --threads must be 1-256\n");
				return 1;
			}
			o->http.threads = (unsigned)n;
			break;
		case 'r':
			if (!text_parse_int(optarg, 0, 1000000, &o->rate)) {
				fprintf(stderr, "kodo serve: --rate-limit must be 0-1000000\n");
				return 1;
			}
			break;
		case 'h': usage(stdout); return -1;
		default: usage(stderr); return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "kodo serve: unexpected argument '%s'\n",
			argv[optind]);
		return 1;
	}
	return 0;
}

static int write_credentials(const char *dir, const char *listen,
			     const struct bootstrap_result *b)
{
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_printf(&path, "%s/initial-credentials", dir);
	buf_printf(&text, "url=http://%s\nuser=admin\npassword=%s\ntoken=%s\n",
		   listen, b->password, b->token);
	int rc = 0;
	int fd = open(buf_str(&path), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, text.data, text.len) != (ssize_t)text.len ||
	    fsync(fd) != 0) {
		log_error("cannot write %s: %s", buf_str(&path), strerror(errno));
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	buf_cleanup(&path);
	buf_cleanup(&text);
	return rc;
}

static int bootstrap(struct core *core, const struct serve_opts *o)
{
	struct bootstrap_result b;
	struct kerr err = { 0 };
	int rc = auth_bootstrap(core, getenv("KODO_ADMIN_PASSWORD"),
				getenv("KODO_ADMIN_TOKEN"), &b, &err);
	if (rc) {
		fprintf(stderr, "kodo serve: bootstrap failed: %s\n", err.message);
		return rc;
	}
	if (!b.created)
		return 0;
	printf("Kodo initialized a new instance in %s\n"
	       "  sign in:   http://%s/login as admin\n"
	       "  password:  %s\n"
	       "  API token: %s\n"
	       "These are shown once; they are also in %s/initial-credentials.\n",
	       o->data, o->http.listen, b.password, b.token, o->data);
	fflush(stdout);
	return write_credentials(o->data, o->http.listen, &b);
}

/*
 * How long a configured second lasts, in ms. Only tests shorten it, so
 * that a 10 s check interval or a 900 s cooldown can run in a fraction of
 * the time with the real scheduler and real HTTP checks.
 */
static int64_t second_ms(void)
{
	int64_t ms = 1000;
	const char *env = getenv("KODO_SECOND_MS");
	if (env && text_parse_int(env, 1, 1000, &ms) && ms != 1000)
		log_warn("KODO_SECOND_MS=%lld: durations run %lldx faster "
			 "(for tests only)",
			 (long long)ms, (long long)(1000 / ms));
	return ms;
}

static void app_cleanup(struct app *app)
{
	resp_cache_free(app->cache);
	core_cleanup(&app->core);
}

static int run(const struct serve_opts *o, const sigset_t *stop_signals)
{
	struct kerr err = { 0 };
	struct app app = { .cache = resp_cache_new(12) };
	struct http_server *http = NULL;
	struct store *store = NULL;
	int rc = store_open(o->data, &store, &err);
	core_init(&app.core, store, clock_system());
	rate_configure(&app.core, (double)o->rate);
	if (rc) {
		fprintf(stderr, "kodo serve: %s\n", err.message);
		app_cleanup(&app);
		return 1;
	}
	struct runner *runner = NULL;
	rc = bootstrap(&app.core, o);
	if (rc == 0)
		rc = runner_start(&app.core, second_ms(), &runner, &err);
	app.core.runner = runner;
	if (rc == 0)
		rc = http_server_start(&app, &o->http, &http, &err);
	if (rc) {
		if (err.message[0])
			fprintf(stderr, "kodo serve: %s\n", err.message);
		runner_stop(runner);
		store_close(app.core.store);
		app_cleanup(&app);
		return 1;
	}
	printf("Kodo is serving on http://%s/\n", o->http.listen);
	fflush(stdout);
	log_info("listening on %s with %u threads", o->http.listen,
		 o->http.threads);
	int sig = 0;
	sigwait(stop_signals, &sig);
	log_info("received signal %d: finishing in-flight requests", sig);
	http_server_stop(http, DRAIN_TIMEOUT_MS);
	runner_stop(runner);
	store_close(app.core.store);
	app_cleanup(&app);
	log_info("stopped cleanly");
	return 0;
}

int serve_main(int argc, char **argv)
{
	struct serve_opts o;
	int rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : 2;
	if (crypto_init() != 0) {
		fprintf(stderr, "kodo serve: cannot initialize libsodium\n");
		return 1;
	}
	/* Block the stop signals in every thread; main waits for them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	return run(&o, &stop);
}
