/* text — see text.h. */
#include "util/text.h"

#include <errno.h>
#include <stdlib.h>

size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

bool text_parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (!s || !*s || ((*s < '0' || *s > '9') && *s != '-'))
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool text_is_single_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}
