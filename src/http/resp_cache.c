/* resp_cache — see resp_cache.h. */
#include "http/resp_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

struct entry {
	pthread_mutex_t lock;
	char key[RESP_CACHE_KEY_MAX + 1];
	uint64_t gen;
	char *body;
	size_t len;
};

struct resp_cache {
	struct entry *slots;
	size_t mask;
};

struct resp_cache *resp_cache_new(unsigned slots_log2)
{
	struct resp_cache *c = xcalloc(1, sizeof(*c));
	size_t n = (size_t)1 << slots_log2;
	c->slots = xcalloc(n, sizeof(*c->slots));
	c->mask = n - 1;
	for (size_t i = 0; i < n; i++)
		pthread_mutex_init(&c->slots[i].lock, NULL);
	return c;
}

void resp_cache_free(struct resp_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i <= c->mask; i++) {
		pthread_mutex_destroy(&c->slots[i].lock);
		free(c->slots[i].body);
	}
	free(c->slots);
	free(c);
}

static struct entry *slot_of(struct resp_cache *c, const char *key)
{
	uint64_t h = 1469598103934665603ULL;
	for (const char *s = key; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return &c->slots[h & c->mask];
}

bool resp_cache_get(struct resp_cache *c, const char *key, uint64_t gen,
		    struct buf *out)
{
	struct entry *e = slot_of(c, key);
	bool hit = false;
	pthread_mutex_lock(&e->lock);
	if (e->body && e->gen == gen && strcmp(e->key, key) == 0) {
		buf_append(out, e->body, e->len);
		hit = true;
	}
	pthread_mutex_unlock(&e->lock);
	return hit;
}

void resp_cache_put(struct resp_cache *c, const char *key, uint64_t gen,
		    const char *body, size_t len)
{
	if (strlen(key) > RESP_CACHE_KEY_MAX || len > RESP_CACHE_BODY_MAX)
		return;
	char *copy = xmalloc(len);
	memcpy(copy, body, len);
	struct entry *e = slot_of(c, key);
	pthread_mutex_lock(&e->lock);
	char *old = e->body;
	memcpy(e->key, key, strlen(key) + 1);
	e->gen = gen;
	e->body = copy;
	e->len = len;
	pthread_mutex_unlock(&e->lock);
	free(old);
}
