/*
 * page_settings — Settings > Status page: the name, logo and accent color
 * an organization's public page shows, their defaults and their rules.
 *
 * Defaults: the organization's name, no logo, PAGE_ACCENT_DEFAULT. Reads
 * need any role, changes the admin role. Any thread.
 */
#ifndef KODO_CORE_PAGE_SETTINGS_H
#define KODO_CORE_PAGE_SETTINGS_H

#include "core/core.h"

#define PAGE_ACCENT_DEFAULT "#1f5fbf"

/* A partial update; a member is applied when its has_ flag is set. */
struct page_settings_patch {
	bool has_name;
	const char *name; /* NULL: back to the organization's name */
	bool has_logo_url;
	const char *logo_url; /* NULL: no logo */
	bool has_accent_color;
	const char *accent_color; /* NULL: back to the default */
};

/*
 * The effective settings of org_id: every default filled in (name is
 * never empty, accent_color always "#rrggbb", logo_url "" when none).
 * 0, KODO_ENOTFOUND for an unknown org, or KODO_EIO.
 */
int page_settings_get(struct core *core, const char *org_id,
		      struct page_settings *out);
/* Validates the whole patch first: on any error nothing changes. Admin.
 * out receives the effective settings after the change. */
int page_settings_update(struct core *core, const struct principal *p,
			 const struct page_settings_patch *patch,
			 struct page_settings *out, struct kerr *err);

/* The rules, for callers that check before they ask (and for tests). */
bool page_accent_valid(const char *s);
bool page_logo_url_valid(const char *s);
/* Fills the defaults of ps in place; org_name is the organization's. */
void page_settings_effective(struct page_settings *ps, const char *org_name);

#endif
