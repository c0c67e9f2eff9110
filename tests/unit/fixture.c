/* fixture — a temporary SQLite store, a fake clock and an owner. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/auth.h"
#include "unit.h"
#include "util/log.h"

void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/kodo-unit-XXXXXX");
	if (!mkdtemp(f->dir))
		abort();
	log_set_level(LOG_WARN);
	clock_fake_init(&f->clock, 1796000000000LL); /* 2026-11-28 */
	struct kerr err;
	struct store *st = NULL;
	if (store_open(f->dir, &st, &err) != 0)
		abort();
	core_init(&f->core, st, &f->clock);
	struct bootstrap_result b;
	if (auth_bootstrap(&f->core, "pw", "kodo_unit_test_token_0123456789",
			   &b, &err) != 0)
		abort();
	if (auth_token(&f->core, "kodo_unit_test_token_0123456789",
		       &f->owner) != 0)
		abort();
}

void fixture_cleanup(struct fixture *f)
{
	store_close(f->core.store);
	core_cleanup(&f->core);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
}
