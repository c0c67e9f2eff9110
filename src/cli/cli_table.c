/* cli_table — see cli_table.h. */
#include "cli/cli_table.h"

#include <stdlib.h>
#include <string.h>

#include "cli/cli_out.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/text.h"

struct cell {
	char *text; /* cleaned, owned */
	const char *color;
};

struct cli_table {
	size_t ncols;
	struct cell *cells; /* row-major, header row first */
	size_t n, cap;
};

static void add(struct cli_table *t, const char *text, const char *color)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->cells = xrealloc(t->cells, t->cap * sizeof(*t->cells));
	}
	struct buf b = BUF_INIT;
	cli_clean(&b, text ? text : "", false);
	t->cells[t->n].text = buf_detach(&b, NULL);
	t->cells[t->n].color = color;
	t->n++;
}

struct cli_table *cli_table_new(const char *const *headers)
{
	struct cli_table *t = xcalloc(1, sizeof(*t));
	for (; headers[t->ncols]; t->ncols++)
		;
	for (size_t i = 0; i < t->ncols; i++)
		add(t, headers[i], CLI_BOLD);
	return t;
}

void cli_table_free(struct cli_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->cells[i].text);
	free(t->cells);
	free(t);
}

void cli_table_cell(struct cli_table *t, const char *text, const char *color)
{
	add(t, text, color);
}

void cli_table_word(struct cli_table *t, const char *word)
{
	add(t, word, word ? cli_color_of(word) : NULL);
}

size_t cli_table_rows(const struct cli_table *t)
{
	return t->n / t->ncols - 1;
}

void cli_table_print(const struct cli_table *t, FILE *out, bool color)
{
	size_t *width = xcalloc(t->ncols, sizeof(*width));
	for (size_t i = 0; i < t->n; i++) {
		size_t w = utf8_length(t->cells[i].text);
		if (w > width[i % t->ncols])
			width[i % t->ncols] = w;
	}
	for (size_t i = 0; i < t->n; i++) {
		size_t col = i % t->ncols;
		const struct cell *c = &t->cells[i];
		bool last = col + 1 == t->ncols || i + 1 == t->n;
		if (color && c->color)
			fprintf(out, "%s%s%s", c->color, c->text, CLI_RESET);
		else
			fputs(c->text, out);
		if (last) {
			fputc('\n', out);
			continue;
		}
		for (size_t pad = utf8_length(c->text); pad < width[col] + 2;
		     pad++)
			fputc(' ', out);
	}
	free(width);
}
