/*
 * httpd_parse — see httpd_parse.h. Byte-at-a-time state machines: each byte
 * is judged when it arrives, so a request that has already gone wrong is
 * refused without waiting for the rest of it.
 */
#include "http/httpd_parse.h"

#include <string.h>
#include <strings.h>

enum scan_state {
	ST_START,      /* before the request line; empty lines are skipped */
	ST_START_LF,
	ST_METHOD,
	ST_TARGET,
	ST_VERSION,    /* "HTTP/d.d" then CR */
	ST_LINE_LF,
	ST_FIELD_START,
	ST_NAME,
	ST_OWS,        /* after the colon */
	ST_VALUE,
	ST_VALUE_LF,
	ST_END_LF,
	ST_DONE,
	ST_FAILED,
};

enum chunk_state {
	CH_SIZE_START,
	CH_SIZE,
	CH_EXT_WS,
	CH_EXT,
	CH_SIZE_LF,
	CH_DATA,
	CH_DATA_CR,
	CH_DATA_LF,
	CH_TRAILER_START,
	CH_TRAILER_NAME,
	CH_TRAILER_VALUE,
	CH_TRAILER_LF,
	CH_END_LF,
	CH_DONE,
};

#define CHUNK_MAX_DIGITS 16
#define CHUNK_MAX_EXT 4096

/* RFC 9110 5.6.2: tchar. */
static bool is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'':
	case '*': case '+': case '-': case '.': case '^': case '_':
	case '`': case '|': case '~':
		return true;
	default:
		return false;
	}
}

