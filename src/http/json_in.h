/*
 * json_in — reading request bodies: JSON syntax and types, naming the field
 * at fault. Value rules (lengths, ranges) are core/'s.
 *
 * Strings handed out are borrowed from the json_t and valid until it is
 * released.
 */
#ifndef KODO_HTTP_JSON_IN_H
#define KODO_HTTP_JSON_IN_H

#include <jansson.h>

#include "core/settings.h"
#include "http/http.h"

/* Checks Content-Type (415), parses (400) and requires an object (400).
 * *out is new (json_decref). Returns 0 or a KODO_E* with err set. */
int jin_body(const struct http_req *req, json_t **out, struct kerr *err);
/* KODO_EINVAL naming the first key not in allowed (NULL-terminated). */
int jin_known_keys(json_t *obj, const char *const *allowed, struct kerr *err);
/* Absent → *out untouched, 0. JSON null → NULL when nullable. *present
 * (optional) tells whether the key was there. */
int jin_string(json_t *obj, const char *key, bool nullable, const char **out,
	       bool *present, struct kerr *err);
int jin_bool(json_t *obj, const char *key, struct opt_int *out,
	     struct kerr *err);
int jin_int(json_t *obj, const char *key, bool nullable, struct opt_int *out,
	    struct kerr *err);
/* An array of strings; *out is new (free()), elements borrowed. */
int jin_string_array(json_t *obj, const char *key, const char ***out,
		     size_t *n, bool *present, size_t max, struct kerr *err);

#endif
