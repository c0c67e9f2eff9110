/*
 * json_out — Kodo's records as the JSON objects of API.md. Each returns a
 * new json_t (json_decref). Any thread.
 */
#ifndef KODO_HTTP_JSON_OUT_H
#define KODO_HTTP_JSON_OUT_H

#include <jansson.h>

#include "core/service.h"
#include "store/model.h"

json_t *jout_time(int64_t ms); /* RFC 3339 string, or null for 0 */
json_t *jout_org(const struct org *o);
json_t *jout_service(const struct service_view *v);
json_t *jout_incident(const struct incident *inc);
json_t *jout_update(const struct update *u);
json_t *jout_automation(const struct automation *a);
/* {"<key>": obj} rendered compact; consumes obj. New string (free()). */
char *jout_wrap(const char *key, json_t *obj);

#endif