/* Field-value bytes: VCHAR, SP, HTAB and obs-text; no other control. */
static bool is_value(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* Target bytes: anything visible; high bytes are let through as sent. */
static bool is_target(unsigned char c)
{
	return c > 0x20 && c != 0x7f;
}

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool httpd_is_token(const char *name)
{
	if (!name || !*name)
		return false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (!is_tchar(*p))
			return false;
	return true;
}

static void set_fail(struct httpd_fail *f, int status, const char *message)
{
	f->status = status;
	f->message = message;
	switch (status) {
	case 413: f->code = "payload_too_large"; break;
	case 414: f->code = "uri_too_long"; break;
	case 417: f->code = "expectation_failed"; break;
	case 431: f->code = "header_fields_too_large"; break;
	case 501: f->code = "not_implemented"; break;
	case 505: f->code = "http_version_not_supported"; break;
	default: f->code = "bad_request"; break;
	}
}

/* -- step 1: scanning the head -------------------------------------------- */

void httpd_scan_init(struct httpd_scan *s, struct httpd_field *fields)
{
	memset(s, 0, sizeof(*s));
	s->state = ST_START;
	s->fields = fields;
}

static int scan_fail(struct httpd_scan *s, int status, const char *message)
{
	s->state = ST_FAILED;
	set_fail(&s->fail, status, message);
	return HTTPD_SCAN_FAIL;
}

static struct httpd_span span(size_t from, size_t to)
{
	struct httpd_span sp = { (uint32_t)from, (uint32_t)(to - from) };
	return sp;
}

static int scan_method(struct httpd_scan *s, unsigned char c, size_t i)
{
	if (c == ' ') {
		s->method = span(s->line_start, i);
		s->state = ST_TARGET;
		return HTTPD_SCAN_MORE;
	}
	if (!is_tchar(c))
		return scan_fail(s, 400, "the request line is malformed");
	if (i - s->line_start >= HTTPD_MAX_METHOD)
		return scan_fail(s, 501, "the method is too long");
	return HTTPD_SCAN_MORE;
}

static int scan_target(struct httpd_scan *s, unsigned char c, size_t i,
		       const struct httpd_limits *lim)
{
	size_t start = s->method.off + s->method.len + 1;
	if (c == ' ' && i > start) {
		s->target = span(start, i);
		s->state = ST_VERSION;
		return HTTPD_SCAN_MORE;
	}
	if (c == '\r' || c == '\n')
		return scan_fail(s, 400, "the request line has no HTTP version");
	if (!is_target(c))
		return scan_fail(s, 400, c == ' ' ? "the request line is malformed"
				 : "the request target contains a control "
				   "character");
	/* The whole line counts: this byte, and " HTTP/1.1" to come. */
	if (i - s->line_start + 1 + 9 > lim->max_line)
		return scan_fail(s, 414, "the request target is too long");
	return HTTPD_SCAN_MORE;
}

/* "HTTP/" DIGIT "." DIGIT CR; a well-formed unknown version is 505. */
static int scan_version(struct httpd_scan *s, unsigned char c, size_t i)
{
	size_t k = i - (s->target.off + s->target.len + 1);
	bool ok;
	if (k < 5)
		ok = c == (unsigned char)"HTTP/"[k];
	else if (k == 5 || k == 7)
		ok = c >= '0' && c <= '9';
	else if (k == 6)
		ok = c == '.';
	else
		ok = c == '\r';
	if (!ok)
		return scan_fail(s, 400, "the request line is malformed");
	if (k == 5)
		s->major = c - '0';
	else if (k == 7)
		s->minor = c - '0';
	else if (k == 8) {
		if (s->major != 1 || s->minor > 1)
			return scan_fail(s, 505,
					 "only HTTP/1.0 and HTTP/1.1 are served");
		s->state = ST_LINE_LF;
	}
	return HTTPD_SCAN_MORE;
}

static int scan_field_start(struct httpd_scan *s, unsigned char c, size_t i,
			    const struct httpd_limits *lim)
{
	if (c == '\r') {
		s->state = ST_END_LF;
		return HTTPD_SCAN_MORE;
	}
	if (c == ' ' || c == '\t')
		return scan_fail(s, 400, "obsolete line folding is not accepted");
	if (!is_tchar(c))
		return scan_fail(s, 400, "a header field name is malformed");
	if (s->n_fields >= lim->max_fields)
		return scan_fail(s, 431, "too many header fields");
	s->fields[s->n_fields].name.off = (uint32_t)i;
	s->state = ST_NAME;
	return HTTPD_SCAN_MORE;
}

static void field_end(struct httpd_scan *s, size_t from, size_t to)
{
	s->fields[s->n_fields].value = span(from, to);
	s->n_fields++;
	s->state = ST_VALUE_LF;
}

/* A value byte; value.len tracks the end of the last non-OWS byte. */
static int scan_value(struct httpd_scan *s, unsigned char c, size_t i)
{
	struct httpd_field *f = &s->fields[s->n_fields];
	if (c == '\r') {
		field_end(s, f->value.off, f->value.off + f->value.len);
		return HTTPD_SCAN_MORE;
	}
	if (!is_value(c))
		return scan_fail(s, 400,
				 "a header field contains a control character");
	if (c != ' ' && c != '\t')
		f->value.len = (uint32_t)(i + 1 - f->value.off);
	return HTTPD_SCAN_MORE;
}

static int scan_field(struct httpd_scan *s, unsigned char c, size_t i)
{
	struct httpd_field *f = &s->fields[s->n_fields];
	if (s->state == ST_VALUE)
		return scan_value(s, c, i);
	if (s->state == ST_NAME) {
		if (c == ':') {
			f->name.len = (uint32_t)(i - f->name.off);
			s->state = ST_OWS;
		} else if (!is_tchar(c)) {
			return scan_fail(s, 400,
					 "a header field name is malformed");
		}
		return HTTPD_SCAN_MORE;
	}
	/* ST_OWS: whitespace after the colon is not part of the value */
	if (c == ' ' || c == '\t')
		return HTTPD_SCAN_MORE;
	if (c == '\r') {
		field_end(s, i, i);
		return HTTPD_SCAN_MORE;
	}
	f->value.off = (uint32_t)i;
	f->value.len = 0;
	s->state = ST_VALUE;
	return scan_value(s, c, i);
}

static int expect_lf(struct httpd_scan *s, unsigned char c, int next)
{
	if (c != '\n')
		return scan_fail(s, 400, "a line does not end with CRLF");
	s->state = next;
	return HTTPD_SCAN_MORE;
}

static int scan_byte(struct httpd_scan *s, const unsigned char *p, size_t i,
		     const struct httpd_limits *lim)
{
	unsigned char c = p[i];
	switch (s->state) {
	case ST_START:
		if (c == '\r') {
			s->state = ST_START_LF;
			return HTTPD_SCAN_MORE;
		}
		if (!is_tchar(c))
			return scan_fail(s, 400, "the request line is malformed");
		s->line_start = i;
		s->state = ST_METHOD;
		return HTTPD_SCAN_MORE;
	case ST_START_LF: return expect_lf(s, c, ST_START);
	case ST_METHOD: return scan_method(s, c, i);
	case ST_TARGET: return scan_target(s, c, i, lim);
	case ST_VERSION: return scan_version(s, c, i);
	case ST_LINE_LF: return expect_lf(s, c, ST_FIELD_START);
	case ST_FIELD_START: return scan_field_start(s, c, i, lim);
	case ST_VALUE_LF: return expect_lf(s, c, ST_FIELD_START);
	case ST_END_LF:
		if (expect_lf(s, c, ST_DONE) != HTTPD_SCAN_MORE)
			return HTTPD_SCAN_FAIL;
		s->head_len = i + 1;
		return HTTPD_SCAN_DONE;
	default: return scan_field(s, c, i);
	}
}

int httpd_head_scan(struct httpd_scan *s, const char *buf, size_t len,
		    const struct httpd_limits *lim)
{
	if (s->state == ST_DONE)
		return HTTPD_SCAN_DONE;
	if (s->state == ST_FAILED)
		return HTTPD_SCAN_FAIL;
	const unsigned char *p = (const unsigned char *)buf;
	int rc = HTTPD_SCAN_MORE;
	size_t i = s->pos;
	for (; i < len && rc == HTTPD_SCAN_MORE; i++) {
		if (i >= lim->max_head)
			return scan_fail(s, 431, "the header section is too "
						 "large");
		rc = scan_byte(s, p, i, lim);
	}
	s->pos = i;
	return rc;
}

/* -- step 2: the rules of the whole head ---------------------------------- */

static bool span_is(const char *buf, struct httpd_span sp, const char *name)
{
	size_t n = strlen(name);
	return sp.len == n && strncasecmp(buf + sp.off, name, n) == 0;
}

/* 1*DIGIT, at most 19 digits (fits in uint64). */
static bool parse_length(const char *v, size_t n, uint64_t *out)
{
	if (n == 0 || n > 19)
		return false;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	*out = x;
	return true;
}

/* Does a comma-separated token list hold tok (case-insensitive)? */
static bool list_has(const char *v, size_t n, const char *tok)
{
	size_t tlen = strlen(tok), i = 0;
	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		size_t start = i;
		while (i < n && v[i] != ',')
			i++;
		size_t end = i;
		while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t'))
			end--;
		if (end - start == tlen && strncasecmp(v + start, tok, tlen) == 0)
			return true;
	}
	return false;
}

