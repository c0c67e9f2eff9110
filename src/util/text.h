/*
 * text — small string rules shared by validation and rendering.
 */
#ifndef KODO_UTIL_TEXT_H
#define KODO_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Code points in a valid UTF-8 string (jansson has validated it). */
size_t utf8_length(const char *s);
/* Strict decimal integer in [min, max]; false otherwise. */
bool text_parse_int(const char *s, int64_t min, int64_t max, int64_t *out);
/* True when s has no character below 0x20 (nor DEL). */
bool text_is_single_line(const char *s);

#endif
