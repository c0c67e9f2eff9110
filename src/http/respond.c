/*
 * respond — building responses: JSON bodies and the one error shape.
 */
#include <jansson.h>
#include <stdlib.h>
#include <strings.h>

#include "http/http.h"
#include "util/alloc.h"

void resp_header(struct http_resp *resp, const char *name, const char *value)
{
	if (resp->n_headers >= HTTP_MAX_HEADERS)
		return;
	resp->headers[resp->n_headers].name = name;
	resp->headers[resp->n_headers].value = xstrdup(value);
	resp->n_headers++;
}

bool resp_has_header(const struct http_resp *resp, const char *name)
{
	for (int i = 0; i < resp->n_headers; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0)
			return true;
	return false;
}

void resp_json_text(struct http_resp *resp, int status, char *text)
{
	resp->status = status;
	resp->content_type = "application/json";
	buf_reset(&resp->body);
	if (text) {
		buf_puts(&resp->body, text);
		free(text);
	}
}

int http_status_of(int code)
{
	switch (code) {
	case KODO_EINVAL: return 422;
	case KODO_ENOTFOUND: return 404;
	case KODO_ECONFLICT: return 409;
	case KODO_EFORBIDDEN: return 403;
	case KODO_EAUTH: return 401;
	case KODO_EBADJSON: return 400;
	case KODO_ETOOLARGE: return 413;
	case KODO_EBUSY: return 503;
	case KODO_EMEDIA: return 415;
	case KODO_EBADREQ: return 400;
	case KODO_ERATE: return 429;
	default: return 500;
	}
}

static const char *default_message(int code)
{
	switch (code) {
	case KODO_ENOTFOUND: return "no such resource";
	case KODO_EAUTH: return "a valid API token is required";
	case KODO_EFORBIDDEN: return "not allowed";
	case KODO_ECONFLICT: return "conflicts with the current state";
	case KODO_EBUSY: return "the server is shutting down";
	default: return "internal error";
	}
}

static void error_body(struct http_resp *resp, int code, const char *field,
		       const char *message)
{
	json_t *e = json_object();
	json_object_set_new(e, "code", json_string(kerr_code_name(code)));
	json_t *msg = json_string(message && *message ? message
						      : default_message(code));
	/* A message cut inside a UTF-8 sequence is not valid JSON text. */
	json_object_set_new(e, "message",
			    msg ? msg : json_string(default_message(code)));
	json_t *f = field ? json_string(field) : NULL;
	if (f)
		json_object_set_new(e, "field", f);
	json_t *root = json_object();
	json_object_set_new(root, "error", e);
	resp_json_text(resp, http_status_of(code),
		       json_dumps(root, JSON_COMPACT));
	json_decref(root);
}

void resp_error_code(struct http_resp *resp, int code, const char *field,
		     const char *message)
{
	error_body(resp, code, field && *field ? field : NULL, message);
}

void resp_error(struct http_resp *resp, const struct kerr *err)
{
	error_body(resp, err->code, err->has_field ? err->field : NULL,
		   err->message);
}

void resp_cleanup(struct http_resp *resp)
{
	buf_cleanup(&resp->body);
	for (int i = 0; i < resp->n_headers; i++)
		free(resp->headers[i].value);
	resp->n_headers = 0;
}