struct framing {
	int hosts, lengths, codings;
	bool host_ok, close, keep_alive, expect, expect_other;
	uint64_t length;
	bool length_conflict, length_bad, coding_chunked;
};

static void note_field(struct framing *fr, const char *buf,
		       const struct httpd_field *f)
{
	const char *v = buf + f->value.off;
	size_t n = f->value.len;
	if (span_is(buf, f->name, "host")) {
		fr->hosts++;
		fr->host_ok = memchr(v, ' ', n) == NULL &&
			      memchr(v, '\t', n) == NULL;
	} else if (span_is(buf, f->name, "content-length")) {
		uint64_t x = 0;
		if (!parse_length(v, n, &x))
			fr->length_bad = true;
		else if (fr->lengths && x != fr->length)
			fr->length_conflict = true;
		fr->length = x;
		fr->lengths++;
	} else if (span_is(buf, f->name, "transfer-encoding")) {
		fr->codings++;
		fr->coding_chunked = n == 7 && strncasecmp(v, "chunked", 7) == 0;
	} else if (span_is(buf, f->name, "connection")) {
		fr->close |= list_has(v, n, "close");
		fr->keep_alive |= list_has(v, n, "keep-alive");
	} else if (span_is(buf, f->name, "expect")) {
		if (n == 12 && strncasecmp(v, "100-continue", 12) == 0)
			fr->expect = true;
		else
			fr->expect_other = true;
	}
}

static int finish_framing(const struct framing *fr, int minor,
			  struct httpd_head *out, struct httpd_fail *fail)
{
	if (fr->codings) {
		if (minor == 0 || fr->lengths || fr->codings > 1) {
			set_fail(fail, 400, minor == 0
				 ? "Transfer-Encoding needs HTTP/1.1"
				 : "the body's framing is ambiguous");
			return -1;
		}
		if (!fr->coding_chunked) {
			set_fail(fail, 501, "only the chunked transfer coding "
					    "is supported");
			return -1;
		}
		out->framing = HTTPD_BODY_CHUNKED;
		return 0;
	}
	if (fr->length_bad || fr->length_conflict) {
		set_fail(fail, 400, "Content-Length is invalid");
		return -1;
	}
	if (fr->lengths) {
		out->framing = HTTPD_BODY_LENGTH;
		out->content_length = fr->length;
	}
	return 0;
}

