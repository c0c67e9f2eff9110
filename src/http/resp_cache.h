/*
 * resp_cache — rendered response bodies kept under the organization's
 * change generation (core/changes.h), so that repeated reads cost a copy
 * instead of queries and JSON rendering. Direct-mapped: a key has one slot
 * and a newer entry simply replaces an older one. Any thread.
 */
#ifndef KODO_HTTP_RESP_CACHE_H
#define KODO_HTTP_RESP_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

#define RESP_CACHE_KEY_MAX 160
#define RESP_CACHE_BODY_MAX (4 * 1024 * 1024)

struct resp_cache;

struct resp_cache *resp_cache_new(unsigned slots_log2);
void resp_cache_free(struct resp_cache *c);
/* Appends the cached body to out when key is cached at gen. */
bool resp_cache_get(struct resp_cache *c, const char *key, uint64_t gen,
		    struct buf *out);
/* Copies body in; keys longer than RESP_CACHE_KEY_MAX are not cached. */
void resp_cache_put(struct resp_cache *c, const char *key, uint64_t gen,
		    const char *body, size_t len);

#endif
