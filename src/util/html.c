/* html — see html.h. */
#include "util/html.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

void html_escape_n(struct buf *out, const char *s, size_t n)
{
	size_t run = 0; /* bytes copied verbatim in one go */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = NULL;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			    c == 0x7f)
				rep = ""; /* not allowed in XML 1.0 */
		}
		if (!rep)
			continue;
		buf_append(out, s + run, i - run);
		buf_puts(out, rep);
		run = i + 1;
	}
	buf_append(out, s + run, n - run);
}

void html_escape(struct buf *out, const char *s)
{
	if (s)
		html_escape_n(out, s, strlen(s));
}

void html_escape_attr(struct buf *out, const char *s)
{
	html_escape(out, s);
}

bool html_url_safe(const char *url)
{
	static const char *const schemes[] = { "https://", "http://",
					       "mailto:" };
	bool scheme_ok = false;
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t n = strlen(schemes[i]);
		if (strncasecmp(url, schemes[i], n) == 0 && url[n] != '\0')
			scheme_ok = true;
	}
	if (!scheme_ok)
		return false;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '\'' ||
		    *p == '<' || *p == '>' || *p == '\\' || *p == '`')
			return false;
	return true;
}
