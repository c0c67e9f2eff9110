/* cli_http — see cli_http.h. */
#include "cli/cli_http.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/cli_out.h"
#include "util/text.h"

#define CONNECT_TIMEOUT_MS 10000L
#define USER_AGENT "kodo-cli"

void cli_http_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void cli_http_global_cleanup(void)
{
	curl_global_cleanup();
}

void cli_reply_cleanup(struct cli_reply *r)
{
	buf_cleanup(&r->body);
}

struct sink {
	struct cli_reply *r;
	bool too_large;
};

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;
	if (s->r->body.len + len > (size_t)CLI_REPLY_MAX_BYTES) {
		s->too_large = true;
		return 0; /* makes curl fail the transfer */
	}
	buf_append(&s->r->body, data, len);
	return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;
	static const char name[] = "retry-after:";
	if (len > sizeof(name) - 1 && len < 64 &&
	    strncasecmp(data, name, sizeof(name) - 1) == 0) {
		char value[64];
		memcpy(value, data + sizeof(name) - 1,
		       len - (sizeof(name) - 1));
		value[len - (sizeof(name) - 1)] = '\0';
		char *v = value;
		while (*v == ' ' || *v == '\t')
			v++;
		v[strcspn(v, " \t\r\n")] = '\0';
		int64_t secs;
		/* Only delta-seconds; an HTTP date is ignored. */
		if (text_parse_int(v, 0, 86400, &secs))
			s->r->retry_after_s = (long)secs;
	}
	return len;
}

static struct curl_slist *make_headers(const char *token, bool has_body)
{
	struct curl_slist *h = NULL;
	h = curl_slist_append(h, "Accept: application/json");
	/* Without a body, no Content-Type at all (curl would send a form's). */
	h = curl_slist_append(h, has_body ? "Content-Type: application/json"
					  : "Content-Type:");
	if (token) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "Authorization: Bearer %s", token);
		h = curl_slist_append(h, buf_str(&b));
		buf_cleanup(&b);
	}
	return h;
}

static void set_method(CURL *c, const char *method, const char *body)
{
	if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
		return;
	}
	if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
		return;
	}
	/* POSTFIELDS gives a Content-Length even for an empty body. */
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body ? body : "");
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, body ? (long)strlen(body) : 0L);
	if (strcmp(method, "POST") != 0)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
}

int cli_http_exchange(const char *method, const char *url, const char *token,
		      const char *json_body, long timeout_ms,
		      struct cli_reply *r, struct buf *err)
{
	memset(r, 0, sizeof(*r));
	r->retry_after_s = -1;
	struct sink sink = { r, false };
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *c = curl_easy_init();
	if (!c) {
		buf_puts(err, "cannot start libcurl");
		return -1;
	}
	struct curl_slist *headers = make_headers(token, json_body != NULL);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, USER_AGENT);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
			 timeout_ms < CONNECT_TIMEOUT_MS ? timeout_ms
							 : CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	set_method(c, method, json_body);
	CURLcode cc = curl_easy_perform(c);
	int rc = 0;
	if (cc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	} else {
		if (sink.too_large)
			buf_printf(err, "the reply is larger than %ld bytes",
				   CLI_REPLY_MAX_BYTES);
		else
			buf_puts(err, errbuf[0] ? errbuf
						: curl_easy_strerror(cc));
		buf_cleanup(&r->body);
		r->status = 0;
		rc = -1;
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	return rc;
}

