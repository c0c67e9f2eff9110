/*
 * unit — a tiny test harness: CHECK records a failure and goes on; each
 * suite is a function; main prints "N passed, N failed" at the end.
 */
#ifndef KODO_TESTS_UNIT_H
#define KODO_TESTS_UNIT_H

#include <stdio.h>
#include <string.h>

extern int unit_passed, unit_failed;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (cond) {                                                  \
			unit_passed++;                                       \
		} else {                                                     \
			unit_failed++;                                       \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, \
				#cond);                                      \
		}                                                            \
	} while (0)

#define CHECK_EQ_INT(a, b)                                                   \
	do {                                                                 \
		long long a_ = (long long)(a), b_ = (long long)(b);          \
		if (a_ == b_) {                                              \
			unit_passed++;                                       \
		} else {                                                     \
			unit_failed++;                                       \
			fprintf(stderr, "FAIL %s:%d: %s == %s (%lld != %lld)\n", \
				__FILE__, __LINE__, #a, #b, a_, b_);         \
		}                                                            \
	} while (0)

#define CHECK_STR(a, b) CHECK(strcmp((a), (b)) == 0)

/* Suites, one per file. */
void suite_util(void);
void suite_incident(void);
void suite_service(void);
void suite_settings(void);
void suite_statuspage(void);
void suite_safeguard(void);
void suite_probe(void);
void suite_monitor_store(void);
void suite_httpd(void);
void suite_session(void);
void suite_rate(void);

/* A fresh store in a temporary folder with one org; see fixture.c. */
struct fixture;
#include "core/core.h"
struct fixture {
	char dir[64];
	struct clock clock;
	struct core core;
	struct principal owner;
};
void fixture_init(struct fixture *f);
void fixture_cleanup(struct fixture *f);

#endif
