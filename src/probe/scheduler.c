/* scheduler — see scheduler.h. */
#define _POSIX_C_SOURCE 200809L
#include "probe/scheduler.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "probe/http_check.h"
#include "util/alloc.h"
#include "util/log.h"

#define MAX_IN_FLIGHT 2000
#define POLL_MAX_MS 1000
#define COALESCE_MS 10 /* checks due this close together start together */
#define NO_POS ((size_t)-1)

struct entry {
	char id[ID_LEN];
	struct http_spec spec;
	int64_t interval_ms;
	int64_t due; /* monotonic ms */
	size_t pos;  /* in the heap, or NO_POS */
	bool removed;
	CURL *easy; /* while in flight */
	int64_t cert_expires_at; /* last seen; reused connections show none */
	struct http_check chk;
	struct entry *next_in_bucket;
};

struct message {
	bool remove;
	char id[ID_LEN];
	struct http_spec spec;
	int64_t interval_s;
	struct message *next;
};

/* Lateness histogram buckets, upper bounds in ms. */
static const int64_t lat_bounds[] = { 1,   2,	 5,    10,   20,   50,	100,
				      200, 500, 1000, 2000, 5000, 10000 };
#define N_LAT (sizeof(lat_bounds) / sizeof(lat_bounds[0]) + 1)

struct scheduler {
	const struct clock *clock;
	int64_t second_ms;
	check_done_fn done;
	void *arg;
	pthread_t thread;
	CURLM *multi;
	pthread_mutex_t lock; /* guards inbox, stopping and stats */
	struct message *inbox;
	bool stopping;
	struct scheduler_stats stats;
	uint64_t lat_hist[N_LAT];
	/* Below: the scheduler thread's own. */
	struct entry **heap;
	size_t heap_len, heap_cap;
	struct entry **buckets;
	size_t n_buckets;
	struct entry *zombies; /* removed while in flight */
	CURL **idle; /* reusable easy handles */
	size_t n_idle;
};

/* --- the id table --- */

static size_t bucket_of(const struct scheduler *s, const char *id)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return h % s->n_buckets;
}

static struct entry *find(struct scheduler *s, const char *id)
{
	for (struct entry *e = s->buckets[bucket_of(s, id)]; e;
	     e = e->next_in_bucket)
		if (strcmp(e->id, id) == 0)
			return e;
	return NULL;
}

static void unlink_entry(struct scheduler *s, struct entry *e)
{
	struct entry **p = &s->buckets[bucket_of(s, e->id)];
	while (*p && *p != e)
		p = &(*p)->next_in_bucket;
	if (*p)
		*p = e->next_in_bucket;
}

/* --- the heap --- */

static void heap_set(struct scheduler *s, size_t i, struct entry *e)
{
	s->heap[i] = e;
	e->pos = i;
}

static void heap_up(struct scheduler *s, size_t i)
{
	struct entry *e = s->heap[i];
	while (i > 0 && s->heap[(i - 1) / 2]->due > e->due) {
		heap_set(s, i, s->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(s, i, e);
}

static void heap_down(struct scheduler *s, size_t i)
{
	struct entry *e = s->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= s->heap_len)
			break;
		if (c + 1 < s->heap_len && s->heap[c + 1]->due < s->heap[c]->due)
			c++;
		if (s->heap[c]->due >= e->due)
			break;
		heap_set(s, i, s->heap[c]);
		i = c;
	}
	heap_set(s, i, e);
}

static void heap_push(struct scheduler *s, struct entry *e)
{
	if (s->heap_len == s->heap_cap) {
		s->heap_cap = s->heap_cap ? s->heap_cap * 2 : 256;
		s->heap = xrealloc(s->heap, s->heap_cap * sizeof(*s->heap));
	}
	heap_set(s, s->heap_len++, e);
	heap_up(s, e->pos);
}

static void heap_remove(struct scheduler *s, struct entry *e)
{
	size_t i = e->pos;
	if (i == NO_POS)
		return;
	e->pos = NO_POS;
	struct entry *last = s->heap[--s->heap_len];
	if (i == s->heap_len)
		return;
	heap_set(s, i, last);
	heap_up(s, i);
	heap_down(s, last->pos);
}

/* --- entries --- */

static void entry_free(struct entry *e)
{
	http_spec_cleanup(&e->spec);
	free(e);
}

