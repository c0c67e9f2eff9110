/*
 * cli_out — how the CLI writes for people and for scripts.
 *
 * Text from the server (titles, messages, names) reaches the terminal only
 * through cli_put_clean: control characters are replaced, so nobody can
 * move the cursor or retitle a window with an incident title. Color is used
 * only when stdout is a terminal and NO_COLOR is unset (cli_color_wanted).
 */
#ifndef KODO_CLI_CLI_OUT_H
#define KODO_CLI_CLI_OUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"

#define CLI_BOLD "\033[1m"
#define CLI_DIM "\033[2m"
#define CLI_RED "\033[31m"
#define CLI_GREEN "\033[32m"
#define CLI_YELLOW "\033[33m"
#define CLI_BLUE "\033[34m"
#define CLI_RESET "\033[0m"

/* True when stdout is a terminal, NO_COLOR is unset or empty (as
 * no-color.org says) and TERM is not "dumb". */
bool cli_color_wanted(void);

/* Prints v to stdout as indented JSON and a newline. */
void cli_print_json(const json_t *v);

/*
 * Appends s to b with every control character (C0, DEL, C1) replaced by a
 * space; newlines are kept when multiline. s must be valid UTF-8 (text
 * from jansson is).
 */
void cli_clean(struct buf *b, const char *s, bool multiline);
/* The same, written to out. */
void cli_put_clean(FILE *out, const char *s, bool multiline);

/* The ANSI color of a status, severity or state word, or NULL. */
const char *cli_color_of(const char *word);
/* Writes s (cleaned) in color when color is on and the word has one. */
void cli_put_colored(FILE *out, bool color, const char *s);

/* A string member of obj, or "" when missing, null or not a string. */
const char *cli_jstr(const json_t *obj, const char *key);

/*
 * How long ago an RFC 3339 time was, shortly: "45s", "12m", "3h", "5d";
 * "-" when t is missing or malformed. now_ms from clock_now().
 */
void cli_age(const char *t, int64_t now_ms, char out[16]);

#endif
