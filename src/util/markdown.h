/*
 * markdown — the safe subset of Markdown that incident updates may use on
 * public pages: paragraphs, emphasis, links, lists, code, block quotes.
 *
 * libcmark parses (CMARK_OPT_SAFE); the HTML is written here by walking
 * the tree, so that only whitelisted tags can ever come out:
 *   - every text is escaped (util/html.h);
 *   - raw HTML (blocks and inline) is shown as escaped text, never markup;
 *   - links keep their target only when it is an absolute http, https or
 *     mailto URL (html_url_safe); any other link (javascript:, data:,
 *     relative) is rendered as its text alone; links get
 *     rel="nofollow noopener noreferrer ugc";
 *   - images become links to the image (no third-party loads on the page);
 *   - headings become bold paragraphs, so an update cannot reshape the
 *     page's outline.
 * Any thread.
 */
#ifndef KODO_UTIL_MARKDOWN_H
#define KODO_UTIL_MARKDOWN_H

#include "util/buf.h"

/* Appends the HTML of md (valid UTF-8; NULL renders nothing) to out. */
void markdown_to_html(const char *md, struct buf *out);

#endif
