/* json_in — see json_in.h. */
#include "http/json_in.h"

#include <string.h>
#include <strings.h>

#include "util/alloc.h"

static bool is_json_type(const char *ct)
{
	static const char want[] = "application/json";
	size_t n = sizeof(want) - 1;
	if (!ct || strncasecmp(ct, want, n) != 0)
		return false;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

int jin_body(const struct http_req *req, json_t **out, struct kerr *err)
{
	if (req->body_len > 0 && !is_json_type(req_header(req, "Content-Type")))
		return kerr_set(err, KODO_EMEDIA, NULL,
				"Content-Type must be application/json");
	json_error_t jerr;
	json_t *root = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES,
				  &jerr);
	/*
	 * An integer beyond 64 bits is valid JSON, just out of every range:
	 * read numbers as reals instead so that jin_int can name its field.
	 */
	if (!root && json_error_code(&jerr) == json_error_numeric_overflow)
		root = json_loadb(req->body, req->body_len,
				  JSON_REJECT_DUPLICATES |
					  JSON_DECODE_INT_AS_REAL,
				  &jerr);
	if (!root)
		return kerr_set(err, KODO_EBADJSON, NULL,
				"malformed JSON at line %d column %d: %s",
				jerr.line, jerr.column, jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return kerr_set(err, KODO_EBADJSON, NULL,
				"the body must be a JSON object");
	}
	*out = root;
	return 0;
}

int jin_known_keys(json_t *obj, const char *const *allowed, struct kerr *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, key) == 0;
		if (!ok)
			return kerr_set(err, KODO_EINVAL, key,
					"unknown field \"%.60s\"", key);
	}
	return 0;
}

int jin_string(json_t *obj, const char *key, bool nullable, const char **out,
	       bool *present, struct kerr *err)
{
	json_t *v = json_object_get(obj, key);
	if (present)
		*present = v != NULL;
	if (!v)
		return 0;
	if (json_is_null(v) && nullable) {
		*out = NULL;
		return 0;
	}
	if (!json_is_string(v))
		return kerr_set(err, KODO_EINVAL, key, "%s must be a string%s",
				key, nullable ? " or null" : "");
	if (strlen(json_string_value(v)) != json_string_length(v))
		return kerr_set(err, KODO_EINVAL, key,
				"%s must not contain NUL characters", key);
	*out = json_string_value(v);
	return 0;
}

int jin_bool(json_t *obj, const char *key, struct opt_int *out,
	     struct kerr *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return kerr_set(err, KODO_EINVAL, key,
				"%s must be true or false", key);
	out->set = true;
	out->null = false;
	out->v = json_is_true(v);
	return 0;
}

int jin_int(json_t *obj, const char *key, bool nullable, struct opt_int *out,
	    struct kerr *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	out->set = true;
	out->null = json_is_null(v);
	if (out->null && nullable)
		return 0;
	if (json_is_real(v)) {
		/* Only after a numeric overflow (see jin_body): ints as reals. */
		double d = json_real_value(v);
		if (d > 9.0e15 || d < -9.0e15 || d != (double)(int64_t)d)
			return kerr_set(err, KODO_EINVAL, key,
					"%s must be an integer in range", key);
		out->v = (int64_t)d;
		return 0;
	}
	if (!json_is_integer(v))
		return kerr_set(err, KODO_EINVAL, key, "%s must be an integer%s",
				key, nullable ? " or null" : "");
	out->v = json_integer_value(v);
	return 0;
}

int jin_string_array(json_t *obj, const char *key, const char ***out,
		     size_t *n, bool *present, size_t max, struct kerr *err)
{
	json_t *v = json_object_get(obj, key);
	*present = v != NULL;
	*out = NULL;
	*n = 0;
	if (!v)
		return 0;
	if (!json_is_array(v))
		return kerr_set(err, KODO_EINVAL, key,
				"%s must be an array of strings", key);
	size_t count = json_array_size(v);
	if (count > max)
		return kerr_set(err, KODO_EINVAL, key, "%s may list at most %zu",
				key, max);
	const char **list = xcalloc(count, sizeof(*list));
	for (size_t i = 0; i < count; i++) {
		json_t *e = json_array_get(v, i);
		if (!json_is_string(e)) {
			free(list);
			return kerr_set(err, KODO_EINVAL, key,
					"%s must be an array of strings", key);
		}
		list[i] = json_string_value(e);
	}
	*out = list;
	*n = count;
	return 0;
}
