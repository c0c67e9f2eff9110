/*
 * changes — see changes.h. An open-addressing table of org id → counter
 * under one lock; organizations are few and the lock is held for a probe.
 */
#include "core/changes.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/model.h"
#include "util/alloc.h"

struct slot {
	char org_id[ID_LEN];
	uint64_t gen;
};

struct changes {
	pthread_mutex_t lock;
	struct slot *slots;
	size_t cap, used;
	uint64_t next; /* generations are unique across orgs */
};

struct changes *changes_new(void)
{
	struct changes *c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->cap = 64;
	c->slots = xcalloc(c->cap, sizeof(*c->slots));
	c->next = 1;
	return c;
}

void changes_free(struct changes *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c->slots);
	free(c);
}

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Caller holds the lock. Finds or adds the slot of org_id. */
static struct slot *do_find(struct changes *c, const char *org_id)
{
	if (c->used * 2 >= c->cap) {
		struct slot *old = c->slots;
		size_t old_cap = c->cap;
		c->cap *= 2;
		c->slots = xcalloc(c->cap, sizeof(*c->slots));
		c->used = 0;
		for (size_t i = 0; i < old_cap; i++) {
			if (!old[i].org_id[0])
				continue;
			struct slot *s = do_find(c, old[i].org_id);
			s->gen = old[i].gen;
		}
		free(old);
	}
	size_t i = hash(org_id) & (c->cap - 1);
	while (c->slots[i].org_id[0] && strcmp(c->slots[i].org_id, org_id) != 0)
		i = (i + 1) & (c->cap - 1);
	struct slot *s = &c->slots[i];
	if (!s->org_id[0]) {
		strncpy(s->org_id, org_id, ID_LEN - 1);
		s->gen = c->next++;
		c->used++;
	}
	return s;
}

uint64_t changes_generation(struct changes *c, const char *org_id)
{
	pthread_mutex_lock(&c->lock);
	uint64_t g = do_find(c, org_id)->gen;
	pthread_mutex_unlock(&c->lock);
	return g;
}

void changes_bump(struct changes *c, const char *org_id)
{
	pthread_mutex_lock(&c->lock);
	do_find(c, org_id)->gen = c->next++;
	pthread_mutex_unlock(&c->lock);
}
