/*
 * cli_table — aligned, human tables: a header row, then rows of cells,
 * columns padded to the widest cell (in characters, not bytes), two spaces
 * apart, the last column unpadded so long titles do not pad every line.
 * Cells are cleaned of control characters; a cell may carry a color, used
 * only when the table is printed with color on.
 */
#ifndef KODO_CLI_CLI_TABLE_H
#define KODO_CLI_CLI_TABLE_H

#include <stdbool.h>
#include <stdio.h>

struct cli_table;

/* headers: NULL-terminated, at least one. New; free with cli_table_free. */
struct cli_table *cli_table_new(const char *const *headers);
void cli_table_free(struct cli_table *t);

/* Adds the next cell, row by row, left to right (copied). color: an ANSI
 * sequence from cli_out.h, or NULL. */
void cli_table_cell(struct cli_table *t, const char *text, const char *color);
/* The same with the color chosen from the word itself (cli_color_of). */
void cli_table_word(struct cli_table *t, const char *word);

size_t cli_table_rows(const struct cli_table *t);
void cli_table_print(const struct cli_table *t, FILE *out, bool color);

#endif
