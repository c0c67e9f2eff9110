/*
 * org — organizations (tenants). Only the instance owner creates them.
 */
#ifndef KODO_CORE_ORG_H
#define KODO_CORE_ORG_H

#include "core/core.h"

/* Creates an organization with default settings and an owner token,
 * whose clear text goes to token (shown once). */
int org_create(struct core *core, const struct principal *p, const char *name,
	       const char *slug, struct org *out, char token[CRYPTO_TOKEN_LEN],
	       struct kerr *err);

/* True when slug is 1–63 of [a-z0-9-], not starting with '-'. */
bool org_slug_valid(const char *slug);

#endif