static int finish_rules(const struct framing *fr, int minor,
			const struct httpd_limits *lim, struct httpd_head *out,
			struct httpd_fail *fail)
{
	if (finish_framing(fr, minor, out, fail))
		return -1;
	if ((minor == 1 && fr->hosts == 0) || fr->hosts > 1 ||
	    (fr->hosts && !fr->host_ok)) {
		set_fail(fail, 400, fr->hosts ? "the Host header is invalid"
				    : "HTTP/1.1 requires a Host header");
		return -1;
	}
	if (out->framing == HTTPD_BODY_LENGTH &&
	    out->content_length > lim->max_body) {
		set_fail(fail, 413, "the body is larger than the limit");
		return -1;
	}
	if (minor == 1 && fr->expect_other) {
		set_fail(fail, 417, "only Expect: 100-continue is understood");
		return -1;
	}
	out->keep_alive = minor == 1 ? !fr->close
				     : fr->keep_alive && !fr->close;
	out->expect_continue =
		minor == 1 && fr->expect &&
		(out->framing == HTTPD_BODY_CHUNKED ||
		 (out->framing == HTTPD_BODY_LENGTH && out->content_length));
	return 0;
}

/*
 * Decodes %XX in place, strictly: a '%' without two hex digits, or one
 * that decodes to a control character, is refused. Returns the new length
 * or -1.
 */
static long decode_path(char *p, size_t n)
{
	size_t w = 0;
	for (size_t r = 0; r < n; r++, w++) {
		unsigned char c = (unsigned char)p[r];
		if (c == '%') {
			if (n - r < 3)
				return -1;
			int h = hex_value((unsigned char)p[r + 1]);
			int l = hex_value((unsigned char)p[r + 2]);
			if (h < 0 || l < 0)
				return -1;
			c = (unsigned char)(h * 16 + l);
			if (c < 0x20 || c == 0x7f)
				return -1;
			r += 2;
		}
		p[w] = (char)c;
	}
	return (long)w;
}

static bool prefix_nocase(const char *s, size_t n, const char *pre)
{
	size_t m = strlen(pre);
	return n >= m && strncasecmp(s, pre, m) == 0;
}

/*
 * Splits the target (NUL-terminated at t[n]) into path and query. Origin
 * form "/p?q", absolute form "http://host/p?q", and "*" for OPTIONS.
 */
static int finish_target(char *t, size_t n, struct httpd_head *out,
			 struct httpd_fail *fail)
{
	static const char root[] = "/";
	char *path = t;
	if (prefix_nocase(t, n, "http://") || prefix_nocase(t, n, "https://")) {
		char *auth = strchr(t, ':') + 3;
		char *end = auth + strcspn(auth, "/?");
		if (end == auth)
			goto bad;
		path = end;
	} else if (n == 1 && t[0] == '*') {
		if (strcmp(out->method, "OPTIONS") != 0)
			goto bad;
	} else if (t[0] != '/') {
		goto bad;
	}
	char *q = strchr(path, '?');
	out->query = q ? q + 1 : t + n;
	out->query_len = q ? (size_t)(t + n - (q + 1)) : 0;
	if (strstr(out->query, "%00")) {
		set_fail(fail, 400, "the query contains an encoded NUL");
		return -1;
	}
	size_t plen = q ? (size_t)(q - path) : (size_t)(t + n - path);
	if (plen == 0) {
		out->path = root;
		out->path_len = 1;
		out->path_root = true;
		return 0;
	}
	long dlen = decode_path(path, plen);
	if (dlen < 0) {
		set_fail(fail, 400, "the path has a malformed or control "
				    "percent-escape");
		return -1;
	}
	path[dlen] = '\0';
	out->path = path;
	out->path_len = (size_t)dlen;
	return 0;
bad:
	set_fail(fail, 400, "the request target is malformed");
	return -1;
}

