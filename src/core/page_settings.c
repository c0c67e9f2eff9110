/* page_settings — see page_settings.h. */
#include "core/page_settings.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/html.h"

bool page_accent_valid(const char *s)
{
	if (!s || strlen(s) != 7 || s[0] != '#')
		return false;
	for (int i = 1; i < 7; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* An absolute http(s) URL with a host, safe to put in an <img src>. */
bool page_logo_url_valid(const char *s)
{
	if (!s || strlen(s) > PAGE_LOGO_URL_MAX || !html_url_safe(s))
		return false;
	size_t skip = strncasecmp(s, "https://", 8) == 0  ? 8
		      : strncasecmp(s, "http://", 7) == 0 ? 7
							  : 0;
	return skip && s[skip] != '\0' && s[skip] != '/' && s[skip] != '?' &&
	       s[skip] != '#';
}

void page_settings_effective(struct page_settings *ps, const char *org_name)
{
	if (!ps->name[0])
		snprintf(ps->name, sizeof(ps->name), "%s",
			 org_name ? org_name : "");
	if (!ps->accent_color[0])
		snprintf(ps->accent_color, sizeof(ps->accent_color), "%s",
			 PAGE_ACCENT_DEFAULT);
}

int page_settings_get(struct core *core, const char *org_id,
		      struct page_settings *out)
{
	struct org org;
	int rc = store_org_get(core->store, org_id, &org);
	if (rc)
		return rc;
	rc = store_page_settings_get(core->store, org_id, out);
	if (rc == 0)
		page_settings_effective(out, org.name);
	org_cleanup(&org);
	return rc;
}

static int validate(const struct page_settings_patch *p, struct kerr *err)
{
	int rc = 0;
	if (p->has_name && p->name)
		rc = check_text("name", p->name, 1, PAGE_NAME_MAX, true, err);
	if (rc == 0 && p->has_logo_url && p->logo_url &&
	    !page_logo_url_valid(p->logo_url))
		rc = kerr_set(err, KODO_EINVAL, "logo_url",
			      "logo_url must be an absolute http or https URL "
			      "of at most %d characters, or null",
			      PAGE_LOGO_URL_MAX);
	if (rc == 0 && p->has_accent_color && p->accent_color &&
	    !page_accent_valid(p->accent_color))
		rc = kerr_set(err, KODO_EINVAL, "accent_color",
			      "accent_color must be a color like \"#1f5fbf\"");
	return rc;
}

struct apply_args {
	const struct page_settings_patch *patch;
	int64_t now;
};

static void set_text(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static int apply(struct page_settings *ps, void *arg, struct kerr *err)
{
	(void)err;
	const struct apply_args *a = arg;
	const struct page_settings_patch *p = a->patch;
	if (p->has_name)
		set_text(ps->name, sizeof(ps->name), p->name);
	if (p->has_logo_url)
		set_text(ps->logo_url, sizeof(ps->logo_url), p->logo_url);
	if (p->has_accent_color) {
		set_text(ps->accent_color, sizeof(ps->accent_color),
			 p->accent_color);
		for (char *c = ps->accent_color; *c; c++)
			*c = (char)tolower((unsigned char)*c);
	}
	ps->updated_at = a->now;
	return 0;
}

int page_settings_update(struct core *core, const struct principal *p,
			 const struct page_settings_patch *patch,
			 struct page_settings *out, struct kerr *err)
{
	int rc = require_role(p, ROLE_ADMIN, err);
	if (rc == 0)
		rc = validate(patch, err);
	struct apply_args a = { patch, clock_now(core->clock) };
	if (rc == 0)
		rc = store_page_settings_mutate(core->store, p->org_id, apply,
						&a, NULL, err);
	if (rc)
		return rc;
	core_touch(core, p->org_id);
	return page_settings_get(core, p->org_id, out);
}
