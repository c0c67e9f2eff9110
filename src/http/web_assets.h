/*
 * web_assets — the files of web/ (stylesheet, script), embedded into the
 * binary at build time by scripts/embed_web.sh, so that `kodo serve` needs
 * no files beside it. Read-only, any thread.
 */
#ifndef KODO_HTTP_WEB_ASSETS_H
#define KODO_HTTP_WEB_ASSETS_H

#include <stddef.h>

struct web_asset {
	const char *name; /* file name under web/, e.g. "status.css" */
	const char *content_type;
	const unsigned char *data;
	size_t len;
};

extern const struct web_asset web_assets[];
extern const size_t web_assets_count;

#endif
