/* form — see form.h. */
#include "http/form.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Well-formed UTF-8: no overlongs, no surrogates, at most U+10FFFF. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		unsigned min;
		unsigned cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2, min = 0x80, cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3, min = 0x800, cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4, min = 0x10000, cp = c & 0x07;
		} else {
			return false;
		}
		if (i + len > n)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += len;
	}
	return true;
}

/* CRLF and a lone CR become LF, in place. */
static size_t normalize_newlines(char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r') {
			s[o++] = '\n';
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = '\0';
	return o;
}

/* Decodes s[0..n) into a new string; NULL when malformed. */
static char *decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi = i + 2 < n ? hex_value(s[i + 1]) : -1;
			int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
			if (lo < 0) {
				free(out);
				return NULL;
			}
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0') {
			free(out);
			return NULL;
		}
		out[o++] = c;
	}
	o = normalize_newlines(out, o);
	if (!utf8_valid((const unsigned char *)out, o)) {
		free(out);
		return NULL;
	}
	return out;
}

int form_parse_text(const char *body, size_t len, struct form *f,
		    struct kerr *err)
{
	memset(f, 0, sizeof(*f));
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && body[end] != '&')
			end++;
		if (end > i) {
			if (f->n == FORM_FIELDS_MAX)
				return kerr_set(err, KODO_ETOOLARGE, NULL,
						"the form has more than %d fields",
						FORM_FIELDS_MAX);
			const char *eq = memchr(body + i, '=', end - i);
			size_t name_end = eq ? (size_t)(eq - body) : end;
			char *name = decode(body + i, name_end - i);
			char *value = eq ? decode(eq + 1, end - name_end - 1)
					 : xstrdup("");
			if (!name || !value) {
				free(name);
				free(value);
				return kerr_set(err, KODO_EBADREQ, NULL,
						"the form is not valid "
						"URL-encoded UTF-8");
			}
			f->names[f->n] = name;
			f->values[f->n++] = value;
		}
		i = end + 1;
	}
	return 0;
}

int form_parse(const struct http_req *req, struct form *f, struct kerr *err)
{
	memset(f, 0, sizeof(*f));
	const char *ct = req_header(req, "Content-Type");
	static const char urlencoded[] = "application/x-www-form-urlencoded";
	size_t n = sizeof(urlencoded) - 1;
	if (!ct && req->body_len == 0)
		return 0; /* an empty form, as a bare button might send */
	if (!ct || strncasecmp(ct, urlencoded, n) != 0 ||
	    (ct[n] && ct[n] != ';' && ct[n] != ' '))
		return kerr_set(err, KODO_EMEDIA, NULL,
				"the form must be sent as %s", urlencoded);
	return form_parse_text(req->body, req->body_len, f, err);
}

void form_cleanup(struct form *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->names[i]);
		free(f->values[i]);
	}
	f->n = 0;
}

const char *form_get(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->names[i], name) == 0)
			return f->values[i];
	return NULL;
}

size_t form_get_all(const struct form *f, const char *name, const char **out,
		    size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < f->n && k < max; i++)
		if (strcmp(f->names[i], name) == 0)
			out[k++] = f->values[i];
	return k;
}
