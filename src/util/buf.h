/*
 * buf — a growable byte buffer, always NUL-terminated.
 *
 * The one way Kodo builds strings of unknown length (bodies, SQL fragments,
 * rendered pages), so that no code computes sizes by hand.
 */
#ifndef KODO_UTIL_BUF_H
#define KODO_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* owned; NUL-terminated when cap > 0 */
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
void buf_cleanup(struct buf *b);
void buf_reset(struct buf *b);
void buf_append(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Hands the bytes to the caller (free()); the buffer is left empty. */
char *buf_detach(struct buf *b, size_t *len);
/* Always a valid C string, even for an empty buffer. Borrowed. */
const char *buf_str(const struct buf *b);

#endif
