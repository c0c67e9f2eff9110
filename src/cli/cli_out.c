/* cli_out — see cli_out.h. */
#include "cli/cli_out.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/clock.h"

bool cli_color_wanted(void)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if (no_color && *no_color)
		return false;
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(STDOUT_FILENO) == 1;
}

void cli_print_json(const json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
}

void cli_clean(struct buf *b, const char *s, bool multiline)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n' && multiline) {
			buf_putc(b, '\n');
		} else if (*p < 0x20 || *p == 0x7f) {
			buf_putc(b, ' ');
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* U+0080..U+009F: C1 controls, CSI among them. */
			buf_putc(b, ' ');
			p++;
		} else {
			buf_putc(b, (char)*p);
		}
	}
}

void cli_put_clean(FILE *out, const char *s, bool multiline)
{
	struct buf b = BUF_INIT;
	cli_clean(&b, s, multiline);
	fputs(buf_str(&b), out);
	buf_cleanup(&b);
}

static const struct {
	const char *word;
	const char *color;
} colors[] = {
	{ "critical", CLI_RED },
	{ "major", CLI_RED },
	{ "minor", CLI_YELLOW },
	{ "investigating", CLI_RED },
	{ "identified", CLI_YELLOW },
	{ "monitoring", CLI_BLUE },
	{ "resolved", CLI_GREEN },
	{ "operational", CLI_GREEN },
	{ "degraded_performance", CLI_YELLOW },
	{ "partial_outage", CLI_RED },
	{ "major_outage", CLI_RED },
	{ "under_maintenance", CLI_BLUE },
	{ "none", CLI_GREEN },
	{ "paused", CLI_DIM },
	{ "draft", CLI_DIM },
	{ "up", CLI_GREEN },
	{ "down", CLI_RED },
};

const char *cli_color_of(const char *word)
{
	for (size_t i = 0; i < sizeof(colors) / sizeof(colors[0]); i++)
		if (strcmp(colors[i].word, word) == 0)
			return colors[i].color;
	return NULL;
}

void cli_put_colored(FILE *out, bool color, const char *s)
{
	const char *c = color ? cli_color_of(s) : NULL;
	if (c)
		fputs(c, out);
	cli_put_clean(out, s, false);
	if (c)
		fputs(CLI_RESET, out);
}

const char *cli_jstr(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

void cli_age(const char *t, int64_t now_ms, char out[16])
{
	int64_t then;
	if (!t || !*t || !time_parse_rfc3339(t, &then)) {
		snprintf(out, 16, "-");
		return;
	}
	int64_t s = (now_ms - then) / 1000;
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(out, 16, "%" PRId64 "s", s);
	else if (s < 3600)
		snprintf(out, 16, "%" PRId64 "m", s / 60);
	else if (s < 86400)
		snprintf(out, 16, "%" PRId64 "h", s / 3600);
	else
		snprintf(out, 16, "%" PRId64 "d", s / 86400);
}
