/* kerr — see kerr.h. */
#include "util/kerr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int kerr_set(struct kerr *err, int code, const char *field, const char *fmt,
	     ...)
{
	if (!err)
		return code;
	err->code = code;
	err->has_field = field != NULL;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

void kerr_clear(struct kerr *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

const char *kerr_code_name(int code)
{
	switch (code) {
	case KODO_EINVAL: return "validation_failed";
	case KODO_ENOTFOUND: return "not_found";
	case KODO_ECONFLICT: return "conflict";
	case KODO_EFORBIDDEN: return "forbidden";
	case KODO_EAUTH: return "unauthorized";
	case KODO_EBADJSON: return "invalid_json";
	case KODO_ETOOLARGE: return "payload_too_large";
	case KODO_EBUSY: return "unavailable";
	case KODO_EMEDIA: return "unsupported_media_type";
	case KODO_EBADREQ: return "bad_request";
	case KODO_ERATE: return "rate_limited";
	default: return "internal_error";
	}
}
