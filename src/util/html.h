/*
 * html — escaping user text for HTML and XML (status pages, feeds).
 *
 * Every piece of user text that reaches a page or a feed goes through one
 * of these, so that no text can become markup. Characters XML 1.0 forbids
 * (controls other than tab, newline and carriage return) are dropped, so
 * that a message with a stray control byte still makes a well-formed feed.
 * Input must be valid UTF-8 (Kodo's inputs are validated by jansson).
 * All functions append to out; any thread.
 */
#ifndef KODO_UTIL_HTML_H
#define KODO_UTIL_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* Text content: & < > escaped (and quotes, so it is also attribute-safe). */
void html_escape(struct buf *out, const char *s);
void html_escape_n(struct buf *out, const char *s, size_t n);
/* An attribute value inside double quotes: the same as html_escape, named
 * for what it promises at the call site. */
void html_escape_attr(struct buf *out, const char *s);

/*
 * True when url may be a link target on a public page: an absolute http,
 * https or mailto URL without whitespace, control characters, quotes or
 * angle brackets. Anything else (javascript:, data:, relative paths) is
 * rendered as plain text by the callers.
 */
bool html_url_safe(const char *url);

#endif
