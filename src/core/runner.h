/*
 * runner — runs the monitors: feeds the scheduler, takes every check
 * result through the safeguard pipeline and carries out its decisions
 * (open, dedup, join, reopen, publish, resolve), recording each one.
 *
 * One pipeline thread owns every monitor's runtime state; other threads
 * talk to it by message (runner_monitor_changed/removed, results from the
 * scheduler). Results and state are written in batches, one commit per
 * batch. Any thread may call the functions below.
 */
#ifndef KODO_CORE_RUNNER_H
#define KODO_CORE_RUNNER_H

#include "core/core.h"
#include "probe/scheduler.h"

struct runner;

/* Loads every monitor and its state, schedules the active ones. second_ms
 * is how long a configured second lasts (1000; tests shorten it). */
int runner_start(struct core *core, int64_t second_ms, struct runner **out,
		 struct kerr *err);
/* Stops checks, finishes the batch in hand, frees everything. */
void runner_stop(struct runner *r);
void runner_monitor_changed(struct runner *r, const struct monitor *m);
void runner_monitor_removed(struct runner *r, const char *monitor_id);
void runner_stats(struct runner *r, struct scheduler_stats *out);

#endif
