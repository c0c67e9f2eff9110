/*
 * httpd_bench_server — serves the same fixed bytes for every request from
 * one shared buffer through src/http/httpd.c, the way Kodo serves a cached
 * status page. Built and run by bench/httpd.sh; not part of the kodo
 * binary.
 *
 * Usage: httpd_bench_server FILE [--listen H:P] [--threads N]
 *                                [--accept reuseport|shared] [--pool N]
 * --pool N sets up a blocking pool as Kodo would (requests other than GET
 * and HEAD go there); the page itself is always served inline.
 * Prints "port=N" once listening; stops on SIGTERM or SIGINT.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/httpd.h"
#include "util/alloc.h"

struct page {
	char *data;
	size_t len;
	atomic_long refs; /* as a cache would count readers */
};

static void page_release(void *owner)
{
	struct page *p = owner;
	atomic_fetch_sub_explicit(&p->refs, 1, memory_order_release);
}

static void handle(void *arg, const struct httpd_req *req,
		   struct httpd_resp *resp)
{
	(void)req;
	struct page *p = arg;
	atomic_fetch_add_explicit(&p->refs, 1, memory_order_relaxed);
	httpd_resp_status(resp, 200);
	httpd_resp_header(resp, "Content-Type", "text/html; charset=utf-8");
	httpd_resp_body_shared(resp, p->data, p->len, page_release, p);
}

static bool may_block(void *arg, const struct httpd_req *req)
{
	(void)arg;
	return strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0;
}

static int load(const char *path, struct page *p)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	p->data = xmalloc(16 * 1024 * 1024);
	p->len = fread(p->data, 1, 16 * 1024 * 1024, f);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "threads", required_argument, NULL, 't' },
		{ "accept", required_argument, NULL, 'a' },
		{ "pool", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct httpd_config cfg = { .listen = "127.0.0.1:0",
				    .max_connections = 20000 };
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'l')
			cfg.listen = optarg;
		else if (o == 't')
			cfg.threads = (unsigned)strtoul(optarg, NULL, 10);
		else if (o == 'a')
			cfg.accept = strcmp(optarg, "shared") == 0
					     ? HTTPD_ACCEPT_SHARED
					     : HTTPD_ACCEPT_REUSEPORT;
		else if (o == 'p' && strtoul(optarg, NULL, 10) > 0) {
			cfg.may_block = may_block;
			cfg.blocking_threads = (unsigned)strtoul(optarg, NULL, 10);
		} else if (o != 'p')
			return 2;
	}
	struct page page = { 0 };
	if (optind >= argc || load(argv[optind], &page) != 0) {
		fprintf(stderr, "usage: httpd_bench_server FILE [options]\n");
		return 2;
	}
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	struct kerr err = { 0 };
	struct httpd *h = httpd_start(&cfg, handle, &page, &err);
	if (!h) {
		fprintf(stderr, "httpd_bench_server: %s\n", err.message);
		return 1;
	}
	printf("port=%d\n", httpd_port(h));
	fflush(stdout);
	int sig;
	sigwait(&stop, &sig);
	httpd_stop(h, 1000);
	long refs = atomic_load(&page.refs);
	free(page.data);
	return refs == 0 ? 0 : 3;
}
