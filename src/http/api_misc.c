/*
 * api_misc — health and organizations.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/org.h"
#include "http/api.h"
#include "http/json_in.h"
#include "http/json_out.h"
#include "util/alloc.h"
#include "util/text.h"

void api_reply(struct http_resp *resp, int rc, const struct kerr *err,
	       int status, const char *key, json_t *obj)
{
	if (rc) {
		struct kerr fallback;
		if (!err || err->code != rc) {
			kerr_set(&fallback, rc, NULL, "%s", "");
			err = &fallback;
		}
		resp_error(resp, err);
		json_decref(obj);
		return;
	}
	resp_json_text(resp, status, jout_wrap(key, obj));
}

/* Cursors are opaque to clients: "c" + a position in hex. */
static bool cursor_parse(const char *s, int64_t *pos)
{
	if (!s || s[0] != 'c' || !isxdigit((unsigned char)s[1]) ||
	    strlen(s) > 17)
		return false;
	char *end;
	unsigned long long v = strtoull(s + 1, &end, 16);
	if (*end || v == 0 || v > INT64_MAX)
		return false;
	*pos = (int64_t)v;
	return true;
}

void api_reply_page(struct http_resp *resp, const char *key, json_t *items,
		    int64_t next)
{
	char cursor[24];
	snprintf(cursor, sizeof(cursor), "c%" PRIx64, (uint64_t)next);
	json_t *root = json_pack("{s:o, s:o}", key, items, "next_cursor",
				 next ? json_string(cursor) : json_null());
	resp_json_text(resp, 200, json_dumps(root, JSON_COMPACT));
	json_decref(root);
}

int api_parse_page(const struct http_req *req, int64_t *limit, int64_t *after,
		   struct kerr *err)
{
	const char *l = req_query(req, "limit"), *c = req_query(req, "cursor");
	*limit = LIST_LIMIT_DEFAULT;
	*after = 0;
	if (l && !text_parse_int(l, 1, LIST_LIMIT_MAX, limit))
		return kerr_set(err, KODO_EINVAL, "limit",
				"limit must be an integer from 1 to %d",
				LIST_LIMIT_MAX);
	if (c && !cursor_parse(c, after))
		return kerr_set(err, KODO_EINVAL, "cursor",
				"cursor must be a next_cursor from a previous page");
	return 0;
}

API_HANDLER(api_health)
{
	(void)app, (void)req, (void)who;
	resp_json_text(resp, 200, xstrdup("{\"status\":\"ok\"}"));
}

API_HANDLER(api_org_create)
{
	static const char *const keys[] = { "name", "slug", NULL };
	struct kerr err = { 0 };
	json_t *body = NULL;
	const char *name = NULL, *slug = NULL;
	int rc = jin_body(req, &body, &err);
	if (rc == 0)
		rc = jin_known_keys(body, keys, &err);
	if (rc == 0)
		rc = jin_string(body, "name", false, &name, NULL, &err);
	if (rc == 0)
		rc = jin_string(body, "slug", false, &slug, NULL, &err);
	struct org org = { 0 };
	char token[CRYPTO_TOKEN_LEN];
	if (rc == 0)
		rc = org_create(&app->core, who, name, slug, &org, token, &err);
	if (rc) {
		api_reply(resp, rc, &err, 0, NULL, NULL);
	} else {
		json_t *root = json_pack("{s:o, s:s}", "organization",
					 jout_org(&org), "token", token);
		resp_json_text(resp, 201, json_dumps(root, JSON_COMPACT));
		json_decref(root);
		org_cleanup(&org);
	}
	json_decref(body);
}
