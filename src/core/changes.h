/*
 * changes — a generation number per organization, bumped after every
 * committed write to it.
 *
 * Whatever is rendered from an organization's data (API lists, status
 * pages) is cached under the generation it was read at; a different
 * generation means it is stale. Bumped after the commit and before the
 * write is acknowledged, so a reader that starts after an acknowledged
 * write never gets data from before it. Any thread.
 */
#ifndef KODO_CORE_CHANGES_H
#define KODO_CORE_CHANGES_H

#include <stdint.h>

struct changes;

struct changes *changes_new(void);
void changes_free(struct changes *c);
uint64_t changes_generation(struct changes *c, const char *org_id);
void changes_bump(struct changes *c, const char *org_id);

#endif