static void apply_message(struct scheduler *s, struct message *m)
{
	struct entry *e = find(s, m->id);
	if (m->remove) {
		if (e) {
			heap_remove(s, e);
			unlink_entry(s, e);
			if (e->easy) {
				/* Freed when its check finishes. */
				e->removed = true;
				e->next_in_bucket = s->zombies;
				s->zombies = e;
			} else {
				entry_free(e);
			}
			s->stats.monitors--;
		}
		return;
	}
	int64_t now = clock_mono_ms();
	if (!e) {
		e = xcalloc(1, sizeof(*e));
		memcpy(e->id, m->id, ID_LEN);
		e->pos = NO_POS;
		size_t b = bucket_of(s, e->id);
		e->next_in_bucket = s->buckets[b];
		s->buckets[b] = e;
		s->stats.monitors++;
	} else {
		heap_remove(s, e);
		http_spec_cleanup(&e->spec);
	}
	e->spec = m->spec; /* moved */
	memset(&m->spec, 0, sizeof(m->spec));
	e->interval_ms = m->interval_s * s->second_ms;
	/*
	 * Jitter: the first run comes at a random point within the first half
	 * of the interval, so monitors created (or restarted) together spread
	 * out, and after a restart every monitor is checked again well within
	 * one interval.
	 */
	e->due = now + (int64_t)randombytes_uniform(
			       (uint32_t)(e->interval_ms / 2 + 1));
	heap_push(s, e);
}

static void drain_inbox(struct scheduler *s)
{
	pthread_mutex_lock(&s->lock);
	struct message *m = s->inbox;
	s->inbox = NULL;
	pthread_mutex_unlock(&s->lock);
	/* The inbox is a stack: reverse it to apply messages in order. */
	struct message *ordered = NULL;
	while (m) {
		struct message *next = m->next;
		m->next = ordered;
		ordered = m;
		m = next;
	}
	while (ordered) {
		struct message *next = ordered->next;
		apply_message(s, ordered);
		http_spec_cleanup(&ordered->spec);
		free(ordered);
		ordered = next;
	}
}

/* --- checks --- */

static void note_lateness(struct scheduler *s, int64_t late)
{
	size_t b = 0;
	while (b < N_LAT - 1 && late > lat_bounds[b])
		b++;
	pthread_mutex_lock(&s->lock);
	s->lat_hist[b]++;
	s->stats.lateness_sum_ms += late;
	s->stats.started++;
	if (late > s->stats.lateness_max_ms)
		s->stats.lateness_max_ms = late;
	pthread_mutex_unlock(&s->lock);
}

static void start_check(struct scheduler *s, struct entry *e, int64_t now)
{
	note_lateness(s, now - e->due);
	e->easy = s->n_idle ? s->idle[--s->n_idle] : curl_easy_init();
	if (!e->easy)
		return;
	http_check_setup(e->easy, &e->chk, &e->spec);
	curl_easy_setopt(e->easy, CURLOPT_PRIVATE, e);
	curl_multi_add_handle(s->multi, e->easy);
	pthread_mutex_lock(&s->lock);
	s->stats.in_flight++;
	pthread_mutex_unlock(&s->lock);
}

static void run_due(struct scheduler *s)
{
	int64_t now = clock_mono_ms();
	while (s->heap_len && s->heap[0]->due <= now) {
		struct entry *e = s->heap[0];
		if (e->easy) {
			pthread_mutex_lock(&s->lock);
			s->stats.skipped++;
			pthread_mutex_unlock(&s->lock);
		} else if (s->stats.in_flight >= MAX_IN_FLIGHT) {
			break;
		} else {
			start_check(s, e, now);
		}
		/* Fixed rate; after a long stall, start afresh from now. */
		e->due += e->interval_ms;
		if (e->due <= now)
			e->due = now + e->interval_ms;
		heap_down(s, 0);
	}
}

static void release_easy(struct scheduler *s, CURL *easy)
{
	curl_multi_remove_handle(s->multi, easy);
	curl_easy_reset(easy);
	s->idle = xrealloc(s->idle, (s->n_idle + 1) * sizeof(*s->idle));
	s->idle[s->n_idle++] = easy;
}

static void collect_done(struct scheduler *s)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(s->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct entry *e = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &e);
		struct check_result r = { 0 };
		memcpy(r.monitor_id, e->id, ID_LEN);
		r.at = clock_now(s->clock);
		http_check_finish(msg->easy_handle, msg->data.result, &e->chk,
				  &e->spec, r.at, &r);
		if (r.cert_expires_at)
			e->cert_expires_at = r.cert_expires_at;
		else if (strncmp(e->spec.url, "https:", 6) == 0)
			r.cert_expires_at = e->cert_expires_at;
		http_check_cert_warning(&e->spec, r.at, &r);
		http_check_cleanup(&e->chk);
		release_easy(s, e->easy);
		e->easy = NULL;
		pthread_mutex_lock(&s->lock);
		s->stats.in_flight--;
		s->stats.checks++;
		pthread_mutex_unlock(&s->lock);
		if (e->removed) {
			struct entry **p = &s->zombies;
			while (*p && *p != e)
				p = &(*p)->next_in_bucket;
			if (*p)
				*p = e->next_in_bucket;
			entry_free(e);
		} else {
			s->done(s->arg, &r);
		}
	}
}

