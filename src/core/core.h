/*
 * core — the context every rule runs in: the store and the clock.
 *
 * core/ holds Kodo's rules (validation, lifecycle, status derivation,
 * safeguards) and knows nothing of HTTP or SQL. Each module takes a
 * struct core so that tests can give it a temporary store and a fake clock.
 */
#ifndef KODO_CORE_CORE_H
#define KODO_CORE_CORE_H

#include "store/store.h"
#include "util/clock.h"
#include "util/kerr.h"

struct changes;
struct token_cache;
struct runner;
struct ratelimit;

struct core {
	struct store *store;	    /* borrowed */
	const struct clock *clock; /* borrowed */
	struct changes *changes;   /* owned: see changes.h */
	struct token_cache *tokens; /* owned: see auth.c */
	struct runner *runner;	    /* borrowed; NULL: monitors do not run */
	struct ratelimit *rate;	    /* owned: see rate.h; NULL: no limit */
};

/* Sets up a core over a store and a clock (both borrowed). */
void core_init(struct core *core, struct store *store,
	       const struct clock *clock);
void core_cleanup(struct core *core);

/* Records that org's data changed: call after every committed write. */
void core_touch(struct core *core, const char *org_id);

/* Checks a text field: length in code points within [min, max], and no
 * control characters when single_line. NULL counts as missing. */
int check_text(const char *field, const char *s, size_t min, size_t max,
	       bool single_line, struct kerr *err);

/* KODO_EFORBIDDEN unless p has at least role. */
int require_role(const struct principal *p, enum role role, struct kerr *err);

#endif
