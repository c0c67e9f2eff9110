/*
 * scheduler — runs every monitor's HTTP check on time, on one thread,
 * with libcurl's multi interface: thousands of checks in flight, none
 * blocking anything else.
 *
 * Monitors are kept in a min-heap by due time. A new or restarted monitor
 * first runs at a random point within the first half of its interval, so
 * monitors created (or restarted) together do not fire together. A check still in flight
 * when it is due again is skipped, not doubled. Results go to the callback
 * on the scheduler's thread; it must hand them over quickly.
 *
 * Thread contract: scheduler_upsert/remove/stats may be called from any
 * thread (they post a message and wake the loop); the callback runs on
 * the scheduler thread.
 */
#ifndef KODO_PROBE_SCHEDULER_H
#define KODO_PROBE_SCHEDULER_H

#include "store/model_monitor.h"
#include "util/clock.h"

struct scheduler;

typedef void (*check_done_fn)(void *arg, const struct check_result *r);

/* second_ms: how long an interval "second" lasts (1000; tests shorten it). */
struct scheduler *scheduler_start(const struct clock *clock, int64_t second_ms,
				  check_done_fn done, void *arg);
/* Stops the loop, abandons checks in flight, frees everything. */
void scheduler_stop(struct scheduler *s);
/* Adds or replaces a monitor's check (copied); a paused one is removed. */
void scheduler_upsert(struct scheduler *s, const struct monitor *m);
void scheduler_remove(struct scheduler *s, const char *monitor_id);

struct scheduler_stats {
	uint64_t checks;	 /* completed */
	uint64_t skipped;	 /* due while the previous was in flight */
	uint64_t monitors;
	uint64_t in_flight;
	int64_t lateness_p50_ms; /* how long after their due time checks
				  * started, over all checks so far */
	int64_t lateness_p99_ms;
	int64_t lateness_max_ms;
	int64_t lateness_sum_ms;
	uint64_t started; /* checks started (the lateness count) */
};
void scheduler_stats(struct scheduler *s, struct scheduler_stats *out);

#endif