int httpd_head_finish(const struct httpd_scan *s, char *buf,
		      const struct httpd_limits *lim, struct httpd_head *out,
		      struct httpd_fail *fail)
{
	memset(out, 0, sizeof(*out));
	out->buf = buf;
	out->minor = s->minor;
	out->fields = s->fields;
	out->n_fields = s->n_fields;
	struct framing fr = { 0 };
	for (unsigned i = 0; i < s->n_fields; i++)
		note_field(&fr, buf, &s->fields[i]);
	if (finish_rules(&fr, s->minor, lim, out, fail))
		return -1;
	/* Only now rewrite the buffer: every span above read it intact. */
	for (unsigned i = 0; i < s->n_fields; i++) {
		const struct httpd_field *f = &s->fields[i];
		buf[f->name.off + f->name.len] = '\0';
		buf[f->value.off + f->value.len] = '\0';
	}
	buf[s->method.off + s->method.len] = '\0';
	out->method = buf + s->method.off;
	out->is_head = strcmp(out->method, "HEAD") == 0;
	buf[s->target.off + s->target.len] = '\0';
	if (finish_target(buf + s->target.off, s->target.len, out, fail))
		return -1;
	out->off_method = s->method.off;
	out->off_path = out->path_root ? 0 : (size_t)(out->path - buf);
	out->off_query = (size_t)(out->query - buf);
	return 0;
}

void httpd_head_rebase(struct httpd_head *h, const char *buf)
{
	h->buf = buf;
	h->method = buf + h->off_method;
	if (!h->path_root)
		h->path = buf + h->off_path;
	h->query = buf + h->off_query;
}

const char *httpd_head_field(const struct httpd_head *h, const char *name)
{
	for (unsigned i = 0; i < h->n_fields; i++)
		if (span_is(h->buf, h->fields[i].name, name))
			return h->buf + h->fields[i].value.off;
	return NULL;
}

/* -- step 3: chunked bodies ----------------------------------------------- */

void httpd_chunked_init(struct httpd_chunked *c)
{
	memset(c, 0, sizeof(*c));
	c->state = CH_SIZE_START;
}

static int chunk_fail(struct httpd_fail *fail, int status, const char *msg)
{
	set_fail(fail, status, msg);
	return HTTPD_SCAN_FAIL;
}

static int chunk_size_byte(struct httpd_chunked *c, unsigned char ch,
			   const struct httpd_limits *lim,
			   struct httpd_fail *fail)
{
	int v = hex_value(ch);
	if (v >= 0) {
		if (++c->digits > CHUNK_MAX_DIGITS)
			return chunk_fail(fail, 400, "a chunk size is too long");
		c->left = c->left * 16 + (uint64_t)v;
		/* Refuse the moment the announced size passes the limit. */
		if (c->left > lim->max_body - c->total)
			return chunk_fail(fail, 413,
					  "the body is larger than the limit");
		c->state = CH_SIZE;
		return HTTPD_SCAN_MORE;
	}
	if (c->state == CH_SIZE_START)
		return chunk_fail(fail, 400, "a chunk size is malformed");
	if (ch == ';')
		c->state = CH_EXT;
	else if (ch == ' ' || ch == '\t')
		c->state = CH_EXT_WS;
	else if (ch == '\r')
		c->state = CH_SIZE_LF;
	else
		return chunk_fail(fail, 400, "a chunk size is malformed");
	return HTTPD_SCAN_MORE;
}

static int chunk_ext_byte(struct httpd_chunked *c, unsigned char ch,
			  struct httpd_fail *fail)
{
	if (ch == '\r') {
		c->state = CH_SIZE_LF;
		return HTTPD_SCAN_MORE;
	}
	if (c->state == CH_EXT_WS) {
		if (ch == ';')
			c->state = CH_EXT;
		else if (ch != ' ' && ch != '\t')
			return chunk_fail(fail, 400, "a chunk size is malformed");
		return HTTPD_SCAN_MORE;
	}
	if (!is_value(ch))
		return chunk_fail(fail, 400, "a chunk extension contains a "
					     "control character");
	if (++c->side > CHUNK_MAX_EXT)
		return chunk_fail(fail, 400, "a chunk extension is too long");
	return HTTPD_SCAN_MORE;
}

static int chunk_trailer_byte(struct httpd_chunked *c, unsigned char ch,
			      const struct httpd_limits *lim,
			      struct httpd_fail *fail)
{
	if (++c->side > lim->max_head)
		return chunk_fail(fail, 431, "the trailer section is too large");
	switch (c->state) {
	case CH_TRAILER_START:
		if (ch == '\r')
			c->state = CH_END_LF;
		else if (is_tchar(ch))
			c->state = CH_TRAILER_NAME;
		else
			return chunk_fail(fail, 400, "a trailer field is "
						     "malformed");
		return HTTPD_SCAN_MORE;
	case CH_TRAILER_NAME:
		if (ch == ':')
			c->state = CH_TRAILER_VALUE;
		else if (!is_tchar(ch))
			return chunk_fail(fail, 400, "a trailer field is "
						     "malformed");
		return HTTPD_SCAN_MORE;
	default: /* CH_TRAILER_VALUE */
		if (ch == '\r')
			c->state = CH_TRAILER_LF;
		else if (!is_value(ch))
			return chunk_fail(fail, 400, "a trailer field contains "
						     "a control character");
		return HTTPD_SCAN_MORE;
	}
}

