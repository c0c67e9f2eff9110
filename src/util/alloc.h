/*
 * alloc — allocation wrappers that abort on out-of-memory.
 *
 * Kodo bounds every input by an explicit limit, so running out of memory is
 * a deployment failure, not a request error: aborting keeps every caller free
 * of untestable NULL checks.
 */
#ifndef KODO_UTIL_ALLOC_H
#define KODO_UTIL_ALLOC_H

#include <stddef.h>

/* All return new memory (caller frees with free()); never NULL. Any thread. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* NULL in, NULL out. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
