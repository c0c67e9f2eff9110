/*
 * app — the state the HTTP side shares across worker threads.
 */
#ifndef KODO_HTTP_APP_H
#define KODO_HTTP_APP_H

#include "core/core.h"
#include "http/http.h"

struct app {
	struct core core;
};

#endif