void cli_url_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			buf_putc(b, (char)*p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

void cli_public_base(const struct cli *cli, struct buf *b)
{
	buf_puts(b, cli->conf.url);
	if (cli->conf.org) {
		buf_puts(b, "/status/");
		cli_url_escape(b, cli->conf.org);
	}
}

/* "kodo: code: message (field: f)" from an API error body. */
static void print_api_error(const struct cli *cli, const struct cli_reply *r)
{
	json_t *root = json_loadb(r->body.data ? r->body.data : "", r->body.len,
				  0, NULL);
	const json_t *e = json_object_get(root, "error");
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *msg = json_string_value(json_object_get(e, "message"));
	const char *field = json_string_value(json_object_get(e, "field"));
	fputs("kodo: ", stderr);
	if (code && msg) {
		cli_put_clean(stderr, code, false);
		fputs(": ", stderr);
		cli_put_clean(stderr, msg, false);
		if (field && *field) {
			fputs(" (field: ", stderr);
			cli_put_clean(stderr, field, false);
			fputc(')', stderr);
		}
	} else {
		/* Not Kodo's error shape: a proxy, or not a Kodo server. */
		fprintf(stderr, "HTTP %ld from the server", r->status);
		if (r->body.len) {
			struct buf head = BUF_INIT;
			buf_append(&head, r->body.data,
				   r->body.len < 200 ? r->body.len : 200);
			fputs(": ", stderr);
			cli_put_clean(stderr, buf_str(&head), false);
			buf_cleanup(&head);
		}
	}
	fputc('\n', stderr);
	if (r->status == 401)
		fprintf(stderr, "kodo: the token came from %s; check it, or "
				"run: kodo login --url URL --token TOKEN\n",
			cli->conf.token_from ? cli->conf.token_from
					     : "nowhere");
	json_decref(root);
}

int cli_api(const struct cli *cli, const char *method, const char *path,
	    const json_t *body, bool auth, json_t **out)
{
	struct buf url = BUF_INIT, err = BUF_INIT;
	struct cli_reply r;
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	*out = NULL;
	buf_printf(&url, "%s%s", cli->conf.url, path);
	int rc = CLI_EXIT_OK;
	if (cli_http_exchange(method, buf_str(&url), auth ? cli->conf.token
							  : NULL,
			      text, cli->timeout_ms, &r, &err) != 0) {
		fprintf(stderr, "kodo: cannot reach %s: ", cli->conf.url);
		cli_put_clean(stderr, buf_str(&err), false);
		fputc('\n', stderr);
		rc = CLI_EXIT_UNREACHABLE;
		goto out;
	}
	if (r.status < 200 || r.status > 299) {
		print_api_error(cli, &r);
		rc = CLI_EXIT_API;
	} else if (r.body.len) {
		json_error_t jerr;
		*out = json_loadb(r.body.data, r.body.len, 0, &jerr);
		if (!*out) {
			fprintf(stderr, "kodo: the server's reply is not JSON "
					"(%s)\n", jerr.text);
			rc = CLI_EXIT_API;
		}
	}
	cli_reply_cleanup(&r);
out:
	free(text);
	buf_cleanup(&url);
	buf_cleanup(&err);
	return rc;
}

int cli_api_list(const struct cli *cli, const char *path, const char *key,
		 json_t **out)
{
	json_t *all = json_array();
	struct buf page = BUF_INIT;
	const char *cursor = NULL;
	json_t *reply = NULL;
	int rc;
	for (;;) {
		buf_reset(&page);
		buf_printf(&page, "%s?limit=500", path);
		if (cursor) {
			buf_puts(&page, "&cursor=");
			cli_url_escape(&page, cursor);
		}
		json_t *prev = reply;
		rc = cli_api(cli, "GET", buf_str(&page), NULL, true, &reply);
		json_decref(prev); /* cursor pointed into it until now */
		if (rc != CLI_EXIT_OK)
			break;
		json_array_extend(all, json_object_get(reply, key));
		cursor = json_string_value(json_object_get(reply, "next_cursor"));
		if (!cursor)
			break;
	}
	json_decref(reply);
	buf_cleanup(&page);
	if (rc != CLI_EXIT_OK) {
		json_decref(all);
		*out = NULL;
		return rc;
	}
	*out = json_pack("{s:o, s:n}", key, all, "next_cursor");
	return rc;
}