static int next_timeout(struct scheduler *s)
{
	int64_t wait = POLL_MAX_MS;
	if (s->heap_len) {
		int64_t until = s->heap[0]->due - clock_mono_ms();
		if (until > 0 && until < COALESCE_MS)
			until = COALESCE_MS; /* fewer wake-ups, a little lateness */
		wait = until < 0 ? 0 : until < wait ? until : wait;
	}
	long curl_wait = -1;
	curl_multi_timeout(s->multi, &curl_wait);
	if (curl_wait >= 0 && curl_wait < wait)
		wait = curl_wait;
	return (int)wait;
}

static bool stopping(struct scheduler *s)
{
	pthread_mutex_lock(&s->lock);
	bool stop = s->stopping;
	pthread_mutex_unlock(&s->lock);
	return stop;
}

static void *scheduler_main(void *arg)
{
	struct scheduler *s = arg;
	while (!stopping(s)) {
		drain_inbox(s);
		run_due(s);
		int running = 0;
		curl_multi_perform(s->multi, &running);
		collect_done(s);
		curl_multi_poll(s->multi, NULL, 0, next_timeout(s), NULL);
	}
	return NULL;
}

/* --- the public side --- */

struct scheduler *scheduler_start(const struct clock *clock, int64_t second_ms,
				  check_done_fn done, void *arg)
{
	struct scheduler *s = xcalloc(1, sizeof(*s));
	s->clock = clock;
	s->second_ms = second_ms;
	s->done = done;
	s->arg = arg;
	s->n_buckets = 16384;
	s->buckets = xcalloc(s->n_buckets, sizeof(*s->buckets));
	s->multi = curl_multi_init();
	curl_multi_setopt(s->multi, CURLMOPT_MAXCONNECTS, 1000L);
	pthread_mutex_init(&s->lock, NULL);
	pthread_create(&s->thread, NULL, scheduler_main, s);
	return s;
}

static void post(struct scheduler *s, struct message *m)
{
	pthread_mutex_lock(&s->lock);
	m->next = s->inbox;
	s->inbox = m;
	pthread_mutex_unlock(&s->lock);
	curl_multi_wakeup(s->multi);
}

void scheduler_upsert(struct scheduler *s, const struct monitor *m)
{
	if (m->paused || m->type != MON_HTTP) {
		scheduler_remove(s, m->id);
		return;
	}
	struct message *msg = xcalloc(1, sizeof(*msg));
	memcpy(msg->id, m->id, ID_LEN);
	http_spec_copy(&msg->spec, &m->http);
	msg->interval_s = m->http.interval_s;
	post(s, msg);
}

void scheduler_remove(struct scheduler *s, const char *monitor_id)
{
	struct message *msg = xcalloc(1, sizeof(*msg));
	msg->remove = true;
	snprintf(msg->id, sizeof(msg->id), "%s", monitor_id);
	post(s, msg);
}

static int64_t hist_quantile(const uint64_t *hist, double q)
{
	uint64_t total = 0, seen = 0;
	for (size_t i = 0; i < N_LAT; i++)
		total += hist[i];
	if (!total)
		return 0;
	for (size_t i = 0; i < N_LAT; i++) {
		seen += hist[i];
		if ((double)seen >= q * (double)total)
			return i < N_LAT - 1 ? lat_bounds[i] : 100000;
	}
	return 100000;
}

void scheduler_stats(struct scheduler *s, struct scheduler_stats *out)
{
	pthread_mutex_lock(&s->lock);
	*out = s->stats;
	/* A bucket's bound may exceed the largest value seen in it. */
	int64_t max = out->lateness_max_ms;
	out->lateness_p50_ms = hist_quantile(s->lat_hist, 0.50);
	out->lateness_p99_ms = hist_quantile(s->lat_hist, 0.99);
	if (out->lateness_p50_ms > max)
		out->lateness_p50_ms = max;
	if (out->lateness_p99_ms > max)
		out->lateness_p99_ms = max;
	pthread_mutex_unlock(&s->lock);
}

void scheduler_stop(struct scheduler *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_mutex_unlock(&s->lock);
	curl_multi_wakeup(s->multi);
	pthread_join(s->thread, NULL);
	drain_inbox(s);
	for (size_t b = 0; b <= s->n_buckets; b++) {
		struct entry *first = b < s->n_buckets ? s->buckets[b] : s->zombies;
		for (struct entry *e = first, *next; e; e = next) {
			next = e->next_in_bucket;
			if (e->easy) {
				http_check_cleanup(&e->chk);
				curl_multi_remove_handle(s->multi, e->easy);
				curl_easy_cleanup(e->easy);
			}
			entry_free(e);
		}
	}
	for (size_t i = 0; i < s->n_idle; i++)
		curl_easy_cleanup(s->idle[i]);
	curl_multi_cleanup(s->multi);
	pthread_mutex_destroy(&s->lock);
	free(s->idle);
	free(s->heap);
	free(s->buckets);
	free(s);
}
