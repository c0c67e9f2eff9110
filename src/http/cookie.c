/* cookie — see cookie.h. */
#include "http/cookie.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

bool cookie_get(const char *header, const char *name, char *out, size_t cap)
{
	size_t nlen = strlen(name);
	const char *p = header;
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		size_t len = strcspn(p, ";");
		const char *eq = memchr(p, '=', len);
		if (eq && (size_t)(eq - p) == nlen && strncmp(p, name, nlen) == 0) {
			const char *v = eq + 1;
			size_t vlen = len - nlen - 1;
			while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			/* RFC 6265 allows a quoted value. */
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			if (vlen >= cap)
				return false;
			memcpy(out, v, vlen);
			out[vlen] = '\0';
			return true;
		}
		p += len;
	}
	return false;
}

bool cookie_from_req(const struct http_req *req, const char *name, char *out,
		     size_t cap)
{
	return cookie_get(req_header(req, "Cookie"), name, out, cap);
}

bool cookie_secure_req(const struct http_req *req)
{
	const char *proto = req_header(req, "X-Forwarded-Proto");
	return proto && strncasecmp(proto, "https", 5) == 0 &&
	       (proto[5] == '\0' || proto[5] == ',' || proto[5] == ' ');
}

void cookie_set(struct http_resp *resp, const struct http_req *req,
		const char *name, const char *value, int64_t max_age_s)
{
	char line[512];
	bool del = !value || max_age_s <= 0;
	snprintf(line, sizeof(line),
		 "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s", name,
		 del ? "" : value, del ? 0LL : (long long)max_age_s,
		 cookie_secure_req(req) ? "; Secure" : "");
	resp_header(resp, "Set-Cookie", line);
}