static int chunk_lf(struct httpd_chunked *c, unsigned char ch, int next,
		    struct httpd_fail *fail)
{
	if (ch != '\n')
		return chunk_fail(fail, 400, "a chunk line does not end with "
					     "CRLF");
	c->state = next;
	return HTTPD_SCAN_MORE;
}

static int chunk_byte(struct httpd_chunked *c, unsigned char ch,
		      const struct httpd_limits *lim, struct httpd_fail *fail)
{
	switch (c->state) {
	case CH_SIZE_START:
	case CH_SIZE:
		return chunk_size_byte(c, ch, lim, fail);
	case CH_EXT_WS:
	case CH_EXT:
		return chunk_ext_byte(c, ch, fail);
	case CH_SIZE_LF:
		if (chunk_lf(c, ch, c->left ? CH_DATA : CH_TRAILER_START, fail))
			return HTTPD_SCAN_FAIL;
		c->total += c->left;
		c->digits = 0;
		c->side = 0;
		return HTTPD_SCAN_MORE;
	case CH_DATA_CR:
		if (ch != '\r')
			return chunk_fail(fail, 400, "a chunk does not end with "
						     "CRLF");
		c->state = CH_DATA_LF;
		return HTTPD_SCAN_MORE;
	case CH_DATA_LF: return chunk_lf(c, ch, CH_SIZE_START, fail);
	case CH_TRAILER_LF: return chunk_lf(c, ch, CH_TRAILER_START, fail);
	case CH_END_LF:
		if (chunk_lf(c, ch, CH_DONE, fail))
			return HTTPD_SCAN_FAIL;
		return HTTPD_SCAN_DONE;
	default:
		return chunk_trailer_byte(c, ch, lim, fail);
	}
}

int httpd_chunked_decode(struct httpd_chunked *c, char *buf, size_t *wpos,
			 size_t *rpos, size_t len,
			 const struct httpd_limits *lim, struct httpd_fail *fail)
{
	size_t r = *rpos, w = *wpos;
	int rc = c->state == CH_DONE ? HTTPD_SCAN_DONE : HTTPD_SCAN_MORE;
	while (r < len && rc == HTTPD_SCAN_MORE) {
		if (c->state != CH_DATA) {
			rc = chunk_byte(c, (unsigned char)buf[r++], lim, fail);
			continue;
		}
		size_t n = len - r < c->left ? len - r : (size_t)c->left;
		if (w != r)
			memmove(buf + w, buf + r, n);
		w += n;
		r += n;
		c->left -= n;
		if (c->left == 0)
			c->state = CH_DATA_CR;
	}
	*rpos = r;
	*wpos = w;
	return rc;
}

/* -- query strings -------------------------------------------------------- */

static void append_decoded(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%' && n - i >= 3) {
			int h = hex_value((unsigned char)s[i + 1]);
			int l = hex_value((unsigned char)s[i + 2]);
			/* "%00" stays literal: pairs are NUL-separated. */
			if (h >= 0 && l >= 0 && (h | l)) {
				c = (char)(h * 16 + l);
				i += 2;
			}
		}
		buf_putc(out, c);
	}
}

void httpd_query_decode(const char *query, size_t len, struct buf *out)
{
	buf_reset(out);
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && query[end] != '&')
			end++;
		if (end > i) {
			const char *eq = memchr(query + i, '=', end - i);
			size_t nlen = eq ? (size_t)(eq - (query + i)) : end - i;
			append_decoded(out, query + i, nlen);
			buf_putc(out, '\0');
			if (eq)
				append_decoded(out, eq + 1,
					       (size_t)(query + end - (eq + 1)));
			buf_putc(out, '\0');
		}
		i = end + 1;
	}
}

const char *httpd_query_find(const struct buf *decoded, const char *name)
{
	const char *p = decoded->data, *end = p + decoded->len;
	while (p && p < end) {
		const char *value = p + strlen(p) + 1;
		if (strcmp(p, name) == 0)
			return value;
		p = value + strlen(value) + 1;
	}
	return NULL;
}
