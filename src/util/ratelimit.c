/*
 * ratelimit — see ratelimit.h.
 *
 * Shards, each with its own lock, so that requests of different keys
 * rarely wait for one another; within a shard, a key's slots are PROBE
 * consecutive ones from its hash.
 */
#include "util/ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "util/alloc.h"

#define SHARDS 16
#define SLOTS 1024 /* per shard: 16,384 busy keys at once */
#define PROBE 8

struct slot {
	uint64_t key; /* hash of the key; 0: free */
	double tokens;
	int64_t at; /* when tokens was last brought up to date */
};

struct shard {
	pthread_mutex_t lock;
	struct slot slots[SLOTS];
};

struct ratelimit {
	const struct clock *clock;
	double rate, burst;
	struct shard shards[SHARDS];
};

struct ratelimit *ratelimit_new(const struct clock *clock, double rate,
				double burst)
{
	struct ratelimit *rl = xcalloc(1, sizeof(*rl));
	rl->clock = clock;
	rl->rate = rate;
	rl->burst = burst < 1 ? 1 : burst;
	for (size_t i = 0; i < SHARDS; i++)
		pthread_mutex_init(&rl->shards[i].lock, NULL);
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	for (size_t i = 0; i < SHARDS; i++)
		pthread_mutex_destroy(&rl->shards[i].lock);
	free(rl);
}

static uint64_t hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ? h : 1;
}

/* The key's slot: its own, else a free one, else the longest idle. */
static struct slot *slot_of(struct shard *s, uint64_t h, bool *fresh)
{
	size_t base = (size_t)(h / SHARDS) % SLOTS;
	struct slot *pick = NULL;
	for (size_t i = 0; i < PROBE; i++) {
		struct slot *x = &s->slots[(base + i) % SLOTS];
		if (x->key == h) {
			*fresh = false;
			return x;
		}
		if (!pick || (pick->key && (!x->key || x->at < pick->at)))
			pick = x;
	}
	*fresh = true;
	return pick;
}

int64_t ratelimit_take(struct ratelimit *rl, const char *key)
{
	uint64_t h = hash_key(key);
	struct shard *s = &rl->shards[h % SHARDS];
	int64_t now = clock_now(rl->clock), wait = 0;
	pthread_mutex_lock(&s->lock);
	bool fresh;
	struct slot *b = slot_of(s, h, &fresh);
	if (fresh) {
		b->key = h;
		b->tokens = rl->burst;
	} else if (now > b->at) {
		b->tokens += (double)(now - b->at) * rl->rate / 1000.0;
		if (b->tokens > rl->burst)
			b->tokens = rl->burst;
	}
	b->at = now;
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
	} else {
		wait = (int64_t)ceil((1.0 - b->tokens) * 1000.0 / rl->rate);
		if (wait < 1)
			wait = 1;
	}
	pthread_mutex_unlock(&s->lock);
	return wait;
}
